"""Is it worth following up longer, or more pupils, before deciding? EVSI of the evaluation."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import xarray as xr

from simpact.base.errors import SimpactError
from simpact.decision.metrics import npv
from simpact.decision.voi import evsi, go_no_go


def risk_difference_sd(sim: xr.DataTree) -> float:
    """One pupil's standard deviation for a risk difference, ``sqrt(p1 (1 − p1) + p0 (1 − p0))``
    at the posterior mean risks of the fit (``risk_treated``, ``risk_counterfactual``)."""
    try:
        post = sim["fit"]["posterior"]
        p1 = float(post["risk_treated"].mean())
        p0 = float(post["risk_counterfactual"].mean())
    except KeyError:
        raise SimpactError(
            "the simulation has no fitted risks (fit/posterior risk_treated, "
            "risk_counterfactual); pass sd_unit",
            field="sd_unit",
        ) from None
    return float(np.sqrt(p1 * (1 - p1) + p0 * (1 - p0)))


def followup_value(
    sim: xr.DataTree,
    *,
    n: Sequence[float],
    cost_fixed: float = 0.0,
    cost_per_unit: float = 0.0,
    sd_unit: float | None = None,
) -> xr.Dataset:
    """Is it worth following up longer or more pupils before deciding? EVSI against its cost.

    The decision is go / no-go on the total NPV; the evaluation informs the effect. ``n`` is
    the number of extra pupils per arm (extending the follow-up of a cohort of ``k`` pupils a
    year by ``m`` years gives ``n = k·m``). By default ``sd_unit`` is that of a risk difference
    (:func:`risk_difference_sd`); see :func:`simpact.decision.voi.evsi` for the method.

    Returns
    -------
    xarray.Dataset
        ``evsi``, ``cost`` and ``enbs`` over ``n``; attrs ``best_n``, ``n0``, ``evppi_limit``
        and ``sd_unit``.

    Raises
    ------
    SimpactError
        The simulation has no fitted effect (``effects/reduction``) to inform, or no fitted
        risks to take ``sd_unit`` from.

    Examples
    --------
    >>> # followup_value(sim, n=[0, 50, 100, 400], cost_fixed=2e5, cost_per_unit=3e3)
    """
    if "reduction" not in sim["effects"].data_vars:
        raise SimpactError(
            "the simulation has no fitted effect (effects/reduction) for a follow-up to inform",
            field="sim",
        )
    pv = sim["cashflows"]["present_value"]
    total = npv(pv).sum("actor").assign_attrs(units=pv.attrs.get("units", "SEK"))
    if sd_unit is None:
        sd_unit = risk_difference_sd(sim)
    out = evsi(
        go_no_go(total),
        sim["effects"]["reduction"],
        n=n,
        sd_unit=sd_unit,
        cost_fixed=cost_fixed,
        cost_per_unit=cost_per_unit,
    )
    out.attrs["sd_unit"] = sd_unit
    return out
