"""The report's tables: the key rows of the summary, the effect (:func:`effect_table`), the
savings per year (:func:`savings_table`) and the sampler's diagnostics
(:func:`diagnostics_table`), gathered by :func:`tables` (written for spreadsheets and scripts by
:mod:`simpact.report.spreadsheets`).

Every number in the report's text is read from one of these tables.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import xarray as xr

from simpact.base import i18n, scales
from simpact.base.constants import CI_PROB
from simpact.decision.summary import Summary
from simpact.report.formats import format_row
from simpact.report.words import WORDS, scope_label

KEY_METRICS = (
    "npv",
    "p_npv_positive",
    "bcr",
    "payback_year",
    "p_breakeven_4y",
    "p_full_on_schedule",
    "p_full_by_horizon",
    "expected_shortfall",
    "shortfall_given_short",
    "repaid_share",
    "repayment_year",
)
"""The summary's headline rows, in the order the report's key table shows them."""

YEAR_EVENT = {"payback_year": "p_npv_positive", "repayment_year": "p_full_by_horizon"}
"""Year metrics and the probability that their event happens within the horizon at all (an
investment pays back within the horizon exactly when its NPV is positive)."""


def key_row(table: pd.DataFrame, metric: str, scope: str, lang: str) -> dict[str, str]:
    """A key-table row; a year is shown as its median over all draws ("never" counting as later
    than every year), with an interval only when the event happens in at least 95 % of draws.

    Examples
    --------
    >>> index = pd.MultiIndex.from_tuples(
    ...     [("payback_year", "total"), ("p_npv_positive", "total")], names=["metric", "scope"])
    >>> t = pd.DataFrame({"mean": [6.2, 0.4], "lower": [4, 0.38], "upper": [9, 0.42],
    ...                   "median": [np.nan, np.nan], "units": ["project year", "1"]}, index)
    >>> key_row(t, "payback_year", "total", "en")
    {'mean': 'not within the horizon', 'interval': '–', 'mcse': '–'}
    """
    row = table.loc[(metric, scope)]
    if metric not in YEAR_EVENT:
        return format_row(row, lang)
    if pd.isna(row["mean"]) and pd.isna(row.get("median", np.nan)) and pd.isna(row["lower"]):
        undefined = (YEAR_EVENT[metric], scope) not in table.index
        if undefined or pd.isna(table.loc[(YEAR_EVENT[metric], scope), "mean"]):
            return {"mean": "–", "interval": "–", "mcse": "–"}
    event = (YEAR_EVENT[metric], scope)
    p_event = table.loc[event, "mean"] if event in table.index else 0.0
    median = row.get("median", np.nan)
    year = lambda v: i18n.number(v, lang, digits=0)  # noqa: E731
    return {
        "mean": WORDS[lang]["never"] if pd.isna(median) else year(median),
        "interval": f"{year(row['lower'])} – {year(row['upper'])}" if p_event >= 0.95 else "–",
        "mcse": "–",
    }


def key_rows(
    table: pd.DataFrame, lang: str, years: dict[str, int] | None = None
) -> list[dict[str, str]]:
    """The key table: each of :data:`KEY_METRICS` for all actors and for the fund part.

    ``years`` fills the years the fund's rows are read at (``schedule``: the last instalment,
    ``horizon``: the last year arrears are repaid), so each row says by which year."""
    return [
        {
            "label": row_label(metric, lang, years),
            "scope": scope_label(scope, lang),
            **key_row(table, metric, scope, lang),
        }
        for metric in KEY_METRICS
        for scope in ("total", "fund")
        if (metric, scope) in table.index
    ]


def row_label(metric: str, lang: str, years: dict[str, int] | None = None) -> str:
    """A summary row's metric in words, with the years it is read at.

    Examples
    --------
    >>> row_label("p_full_by_horizon", "en", {"schedule": 6, "horizon": 10})
    'P(full repayment by year 10)'
    """
    word = i18n.WORDS[lang].get(metric, metric.replace("_", " "))
    years = years or {}
    return word.format(schedule=years.get("schedule", "–"), horizon=years.get("horizon", "–"))


def fund_years(sim: xr.DataTree) -> dict[str, int]:
    """The years the fund's rows are read at: the last instalment and the horizon."""
    if "fund" not in sim.children:
        return {}
    attrs = sim["fund"].attrs
    return {
        k: int(attrs[a])
        for k, a in (("schedule", "last_instalment_year"), ("horizon", "horizon"))
        if a in attrs
    }


