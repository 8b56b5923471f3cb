"""The template context: what ``report.md.j2`` shows, one function per section.

A section is ``None`` (or empty) when its inputs are not in the results tree, and the template
leaves it out, so the report grows as the pipeline does.
"""

from __future__ import annotations

import numpy as np
import xarray as xr

from simpact import plots
from simpact.base import i18n
from simpact.config import labels
from simpact.config.spec import ModelSpec
from simpact.decision.summary import Summary
from simpact.report.assumptions import assumption_rows
from simpact.report.formats import format_row
from simpact.report.provenance import command, versions
from simpact.report.tables import effect_table, fund_years, key_rows, savings_table
from simpact.report.words import WORDS, scale_label, scope_label


def context(
    sim: xr.DataTree, summary: Summary, lang: str, figures: set[str], spec: ModelSpec | None
) -> dict:
    """Everything the Markdown template needs, section by section."""
    effect = effect_section(sim, spec, lang)
    return {
        "w": WORDS[lang],
        "name": sim.attrs.get("intervention_name", ""),
        "synthetic": bool(sim.attrs.get("data_synthetic")),
        "converged": effect is None or effect["converged"],
        "warnings": [str(w) for w in sim.attrs.get("warnings", [])],
        "figures": figures,
        "sentences": summary.text,
        "key_rows": key_rows(summary.table, lang, fund_years(sim)),
        "bcr_note": bcr_note(summary, lang),
        "effect": effect,
        **savings_section(sim, summary, lang),
        "fund": fund_section(sim, lang),
        **sensitivity_section(sim, figures, lang, spec),
        "assumptions": assumptions_section(sim, spec, lang),
        **reproducibility_section(sim, spec, lang),
    }


def bcr_note(summary: Summary, lang: str) -> str | None:
    """A note when the benefit–cost ratio's interval reaches below 0 (savings negative)."""
    table = summary.table
    if ("bcr", "total") not in table.index or not table.loc[("bcr", "total"), "lower"] < 0:
        return None
    return WORDS[lang]["bcr_negative"]


def effect_section(sim: xr.DataTree, spec: ModelSpec | None, lang: str) -> dict | None:
    """The effect: data cells, estimates and diagnostics in words (``None`` without a fit)."""
    if not plots.has(sim, "fit/posterior"):
        return None
    fit = sim["fit"]
    periods = (WORDS[lang]["before"], WORDS[lang]["after"])
    num3 = lambda v: i18n.number(v, lang, digits=3)  # noqa: E731
    rows = [
        {
            "scale": scale_label(str(scale), lang),
            "mean": num3(r["mean"]),
            "interval": f"{num3(r['lower'])} – {num3(r['upper'])}",
            "p_better": i18n.percent(r["p_better"], lang),
        }
        for scale, r in effect_table(fit).iterrows()
    ]
    return {
        "design": labels.key_label("design", str(fit.attrs.get("design", "")), lang),
        "outcome": labels.effect_label(spec, str(fit.attrs.get("outcome", "")), lang),
        "family": labels.key_label("family", str(fit.attrs.get("family", "")), lang),
        "cells": effect_cells(fit, periods, lang),
        "rows": rows,
        "diagnostics": diagnostics_words(fit, lang),
        "converged": bool(fit.attrs.get("converged", False)),
    }


def effect_cells(fit: xr.DataTree, periods: tuple[str, str], lang: str) -> list[dict[str, str]]:
    """The data by group and period (events, persons, share), when the fit saved them."""
    obs = fit["observed_data"].to_dataset() if "observed_data" in fit.children else None
    if obs is None or not {"treated", "post", "events", "trials"} <= set(obs.data_vars):
        return []
    w = WORDS[lang]
    columns = (obs[v].to_numpy() for v in ("treated", "post", "events", "trials"))
    return [
        {
            "group": w["treated" if int(t) else "comparison"],
            "period": periods[int(p)],
            "events": i18n.number(int(e), lang),
            "trials": i18n.number(int(n), lang),
            "share": i18n.percent(e / n, lang),
        }
        for t, p, e, n in zip(*columns, strict=True)
    ]


def diagnostics_words(fit: xr.DataTree, lang: str) -> str:
    """The sampler's diagnostics in plain words, with the convergence verdict."""
    from simpact.effects import ESS_MIN, RHAT_MAX

    w = WORDS[lang]
    attrs = fit.attrs
    rhat = float(attrs.get("rhat_max", np.nan))
    ess = float(min(attrs.get("ess_bulk_min", np.nan), attrs.get("ess_tail_min", np.nan)))
    div = int(attrs.get("divergences", 0))
    return w["diagnostics"].format(
        chains=fit["posterior"].sizes.get("chain", ""),
        rhat_words=w["rhat_ok"] if rhat <= RHAT_MAX else w["rhat_bad"],
        rhat=i18n.number(rhat, lang, digits=3),
        rhat_max=i18n.number(RHAT_MAX, lang, digits=2),
        ess=i18n.number(ess, lang),
        ess_min=i18n.number(ESS_MIN, lang),
        div_words=w["div_none"] if div == 0 else w["div_some"].format(div=div),
        verdict=w["ok"] if attrs.get("converged", False) else w["not_ok"],
    )


