"""Reading follow-up tables as analysts have them: a CSV saved by Swedish Excel is
semicolon-separated, in Windows-1252, with decimal commas; one saved elsewhere is
comma-separated UTF-8 with decimal points. :func:`read_csv` tells them apart and says which it
read (``df.attrs["read_as"]``)."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pandas as pd

from simpact.base.errors import DataError

ENCODINGS = ("utf-8-sig", "cp1252")
"""Tried in order: UTF-8 (with or without a byte-order mark), then Windows-1252."""

SEPARATORS = {";": "semicolon", ",": "comma", "\t": "tab"}
"""Column separators recognised in the header line, with their names."""


def decode(raw: bytes, *, source: str | Path) -> tuple[str, str]:
    """The text of a file and the encoding that read it (UTF-8 first, then Windows-1252)."""
    for encoding in ENCODINGS:
        try:
            return raw.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise DataError("is neither UTF-8 nor Windows-1252 text", source=source)  # pragma: no cover


def separator(text: str) -> str:
    """The column separator: the candidate found most often in the header line.

    Examples
    --------
    >>> separator("elev;grupp;period\\n1;0;pre\\n")
    ';'
    >>> separator("pupil,group\\n1,0\\n")
    ','
    """
    header = text.lstrip("\ufeff").splitlines()[0] if text.strip() else ""
    counts = {sep: header.count(sep) for sep in SEPARATORS}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def read_csv(path: str | Path) -> pd.DataFrame:
    """A CSV with its separator, encoding and decimal mark detected.

    A file that is not comma-separated and has numbers like ``0,5`` is read with decimal commas
    (what Swedish Excel writes); ``df.attrs["read_as"]`` says what was chosen, e.g.
    ``"semicolon-separated, Windows-1252, decimal comma"``.

    Examples
    --------
    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "t.csv"
    >>> _ = p.write_bytes("elev;närvaro\\n1;0,5\\n".encode("cp1252"))
    >>> df = read_csv(p)
    >>> float(df["närvaro"][0]), df.attrs["read_as"]
    (0.5, 'semicolon-separated, Windows-1252, decimal comma')
    """
    path = Path(path)
    text, encoding = decode(path.read_bytes(), source=path)
    sep = separator(text)
    decimal = "," if sep != "," and re.search(r"\d,\d", text) else "."
    df = pd.read_csv(io.StringIO(text), sep=sep, decimal=decimal)
    names = {"utf-8-sig": "UTF-8", "cp1252": "Windows-1252"}
    df.attrs["read_as"] = (
        f"{SEPARATORS[sep]}-separated, {names[encoding]}, "
        f"decimal {'comma' if decimal == ',' else 'point'}"
    )
    return df


def read_sheet(path: str | Path, sheet: str | None = None) -> pd.DataFrame:
    """One sheet of an .xlsx workbook: ``sheet`` by name, or the only sheet there is.

    A workbook with several sheets and no ``sheet`` named is refused with the sheets listed, so
    the first sheet is never read by mistake.
    """
    path = Path(path)
    with pd.ExcelFile(path) as book:
        names = [str(n) for n in book.sheet_names]
        if sheet is None and len(names) > 1:
            raise DataError(
                f"the workbook has {len(names)} sheets ({', '.join(names)}); name one with "
                "--sheet or [data] sheet",
                source=path,
            )
        if sheet is not None and sheet not in names:
            raise DataError(
                f"no sheet named {sheet!r}; the workbook has {', '.join(names)}",
                source=path,
                field="sheet",
            )
        df = book.parse(sheet if sheet is not None else names[0])
    df.attrs["read_as"] = f"sheet {sheet if sheet is not None else names[0]!r}"
    return df
