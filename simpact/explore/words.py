"""The explorer's words in Swedish and English: input labels, units and output names."""

from __future__ import annotations

WORDS: dict[str, dict[str, str]] = {
    "title": {"en": "simpact explorer", "sv": "simpact utforskare"},
    "assumptions": {"en": "Assumptions", "sv": "Antaganden"},
    "fund": {"en": "Fund terms", "sv": "Fondvillkor"},
    "discount": {"en": "Discounting", "sv": "Diskontering"},
    "outputs": {"en": "Results", "sv": "Resultat"},
    "scenarios": {"en": "Scenarios", "sv": "Scenarier"},
    "designer": {"en": "Fund designer", "sv": "Fonddesign"},
    "centre": {"en": "centre", "sv": "mitt"},
    "spread": {"en": "spread", "sv": "spridning"},
    "spec_value": {"en": "in the spec", "sv": "i specifikationen"},
    "retention": {"en": "Retention of the effect per year", "sv": "Kvarvarande effekt per år"},
    "cashable": {"en": "Cashable share", "sv": "Realiserbar andel"},
    "deadweight": {"en": "Deadweight", "sv": "Dödvikt"},
    "attribution": {"en": "Attribution to others", "sv": "Tillskrivning till andra"},
    "displacement": {"en": "Displacement", "sv": "Undanträngning"},
    "optimism_bias": {"en": "Optimism bias", "sv": "Optimismjustering"},
    "intake": {"en": "Intake in project year", "sv": "Intag projektår"},
    "unit_cost": {"en": "Unit cost", "sv": "Enhetskostnad"},
    "excess_risk": {"en": "Excess risk", "sv": "Överrisk"},
    "baseline_risk": {"en": "Baseline risk", "sv": "Grundrisk"},
    "baseline_rate": {"en": "Baseline rate", "sv": "Grundfrekvens"},
    "excess_risk_per_unit": {"en": "Excess risk per unit", "sv": "Överrisk per enhet"},
    "fund_part": {"en": "Fund part in project year", "sv": "Fonddel projektår"},
    "repayment": {
        "en": "Repayment schedule (year: share, ...)",
        "sv": "Återbetalningsplan (år: andel, ...)",
    },
    "rule": {"en": "Repayment rule", "sv": "Återbetalningsregel"},
    "horizon": {"en": "Repayment horizon", "sv": "Återbetalningshorisont"},
    "discount_rate": {"en": "Discount rate (real)", "sv": "Diskonteringsränta (real)"},
    "share": {"en": "share", "sv": "andel"},
    "share_per_year": {"en": "share per year", "sv": "andel per år"},
    "persons": {"en": "persons", "sv": "personer"},
    "project_year": {"en": "project year", "sv": "projektår"},
    "per_year": {"en": "per year", "sv": "per år"},
    "p_full_on_schedule": {
        "en": "P(full repayment on schedule)",
        "sv": "P(full återbetalning enligt plan)",
    },
    "p_full_by_horizon": {
        "en": "P(full repayment by the horizon)",
        "sv": "P(full återbetalning inom horisonten)",
    },
    "expected_shortfall": {"en": "Expected shortfall", "sv": "Förväntat underskott"},
    "npv": {"en": "NPV", "sv": "Nettonuvärde"},
    "p_npv_positive": {"en": "P(NPV > 0)", "sv": "P(nettonuvärde > 0)"},
    "total": {"en": "total", "sv": "totalt"},
    "interval": {"en": "90 % interval", "sv": "90 % intervall"},
    "keep": {"en": "Keep as scenario", "sv": "Spara som scenario"},
    "name": {"en": "Scenario name", "sv": "Scenarionamn"},
    "export_toml": {"en": "Export spec (TOML)", "sv": "Exportera spec (TOML)"},
    "export_report": {"en": "Export report", "sv": "Exportera rapport"},
    "reproduce": {"en": "Reproduce with", "sv": "Återskapa med"},
    "p_capital_intact": {"en": "P(capital intact)", "sv": "P(kapitalet intakt)"},
    "p_cannot_pay": {
        "en": "P(the fund cannot pay a project)",
        "sv": "P(fonden kan inte betala ett projekt)",
    },
    "projects": {"en": "Projects (file: start year)", "sv": "Projekt (fil: startår)"},
    "apply_all": {
        "en": "Rule and schedule applied to all projects",
        "sv": "Regel och plan för alla projekt",
    },
    "update": {"en": "Update", "sv": "Uppdatera"},
    "seed": {"en": "seed", "sv": "frö"},
    "draws": {"en": "draws", "sv": "dragningar"},
}


def word(key: str, lang: str) -> str:
    """The word for ``key`` in ``lang`` (the key itself when there is none)."""
    entry = WORDS.get(key)
    return entry[lang] if entry else key
