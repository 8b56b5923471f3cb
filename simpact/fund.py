"""The fund: Ale's dubbelmodell turns savings into repayment, shortfall and a project ledger.

* **Fund part** (repayable): the project draws its money from the fund; the administration(s)
  where the savings land repay the principal on a schedule (Ale: 50 % in year 5, 50 % in year 6).
* **Frame-grant part** (not repaid): money for benefits that land outside the municipality
  (region, state, the individual); the ledger shows those external benefits beside the grant.

:func:`repay` works on any ``xarray.DataArray`` of savings with a ``year`` dim (plus any sample
dims), so draws from elsewhere can be plugged in. :data:`RULES` holds the repayment rules.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np
import xarray as xr

from simpact import library
from simpact.errors import SimpactError
from simpact.spec import Fund

Rule = Callable[[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]


def _settle(savings: np.ndarray, due: np.ndarray, *, carry_arrears: bool) -> tuple[np.ndarray, ...]:
    """Walk the years: savings fill a pool; each instalment (plus arrears) is paid from it.

    Savings not yet used stay in the pool for later instalments (a negative year draws it down).
    Returns ``(paid_from_savings, unpaid)`` per year.
    """
    paid = np.zeros_like(savings)
    unpaid = np.zeros_like(savings)
    pool = np.zeros(savings.shape[:-1])
    arrears = np.zeros(savings.shape[:-1])
    for t in range(savings.shape[-1]):
        pool = pool + savings[..., t]
        owed = arrears + due[t]
        pay = np.clip(pool, 0.0, owed)
        paid[..., t] = pay
        pool = pool - pay
        unpaid[..., t] = owed - pay
        arrears = owed - pay if carry_arrears else np.zeros_like(arrears)
    return paid, unpaid


def _from_savings(savings: np.ndarray, due: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Repay what cumulative savings allow; arrears carry forward to the horizon; no budget cut."""
    paid, _ = _settle(savings, due, carry_arrears=True)
    return paid, np.zeros_like(savings)


