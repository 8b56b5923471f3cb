"""Numbers the Swedish way in Swedish and the English way in English (known answers)."""

from __future__ import annotations

import pytest

from simpact import report
from simpact.base import i18n
from simpact.components.distributions import as_dist


@pytest.mark.parametrize(
    ("x", "lang", "digits", "expected"),
    [
        (1234567.891, "sv", 1, "1 234 567,9"),
        (1234567.891, "en", 1, "1,234,567.9"),
        (-1234.5, "en", 1, "−1,234.5"),
        (-1234.5, "sv", 1, "−1 234,5"),
        (-1500, "en", 0, "−1,500"),
        (-0.04, "sv", 1, "0,0"),  # no minus sign on a number that prints as zero
        (0.5, "sv", 2, "0,50"),
        (999.96, "en", 1, "1,000.0"),
    ],
)
def test_number(x, lang, digits, expected):
    assert i18n.number(x, lang, digits=digits) == expected


def test_msek_and_percent():
    assert i18n.msek(-2_730_000, "sv") == "−2,7 MSEK"
    assert i18n.msek(-2_730_000, "en") == "−2.7 MSEK"
    assert i18n.msek(1_234_500_000, "sv") == "1 234,5 MSEK"
    assert i18n.percent(0.6432, "sv") == "64 %"
    assert i18n.percent(0.085, "sv") == "8,5 %"
    assert i18n.percent(0.085, "en") == "8.5 %"


def test_describe_distributions_in_both_languages():
    dist = as_dist({"dist": "lognormal", "mean": 30561, "sd": 6112})
    assert report.describe(dist, "sv") == "lognormal(mean 30 561, sd 6 112)"
    assert report.describe(dist, "en") == "lognormal(mean 30,561, sd 6,112)"
    assert report.describe(as_dist(1000), "en") == "1,000"
    assert report.describe(as_dist({"dist": "uniform", "min": 0.5, "max": 0.9}), "sv") == (
        "uniform(min 0,5, max 0,9)"
    )
    # a small rate keeps its significant figures instead of rounding to 0
    small = as_dist({"dist": "gamma", "mean": 0.0003, "sd": 0.00015})
    assert report.describe(small, "sv") == "gamma(mean 0,0003, sd 0,00015)"
    assert report.describe(as_dist(-0.01234), "en") == "−0.0123"


def test_formatter_by_units():
    assert report.formatter("SEK (2023 prices)", "sv")(-1_460_000) == "−1,5 MSEK"
    assert report.formatter("1", "en", probability=True)(0.64) == "64 %"
    assert report.formatter("project year", "sv")(8.59) == "8,6"


def test_words_cover_both_languages():
    assert set(report.WORDS["sv"]) == set(report.WORDS["en"])
    assert set(i18n.WORDS["sv"]) == set(i18n.WORDS["en"])
    assert set(i18n.SENTENCES["sv"]) == set(i18n.SENTENCES["en"])


def test_figure_words_cover_both_languages():
    from simpact import plots

    assert set(plots.LABELS["sv"]) == set(plots.LABELS["en"])
