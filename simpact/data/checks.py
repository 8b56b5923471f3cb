"""Checks of a follow-up table against the effect spec: the columns each design needs, missing
values, binary and count columns, both groups and periods present, no unit twice in one period,
an outcome with events -- one clear error each; :func:`warnings_for` names what is legal but
suspicious (a treated group whose outcome never varies, an implausible rate)."""

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
    _check_duplicates(df, effect, fail)
    _check_events(df, effect, fail)


_NUMERIC_ROLES = ("outcome", "group", "trials", "exposure", "time")


def coerce(df: pd.DataFrame, effect: EffectSpec) -> pd.DataFrame:
    """The table with numeric roles stored as text or booleans turned into numbers.

    A Parquet or Excel file may store a 0/1 outcome as the strings ``'0'``/``'1'`` or a group as
    ``True``/``False``; the models need numbers. A column converts only if every value does
    (otherwise it is left as it is, and :func:`check` names the first value that is not a number).

    Examples
    --------
    >>> spec = EffectSpec(design="two_group", family="bernoulli", outcome="y", group="g")
    >>> coerce(pd.DataFrame({"y": ["0", "1"], "g": [True, False]}), spec).dtypes.tolist()
    [dtype('int64'), dtype('int64')]
    """
    out = df.copy()
    for role in _NUMERIC_ROLES:
        column = getattr(effect, role, None)
        if column is None or column not in out.columns:
            continue
        values = out[column]
        if pd.api.types.is_bool_dtype(values):
            out[column] = values.astype("int64")
        elif values.dtype == object or pd.api.types.is_string_dtype(values):
            if values.map(lambda v: isinstance(v, bool)).all():
                out[column] = values.astype("int64")
                continue
            numbers = pd.to_numeric(values.astype(str).str.strip(), errors="coerce")
            if numbers.notna().all():
                whole = bool((numbers == np.round(numbers)).all())
                out[column] = numbers.astype("int64") if whole else numbers
    return out


def _check_duplicates(df: pd.DataFrame, effect: EffectSpec, fail: _Failure) -> None:
    """A unit appears at most once per period (DiD), time point (ITS) or at all (two groups)."""
    if effect.unit is None or effect.unit not in df.columns:
        return
    keys = [effect.unit]
    if effect.design == "did" and effect.period is not None:
        keys.append(effect.period)
    elif effect.design == "its" and effect.time is not None:
        keys.append(effect.time)
    twice = df.duplicated(subset=keys, keep="first")
    if twice.any():
        row = _row(df, twice)
        where = " in one period" if len(keys) > 1 else ""
        fail(
            effect.unit,
            f"unit {df[effect.unit][twice].tolist()[0]!r} appears twice{where} "
            f"({', '.join(keys)}), again in row {row}; one row per "
            f"{' and '.join(keys)} is expected",
        )


def _check_events(df: pd.DataFrame, effect: EffectSpec, fail: _Failure) -> None:
    """An event outcome (0/1 or a count) has at least one event and, if 0/1, one non-event."""
    if effect.family not in ("bernoulli", *_COUNT_FAMILIES):
        return
    values = pd.to_numeric(df[effect.outcome], errors="coerce")
    if (values == 0).all():
        fail(
            effect.outcome,
            "no events at all (every value is 0): there is nothing to estimate an effect from; "
            "check that the right column is named",
        )
    if effect.family == "bernoulli" and (values == 1).all():
        fail(effect.outcome, "every value is 1: there is nothing to estimate an effect from")


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


def warnings_for(df: pd.DataFrame, effect: EffectSpec) -> list[str]:
    """Named warnings about a checked table: legal, but a reader of the report should know.

    ``treated-no-variation``: the outcome takes one value in the whole treated group (its effect
    then rests on the prior and the comparison group alone). ``implausible-rate``: a 0/1 outcome
    with events in under 0.5 % or over 99.5 % of rows, or a rate per exposure unit over 1.
    """
    found = []
    values = pd.to_numeric(df[effect.outcome], errors="coerce")
    if effect.group is not None and effect.group in df.columns:
        treated = values[pd.to_numeric(df[effect.group], errors="coerce") == 1]
        if len(treated) > 1 and treated.nunique() == 1:
            found.append(
                f"treated-no-variation: {effect.outcome} is {treated.tolist()[0]!r} for every "
                f"treated unit ({effect.group} == 1); the effect rests on the prior and the "
                "comparison group"
            )
    rate = None
    if effect.family == "bernoulli":
        rate = float(values.mean())
        if not 0.005 <= rate <= 0.995:
            found.append(f"implausible-rate: {effect.outcome} is 1 in {rate:.1%} of rows")
    elif effect.exposure is not None and effect.family in ("poisson", "negbin"):
        rate = float(values.sum() / pd.to_numeric(df[effect.exposure]).sum())
        if rate > 1:
            found.append(
                f"implausible-rate: {rate:.2f} events of {effect.outcome} per unit of "
                f"{effect.exposure}; is the exposure in the right unit?"
            )
    return found


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
