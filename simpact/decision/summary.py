"""The decision summary: the numbers a decision paper cites, from one simulation's joint draws.

Every number is a summary of the same joint Monte Carlo draws: a mean with its 90 % interval
(P5–P95 of the draws), and for probabilities the Monte Carlo standard error (MCSE, from ArviZ,
accounting for the autocorrelation of MCMC draws) with a 90 % Monte Carlo interval; the interval
bounds of quantities carry their own quantile MCSE (``mcse_lower``, ``mcse_upper``).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import xarray as xr

from simpact.base import i18n
from simpact.base.constants import CI_PROB
from simpact.base.errors import SimpactError
from simpact.decision.metrics import Z_90, mcse, mcse_quantile, npv, payback_year, probability
from simpact.decision.sensitivity import tornado
from simpact.decision.voi import evpi, evppi, evsi, parameters, sample_dims

BREAKEVEN_YEARS = 4
"""The Swedish electoral period: break-even within it is Nilsson & Wadeskog's test."""

EFFECT_ROWS = ("risk_difference", "risk_ratio", "rate_ratio", "mean_difference")
"""Effect scales in order of preference: the summary reports the first one the simulation read
from the fit as its ``effect_<scale>`` row and headline sentence (a binary DiD gives
``risk_difference``, a count series ``rate_ratio``, a score ``mean_difference``)."""


@dataclass(frozen=True)
class Summary:
    """What a decision paper cites.

    Attributes
    ----------
    table
        One row per (metric, scope): ``mean``, ``lower``, ``upper`` (90 % interval),
        ``interval`` (which kind), ``mcse`` (of the mean or probability), ``mcse_lower`` and
        ``mcse_upper`` (quantile MCSE of the interval bounds of quantities), ``units`` and
        ``median`` with ``mcse_median`` (payback and repayment years; NaN unless the event
        happens in more than half of the draws).
    text
        Citation-ready sentences in ``lang``.
    draws
        The per-draw quantities behind the table (``npv`` by actor and total, ``payback_year``
        total and ``payback_year_actor``, repayment indicators, ``repayment_year``), for
        figures that must show the same numbers.
    analysis
        The sensitivity of the total NPV, saved as the results tree's ``decision`` group:
        ``tornado`` (parameter, bound = low/high; attr ``tornado_base``), and with ``voi``
        ``evpi`` and ``evppi`` (per input group), the same numbers as the table's rows.
    """

    table: pd.DataFrame
    text: list[str]
    draws: xr.Dataset
    lang: str = "en"
    analysis: xr.Dataset = field(default_factory=xr.Dataset)

    def __str__(self) -> str:
        return "\n".join(self.text)

    def value(self, metric: str, scope: str = "total", column: str = "mean") -> float:
        """One number from the table."""
        return float(self.table.loc[(metric, scope), column])

    def draws_needed(self, target: float, *, metrics: Sequence[str] | None = None) -> int:
        """Monte Carlo draws needed for every probability in the table to have MCSE <= ``target``.

        ``n · (mcse / target)²`` for the least precise probability row (optionally only rows
        of ``metrics``); pass it as ``draws=`` to :func:`simpact.simulate` to reach the target.

        Examples
        --------
        >>> index = pd.MultiIndex.from_tuples([("p", "total")], names=["metric", "scope"])
        >>> t = pd.DataFrame({"interval": ["Monte Carlo 90 %"], "mcse": [0.01]}, index=index)
        >>> Summary(t, [], xr.Dataset(coords={"draw": np.arange(1000)})).draws_needed(0.005)
        4000
        """
        if not target > 0:
            raise SimpactError(f"target precision must be > 0, got {target}", field="target")
        rows = self.table[self.table["interval"] == _MC_INTERVAL]
        if metrics is not None:
            rows = rows[rows.index.get_level_values("metric").isin(list(metrics))]
        n = int(np.prod([self.draws.sizes[d] for d in sample_dims(self.draws, "draws")]))
        worst = float(np.nanmax(rows["mcse"].to_numpy(), initial=0.0))
        return max(int(np.ceil(n * (worst / target) ** 2)), 1)


_MC_INTERVAL = "Monte Carlo 90 %"


