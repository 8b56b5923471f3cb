"""Draws keep their (chain, draw) labels through the flat kernels and the seed names its stream."""

from __future__ import annotations

import numpy as np
import xarray as xr
from simulation_specs import base_spec, with_changes

from simpact.config.loading import load_model
from simpact.simulation import simulate_cashflows, simulate_summary
from simpact.simulation.plan import posterior_effects


def _fit(chains: int = 3, draws: int = 7) -> xr.DataTree:
    """A fit whose every draw is labelled by its value: ``-(chain + draw / 100) / 10``."""
    value = -(np.arange(chains)[:, None] + np.arange(draws)[None, :] / 100) / 10
    post = xr.Dataset(
        {"risk_difference": (("draw", "chain"), value.T)},  # dims out of order
        coords={"chain": np.arange(chains), "draw": np.arange(draws)},
    )
    tree = xr.DataTree.from_dict({"posterior": post})
    tree.attrs.update(
        better="lower",
        design="did",
        family="bernoulli",
        outcome="y",
        effect_var="risk_difference",
        effect_scale="risk_difference",
        effect_scales=["risk_difference"],
    )
    return tree


def _spec():
    raw = with_changes(base_spec(), "outcomes.0.effect_prior", None)
    return load_model(with_changes(raw, "outcomes.0.effect", "difference"))


def test_flat_draws_are_the_stacked_sample_dims():
    fit = _fit()
    flat = posterior_effects(fit)["risk_difference"]
    stacked = fit.posterior["risk_difference"].stack(sample=("chain", "draw"))
    np.testing.assert_array_equal(flat, stacked.to_numpy())


def test_effect_draws_come_back_under_their_own_labels():
    fit = _fit()
    tree = simulate_cashflows(_spec(), fit, random_seed=1)
    got = tree["effects"]["risk_difference"]
    want = fit.posterior["risk_difference"].transpose("chain", "draw")
    xr.testing.assert_equal(got.drop_attrs(), want.drop_attrs())


def test_both_outputs_store_the_spawn_key():
    seed = np.random.SeedSequence(123, spawn_key=(4, 2))
    spec = _spec()
    full = simulate_cashflows(spec, _fit(), random_seed=seed)
    summary = simulate_summary(spec, _fit(), random_seed=seed)
    for tree in (full, summary):
        assert tree.attrs["random_seed_entropy"] == "123"
        assert tree.attrs["random_seed_spawn_key"] == "4 2"
