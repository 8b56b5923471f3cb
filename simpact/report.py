"""Decision-paper reports: Markdown and self-contained HTML (figures embedded), Swedish or English.

:func:`write_report` writes, into one folder, ``results.nc`` (the whole tree with provenance),
``summary.csv`` (the decision table), ``figures/*.png``, ``report.md`` and ``report.html``. Every
number in the text comes from the :class:`~simpact.decision.Summary` table, so text, tables and
figures agree. Files are written atomically.
"""

from __future__ import annotations

import base64
import io
import json
import re
from pathlib import Path

import markdown
import matplotlib.pyplot as plt
import numpy as np
import xarray as xr
from jinja2 import Environment, PackageLoader, StrictUndefined

from simpact import i18n, library, plots, results
from simpact.decision import Summary
from simpact.inputs import Distribution
from simpact.spec import load_model

WORDS = {
    "en": {
        "title": "Appraisal", "summary": "Summary", "quantity": "Quantity", "scope": "For",
        "estimate": "Estimate", "interval": "90 % interval", "mcse": "MC error",
        "effect": "The effect", "group": "Group", "period": "Period", "events": "With outcome",
        "persons": "Persons", "share": "Share", "scale": "Scale", "mean": "Mean",
        "p_better": "P(better)",
        "effect_design": "Design: `{design}` ({family} model of `{outcome}`), treated against comparison.",
        "diagnostics": ("Convergence: largest R-hat {rhat}, smallest ESS {ess}, {div} divergent "
                        "transitions: {verdict}."),
        "ok": "the sampler converged", "not_ok": "NOT CONVERGED, do not cite these numbers",
        "not_converged": "The effect model did not pass the convergence checks; numbers are unreliable.",
        "savings": "Savings per actor and year",
        "savings_text": ("Net present values in SEK ({price_year} prices), discounted at a real rate "
                         "of {rate} with end-of-year timing; event counts are {mode}."),
        "actor": "Actor", "npv": "NPV", "fan_alt": "Fan chart of cumulative savings against cost",
        "fund": "The fund (dubbelmodell)",
        "fund_text": ("The project draws {principal} from the fund part, due {schedule}, repaid by "
                      "{actors} under the rule `{rule}` (arrears until year {horizon})."),
        "frame_text": ("Frame-grant part: {grant} granted; savings landing outside the municipality "
                       "(present value) {external}."),
        "repay_alt": "Repayment: probability of full repayment by year and repaid share",
        "assumptions": "Assumptions", "input": "Input", "value": "Value", "source": "Source",
        "reproducibility": "Reproducibility", "version": "Version", "seed": "Seed",
        "spec": "Model spec", "data": "Follow-up data", "priors": "Priors library",
        "command": "Regenerate with", "expected": "expected values", "year": "year",
        "cohort": "Cohort (persons per project year)", "costs": "Intervention costs",
        "assumption": "assumption (model spec)",
        "synthetic": "SYNTHETIC DATA: the follow-up data are invented for this example; do not cite the numbers as findings.",
    },
    "sv": {
        "title": "Kalkyl", "summary": "Sammanfattning", "quantity": "Storhet", "scope": "För",
        "estimate": "Skattning", "interval": "90 % intervall", "mcse": "MC-fel",
        "effect": "Effekten", "group": "Grupp", "period": "Period", "events": "Med utfall",
        "persons": "Personer", "share": "Andel", "scale": "Skala", "mean": "Medel",
        "p_better": "P(bättre)",
        "effect_design": "Design: `{design}` ({family}-modell av `{outcome}`), insatsgrupp mot jämförelsegrupp.",
        "diagnostics": ("Konvergens: största R-hat {rhat}, minsta ESS {ess}, {div} divergenta "
                        "övergångar: {verdict}."),
        "ok": "samplingen konvergerade", "not_ok": "KONVERGERADE INTE, citera inte siffrorna",
        "not_converged": "Effektmodellen klarade inte konvergenskontrollerna; siffrorna är otillförlitliga.",
        "savings": "Besparingar per aktör och år",
        "savings_text": ("Nettonuvärden i kronor ({price_year} års priser), diskonterade med en real "
                         "ränta på {rate}, betalningar vid årets slut; antal händelser är {mode}."),
        "actor": "Aktör", "npv": "Nettonuvärde",
        "fan_alt": "Solfjäderdiagram över kumulerade besparingar mot kostnad",
        "fund": "Fonden (dubbelmodellen)",
        "fund_text": ("Projektet tar {principal} ur fonddelen, att återbetala {schedule}, av "
                      "{actors} enligt regeln `{rule}` (eftersläpning till och med år {horizon})."),
        "frame_text": ("Ramdelen: {grant} beviljat; besparingar utanför kommunen (nuvärde) {external}."),
        "repay_alt": "Återbetalning: sannolikhet för full återbetalning per år och återbetald andel",
        "assumptions": "Antaganden", "input": "Indata", "value": "Värde", "source": "Källa",
        "reproducibility": "Reproducerbarhet", "version": "Version", "seed": "Slumpfrö",
        "spec": "Modellspecifikation", "data": "Uppföljningsdata", "priors": "Priorbibliotek",
        "command": "Återskapa med", "expected": "väntevärden", "year": "år",
        "cohort": "Kohort (personer per projektår)", "costs": "Insatsens kostnader",
        "assumption": "antagande (modellspecifikationen)",
        "synthetic": "SYNTETISKA DATA: uppföljningsdata är påhittade för detta exempel; citera inte siffrorna som resultat.",
    },
}

