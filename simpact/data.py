"""Follow-up data: read a table, check it against the spec's effect model, fingerprint it.

The checks are the ones that would otherwise turn into a traceback deep inside PyMC or, worse, a
silently wrong number: missing or misspelled columns, missing values, an outcome that is not 0/1,
negative or non-integer counts, a group or period with no rows. Each names the file and column.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pandas as pd

from simpact.errors import DataError
from simpact.spec import EffectSpec, ModelSpec, load_model

READERS = {
    ".csv": pd.read_csv,
    ".xlsx": pd.read_excel,
    ".parquet": pd.read_parquet,
}
"""Table readers by file suffix."""


def read_table(path: str | Path) -> pd.DataFrame:
    """Read a CSV, Excel (.xlsx) or Parquet file into a DataFrame."""
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
        return reader(path)
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
) -> pd.DataFrame:
    """Load follow-up data and check it against the spec's effect model.

    Parameters
    ----------
    source
        A spec (its ``[data] path`` is read), a path to a CSV/.xlsx/.parquet file, or a DataFrame.
    spec
        The spec to check against, when ``source`` is a path or a DataFrame.

    Returns
    -------
    pandas.DataFrame
        The table, with ``attrs["source"]`` (file name) and ``attrs["sha256"]`` (fingerprint).

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
        df, name = read_table(source), str(source)
    check(df, spec.effect, source=name)
    df.attrs.update(source=name, sha256=fingerprint(df))
    return df


_REQUIRED = {
    "two_group": ("outcome", "group"),
    "did": ("outcome", "group", "period"),
    "its": ("outcome", "time"),
}
"""Column roles each effect design needs (others are optional)."""

_ROLES = ("outcome", "group", "period", "time", "unit", "site", "trials", "exposure")

_COUNT_FAMILIES = ("binomial", "poisson", "negbin")


