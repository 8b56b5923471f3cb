"""Per-draw decision quantities and their Monte Carlo error: NPV, payback, break-even, MCSE of
means, probabilities and quantiles, the draws a target precision needs, net benefit at a
willingness to pay or over discount rates.

Every function works on a DataArray with sample dims ``(chain, draw)`` or a single ``draw``.
"""

from __future__ import annotations

from collections.abc import Sequence

import arviz as az
import numpy as np
import xarray as xr
from scipy.stats import norm

from simpact.base.constants import CI_PROB, SAMPLE_DIMS
from simpact.base.errors import SimpactError
from simpact.decision.voi import sample_dims

Z_90 = float(norm.ppf(0.5 + CI_PROB / 2))
"""The normal quantile of the two-sided :data:`~simpact.base.constants.CI_PROB` interval."""

BREAKEVEN_YEARS = 4
"""The Swedish electoral period: break-even within it is Nilsson & Wadeskog's test."""


def npv(present_value: xr.DataArray) -> xr.DataArray:
    """Net present value: discounted net cash flows summed over ``year``."""
    return present_value.sum("year").assign_attrs(units=present_value.attrs.get("units", "SEK"))


def payback_year(present_value: xr.DataArray) -> xr.DataArray:
    """First year from which cumulative discounted net benefit stays >= 0 (NaN if never).

    Examples
    --------
    >>> pv = xr.DataArray([[-3.0, 1.0, 1.0, 2.0]], dims=("draw", "year"),
    ...                   coords={"year": [1, 2, 3, 4]})
    >>> payback_year(pv).values.tolist()
    [4.0]
    """
    cum = present_value.cumsum("year")
    negative = cum < 0
    # years after the last negative cumulative value; never if the last year is negative
    last_negative = negative.cumsum("year").idxmax("year").where(negative.any("year"), 0)
    year = last_negative + 1
    return year.where(~negative.isel(year=-1)).astype(float).assign_attrs(units="project year")


def breakeven(present_value: xr.DataArray, years: int = BREAKEVEN_YEARS) -> xr.DataArray:
    """Cumulative discounted net benefit >= 0 at the end of ``years`` (an electoral period).

    Examples
    --------
    >>> pv = xr.DataArray([[-3.0, 1.0, 1.0, 2.0]], dims=("draw", "year"),
    ...                   coords={"year": [1, 2, 3, 4]})
    >>> breakeven(pv, 3).values.tolist(), breakeven(pv).values.tolist()
    ([False], [True])
    """
    cum = present_value.sel(year=present_value["year"] <= years).sum("year")
    return cum >= 0


def _chains(x: xr.DataArray) -> xr.DataArray:
    """``x`` with sample dims ``(chain, draw)`` (a lone ``draw`` dim becomes one chain)."""
    dims = sample_dims(x, "draws")
    return x if dims == SAMPLE_DIMS else x.expand_dims(chain=1)


def mcse(x: xr.DataArray) -> xr.DataArray:
    """Monte Carlo standard error of the mean of ``x`` over its sample dims (ArviZ).

    Examples
    --------
    >>> x = xr.DataArray(np.random.default_rng(0).normal(size=(4, 1000)), dims=("chain", "draw"))
    >>> 0.01 < float(mcse(x)) < 0.02                      # about 1 / sqrt(4000)
    True
    """
    x = _chains(x).astype(float)
    if x.sizes["draw"] * x.sizes["chain"] < 4 or float(x.std()) == 0:
        return xr.zeros_like(x.isel(chain=0, draw=0, drop=True))
    return az.mcse(x, method="mean")


def mcse_quantile(x: xr.DataArray, prob: float) -> xr.DataArray:
    """Monte Carlo standard error of the ``prob`` quantile of ``x`` (ArviZ ``method="quantile"``).

    Examples
    --------
    >>> x = xr.DataArray(np.random.default_rng(0).normal(size=(4, 1000)), dims=("chain", "draw"))
    >>> 0.02 < float(mcse_quantile(x, 0.05)) < 0.06
    True
    """
    x = _chains(x).astype(float)
    if x.sizes["draw"] * x.sizes["chain"] < 4 or float(x.std()) == 0:
        return xr.zeros_like(x.isel(chain=0, draw=0, drop=True))
    return az.mcse(x, method="quantile", prob=prob)


