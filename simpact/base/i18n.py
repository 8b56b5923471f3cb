"""Swedish and English: number formats and the words of summaries, reports and figures.

Numbers are written with the locale data of Babel (``sv_SE``, ``en_GB``): Swedish uses a
non-breaking space as thousands separator and before "%" and a decimal comma ("1 234,5",
"64 %"); English uses "1,234.5" and "64%". Both use a true minus sign and "MSEK" (after a
non-breaking space) for millions.
"""

from __future__ import annotations

import math

from babel import Locale
from babel import numbers as babel_numbers

LANGS = ("en", "sv")

LOCALES = {"en": "en_GB", "sv": "sv_SE"}
"""The Babel locale of each report language."""

NBSP = "\u00a0"
"""The non-breaking space (between a number and its unit)."""

MINUS = "\u2212"
"""The minus sign of both languages."""


def check_lang(lang: str) -> str:
    """Return ``lang`` if supported, else raise a ValueError listing the choices."""
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}; expected one of {', '.join(LANGS)}")
    return lang


def decimal_separator(lang: str) -> str:
    """The decimal separator of ``lang`` ("," in Swedish, "." in English)."""
    return babel_numbers.get_decimal_symbol(LOCALES[lang])


def number(x: float, lang: str = "en", *, digits: int = 0) -> str:
    """Format a number the Swedish or English way (Babel's locale data).

    Examples
    --------
    >>> number(1234567.891, "sv", digits=1) == "1\u00a0234\u00a0567,9"
    True
    >>> number(-1234.5, "en", digits=1)
    '−1,234.5'
    """
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    pattern = "#,##0" + ("." + "0" * digits if digits > 0 else "")
    text = babel_numbers.format_decimal(
        round(abs(x), digits), format=pattern, locale=LOCALES[lang], decimal_quantization=True
    )
    sign = MINUS if x < 0 and round(abs(x), digits) != 0 else ""
    return sign + text


def msek(x: float, lang: str = "en", *, digits: int = 1) -> str:
    """An amount in SEK as millions: ``msek(-1.46e6, "sv") == "−1,5\u00a0MSEK"``."""
    return f"{number(x / 1e6, lang, digits=digits)}{NBSP}MSEK"


def percent(p: float, lang: str = "en", *, digits: int | None = None) -> str:
    """A probability as a percentage, in the locale's percent pattern; one decimal below 10 %
    unless ``digits`` is given.

    Examples
    --------
    >>> percent(0.6432, "sv") == "64\u00a0%"
    True
    >>> percent(0.004, "en")
    '0.4%'
    """
    if p is None or (isinstance(p, float) and math.isnan(p)):
        return "–"
    value = 100 * p
    if digits is None:
        digits = 1 if abs(value) < 10 and value != 0 else 0
    pattern = Locale.parse(LOCALES[lang]).percent_formats[None].pattern
    body = number(value, lang, digits=digits)
    return pattern.replace("#,##0", body, 1)


WORDS: dict[str, dict[str, str]] = {
    "en": {
        "npv": "Net present value",
        "p_npv_positive": "P(NPV > 0)",
        "p_full_on_schedule": "P(full repayment on schedule, by year {schedule})",
        "p_full_by_horizon": "P(full repayment by year {horizon})",
        "expected_shortfall": "Expected shortfall at year {schedule}",
        "shortfall_given_short": "Mean shortfall at year {schedule} if short",
        "repaid_share": "Share repaid by year {horizon}",
        "payback_year": "Payback year",
        "effect": "Effect",
        "total": "all actors",
        "fund": "fund part",
        "mc_error": "Monte Carlo error",
        "interval": "90% interval",
        "synthetic": "SYNTHETIC DATA: the follow-up data are invented for this example.",
        "bcr": "Benefit–cost ratio (discounted savings per krona of cost)",
        "p_breakeven_4y": "P(break-even within 4 years)",
        "repayment_year": "Year the fund is repaid",
        "p_repaid_by_year": "P(full repayment by the year)",
        "evpi": "EVPI",
        "evppi": "EVPPI",
    },
    "sv": {
        "npv": "Nettonuvärde",
        "p_npv_positive": "P(nettonuvärde > 0)",
        "p_full_on_schedule": "P(full återbetalning enligt plan, senast år {schedule})",
        "p_full_by_horizon": "P(full återbetalning senast år {horizon})",
        "expected_shortfall": "Förväntat underskott år {schedule}",
        "shortfall_given_short": "Medelunderskott år {schedule} om underskott",
        "repaid_share": "Andel återbetald senast år {horizon}",
        "payback_year": "Återbetalningsår",
        "effect": "Effekt",
        "total": "alla aktörer",
        "fund": "fonddelen",
        "mc_error": "Monte Carlo-fel",
        "interval": "90 %-intervall",
        "synthetic": "SYNTETISKA DATA: uppföljningsdata är påhittade för detta exempel.",
        "bcr": "Nytto–kostnadskvot (diskonterade besparingar per krona i kostnad)",
        "p_breakeven_4y": "P(går jämnt ut inom 4 år)",
        "repayment_year": "År då fonden är återbetald",
        "p_repaid_by_year": "P(full återbetalning senast året)",
        "evpi": "EVPI",
        "evppi": "EVPPI",
    },
}
"""Labels used in tables, reports and figures, by language."""

