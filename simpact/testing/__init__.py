"""Fake effect fits and a mock sampler: tests of the plumbing without MCMC.

A real fit (:func:`simpact.fit_effects`) compiles and samples a PyMC model with nutpie, which
takes 15-60 s per model structure. Most tests check what happens *after* the fit -- the
simulation, the fund, the decision summary, the report, the command line -- and need only a
tree with the contract's shape. This module gives them one:

* :func:`mock_sampler` -- a context manager that replaces the sampler
  (``simpact.effects.core.sample``) with known draws. Everything else runs as in a real fit:
  the design checks the data, builds its PyMC model (never compiled), and ``_finish`` adds the
  observed data, the attrs and the convergence gate, so :func:`simpact.fit_effects`,
  :func:`simpact.run` and ``simpact run`` exercise all their plumbing in well under a second.
* :func:`fake_fit` -- the fit of a :class:`~simpact.config.spec.ModelSpec`'s effect design and
  family (its own data by default), through the mock sampler.
* :func:`fake_posterior` -- the same for a design and family alone, on a small generated table.
* :func:`mock_sampler_fixture` -- the mock as a pytest fixture (``tests/conftest.py``).

The draws are known: the natural-scale effect is normal around ``effect`` with sd ``sd``
(log-normal for a rate ratio), the counterfactual risk, rate or mean is taken from the data, and
the other reported scales are derived from the two exactly (``risk_difference == risk_treated -
risk_counterfactual``, ``risk_ratio == risk_treated / risk_counterfactual``, ...). The draws of
every chain and half-chain are stratified over the same quantiles in a random order, so R-hat is
1 and the ESS is about the number of draws: the convergence gate passes. Nuisance parameters get
plausible draws of the right shape (positive where the model's support is), not a posterior.

Use these for logic; tests that check the sampling itself (recovery, reproducibility of the
draws, compilation reuse) fit for real and are marked ``integration``.

Examples
--------
>>> post = fake_posterior("did", "bernoulli", effect=-0.08, seed=1)
>>> post.attrs["effect_var"], post.attrs["converged"]
('risk_difference', True)
>>> round(float(post.posterior["risk_difference"].mean()), 2)
-0.08
>>> sorted(post.posterior["risk_difference"].dims)
['chain', 'draw']
"""

from simpact.testing.draws import DEFAULT_EFFECT, DEFAULT_SD, mock_sample
from simpact.testing.fits import fake_fit, fake_posterior, fake_table
from simpact.testing.sampler import REAL_SAMPLE, mock_sampler, mock_sampler_fixture, real_sampler

__all__ = [
    "DEFAULT_EFFECT",
    "DEFAULT_SD",
    "REAL_SAMPLE",
    "fake_fit",
    "fake_posterior",
    "fake_table",
    "mock_sample",
    "mock_sampler",
    "mock_sampler_fixture",
    "real_sampler",
]
