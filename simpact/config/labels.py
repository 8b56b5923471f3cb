"""Keys in words: the one place that maps a key a reader would otherwise see (an input, an
outcome, an actor, a repayment rule, a design, a family, a distribution) to its label in the
report's language.

Outcome and effect labels come from the spec (``label = { en = ..., sv = ... }``), actors' from
the priors library, the names of the registries' keys from :data:`KEYS` below, and uncertain
inputs' from :data:`simpact.base.i18n.INPUTS`. A key without a label is written with spaces for
underscores, never as code.
"""

from __future__ import annotations

import re

from simpact.base import i18n
from simpact.config import priors
from simpact.config.spec import ModelSpec

KEYS: dict[str, dict[str, dict[str, str]]] = {
    "en": {
        "design": {
            "two_group": "two-group comparison",
            "did": "difference in differences",
            "its": "interrupted time series",
        },
        "family": {
            "bernoulli": "logistic (yes/no) model",
            "binomial": "logistic (k of n) model",
            "poisson": "Poisson (count) model",
            "negbin": "negative binomial (count) model",
            "normal": "normal (mean) model",
            "student_t": "Student t (robust mean) model",
        },
        "rule": {
            "from_savings": "repaid from realized savings",
            "strict": "repaid on schedule whatever the savings",
            "frame_cut": "shortfall cut from the frame grant",
            "capped_return": "repaid from savings up to a cap",
        },
        "dist": {
            "lognormal": "lognormal",
            "normal": "normal",
            "beta": "beta",
            "gamma": "gamma",
            "uniform": "uniform",
            "triangular": "triangular",
            "pert": "PERT",
            "truncnormal": "truncated normal",
        },
        "field": {
            "mean": "mean",
            "sd": "sd",
            "min": "min",
            "max": "max",
            "mode": "mode",
            "low": "low",
            "high": "high",
            "lower": "lower",
            "upper": "upper",
            "mu": "mean",
            "sigma": "sd",
        },
        "prior": {
            "intercept": "baseline level",
            "group": "difference between groups",
            "period": "change between periods",
            "effect": "effect",
            "slope": "trend",
            "sigma": "spread",
        },
        "input": {
            "effect": "effect",
            "effect_prior": "effect (prior)",
            "excess_risk": "excess risk",
            "excess_risk_per_unit": "risk per point of the scale",
            "baseline_risk": "baseline risk",
            "baseline_rate": "baseline rate",
            "quantity": "quantity per event",
            "unit_cost": "unit cost",
            "retention": "persistence",
            "cashable_share": "cashable share",
            "discount_rate": "discount rate",
            "costs": "intervention cost",
        },
    },
    "sv": {
        "design": {
            "two_group": "jämförelse mellan två grupper",
            "did": "skillnad i skillnader",
            "its": "avbruten tidsserie",
        },
        "family": {
            "bernoulli": "logistisk modell (ja/nej)",
            "binomial": "logistisk modell (k av n)",
            "poisson": "Poissonmodell (antal)",
            "negbin": "negativ binomialmodell (antal)",
            "normal": "normalmodell (medelvärde)",
            "student_t": "Student t-modell (robust medelvärde)",
        },
        "rule": {
            "from_savings": "återbetalning ur realiserade besparingar",
            "strict": "återbetalning enligt plan oavsett besparingar",
            "frame_cut": "underskott dras från rambidraget",
            "capped_return": "återbetalning ur besparingar upp till ett tak",
        },
        "dist": {
            "lognormal": "lognormal",
            "normal": "normal",
            "beta": "beta",
            "gamma": "gamma",
            "uniform": "likformig",
            "triangular": "triangulär",
            "pert": "PERT",
            "truncnormal": "trunkerad normal",
        },
        "field": {
            "mean": "medel",
            "sd": "sd",
            "min": "min",
            "max": "max",
            "mode": "typvärde",
            "low": "låg",
            "high": "hög",
            "lower": "nedre",
            "upper": "övre",
            "mu": "medel",
            "sigma": "sd",
        },
        "prior": {
            "intercept": "grundnivå",
            "group": "skillnad mellan grupperna",
            "period": "förändring mellan perioderna",
            "effect": "effekt",
            "slope": "trend",
            "sigma": "spridning",
        },
        "input": {
            "effect": "effekt",
            "effect_prior": "effekt (priori)",
            "excess_risk": "överrisk",
            "excess_risk_per_unit": "risk per skalpoäng",
            "baseline_risk": "grundrisk",
            "baseline_rate": "grundfrekvens",
            "quantity": "mängd per händelse",
            "unit_cost": "styckkostnad",
            "retention": "varaktighet",
            "cashable_share": "budgetrealiserbar andel",
            "discount_rate": "diskonteringsränta",
            "costs": "insatsens kostnad",
        },
    },
}
"""Registry keys in words, by language and kind (``design``, ``family``, ``rule``, ``dist``,
``field`` of a distribution, an effect model's ``prior`` and one uncertain ``input``)."""

PARAMETER = re.compile(r"^(?P<group>[a-z_]+)\[(?P<key>[^\]]+)\]$")
"""A parameter column of one input of a group: ``retention[investigation]``."""


def words(key: str) -> str:
    """A key without a label: spaces for underscores (``sis_care`` -> "sis care")."""
    return key.replace("_", " ")


def key_label(kind: str, key: str, lang: str) -> str:
    """A registry key in words.

    Examples
    --------
    >>> key_label("rule", "from_savings", "en"), key_label("design", "did", "sv")
    ('repaid from realized savings', 'skillnad i skillnader')
    """
    return KEYS[lang][kind].get(key, words(key))


def actor_label(actor: str, lang: str) -> str:
    """An actor's label from the priors library (``total`` and ``fund`` in words too)."""
    actors = priors.actors()
    if actor in actors:
        return getattr(actors[actor].label, lang)
    return i18n.WORDS[lang].get(actor, words(actor))


def outcome_label(spec: ModelSpec | None, outcome: str, lang: str) -> str:
    """An outcome's label from the spec (else the key in words)."""
    for o in spec.outcomes if spec is not None else ():
        if o.name == outcome and o.label is not None:
            return getattr(o.label, lang)
    return words(outcome)


def effect_label(spec: ModelSpec | None, outcome: str, lang: str) -> str:
    """The fitted outcome's label (``[effect] label``), else the column in words."""
    if spec is not None and spec.effect.label is not None:
        return getattr(spec.effect.label, lang)
    return words(outcome)


def input_label(name: str, spec: ModelSpec | None, lang: str) -> str:
    """An uncertain input (a group, or one parameter column ``group[key]``) in words: the group
    as one input, then the outcome or actor it belongs to.

    Examples
    --------
    >>> input_label("unit_cost", None, "sv"), input_label("retention[x_y]", None, "en")
    ('styckkostnader', 'persistence: x y')
    """
    match = PARAMETER.match(name)
    group, key = (match["group"], match["key"]) if match else (name, None)
    if key is None:  # a group of inputs, as EVPPI groups them
        return i18n.input_name(group, lang)
    word = KEYS[lang]["input"].get(group) or i18n.input_name(group, lang)
    if group == "cashable_share" or key in priors.actors():
        return f"{word}: {actor_label(key, lang)}"
    return f"{word}: {outcome_label(spec, key, lang)}"
