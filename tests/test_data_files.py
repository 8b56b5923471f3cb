"""Follow-up tables as analysts have them: Swedish Excel's CSV (semicolons, Windows-1252,
decimal commas) reads as the same table as the bundled comma-separated UTF-8 file."""

from __future__ import annotations

import pandas as pd
import pytest

import simpact as sp
from simpact.data import fingerprint, read_csv


def test_swedish_excel_csv_is_the_same_table(tmp_path, nata_spec):
    original = pd.read_csv(nata_spec.data_path)
    original = original.assign(
        skola="Ale gymnasium, Älvängen", andel=original["absent_days"] / original["days_enrolled"]
    )
    swedish = tmp_path / "uppföljning.csv"
    original.to_csv(swedish, sep=";", decimal=",", index=False, encoding="cp1252")
    table = sp.load_followup(swedish, spec=nata_spec)
    assert table.attrs["read_as"] == "semicolon-separated, Windows-1252, decimal comma"
    assert fingerprint(table) == fingerprint(original)


@pytest.mark.parametrize(
    ("sep", "decimal", "encoding", "said"),
    [
        (",", ".", "utf-8", "comma-separated, UTF-8, decimal point"),
        (";", ",", "utf-8-sig", "semicolon-separated, UTF-8, decimal comma"),
        (";", ".", "utf-8", "semicolon-separated, UTF-8, decimal point"),
        ("\t", ".", "cp1252", "tab-separated, Windows-1252, decimal point"),
    ],
)
def test_separator_decimal_and_encoding_are_detected(tmp_path, sep, decimal, encoding, said):
    frame = pd.DataFrame({"kommun": ["Ale", "Älvsborg"], "andel": [0.25, 1.5], "n": [3, 4]})
    path = tmp_path / "t.csv"
    frame.to_csv(path, sep=sep, decimal=decimal, index=False, encoding=encoding)
    read = read_csv(path)
    assert read.attrs["read_as"] == said
    pd.testing.assert_frame_equal(read, frame)
