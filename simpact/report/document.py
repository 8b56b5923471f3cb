"""Decision-paper reports: Markdown and self-contained HTML (figures embedded), Swedish or English.

:func:`write_report` writes, into one folder, ``storage.nc`` (the whole tree with provenance),
the tables (``summary.csv``, ``savings.csv``, ``effect.csv`` and all of them as sheets of
``summary.xlsx``), ``figures/*.png``, ``report.md`` and ``report.html``. Every number in the text
comes from those tables (the :class:`~simpact.decision.Summary` table, :func:`savings_table`,
:func:`effect_table`), and the figures are drawn from the same draws, so text, tables and figures
agree. A section appears only when its inputs are in the tree, so the report grows as the
pipeline does. Files are written atomically.
"""

from __future__ import annotations

import base64
import io
import json
import math
import re
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import markdown
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import xarray as xr
from jinja2 import Environment, PackageLoader, StrictUndefined

from simpact import plots
from simpact.base import i18n, storage
from simpact.base.constants import CI_PROB
from simpact.components.distributions import Distribution, as_dist
from simpact.config import priors
from simpact.config.loading import load_model
from simpact.decision.summary import Summary

WORDS = {
    "en": {
        "never": "not within the horizon",
        "title": "Appraisal",
        "summary": "Summary",
        "quantity": "Quantity",
        "scope": "For",
        "estimate": "Estimate",
        "interval": "90 % interval",
        "mcse": "MC error",
        "effect": "The effect",
        "group": "Group",
        "period": "Period",
        "events": "With outcome",
        "persons": "Persons",
        "share": "Share",
        "scale": "Scale",
        "mean": "Mean",
        "p_better": "P(better)",
        "effect_design": (
            "Design: {design_name} (`{design}`, {family} model of `{outcome}`), treated against "
            "comparison."
        ),
        "effect_data": "The data, by group and period:",
        "effect_estimate": (
            "The estimated effect (posterior mean, 90 % interval, and the probability that the "
            "effect goes in the hoped-for direction):"
        ),
        "diagnostics": (
            "Diagnostics in plain words: the {chains} chains {rhat_words} (largest R-hat "
            "{rhat}, at most {rhat_max} required); the estimates rest on at least {ess} "
            "effectively independent draws (ESS; at least {ess_min} required); {div_words}. "
            "Verdict: {verdict}."
        ),
        "rhat_ok": "agree with each other",
        "rhat_bad": "DISAGREE",
        "div_none": "no transition diverged",
        "div_some": "{div} transitions DIVERGED",
        "ok": "the sampler converged",
        "not_ok": "NOT CONVERGED, do not cite these numbers",
        "not_converged": (
            "The effect model did not pass the convergence checks; numbers are unreliable."
        ),
        "effect_alt": "Posterior of the effect with the prior overlaid",
        "diagnostics_alt": "Rank plots of the sampler's chains",
        "savings": "Savings per actor and year",
        "savings_text": (
            "Net present values in SEK ({price_year} prices), discounted at a real rate "
            "of {rate} with end-of-year timing; event counts are {mode}."
        ),
        "savings_year_text": (
            "Mean gross savings per year, MSEK ({price_year} prices, not discounted):"
        ),
        "actor": "Actor",
        "npv": "NPV",
        "fan_alt": "Fan chart of cumulative savings against cost",
        "npv_alt": "Distribution of the net present value",
        "calendar_year": "Calendar year",
        "project_year": "Project year",
        "fund": "The fund (dubbelmodell) and repayment",
        "fund_text": (
            "The project draws {principal} from the fund part, due {schedule}, repaid by "
            "{actors} under the rule `{rule}` (arrears until year {horizon})."
        ),
        "frame_text": (
            "Frame-grant part: {grant} granted; savings landing outside the municipality "
            "(present value) {external}."
        ),
        "repay_alt": "Repayment: probability of full repayment by year and repaid share",
        "balance_alt": "The fund part's balance over time",
        "sensitivity": "Sensitivity and the value of further evaluation",
        "sensitivity_text": (
            "Which uncertain inputs matter most, and what it would be worth to know them better "
            "before deciding."
        ),
        "parameter": "Input",
        "evppi": "EVPPI",
        "evpi": "EVPI (all inputs)",
        "tornado_alt": "Tornado diagram",
        "acceptability_alt": "Acceptability curves",
        "evppi_alt": "EVPPI per input",
        "assumptions": "Assumptions",
        "input": "Input",
        "value": "Value",
        "source": "Source",
        "reproducibility": "Reproducibility",
        "version": "Versions",
        "seed": "Seed",
        "spec": "Model spec",
        "data": "Follow-up data",
        "priors": "Priors library",
        "command": "Regenerate with",
        "expected": "expected values",
        "realized": "realized counts",
        "year": "year",
        "sampler": "Sampler",
        "rendered": "Report rendered with",
        "cohort": "Cohort (persons per project year)",
        "costs": "Intervention costs",
        "assumption": "assumption (model spec)",
        "prior": "prior",
        "prior_default": "design default (weakly informative)",
        "unit_cost": "unit cost, SEK {price_year}",
        "payers": "payers",
        "excess_risk": "excess risk",
        "excess_risk_per_unit": "excess risk per unit of the outcome",
        "baseline_risk": "baseline risk",
        "baseline_rate": "baseline rate per person",
        "quantity_per_event": "quantity per event",
        "retention": "retention per year",
        "discount_rate": "discount rate (real)",
        "haircut": "haircut",
        "cashable": "cashable share",
        "synthetic": (
            "SYNTHETIC DATA: the follow-up data are invented for this example; do not cite the "
            "numbers as findings."
        ),
        "comparison": "comparison",
        "design_did": "difference in differences",
        "haircut_deadweight": "deadweight",
        "haircut_attribution": "attribution",
        "haircut_displacement": "displacement",
        "haircut_optimism_bias": "optimism bias",
        "treated": "treated",
        "risk_difference": "risk difference",
        "risk_ratio": "risk ratio",
        "log_odds_ratio": "log odds ratio",
    },
    "sv": {
        "never": "inte inom horisonten",
        "title": "Kalkyl",
        "summary": "Sammanfattning",
        "quantity": "Storhet",
        "scope": "För",
        "estimate": "Skattning",
        "interval": "90 % intervall",
        "mcse": "MC-fel",
        "effect": "Effekten",
        "group": "Grupp",
        "period": "Period",
        "events": "Med utfall",
        "persons": "Personer",
        "share": "Andel",
        "scale": "Skala",
        "mean": "Medel",
        "p_better": "P(bättre)",
        "effect_design": (
            "Design: {design_name} (`{design}`, {family}-modell av `{outcome}`), insatsgrupp mot "
            "jämförelsegrupp."
        ),
        "effect_data": "Data per grupp och period:",
        "effect_estimate": (
            "Den skattade effekten (posteriori-medelvärde, 90 % intervall och sannolikheten att "
            "effekten går åt önskat håll):"
        ),
        "diagnostics": (
            "Diagnostik i klartext: de {chains} kedjorna {rhat_words} (största R-hat "
            "{rhat}, högst {rhat_max} krävs); skattningarna vilar på minst {ess} "
            "effektivt oberoende dragningar (ESS; minst {ess_min} krävs); {div_words}. "
            "Bedömning: {verdict}."
        ),
        "rhat_ok": "stämmer överens",
        "rhat_bad": "STÄMMER INTE ÖVERENS",
        "div_none": "inga övergångar divergerade",
        "div_some": "{div} övergångar DIVERGERADE",
        "ok": "samplingen konvergerade",
        "not_ok": "KONVERGERADE INTE, citera inte siffrorna",
        "not_converged": (
            "Effektmodellen klarade inte konvergenskontrollerna; siffrorna är otillförlitliga."
        ),
        "effect_alt": "Effektens posteriorifördelning med priorin inlagd",
        "diagnostics_alt": "Rangdiagram för samplingskedjorna",
        "savings": "Besparingar per aktör och år",
        "savings_text": (
            "Nettonuvärden i kronor ({price_year} års priser), diskonterade med en real "
            "ränta på {rate}, betalningar vid årets slut; antal händelser är {mode}."
        ),
        "savings_year_text": (
            "Genomsnittliga bruttobesparingar per år, MSEK ({price_year} års priser, ej "
            "diskonterade):"
        ),
        "actor": "Aktör",
        "npv": "Nettonuvärde",
        "fan_alt": "Solfjäderdiagram över kumulerade besparingar mot kostnad",
        "npv_alt": "Nettonuvärdets fördelning",
        "calendar_year": "Kalenderår",
        "project_year": "Projektår",
        "fund": "Fonden (dubbelmodellen) och återbetalning",
        "fund_text": (
            "Projektet tar {principal} ur fonddelen, att återbetala {schedule}, av "
            "{actors} enligt regeln `{rule}` (eftersläpning till och med år {horizon})."
        ),
        "frame_text": (
            "Ramdelen: {grant} beviljat; besparingar utanför kommunen (nuvärde) {external}."
        ),
        "repay_alt": (
            "Återbetalning: sannolikhet för full återbetalning per år och återbetald andel"
        ),
        "balance_alt": "Fonddelens saldo över tid",
        "sensitivity": "Känslighet och värdet av fortsatt utvärdering",
        "sensitivity_text": (
            "Vilka osäkra indata som betyder mest, och vad det vore värt att veta mer om dem "
            "innan beslut."
        ),
        "parameter": "Indata",
        "evppi": "EVPPI",
        "evpi": "EVPI (alla indata)",
        "tornado_alt": "Tornadodiagram",
        "acceptability_alt": "Acceptanskurvor",
        "evppi_alt": "EVPPI per indata",
        "assumptions": "Antaganden",
        "input": "Indata",
        "value": "Värde",
        "source": "Källa",
        "reproducibility": "Reproducerbarhet",
        "version": "Versioner",
        "seed": "Slumpfrö",
        "spec": "Modellspecifikation",
        "data": "Uppföljningsdata",
        "priors": "Priorbibliotek",
        "command": "Återskapa med",
        "expected": "väntevärden",
        "realized": "realiserade antal",
        "year": "år",
        "sampler": "Sampler",
        "rendered": "Rapporten skapad med",
        "cohort": "Kohort (personer per projektår)",
        "costs": "Insatsens kostnader",
        "assumption": "antagande (modellspecifikationen)",
        "prior": "priori",
        "prior_default": "designens standard (svagt informativ)",
        "unit_cost": "enhetskostnad, kronor {price_year}",
        "payers": "betalare",
        "excess_risk": "överrisk",
        "excess_risk_per_unit": "överrisk per enhet av utfallet",
        "baseline_risk": "grundrisk",
        "baseline_rate": "grundfrekvens per person",
        "quantity_per_event": "mängd per händelse",
        "retention": "kvarstående effekt per år",
        "discount_rate": "diskonteringsränta (real)",
        "haircut": "avdrag",
        "cashable": "budgetpåverkande andel",
        "synthetic": (
            "SYNTETISKA DATA: uppföljningsdata är påhittade för detta exempel; citera inte "
            "siffrorna som resultat."
        ),
        "comparison": "jämförelse",
        "design_did": "skillnad i skillnader",
        "haircut_deadweight": "dödviktsförlust",
        "haircut_attribution": "andel som tillskrivs andra",
        "haircut_displacement": "undanträngning",
        "haircut_optimism_bias": "optimismjustering",
        "treated": "insats",
        "risk_difference": "riskskillnad",
        "risk_ratio": "riskkvot",
        "log_odds_ratio": "logaritmerad oddskvot",
    },
}
"""Report words by language (figure words are in :data:`simpact.plots.LABELS`)."""

