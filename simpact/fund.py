"""The fund: Ale's dubbelmodell turns savings into repayment, shortfall and a fund ledger.

* **Fund part** (repayable): the project draws its money from the fund; the administration(s)
  where the savings land repay the principal on a schedule (Ale: 50 % in year 5, 50 % in year 6).
* **Frame-grant part** (not repaid): money for benefits that land outside the municipality
  (region, state, the individual); the ledger shows those external benefits beside the grant.

:func:`repay` works on any ``xarray.DataArray`` of savings with a ``year`` dim (plus any sample
dims), so draws from elsewhere can be plugged in. :data:`RULES` holds the repayment rules a
municipality can choose; :func:`compare` runs them side by side (dim ``scenario``).
:func:`portfolio` runs several projects through one revolving fund: annual allocations,
repayments reinvested, the board topping up when the fund cannot pay a committed project.

Repayment rules (``due`` is the schedule of instalments, its sum the principal):

``from_savings``
    Each year the administration repays what its cumulative cashable savings allow (savings not
    used stay in a pool; a negative year draws the pool down); unpaid instalments are carried as
    arrears to the horizon; what is still unpaid at the horizon is written off.
``strict``
    The instalments are paid on schedule regardless; what the savings do not cover is a cut in the
    administration's own budget (``budget_cut``).
``frame_cut``
    Norrköping's *återföringsmodell*: from year 1 the board's budget frame is cut by the savings
    as they appear (a negative year cuts nothing), until the principal is back; the schedule only
    sets the principal and the year by which repayment is "on schedule".
``capped_return``
    An outcomes contract (as Norrköping's Team Nystart): at each instalment year the payer pays
    its share of ``principal × (1 + cap)`` as far as the savings accumulated so far (and not yet
    used) allow; an instalment the savings do not cover lapses -- the fund, as investor, carries
    the loss. Anything paid above the principal is the fund's return (``gain``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import xarray as xr

from simpact import library, plugins
from simpact.errors import SimpactError
from simpact.spec import Fund


@dataclass(frozen=True)
class Terms:
    """What a rule may need besides savings and the schedule.

    ``cap``: ``capped_return``'s most paid above the principal (share of it); ``lent``: the
    money drawn so far, per year (``frame_cut`` never takes back more than has been lent).
    """

    cap: float
    lent: np.ndarray


Rule = Callable[[np.ndarray, np.ndarray, Terms], tuple[np.ndarray, np.ndarray]]

DEFAULT_ALLOCATIONS: dict[int, float] = {1: 4e6, 2: 4e6, 3: 4e6, 4: 4e6}
"""Ale's fund part: 4 MSEK a year for 4 years (seed ``004``)."""
DEFAULT_FRAME_GRANT: float = 3e6
"""Ale's frame-grant part: 3 MSEK a year, not repaid (seed ``004``)."""
DEFAULT_REPAYMENT: dict[int, float] = {5: 0.5, 6: 0.5}
"""Ale's repayment plan: 50 % in project year 5, 50 % in year 6."""


def _settle(
    savings: np.ndarray, due: np.ndarray, *, carry_arrears: bool
) -> tuple[np.ndarray, np.ndarray]:
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


def _from_savings(savings: np.ndarray, due: np.ndarray, terms: Terms) -> tuple[np.ndarray, ...]:
    """Repay what cumulative savings allow; arrears carry forward to the horizon; no budget cut."""
    paid, _ = _settle(savings, due, carry_arrears=True)
    return paid, np.zeros_like(savings)


def _strict(savings: np.ndarray, due: np.ndarray, terms: Terms) -> tuple[np.ndarray, ...]:
    """Repay on schedule regardless; what savings do not cover is cut from the own budget."""
    _, gap = _settle(savings, due, carry_arrears=False)
    return np.broadcast_to(due, savings.shape).copy(), gap


def _frame_cut(savings: np.ndarray, due: np.ndarray, terms: Terms) -> tuple[np.ndarray, ...]:
    """Cut the frame by each year's savings as they appear until the principal is back."""
    cum = np.cumsum(np.clip(savings, 0.0, None), axis=-1)
    covered = np.minimum(np.minimum(cum, due.sum()), terms.lent)
    paid = np.diff(covered, axis=-1, prepend=0.0)
    return paid, np.zeros_like(savings)


def _capped_return(savings: np.ndarray, due: np.ndarray, terms: Terms) -> tuple[np.ndarray, ...]:
    """Pay each instalment of principal × (1 + cap) as far as savings allow; the rest lapses."""
    paid, _ = _settle(savings, due * (1 + terms.cap), carry_arrears=False)
    return paid, np.zeros_like(savings)


RULES: dict[str, Rule] = {
    "from_savings": _from_savings,
    "strict": _strict,
    "frame_cut": _frame_cut,
    "capped_return": _capped_return,
}
"""Repayment rules by the key a spec uses in ``[fund] rule`` (see the module docstring)."""

plugins.register(RULES, "simpact.rules")


