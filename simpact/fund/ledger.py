"""The fund stage: Ale's dubbelmodell ledger on a simulation's cash flows.

* **Fund part** (repayable): the project draws its money from the fund; the administration(s)
  where the savings land repay the principal on a schedule (Ale: 50 % in year 5, 50 % in year 6),
  under one of the repayment rules of :mod:`simpact.components.rules`.
* **Frame-grant part** (not repaid): money for benefits that land outside the municipality
  (region, state, the individual); the ledger shows those external benefits beside the grant.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import xarray as xr

from simpact.components.rules import RULES, FundTerms
from simpact.config import priors
from simpact.config.spec import Fund


def apply_fund(sim: xr.DataTree, fund: Fund, *, horizon: int | None = None) -> xr.DataTree:
    """Add the dubbelmodell ledger (group ``fund``) to a simulation's cash flows.

    The fund part's principal is what the project draws from it (``fund.fund_part``), due in
    the shares of ``fund.repayment``; it is repaid from the cashable savings of
    ``fund.repaying_actors`` under ``fund.rule``. Savings of actors outside the municipality are
    the frame-grant part's external benefits, shown beside ``fund.frame_grant``.

    Parameters
    ----------
    sim
        The tree from :func:`simpact.simulation.simulate_cashflows`.
    fund
        The spec's ``[fund]`` table.
    horizon
        Last year arrears can be repaid (default ``fund.horizon`` or the simulation's).
    """
    cf = sim["cashflows"].to_dataset()
    years = cf["year"].to_numpy()
    ledger = terms_of(fund, horizon).repay(repaying_savings(cf, fund.repaying_actors))
    levels = priors.actors()
    external = [a for a in cf["actor"].to_numpy() if levels[a].level != "municipality"]
    units = cf["savings"].attrs["units"]
    ledger["drawn"] = xr.DataArray(
        [fund.fund_part.get(int(y), 0.0) for y in years],
        dims="year",
        coords={"year": years},
        attrs={"units": units, "description": "money the project draws from the fund part"},
    )
    ledger["frame_grant"] = xr.DataArray(
        [fund.frame_grant.get(int(y), 0.0) for y in years],
        dims="year",
        coords={"year": years},
        attrs={"units": units, "description": "frame-grant part, not repaid"},
    )
    ledger["external_benefits"] = (
        cf["savings"].sel(actor=external).sum("actor").drop_vars("calendar_year", errors="ignore")
    )
    ledger["external_benefits"].attrs.update(
        units=units, description="savings landing outside the municipality (frame-grant part)"
    )
    ledger.attrs["repaying_actors"] = list(fund.repaying_actors)
    ledger.attrs["external_actors"] = external
    out = sim.copy()
    out["fund"] = ledger
    return out


def terms_of(fund: Fund, horizon: int | None = None) -> FundTerms:
    """``fund.terms()``, with ``horizon`` (if given) in place of the spec's."""
    terms = fund.terms()
    return terms if horizon is None else replace(terms, horizon=int(horizon))


def repaying_savings(cf: xr.Dataset, actors: Sequence[str]) -> xr.DataArray:
    """The cashable savings of ``actors`` summed, per draw and year (what repays the fund)."""
    savings = cf["cashable_savings"].sel(actor=list(actors)).sum("actor")
    savings.attrs["units"] = cf["cashable_savings"].attrs["units"]
    return savings


def compare_rules(
    sim: xr.DataTree,
    fund: Fund,
    *,
    rules: Sequence[str] = tuple(RULES),
    horizon: int | None = None,
) -> xr.Dataset:
    """:func:`compare` on a simulation tree: every rule applied to the spec's fund part.

    Examples
    --------
    >>> # sim = simpact.simulate(spec, posterior, random_seed=1)
    >>> # compare_rules(sim, spec.fund)["full_by_horizon"].mean(("chain", "draw"))
    """
    cf = sim["cashflows"].to_dataset()
    return terms_of(fund, horizon).compare(repaying_savings(cf, fund.repaying_actors), rules)