def savings_section(sim: xr.DataTree, summary: Summary, lang: str) -> dict:
    """NPV per actor (from the summary table) and mean gross savings per year."""
    w = WORDS[lang]
    table = summary.table
    actors = [*(str(a) for a in sim["cashflows"]["actor"].to_numpy()), "total"]
    actor_rows = [
        {
            "actor": scope_label(a, lang),
            "mean": i18n.msek(table.loc[("npv", a), "mean"], lang),
            "interval": format_row(table.loc[("npv", a)], lang)["interval"],
            "p": i18n.percent(table.loc[("p_npv_positive", a), "mean"], lang),
        }
        for a in actors
        if ("npv", a) in table.index
    ]
    by_year = savings_table(sim)
    columns = [c for c in by_year.columns if c != "calendar_year" and by_year[c].abs().sum() > 0]
    savings_rows = [
        {
            "year": int(y),
            "calendar": int(r["calendar_year"]),
            "values": [i18n.number(r[c] / 1e6, lang, digits=2) for c in columns],
        }
        for y, r in by_year.iterrows()
        if r[columns].abs().sum() > 0
    ]
    return {
        "p_npv_positive": i18n.WORDS[lang]["p_npv_positive"],
        "price_year": sim.attrs.get("price_year", ""),
        "rate": i18n.percent(float(sim["inputs"]["discount_rate"].mean()), lang),
        "mode": w["realized" if sim.attrs.get("mode") == "realized" else "expected"],
        "actor_rows": actor_rows,
        "savings_header": [scope_label(c, lang) for c in columns],
        "savings_rows": savings_rows,
    }


def fund_section(sim: xr.DataTree, lang: str) -> dict | None:
    """The fund part's terms and the frame grant (``None`` without the fund stage)."""
    if "fund" not in sim.children:
        return None
    w = WORDS[lang]
    msek = lambda v: i18n.msek(v, lang)  # noqa: E731
    fund = sim["fund"].to_dataset()
    disc = sim["cashflows"]["discount_factor"]
    due = fund["due"]
    schedule = ", ".join(
        f"{msek(float(due.sel(year=y)))} ({w['year']} {int(y)})"
        for y in fund["year"].values
        if float(due.sel(year=y)) > 0
    )
    grant = float(fund["frame_grant"].sum()) if "frame_grant" in fund else 0.0
    external = (
        msek(float((fund["external_benefits"] * disc).sum("year").mean()))
        if "external_benefits" in fund
        else "–"
    )
    return {
        "text": w["fund_text"].format(
            principal=msek(float(fund["principal"])),
            schedule=schedule,
            actors=", ".join(scope_label(a, lang) for a in fund.attrs.get("repaying_actors", [])),
            rule=labels.key_label("rule", str(fund.attrs.get("rule", "")), lang),
            horizon=fund.attrs.get("horizon", ""),
        ),
        "frame": w["frame_text"].format(grant=msek(grant), external=external)
        if grant > 0
        else w["frame_none"].format(external=external),
    }


def sensitivity_section(
    sim: xr.DataTree, figures: set[str], lang: str, spec: ModelSpec | None = None
) -> dict:
    """EVPPI per input and EVPI, from the tree's ``decision`` group; shown with its figures."""
    evppi_rows, evpi = [], None
    msek2 = lambda v: i18n.msek(v, lang, digits=2)  # noqa: E731
    if plots.has(sim, "decision", "evppi"):
        ev = sim["decision/evppi"].to_pandas().sort_values(ascending=False)
        evppi_rows = [
            {"name": labels.input_label(str(k), spec, lang), "value": msek2(float(v))}
            for k, v in ev.items()
        ]
        if "evpi" in sim["decision"].data_vars:
            evpi = msek2(float(sim["decision/evpi"]))
    shown = bool({"tornado", "acceptability", "evppi"} & figures) or bool(evppi_rows)
    return {"sensitivity": shown, "evppi_rows": evppi_rows, "evpi": evpi}


def assumptions_section(
    sim: xr.DataTree, spec: ModelSpec | None, lang: str
) -> list[dict[str, str]]:
    """Every input with its value and source (empty when the tree holds no spec)."""
    if spec is None:
        return []
    fit_priors = sim["fit"].attrs.get("priors") if "fit" in sim.children else None
    return assumption_rows(spec, fit_priors, lang)


def reproducibility_section(sim: xr.DataTree, spec: ModelSpec | None, lang: str) -> dict:
    """Versions, seed, the spec, data and priors fingerprints, and the command to rerun."""
    spec_id = spec.intervention.id if spec is not None else ""
    return {
        "versions": versions(sim),
        "seed": sim.attrs.get("random_seed", ""),
        "spec_source": sim.attrs.get("spec_source", "") or spec_id,
        "data_source": sim.attrs.get("data_source", ""),
        "data_sha256": sim.attrs.get("data_sha256", ""),
        "priors_sha256": sim.attrs.get("priors_sha256", ""),
        "command": command(sim, lang, spec=spec),
    }