_ENV = Environment(
    loader=PackageLoader("simpact", "templates"),
    undefined=StrictUndefined,
    keep_trailing_newline=True,
    autoescape=False,
)

_HTML = """<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body {{ font-family: Georgia, 'Times New Roman', serif; max-width: 52em; margin: 2em auto;
       padding: 0 1em; color: #111; line-height: 1.45; }}
table {{ border-collapse: collapse; margin: 1em 0; font-size: 0.92em; }}
th, td {{ border-bottom: 1px solid #bbb; padding: 0.25em 0.6em; text-align: left; }}
td:nth-child(n+3) {{ font-variant-numeric: tabular-nums; }}
blockquote {{ border-left: 4px solid #000; margin: 1em 0; padding: 0.3em 1em; background: #eee; }}
img {{ max-width: 100%; }}
code {{ font-size: 0.9em; }}
</style></head>
<body>
{body}
</body></html>
"""


def describe(dist: Distribution, lang: str = "en", *, scale: float = 1.0) -> str:
    """A distribution in words: ``lognormal(mean 30 561, sd 6 112)``."""
    fields = {k: v for k, v in dist.model_dump(by_alias=True).items() if k != "dist"}
    digits = 0 if all(abs(v * scale) >= 100 for v in fields.values() if v) else 3

    def fmt(v: float) -> str:
        text = i18n.number(v * scale, lang, digits=digits)
        return text.rstrip("0").rstrip(",.") if digits else text

    if dist.dist == "fixed":
        return fmt(fields["value"])
    return f"{dist.dist}(" + ", ".join(f"{k} {fmt(v)}" for k, v in fields.items()) + ")"


def _interval(row, fmt) -> str:
    return f"{fmt(row['lower'])} – {fmt(row['upper'])}"


