"""Repayment rules: how a fund-part principal is repaid from an administration's savings.

:func:`repay` works on any ``xarray.DataArray`` of savings with a ``year`` dim (plus any sample
dims), so draws from elsewhere can be plugged in. :data:`RULES` holds the repayment rules a
municipality can choose; :func:`compare` runs them side by side (dim ``scenario``).

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
from dataclasses import dataclass

import numpy as np
import xarray as xr

from simpact.base import plugins
from simpact.base.errors import SimpactError


@dataclass(frozen=True)
class Terms:
    """What a rule may need besides savings and the schedule.

    ``cap``: ``capped_return``'s most paid above the principal (share of it); ``lent``: the
    money drawn so far, per year (``frame_cut`` never takes back more than has been lent).
    """

    cap: float
    lent: np.ndarray


Rule = Callable[[np.ndarray, np.ndarray, Terms], tuple[np.ndarray, np.ndarray]]


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


def check_savings(savings: xr.DataArray, name: str = "savings") -> None:
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
    horizon = _check_terms(savings, due, rule, horizon, cap)
    years = savings["year"].to_numpy()
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
    _label(out, savings.attrs.get("units", "SEK"))
    out.attrs.update(rule=rule, horizon=horizon, last_instalment_year=last_due)
    if rule == "capped_return":
        out.attrs["cap"] = float(cap)
    return out


def _check_terms(
    savings: xr.DataArray, due: Mapping[int, float], rule: str, horizon: int | None, cap: float
) -> int:
    """:func:`repay`'s arguments checked; returns the horizon (default the last year)."""
    check_rule(rule)
    check_savings(savings)
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
    return horizon


_SHARES = ("repaid_share", "full_on_schedule", "full_by_horizon")


def _label(out: xr.Dataset, units: str) -> None:
    """Units of a ledger: money in the savings' units, shares and flags ``1``, a year."""
    for name in out.data_vars:
        out[name].attrs["units"] = "1" if name in _SHARES else units
    out["repayment_year"].attrs["units"] = "project year"


@dataclass(frozen=True)
class FundTerms:
    """A fund part's repayment terms, built once (from a spec: ``spec.fund.terms(horizon)``).

    Every fund path (:func:`simpact.fund.apply_fund`, :func:`simpact.fund.compare_rules`,
    :func:`simpact.simulation.simulate_summary`, :mod:`simpact.scale`, a portfolio project)
    repays through :meth:`repay`, so they agree draw by draw.

    Attributes
    ----------
    due
        Instalments by project year, SEK (their sum is the principal).
    drawn
        Money the project draws, by project year (nothing is repaid before it is lent).
    rule
        A key of :data:`RULES`.
    cap
        ``capped_return``'s most paid above the principal, as a share of it.
    horizon
        Last year arrears can be repaid (``None``: the last year of the savings).

    Examples
    --------
    >>> t = FundTerms(due={3: 1.5e6, 4: 1.5e6}, drawn={1: 3e6}, rule="frame_cut")
    >>> s = xr.DataArray([0.0, 1e6, 1e6, 1e6], dims="year", coords={"year": [1, 2, 3, 4]})
    >>> t.repay(s)["repaid"].values.tolist(), t.principal
    ([0.0, 1000000.0, 1000000.0, 1000000.0], 3000000.0)
    """

    due: Mapping[int, float]
    drawn: Mapping[int, float] | None = None
    rule: str = "from_savings"
    cap: float = 0.2
    horizon: int | None = None

    @property
    def principal(self) -> float:
        """The sum of the instalments."""
        return float(sum(self.due.values()))

    def repay(self, savings: xr.DataArray) -> xr.Dataset:
        """:func:`repay` of ``savings`` under these terms."""
        return repay(
            savings,
            due=self.due,
            rule=self.rule,
            horizon=self.horizon,
            cap=self.cap,
            drawn=self.drawn,
        )

    def compare(self, savings: xr.DataArray, rules: Sequence[str] = tuple(RULES)) -> xr.Dataset:
        """:func:`compare`: ``rules`` side by side on ``savings``, under these terms otherwise."""
        return compare(
            savings, due=self.due, rules=rules, horizon=self.horizon, cap=self.cap, drawn=self.drawn
        )


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
