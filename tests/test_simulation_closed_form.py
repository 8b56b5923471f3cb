"""Closed forms: annuities, geometric series, zero effect, payer shares, price years."""

from __future__ import annotations

import numpy as np
import pytest
from simulation_specs import base_spec, fake_fit, with_changes

from simpact import config
from simpact.config.loading import load_model
from simpact.simulation import simulate_cashflows, simulate_summary

R = 0.035


def npv(tree) -> np.ndarray:
    return tree["cashflows"]["present_value"].sum(("year", "actor")).to_numpy()


def annuity(rate: float, years: int) -> float:
    return (1 - (1 + rate) ** -years) / rate


def test_constant_savings_give_the_annuity_npv():
    # 100 persons x 0.1 avoided events x 1000 SEK, spread evenly over years 1-8
    spec = load_model(base_spec(lags=8, horizon=8))
    tree = simulate_cashflows(spec, None, random_seed=1, draws=5)
    per_year = 100 * 0.1 * 1000 / 8
    np.testing.assert_allclose(tree["cashflows"]["savings"].sum("actor"), per_year, rtol=1e-12)
    np.testing.assert_allclose(npv(tree), per_year * annuity(R, 8), rtol=1e-12)


def test_constant_costs_are_subtracted_as_an_annuity():
    costs = {"education": {y: 2000.0 for y in range(1, 9)}}
    spec = load_model(base_spec(lags=8, horizon=8, costs=costs))
    tree = simulate_cashflows(spec, None, random_seed=1, draws=3)
    expected = (100 * 0.1 * 1000 / 8 - 2000.0) * annuity(R, 8)
    np.testing.assert_allclose(npv(tree), expected, rtol=1e-12)


def test_geometric_retention_gives_the_geometric_series():
    rho, lags = 0.8, 6
    spec = load_model(base_spec(lags=lags, horizon=lags, retention=rho))
    tree = simulate_cashflows(spec, None, random_seed=1, draws=3)
    x = rho / (1 + R)
    expected = 100 * 0.1 * 1000 / lags / (1 + R) * (1 - x**lags) / (1 - x)
    np.testing.assert_allclose(npv(tree), expected, rtol=1e-12)


def test_step_persistence_stops_after_its_years():
    raw = base_spec(lags=6, horizon=6)
    raw["simulation"].pop("retention")
    raw["simulation"]["persistence"] = {"kind": "step", "years": 2}
    tree = simulate_cashflows(load_model(raw), None, random_seed=1, draws=2)
    savings = tree["cashflows"]["savings"].sum("actor").isel(chain=0, draw=0).to_numpy()
    np.testing.assert_allclose(savings, [1000 / 6 * 10] * 2 + [0.0] * 4, rtol=1e-12)


def test_later_intakes_shift_the_profile():
    spec = load_model(base_spec(lags=1, horizon=4, intake={1: 10, 3: 30}))
    tree = simulate_cashflows(spec, None, random_seed=1, draws=1)
    events = tree["avoided"]["avoided_events"].isel(chain=0, draw=0, outcome=0).to_numpy()
    np.testing.assert_allclose(events, [1.0, 0.0, 3.0, 0.0])


def test_zero_effect_gives_zero_savings():
    raw = base_spec(
        effect=0.0,
        unit_cost={"dist": "lognormal", "mean": 1000, "sd": 300},
        retention={"dist": "beta", "mean": 0.8, "sd": 0.1},
    )
    tree = simulate_cashflows(load_model(raw), None, random_seed=3, draws=50)
    assert float(abs(tree["cashflows"]["savings"]).max()) == 0.0
    summary = simulate_summary(load_model(raw), None, random_seed=3, draws=50)
    assert float(abs(summary["npv"]["npv"]).max()) == 0.0