def check_rule(rule: str, *, source: str | None = None, field: str = "rule") -> str:
    """Return ``rule`` if it is a key of :data:`RULES`, else raise a :class:`SimpactError`."""
    if rule not in RULES:
        raise SimpactError(
            f"unknown repayment rule {rule!r}; expected one of {', '.join(RULES)}",
            source=source,
            field=field,
        )
    return rule


def _check_savings(savings: xr.DataArray, name: str = "savings") -> None:
    if not isinstance(savings, xr.DataArray):
        raise SimpactError(
            f"{name} must be an xarray.DataArray with a 'year' dim, not {type(savings).__name__}",
            field=name,
        )
    if "year" not in savings.dims:
        raise SimpactError(f"{name} need a 'year' dim; they have {savings.dims}", field=name)
    if np.isnan(savings.to_numpy()).any():
        raise SimpactError(f"{name} contain NaN", field=name)


def repay(
    savings: xr.DataArray,
    *,
    due: Mapping[int, float],
    rule: str = "from_savings",
    horizon: int | None = None,
    cap: float = 0.2,
    drawn: Mapping[int, float] | None = None,
) -> xr.Dataset:
    """Repayment of a fund-part principal from an administration's savings.

    Parameters
    ----------
    savings
        Cashable savings of the repaying administration(s), SEK per year; must have a ``year``
        dim with integer project years (1 = first year), plus any sample dims.
    due
        Instalments by project year, e.g. ``{5: 2e6, 6: 2e6}``; their sum is the principal.
    rule
        A key of :data:`RULES`: ``"from_savings"``, ``"strict"``, ``"frame_cut"`` or
        ``"capped_return"`` (see the module docstring).
    horizon
        Last year arrears can be repaid; defaults to the last year of ``savings``.
    cap
        ``capped_return`` only: the most the payer pays above the principal, as a share of it
        (0.2 = principal + up to 20 %).
    drawn
        Money the project draws, by year (must sum to the principal). Nothing is repaid
        before it is lent: ``frame_cut`` takes back at most what has been drawn so far, and
        the schedule ``due`` may not run ahead of the drawing. Default: all lent up front.

    Returns
    -------
    xarray.Dataset
        ``repaid`` and ``budget_cut`` per year; ``outstanding`` per year; ``principal``;
        ``shortfall`` (unpaid by the last instalment), ``shortfall_by_horizon``,
        ``repaid_share`` (of the principal, at most 1); ``gain`` (paid above the principal);
        booleans ``full_on_schedule`` and ``full_by_horizon``; ``repayment_year`` (year the
        principal is fully back, NaN if never).

    Raises
    ------
    SimpactError
        Unknown rule, savings without a ``year`` dim or with NaN, an instalment outside the
        years or beyond the horizon, a negative instalment or cap, a schedule that repays
        money before it is drawn.

    Examples
    --------
    >>> s = xr.DataArray([0.0, 1e6, 1e6, 1e6], dims="year", coords={"year": [1, 2, 3, 4]})
    >>> r = repay(s, due={3: 1.5e6, 4: 1.5e6})
    >>> r["repaid"].values.tolist(), bool(r["full_on_schedule"])
    ([0.0, 0.0, 1500000.0, 1500000.0], True)
    >>> repay(s, due={3: 1.5e6, 4: 1.5e6}, rule="frame_cut")["repaid"].values.tolist()
    [0.0, 1000000.0, 1000000.0, 1000000.0]
    """
    check_rule(rule)
    _check_savings(savings)
    if cap < 0:
        raise SimpactError(f"the return cap cannot be negative, got {cap}", field="cap")
    years = savings["year"].to_numpy()
    horizon = int(years.max()) if horizon is None else int(horizon)
    if horizon > years.max():
        raise SimpactError(
            f"horizon {horizon} is beyond the last year of savings ({years.max()})", field="horizon"
        )
    for year, amount in due.items():
        if year not in years or year > horizon:
            raise SimpactError(
                f"instalment in year {year} lies outside years {years.min()}–{horizon}", field="due"
            )
        if not amount >= 0:
            raise SimpactError(f"instalment in year {year} is negative ({amount})", field="due")

    within = savings.sel(year=savings["year"] <= horizon).drop_vars(
        "calendar_year", errors="ignore"
    )
    s = within.transpose(..., "year").astype(float)
    due_v = np.array([float(due.get(int(y), 0.0)) for y in s["year"].to_numpy()])
    principal = float(due_v.sum())
    lent = _lent(drawn, s["year"].to_numpy(), principal, due_v)
    repaid_v, cut_v = RULES[rule](s.to_numpy(), due_v, Terms(float(cap), lent))
    last_due = max((y for y, a in due.items() if a > 0), default=int(years.min()))
    tol = 1e-6 * max(principal, 1.0)

    repaid = s.copy(data=repaid_v)
    cum = repaid.cumsum("year")
    covered = cum + tol >= principal
    back = np.minimum(cum.isel(year=-1), principal)
    out = xr.Dataset(
        {
            "repaid": repaid,
            "budget_cut": s.copy(data=cut_v),
            "principal": principal,
            "due": ("year", due_v),
            "shortfall": np.maximum(principal - cum.sel(year=last_due), 0.0),
            "shortfall_by_horizon": principal - back,
            "repaid_share": back / principal if principal else xr.ones_like(back),
            "gain": cum.isel(year=-1) - back,
            "full_on_schedule": principal - cum.sel(year=last_due) <= tol,
            "full_by_horizon": principal - cum.isel(year=-1) <= tol,
            "repayment_year": covered.idxmax("year").where(covered.any("year")),
        }
    )
    # after the horizon nothing more is repaid: extend the per-year ledger over all years
    out = out.reindex(year=years)
    for name in ("repaid", "budget_cut", "due"):
        out[name] = out[name].fillna(0.0)
    out["outstanding"] = np.maximum(principal - out["repaid"].cumsum("year"), 0.0)
    if "calendar_year" in savings.coords:
        out = out.assign_coords(calendar_year=savings["calendar_year"])
    units = savings.attrs.get("units", "SEK")
    for name in (
        "repaid",
        "budget_cut",
        "outstanding",
        "principal",
        "due",
        "shortfall",
        "shortfall_by_horizon",
        "gain",
    ):
        out[name].attrs["units"] = units
    for name in ("repaid_share", "full_on_schedule", "full_by_horizon"):
        out[name].attrs["units"] = "1"
    out["repayment_year"].attrs["units"] = "project year"
    out.attrs.update(rule=rule, horizon=horizon, last_instalment_year=last_due)
    if rule == "capped_return":
        out.attrs["cap"] = float(cap)
    return out


