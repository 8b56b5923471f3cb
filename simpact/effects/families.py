"""Outcome families: link, data-scaled default priors, likelihood and reported effect scales.

:data:`FAMILIES` maps the spec's ``family`` to a :class:`Family`. A design builds a linear
predictor ``eta`` (with the intervention) and ``eta0`` (its counterfactual, the same rows
without it) on the link scale; the family turns them into the effect on its natural scale.

=============  ========  ====================  ====================================================
family         link      natural scale         also reported
=============  ========  ====================  ====================================================
bernoulli      logit     ``risk_difference``   ``risk_ratio``, ``log_risk_ratio``,
                                               ``log_odds_ratio``
binomial       logit     ``risk_difference``   (as bernoulli; ``trials`` holds n of "k of n")
poisson        log       ``rate_ratio``        ``rate_difference`` (per unit of exposure),
                                               ``log_rate_ratio``
negbin         log       ``rate_ratio``        (as poisson; NB2 with ``overdispersion``)
normal         identity  ``mean_difference``   ``standardised_mean_difference`` (sd = sigma)
student_t      identity  ``mean_difference``   ``standardised_mean_difference`` (sigma = t scale)
=============  ========  ====================  ====================================================

Default priors are weakly informative and scaled to the data (``s`` below): one unit of the
link scale for logit and log links (an odds or rate ratio beyond e^2 = 7.4 is unlikely), the
outcome's sd for identity links (rstanarm's choice, Gabry & Goodrich 2020).

* ``intercept ~ Normal(centre, 1.5 s)`` (2.5 s for identity links), ``centre`` = logit of the
  pooled risk, log of the pooled rate per unit of exposure, or the outcome mean;
* every other coefficient, ``effect`` included, ``~ Normal(0, s)``;
* between-site and between-unit sds ``~ HalfNormal(s / 2)``;
* ``sigma ~ Exponential(1 / s)``; ``nu ~ Gamma(2, 0.1)`` (Juárez & Steel 2010);
  ``overdispersion = 1 / sqrt(alpha) ~ HalfNormal(1)`` (NB2 variance ``mu + (od mu)^2``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pymc as pm
import pytensor.tensor as pt


@dataclass(frozen=True)
class Family:
    """One outcome family (see the module docstring)."""

    name: str
    link: str
    effect_scale: str
    weight: str | None
    """Column role weighting rows: ``"trials"`` (binomial), ``"exposure"`` (counts) or None."""
    integer: bool
    extras: dict[str, dict]
    """Family-specific parameters and their default priors, in units of ``s``."""
    likelihood: Callable
    scales: Callable

    def defaults(self, y: np.ndarray, w: np.ndarray) -> tuple[float, float, dict[str, dict]]:
        """``(centre, s, extras)`` for this data: the intercept's centre and the prior scale."""
        if self.link == "logit":
            p = (y.sum() + 0.5) / (w.sum() + 1.0)
            return float(np.log(p / (1 - p))), 1.0, self._extras(1.0)
        if self.link == "log":
            return float(np.log((y.sum() + 0.5) / w.sum())), 1.0, self._extras(1.0)
        s = float(np.std(y)) if len(y) > 1 and np.std(y) > 0 else max(abs(float(np.mean(y))), 1.0)
        return float(np.mean(y)), s, self._extras(s)

    def _extras(self, s: float) -> dict[str, dict]:
        out = {}
        for name, spec in self.extras.items():
            kwargs = {k: (v(s) if callable(v) else v) for k, v in spec["kwargs"].items()}
            out[name] = {"dist": spec["dist"], "kwargs": kwargs}
        return out

    def mean(self, eta):
        """The inverse link."""
        return {"logit": pm.math.invlogit, "log": pt.exp, "identity": lambda x: x}[self.link](eta)


def _weighted(w, x):
    return pt.sum(w * x) / pt.sum(w)


def _binomial_likelihood(eta, y, w, p, dims):
    return pm.Binomial("y", n=w, logit_p=eta, observed=y, dims=dims)


def _poisson_likelihood(eta, y, w, p, dims):
    return pm.Poisson("y", mu=pt.exp(eta + pt.log(w)), observed=y, dims=dims)


