"""Decision summaries: NPV, P(NPV > 0), repayment, shortfall and payback, with honest error.

Every number is a summary of the same joint Monte Carlo draws: a mean with its 90 % interval
(P5–P95 of the draws), and for probabilities the Monte Carlo standard error (MCSE, from ArviZ,
accounting for the autocorrelation of MCMC draws) with a 90 % Monte Carlo interval.

The functions on plain arrays (:func:`npv`, :func:`payback_year`, :func:`probability`) work on any
``xarray.DataArray`` with the sample dims ``(chain, draw)``, so draws from elsewhere plug in.
"""

from __future__ import annotations

from dataclasses import dataclass

import arviz as az
import numpy as np
import pandas as pd
import xarray as xr
from scipy.stats import norm

from simpact import i18n

CI_PROB = 0.90
"""The one interval used everywhere: 90 % equal-tailed (P5–P95)."""
SAMPLE_DIMS = ("chain", "draw")
_Z = float(norm.ppf(0.5 + CI_PROB / 2))


def npv(present_value: xr.DataArray) -> xr.DataArray:
    """Net present value: discounted net cash flows summed over ``year``."""
    return present_value.sum("year").assign_attrs(units=present_value.attrs.get("units", "SEK"))


def payback_year(present_value: xr.DataArray) -> xr.DataArray:
    """First year from which cumulative discounted net benefit stays >= 0 (NaN if never).

    Examples
    --------
    >>> pv = xr.DataArray([[-3.0, 1.0, 1.0, 2.0]], dims=("draw", "year"),
    ...                   coords={"year": [1, 2, 3, 4]})
    >>> payback_year(pv).values.tolist()
    [4.0]
    """
    cum = present_value.cumsum("year")
    negative = cum < 0
    # years after the last negative cumulative value; never if the last year is negative
    last_negative = negative.cumsum("year").idxmax("year").where(negative.any("year"), 0)
    year = last_negative + 1
    return year.where(~negative.isel(year=-1)).astype(float).assign_attrs(units="project year")


def mcse(x: xr.DataArray) -> xr.DataArray:
    """Monte Carlo standard error of the mean of ``x`` over ``(chain, draw)``."""
    x = x.astype(float)
    if x.sizes["draw"] * x.sizes["chain"] < 4 or float(x.std()) == 0:
        return xr.zeros_like(x.isel(chain=0, draw=0, drop=True))
    return az.mcse(x, method="mean")


def probability(event: xr.DataArray) -> tuple[float, float]:
    """Share of draws where ``event`` holds, and its Monte Carlo standard error."""
    return float(event.mean(SAMPLE_DIMS)), float(mcse(event))


@dataclass(frozen=True)
class Summary:
    """What a decision paper cites.

    Attributes
    ----------
    table
        One row per (metric, scope): ``mean``, ``lower``, ``upper`` (90 % interval),
        ``interval`` (which kind), ``mcse`` and ``units``.
    text
        Citation-ready sentences in ``lang``.
    draws
        The per-draw quantities behind the table (``npv`` by actor and total, ``payback_year``,
        repayment indicators), for figures that must show the same numbers.
    """

    table: pd.DataFrame
    text: list[str]
    draws: xr.Dataset
    lang: str = "en"

    def __str__(self) -> str:
        return "\n".join(self.text)

    def value(self, metric: str, scope: str = "total", column: str = "mean") -> float:
        """One number from the table."""
        return float(self.table.loc[(metric, scope), column])


def _row(draws: xr.DataArray, units: str, *, kind: str = "quantity") -> dict:
    if kind == "probability":
        p, se = probability(draws)
        return {
            "mean": p,
            "lower": max(0.0, p - _Z * se),
            "upper": min(1.0, p + _Z * se),
            "interval": "Monte Carlo 90 %",
            "mcse": se,
            "units": "1",
        }
    valid = draws.where(np.isfinite(draws))
    lower, upper = np.nanquantile(valid, [(1 - CI_PROB) / 2, (1 + CI_PROB) / 2]) if valid.notnull().any() else (np.nan, np.nan)
    return {
        "mean": float(valid.mean()),
        "lower": float(lower),
        "upper": float(upper),
        "interval": "P5–P95",
        "mcse": float(mcse(valid)) if valid.notnull().all() else np.nan,
        "units": units,
    }


