"""Rows of a decision table: one dict per (metric, scope), and the table they make.

Every row says what kind of uncertainty it carries in its ``kind`` column:

* ``"posterior"`` (:data:`POSTERIOR`): a quantity (NPV, shortfall, a share, a year, the effect)
  with the mean of the draws and ``lower``/``upper`` the P5–P95 interval of the draws; ``mcse``
  is the Monte Carlo error of the mean, ``mcse_lower``/``mcse_upper`` of the bounds;
* ``"monte_carlo"`` (:data:`MONTE_CARLO`): a probability, the share of draws where an event
  holds, with its Monte Carlo error ``mcse`` and ``lower``/``upper`` its 90 % Monte Carlo
  interval (mean ± z · MCSE, clipped to 0–1);
* ``"value"`` (:data:`VALUE`): a plain number with no interval (EVPI, EVPPI).
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd
import xarray as xr

from simpact.base.constants import CI_PROB
from simpact.decision.metrics import Z_90, mcse, mcse_quantile, probability

Kind = Literal["posterior", "monte_carlo", "value"]
"""The kind of uncertainty a row carries (the table's ``kind`` column)."""

POSTERIOR: Kind = "posterior"
"""A quantity with the P5–P95 interval of its draws."""
MONTE_CARLO: Kind = "monte_carlo"
"""A probability: mean ± Monte Carlo error, with its 90 % Monte Carlo interval."""
VALUE: Kind = "value"
"""A plain number (EVPI, EVPPI): no interval."""
KINDS: tuple[Kind, ...] = (POSTERIOR, MONTE_CARLO, VALUE)
"""Every value of the ``kind`` column."""

Rows = dict[tuple[str, str], dict]
"""Table rows by ``(metric, scope)``, in the order they are added."""


def quantity_row(draws: xr.DataArray, units: str) -> dict:
    """A ``"posterior"`` row: the mean of the finite draws, their P5–P95 interval and MCSEs.

    The MCSEs are NaN when some draws are missing (a year that does not always happen); every
    number is NaN when none is finite.

    Examples
    --------
    >>> row = quantity_row(xr.DataArray(np.arange(101.0), dims="draw"), "SEK")
    >>> row["kind"], row["mean"], round(row["lower"], 6), round(row["upper"], 6)
    ('posterior', 50.0, 5.0, 95.0)
    """
    valid = draws.where(np.isfinite(draws))
    row = {"mean": np.nan, "lower": np.nan, "upper": np.nan, "kind": POSTERIOR, "mcse": np.nan}
    row["units"] = units
    if not valid.notnull().any():
        return row
    probs = [(1 - CI_PROB) / 2, (1 + CI_PROB) / 2]
    lower, upper = np.nanquantile(valid, probs)
    complete = bool(valid.notnull().all())
    row.update(
        mean=float(valid.mean()),
        lower=float(lower),
        upper=float(upper),
        mcse=float(mcse(valid)) if complete else np.nan,
        mcse_lower=float(mcse_quantile(valid, probs[0])) if complete else np.nan,
        mcse_upper=float(mcse_quantile(valid, probs[1])) if complete else np.nan,
    )
    return row


def probability_row(event: xr.DataArray) -> dict:
    """A ``"monte_carlo"`` row: the share of draws where ``event`` holds, its MCSE and its 90 %
    Monte Carlo interval.

    Examples
    --------
    >>> row = probability_row(xr.DataArray([True, False, True, True], dims="draw"))
    >>> row["kind"], row["mean"], row["units"]
    ('monte_carlo', 0.75, '1')
    """
    p, se = probability(event)
    return {
        "mean": p,
        "lower": max(0.0, p - Z_90 * se),
        "upper": min(1.0, p + Z_90 * se),
        "kind": MONTE_CARLO,
        "mcse": se,
        "units": "1",
    }


def expectation_row(draws: xr.DataArray, units: str) -> dict:
    """A ``"posterior"`` row of an expectation (the expected shortfall): the mean of the draws
    and its Monte Carlo error, with no interval (``lower``/``upper`` NaN: the spread of the
    draws is not an uncertainty about the expectation).

    Examples
    --------
    >>> row = expectation_row(xr.DataArray(np.arange(101.0), dims="draw"), "SEK")
    >>> row["mean"], bool(np.isnan(row["lower"]))
    (50.0, True)
    """
    row = quantity_row(draws, units)
    row.update(lower=np.nan, upper=np.nan, mcse_lower=np.nan, mcse_upper=np.nan)
    return row


def undefined_row(units: str) -> dict:
    """A ``"posterior"`` row of a quantity that is undefined (payback or break-even of an
    actor with no cash flows): every number NaN, shown as "–"."""
    return {
        "mean": np.nan,
        "lower": np.nan,
        "upper": np.nan,
        "kind": POSTERIOR,
        "mcse": np.nan,
        "units": units,
    }


def value_row(value: float, units: str) -> dict:
    """A ``"value"`` row: a plain number, no interval and no Monte Carlo error."""
    return {
        "mean": float(value),
        "lower": np.nan,
        "upper": np.nan,
        "kind": VALUE,
        "mcse": np.nan,
        "units": units,
    }


def year_row(draws: xr.DataArray, units: str) -> dict:
    """A year row (payback, repayment): a :func:`quantity_row` among draws where it happens,
    plus ``median`` over all draws (a draw where it never happens counts as later than every
    year) with its quantile MCSE ``mcse_median``; both NaN unless it happens in more than half.

    Examples
    --------
    >>> row = year_row(xr.DataArray([2.0, 3.0, 4.0, np.nan, np.nan], dims="draw"), "year")
    >>> row["mean"], row["median"]
    (3.0, 4.0)
    """
    row = quantity_row(draws, units)
    row["median"] = row["mcse_median"] = np.nan
    if float(draws.notnull().mean()) > 0.5:
        later = draws.fillna(float(draws.max()) + 1.0)
        row["median"] = float(later.median())
        row["mcse_median"] = float(mcse_quantile(later, 0.5))
    return row


def table_of(rows: Rows) -> pd.DataFrame:
    """The table of ``rows``: one row per ``(metric, scope)`` (a MultiIndex), in their order.

    Examples
    --------
    >>> table_of({("evpi", "total"): value_row(1.0, "SEK")}).loc[("evpi", "total"), "kind"]
    'value'
    """
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index = pd.MultiIndex.from_tuples(table.index, names=["metric", "scope"])
    return table
