"""Shared fixtures and the test tiers.

Tiers (markers in ``pyproject.toml``; commands in the README):

* default (``make test-fast``, plain ``python -m pytest``): logic, without MCMC. Every effect fit
  in a test of this tier goes through :func:`simpact.testing.mock_sampler` -- known draws, the
  real design, data checks and attrs, no compilation -- so a fit costs well under a second.
* ``integration`` (``make test-integration``): real sampling (nutpie), the wheel, dask and the
  browser. Tests that ask for ``real_nata_posterior`` / ``real_nata_sim`` are marked
  ``integration`` automatically.
* ``slow`` (``make test-slow``): calibration and full-size runs.

``make test`` (what CI runs) runs the default tier, then the integration tier.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

import simpact as sp
from simpact import testing
from simpact.effects import core

REAL_TIERS = ("integration", "slow")
"""Markers whose tests sample for real; in every other test a fit uses the mock sampler."""

REAL_FIXTURES = {"real_nata_posterior", "real_nata_sim"}

MOCK_DRAWS = 250
"""Draws per chain of a mocked fit in the default tier (at most; a spec's own if fewer): the
simulation makes one iteration per draw, so ``simpact run`` in a test simulates 1000, not 4000."""

_real_sampling = [False]


def _tiered_sample(model_fn, key, data, sampling, seed, progress):
    """``core.sample`` during the tests: NUTS in the real tiers, known draws otherwise."""
    if _real_sampling[0]:
        return testing.REAL_SAMPLE(model_fn, key, data, sampling, seed, progress)
    draws = min(sampling.draws, MOCK_DRAWS)
    return testing.mock_sample(model_fn, key, data, sampling, seed, progress, draws=draws)


def pytest_configure(config):
    core.sample = _tiered_sample


def pytest_unconfigure(config):
    core.sample = testing.REAL_SAMPLE


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    for item in items:
        if REAL_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.integration)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    # before the item's fixtures are set up, so a module fixture fitted for its first test
    # samples the way that test's tier does
    _real_sampling[0] = any(item.get_closest_marker(m) for m in REAL_TIERS)


# ----------------------------------------------------------------------------- NÄTA


@pytest.fixture(scope="session")
def nata_spec() -> sp.ModelSpec:
    return sp.load_model("nata")


@pytest.fixture(scope="session")
def nata_data(nata_spec):
    return sp.load_followup(nata_spec)


@pytest.fixture(scope="session")
def synthetic():
    """``scripts/make_synthetic_data.py`` as a module: the generators and their known truths."""
    path = Path(__file__).resolve().parent.parent / "scripts" / "make_synthetic_data.py"
    spec = importlib.util.spec_from_file_location("make_synthetic_data", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def nata_posterior(nata_spec, nata_data, synthetic):
    """A fake fit of the NÄTA effect model (:func:`simpact.testing.fake_fit`): every group,
    variable and attr of a real fit, the risk difference ~ N(synthetic truth, 0.05)."""
    truth = synthetic.true_risk_difference(synthetic.NATA_TRUTH)
    return testing.fake_fit(nata_spec, nata_data, effect=truth, sd=0.05, seed=1)


@pytest.fixture(scope="session")
def nata_sim(nata_spec, nata_posterior):
    return sp.simulate(nata_spec, nata_posterior, random_seed=2)


@pytest.fixture(scope="session")
def real_nata_posterior(nata_spec, nata_data):
    """A real nutpie fit of the NÄTA effect model (compiled once per session; integration)."""
    with testing.real_sampler():
        return sp.fit_effects(nata_spec, nata_data, random_seed=1, progress=False)


@pytest.fixture(scope="session")
def real_nata_sim(nata_spec, real_nata_posterior):
    return sp.simulate(nata_spec, real_nata_posterior, random_seed=2)


# ----------------------------------------------------------------------------- the sampler


@pytest.fixture
def mock_sampler():
    """Every effect fit in the test uses known draws (:func:`simpact.testing.mock_sampler`);
    yields the structure keys of the fits made. (The default tier already mocks the sampler;
    this fixture makes it explicit, and mocks it in an integration test too.)"""
    with testing.mock_sampler() as calls:
        yield calls