def summarize(sim: xr.DataTree, *, lang: str = "en") -> Summary:
    """Summarise a simulation (cash flows + fund) into the numbers a decision paper cites.

    Parameters
    ----------
    sim
        The tree from :func:`simpact.simulate` (groups ``effects``, ``cashflows``, ``fund``).
    lang
        ``"en"`` or ``"sv"`` for the sentences in ``text``.

    Returns
    -------
    Summary
        ``table`` (DataFrame indexed by metric and scope), ``text`` and ``draws``.
    """
    i18n.check_lang(lang)
    cf = sim["cashflows"].to_dataset()
    fund = sim["fund"].to_dataset()
    effects = sim["effects"].to_dataset()
    units = cf["present_value"].attrs["units"]

    by_actor = npv(cf["present_value"])
    total = by_actor.sum("actor")
    payback = payback_year(cf["present_value"].sum("actor"))
    rows: dict[tuple[str, str], dict] = {}
    rows[("effect_risk_difference", "treated")] = _row(effects["risk_difference"], "1")
    for actor in by_actor["actor"].to_numpy():
        rows[("npv", str(actor))] = _row(by_actor.sel(actor=actor), units)
    rows[("npv", "total")] = _row(total, units)
    for actor in by_actor["actor"].to_numpy():
        rows[("p_npv_positive", str(actor))] = _row(by_actor.sel(actor=actor) > 0, "1", kind="probability")
    rows[("p_npv_positive", "total")] = _row(total > 0, "1", kind="probability")
    rows[("p_full_on_schedule", "fund")] = _row(fund["full_on_schedule"], "1", kind="probability")
    rows[("p_full_by_horizon", "fund")] = _row(fund["full_by_horizon"], "1", kind="probability")
    rows[("expected_shortfall", "fund")] = _row(fund["shortfall"], units)
    short = fund["shortfall"].where(~fund["full_on_schedule"])
    rows[("shortfall_given_short", "fund")] = _row(short, units) if short.notnull().any() else {
        "mean": 0.0, "lower": 0.0, "upper": 0.0, "interval": "P5–P95", "mcse": 0.0, "units": units}
    rows[("repaid_share", "fund")] = _row(fund["repaid_share"], "1")
    rows[("p_payback", "total")] = _row(payback.notnull(), "1", kind="probability")
    rows[("payback_year", "total")] = _row(payback, "project year")
    rows[("payback_year", "total")]["median"] = float(payback.median()) if payback.notnull().mean() >= 0.5 else np.nan

    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index = pd.MultiIndex.from_tuples(table.index, names=["metric", "scope"])
    draws = xr.Dataset(
        {
            "npv": xr.concat([by_actor, total.expand_dims(actor=["total"])], "actor"),
            "payback_year": payback,
            "full_on_schedule": fund["full_on_schedule"],
            "full_by_horizon": fund["full_by_horizon"],
            "shortfall": fund["shortfall"],
            "repaid_share": fund["repaid_share"],
        }
    )
    return Summary(table=table, text=_sentences(sim, table, lang), draws=draws, lang=lang)


def _sentences(sim: xr.DataTree, table: pd.DataFrame, lang: str) -> list[str]:
    s = i18n.SENTENCES[lang]
    name = sim.attrs.get("intervention_name", "The intervention").split(" – ")[0]
    fund = sim["fund"]
    year = int(fund.attrs["last_instalment_year"])

    def get(metric: str, scope: str) -> pd.Series:
        return table.loc[(metric, scope)]

    eff = get("effect_risk_difference", "treated")
    p_better = float((sim["effects"]["reduction"] > 0).mean())
    outcome = sim["effects"].attrs.get("outcome", "the outcome").replace("_", " ")
    npv_t, p_pos = get("npv", "total"), get("p_npv_positive", "total")
    repay, short = get("p_full_on_schedule", "fund"), get("expected_shortfall", "fund")
    pay, pay_year = get("p_payback", "total"), get("payback_year", "total")
    median = ""
    if not np.isnan(pay_year.get("median", np.nan)):
        median = s["payback_median"].format(year=int(pay_year["median"]))
    pp = lambda v: i18n.number(100 * v, lang, digits=1)  # noqa: E731
    return [
        s["effect"].format(name=name, outcome=outcome, rd=pp(eff["mean"]), lo=pp(eff["lower"]),
                           hi=pp(eff["upper"]), p=i18n.percent(p_better, lang)),
        s["npv"].format(mean=i18n.msek(npv_t["mean"], lang), lo=i18n.msek(npv_t["lower"], lang),
                        hi=i18n.msek(npv_t["upper"], lang), p=i18n.percent(p_pos["mean"], lang),
                        mc=i18n.percent(p_pos["mcse"], lang, digits=1)),
        s["repay"].format(name=name, year=year, p=i18n.percent(repay["mean"], lang),
                          mc=i18n.percent(repay["mcse"], lang, digits=1)),
        s["shortfall"].format(year=year, mean=i18n.msek(short["mean"], lang),
                              principal=i18n.msek(float(fund["principal"]), lang),
                              lo=i18n.msek(short["lower"], lang), hi=i18n.msek(short["upper"], lang)),
        s["payback"].format(horizon=sim["cashflows"].sizes["year"], p=i18n.percent(pay["mean"], lang),
                            median=median),
    ]
