"""Follow-up data: read a table, check it against the spec's effect model, fingerprint it.

The checks are the ones that would otherwise turn into a traceback deep inside PyMC or, worse, a
silently wrong number: missing or misspelled columns, missing values, an outcome that is not 0/1,
negative or non-integer counts, a group or period with no rows, a unit twice in one period,
an outcome with no events. Each names the file and column.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd

from simpact.base.errors import DataError
from simpact.config.loading import load_model
from simpact.config.spec import ModelSpec
from simpact.data.checks import check, coerce, warnings_for
from simpact.data.files import read_csv, read_sheet

READERS = {
    ".csv": lambda path, sheet: read_csv(path),
    ".xlsx": read_sheet,
    ".parquet": lambda path, sheet: pd.read_parquet(path),
}
"""Table readers by file suffix: ``reader(path, sheet)`` (``sheet`` only matters for .xlsx)."""


def read_table(path: str | Path, *, sheet: str | None = None) -> pd.DataFrame:
    """Read a CSV, Excel (.xlsx, one ``sheet``) or Parquet file into a DataFrame."""
    path = Path(path)
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise DataError(
            f"unsupported file type {path.suffix!r}; expected one of {', '.join(READERS)}",
            source=path,
        )
    if not path.is_file():
        raise DataError("file not found", source=path)
    try:
        return reader(path, sheet)
    except DataError:
        raise
    except (ValueError, OSError, ImportError) as exc:
        raise DataError(f"could not read the table: {exc}", source=path) from None


def fingerprint(df: pd.DataFrame) -> str:
    """A SHA-256 of a table's columns and values (stable across runs and file formats)."""
    h = hashlib.sha256()
    h.update("\x1f".join(map(str, df.columns)).encode())
    h.update(pd.util.hash_pandas_object(df, index=False).to_numpy().tobytes())
    return h.hexdigest()


def load_followup(
    source: ModelSpec | str | Path | dict | pd.DataFrame,
    *,
    spec: ModelSpec | str | Path | dict | None = None,
    sheet: str | None = None,
) -> pd.DataFrame:
    """Load follow-up data and check it against the spec's effect model.

    Parameters
    ----------
    source
        A spec (its ``[data] path`` is read), a path to a CSV/.xlsx/.parquet file, or a DataFrame.
    spec
        The spec to check against, when ``source`` is a path or a DataFrame.
    sheet
        The sheet of an .xlsx workbook (default the spec's ``[data] sheet``; a workbook with
        several sheets must say which).

    Returns
    -------
    pandas.DataFrame
        The table, with ``attrs["source"]`` (file name), ``attrs["sha256"]`` (fingerprint) and
        ``attrs["warnings"]`` (named warnings the report repeats, see
        :func:`simpact.data.checks.warnings_for`).

    Raises
    ------
    DataError
        Naming the file and column, for every problem listed in the module docstring.

    Examples
    --------
    >>> df = load_followup(load_model("nata"))
    >>> sorted(df["period"].unique())
    ['post', 'pre']
    """
    if isinstance(source, ModelSpec | dict) or (
        isinstance(source, str | Path) and spec is None and str(source).endswith(".toml")
    ):
        spec = load_model(source)
        if spec.data_path is None:
            raise DataError(
                "no [data] path in the spec; pass the data explicitly", source=spec.source
            )
        source = spec.data_path
    if spec is None:
        raise TypeError("pass spec= to check a table or DataFrame against a model spec")
    spec = load_model(spec)
    if isinstance(source, pd.DataFrame):
        df, name = source.copy(), "DataFrame"
    else:
        df, name = read_table(source, sheet=sheet or spec.data.sheet), str(source)
    df = coerce(df, spec.effect)
    check(df, spec.effect, source=name)
    df.attrs.update(source=name, sha256=fingerprint(df), warnings=warnings_for(df, spec.effect))
    return df