def check(df: pd.DataFrame, effect: EffectSpec, *, source: str = "DataFrame") -> None:
    """Check a table against an effect spec; raise :class:`DataError` naming the column.

    Checks: every named column exists (with a hint for a near miss), no missing values, 0/1
    columns are 0/1, counts are non-negative whole numbers, events do not exceed trials,
    exposure is positive, both groups (and, for a DiD, all four group x period cells) have rows,
    an interrupted time series has at least two time points on each side of ``start``, and a
    pooled model (``site``) has at least two sites.

    Examples
    --------
    >>> spec = EffectSpec(design="two_group", family="poisson", outcome="k", group="g",
    ...                   exposure="days")
    >>> df = pd.DataFrame({"k": [1, 2], "g": [0, 1], "days": [10, 0]})
    >>> check(df, spec)
    Traceback (most recent call last):
    ...
    simpact.errors.DataError: DataFrame: days: exposure must be > 0, found 0 in row 2
    """

    def fail(column: str | None, message: str) -> None:
        raise DataError(message, source=source, field=column)

    roles = {f"effect.{role}": getattr(effect, role) for role in _ROLES}
    for role in _REQUIRED.get(effect.design, ("outcome",)):
        if getattr(effect, role) is None:
            fail(None, f"design {effect.design!r} needs effect.{role} (a column name)")
    if effect.design == "its" and effect.start is None:
        fail(None, "design 'its' needs effect.start (the first time point of the intervention)")
    for role, column in roles.items():
        if column is not None and column not in df.columns:
            close = [c for c in df.columns if str(c).lower() == column.lower()]
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            fail(
                column,
                f"missing column named by {role}{hint}; the table has: "
                f"{', '.join(map(str, df.columns))}",
            )
    if df.empty:
        fail(None, "the table has no rows")
    for column in dict.fromkeys(filter(None, roles.values())):
        missing = df[column].isna()
        if missing.any():
            fail(column, f"{int(missing.sum())} missing value(s), first in row {_row(df, missing)}")

    if effect.group is not None:
        group = df[effect.group]
        _require_binary(df, effect.group, source)
        for value, label in ((0, "comparison"), (1, "treated")):
            if not (group == value).any():
                fail(
                    effect.group,
                    f"no {label} units ({effect.group} == {value}): the group is empty",
                )

    if effect.design == "did" and effect.period is not None:
        labels = set(df[effect.period].astype(str))
        expected = {effect.pre, effect.post}
        if labels != expected:
            fail(
                effect.period,
                f"expected exactly the periods {sorted(expected)}, found {sorted(labels)}",
            )
        cells = df.groupby([df[effect.group], df[effect.period].astype(str)]).size()
        for g in (0, 1):
            for p in (effect.pre, effect.post):
                if (g, p) not in cells.index:
                    fail(effect.period, f"no rows for {effect.group} == {g} in period {p!r}")

    if effect.design == "its":
        time = pd.to_numeric(df[effect.time], errors="coerce")
        if time.isna().any():
            bad = time.isna()
            fail(
                effect.time,
                f"must be numeric, found {_first(df, effect.time, bad)} in row {_row(df, bad)}",
            )
        before, after = (time < effect.start).sum(), (time >= effect.start).sum()
        if min(before, after) < 2:
            fail(
                effect.time,
                f"need at least two time points before and from start = {effect.start}; "
                f"found {before} before and {after} from it",
            )

    if effect.site is not None and df[effect.site].nunique() < 2:
        fail(
            effect.site,
            "partial pooling needs at least two sites, found only "
            f"{_first(df, effect.site, df.index == df.index[0])}; drop site= for a single site",
        )

    outcome = df[effect.outcome]
    family = effect.family
    if family == "bernoulli":
        _require_binary(df, effect.outcome, source)
    elif family in _COUNT_FAMILIES:
        _require_counts(df, effect.outcome, source)
    elif family in ("normal", "student_t"):
        values = pd.to_numeric(outcome, errors="coerce")
        bad = values.isna() | ~np.isfinite(values)
        if bad.any():
            fail(
                effect.outcome,
                f"must be a number, found {_first(df, effect.outcome, bad)} in row {_row(df, bad)}",
            )
    if family == "binomial":
        if effect.trials is None:
            fail(None, "family 'binomial' needs effect.trials (the column of n in 'k of n')")
        _require_counts(df, effect.trials, source)
        over = outcome > df[effect.trials]
        if over.any():
            fail(
                effect.outcome, f"more events than trials ({effect.trials}) in row {_row(df, over)}"
            )
    elif effect.trials is not None:
        fail(effect.trials, f"trials is only used by family 'binomial', not {family!r}")
    if effect.exposure is not None:
        if family not in ("poisson", "negbin"):
            fail(
                effect.exposure,
                f"exposure is only used by families poisson and negbin, not {family!r}",
            )
        values = pd.to_numeric(df[effect.exposure], errors="coerce")
        bad = ~(values > 0) | ~np.isfinite(values)
        if bad.any():
            fail(
                effect.exposure,
                f"exposure must be > 0, found {_first(df, effect.exposure, bad)} "
                f"in row {_row(df, bad)}",
            )


def _first(df: pd.DataFrame, column: str, mask: pd.Series) -> str:
    """The first flagged value of a column, as Python shows it (``2``, ``'C'``, ``nan``)."""
    return repr(df[column][mask].tolist()[0])


def _row(df: pd.DataFrame, mask: pd.Series) -> int:
    """1-based data row of the first True in mask (row 1 is the first line after the header)."""
    return int(np.flatnonzero(mask.to_numpy())[0]) + 1


def _require_binary(df: pd.DataFrame, column: str, source: str) -> None:
    values = pd.to_numeric(df[column], errors="coerce")
    bad = ~values.isin([0, 1])
    if bad.any():
        raise DataError(
            f"must be 0/1, found {_first(df, column, bad)} in row {_row(df, bad)}",
            source=source,
            field=column,
        )


def _require_counts(df: pd.DataFrame, column: str, source: str) -> None:
    values = pd.to_numeric(df[column], errors="coerce")
    bad = values.isna() | (values < 0) | (values != np.round(values))
    if bad.any():
        raise DataError(
            f"must be a non-negative whole count, found {_first(df, column, bad)} "
            f"in row {_row(df, bad)}",
            source=source,
            field=column,
        )