def _row(draws: xr.DataArray, units: str, *, kind: str = "quantity") -> dict:
    if kind == "probability":
        p, se = probability(draws)
        return {
            "mean": p,
            "lower": max(0.0, p - Z_90 * se),
            "upper": min(1.0, p + Z_90 * se),
            "interval": _MC_INTERVAL,
            "mcse": se,
            "units": "1",
        }
    valid = draws.where(np.isfinite(draws))
    probs = [(1 - CI_PROB) / 2, (1 + CI_PROB) / 2]
    if not valid.notnull().any():
        return {
            "mean": np.nan,
            "lower": np.nan,
            "upper": np.nan,
            "interval": "P5–P95",
            "mcse": np.nan,
            "units": units,
        }
    lower, upper = np.nanquantile(valid, probs)
    complete = bool(valid.notnull().all())
    return {
        "mean": float(valid.mean()),
        "lower": float(lower),
        "upper": float(upper),
        "interval": "P5–P95",
        "mcse": float(mcse(valid)) if complete else np.nan,
        "mcse_lower": float(mcse_quantile(valid, probs[0])) if complete else np.nan,
        "mcse_upper": float(mcse_quantile(valid, probs[1])) if complete else np.nan,
        "units": units,
    }


def _median_row(draws: xr.DataArray, units: str) -> dict:
    """A year row: ``mean`` and interval among draws where it happens; ``median`` over all draws
    (a draw where it never happens counts as later than every year), with its quantile MCSE."""
    row = _row(draws, units)
    row["median"] = row["mcse_median"] = np.nan
    if float(draws.notnull().mean()) > 0.5:
        later = draws.fillna(float(draws.max()) + 1.0)
        row["median"] = float(later.median())
        row["mcse_median"] = float(mcse_quantile(later, 0.5))
    return row


def _breakeven(present_value: xr.DataArray, years: int = BREAKEVEN_YEARS) -> xr.DataArray:
    """Cumulative discounted net benefit >= 0 at the end of ``years`` (an electoral period)."""
    cum = present_value.sel(year=present_value["year"] <= years).sum("year")
    return cum >= 0


def uncertain_inputs(sim: xr.DataTree) -> xr.Dataset:
    """Every uncertain input of a simulation, one variable per input: the ``inputs`` group plus
    the effect draw (``effect``, the fall in risk per person reached).

    This is what EVPPI, :func:`tornado` and :func:`sobol_first` take as parameters; every
    variable shares the sample dims of the cash flows (one joint draw per iteration).

    Examples
    --------
    >>> # tornado(npv(sim["cashflows"]["present_value"]).sum("actor"), uncertain_inputs(sim))
    """
    inputs = sim["inputs"].to_dataset() if "inputs" in sim.children else xr.Dataset()
    return inputs.assign(effect=sim["effects"]["reduction"])


def _voi_rows(total: xr.DataArray, params: xr.DataArray | None, units: str) -> dict:
    """EVPI and EVPPI per input group of the go / no-go decision (total NPV against 0)."""
    nb = (
        xr.concat([total, xr.zeros_like(total)], "scenario")
        .assign_coords(scenario=["invest", "do_nothing"])
        .assign_attrs(units=units)
    )
    rows = {("evpi", "total"): _plain(float(evpi(nb)), units)}
    if params is None:  # nothing uncertain besides fixed inputs: no partial value to report
        return rows
    for group, value in evppi(nb, params).to_series().items():
        rows[("evppi", str(group))] = _plain(float(value), units)
    return rows


def _plain(value: float, units: str) -> dict:
    return {
        "mean": value,
        "lower": np.nan,
        "upper": np.nan,
        "interval": "–",
        "mcse": np.nan,
        "units": units,
    }


