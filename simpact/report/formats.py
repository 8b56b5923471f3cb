"""How the report writes numbers: a distribution in words (:func:`describe`), a number with its
units (:func:`formatter`) and a summary-table row as the cells the report shows
(:func:`format_row`, which reads the row's ``kind``: see :mod:`simpact.decision.rows`)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from simpact.base import i18n
from simpact.components.distributions import Distribution
from simpact.decision.rows import MONTE_CARLO, VALUE

PERCENT_UNITS = ("1",)
"""Units written as a percentage (a share or a probability)."""


def describe(dist: Distribution, lang: str = "en", *, scale: float = 1.0) -> str:
    """A distribution in words: ``lognormal(mean 30 561, sd 6 112)``.

    Examples
    --------
    >>> from simpact.components.distributions import as_dist
    >>> describe(as_dist({"dist": "uniform", "min": 0.5, "max": 0.9}), "sv")
    'uniform(min 0,5, max 0,9)'
    >>> describe(as_dist({"dist": "gamma", "mean": 0.0003, "sd": 0.00015}))
    'gamma(mean 0.0003, sd 0.00015)'
    >>> describe(as_dist({"dist": "lognormal", "mean": 30561, "sd": 6112.2}), "sv")
    'lognormal(mean 30 561, sd 6 112)'
    """
    fields = {k: v for k, v in dist.model_dump(by_alias=True).items() if k != "dist"}
    if dist.dist == "fixed":
        return significant(fields["value"] * scale, lang)
    args = ", ".join(f"{k} {significant(v * scale, lang)}" for k, v in fields.items())
    return f"{dist.dist}({args})"


def significant(x: float, lang: str) -> str:
    """Whole numbers from 100 up, else three significant figures (0.0003 stays 0.0003).

    Examples
    --------
    >>> significant(30561.4, "sv"), significant(0.01234, "en"), significant(0.5, "sv")
    ('30 561', '0.0123', '0,5')
    """
    digits = 0 if x == 0 or abs(x) >= 100 else 2 - math.floor(math.log10(abs(x)))
    text = i18n.number(x, lang, digits=digits)
    return text.rstrip("0").rstrip(",.") if digits else text


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
    if probability or units in PERCENT_UNITS:
        return lambda v: i18n.percent(v, lang)
    return lambda v: i18n.number(v, lang, digits=1)


def format_row(row: pd.Series, lang: str) -> dict[str, str]:
    """A summary row as the report's cells: ``mean``, ``interval`` and ``mcse`` (``–`` if none).

    Examples
    --------
    >>> row = pd.Series({"mean": 0.64, "lower": 0.62, "upper": 0.66, "mcse": 0.012,
    ...                  "units": "1", "kind": "monte_carlo"})
    >>> format_row(row, "en")
    {'mean': '64 %', 'interval': '62 % – 66 %', 'mcse': '1.2 %'}
    >>> format_row(pd.Series({"mean": 3.2e5, "units": "SEK", "kind": "value"}), "sv")
    {'mean': '0,3 MSEK', 'interval': '–', 'mcse': '–'}
    """
    kind = row["kind"]
    units = str(row["units"])
    fmt = formatter(units, lang, probability=kind == MONTE_CARLO)
    interval = "–" if kind == VALUE else f"{fmt(row['lower'])} – {fmt(row['upper'])}"
    return {"mean": fmt(row["mean"]), "interval": interval, "mcse": _mcse(row, kind, lang)}


def _mcse(row: pd.Series, kind: str, lang: str) -> str:
    mcse = row.get("mcse", np.nan)
    units = str(row["units"])
    if kind == VALUE or pd.isna(mcse):
        return "–"
    if kind == MONTE_CARLO or units in PERCENT_UNITS:
        return i18n.percent(mcse, lang, digits=1)
    if units.startswith("SEK") and units != "SEK/SEK":
        return i18n.msek(mcse, lang, digits=2)
    return formatter(units, lang)(mcse)