def _lent(
    drawn: Mapping[int, float] | None, years: np.ndarray, principal: float, due: np.ndarray
) -> np.ndarray:
    """Cumulative money lent by each year, checked against the principal and the schedule."""
    if drawn is None:
        return np.full(len(years), principal)
    if any(not a >= 0 for a in drawn.values()):
        raise SimpactError("money drawn cannot be negative", field="drawn")
    tol = 1e-6 * max(principal, 1.0)
    if abs(sum(drawn.values()) - principal) > tol:
        raise SimpactError(
            f"the instalments sum to {principal:,.0f} but {sum(drawn.values()):,.0f} is drawn",
            field="due",
        )
    lent = np.cumsum([float(drawn.get(int(y), 0.0)) for y in years])
    lent = lent + sum(a for y, a in drawn.items() if y < years.min())
    ahead = np.cumsum(due) > lent + tol
    if ahead.any():
        raise SimpactError(
            f"the schedule repays money before it is drawn (year {int(years[ahead.argmax()])})",
            field="due",
        )
    return lent


def compare(
    savings: xr.DataArray,
    *,
    due: Mapping[int, float],
    rules: Sequence[str] = tuple(RULES),
    horizon: int | None = None,
    cap: float = 0.2,
    drawn: Mapping[int, float] | None = None,
) -> xr.Dataset:
    """Run several repayment rules on the same savings draws, side by side (dim ``scenario``).

    Because every rule sees the same joint draws, differences between rules are not Monte Carlo
    noise; the result feeds :func:`simpact.decision.prob_best` and the summaries directly.

    Examples
    --------
    >>> s = xr.DataArray([0.0, 1e6, 1e6, 1e6], dims="year", coords={"year": [1, 2, 3, 4]})
    >>> c = compare(s, due={4: 4e6}, rules=["from_savings", "strict"])
    >>> c["budget_cut"].sum("year").values.tolist()
    [0.0, 1000000.0]
    """
    if not rules:
        raise SimpactError("name at least one repayment rule to compare", field="rules")
    ledgers = [
        repay(savings, due=due, rule=r, horizon=horizon, cap=cap, drawn=drawn) for r in rules
    ]
    out = xr.concat(ledgers, dim="scenario", combine_attrs="drop_conflicts")
    out = out.assign_coords(scenario=list(rules))
    out.attrs.pop("rule", None)
    out.attrs["rules"] = list(rules)
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
    savings = _repaying_savings(cf, fund.repaying_actors)
    ledger = repay(
        savings,
        due=_due(fund),
        rule=fund.rule,
        horizon=horizon or fund.horizon,
        cap=fund.return_cap,
        drawn=fund.fund_part,
    )
    levels = library.actors()
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


def _due(fund: Fund) -> dict[int, float]:
    principal = sum(fund.fund_part.values())
    return {year: share * principal for year, share in fund.repayment.items()}


def _repaying_savings(cf: xr.Dataset, actors: Sequence[str]) -> xr.DataArray:
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
    return compare(
        _repaying_savings(cf, fund.repaying_actors),
        due=_due(fund),
        rules=rules,
        horizon=horizon or fund.horizon,
        cap=fund.return_cap,
        drawn=fund.fund_part,
    )


# --------------------------------------------------------------------------- the portfolio


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
        _check_savings(self.savings, f"{at}.savings")
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
            savings=_repaying_savings(cf, fund.repaying_actors),
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
