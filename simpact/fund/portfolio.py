"""A revolving fund of several projects: :class:`Project` and :func:`portfolio`.

Each fund year the fund receives its allocation and the repayments of earlier projects
(reinvested), then pays what committed projects draw; the board tops it up when it cannot.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import xarray as xr

from simpact.base.errors import SimpactError
from simpact.components.rules import FundTerms, check_rule, check_savings
from simpact.config.spec import Fund
from simpact.fund.ledger import repaying_savings

DEFAULT_ALLOCATIONS: dict[int, float] = {1: 4e6, 2: 4e6, 3: 4e6, 4: 4e6}
"""Ale's fund part: 4 MSEK a year for 4 years (seed ``004``)."""
DEFAULT_FRAME_GRANT: float = 3e6
"""Ale's frame-grant part: 3 MSEK a year, not repaid (seed ``004``)."""
DEFAULT_REPAYMENT: dict[int, float] = {5: 0.5, 6: 0.5}
"""Ale's repayment plan: 50 % in project year 5, 50 % in year 6."""


@dataclass(frozen=True)
class Project:
    """One project in a fund portfolio.

    Attributes
    ----------
    name
        Label (coordinate of dim ``project``).
    savings
        Cashable savings of the repaying administration by *project* year (``year`` dim, plus
        the sample dims shared by all projects of the portfolio: the same draw index in every
        project is the same joint draw of the shared uncertain inputs, which is what makes the
        projects' outcomes correlated).
    drawn
        Money the project draws, by project year.
    repayment
        Shares of the principal due, by project year (must sum to 1 for the fund part; ignored
        for the frame-grant part).
    start
        Fund year in which the project's year 1 falls.
    rule, horizon, cap
        As in :func:`~simpact.components.rules.repay` (``horizon`` in project years, default
        the last year of savings).
    part
        ``"fund"`` (repaid) or ``"frame_grant"`` (paid from the annual frame, not repaid).
    """

    name: str
    savings: xr.DataArray
    drawn: Mapping[int, float]
    repayment: Mapping[int, float] = field(default_factory=lambda: dict(DEFAULT_REPAYMENT))
    start: int = 1
    rule: str = "from_savings"
    horizon: int | None = None
    cap: float = 0.2
    part: Literal["fund", "frame_grant"] = "fund"

    def __post_init__(self) -> None:
        at = f"projects.{self.name}"
        check_savings(self.savings, f"{at}.savings")
        check_rule(self.rule, field=f"{at}.rule")
        if self.part not in ("fund", "frame_grant"):
            raise SimpactError(f"part must be 'fund' or 'frame_grant', not {self.part!r}", field=at)
        if self.start < 1:
            raise SimpactError(
                f"start must be a fund year >= 1, got {self.start}", field=f"{at}.start"
            )
        for year, amount in self.drawn.items():
            if not amount >= 0:
                raise SimpactError(
                    f"money drawn cannot be negative, got {amount} in year {year}",
                    field=f"{at}.drawn",
                )
        if self.part == "fund":
            shares = list(self.repayment.values())
            if any(not s >= 0 for s in shares) or abs(sum(shares) - 1) > 1e-9:
                raise SimpactError(
                    f"repayment shares must be >= 0 and sum to 100 %, they sum to "
                    f"{100 * sum(shares):g} %",
                    field=f"{at}.repayment",
                )

    @property
    def principal(self) -> float:
        """Total money drawn."""
        return float(sum(self.drawn.values()))

    @property
    def terms(self) -> FundTerms:
        """The project's repayment terms (instalments = repayment shares of the principal)."""
        return FundTerms(
            due={y: s * self.principal for y, s in self.repayment.items()},
            drawn=self.drawn,
            rule=self.rule,
            cap=self.cap,
            horizon=self.horizon,
        )

    def ledger(self) -> xr.Dataset:
        """The project's own :func:`repay` ledger (project years)."""
        return self.terms.repay(self.savings)

    @classmethod
    def from_simulation(
        cls, sim: xr.DataTree, fund: Fund, *, name: str | None = None, start: int = 1
    ) -> Project:
        """A fund-part project from a simulation tree and its spec's ``[fund]`` table."""
        cf = sim["cashflows"].to_dataset()
        terms = fund.terms()
        return cls(
            name=name or str(sim.attrs.get("intervention", "project")),
            savings=repaying_savings(cf, fund.repaying_actors),
            drawn=dict(terms.drawn),
            repayment=dict(fund.repayment),
            start=start,
            rule=terms.rule,
            horizon=terms.horizon,
            cap=terms.cap,
        )


def _increments(cum: xr.DataArray) -> xr.DataArray:
    return cum - cum.shift(year=1, fill_value=0.0)


def _to_fund_years(x: xr.DataArray, start: int, years: np.ndarray) -> xr.DataArray:
    x = x.drop_vars("calendar_year", errors="ignore")
    x = x.assign_coords(year=x["year"].to_numpy() + start - 1)
    return x.reindex(year=years, fill_value=0.0)


