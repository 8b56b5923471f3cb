"""The report's words, by language: the one home of every word the report's text and tables use
(figure words are in :data:`simpact.plots.LABELS`, metric names and sentences in
:data:`simpact.base.i18n.WORDS`, effect scale names in :data:`simpact.base.scales.SCALES`)."""

from __future__ import annotations

from simpact.base import i18n, scales
from simpact.config import priors

WORDS = {
    "en": {
        "never": "not within the horizon",
        "title": "Appraisal",
        "summary": "Summary",
        "quantity": "Quantity",
        "scope": "For",
        "estimate": "Estimate",
        "interval": "90% interval",
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
            "Design: {design}, a {family} of {outcome}, the treated group against a comparison "
            "group."
        ),
        "effect_data": "The data, by group and period:",
        "effect_estimate": (
            "The estimated effect (posterior mean, 90% interval, and the probability that the "
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
            "{actors} under the rule \u201c{rule}\u201d (arrears until year {horizon})."
        ),
        "frame_text": (
            "Frame-grant part: {grant} granted; savings landing outside the municipality "
            "(present value) {external}."
        ),
        "frame_none": (
            "The project has no frame grant; savings landing outside the municipality (present "
            "value): {external}."
        ),
        "before": "before",
        "after": "after",
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
        "treated": "treated",
        "sek": "SEK",
        "bcr_negative": (
            "A benefit–cost ratio below 0 means that the savings are negative: the "
            "intervention adds costs for the actors rather than saving them."
        ),
    },
    "sv": {
        "never": "inte inom horisonten",
        "title": "Kalkyl",
        "summary": "Sammanfattning",
        "quantity": "Storhet",
        "scope": "För",
        "estimate": "Skattning",
        "interval": "90 %-intervall",
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
            "Design: {design}, en {family} av {outcome}, insatsgruppen mot en jämförelsegrupp."
        ),
        "effect_data": "Data per grupp och period:",
        "effect_estimate": (
            "Den skattade effekten (posteriori-medelvärde, 90 %-intervall och sannolikheten att "
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
            "{actors} enligt regeln \u201d{rule}\u201d (eftersläpning till och med år {horizon})."
        ),
        "frame_text": (
            "Ramdelen: {grant} beviljat; besparingar utanför kommunen (nuvärde) {external}."
        ),
        "frame_none": (
            "Projektet har inget rambidrag; besparingar utanför kommunen (nuvärde): {external}."
        ),
        "before": "före",
        "after": "efter",
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
        "treated": "insats",
        "sek": "kr",
        "bcr_negative": (
            "En nytto–kostnadskvot under 0 betyder att besparingarna är negativa: insatsen "
            "ökar aktörernas kostnader i stället för att minska dem."
        ),
    },
}
"""Report words by language (figure words are in :data:`simpact.plots.LABELS`)."""


def scope_label(scope: str, lang: str) -> str:
    """A summary row's scope in words: an actor's label from the priors library, else the
    metric word (``total`` -> "all actors").

    Examples
    --------
    >>> scope_label("total", "en"), scope_label("fund", "sv")
    ('all actors', 'fonddelen')
    """
    actors = priors.actors()
    if scope in actors:
        return getattr(actors[scope].label, lang)
    return i18n.WORDS[lang].get(scope, scope)


def scale_label(name: str, lang: str) -> str:
    """An effect scale in words, from :data:`simpact.base.scales.SCALES` (else its name).

    Examples
    --------
    >>> scale_label("rate_ratio", "en"), scale_label("mu", "sv")
    ('rate ratio', 'mu')
    """
    scale = scales.SCALES.get(name)
    return scale.label[lang] if scale is not None else name
