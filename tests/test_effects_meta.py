"""MetaAnalysis: Rubin's eight schools against published numbers and an exact quadrature.

* Gelman et al., *Bayesian Data Analysis* (3rd ed.) §5.5: with Rubin's (1981) unrounded
  estimates, complete pooling (tau = 0) gives a pooled effect of 7.9 with variance 17.4.
* posteriordb (stan-dev/posteriordb), reference posterior ``eight_schools_noncentered``
  (``mu ~ Normal(0, 5)``, ``tau ~ HalfCauchy(5)``), posterior means as used in public test suites:
  mu 4.41, tau 3.51, theta 6.2, 4.81, 3.97, 4.76, 3.63, 4.08, 6.22, 4.82.
* An independent quadrature over tau (BDA3 §5.4): for fixed tau, mu | tau, y is normal with the
  precision-weighted mean, and p(tau | y) is known up to a constant.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import integrate, stats

from simpact import effects
from simpact.base.errors import DataError
from simpact.config.spec import Sampling

Y = np.array([28.0, 8, -3, 7, -1, 1, 18, 12])
SE = np.array([15.0, 10, 16, 11, 9, 11, 10, 18])
RUBIN_Y = np.array([28.39, 7.94, -2.75, 6.82, -0.64, 0.63, 18.01, 12.16])
RUBIN_SE = np.array([14.9, 10.2, 16.3, 11.0, 9.4, 11.4, 10.4, 17.6])
POSTERIORDB_MEANS = {"mu": 4.41, "tau": 3.51}
POSTERIORDB_THETA = [6.2, 4.81, 3.97, 4.76, 3.63, 4.08, 6.22, 4.82]
PRIORS = {
    "mu": {"dist": "Normal", "kwargs": {"mu": 0.0, "sigma": 5.0}},
    "tau": {"dist": "HalfCauchy", "kwargs": {"beta": 5.0}},
}


def quadrature(y, se, *, mu_sd=5.0, tau_scale=5.0):
    """Posterior means of mu, tau and theta by quadrature over tau (exact up to the grid)."""
    tau = np.linspace(1e-6, 300, 300_001)
    v = se[:, None] ** 2 + tau**2
    precision = 1 / mu_sd**2 + (1 / v).sum(0)
    mu_hat = (y[:, None] / v).sum(0) / precision
    log_ml = (
        -0.5 * np.log(v).sum(0)
        - 0.5 * (y[:, None] ** 2 / v).sum(0)
        + 0.5 * mu_hat**2 * precision
        - 0.5 * np.log(precision)
    )
    log_post = log_ml + stats.halfcauchy.logpdf(tau, scale=tau_scale)
    weight = np.exp(log_post - log_post.max())
    weight /= integrate.trapezoid(weight, tau)
    theta = (y[:, None] / se[:, None] ** 2 + mu_hat / tau**2) / (1 / se[:, None] ** 2 + 1 / tau**2)
    mean = lambda f: float(integrate.trapezoid(weight * f, tau))  # noqa: E731
    return {"mu": mean(mu_hat), "tau": mean(tau), "theta": [mean(t) for t in theta]}


def test_quadrature_agrees_with_posteriordb():
    ref = quadrature(Y, SE)
    assert ref["mu"] == pytest.approx(POSTERIORDB_MEANS["mu"], abs=0.1)
    assert ref["tau"] == pytest.approx(POSTERIORDB_MEANS["tau"], abs=0.15)
    np.testing.assert_allclose(ref["theta"], POSTERIORDB_THETA, atol=0.15)


@pytest.fixture(scope="module")
def eight_schools():
    meta = effects.MetaAnalysis(Y, SE, labels=list("ABCDEFGH"), scale="sat_points", priors=PRIORS)
    return meta.fit(
        random_seed=8, sampling=Sampling(draws=2000, tune=1000, chains=4, target_accept=0.95)
    )


@pytest.mark.integration
def test_eight_schools_reproduces_the_reference(eight_schools):
    post = eight_schools.tree.posterior
    ref = quadrature(Y, SE)
    # Monte Carlo standard errors are about 0.05 (mu) and 0.07 (tau): allow ~4 of them.
    assert float(post["mu"].mean()) == pytest.approx(ref["mu"], abs=0.25)
    assert float(post["tau"].mean()) == pytest.approx(ref["tau"], abs=0.35)
    theta = post["theta"].mean(("chain", "draw")).to_numpy()
    np.testing.assert_allclose(theta, ref["theta"], atol=0.35)
    np.testing.assert_allclose(theta, POSTERIORDB_THETA, atol=0.4)
    assert eight_schools.tree.attrs["converged"]
    assert list(post["theta"].dims) == ["chain", "draw", "study"]


@pytest.mark.integration
def test_predictive_effect_and_prior_for_a_local_design(eight_schools):
    post = eight_schools.tree.posterior
    # theta_new ~ N(mu, tau): same mean as mu, variance Var(mu) + E(tau^2).
    assert float(post["theta_new"].mean()) == pytest.approx(float(post["mu"].mean()), abs=0.3)
    expected_sd = np.sqrt(float(post["mu"].var()) + float((post["tau"] ** 2).mean()))
    prior = eight_schools.as_prior()
    assert prior["dist"] == "Normal"
    assert prior["kwargs"]["sigma"] == pytest.approx(expected_sd, rel=0.1)
    assert eight_schools.as_prior(sd=2.0)["kwargs"]["sigma"] == pytest.approx(
        2 * prior["kwargs"]["sigma"]
    )


@pytest.mark.integration
def test_complete_pooling_matches_bda3():
    """BDA3 §5.5: tau -> 0 pools the estimates with precision weights, 7.9 with variance 17.4."""
    priors = {
        "mu": {"dist": "Normal", "kwargs": {"mu": 0.0, "sigma": 1000.0}},
        "tau": {"dist": "HalfNormal", "kwargs": {"sigma": 1e-3}},
    }
    fit = effects.MetaAnalysis(RUBIN_Y, RUBIN_SE, priors=priors).fit(random_seed=3)
    mu = fit.tree.posterior["mu"]
    assert float(mu.mean()) == pytest.approx(7.9, abs=0.15)
    assert float(mu.var()) == pytest.approx(17.4, rel=0.08)


def test_bad_meta_input():
    with pytest.raises(DataError, match="sei: standard errors must be > 0"):
        effects.MetaAnalysis([0.1, 0.2], [0.1, 0.0])
    with pytest.raises(DataError, match="yi: missing or infinite value in study 2"):
        effects.MetaAnalysis([0.1, np.nan], [0.1, 0.1])
    with pytest.raises(DataError, match="yi: yi and sei must be two lists"):
        effects.MetaAnalysis([0.1, 0.2, 0.3], [0.1, 0.1])


def test_meta_analysis_prior_plugs_into_a_local_design(eight_schools):
    df = pd.DataFrame({"score": [500.0, 510, 530, 520, 515, 540], "g": [0, 0, 0, 1, 1, 1]})
    prior = eight_schools.as_prior()
    design = effects.TwoGroup(
        df, outcome="score", group="g", family="normal", priors={"effect": prior}
    )
    assert design._defaults()[0]["effect"] == prior
