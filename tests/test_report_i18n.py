"""Numbers the Swedish way in Swedish and the English way in English (known answers)."""

from __future__ import annotations

import pytest

from simpact import report
from simpact.base import i18n
from simpact.components.distributions import as_dist

NB = "\u00a0"  # the non-breaking space of Swedish numbers (Babel's sv_SE locale data)


@pytest.mark.parametrize(
    ("x", "lang", "digits", "expected"),
    [
        (1234567.891, "sv", 1, f"1{NB}234{NB}567,9"),
        (1234567.891, "en", 1, "1,234,567.9"),
        (-1234.5, "en", 1, "−1,234.5"),
        (-1234.5, "sv", 1, f"−1{NB}234,5"),
        (-1500, "en", 0, "−1,500"),
        (-0.04, "sv", 1, "0,0"),  # no minus sign on a number that prints as zero
        (0.5, "sv", 2, "0,50"),
        (999.96, "en", 1, "1,000.0"),
    ],
)
def test_number(x, lang, digits, expected):
    assert i18n.number(x, lang, digits=digits) == expected


def test_numbers_follow_babel_locale_data():
    from babel import numbers

    assert i18n.number(1234567.5, "sv", digits=1) == numbers.format_decimal(
        1234567.5, format="#,##0.0", locale="sv_SE"
    )
    assert i18n.percent(0.64, "sv") == numbers.format_percent(0.64, locale="sv_SE")
    assert i18n.percent(0.64, "en") == numbers.format_percent(0.64, locale="en_GB")


def test_msek_and_percent():
    assert i18n.msek(-2_730_000, "sv") == f"−2,7{NB}MSEK"
    assert i18n.msek(-2_730_000, "en") == f"−2.7{NB}MSEK"
    assert i18n.msek(1_234_500_000, "sv") == f"1{NB}234,5{NB}MSEK"
    assert i18n.percent(0.6432, "sv") == f"64{NB}%"
    assert i18n.percent(0.085, "sv") == f"8,5{NB}%"
    assert i18n.percent(0.085, "en") == "8.5%"


def test_describe_distributions_in_words_in_both_languages():
    dist = as_dist({"dist": "lognormal", "mean": 30561, "sd": 6112})
    assert (
        report.describe(dist, "sv", unit="kr")
        == f"lognormal, medel 30{NB}561{NB}kr, sd 6{NB}112{NB}kr"
    )
    assert report.describe(dist, "en") == "lognormal, mean 30,561, sd 6,112"
    assert report.describe(as_dist(1000), "en") == "1,000"
    assert report.describe(as_dist({"dist": "uniform", "min": 0.5, "max": 0.9}), "sv") == (
        "likformig, min 0,5, max 0,9"
    )
    share = as_dist({"dist": "beta", "mean": 0.2, "sd": 0.07})
    assert report.describe(share, "sv", share=True) == f"beta, medel 20{NB}%, sd 7,0{NB}%"
    # a small rate keeps its significant figures instead of rounding to 0
    small = as_dist({"dist": "gamma", "mean": 0.0003, "sd": 0.00015})
    assert report.describe(small, "sv") == "gamma, medel 0,0003, sd 0,00015"
    assert report.describe(as_dist(-0.01234), "en") == "−0.0123"


def test_swedish_terms():
    from simpact.config import labels

    assert labels.input_label("haircut_deadweight", None, "sv") == "dödvikt"
    assert labels.input_label("haircut_optimism_bias", None, "sv") == "optimismbias"
    assert labels.input_label("haircut_attribution", None, "sv") == "tillskrivning"
    assert labels.input_label("haircut_displacement", None, "sv") == "undanträngning"
    assert report.WORDS["sv"]["interval"] == f"90{NB}%-intervall"
    assert i18n.WORDS["sv"]["interval"] == f"90{NB}%-intervall"


def test_formatter_by_units():
    assert report.formatter("SEK (2023 prices)", "sv")(-1_460_000) == f"−1,5{NB}MSEK"
    assert report.formatter("1", "en", probability=True)(0.64) == "64%"
    assert report.formatter("project year", "sv")(8.59) == "8,6"


def test_words_cover_both_languages():
    assert set(report.WORDS["sv"]) == set(report.WORDS["en"])
    assert set(i18n.WORDS["sv"]) == set(i18n.WORDS["en"])
    assert set(i18n.SENTENCES["sv"]) == set(i18n.SENTENCES["en"])


def test_figure_words_cover_both_languages():
    from simpact import plots

    assert set(plots.LABELS["sv"]) == set(plots.LABELS["en"])