def summarize(sim: xr.DataTree, *, lang: str = "en", voi: bool = True) -> Summary:
    """Summarise a simulation (cash flows + fund) into the numbers a decision paper cites.

    Parameters
    ----------
    sim
        The tree from :func:`simpact.simulate` (groups ``effects``, ``inputs``, ``cashflows``,
        ``fund``).
    lang
        ``"en"`` or ``"sv"`` for the sentences in ``text``.
    voi
        Add the value of information of the go / no-go decision (invest vs do nothing):
        ``("evpi", "total")`` and ``("evppi", <input group>)``.

    Returns
    -------
    Summary
        ``table`` (DataFrame indexed by metric and scope), ``text`` and ``draws``. Rows:
        ``npv``, ``p_npv_positive``, ``bcr`` (actors with costs, and total),
        ``p_breakeven_4y``, ``payback_year``, ``p_payback`` per actor and ``total``; the fund's
        ``p_full_on_schedule``, ``p_full_by_horizon``, ``expected_shortfall``,
        ``shortfall_given_short``, ``repaid_share``, ``repayment_year`` and its distribution
        ``p_repaid_by_year`` (scope: the year, from the year before the last instalment);
        ``effect_<scale>`` for the fit's headline effect scale (the first of
        :data:`EFFECT_ROWS` the simulation read: ``effect_risk_difference``,
        ``effect_rate_ratio``, ``effect_mean_difference`` ...);
        ``evpi`` / ``evppi`` (if ``voi``).
    """
    i18n.check_lang(lang)
    cf = sim["cashflows"].to_dataset()
    fund = sim["fund"].to_dataset()
    effects = sim["effects"].to_dataset()
    units = cf["present_value"].attrs["units"]
    actors = [str(a) for a in cf["actor"].to_numpy()]

    pv = cf["present_value"]
    by_actor = npv(pv)
    total = by_actor.sum("actor")
    payback = payback_year(pv.sum("actor"))
    payback_actor = payback_year(pv)
    pv_benefit = (cf["savings"] * cf["discount_factor"]).sum("year")
    pv_cost = (cf["costs"] * cf["discount_factor"]).sum("year")
    rows: dict[tuple[str, str], dict] = {}
    scale = next((k for k in EFFECT_ROWS if k in effects), None)
    if scale is not None:  # the headline effect scale of the fit
        rows[(f"effect_{scale}", "treated")] = _row(effects[scale], "1")
    for actor in actors:
        rows[("npv", actor)] = _row(by_actor.sel(actor=actor), units)
    rows[("npv", "total")] = _row(total, units)
    for actor in actors:
        rows[("p_npv_positive", actor)] = _row(
            by_actor.sel(actor=actor) > 0, "1", kind="probability"
        )
    rows[("p_npv_positive", "total")] = _row(total > 0, "1", kind="probability")
    rows[("p_full_on_schedule", "fund")] = _row(fund["full_on_schedule"], "1", kind="probability")
    rows[("p_full_by_horizon", "fund")] = _row(fund["full_by_horizon"], "1", kind="probability")
    rows[("expected_shortfall", "fund")] = _row(fund["shortfall"], units)
    short = fund["shortfall"].where(~fund["full_on_schedule"])
    rows[("shortfall_given_short", "fund")] = (
        _row(short, units)
        if short.notnull().any()
        else {
            "mean": 0.0,
            "lower": 0.0,
            "upper": 0.0,
            "interval": "P5–P95",
            "mcse": 0.0,
            "units": units,
        }
    )
    rows[("repaid_share", "fund")] = _row(fund["repaid_share"], "1")
    rows[("repayment_year", "fund")] = _median_row(fund["repayment_year"], "project year")
    for year in fund["year"].to_numpy():
        if year >= int(fund.attrs["last_instalment_year"]) - 1:
            by = fund["repayment_year"] <= year  # NaN (never) compares False
            rows[("p_repaid_by_year", str(int(year)))] = _row(by, "1", kind="probability")
    rows[("p_payback", "total")] = _row(payback.notnull(), "1", kind="probability")
    rows[("payback_year", "total")] = _median_row(payback, "project year")
    for actor in actors:
        rows[("p_payback", actor)] = _row(
            payback_actor.sel(actor=actor).notnull(), "1", kind="probability"
        )
        rows[("payback_year", actor)] = _median_row(payback_actor.sel(actor=actor), "project year")
    for actor in actors:
        cost = pv_cost.sel(actor=actor)
        if bool((cost > 0).all()):
            rows[("bcr", actor)] = _row(pv_benefit.sel(actor=actor) / cost, "SEK/SEK")
    if bool((pv_cost.sum("actor") > 0).all()):
        rows[("bcr", "total")] = _row(pv_benefit.sum("actor") / pv_cost.sum("actor"), "SEK/SEK")
    for actor in actors:
        rows[("p_breakeven_4y", actor)] = _row(
            _breakeven(pv.sel(actor=actor)), "1", kind="probability"
        )
    rows[("p_breakeven_4y", "total")] = _row(_breakeven(pv.sum("actor")), "1", kind="probability")
    try:
        params = parameters(uncertain_inputs(sim))
    except SimpactError:  # nothing uncertain besides the fixed inputs
        params = None
    if voi:
        rows.update(_voi_rows(total, params, units))

    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index = pd.MultiIndex.from_tuples(table.index, names=["metric", "scope"])
    draws = xr.Dataset(
        {
            "npv": xr.concat([by_actor, total.expand_dims(actor=["total"])], "actor"),
            "payback_year": payback,
            "payback_year_actor": payback_actor,
            "full_on_schedule": fund["full_on_schedule"],
            "full_by_horizon": fund["full_by_horizon"],
            "shortfall": fund["shortfall"],
            "repaid_share": fund["repaid_share"],
            "repayment_year": fund["repayment_year"],
        }
    )
    return Summary(
        table=table,
        text=_sentences(sim, table, lang),
        draws=draws,
        lang=lang,
        analysis=_analysis(total, params, table, units),
    )