def _context(sim: xr.DataTree, summary: Summary, lang: str) -> dict:
    w = WORDS[lang]
    table = summary.table
    spec = load_model(json.loads(sim.attrs["spec"]))
    actors = library.actors()
    fit = sim["fit"]
    msek = lambda v: i18n.msek(v, lang)  # noqa: E731
    pct = lambda v: i18n.percent(v, lang)  # noqa: E731
    pp = lambda v: i18n.number(100 * v, lang, digits=1)  # noqa: E731
    yr = lambda v: "–" if np.isnan(v) else i18n.number(v, lang, digits=1)  # noqa: E731

    def scope_label(scope: str) -> str:
        if scope in actors:
            return getattr(actors[scope].label, lang)
        return i18n.WORDS[lang].get(scope, scope)

    key_rows = []
    formats = {
        "npv": msek, "p_npv_positive": pct, "p_full_on_schedule": pct, "p_full_by_horizon": pct,
        "expected_shortfall": msek, "shortfall_given_short": msek, "repaid_share": pct,
        "p_payback": pct, "payback_year": yr,
    }
    for (metric, scope), row in table.iterrows():
        if metric not in formats or (metric in ("npv", "p_npv_positive") and scope != "total"):
            continue
        fmt = formats[metric]
        key_rows.append({
            "label": i18n.WORDS[lang][metric], "scope": scope_label(scope), "mean": fmt(row["mean"]),
            "interval": _interval(row, fmt),
            "mcse": "–" if np.isnan(row["mcse"]) else (pct(row["mcse"]) if fmt is pct else fmt(row["mcse"])),
        })

    obs = fit["observed_data"].to_dataset()
    labels = {"en": ("comparison", "treated"), "sv": ("jämförelse", "insats")}[lang]
    periods = (spec.effect.pre, spec.effect.post)
    cells = [
        {"group": labels[int(t)], "period": periods[int(p)], "events": int(e), "trials": int(n),
         "share": pct(e / n)}
        for t, p, e, n in zip(obs["treated"].values, obs["post"].values, obs["events"].values,
                              obs["trials"].values, strict=True)
    ]
    post = fit["posterior"].to_dataset()
    effect_rows = []
    for scale in fit.attrs.get("effect_scales", ["risk_difference"]):
        da = post[scale]
        null = 1.0 if scale == "risk_ratio" else 0.0
        lo, hi = np.quantile(da, [0.05, 0.95])
        better = (da < null) if fit.attrs.get("better", "lower") == "lower" else (da > null)
        f = (lambda v: i18n.number(v, lang, digits=3))
        effect_rows.append({"scale": scale, "mean": f(float(da.mean())), "interval": f"{f(lo)} – {f(hi)}",
                            "p_better": pct(float(better.mean()))})
    attrs = fit.attrs
    diagnostics = {
        "rhat": i18n.number(attrs["rhat_max"], lang, digits=3),
        "ess": i18n.number(min(attrs["ess_bulk_min"], attrs["ess_tail_min"]), lang),
        "div": int(attrs["divergences"]),
        "verdict": w["ok"] if attrs["converged"] else w["not_ok"],
    }

    actor_rows = [
        {"actor": scope_label(a), "mean": msek(table.loc[("npv", a), "mean"]),
         "interval": _interval(table.loc[("npv", a)], msek),
         "p": pct(table.loc[("p_npv_positive", a), "mean"])}
        for a in [*sim["cashflows"]["actor"].values.tolist(), "total"]
    ]

    fund = sim["fund"].to_dataset()
    schedule = ", ".join(f"{msek(float(fund['due'].sel(year=y)))} ({w['year']} {int(y)})"
                         for y in fund["year"].values if float(fund["due"].sel(year=y)) > 0)
    disc = sim["cashflows"]["discount_factor"]
    external = float((fund["external_benefits"] * disc).sum("year").mean())

    assumptions = [{"name": w["cohort"], "value": ", ".join(f"{w['year']} {y}: {n}" for y, n in spec.cohort.intake.items()),
                    "source": w["assumption"]}]
    for outcome in spec.outcomes:
        label = getattr(outcome.label, lang) if outcome.label else outcome.name
        for key in ("excess_risk", "baseline_risk", "quantity"):
            dist = getattr(outcome, key)
            if dist is not None:
                assumptions.append({"name": f"{label}: {key.replace('_', ' ')}", "value": describe(dist, lang),
                                    "source": w["assumption"]})
        cost, factor = spec.unit_cost(outcome)
        if isinstance(outcome.unit_cost, str):
            entry = library.unit_costs()[outcome.unit_cost]
            source = f"{entry.source} ({entry.price_year})"
        else:
            source = w["assumption"]
        assumptions.append({"name": f"{label}: unit cost, SEK {spec.intervention.price_year}",
                            "value": describe(cost, lang, scale=factor), "source": source})
        assumptions.append({"name": f"{label}: payers", "value": ", ".join(f"{scope_label(a)} {pct(s)}" for a, s in outcome.payers.items()),
                            "source": w["assumption"]})
    s = spec.simulation
    for name, dist in [("retention", s.retention), ("discount rate", s.discount_rate),
                       *[(f"haircut: {k.replace('_', ' ')}", getattr(s.haircuts, k)) for k in type(s.haircuts).model_fields],
                       *[(f"cashable share: {scope_label(a)}", d) for a, d in s.cashable.items()]]:
        assumptions.append({"name": name, "value": describe(dist, lang), "source": w["assumption"]})
    for actor, by_year in spec.costs.items():
        assumptions.append({"name": f"{w['costs']}: {scope_label(actor)}",
                            "value": ", ".join(f"{w['year']} {y}: {describe(d, lang)}" for y, d in by_year.items()),
                            "source": w["assumption"]})

    seed = sim.attrs.get("random_seed", "")
    command = f"simpact run {sim.attrs.get('spec_source', '')} --seed {seed} --lang {lang}"
    return {
        "w": w, "name": sim.attrs.get("intervention_name", ""), "synthetic": bool(sim.attrs.get("data_synthetic")),
        "converged": bool(attrs["converged"]), "sentences": summary.text, "key_rows": key_rows,
        "design": attrs.get("design", ""), "outcome": attrs.get("outcome", ""), "family": attrs.get("family", ""),
        "cells": cells, "effect_rows": effect_rows, "diagnostics": diagnostics,
        "price_year": sim.attrs.get("price_year", ""), "rate": pct(float(sim["inputs"]["discount_rate"].mean())),
        "mode": w["expected"], "actor_rows": actor_rows,
        "principal": msek(float(fund["principal"])), "schedule": schedule,
        "repaying": ", ".join(scope_label(a) for a in spec.fund.repaying_actors), "rule": fund.attrs["rule"],
        "fund_horizon": fund.attrs["horizon"], "frame_grant": msek(float(fund["frame_grant"].sum())),
        "external": msek(external), "assumptions": assumptions,
        "version": sim.attrs.get("simpact_version", ""), "python": sim.attrs.get("python", ""), "seed": seed,
        "spec_source": sim.attrs.get("spec_source", ""), "data_source": sim.attrs.get("data_source", ""),
        "data_sha256": sim.attrs.get("data_sha256", ""), "priors_sha256": sim.attrs.get("priors_sha256", ""),
        "command": command,
    }