def _strict(savings: np.ndarray, due: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Repay on schedule regardless; what savings do not cover is cut from the own budget."""
    _, gap = _settle(savings, due, carry_arrears=False)
    return np.broadcast_to(due, savings.shape).copy(), gap


RULES: dict[str, Rule] = {"from_savings": _from_savings, "strict": _strict}
"""Repayment rules by the key a spec uses in ``[fund] rule``."""


def repay(
    savings: xr.DataArray,
    *,
    due: Mapping[int, float],
    rule: str = "from_savings",
    horizon: int | None = None,
) -> xr.Dataset:
    """Repayment of a fund-part principal from an administration's savings.

    Parameters
    ----------
    savings
        Cashable savings of the repaying administration(s), SEK per year; must have a ``year``
        dim with integer project years (1 = first year), plus any sample dims.
    due
        Instalments by project year, e.g. ``{5: 2e6, 6: 2e6}``.
    rule
        A key of :data:`RULES`: ``"from_savings"`` (repay what savings allow, arrears carried to
        the horizon) or ``"strict"`` (repay on schedule; any gap is a cut in the own budget).
    horizon
        Last year arrears can be repaid; defaults to the last year of ``savings``.

    Returns
    -------
    xarray.Dataset
        ``repaid`` and ``budget_cut`` per year; ``outstanding`` per year; ``principal``;
        ``shortfall`` (unpaid by the last instalment), ``shortfall_by_horizon``,
        ``repaid_share``; booleans ``full_on_schedule`` and ``full_by_horizon``;
        ``repayment_year`` (year the principal is fully back, NaN if never).

    Examples
    --------
    >>> s = xr.DataArray([0.0, 1e6, 1e6, 1e6], dims="year", coords={"year": [1, 2, 3, 4]})
    >>> r = repay(s, due={3: 1.5e6, 4: 1.5e6})
    >>> r["repaid"].values.tolist(), bool(r["full_on_schedule"])
    ([0.0, 0.0, 1500000.0, 1500000.0], True)
    """
    if rule not in RULES:
        raise SimpactError(f"unknown repayment rule {rule!r}; expected one of {', '.join(RULES)}",
                           field="rule")
    if "year" not in savings.dims:
        raise SimpactError(f"savings need a 'year' dim; they have {savings.dims}", field="savings")
    years = savings["year"].to_numpy()
    horizon = int(years.max()) if horizon is None else int(horizon)
    if horizon > years.max():
        raise SimpactError(f"horizon {horizon} is beyond the last year of savings ({years.max()})",
                           field="horizon")
    for year, amount in due.items():
        if year not in years or year > horizon:
            raise SimpactError(f"instalment in year {year} lies outside years 1–{horizon}", field="due")
        if amount < 0:
            raise SimpactError(f"instalment in year {year} is negative ({amount})", field="due")
    if np.isnan(savings).any():
        raise SimpactError("savings contain NaN", field="savings")

    within = savings.sel(year=savings["year"] <= horizon).drop_vars("calendar_year", errors="ignore")
    s = within.transpose(..., "year")
    due_v = np.array([float(due.get(int(y), 0.0)) for y in s["year"].to_numpy()])
    repaid_v, cut_v = RULES[rule](s.to_numpy(), due_v)
    principal = float(due_v.sum())
    last_due = max((y for y, a in due.items() if a > 0), default=int(years.min()))

    repaid = s.copy(data=repaid_v)
    cum = repaid.cumsum("year")
    covered = cum + 1e-6 * max(principal, 1.0) >= principal
    tol = 1e-6 * max(principal, 1.0)
    out = xr.Dataset(
        {
            "repaid": repaid,
            "budget_cut": s.copy(data=cut_v),
            "outstanding": principal - cum,
            "principal": principal,
            "due": ("year", due_v),
            "shortfall": principal - cum.sel(year=last_due),
            "shortfall_by_horizon": principal - cum.isel(year=-1),
            "repaid_share": cum.isel(year=-1) / principal if principal else xr.ones_like(cum.isel(year=-1)),
            "full_on_schedule": principal - cum.sel(year=last_due) <= tol,
            "full_by_horizon": principal - cum.isel(year=-1) <= tol,
            "repayment_year": covered.idxmax("year").where(covered.any("year")),
        }
    )
    # after the horizon nothing more is repaid: extend the per-year ledger over all years
    out = out.reindex(year=years)
    for name in ("repaid", "budget_cut", "due"):
        out[name] = out[name].fillna(0.0)
    out["outstanding"] = (principal - out["repaid"].cumsum("year")).assign_attrs(
        out["outstanding"].attrs
    )
    if "calendar_year" in savings.coords:
        out = out.assign_coords(calendar_year=savings["calendar_year"])
    for name in ("repaid", "budget_cut", "outstanding", "principal", "due", "shortfall",
                 "shortfall_by_horizon"):
        out[name].attrs["units"] = savings.attrs.get("units", "SEK")
    for name in ("repaid_share", "full_on_schedule", "full_by_horizon"):
        out[name].attrs["units"] = "1"
    out["repayment_year"].attrs["units"] = "project year"
    out.attrs.update(rule=rule, horizon=horizon, last_instalment_year=last_due)
    return out


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
    principal = sum(fund.fund_part.values())
    due = {year: share * principal for year, share in fund.repayment.items()}
    savings = cf["cashable_savings"].sel(actor=list(fund.repaying_actors)).sum("actor")
    savings.attrs["units"] = cf["cashable_savings"].attrs["units"]
    ledger = repay(savings, due=due, rule=fund.rule, horizon=horizon or fund.horizon)
    levels = library.actors()
    external = [a for a in cf["actor"].to_numpy() if levels[a].level != "municipality"]
    units = cf["savings"].attrs["units"]
    ledger["drawn"] = xr.DataArray(
        [fund.fund_part.get(int(y), 0.0) for y in years], dims="year", coords={"year": years},
        attrs={"units": units, "description": "money the project draws from the fund part"},
    )
    ledger["frame_grant"] = xr.DataArray(
        [fund.frame_grant.get(int(y), 0.0) for y in years], dims="year", coords={"year": years},
        attrs={"units": units, "description": "frame-grant part, not repaid"},
    )
    ledger["external_benefits"] = cf["savings"].sel(actor=external).sum("actor").drop_vars(
        "calendar_year", errors="ignore"
    )
    ledger["external_benefits"].attrs.update(
        units=units, description="savings landing outside the municipality (frame-grant part)"
    )
    ledger.attrs["repaying_actors"] = list(fund.repaying_actors)
    ledger.attrs["external_actors"] = external
    out = sim.copy()
    out["fund"] = ledger
    return out