def _analysis(
    total: xr.DataArray, params: xr.DataArray | None, table: pd.DataFrame, units: str
) -> xr.Dataset:
    """Tornado of the total NPV over the uncertain inputs, and the table's EVPI / EVPPI rows."""
    out = xr.Dataset(attrs={"tornado_base": float(total.mean()), "units": units})
    t = None if params is None else tornado(total, params)
    if t is not None:
        out["tornado"] = (
            xr.concat([t["low"], t["high"]], "bound")
            .assign_coords(bound=["low", "high"])
            .transpose("parameter", "bound")
            .assign_attrs(units=units)
        )
    if ("evpi", "total") in table.index:
        out["evpi"] = xr.DataArray(table.loc[("evpi", "total"), "mean"], attrs={"units": units})
    if "evppi" in table.index.get_level_values("metric"):
        rows = table.xs("evppi", level="metric")["mean"]
        out["evppi"] = xr.DataArray(
            rows.to_numpy(),
            dims="group",
            coords={"group": rows.index.to_numpy().astype(str)},
            attrs={"units": units},
        )
    return out


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
    year by ``m`` years gives ``n = k·m``). By default ``sd_unit`` is that of a risk difference,
    ``sqrt(p1 (1 − p1) + p0 (1 − p0))`` at the posterior mean risks of the fit; see
    :func:`simpact.decision.voi.evsi` for the method.

    Returns
    -------
    xarray.Dataset
        ``evsi``, ``cost`` and ``enbs`` over ``n``; attrs ``best_n``, ``n0``, ``evppi_limit``.

    Examples
    --------
    >>> # followup_value(sim, n=[0, 50, 100, 400], cost_fixed=2e5, cost_per_unit=3e3)
    """
    total = npv(sim["cashflows"]["present_value"]).sum("actor")
    nb = xr.concat([total, xr.zeros_like(total)], "scenario").assign_coords(
        scenario=["invest", "do_nothing"]
    )
    if sd_unit is None:
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
        sd_unit = float(np.sqrt(p1 * (1 - p1) + p0 * (1 - p0)))
    out = evsi(
        nb.assign_attrs(units=total.attrs.get("units", "SEK")),
        sim["effects"]["reduction"],
        n=n,
        sd_unit=sd_unit,
        cost_fixed=cost_fixed,
        cost_per_unit=cost_per_unit,
    )
    out.attrs["sd_unit"] = sd_unit
    return out


def summarize_portfolio(pf: xr.Dataset) -> Summary:
    """Summarise a revolving fund from :func:`simpact.fund.portfolio`: solvency with bands.

    Rows (scope = fund year): ``balance`` (mean, P5–P95 band, quantile MCSE),
    ``p_capital_intact`` (nothing lost so far), ``p_cannot_pay`` (the fund has failed to pay a
    committed draw by then, so the board had to top it up), ``outstanding``; and for scope
    ``"fund"`` at the last year: ``written_off``, ``topup`` (total top-ups).

    Examples
    --------
    >>> from simpact import fund
    >>> s = xr.DataArray([[0, 0, 0, 0, 1e6, 1e6], [0] * 6], dims=("draw", "year"),
    ...                  coords={"year": np.arange(1, 7)})
    >>> pf = fund.portfolio([fund.Project("a", s, drawn={1: 2e6})], allocations={1: 2e6})
    >>> summarize_portfolio(pf).value("p_capital_intact", "6")
    0.5
    """
    units = pf["balance"].attrs.get("units", "SEK")
    rows: dict[tuple[str, str], dict] = {}
    for year in pf["year"].to_numpy():
        at = pf.sel(year=year)
        scope = str(int(year))
        rows[("balance", scope)] = _row(at["balance"], units)
        rows[("outstanding", scope)] = _row(at["outstanding"], units)
        rows[("p_capital_intact", scope)] = _row(at["capital_intact"], "1", kind="probability")
        rows[("p_cannot_pay", scope)] = _row(at["cannot_pay"], "1", kind="probability")
    last = pf.isel(year=-1)
    rows[("written_off", "fund")] = _row(last["written_off"], units)
    rows[("topup", "fund")] = _row(pf["topup"].sum("year"), units)
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index = pd.MultiIndex.from_tuples(table.index, names=["metric", "scope"])
    return Summary(table=table, text=[], draws=pf)


def _sentences(sim: xr.DataTree, table: pd.DataFrame, lang: str) -> list[str]:
    s = i18n.SENTENCES[lang]
    name = sim.attrs.get("intervention_name", "The intervention").split(" – ")[0]
    fund = sim["fund"]
    year = int(fund.attrs["last_instalment_year"])

    def get(metric: str, scope: str) -> pd.Series:
        return table.loc[(metric, scope)]

    effects = sim["effects"]
    label = json.loads(sim.attrs.get("spec", "{}") or "{}").get("effect", {}).get("label") or {}
    outcome = label.get(lang) or effects.attrs.get("outcome", "the outcome").replace("_", " ")
    npv_t, p_pos = get("npv", "total"), get("p_npv_positive", "total")
    repay, short = get("p_full_on_schedule", "fund"), get("expected_shortfall", "fund")
    pay, pay_year = get("p_payback", "total"), get("payback_year", "total")
    median = ""
    if not np.isnan(pay_year.get("median", np.nan)):
        median = s["payback_median"].format(year=int(pay_year["median"]))
    pp = lambda v: i18n.number(100 * v, lang, digits=1)  # noqa: E731
    out = []
    scale = next((k for k in EFFECT_ROWS if k in effects), None)
    if scale is not None:
        # the effect sentence for the first scale the simulation read; "better" is the sign
        # (or, for ratios, the side of 1) that means the bad outcome fell or the good one rose
        eff = get(f"effect_{scale}", "treated")
        shown = pp if scale == "risk_difference" else (lambda v: i18n.number(v, lang, digits=2))
        null = 1.0 if scale.endswith("ratio") else 0.0
        lower_is_better = effects.attrs.get("better", "lower") == "lower"
        draws = effects[scale]
        p_better = float(((draws < null) if lower_is_better else (draws > null)).mean())
        out.append(
            s[f"effect_{scale}"].format(
                name=name,
                outcome=outcome,
                rd=shown(eff["mean"]),
                lo=shown(eff["lower"]),
                hi=shown(eff["upper"]),
                p=i18n.percent(p_better, lang),
            )
        )
    out += [
        s["npv"].format(
            mean=i18n.msek(npv_t["mean"], lang),
            lo=i18n.msek(npv_t["lower"], lang),
            hi=i18n.msek(npv_t["upper"], lang),
            p=i18n.percent(p_pos["mean"], lang),
            mc=i18n.percent(p_pos["mcse"], lang, digits=1),
        ),
        s["repay"].format(
            name=name,
            year=year,
            p=i18n.percent(repay["mean"], lang),
            mc=i18n.percent(repay["mcse"], lang, digits=1),
        ),
        s["shortfall"].format(
            year=year,
            mean=i18n.msek(short["mean"], lang),
            principal=i18n.msek(float(fund["principal"]), lang),
            lo=i18n.msek(short["lower"], lang),
            hi=i18n.msek(short["upper"], lang),
        ),
        s["payback"].format(
            horizon=sim["cashflows"].sizes["year"], p=i18n.percent(pay["mean"], lang), median=median
        ),
    ]
    be = get("p_breakeven_4y", "total")
    out.append(
        s["breakeven"].format(
            years=BREAKEVEN_YEARS,
            p=i18n.percent(be["mean"], lang),
            mc=i18n.percent(be["mcse"], lang, digits=1),
        )
    )
    if ("evpi", "total") in table.index and "evppi" in table.index.get_level_values("metric"):
        evppi_rows = table.xs("evppi", level="metric")["mean"]
        group = str(evppi_rows.idxmax())
        out.append(
            s["voi"].format(
                evpi=i18n.msek(get("evpi", "total")["mean"], lang, digits=2),
                group=i18n.input_name(group, lang),
                evppi=i18n.msek(float(evppi_rows.max()), lang, digits=2),
            )
        )
    return out