def portfolio(
    projects: Sequence[Project],
    *,
    allocations: Mapping[int, float] = DEFAULT_ALLOCATIONS,
    frame_grant: float | Mapping[int, float] = DEFAULT_FRAME_GRANT,
    years: int | None = None,
) -> xr.Dataset:
    """Run several projects through one revolving fund, year by year, draw by draw.

    Each fund year the fund receives its allocation and the repayments of earlier projects
    (reinvested: a revolving fund), then pays what committed fund-part projects draw. When the
    balance cannot cover a committed draw, the board tops the fund up (``topup``): the event
    "the fund cannot pay a committed project". Money still owed when a project's repayment
    horizon passes is written off (rules ``from_savings``, ``capped_return``); payments above a
    principal (``capped_return``) are ``gain``. Frame-grant projects are paid from the annual
    frame, not from the fund; a draw beyond the frame is ``frame_overrun``.

    The ledger conserves money in every draw and year::

        allocations + topup + gain = balance + outstanding + written_off   (cumulative)

    Parameters
    ----------
    projects
        The :class:`Project` s; their savings must share the sample dims (same joint draws).
    allocations
        Fund-part allocations by fund year (default 4 MSEK a year for 4 years).
    frame_grant
        The annual frame for the frame-grant part (default 3 MSEK), or amounts by fund year.
    years
        Fund years to follow (default: until the last project's last year).

    Returns
    -------
    xarray.Dataset
        Per (sample dims, ``year``): ``balance``, ``topup``, ``outstanding``, ``written_off``,
        ``gain`` (cumulative where stated in attrs), ``capital_intact``, ``cannot_pay``;
        per (sample dims, ``year``, ``project``): ``drawn``, ``repaid``; per ``year``:
        ``allocation``, ``frame_grant``, ``frame_used``, ``frame_overrun``.

    Examples
    --------
    >>> yrs = np.arange(1, 9)
    >>> s = xr.DataArray([[0, 0, 0, 1e6, 2e6, 2e6, 2e6, 2e6]], dims=("draw", "year"),
    ...                  coords={"year": yrs})
    >>> p = Project("a", s, drawn={1: 1e6, 2: 1e6})
    >>> pf = portfolio([p], allocations={1: 1e6, 2: 1e6})
    >>> float(pf["balance"].isel(year=-1).item())
    2000000.0
    """
    _check(projects, allocations, frame_grant, years)
    sample_dims = [d for d in projects[0].savings.dims if d != "year"]
    last = max(p.start - 1 + int(p.savings["year"].max()) for p in projects)
    last = max(last, *allocations) if allocations else last
    n_years = years or last
    fund_years = np.arange(1, n_years + 1)
    units = projects[0].savings.attrs.get("units", "SEK")
    per_year = _PerYear(fund_years, units)
    zero = xr.zeros_like(
        projects[0].savings.isel(year=0, drop=True).drop_vars("calendar_year", errors="ignore"),
        dtype=float,
    )
    flows = _fund_flows([p for p in projects if p.part == "fund"], per_year, zero)
    allocation = per_year(allocations)
    out = _revolve(flows, allocation, zero)
    out["allocation"] = allocation
    tol = 1e-6 * max(float(allocation.sum()), 1.0)
    out["capital_intact"] = out["written_off"] - out["gain"] <= tol
    out["cannot_pay"] = (out["topup"] > tol).cumsum("year") > 0
    frame_draws = [
        per_year({y + p.start - 1: a for y, a in p.drawn.items()})
        for p in projects
        if p.part == "frame_grant"
    ]
    out.update(_frame_part(frame_draws, frame_grant, per_year))
    out = out.transpose(*sample_dims, "year", ...)
    _label(out, units)
    out.attrs.update(projects=[p.name for p in projects], rules=[p.rule for p in projects])
    return out


def _check(
    projects: Sequence[Project],
    allocations: Mapping[int, float],
    frame_grant: float | Mapping[int, float],
    years: int | None,
) -> None:
    """The portfolio's arguments, or a :class:`SimpactError` naming the bad one."""
    if not projects:
        raise SimpactError("a portfolio needs at least one project", field="projects")
    names = [p.name for p in projects]
    if len(set(names)) < len(names):
        raise SimpactError(f"project names must be unique, got {names}", field="projects")
    for year, amount in allocations.items():
        if not amount >= 0:
            raise SimpactError(
                f"an allocation cannot be negative, got {amount} in year {year}",
                field="allocations",
            )
    amounts = list(frame_grant.values()) if isinstance(frame_grant, Mapping) else [frame_grant]
    if any(not v >= 0 for v in amounts):
        raise SimpactError("the frame grant cannot be negative", field="frame_grant")
    first = projects[0].savings
    shared = {d: n for d, n in first.sizes.items() if d != "year"}
    for p in projects:
        other = {d: n for d, n in p.savings.sizes.items() if d != "year"}
        if other != shared:
            raise SimpactError(
                f"project {p.name!r} has sample dims {other}; all projects must share the same "
                f"joint draws {shared}",
                field="projects",
            )
    if years is not None and years < 1:
        raise SimpactError(f"years must be >= 1, got {years}", field="years")