SENTENCES: dict[str, dict[str, str]] = {
    "en": {
        "effect_risk_difference": (
            "{name} changed the risk of {outcome} by {rd} percentage points "
            "(90% interval {lo} to {hi}); the probability that it lowered the risk is {p}."
        ),
        "effect_risk_ratio": (
            "{name} multiplied the risk of {outcome} by {rd} (90% interval {lo} to {hi}); "
            "the probability that it improved the outcome is {p}."
        ),
        "effect_rate_ratio": (
            "{name} multiplied the rate of {outcome} by {rd} (90% interval {lo} to {hi}); "
            "the probability that it improved the outcome is {p}."
        ),
        "effect_mean_difference": (
            "{name} changed the mean of {outcome} by {rd} (90% interval {lo} to {hi}); "
            "the probability that it improved the outcome is {p}."
        ),
        "npv": (
            "The net present value for all actors together is {mean} "
            "(90% interval {lo} to {hi}); the probability that it is positive is {p} "
            "(Monte Carlo error ±{mc})."
        ),
        "repay": (
            "The probability that {name} repays the fund in full by year {year} is {p} "
            "(Monte Carlo error ±{mc})."
        ),
        "shortfall": (
            "The expected shortfall at year {year} is {mean} of a principal of {principal} "
            "(an average over all draws, those repaid in full counting as 0)."
        ),
        "payback": (
            "For all actors together, the median payback year is year {year} (the year from "
            "which the cumulative discounted net benefit stays positive)."
        ),
        "payback_never": (
            "In fewer than half of the draws does the investment pay back for all actors "
            "within {horizon} years."
        ),
        "breakeven": (
            "The probability that the investment breaks even for all actors within one "
            "electoral period ({years} years) is {p} (Monte Carlo error ±{mc})."
        ),
        "voi": (
            "Resolving all uncertainty before deciding would be worth {evpi} (expected value of "
            "perfect information); the input that matters most is {group} ({evppi})."
        ),
    },
    "sv": {
        "effect_risk_difference": (
            "{name} förändrade risken för {outcome} med {rd} procentenheter "
            "(90 %-intervall {lo} till {hi}); sannolikheten att risken sänktes är {p}."
        ),
        "effect_risk_ratio": (
            "{name} multiplicerade risken för {outcome} med {rd} (90 %-intervall {lo} till "
            "{hi}); sannolikheten att utfallet förbättrades är {p}."
        ),
        "effect_rate_ratio": (
            "{name} multiplicerade frekvensen av {outcome} med {rd} (90 %-intervall {lo} till "
            "{hi}); sannolikheten att utfallet förbättrades är {p}."
        ),
        "effect_mean_difference": (
            "{name} förändrade medelvärdet av {outcome} med {rd} (90 %-intervall {lo} till "
            "{hi}); sannolikheten att utfallet förbättrades är {p}."
        ),
        "npv": (
            "Nettonuvärdet för alla aktörer sammantaget är {mean} "
            "(90 %-intervall {lo} till {hi}); sannolikheten att det är positivt är {p} "
            "(Monte Carlo-fel ±{mc})."
        ),
        "repay": (
            "Sannolikheten att {name} återbetalar fonden fullt ut senast år {year} är {p} "
            "(Monte Carlo-fel ±{mc})."
        ),
        "shortfall": (
            "Det förväntade underskottet år {year} är {mean} av ett kapitalbelopp på {principal} "
            "(ett medelvärde över alla dragningar, där full återbetalning räknas som 0)."
        ),
        "payback": (
            "För alla aktörer sammantaget är medianen för återbetalningsåret år {year} (året "
            "från vilket det kumulerade diskonterade nettot förblir positivt)."
        ),
        "payback_never": (
            "I färre än hälften av dragningarna har investeringen lönat sig för alla aktörer "
            "inom {horizon} år."
        ),
        "breakeven": (
            "Sannolikheten att investeringen går jämnt ut för alla aktörer inom en "
            "mandatperiod ({years} år) är {p} (Monte Carlo-fel ±{mc})."
        ),
        "voi": (
            "Att undanröja all osäkerhet före beslutet vore värt {evpi} (förväntat värde av "
            "perfekt information); den indata som betyder mest är {group} ({evppi})."
        ),
    },
}
"""Citation-ready sentence templates, by language."""


INPUTS: dict[str, dict[str, str]] = {
    "en": {
        "effect": "the effect",
        "excess_risk": "excess risks",
        "baseline_risk": "baseline risks",
        "baseline_rate": "baseline rates",
        "excess_risk_per_unit": "risk per point of the scale",
        "quantity": "quantities per event",
        "unit_cost": "unit costs",
        "retention": "persistence",
        "haircut_optimism_bias": "optimism bias",
        "haircut_deadweight": "deadweight",
        "haircut_attribution": "attribution",
        "haircut_displacement": "displacement",
        "cashable_share": "cashable shares",
        "discount_rate": "the discount rate",
        "costs": "the intervention's costs",
    },
    "sv": {
        "effect": "effekten",
        "excess_risk": "överrisker",
        "baseline_risk": "grundrisker",
        "baseline_rate": "grundfrekvenser",
        "excess_risk_per_unit": "risk per skalpoäng",
        "quantity": "mängder per händelse",
        "unit_cost": "styckkostnader",
        "retention": "varaktighet",
        "haircut_optimism_bias": "optimismbias",
        "haircut_deadweight": "dödvikt",
        "haircut_attribution": "tillskrivning",
        "haircut_displacement": "undanträngning",
        "cashable_share": "budgetrealiserbara andelar",
        "discount_rate": "diskonteringsräntan",
        "costs": "insatsens kostnader",
    },
}
"""Names of groups of uncertain inputs (as in a simulation's ``inputs`` group), by language."""


def input_name(group: str, lang: str = "en") -> str:
    """A group of uncertain inputs in words.

    Examples
    --------
    >>> input_name("unit_cost", "sv")
    'styckkostnader'
    """
    return INPUTS[lang].get(group, group.replace("_", " "))