def render_markdown(sim: xr.DataTree, summary: Summary, *, lang: str = "en") -> str:
    """The report as Markdown (figures referenced as ``figures/<name>.png``)."""
    i18n.check_lang(lang)
    return _ENV.get_template("report.md.j2").render(**_context(sim, summary, lang))


def _png(fig) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=120)
    plt.close(fig)
    return buf.getvalue()


def render_html(text_md: str, figures: dict[str, bytes], *, lang: str = "en") -> str:
    """A self-contained HTML page from the Markdown report, with figures as data URIs."""
    body = markdown.markdown(text_md, extensions=["tables"])
    for name, png in figures.items():
        uri = "data:image/png;base64," + base64.b64encode(png).decode()
        body = body.replace(f'src="figures/{name}.png"', f'src="{uri}"')
    title = re.sub(r"<[^>]+>", "", body.split("</h1>")[0]) if "</h1>" in body else "simpact"
    return _HTML.format(lang=lang, title=title.strip(), body=body)


def write_report(
    sim: xr.DataTree, summary: Summary, out: str | Path, *, lang: str | None = None
) -> dict[str, Path]:
    """Write results, summary table, figures and the report (Markdown + HTML) into ``out``.

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

    Returns
    -------
    dict
        Paths written, by kind: ``results``, ``summary``, ``markdown``, ``html`` and one per figure.
    """
    lang = i18n.check_lang(lang or summary.lang)
    out = Path(out)
    (out / "figures").mkdir(parents=True, exist_ok=True)
    text_md = render_markdown(sim, summary, lang=lang)
    figures = {name: _png(make(sim, summary, lang=lang)) for name, make in plots.FIGURES.items()}
    files = {"results": results.save(sim, out / "results.nc")}
    with results.atomic_path(out / "summary.csv") as tmp:
        summary.table.to_csv(tmp)
    files["summary"] = out / "summary.csv"
    for name, png in figures.items():
        with results.atomic_path(out / "figures" / f"{name}.png") as tmp:
            tmp.write_bytes(png)
        files[name] = out / "figures" / f"{name}.png"
    for kind, name, text in (("markdown", "report.md", text_md),
                             ("html", "report.html", render_html(text_md, figures, lang=lang))):
        with results.atomic_path(out / name) as tmp:
            tmp.write_text(text, encoding="utf-8")
        files[kind] = out / name
    return files