_ENV = Environment(
    loader=PackageLoader("simpact.report", "templates"),
    undefined=StrictUndefined,
    keep_trailing_newline=True,
    autoescape=False,
)

_HTML = """<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body {{ font-family: Georgia, 'Times New Roman', serif; max-width: 56em; margin: 2em auto;
       padding: 0 1em; color: #111; line-height: 1.45; }}
table {{ border-collapse: collapse; margin: 1em 0; font-size: 0.92em; }}
th, td {{ border-bottom: 1px solid #bbb; padding: 0.25em 0.6em; text-align: left; }}
td {{ font-variant-numeric: tabular-nums; }}
blockquote {{ border-left: 4px solid #000; margin: 1em 0; padding: 0.3em 1em; background: #eee; }}
img {{ max-width: 100%; }}
code {{ font-size: 0.9em; word-break: break-all; }}
@media print {{ img {{ page-break-inside: avoid; }} body {{ max-width: none; }} }}
</style></head>
<body>
{body}
</body></html>
"""

_PERCENT_UNITS = ("1",)


def describe(dist: Distribution, lang: str = "en", *, scale: float = 1.0) -> str:
    """A distribution in words: ``lognormal(mean 30 561, sd 6 112)``.

    Examples
    --------
    >>> describe(as_dist({"dist": "uniform", "min": 0.5, "max": 0.9}), "sv")
    'uniform(min 0,5, max 0,9)'
    >>> describe(as_dist({"dist": "gamma", "mean": 0.0003, "sd": 0.00015}))
    'gamma(mean 0.0003, sd 0.00015)'
    >>> describe(as_dist({"dist": "lognormal", "mean": 30561, "sd": 6112.2}), "sv")
    'lognormal(mean 30 561, sd 6 112)'
    """
    fields = {k: v for k, v in dist.model_dump(by_alias=True).items() if k != "dist"}

    def fmt(v: float) -> str:
        # whole numbers from 100 up, else three significant figures (a rate of 0.0003 stays 0.0003)
        x = v * scale
        digits = 0 if x == 0 or abs(x) >= 100 else 2 - math.floor(math.log10(abs(x)))
        text = i18n.number(x, lang, digits=digits)
        return text.rstrip("0").rstrip(",.") if digits else text

    if dist.dist == "fixed":
        return fmt(fields["value"])
    return f"{dist.dist}(" + ", ".join(f"{k} {fmt(v)}" for k, v in fields.items()) + ")"