@dataclass(frozen=True)
class _PerYear:
    """Amounts by fund year (a mapping, or one amount for every year) as a ``year`` array."""

    years: np.ndarray
    units: str

    def __call__(self, values: Mapping[int, float] | float) -> xr.DataArray:
        get = values.get if isinstance(values, Mapping) else (lambda y, d: values)
        return xr.DataArray(
            [float(get(int(y), 0.0)) for y in self.years],
            dims="year",
            coords={"year": self.years},
            attrs={"units": self.units},
        )


def _fund_flows(
    projects: Sequence[Project], per_year: _PerYear, zero: xr.DataArray
) -> dict[str, xr.DataArray]:
    """Drawn and repaid per project, gains and write-offs per year, in fund years."""
    years = per_year.years
    drawn, repaid, written, gain = [], [], [], []
    for p in projects:
        ledger = p.ledger()
        cum = ledger["repaid"].cumsum("year")
        gain_cum = np.maximum(cum - ledger["principal"], 0.0)
        off_cum = (ledger["principal"] - np.minimum(cum, ledger["principal"])).where(
            ledger["year"] >= int(ledger.attrs["horizon"]), 0.0
        )
        drawn.append(
            per_year({y + p.start - 1: a for y, a in p.drawn.items()}).expand_dims(project=[p.name])
        )
        repaid.append(
            _to_fund_years(ledger["repaid"], p.start, years).expand_dims(project=[p.name])
        )
        gain.append(_to_fund_years(_increments(gain_cum), p.start, years))
        written.append(_to_fund_years(_increments(off_cum), p.start, years))
    if not drawn:
        none = xr.DataArray(
            np.zeros((0, len(years))),
            dims=("project", "year"),
            coords={"year": years, "project": []},
        )
        nothing = zero + xr.zeros_like(per_year(0.0))
        return {"drawn": none, "repaid": none, "gain": nothing, "written_off": nothing}
    return {
        "drawn": xr.concat(drawn, "project"),
        "repaid": xr.concat(repaid, "project"),
        "gain": sum(gain),
        "written_off": sum(written),
    }


def _revolve(
    flows: dict[str, xr.DataArray], allocation: xr.DataArray, zero: xr.DataArray
) -> xr.Dataset:
    """Year by year: the balance after inflows and draws, and the board's top-ups."""
    drawn, repaid = flows["drawn"], flows["repaid"]
    need = drawn.sum("project") + zero
    inflow = allocation + repaid.sum("project") + zero
    balance, topup = [], []
    b = zero
    for t in range(allocation.sizes["year"]):
        avail = b + inflow.isel(year=t)
        top = np.maximum(need.isel(year=t) - avail, 0.0)
        b = avail + top - need.isel(year=t)
        balance.append(b)
        topup.append(top)
    out = xr.Dataset()
    out["balance"] = xr.concat(balance, "year")
    out["topup"] = xr.concat(topup, "year")
    out["drawn"] = drawn
    out["repaid"] = repaid + zero
    out["gain"] = (flows["gain"] + zero).cumsum("year")
    out["written_off"] = (flows["written_off"] + zero).cumsum("year")
    out["outstanding"] = (
        (drawn - repaid).sum("project").cumsum("year") + out["gain"] - out["written_off"] + zero
    )
    return out


def _frame_part(
    frame_draws: list[xr.DataArray],
    frame_grant: float | Mapping[int, float],
    per_year: _PerYear,
) -> dict[str, xr.DataArray]:
    """The annual frame, what frame-grant projects use of it and what they draw beyond it."""
    if isinstance(frame_grant, Mapping):
        budget = per_year(frame_grant)
    else:
        budget = per_year({int(y): frame_grant for y in per_year.years})
    need = sum(frame_draws) if frame_draws else xr.zeros_like(budget)
    return {
        "frame_grant": budget,
        "frame_used": np.minimum(need, budget),
        "frame_overrun": np.maximum(need - budget, 0.0),
    }


_DESCRIPTIONS = {
    "gain": "cumulative payments above principals",
    "written_off": "cumulative amounts written off at project horizons",
    "cannot_pay": "the fund has (by this year) failed to pay a draw",
    "capital_intact": "nothing lost: written off <= gains",
}


def _label(out: xr.Dataset, units: str) -> None:
    for name in out.data_vars:
        out[name].attrs["units"] = "1" if out[name].dtype == bool else units
    for name, description in _DESCRIPTIONS.items():
        out[name].attrs["description"] = description
