"""The data stage: follow-up tables read (:data:`READERS`), checked against the effect spec and
fingerprinted."""

from simpact.data.checks import check
from simpact.data.files import read_csv
from simpact.data.reading import READERS, fingerprint, load_followup, read_table

__all__ = ["READERS", "check", "fingerprint", "load_followup", "read_csv", "read_table"]
