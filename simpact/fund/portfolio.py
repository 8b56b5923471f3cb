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
from simpact.components.rules import check_rule, check_savings, repay
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
        As in :func:`repay` (``horizon`` in project years, default the last year of savings).
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

    def ledger(self) -> xr.Dataset:
        """The project's own :func:`repay` ledger (project years)."""
        due = {y: s * self.principal for y, s in self.repayment.items()}
        return repay(
            self.savings,
            due=due,
            rule=self.rule,
            horizon=self.horizon,
            cap=self.cap,
            drawn=self.drawn,
        )

    @classmethod
    def from_simulation(
        cls, sim: xr.DataTree, fund: Fund, *, name: str | None = None, start: int = 1
    ) -> Project:
        """A fund-part project from a simulation tree and its spec's ``[fund]`` table."""
        cf = sim["cashflows"].to_dataset()
        return cls(
            name=name or str(sim.attrs.get("intervention", "project")),
            savings=repaying_savings(cf, fund.repaying_actors),
            drawn=dict(fund.fund_part),
            repayment=dict(fund.repayment),
            start=start,
            rule=fund.rule,
            horizon=fund.horizon,
            cap=fund.return_cap,
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
    frame = frame_grant if isinstance(frame_grant, Mapping) else None
    amounts = list(frame.values()) if frame is not None else [frame_grant]
    if any(not v >= 0 for v in amounts):
        raise SimpactError("the frame grant cannot be negative", field="frame_grant")
    sample_dims = [d for d in projects[0].savings.dims if d != "year"]
    for p in projects:
        other = {d: n for d, n in p.savings.sizes.items() if d != "year"}
        if other != {d: projects[0].savings.sizes[d] for d in sample_dims}:
            raise SimpactError(
                f"project {p.name!r} has sample dims {other}; all projects must share the same "
                f"joint draws {dict((d, projects[0].savings.sizes[d]) for d in sample_dims)}",
                field="projects",
            )
    last = max(p.start - 1 + int(p.savings["year"].max()) for p in projects)
    last = max(last, *allocations) if allocations else last
    if years is not None and years < 1:
        raise SimpactError(f"years must be >= 1, got {years}", field="years")
    n_years = years or last
    fund_years = np.arange(1, n_years + 1)
    units = projects[0].savings.attrs.get("units", "SEK")

    def per_year(values: Mapping[int, float] | float) -> xr.DataArray:
        get = values.get if isinstance(values, Mapping) else (lambda y, d: values)
        return xr.DataArray(
            [float(get(int(y), 0.0)) for y in fund_years],
            dims="year",
            coords={"year": fund_years},
            attrs={"units": units},
        )

    drawn, repaid, written, gain, frame_draws = [], [], [], [], []
    for p in projects:
        d = per_year({y + p.start - 1: a for y, a in p.drawn.items()})
        if p.part == "frame_grant":
            frame_draws.append(d)
            continue
        ledger = p.ledger()
        horizon = int(ledger.attrs["horizon"])
        cum = ledger["repaid"].cumsum("year")
        gain_cum = np.maximum(cum - ledger["principal"], 0.0)
        off_cum = (ledger["principal"] - np.minimum(cum, ledger["principal"])).where(
            ledger["year"] >= horizon, 0.0
        )
        drawn.append(d.expand_dims(project=[p.name]))
        repaid.append(
            _to_fund_years(ledger["repaid"], p.start, fund_years).expand_dims(project=[p.name])
        )
        gain.append(_to_fund_years(_increments(gain_cum), p.start, fund_years))
        written.append(_to_fund_years(_increments(off_cum), p.start, fund_years))
    out = xr.Dataset()
    allocation = per_year(allocations)
    zero = xr.zeros_like(
        projects[0].savings.isel(year=0, drop=True).drop_vars("calendar_year", errors="ignore"),
        dtype=float,
    )
    if drawn:
        drawn_a = xr.concat(drawn, "project")
        repaid_a = xr.concat(repaid, "project")
        gain_y = sum(gain)
        written_y = sum(written)
    else:
        drawn_a = repaid_a = xr.DataArray(
            np.zeros((0, n_years)),
            dims=("project", "year"),
            coords={"year": fund_years, "project": []},
        )
        gain_y = written_y = zero + xr.zeros_like(allocation)
    need = drawn_a.sum("project") + zero
    inflow = allocation + repaid_a.sum("project") + zero
    balance, topup = [], []
    b = zero
    for t in range(n_years):
        avail = b + inflow.isel(year=t)
        top = np.maximum(need.isel(year=t) - avail, 0.0)
        b = avail + top - need.isel(year=t)
        balance.append(b)
        topup.append(top)
    out["balance"] = xr.concat(balance, "year")
    out["topup"] = xr.concat(topup, "year")
    out["drawn"] = drawn_a
    out["repaid"] = repaid_a + zero
    out["gain"] = (gain_y + zero).cumsum("year")
    out["written_off"] = (written_y + zero).cumsum("year")
    out["outstanding"] = (
        (drawn_a - repaid_a).sum("project").cumsum("year") + out["gain"] - out["written_off"] + zero
    )
    out["allocation"] = allocation
    tol = 1e-6 * max(float(allocation.sum()), 1.0)
    out["capital_intact"] = out["written_off"] - out["gain"] <= tol
    out["cannot_pay"] = (out["topup"] > tol).cumsum("year") > 0
    frame_budget = per_year(
        frame_grant if frame is not None else {int(y): frame_grant for y in fund_years}
    )
    frame_need = sum(frame_draws) if frame_draws else xr.zeros_like(frame_budget)
    out["frame_grant"] = frame_budget
    out["frame_used"] = np.minimum(frame_need, frame_budget)
    out["frame_overrun"] = np.maximum(frame_need - frame_budget, 0.0)
    out = out.transpose(*sample_dims, "year", ...)
    for name in (
        "balance",
        "topup",
        "drawn",
        "repaid",
        "gain",
        "written_off",
        "outstanding",
        "allocation",
        "frame_grant",
        "frame_used",
        "frame_overrun",
    ):
        out[name].attrs["units"] = units
    for name in ("capital_intact", "cannot_pay"):
        out[name].attrs["units"] = "1"
    out["gain"].attrs["description"] = "cumulative payments above principals"
    out["written_off"].attrs["description"] = "cumulative amounts written off at project horizons"
    out["cannot_pay"].attrs["description"] = "the fund has (by this year) failed to pay a draw"
    out["capital_intact"].attrs["description"] = "nothing lost: written off <= gains"
    out.attrs.update(projects=names, rules=[p.rule for p in projects])
    return out
