"""The decision summary: the numbers a decision paper cites, from one simulation's joint draws.

Every number is a summary of the same joint Monte Carlo draws, and each row of the table says
which kind it is (``kind``, see :mod:`.rows`): a quantity's mean with the P5–P95 interval of
its draws (``"posterior"``, the bounds carrying their own quantile MCSE ``mcse_lower`` and
``mcse_upper``); a probability with its Monte Carlo standard error (MCSE, from ArviZ,
accounting for the autocorrelation of MCMC draws) and 90 % Monte Carlo interval
(``"monte_carlo"``); or a plain number (``"value"``: EVPI, EVPPI).

:func:`summarize` builds the table from small groups of rows (:func:`effect_rows`,
:func:`npv_rows`, :func:`fund_rows`, :func:`payback_rows`, :func:`bcr_rows`,
:func:`breakeven_rows`, :func:`voi_rows`) and writes the sentences with
:func:`simpact.decision.sentences.sentences`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import xarray as xr

from simpact.base import i18n, scales
from simpact.base.errors import SimpactError
from simpact.decision.metrics import breakeven, npv, payback_year
from simpact.decision.rows import (
    MONTE_CARLO,
    Rows,
    expectation_row,
    probability_row,
    quantity_row,
    table_of,
    undefined_row,
    value_row,
    year_row,
)
from simpact.decision.sensitivity import beyond_noise, tornado
from simpact.decision.sentences import sentences
from simpact.decision.voi import evpi, evppi, go_no_go, parameters, sample_dims


@dataclass(frozen=True)
class Summary:
    """What a decision paper cites.

    Attributes
    ----------
    table
        One row per (metric, scope): ``mean``, ``lower``, ``upper``, ``kind``, ``mcse`` (of the
        mean or probability), ``mcse_lower`` and ``mcse_upper`` (quantile MCSE of the interval
        bounds of quantities), ``units`` and ``median`` with ``mcse_median`` (payback and
        repayment years; NaN unless the event happens in more than half of the draws).
        ``kind`` says what ``lower``/``upper`` are: ``"posterior"`` (a quantity: the P5–P95
        interval of the draws), ``"monte_carlo"`` (a probability: its 90 % Monte Carlo
        interval, mean ± z · MCSE) or ``"value"`` (a plain number such as EVPI: no interval).
    text
        Citation-ready sentences in ``lang``.
    draws
        The per-draw quantities behind the table (``npv`` by actor and total, ``payback_year``
        total and ``payback_year_actor``, repayment indicators, ``repayment_year``), for
        figures that must show the same numbers.
    analysis
        The sensitivity of the total NPV, saved as the results tree's ``decision`` group:
        ``tornado`` (parameter, bound = low/high: the mean total NPV among draws with the
        input in its lowest / highest tenth; only inputs whose swing exceeds twice its Monte
        Carlo error, :func:`~simpact.decision.sensitivity.beyond_noise`; attr
        ``tornado_base``), and with ``voi``
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

        ``n · (mcse / target)²`` for the least precise ``"monte_carlo"`` row (optionally only
        rows of ``metrics``); pass it as ``draws=`` to :func:`simpact.simulate` to reach the
        target.

        Examples
        --------
        >>> index = pd.MultiIndex.from_tuples([("p", "total")], names=["metric", "scope"])
        >>> t = pd.DataFrame({"kind": ["monte_carlo"], "mcse": [0.01]}, index=index)
        >>> Summary(t, [], xr.Dataset(coords={"draw": np.arange(1000)})).draws_needed(0.005)
        4000
        """
        if not target > 0:
            raise SimpactError(f"target precision must be > 0, got {target}", field="target")
        rows = self.table[self.table["kind"] == MONTE_CARLO]
        if metrics is not None:
            rows = rows[rows.index.get_level_values("metric").isin(list(metrics))]
        n = int(np.prod([self.draws.sizes[d] for d in sample_dims(self.draws, "draws")]))
        worst = float(np.nanmax(rows["mcse"].to_numpy(), initial=0.0))
        return max(int(np.ceil(n * (worst / target) ** 2)), 1)


def uncertain_inputs(sim: xr.DataTree) -> xr.Dataset:
    """Every uncertain input of a simulation, one variable per input: the ``inputs`` group plus,
    when the effect comes from a fit, its draw (``effect``, the improvement per person reached).

    This is what EVPPI, :func:`tornado` and :func:`sobol_first` take as parameters; every
    variable shares the sample dims of the cash flows (one joint draw per iteration). Without a
    fit (every outcome's effect from its ``effect_prior``) the inputs' own ``effect`` (the
    priors' draws per outcome) is the effect; with a fit and some ``effect_prior`` outcomes, the
    priors' draws are kept as ``effect_prior``.

    Examples
    --------
    >>> # tornado(npv(sim["cashflows"]["present_value"]).sum("actor"), uncertain_inputs(sim))
    """
    inputs = sim["inputs"].to_dataset() if "inputs" in sim.children else xr.Dataset()
    effects = sim["effects"] if "effects" in sim.children else None
    if effects is None or "reduction" not in effects.data_vars:  # no fit: nothing to add
        return inputs
    if "effect" in inputs.data_vars:
        inputs = inputs.rename_vars(effect="effect_prior")
    return inputs.assign(effect=effects["reduction"])


def effect_rows(effects: xr.Dataset) -> Rows:
    """The fit's headline effect, ``("effect_<scale>", "treated")``, for the first scale of
    :data:`simpact.base.scales.HEADLINE` the simulation read (none without a fit)."""
    scale = scales.headline(effects.data_vars)
    if scale is None:
        return {}
    return {(f"effect_{scale}", "treated"): quantity_row(effects[scale], "1")}


def npv_rows(by_actor: xr.DataArray, total: xr.DataArray) -> Rows:
    """``npv`` and ``p_npv_positive`` per actor and ``total``."""
    actors = [str(a) for a in by_actor["actor"].to_numpy()]
    units = total.attrs["units"]
    rows = {("npv", a): quantity_row(by_actor.sel(actor=a), units) for a in actors}
    rows[("npv", "total")] = quantity_row(total, units)
    for a in actors:
        rows[("p_npv_positive", a)] = probability_row(by_actor.sel(actor=a) > 0)
    rows[("p_npv_positive", "total")] = probability_row(total > 0)
    return rows


def fund_rows(fund: xr.Dataset, units: str) -> Rows:
    """The fund's repayment: ``p_full_on_schedule``, ``p_full_by_horizon``,
    ``expected_shortfall``, ``shortfall_given_short`` (0 if never short), ``repaid_share``,
    ``repayment_year`` and ``p_repaid_by_year`` (scope: the year, from the year before the last
    instalment)."""
    short = fund["shortfall"].where(~fund["full_on_schedule"])
    if not short.notnull().any():  # never short: nothing is missing when short
        short = xr.zeros_like(fund["shortfall"])
    rows = {
        ("p_full_on_schedule", "fund"): probability_row(fund["full_on_schedule"]),
        ("p_full_by_horizon", "fund"): probability_row(fund["full_by_horizon"]),
        ("expected_shortfall", "fund"): expectation_row(fund["shortfall"], units),
        ("shortfall_given_short", "fund"): quantity_row(short, units),
        ("repaid_share", "fund"): quantity_row(fund["repaid_share"], "1"),
        ("repayment_year", "fund"): year_row(fund["repayment_year"], "project year"),
    }
    first = int(fund.attrs["last_instalment_year"]) - 1
    for year in fund["year"].to_numpy():
        if year >= first:
            by = fund["repayment_year"] <= year  # NaN (never) compares False
            rows[("p_repaid_by_year", str(int(year)))] = probability_row(by)
    return rows


def payback_rows(payback: xr.DataArray, payback_actor: xr.DataArray, pv: xr.DataArray) -> Rows:
    """``payback_year`` for the total and per actor (undefined, NaN, for an actor with no cash
    flows). The probability that it pays back within the horizon at all is
    ``p_npv_positive`` (the cumulative net benefit at the horizon is the NPV), so it is not a
    row of its own."""
    rows = {("payback_year", "total"): year_row(payback, "project year")}
    for actor in payback_actor["actor"].to_numpy():
        year = payback_actor.sel(actor=actor).where(has_flows(pv.sel(actor=actor)))
        rows[("payback_year", str(actor))] = year_row(year, "project year")
    return rows


def has_flows(pv: xr.DataArray) -> bool:
    """Whether an actor has any cash flow in any draw (else payback and break-even are
    undefined for it)."""
    return bool((pv != 0).any())


def bcr_rows(cf: xr.Dataset) -> Rows:
    """``bcr`` (discounted savings over discounted costs) for each actor, and the total, whose
    costs are positive in every draw."""
    benefit = (cf["savings"] * cf["discount_factor"]).sum("year")
    cost = (cf["costs"] * cf["discount_factor"]).sum("year")
    rows = {}
    for actor in cf["actor"].to_numpy():
        if bool((cost.sel(actor=actor) > 0).all()):
            ratio = benefit.sel(actor=actor) / cost.sel(actor=actor)
            rows[("bcr", str(actor))] = quantity_row(ratio, "SEK/SEK")
    if bool((cost.sum("actor") > 0).all()):
        rows[("bcr", "total")] = quantity_row(benefit.sum("actor") / cost.sum("actor"), "SEK/SEK")
    return rows


def breakeven_rows(pv: xr.DataArray) -> Rows:
    """``p_breakeven_4y`` (break-even within the electoral period) per actor and ``total``."""
    rows = {
        ("p_breakeven_4y", str(a)): probability_row(breakeven(pv.sel(actor=a)))
        if has_flows(pv.sel(actor=a))
        else undefined_row("1")
        for a in pv["actor"].to_numpy()
    }
    rows[("p_breakeven_4y", "total")] = probability_row(breakeven(pv.sum("actor")))
    return rows


def uncertain_parameters(sim: xr.DataTree) -> xr.DataArray | None:
    """:func:`uncertain_inputs` as parameter columns, or ``None`` if none varies."""
    try:
        return parameters(uncertain_inputs(sim))
    except SimpactError:  # nothing uncertain besides the fixed inputs
        return None


def voi_rows(total: xr.DataArray, params: xr.DataArray | None) -> Rows:
    """EVPI and EVPPI per input group of the go / no-go decision (total NPV against 0)."""
    nb = go_no_go(total)
    units = nb.attrs["units"]
    rows = {("evpi", "total"): value_row(float(evpi(nb)), units)}
    if params is None:  # nothing uncertain besides fixed inputs: no partial value to report
        return rows
    for group, value in evppi(nb, params).to_series().items():
        rows[("evppi", str(group))] = value_row(float(value), units)
    return rows


def analysis(total: xr.DataArray, params: xr.DataArray | None, table: pd.DataFrame) -> xr.Dataset:
    """Tornado of the total NPV over the uncertain inputs, and the table's EVPI / EVPPI rows."""
    units = total.attrs["units"]
    out = xr.Dataset(attrs={"tornado_base": float(total.mean()), "units": units})
    if params is not None:
        t = beyond_noise(tornado(total, params))
        out.attrs["tornado_method"] = "conditional means, swing beyond 2 Monte Carlo errors"
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


def summarize(sim: xr.DataTree, *, lang: str = "en", voi: bool = True) -> Summary:
    """Summarise a simulation (cash flows + fund) into the numbers a decision paper cites.

    Parameters
    ----------
    sim
        The tree from :func:`simpact.simulate` (groups ``effects``, ``inputs``, ``cashflows``,
        ``fund``), with or without a fit.
    lang
        ``"en"`` or ``"sv"`` for the sentences in ``text``.
    voi
        Add the value of information of the go / no-go decision (invest vs do nothing):
        ``("evpi", "total")`` and ``("evppi", <input group>)``.

    Returns
    -------
    Summary
        ``table`` (DataFrame indexed by metric and scope), ``text`` and ``draws``. Rows:
        ``effect_<scale>`` for the fit's headline effect scale (the first of
        :data:`simpact.base.scales.HEADLINE` the simulation read: ``effect_risk_difference``,
        ``effect_rate_ratio``, ``effect_mean_difference`` ...; none without a fit); ``npv``,
        ``p_npv_positive`` per actor and ``total`` (:func:`npv_rows`); the fund's
        :func:`fund_rows`; ``payback_year`` (:func:`payback_rows`); ``bcr``
        (actors with costs, and total); ``p_breakeven_4y``; ``evpi`` / ``evppi`` (if ``voi``).
    """
    i18n.check_lang(lang)
    cf = sim["cashflows"].to_dataset()
    fund = sim["fund"].to_dataset()
    pv = cf["present_value"]
    by_actor = npv(pv)
    total = by_actor.sum("actor").assign_attrs(units=pv.attrs["units"])
    payback, payback_actor = payback_year(pv.sum("actor")), payback_year(pv)
    params = uncertain_parameters(sim)

    rows = effect_rows(sim["effects"].to_dataset())
    rows |= npv_rows(by_actor, total)
    rows |= fund_rows(fund, total.attrs["units"])
    rows |= payback_rows(payback, payback_actor, pv)
    rows |= bcr_rows(cf)
    rows |= breakeven_rows(pv)
    if voi:
        rows |= voi_rows(total, params)
    table = table_of(rows)
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
        text=sentences(sim, table, lang),
        draws=draws,
        lang=lang,
        analysis=analysis(total, params, table),
    )