def _negbin_likelihood(eta, y, w, p, dims):
    alpha = 1.0 / pt.square(p["overdispersion"])
    return pm.NegativeBinomial("y", mu=pt.exp(eta + pt.log(w)), alpha=alpha, observed=y, dims=dims)


def _normal_likelihood(eta, y, w, p, dims):
    return pm.Normal("y", mu=eta, sigma=p["sigma"], observed=y, dims=dims)


def _student_t_likelihood(eta, y, w, p, dims):
    return pm.StudentT("y", nu=p["nu"], mu=eta, sigma=p["sigma"], observed=y, dims=dims)


def _risk_scales(mean, eta, eta0, target, effect, p):
    """Risks of the treated rows with and without the intervention (weights: trials)."""
    risk1 = _weighted(target, mean(eta))
    risk0 = _weighted(target, mean(eta0))
    return {
        "risk_treated": risk1,
        "risk_counterfactual": risk0,
        "risk_difference": risk1 - risk0,
        "risk_ratio": risk1 / risk0,
        "log_risk_ratio": pt.log(risk1) - pt.log(risk0),
        "log_odds_ratio": effect,
    }


def _rate_scales(mean, eta, eta0, target, effect, p):
    """Rates per unit of exposure of the treated rows with and without the intervention."""
    rate1 = _weighted(target, mean(eta))
    rate0 = _weighted(target, mean(eta0))
    return {
        "rate_treated": rate1,
        "rate_counterfactual": rate0,
        "rate_ratio": rate1 / rate0,
        "rate_difference": rate1 - rate0,
        "log_rate_ratio": pt.log(rate1) - pt.log(rate0),
    }


def _mean_scales(mean, eta, eta0, target, effect, p):
    diff = _weighted(target, eta - eta0)
    return {
        "mean_treated": _weighted(target, eta),
        "mean_counterfactual": _weighted(target, eta0),
        "mean_difference": diff,
        "standardised_mean_difference": diff / p["sigma"],
    }


_SIGMA = {"dist": "Exponential", "kwargs": {"lam": lambda s: 1.0 / s}}

FAMILIES: dict[str, Family] = {
    "bernoulli": Family(
        "bernoulli", "logit", "risk_difference", None, True, {}, _binomial_likelihood, _risk_scales
    ),
    "binomial": Family(
        "binomial",
        "logit",
        "risk_difference",
        "trials",
        True,
        {},
        _binomial_likelihood,
        _risk_scales,
    ),
    "poisson": Family(
        "poisson", "log", "rate_ratio", "exposure", True, {}, _poisson_likelihood, _rate_scales
    ),
    "negbin": Family(
        "negbin",
        "log",
        "rate_ratio",
        "exposure",
        True,
        {"overdispersion": {"dist": "HalfNormal", "kwargs": {"sigma": 1.0}}},
        _negbin_likelihood,
        _rate_scales,
    ),
    "normal": Family(
        "normal",
        "identity",
        "mean_difference",
        None,
        False,
        {"sigma": _SIGMA},
        _normal_likelihood,
        _mean_scales,
    ),
    "student_t": Family(
        "student_t",
        "identity",
        "mean_difference",
        None,
        False,
        {"sigma": _SIGMA, "nu": {"dist": "Gamma", "kwargs": {"alpha": 2.0, "beta": 0.1}}},
        _student_t_likelihood,
        _mean_scales,
    ),
}
"""Outcome families by the name a spec or design uses in ``family``."""

SCALES: dict[str, tuple[str, ...]] = {
    "risk_difference": ("risk_difference", "risk_ratio", "log_risk_ratio", "log_odds_ratio"),
    "rate_ratio": ("rate_ratio", "rate_difference", "log_rate_ratio"),
    "mean_difference": ("mean_difference", "standardised_mean_difference"),
}
"""Reported effect scales (posterior variables) by natural scale, natural scale first."""

LINK_EFFECT: dict[str, str] = {
    "risk_difference": "log_odds_ratio",
    "rate_ratio": "log_rate_ratio",
    "mean_difference": "mean_difference",
}
"""Name of the link-scale effect, used for site-specific effects (``<name>_site``)."""
