"""Effect scales: the one table that says what each reported effect scale is.

Every stage that reads an effect (the fit's posterior, the simulation's links, the decision
summary, the report's tables and sentences) asks this table, so a scale's null value, its kind
and its words are written once.

A scale is a **difference** (null 0), a **ratio** (null 1) or a **log ratio** (null 0). "Better"
is the same rule on every scale: when lower values of the outcome are better (an absence, a
placement) the effect improves things when it lies below the null; when higher is better (a
well-being score) when it lies above.

Examples
--------
>>> SCALES["rate_ratio"].null
1.0
>>> import numpy as np
>>> float(p_better("rate_ratio", np.array([0.8, 0.9, 1.1, 0.7]), better="lower"))
0.75
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

Better = Literal["lower", "higher"]
"""Which direction of the outcome is good: ``"lower"`` (fewer absences) or ``"higher"``."""


@dataclass(frozen=True)
class Scale:
    """One effect scale.

    Attributes
    ----------
    name
        The posterior variable and the key used everywhere (``"risk_difference"``).
    kind
        ``"difference"`` (null 0), ``"ratio"`` (null 1) or ``"log_ratio"`` (null 0).
    label
        Words for readers, by language.
    headline
        The simulation's links can read it (it is one of a fit's natural scales), in the order a
        summary prefers when several are present.
    percent
        Shown as percentage points (a risk difference) rather than a plain number.
    """

    name: str
    kind: Literal["difference", "ratio", "log_ratio"]
    label: dict[str, str]
    headline: bool = False
    percent: bool = False

    @property
    def null(self) -> float:
        """The value of "no effect": 1 for a ratio, 0 otherwise."""
        return 1.0 if self.kind == "ratio" else 0.0

    @property
    def is_ratio(self) -> bool:
        """A ratio (null 1), as opposed to a difference or log ratio (null 0)."""
        return self.kind == "ratio"


def _scale(name, kind, en, sv, **kw) -> tuple[str, Scale]:
    return name, Scale(name, kind, {"en": en, "sv": sv}, **kw)


SCALES: dict[str, Scale] = dict(
    [
        _scale(
            "risk_difference",
            "difference",
            "risk difference",
            "riskskillnad",
            headline=True,
            percent=True,
        ),
        _scale("risk_ratio", "ratio", "risk ratio", "riskkvot", headline=True),
        _scale("rate_ratio", "ratio", "rate ratio", "kvot mellan händelsetakter", headline=True),
        _scale("mean_difference", "difference", "mean difference", "medelskillnad", headline=True),
        _scale("log_risk_ratio", "log_ratio", "log risk ratio", "logaritmerad riskkvot"),
        _scale("log_odds_ratio", "log_ratio", "log odds ratio", "logaritmerad oddskvot"),
        _scale("log_rate_ratio", "log_ratio", "log rate ratio", "logaritmerad takt-kvot"),
        _scale("rate_difference", "difference", "rate difference", "skillnad i händelsetakt"),
        _scale(
            "standardised_mean_difference",
            "difference",
            "standardised mean difference",
            "standardiserad medelskillnad",
        ),
    ]
)
"""Every effect scale a fit may report, by posterior variable name."""

HEADLINE: tuple[str, ...] = tuple(name for name, s in SCALES.items() if s.headline)
"""Scales the simulation's links read, in the order a summary prefers (the first present is the
headline effect): risk difference, risk ratio, rate ratio, mean difference."""


def get(name: str) -> Scale:
    """The :class:`Scale` called ``name``; an unknown name is a ``KeyError`` naming the known."""
    try:
        return SCALES[name]
    except KeyError:
        raise KeyError(
            f"unknown effect scale {name!r}; expected one of {', '.join(SCALES)}"
        ) from None


def headline(names) -> str | None:
    """The first of :data:`HEADLINE` among ``names`` (variables of a posterior), or ``None``."""
    present = set(names)
    return next((name for name in HEADLINE if name in present), None)


def improvement(name: str, values, *, better: Better):
    """How much the effect improves the outcome, on its own scale: ``sign * (value - null)``.

    Positive is better whichever way the outcome runs (``sign = -1`` when lower is better); for
    a risk difference it is the fall in risk per person reached, for a ratio the relative fall.
    """
    sign = -1.0 if better == "lower" else 1.0
    return sign * (values - get(name).null)


def p_better(name: str, values, *, better: Better) -> float:
    """The share of draws on the better side of the null (strictly)."""
    return float(np.mean(improvement(name, np.asarray(values), better=better) > 0))
