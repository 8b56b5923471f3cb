"""Effect links: how an effect acts on a costly event (:data:`EFFECT_LINKS`).

A spec's outcome names its link by key (``effect = "linked"``); the link says which effect
scale it reads from the fit (or from the outcome's ``effect_prior``), which uncertain inputs it
needs and whether the event is counted as a risk (binomial) or a rate (Poisson).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

from simpact.base import plugins


@dataclass(frozen=True)
class Link:
    """How an effect acts on a costly event.

    Attributes
    ----------
    per_person
        ``f(effect, inputs) -> avoided events per person reached`` (before timing).
    scale
        The effect scale the link reads from the fit (or from ``effect_prior``).
    needs
        The outcome's uncertain inputs the link uses.
    counts
        ``"binomial"`` (a risk: at most one event per person) or ``"poisson"`` (a rate).
    """

    per_person: Callable[[np.ndarray, Mapping[str, np.ndarray]], np.ndarray]
    scale: str
    needs: tuple[str, ...]
    counts: str


EFFECT_LINKS: dict[str, Link] = {
    "linked": Link(
        lambda e, d: e * d["excess_risk"], "risk_difference", ("excess_risk",), "binomial"
    ),
    "difference": Link(lambda e, d: e, "risk_difference", (), "binomial"),
    "relative": Link(
        lambda e, d: d["baseline_risk"] * (1 - e), "risk_ratio", ("baseline_risk",), "binomial"
    ),
    "rate": Link(
        lambda e, d: d["baseline_rate"] * (1 - e), "rate_ratio", ("baseline_rate",), "poisson"
    ),
    "per_unit": Link(
        lambda e, d: e * d["excess_risk_per_unit"],
        "mean_difference",
        ("excess_risk_per_unit",),
        "binomial",
    ),
}
"""How an effect acts on a costly event, per person reached.

* ``linked``: each avoided case of the fitted (bad) outcome removes ``excess_risk`` of the event;
* ``difference``: the event *is* the fitted outcome; the risk difference applies directly;
* ``relative``: the event's ``baseline_risk`` falls by the fitted risk ratio;
* ``rate``: the event's ``baseline_rate`` (events per person over the profile) falls by the
  fitted rate ratio (count outcomes);
* ``per_unit``: a continuous outcome (a well-being score, say): each point of improvement in the
  fitted mean removes ``excess_risk_per_unit`` of the event's risk, so the avoided risk per
  person is ``improvement * excess_risk_per_unit`` (a linear, first-order link: it suits effects
  that are small against the scale's spread). ``excess_risk_per_unit`` is the slope of the
  event's risk on the score, e.g. from a cohort study relating the score to the later event.

On the difference scales (``risk_difference``, ``mean_difference``) the effect enters as the
*improvement*: ``-effect`` when ``better = "lower"``, ``+effect`` when ``"higher"``.
"""

plugins.register(EFFECT_LINKS, "simpact.links")
