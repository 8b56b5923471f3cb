"""Errors that simpact raises for bad input and for models it cannot trust.

Every error names *where* the problem is (a file, and a field, column or row inside it) and
*what was expected*, so the command line can print it as one line and exit with status 2.
"""

from __future__ import annotations

from pathlib import Path


class SimpactError(ValueError):
    """Bad input: a spec, data table or argument simpact cannot use.

    Parameters
    ----------
    message
        What is wrong and what was expected.
    source
        The file (or other named input, e.g. ``"DataFrame"``) the problem is in.
    field
        The field, column, key or row inside ``source``.

    Examples
    --------
    >>> str(SimpactError("must be > 0", source="models/nata.toml", field="cohort.intake"))
    'models/nata.toml: cohort.intake: must be > 0'
    """

    def __init__(
        self, message: str, *, source: str | Path | None = None, field: str | None = None
    ) -> None:
        self.message = message
        self.source = str(source) if source is not None else None
        self.field = field
        super().__init__(str(self))

    def __str__(self) -> str:
        return ": ".join(part for part in (self.source, self.field, self.message) if part)


class SpecError(SimpactError):
    """A model spec or library file (TOML) is malformed or inconsistent."""


class DataError(SimpactError):
    """A follow-up data table is missing columns or holds impossible values."""


class ConvergenceError(SimpactError):
    """Sampling did not converge; its numbers must not be used as if it had."""
