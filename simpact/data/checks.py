"""Checks of a follow-up table against the effect spec: the columns each design needs, missing
values, binary and count columns, both groups and periods present -- one clear error each."""

from __future__ import annotations

import numpy as np
import pandas as pd

from simpact.base.errors import DataError
from simpact.config.spec import EffectSpec

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
    simpact.base.errors.DataError: DataFrame: days: exposure must be > 0, found 0 in row 2
    """

    fail = _Failure(source)
    _check_columns(df, effect, fail)
    if effect.group is not None:
        _check_group(df, effect, fail)
    if effect.design == "did" and effect.period is not None:
        _check_periods(df, effect, fail)
    if effect.design == "its":
        _check_time(df, effect, fail)
    if effect.site is not None and df[effect.site].nunique() < 2:
        fail(
            effect.site,
            "partial pooling needs at least two sites, found only "
            f"{_first(df, effect.site, df.index == df.index[0])}; drop site= for a single site",
        )
    _check_outcome(df, effect, fail)
    _check_trials_and_exposure(df, effect, fail)


class _Failure:
    """Raises the one-line :class:`DataError` for a table (``fail(column, message)``)."""

    def __init__(self, source: str) -> None:
        self.source = source

    def __call__(self, column: str | None, message: str) -> None:
        raise DataError(message, source=self.source, field=column)


def _check_columns(df: pd.DataFrame, effect: EffectSpec, fail: _Failure) -> None:
    """The columns the design needs exist (with a hint for a near miss) and have no gaps."""
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


def _check_group(df: pd.DataFrame, effect: EffectSpec, fail: _Failure) -> None:
    group = df[effect.group]
    _require_binary(df, effect.group, fail.source)
    for value, label in ((0, "comparison"), (1, "treated")):
        if not (group == value).any():
            fail(effect.group, f"no {label} units ({effect.group} == {value}): the group is empty")


def _check_periods(df: pd.DataFrame, effect: EffectSpec, fail: _Failure) -> None:
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


def _check_time(df: pd.DataFrame, effect: EffectSpec, fail: _Failure) -> None:
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


def _check_outcome(df: pd.DataFrame, effect: EffectSpec, fail: _Failure) -> None:
    family = effect.family
    if family == "bernoulli":
        _require_binary(df, effect.outcome, fail.source)
    elif family in _COUNT_FAMILIES:
        _require_counts(df, effect.outcome, fail.source)
    elif family in ("normal", "student_t"):
        values = pd.to_numeric(df[effect.outcome], errors="coerce")
        bad = values.isna() | ~np.isfinite(values)
        if bad.any():
            fail(
                effect.outcome,
                f"must be a number, found {_first(df, effect.outcome, bad)} in row {_row(df, bad)}",
            )


def _check_trials_and_exposure(df: pd.DataFrame, effect: EffectSpec, fail: _Failure) -> None:
    family = effect.family
    if family == "binomial":
        if effect.trials is None:
            fail(None, "family 'binomial' needs effect.trials (the column of n in 'k of n')")
        _require_counts(df, effect.trials, fail.source)
        over = df[effect.outcome] > df[effect.trials]
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