def probability(event: xr.DataArray) -> tuple[float, float]:
    """Share of draws where ``event`` holds, and its Monte Carlo standard error."""
    dims = sample_dims(event, "event")
    return float(event.mean(dims)), float(mcse(event))


def draws_needed(x: xr.DataArray, *, target: float, quantile: float | None = None) -> int:
    """Draws needed for the MCSE of the mean (or a ``quantile``) of ``x`` to reach ``target``.

    MCSE falls as one over the square root of the (effective) number of draws, so
    ``n_needed = n · (mcse / target)²``, rounded up; autocorrelation of MCMC draws is accounted
    for because the current MCSE already includes it.

    Examples
    --------
    >>> event = xr.DataArray(np.random.default_rng(0).random(1000) < 0.5, dims="draw")
    >>> 8000 < draws_needed(event, target=0.005) < 12000   # sqrt(0.25 / n) = 0.005 at n = 10 000
    True
    """
    if not target > 0:
        raise SimpactError(f"target precision must be > 0, got {target}", field="target")
    n = int(np.prod([x.sizes[d] for d in sample_dims(x, "x")]))
    se = float(mcse(x) if quantile is None else mcse_quantile(x, quantile))
    return int(np.ceil(n * (se / target) ** 2))


def net_benefit(
    money: xr.DataArray, outcome: xr.DataArray | None = None, *, wtp: Sequence[float] | float = 0.0
) -> xr.DataArray:
    """Net benefit with a non-monetised outcome valued at a willingness to pay.

    ``money + wtp · outcome``, over a new dim ``wtp``.

    Parameters
    ----------
    money
        Monetary net benefit (e.g. NPV) per draw and scenario.
    outcome
        The non-monetised outcome per draw and scenario (e.g. pupils back in school).
    wtp
        Values of one unit of ``outcome`` (SEK per unit); becomes dim ``wtp``.

    Examples
    --------
    >>> m = xr.DataArray([[-1.0, 0.0]], dims=("draw", "scenario"))
    >>> o = xr.DataArray([[2.0, 0.0]], dims=("draw", "scenario"))
    >>> net_benefit(m, o, wtp=[0, 1]).sel(scenario=0).values.ravel().tolist()
    [-1.0, 1.0]
    """
    lam = xr.DataArray(np.atleast_1d(np.asarray(wtp, dtype=float)), dims="wtp")
    lam = lam.assign_coords(wtp=lam.values)
    out = money + (lam * outcome if outcome is not None else 0 * lam)
    return out.assign_attrs(units=money.attrs.get("units", "SEK"))


def at_discount_rates(net: xr.DataArray, *, rates: Sequence[float]) -> xr.DataArray:
    """Present value of yearly net cash flows at each discount rate (dim ``discount_rate``).

    End-of-year timing: a flow in project year ``t`` is divided by ``(1 + r) ** t``.

    Examples
    --------
    >>> net = xr.DataArray([[-100.0, 110.0]], dims=("draw", "year"), coords={"year": [0, 1]})
    >>> (at_discount_rates(net, rates=[0.0, 0.1]).values.round(6) + 0.0).tolist()
    [[10.0, 0.0]]
    """
    if "year" not in net.dims:
        raise SimpactError(f"net needs a 'year' dim; it has {tuple(net.dims)}", field="net")
    r = np.atleast_1d(np.asarray(rates, dtype=float))
    if (r <= -1).any():
        raise SimpactError("discount rates must be > -1", field="rates")
    rate = xr.DataArray(r, dims="discount_rate", coords={"discount_rate": r})
    factor = (1 + rate) ** -net["year"].astype(float)
    out = (net.drop_vars("calendar_year", errors="ignore") * factor).sum("year")
    return out.assign_attrs(units=net.attrs.get("units", "SEK"))