def formatter(units: str, lang: str, *, probability: bool = False):
    """How a number with these units is written in the report (the table and text share it).

    Examples
    --------
    >>> formatter("SEK (2023 prices)", "sv")(-1.46e6)
    '−1,5 MSEK'
    >>> formatter("1", "en", probability=True)(0.643)
    '64 %'
    """
    if units == "SEK/SEK":
        return lambda v: i18n.number(v, lang, digits=2)
    if units.startswith("SEK"):
        return lambda v: i18n.msek(v, lang)
    if probability or units in _PERCENT_UNITS:
        return lambda v: i18n.percent(v, lang)
    return lambda v: i18n.number(v, lang, digits=1)


KEY_METRICS = (
    "npv",
    "p_npv_positive",
    "bcr",
    "p_payback",
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

_YEAR_EVENT = {"payback_year": "p_payback", "repayment_year": "p_full_by_horizon"}
"""Year metrics and the probability that their event happens within the horizon at all."""


def _key_row(table: pd.DataFrame, metric: str, scope: str, lang: str) -> dict[str, str] | None:
    """A key-table row; a year is shown as its median over all draws ("never" counting as later
    than every year), with an interval only when the event happens in at least 95 % of draws."""
    row = table.loc[(metric, scope)]
    if metric not in _YEAR_EVENT:
        return _fmt_row(row, lang)
    p_event = (
        table.loc[(_YEAR_EVENT[metric], scope), "mean"]
        if (_YEAR_EVENT[metric], scope) in table.index
        else 0.0
    )
    median = row.get("median", np.nan)
    year = lambda v: i18n.number(v, lang, digits=0)  # noqa: E731
    return {
        "mean": WORDS[lang]["never"] if pd.isna(median) else year(median),
        "interval": f"{year(row['lower'])} – {year(row['upper'])}" if p_event >= 0.95 else "–",
        "mcse": "–",
    }


def _fmt_row(row: pd.Series, lang: str) -> dict[str, str]:
    probability = str(row.get("interval", "")).startswith("Monte Carlo")
    fmt = formatter(str(row["units"]), lang, probability=probability)
    mcse = row.get("mcse", np.nan)
    if pd.isna(mcse):
        mcse_text = "–"
    elif probability or str(row["units"]) in _PERCENT_UNITS:
        mcse_text = i18n.percent(mcse, lang, digits=1)
    elif str(row["units"]).startswith("SEK") and row["units"] != "SEK/SEK":
        mcse_text = i18n.msek(mcse, lang, digits=2)
    else:
        mcse_text = fmt(mcse)
    return {
        "mean": fmt(row["mean"]),
        "interval": f"{fmt(row['lower'])} – {fmt(row['upper'])}",
        "mcse": mcse_text,
    }


def effect_table(fit: xr.DataTree) -> pd.DataFrame:
    """Mean, 90 % interval and P(better) of each effect scale a fit reports.

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
    rows = {}
    for name in fit.attrs.get("effect_scales", [fit.attrs.get("effect_var", "risk_difference")]):
        if name not in post:
            continue
        da = post[name]
        null = 1.0 if name == "risk_ratio" else 0.0
        lower, upper = np.quantile(da, [(1 - CI_PROB) / 2, (1 + CI_PROB) / 2])
        improves = da < null if better == "lower" else da > null
        rows[name] = {
            "mean": float(da.mean()),
            "lower": float(lower),
            "upper": float(upper),
            "p_better": float(improves.mean()),
        }
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index.name = "scale"
    return table


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


def _prior_rows(sim: xr.DataTree, lang: str) -> list[dict[str, str]]:
    from simpact.effects import DESIGNS

    w = WORDS[lang]
    spec = json.loads(sim.attrs.get("spec", "{}") or "{}")
    effect = spec.get("effect", {})
    fit_attrs = sim["fit"].attrs if "fit" in sim.children else {}
    design = DESIGNS.get(fit_attrs.get("design", effect.get("design", "")))
    defaults = getattr(design, "DEFAULT_PRIORS", {})
    given = effect.get("priors", {})
    rows = []
    for name in [*defaults, *(k for k in given if k not in defaults)]:
        prior = given.get(name, defaults.get(name))
        kwargs = ", ".join(
            f"{k} {describe(as_dist(v), lang) if isinstance(v, int | float) else v}"
            for k, v in prior.get("kwargs", {}).items()
        )
        rows.append(
            {
                "name": f"{w['effect']}: {w['prior']} `{name}`",
                "value": f"{prior.get('dist')}({kwargs})",
                "source": str(prior.get("source", ""))
                or (w["assumption"] if name in given else w["prior_default"]),
            }
        )
    return rows


def _assumption_rows(sim: xr.DataTree, lang: str, label) -> list[dict[str, str]]:
    w = WORDS[lang]
    spec = load_model(json.loads(sim.attrs["spec"]))
    rows = [
        {
            "name": w["cohort"],
            "value": ", ".join(f"{w['year']} {y}: {n}" for y, n in spec.cohort.intake.items()),
            "source": w["assumption"],
        }
    ]
    rows += _prior_rows(sim, lang)
    keys = {
        "excess_risk": w["excess_risk"],
        "excess_risk_per_unit": w["excess_risk_per_unit"],
        "baseline_risk": w["baseline_risk"],
        "baseline_rate": w["baseline_rate"],
        "quantity": w["quantity_per_event"],
    }
    for outcome in spec.outcomes:
        name = getattr(outcome.label, lang) if outcome.label else outcome.name
        for key, word in keys.items():
            dist = getattr(outcome, key)
            if dist is not None:
                rows.append(
                    {
                        "name": f"{name}: {word}",
                        "value": describe(dist, lang),
                        "source": w["assumption"],
                    }
                )
        cost, factor = spec.unit_cost(outcome)
        if isinstance(outcome.unit_cost, str):
            entry = priors.unit_costs()[outcome.unit_cost]
            source = f"{entry.source} ({entry.price_year})"
        else:
            source = w["assumption"]
        rows.append(
            {
                "name": f"{name}: {w['unit_cost'].format(price_year=spec.intervention.price_year)}",
                "value": describe(cost, lang, scale=factor),
                "source": source,
            }
        )
        rows.append(
            {
                "name": f"{name}: {w['payers']}",
                "value": ", ".join(
                    f"{label(a)} {i18n.percent(s, lang)}" for a, s in outcome.payers.items()
                ),
                "source": w["assumption"],
            }
        )
    s = spec.simulation
    shared = [(w["retention"], s.retention), (w["discount_rate"], s.discount_rate)]
    shared += [
        (f"{w['haircut']}: {w.get(f'haircut_{k}', k.replace('_', ' '))}", getattr(s.haircuts, k))
        for k in type(s.haircuts).model_fields
    ]
    shared += [(f"{w['cashable']}: {label(a)}", d) for a, d in s.cashable.items()]
    rows += [{"name": n, "value": describe(d, lang), "source": w["assumption"]} for n, d in shared]
    for actor, by_year in spec.costs.items():
        rows.append(
            {
                "name": f"{w['costs']}: {label(actor)}",
                "value": ", ".join(
                    f"{w['year']} {y}: {describe(d, lang)}" for y, d in by_year.items()
                ),
                "source": w["assumption"],
            }
        )
    return rows


def _versions(sim: xr.DataTree) -> dict[str, str]:
    out = {"simpact": sim.attrs.get("simpact_version", ""), "Python": sim.attrs.get("python", "")}
    fit = sim["fit"] if "fit" in sim.children else None
    if fit is not None and "sample_stats" in fit.children:
        st = fit["sample_stats"].attrs
        if st.get("inference_library"):
            out[str(st["inference_library"])] = str(st.get("inference_library_version", ""))
    if fit is not None and "posterior" in fit.children:
        post = fit["posterior"].attrs
        if post.get("creation_library"):
            out[str(post["creation_library"])] = str(post.get("creation_library_version", ""))
    return {k: v for k, v in out.items() if v}


def _rendered_with() -> str:
    parts = []
    for pkg in ("simpact", "pymc", "arviz", "nutpie", "numpy", "xarray", "matplotlib"):
        try:
            parts.append(f"{pkg} {version(pkg)}")
        except PackageNotFoundError:
            continue
    return ", ".join(parts)


def command(sim: xr.DataTree, lang: str) -> str:
    """The ``simpact run`` command line that regenerates these results and this report.

    Examples
    --------
    >>> sim = xr.DataTree()
    >>> sim.attrs.update(spec_source="models/nata.toml", random_seed=7, spec="{}")
    >>> command(sim, "sv")
    'simpact run models/nata.toml --seed 7 --lang sv'
    """
    parts = ["simpact", "run", sim.attrs.get("spec_source", "") or "MODEL.toml"]
    spec = json.loads(sim.attrs.get("spec", "{}") or "{}")
    data_source = sim.attrs.get("data_source", "")
    spec_data = spec.get("data", {}).get("path")
    spec_dir = Path(sim.attrs.get("spec_source", "")).parent
    if data_source and (spec_data is None or Path(data_source) != (spec_dir / spec_data).resolve()):
        parts += ["--data", data_source]
    resampled = sim["effects"].attrs.get("resampled_from") if "effects" in sim.children else None
    if resampled is not None:
        parts += ["--draws", str(sim["effects"].sizes["chain"] * sim["effects"].sizes["draw"])]
    if sim.attrs.get("random_seed", "") != "":
        parts += ["--seed", str(sim.attrs["random_seed"])]
    parts += ["--lang", lang]
    return " ".join(p if " " not in p else f'"{p}"' for p in parts)


def _effect_context(sim: xr.DataTree, lang: str) -> dict | None:
    """The effect section: data cells, estimates and diagnostics in words (None without a fit)."""
    from simpact.effects import ESS_MIN, RHAT_MAX

    if not plots._has(sim, "fit/posterior"):
        return None
    w = WORDS[lang]
    fit = sim["fit"]
    attrs = fit.attrs
    pct = lambda v: i18n.percent(v, lang)  # noqa: E731
    obs = fit["observed_data"].to_dataset() if "observed_data" in fit.children else None
    cells = []
    if obs is not None and {"treated", "post", "events", "trials"} <= set(obs.data_vars):
        spec_effect = json.loads(sim.attrs["spec"]).get("effect", {})
        periods = (spec_effect.get("pre", "pre"), spec_effect.get("post", "post"))
        cells = [
            {
                "group": w["treated" if int(t) else "comparison"],
                "period": periods[int(p)],
                "events": i18n.number(int(e), lang),
                "trials": i18n.number(int(n), lang),
                "share": pct(e / n),
            }
            for t, p, e, n in zip(
                obs["treated"].values,
                obs["post"].values,
                obs["events"].values,
                obs["trials"].values,
                strict=True,
            )
        ]
    eff = effect_table(fit)
    num3 = lambda v: i18n.number(v, lang, digits=3)  # noqa: E731
    effect_rows = [
        {
            "scale": w.get(scale, scale),
            "mean": num3(r["mean"]),
            "interval": f"{num3(r['lower'])} – {num3(r['upper'])}",
            "p_better": pct(r["p_better"]),
        }
        for scale, r in eff.iterrows()
    ]
    converged = bool(attrs.get("converged", False))
    rhat = float(attrs.get("rhat_max", np.nan))
    ess = float(min(attrs.get("ess_bulk_min", np.nan), attrs.get("ess_tail_min", np.nan)))
    div = int(attrs.get("divergences", 0))
    diagnostics = w["diagnostics"].format(
        chains=fit["posterior"].sizes.get("chain", ""),
        rhat_words=w["rhat_ok"] if rhat <= RHAT_MAX else w["rhat_bad"],
        rhat=i18n.number(rhat, lang, digits=3),
        rhat_max=i18n.number(RHAT_MAX, lang, digits=2),
        ess=i18n.number(ess, lang),
        ess_min=i18n.number(ESS_MIN, lang),
        div_words=w["div_none"] if div == 0 else w["div_some"].format(div=div),
        verdict=w["ok"] if converged else w["not_ok"],
    )

    return {
        "design": attrs.get("design", ""),
        "outcome": attrs.get("outcome", ""),
        "family": attrs.get("family", ""),
        "cells": cells,
        "rows": effect_rows,
        "diagnostics": diagnostics,
        "converged": converged,
    }


def _context(sim: xr.DataTree, summary: Summary, lang: str, figures: set[str]) -> dict:
    w = WORDS[lang]
    table = summary.table
    actors = priors.actors()
    msek = lambda v: i18n.msek(v, lang)  # noqa: E731
    pct = lambda v: i18n.percent(v, lang)  # noqa: E731

    def label(scope: str) -> str:
        if scope in actors:
            return getattr(actors[scope].label, lang)
        return i18n.WORDS[lang].get(scope, scope)

    cash_actors = [str(a) for a in sim["cashflows"]["actor"].to_numpy()]
    key_rows = [
        {"label": i18n.WORDS[lang].get(metric, metric), "scope": label(scope), **fmt}
        for metric in KEY_METRICS
        for scope in ("total", "fund")
        if (metric, scope) in table.index
        and (fmt := _key_row(table, metric, scope, lang)) is not None
    ]

    effect = _effect_context(sim, lang)

    actor_rows = [
        {
            "actor": label(a),
            "mean": msek(table.loc[("npv", a), "mean"]),
            "interval": _fmt_row(table.loc[("npv", a)], lang)["interval"],
            "p": pct(table.loc[("p_npv_positive", a), "mean"]),
        }
        for a in [*cash_actors, "total"]
        if ("npv", a) in table.index
    ]
    by_year = savings_table(sim)
    savings_cols = [
        c for c in by_year.columns if c != "calendar_year" and by_year[c].abs().sum() > 0
    ]
    savings_rows = [
        {
            "year": int(y),
            "calendar": int(r["calendar_year"]),
            "values": [i18n.number(r[c] / 1e6, lang, digits=2) for c in savings_cols],
        }
        for y, r in by_year.iterrows()
        if r[savings_cols].abs().sum() > 0
    ]

    fund_ctx = None
    if "fund" in sim.children:
        fund = sim["fund"].to_dataset()
        disc = sim["cashflows"]["discount_factor"]
        schedule = ", ".join(
            f"{msek(float(fund['due'].sel(year=y)))} ({w['year']} {int(y)})"
            for y in fund["year"].values
            if float(fund["due"].sel(year=y)) > 0
        )
        fund_ctx = {
            "text": w["fund_text"].format(
                principal=msek(float(fund["principal"])),
                schedule=schedule,
                actors=", ".join(label(a) for a in fund.attrs.get("repaying_actors", [])),
                rule=fund.attrs.get("rule", ""),
                horizon=fund.attrs.get("horizon", ""),
            ),
            "frame": w["frame_text"].format(
                grant=msek(float(fund["frame_grant"].sum())) if "frame_grant" in fund else "–",
                external=msek(float((fund["external_benefits"] * disc).sum("year").mean()))
                if "external_benefits" in fund
                else "–",
            ),
        }

    evppi_rows, evpi = [], None
    if plots._has(sim, "decision", "evppi"):
        ev = sim["decision/evppi"].to_pandas().sort_values(ascending=False)
        msek2 = lambda v: i18n.msek(v, lang, digits=2)  # noqa: E731
        evppi_rows = [
            {"name": i18n.input_name(str(k), lang), "value": msek2(float(v))} for k, v in ev.items()
        ]
        if "evpi" in sim["decision"].data_vars:
            evpi = msek2(float(sim["decision/evpi"]))
    sensitivity = bool({"tornado", "acceptability", "evppi"} & figures) or bool(evppi_rows)

    spec = json.loads(sim.attrs["spec"])
    return {
        "w": w,
        "name": sim.attrs.get("intervention_name", ""),
        "synthetic": bool(sim.attrs.get("data_synthetic")),
        "converged": effect is None or effect["converged"],
        "effect": effect,
        "sentences": summary.text,
        "key_rows": key_rows,
        "figures": figures,
        "p_npv_positive": i18n.WORDS[lang]["p_npv_positive"],
        "price_year": sim.attrs.get("price_year", ""),
        "rate": pct(float(sim["inputs"]["discount_rate"].mean())),
        "mode": w["realized" if sim.attrs.get("mode") == "realized" else "expected"],
        "actor_rows": actor_rows,
        "savings_header": [label(c) for c in savings_cols],
        "savings_rows": savings_rows,
        "fund": fund_ctx,
        "sensitivity": sensitivity,
        "evppi_rows": evppi_rows,
        "evpi": evpi,
        "assumptions": _assumption_rows(sim, lang, label),
        "versions": ", ".join(f"{k} {v}" for k, v in _versions(sim).items()),
        "rendered": _rendered_with(),
        "seed": sim.attrs.get("random_seed", ""),
        "spec_source": sim.attrs.get("spec_source", "")
        or spec.get("intervention", {}).get("id", ""),
        "data_source": sim.attrs.get("data_source", ""),
        "data_sha256": sim.attrs.get("data_sha256", ""),
        "priors_sha256": sim.attrs.get("priors_sha256", ""),
        "command": command(sim, lang),
    }


def render_markdown(
    sim: xr.DataTree, summary: Summary, *, lang: str = "en", figures: set[str] | None = None
) -> str:
    """The report as Markdown (figures referenced as ``figures/<name>.png``).

    Parameters
    ----------
    figures
        Names of the figures that exist (default: every figure whose inputs are in ``sim``).

    Examples
    --------
    >>> import simpact as sp
    >>> spec = sp.load_model("nata")
    >>> post = sp.fit_effects(spec, sp.load_followup(spec), random_seed=1)  # doctest: +SKIP
    >>> sim = sp.simulate(spec, post, random_seed=2)  # doctest: +SKIP
    >>> text = render_markdown(sim, sp.summarize(sim, lang="sv"), lang="sv")  # doctest: +SKIP
    >>> text.splitlines()[0]  # doctest: +SKIP
    '# Kalkyl: NÄTA – Närvaroteam Ale'
    """
    i18n.check_lang(lang)
    if figures is None:
        figures = {
            name
            for name, make in plots.FIGURES.items()
            if (fig := make(sim, summary, lang)) is not None and plt.close(fig) is None
        }
    return _ENV.get_template("report.md.j2").render(**_context(sim, summary, lang, set(figures)))


def _png(fig) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=120, bbox_inches="tight")
    plt.close(fig)
    return buf.getvalue()


def render_html(text_md: str, figures: dict[str, bytes], *, lang: str = "en") -> str:
    """A self-contained HTML page from the Markdown report, with figures as data URIs.

    Examples
    --------
    >>> page = render_html("# Title" + chr(10) * 2 + "![a figure](figures/x.png)", {"x": b"PNG"})
    >>> 'src="data:image/png;base64,UE5H"' in page
    True
    """
    body = markdown.markdown(text_md, extensions=["tables"])
    for name, png in figures.items():
        uri = "data:image/png;base64," + base64.b64encode(png).decode()
        body = body.replace(f'src="figures/{name}.png"', f'src="{uri}"')
    title = re.sub(r"<[^>]+>", "", body.split("</h1>")[0]) if "</h1>" in body else "simpact"
    return _HTML.format(lang=lang, title=title.strip(), body=body)


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


def write_tables(
    frames: dict[str, pd.DataFrame], out: str | Path, *, xlsx: str = "summary.xlsx"
) -> dict[str, Path]:
    """Write each table as ``<name>.csv`` and all of them as sheets of one ``.xlsx``, atomically.

    Examples
    --------
    >>> import tempfile
    >>> paths = write_tables({"t": pd.DataFrame({"a": [1.5]})}, tempfile.mkdtemp())
    >>> sorted(paths)
    ['t', 'xlsx']
    """
    out = Path(out)
    files = {}
    for name, frame in frames.items():
        with storage.atomic_path(out / f"{name}.csv") as tmp:
            frame.to_csv(tmp)
        files[name] = out / f"{name}.csv"
    with storage.atomic_path(out / xlsx) as tmp:
        with pd.ExcelWriter(tmp, engine="openpyxl") as writer:
            for name, frame in frames.items():
                frame.to_excel(writer, sheet_name=name[:31], merge_cells=False)
    files["xlsx"] = out / xlsx
    return files


def write_report(
    sim: xr.DataTree,
    summary: Summary,
    out: str | Path,
    *,
    lang: str | None = None,
    save_results: bool = True,
) -> dict[str, Path]:
    """Write results, tables, figures and the report (Markdown + HTML) into ``out``.

    Parameters
    ----------
    sim
        The tree from :func:`simpact.simulate`.
    summary
        The :class:`~simpact.decision.Summary` from :func:`simpact.summarize`.
    out
        Folder to write into (created if needed).
    lang
        ``"en"`` or ``"sv"``; defaults to the summary's language.
    save_results
        Also write ``storage.nc`` (off when regenerating a report from saved results).

    Returns
    -------
    dict
        Paths written, by kind: ``results``, ``summary`` (CSV), ``savings``, ``effect``,
        ``diagnostics``, ``xlsx``, ``markdown``, ``html`` and one per figure.

    Examples
    --------
    >>> import simpact as sp
    >>> spec = sp.load_model("nata")
    >>> post = sp.fit_effects(spec, sp.load_followup(spec), random_seed=1)  # doctest: +SKIP
    >>> sim = sp.simulate(spec, post, random_seed=2)  # doctest: +SKIP
    >>> files = write_report(sim, sp.summarize(sim), "out/nata", lang="en")  # doctest: +SKIP
    >>> files["html"]  # doctest: +SKIP
    PosixPath('out/nata/report.html')
    """
    lang = i18n.check_lang(lang or summary.lang)
    out = Path(out)
    (out / "figures").mkdir(parents=True, exist_ok=True)
    if summary.analysis.data_vars and "decision" not in sim.children:
        sim = sim.copy()
        sim["decision"] = summary.analysis  # the decision stage's output, saved with the rest
    figures = {name: _png(fig) for name, fig in plots.make_figures(sim, summary, lang=lang).items()}
    text_md = render_markdown(sim, summary, lang=lang, figures=set(figures))
    files = {"results": storage.save(sim, out / "storage.nc")} if save_results else {}
    files.update(write_tables(tables(sim, summary), out))
    for name, png in figures.items():
        with storage.atomic_path(out / "figures" / f"{name}.png") as tmp:
            tmp.write_bytes(png)
        files[name] = out / "figures" / f"{name}.png"
    for kind, name, text in (
        ("markdown", "report.md", text_md),
        ("html", "report.html", render_html(text_md, figures, lang=lang)),
    ):
        with storage.atomic_path(out / name) as tmp:
            tmp.write_text(text, encoding="utf-8")
        files[kind] = out / name
    return files
