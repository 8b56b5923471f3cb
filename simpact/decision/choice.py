"""Choosing between alternatives: the probability each is best (acceptability curves) and the
acceptability frontier, on a net-benefit DataArray with a ``scenario`` dim."""

from __future__ import annotations

import numpy as np
import xarray as xr

from simpact.decision.voi import check_nb


def prob_best(nb: xr.DataArray) -> xr.DataArray:
    """Probability that each alternative has the highest net benefit.

    Ties go to the first scenario listed. With a ``wtp`` or ``discount_rate`` dim this is the
    acceptability curve of each alternative.

    Parameters
    ----------
    nb
        Net benefit with a ``scenario`` dim and sample dims ``(chain, draw)`` or ``(draw,)``.

    Returns
    -------
    xarray.DataArray
        Over ``scenario`` (and any other dims of ``nb``); sums to 1 over ``scenario``.

    Examples
    --------
    >>> nb = xr.DataArray([[1, 0], [1, 0], [1, 0], [-10, 0]], dims=("draw", "scenario"),
    ...                   coords={"scenario": ["a", "b"]})
    >>> prob_best(nb).values.tolist()
    [0.75, 0.25]
    """
    dims = check_nb(nb)
    best = nb.argmax("scenario")
    scen = xr.DataArray(np.arange(nb.sizes["scenario"]), dims="scenario")
    out = (best == scen).mean(dims)
    if "scenario" in nb.coords:
        out = out.assign_coords(scenario=nb["scenario"])
    return out.transpose("scenario", ...).assign_attrs(units="1", description="P(best)")


def frontier(nb: xr.DataArray) -> xr.Dataset:
    """The acceptability frontier: P(best) of the alternative with the highest *mean* NB.

    This is not the highest acceptability curve: an alternative can be most often best yet have
    a lower expected net benefit (a rare large loss), and the decision rule under uncertainty is
    to pick the highest expectation.

    Returns
    -------
    xarray.Dataset
        ``optimal`` (the scenario with the highest mean), ``probability`` (its P(best)) and
        ``expected`` (its mean net benefit), over any dims of ``nb`` besides sample and scenario.

    Examples
    --------
    >>> nb = xr.DataArray([[1, 0], [1, 0], [1, 0], [-10, 0]], dims=("draw", "scenario"),
    ...                   coords={"scenario": ["a", "b"]})
    >>> f = frontier(nb)
    >>> str(f["optimal"].values), float(f["probability"])
    ('b', 0.25)
    """
    dims = check_nb(nb)
    mean = nb.mean(dims)
    pick = mean.argmax("scenario")
    p = prob_best(nb)
    labels = (
        nb["scenario"].to_numpy() if "scenario" in nb.coords else np.arange(nb.sizes["scenario"])
    )
    out = xr.Dataset(
        {
            "optimal": xr.DataArray(labels[pick.to_numpy()], dims=pick.dims, coords=pick.coords),
            "probability": p.isel(scenario=pick, drop=True).assign_attrs(units="1"),
            "expected": mean.isel(scenario=pick, drop=True).assign_attrs(
                units=nb.attrs.get("units", "")
            ),
        }
    )
    return out
