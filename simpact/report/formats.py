"""How the report writes numbers: a distribution in words (:func:`describe`), a number with its
units (:func:`formatter`) and a summary-table row as the cells the report shows
(:func:`format_row`, which reads the row's ``kind``: see :mod:`simpact.decision.rows`)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from simpact.base import i18n
from simpact.components.distributions import Distribution
from simpact.config import labels
from simpact.decision.rows import MONTE_CARLO, POSTERIOR, VALUE

PERCENT_UNITS = ("1",)
"""Units written as a percentage (a share or a probability)."""


def describe(
    dist: Distribution, lang: str = "en", *, scale: float = 1.0, unit: str = "", share: bool = False
) -> str:
    """A distribution in words: ``lognormal, mean 30,561 SEK, sd 6,112 SEK``.

    ``unit`` follows every number (after a non-breaking space); ``share`` writes the numbers
    as percentages (a probability or a share).

    Examples
    --------
    >>> from simpact.components.distributions import as_dist
    >>> describe(as_dist({"dist": "uniform", "min": 0.5, "max": 0.9}), "sv", share=True)
    'likformig, min 50\xa0%, max 90\xa0%'
    >>> describe(as_dist({"dist": "gamma", "mean": 0.0003, "sd": 0.00015}))
    'gamma, mean 0.0003, sd 0.00015'
    >>> describe(as_dist({"dist": "lognormal", "mean": 30561, "sd": 6112.2}), "en", unit="SEK")
    'lognormal, mean 30,561\xa0SEK, sd 6,112\xa0SEK'
    """
    fields = {k: v for k, v in dist.model_dump(by_alias=True).items() if k != "dist"}

    def value(v: float) -> str:
        if share:
            return i18n.percent(v * scale, lang)
        return significant(v * scale, lang) + (i18n.NBSP + unit if unit else "")

    if dist.dist == "fixed":
        return value(fields["value"])
    args = ", ".join(f"{labels.key_label('field', k, lang)} {value(v)}" for k, v in fields.items())
    return f"{labels.key_label('dist', dist.dist, lang)}, {args}"


def significant(x: float, lang: str) -> str:
    """Whole numbers from 100 up, else three significant figures (0.0003 stays 0.0003).

    Examples
    --------
    >>> significant(30561.4, "en"), significant(0.01234, "en"), significant(0.5, "sv")
    ('30,561', '0.0123', '0,5')
    """
    digits = 0 if x == 0 or abs(x) >= 100 else 2 - math.floor(math.log10(abs(x)))
    text = i18n.number(x, lang, digits=digits)
    return text.rstrip("0").rstrip(",.") if digits else text


def formatter(units: str, lang: str, *, probability: bool = False):
    """How a number with these units is written in the report (the table and text share it).

    Examples
    --------
    >>> formatter("SEK (2023 prices)", "sv")(-1.46e6)
    '−1,5\xa0MSEK'
    >>> formatter("1", "en", probability=True)(0.643)
    '64%'
    """
    if units == "SEK/SEK":
        return lambda v: i18n.number(v, lang, digits=2)
    if units.startswith("SEK"):
        return lambda v: i18n.msek(v, lang)
    if probability or units in PERCENT_UNITS:
        return lambda v: i18n.percent(v, lang)
    return lambda v: i18n.number(v, lang, digits=1)


def format_row(row: pd.Series, lang: str) -> dict[str, str]:
    """A summary row as the report's cells: ``mean``, ``interval`` and ``mcse`` (``–`` if none).

    Only a ``"posterior"`` row has a 90 % interval (the spread of the quantity's draws); a
    probability (``"monte_carlo"``) shows its Monte Carlo error as "±" instead, and a row
    whose bounds are missing (an expectation such as the expected shortfall) shows none.

    Examples
    --------
    >>> row = pd.Series({"mean": 0.64, "lower": 0.62, "upper": 0.66, "mcse": 0.012,
    ...                  "units": "1", "kind": "monte_carlo"})
    >>> format_row(row, "en")
    {'mean': '64%', 'interval': '–', 'mcse': '±1.2%'}
    >>> row = pd.Series({"mean": 3.2e5, "lower": -1e5, "upper": 9e5, "mcse": 2e3,
    ...                  "units": "SEK", "kind": "posterior"})
    >>> format_row(row, "en")
    {'mean': '0.3\xa0MSEK', 'interval': '−0.1\xa0MSEK – 0.9\xa0MSEK', 'mcse': '±0.00\xa0MSEK'}
    """
    kind = row["kind"]
    units = str(row["units"])
    fmt = formatter(units, lang, probability=kind == MONTE_CARLO)
    bounds = row.get("lower", np.nan), row.get("upper", np.nan)
    interval = "–"
    if kind == POSTERIOR and not any(pd.isna(b) for b in bounds):
        interval = f"{fmt(bounds[0])} – {fmt(bounds[1])}"
    return {"mean": fmt(row["mean"]), "interval": interval, "mcse": _mcse(row, kind, lang)}


def _mcse(row: pd.Series, kind: str, lang: str) -> str:
    mcse = row.get("mcse", np.nan)
    units = str(row["units"])
    if kind == VALUE or pd.isna(mcse) or pd.isna(row["mean"]):
        return "–"
    if kind == MONTE_CARLO or units in PERCENT_UNITS:
        return "±" + i18n.percent(mcse, lang, digits=1)
    if units.startswith("SEK") and units != "SEK/SEK":
        return "±" + i18n.msek(mcse, lang, digits=2)
    return "±" + formatter(units, lang)(mcse)