def effect_table(fit: xr.DataTree) -> pd.DataFrame:
    """Mean, 90 % interval and P(better) of each effect scale a fit reports.

    P(better) is the share of draws on the better side of the scale's null value (1 for a ratio,
    0 for a difference or log ratio, from :data:`simpact.base.scales.SCALES`; 0 for a variable
    that is not a named scale, such as a meta-analysis's ``mu``).

    Examples
    --------
    >>> post = xr.Dataset({"risk_difference": (("chain", "draw"), [[-0.1, -0.2, 0.1, -0.05]])})
    >>> fit = xr.DataTree.from_dict({"posterior": post})
    >>> fit.attrs.update(effect_scales=["risk_difference"], better="lower")
    >>> effect_table(fit).loc["risk_difference", "p_better"]
    np.float64(0.75)
    """
    post = fit["posterior"].to_dataset()
    better = fit.attrs.get("better", "lower")
    names = fit.attrs.get("effect_scales", [fit.attrs.get("effect_var", "risk_difference")])
    rows = {}
    for name in (n for n in names if n in post):
        draws = post[name].to_numpy().ravel()
        lower, upper = np.quantile(draws, [(1 - CI_PROB) / 2, (1 + CI_PROB) / 2])
        rows[name] = {
            "mean": float(draws.mean()),
            "lower": float(lower),
            "upper": float(upper),
            "p_better": _p_better(name, draws, better),
        }
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index.name = "scale"
    return table


def _p_better(name: str, draws: np.ndarray, better: str) -> float:
    if name in scales.SCALES:
        return scales.p_better(name, draws, better=better)
    return float(np.mean(draws < 0 if better == "lower" else draws > 0))


def savings_table(sim: xr.DataTree) -> pd.DataFrame:
    """Mean gross savings per year and actor (SEK, price-year prices, not discounted).

    One row per project year (with its calendar year), one column per actor and ``total``.

    Examples
    --------
    >>> import simpact as sp
    >>> spec = sp.load_model("nata")
    >>> post = sp.fit_effects(spec, sp.load_followup(spec), random_seed=1)  # doctest: +SKIP
    >>> sim = sp.simulate(spec, post, random_seed=2)  # doctest: +SKIP
    >>> savings_table(sim).loc[1, "calendar_year"]  # doctest: +SKIP
    np.int64(2025)
    """
    savings = sim["cashflows"]["savings"]
    mean = savings.mean(("chain", "draw")).transpose("year", "actor")
    table = mean.to_pandas()
    table.columns = [str(c) for c in table.columns]
    table["total"] = table.sum(axis=1)
    table.insert(0, "calendar_year", savings["calendar_year"].to_numpy())
    table.index.name = "year"
    return table


def diagnostics_table(fit: xr.DataTree) -> pd.DataFrame:
    """Per parameter: mean, sd, 90 % interval, R-hat, bulk and tail ESS (ArviZ, ``ci_prob``
    passed explicitly).

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> post = xr.Dataset({"effect": (("chain", "draw"), rng.normal(size=(4, 500)))})
    >>> table = diagnostics_table(xr.DataTree.from_dict({"posterior": post}))
    >>> bool(table.loc["effect", "r_hat"] < 1.01)
    True
    """
    import arviz as az

    names = [v for v in fit["posterior"].data_vars if fit["posterior"][v].dims == ("chain", "draw")]
    table = az.summary(fit, var_names=names, ci_prob=CI_PROB, round_to="none")
    table.index.name = "parameter"
    return table


def tables(sim: xr.DataTree, summary: Summary) -> dict[str, pd.DataFrame]:
    """The report's tables, by name: ``summary``, ``savings``, ``effect`` and ``diagnostics``.

    Examples
    --------
    >>> import simpact as sp
    >>> spec = sp.load_model("nata")
    >>> post = sp.fit_effects(spec, sp.load_followup(spec), random_seed=1)  # doctest: +SKIP
    >>> sim = sp.simulate(spec, post, random_seed=2)  # doctest: +SKIP
    >>> sorted(tables(sim, sp.summarize(sim)))  # doctest: +SKIP
    ['diagnostics', 'effect', 'savings', 'summary']
    """
    out = {"summary": summary.table, "savings": savings_table(sim)}
    if "fit" in sim.children and "posterior" in sim["fit"].children:
        out["effect"] = effect_table(sim["fit"])
        out["diagnostics"] = diagnostics_table(sim["fit"])
    return out
