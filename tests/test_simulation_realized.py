"""Realized counts agree with expected counts in the mean; the copula gives the asked-for ranks."""

from __future__ import annotations

import numpy as np
from scipy import stats
from simulation_specs import base_spec, with_changes

from simpact.config.loading import load_model
from simpact.simulation import simulate_cashflows, simulate_summary


def _events(raw: dict, mode: str, draws: int = 4000) -> np.ndarray:
    tree = simulate_cashflows(load_model(raw), None, random_seed=21, draws=draws, mode=mode)
    return tree["avoided"]["avoided_events"].sum(("year", "outcome")).to_numpy().ravel()


def test_binomial_counts_agree_with_expected_counts_in_the_mean():
    raw = base_spec(
        effect={"dist": "normal", "mean": -0.1, "sd": 0.03},
        intake={1: 40, 2: 25},
        retention={"dist": "beta", "mean": 0.8, "sd": 0.1},
    )
    expected, realized = _events(raw, "expected"), _events(raw, "realized")
    assert np.allclose(realized, np.round(realized))  # whole events for a finite cohort
    assert realized.std() > expected.std()  # the cohort's own chance adds spread
    se = realized.std() / np.sqrt(len(realized))
    assert abs(realized.mean() - expected.mean()) < 4 * se


def test_poisson_counts_agree_with_expected_counts_in_the_mean():
    raw = with_changes(base_spec(), "outcomes.0.effect", "rate")
    raw["outcomes"][0]["effect_prior"] = {"dist": "lognormal", "mean": 0.7, "sd": 0.1}
    raw["outcomes"][0]["baseline_rate"] = {"dist": "gamma", "mean": 1.5, "sd": 0.3}
    expected, realized = _events(raw, "expected"), _events(raw, "realized")
    se = realized.std() / np.sqrt(len(realized))
    assert abs(realized.mean() - expected.mean()) < 4 * se
    # a rate ratio of 0.7 on 1.5 events per person, 100 persons: 45 avoided events on average
    assert abs(expected.mean() - 100 * 1.5 * 0.3) < 4 * expected.std() / np.sqrt(len(expected))


def test_realized_mode_streams_equal_the_full_tree():
    raw = base_spec(effect={"dist": "normal", "mean": -0.1, "sd": 0.03})
    tree = simulate_cashflows(load_model(raw), None, random_seed=2, draws=500, mode="realized")
    summary = simulate_summary(load_model(raw), None, random_seed=2, draws=500, mode="realized")
    assert tree.attrs["mode"] == summary.attrs["mode"] == "realized"
    np.testing.assert_allclose(
        summary["npv"]["npv"], tree["cashflows"]["present_value"].sum("year"), rtol=1e-5, atol=1e-2
    )


def test_rank_correlation_through_the_gaussian_copula():
    raw = base_spec(
        unit_cost={"dist": "lognormal", "mean": 1000, "sd": 300},
        retention={"dist": "beta", "mean": 0.8, "sd": 0.1},
        discount_rate={"dist": "triangular", "min": 0.02, "mode": 0.035, "max": 0.05},
    )
    raw["simulation"]["correlations"] = [
        {"between": ["placement.unit_cost", "retention"], "rho": 0.6},
        {"between": ["retention", "discount_rate"], "rho": -0.3},
    ]
    inputs = simulate_cashflows(load_model(raw), None, random_seed=8, draws=20000)["inputs"]
    cost = inputs["unit_cost"].isel(outcome=0).to_numpy().ravel()
    retention = inputs["retention"].isel(outcome=0).to_numpy().ravel()
    rate = inputs["discount_rate"].to_numpy().ravel()
    # sampling sd of Spearman's rho at n = 20000 is about 0.007
    assert abs(stats.spearmanr(cost, retention).statistic - 0.6) < 0.03
    assert abs(stats.spearmanr(retention, rate).statistic + 0.3) < 0.03
    assert (
        abs(stats.spearmanr(cost, rate).statistic) < 0.03
    )  # not paired: normal scores uncorrelated
    # the margins are untouched: a lognormal with mean 1000 and sd 300
    assert abs(cost.mean() - 1000) < 4 * 300 / np.sqrt(len(cost))
    assert abs(rate.mean() - 0.035) < 4 * 0.0061 / np.sqrt(len(rate))
