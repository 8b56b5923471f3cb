"""The decision summary of a simulation without a fit: every outcome takes its effect from an
``effect_prior``, so there is no ``reduction`` draw and no effect row (no MCMC: fast)."""

from __future__ import annotations

import copy

import numpy as np
import pytest
import xarray as xr

import simpact.pipeline
from simpact import config
from simpact.decision import Summary, summarize, uncertain_inputs
from simpact.decision.rows import KINDS

PRIORS = {
    # an effect prior on each link's scale: the fall in risk of persistent problematic absence
    "linked": {"dist": "normal", "mean": -0.08, "sd": 0.02},
}


@pytest.fixture(scope="module")
def sim_without_fit():
    raw = copy.deepcopy(config.read_toml(config.library_dir("models") / "nata.toml"))
    for outcome in raw["outcomes"]:
        outcome["effect_prior"] = PRIORS[outcome.get("effect", "linked")]
    raw.setdefault("simulation", {})["draws"] = 2000
    return simpact.pipeline.simulate(raw, None, random_seed=1)


@pytest.fixture(scope="module")
def summary(sim_without_fit):
    return summarize(sim_without_fit)


def test_summary_of_a_simulation_without_a_fit(summary):
    s = summary
    assert isinstance(s, Summary)
    assert ("npv", "total") in s.table.index
    assert ("p_full_on_schedule", "fund") in s.table.index
    assert not s.table.index.get_level_values("metric").str.startswith("effect").any()
    assert set(s.table["kind"]) <= set(KINDS)
    assert s.text  # the sentences do without the effect sentence


def test_uncertain_inputs_without_a_fit_are_the_inputs(sim_without_fit):
    # no fitted effect to add: the effect priors' draws are already among the inputs
    inputs = uncertain_inputs(sim_without_fit)
    assert inputs.identical(sim_without_fit["inputs"].to_dataset())
    assert "effect" in inputs  # per outcome, from effect_prior


def test_sentences_without_a_fit_skip_the_effect(sim_without_fit, summary):
    sv = summarize(sim_without_fit, lang="sv", voi=False)
    assert not any("problematic absence" in line for line in summary.text)
    assert len(summary.text) == len(sv.text) + 1  # the value-of-information sentence
    assert "mandatperiod" in " ".join(sv.text)
    assert ("evppi", "effect") in summary.table.index  # the effect priors' draws


def test_a_fitted_effect_keeps_the_effect_priors_draws_beside_it():
    # a fit for some outcomes, effect priors for others: both stay among the uncertain inputs
    draws = {"chain": [0], "draw": np.arange(4)}
    prior = xr.DataArray(np.ones((1, 4, 2)), dims=("chain", "draw", "outcome"), coords=draws)
    fitted = xr.DataArray(np.full((1, 4), 0.1), dims=("chain", "draw"), coords=draws)
    tree = xr.DataTree.from_dict(
        {"inputs": xr.Dataset({"effect": prior}), "effects": xr.Dataset({"reduction": fitted})}
    )
    inputs = uncertain_inputs(tree)
    xr.testing.assert_equal(inputs["effect"], fitted.rename("effect"))
    xr.testing.assert_equal(inputs["effect_prior"], prior.rename("effect_prior"))