def test_payer_shares_split_the_total():
    raw = base_spec(
        payers={"social_services": 0.3, "state": 0.7},
        unit_cost={"dist": "gamma", "mean": 1000, "sd": 400},
    )
    tree = simulate_cashflows(load_model(raw), None, random_seed=4, draws=40)
    savings = tree["cashflows"]["savings"]
    total = savings.sum("actor")
    np.testing.assert_allclose(savings.sel(actor="social_services"), 0.3 * total, rtol=1e-12)
    np.testing.assert_allclose(savings.sel(actor="state"), 0.7 * total, rtol=1e-12)
    by_outcome = tree["avoided"]["avoided_costs"].sum("outcome")
    np.testing.assert_allclose(by_outcome, total, rtol=1e-12)
    alone = simulate_cashflows(
        load_model(base_spec(unit_cost={"dist": "gamma", "mean": 1000, "sd": 400})),
        None,
        random_seed=4,
        draws=40,
    )
    np.testing.assert_allclose(total, alone["cashflows"]["savings"].sum("actor"), rtol=1e-12)


def test_price_years_round_trip_and_match_the_cpi_table():
    assert config.price_factor(2015, 2023) * config.price_factor(2023, 2015) == pytest.approx(1.0)
    assert config.price_factor(2020, 2023) == pytest.approx(403.70 / 335.92)
    raw = with_changes(base_spec(), "outcomes.0.unit_cost_price_year", 2015)
    tree = simulate_cashflows(load_model(raw), None, random_seed=1, draws=2)
    np.testing.assert_allclose(tree["inputs"]["unit_cost"], 1000 * 403.70 / 313.35, rtol=1e-12)


def test_resampled_posterior_draws_and_effect_from_the_fit():
    raw = with_changes(base_spec(), "outcomes.0.effect_prior", None)
    fit = fake_fit(np.full((2, 50), -0.1), draws=50)
    tree = simulate_cashflows(load_model(raw), fit, random_seed=1)
    assert dict(tree["cashflows"]["savings"].sizes) == {
        "chain": 2,
        "draw": 50,
        "year": 10,
        "actor": 1,
    }
    np.testing.assert_allclose(npv(tree), 100 * 0.1 * 1000 / 4 * annuity(R, 4), rtol=1e-12)
    more = simulate_cashflows(load_model(raw), fake_fit(), random_seed=1, draws=300)
    assert more["effects"].attrs["resampled_from"] == 400
    assert dict(more["cashflows"]["savings"].sizes) == {
        "chain": 1,
        "draw": 300,
        "year": 10,
        "actor": 1,
    }


def test_summary_equals_the_full_tree_at_the_same_seed():
    raw = base_spec(
        unit_cost={"dist": "lognormal", "mean": 1000, "sd": 300},
        retention={"dist": "beta", "mean": 0.8, "sd": 0.1},
        discount_rate={"dist": "uniform", "min": 0.02, "max": 0.05},
        costs={"social_services": {1: 5000.0}},
    )
    spec = load_model(raw)
    tree = simulate_cashflows(spec, None, random_seed=5, draws=3000)
    summary = simulate_summary(spec, None, random_seed=5, draws=3000, threads=2, fund=True)
    full_npv = tree["cashflows"]["present_value"].sum("year")
    np.testing.assert_allclose(summary["npv"]["npv"], full_npv, rtol=1e-5, atol=1e-2)
    cumulative = tree["cashflows"]["savings"].sum("actor").cumsum("year")
    q = cumulative.quantile([0.05, 0.5, 0.95], dim=("chain", "draw")).transpose("year", "quantile")
    got = summary["savings"]["cumulative_savings_quantiles"].sel(quantile=[0.05, 0.5, 0.95])
    np.testing.assert_allclose(got, q, rtol=1e-5, atol=1e-2)
    cashable = tree["cashflows"]["cashable_savings"].sel(actor="social_services")
    np.testing.assert_allclose(
        summary["repayment"]["repaying_cashable_savings"], cashable, rtol=1e-5, atol=1e-2
    )
    assert summary["fund"]["full_on_schedule"].dtype == bool
