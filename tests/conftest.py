"""Shared fixtures: the bundled NÄTA spec, its data, and one real (small) fit reused by tests."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

import simpact as sp


@pytest.fixture(scope="session")
def nata_spec() -> sp.ModelSpec:
    return sp.load_model("nata")


@pytest.fixture(scope="session")
def nata_data(nata_spec):
    return sp.load_followup(nata_spec)


@pytest.fixture(scope="session")
def nata_posterior(nata_spec, nata_data):
    """A real nutpie fit of the NÄTA effect model (compiled once per session)."""
    return sp.fit_effects(nata_spec, nata_data, random_seed=1, progress=False)


@pytest.fixture(scope="session")
def nata_sim(nata_spec, nata_posterior):
    return sp.simulate(nata_spec, nata_posterior, random_seed=2)


@pytest.fixture(scope="session")
def synthetic():
    """``scripts/make_synthetic_data.py`` as a module: the generators and their known truths."""
    path = Path(__file__).resolve().parent.parent / "scripts" / "make_synthetic_data.py"
    spec = importlib.util.spec_from_file_location("make_synthetic_data", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
