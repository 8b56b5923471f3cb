"""Property tests: savings move the right way with effect, cohort, discount rate and drop-off."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from simulation_specs import base_spec

from simpact.config.loading import load_model
from simpact.simulation import simulate_cashflows

UNCERTAIN = {
    "unit_cost": {"dist": "lognormal", "mean": 1000, "sd": 300},
}
FAST = settings(max_examples=15, deadline=None)


def npv(raw: dict, draws: int = 30) -> np.ndarray:
    tree = simulate_cashflows(load_model(raw), None, random_seed=11, draws=draws)
    return tree["cashflows"]["present_value"].sum(("year", "actor")).to_numpy().ravel()


def spec(**kw) -> dict:
    return base_spec(**{**UNCERTAIN, **kw})


@FAST
@given(st.floats(0.0, 0.3), st.floats(0.001, 0.2))
def test_savings_grow_with_the_effect(effect, more):
    low, high = npv(spec(effect=-effect)), npv(spec(effect=-(effect + more)))
    assert np.all(high > low)


@FAST
@given(st.integers(1, 400), st.integers(1, 400))
def test_savings_grow_with_the_cohort_and_are_linear_in_it(size, more):
    small, large = npv(spec(intake={1: size})), npv(spec(intake={1: size + more}))
    assert np.all(large > small)
    np.testing.assert_allclose(large, small * (size + more) / size, rtol=1e-10)


@FAST
@given(st.floats(0.0, 0.08), st.floats(0.005, 0.05))
def test_savings_fall_with_a_higher_discount_rate(rate, more):
    low, high = npv(spec(discount_rate=rate)), npv(spec(discount_rate=rate + more))
    assert np.all(high < low)


@FAST
@given(st.floats(0.05, 1.0), st.floats(0.01, 0.5))
def test_savings_fall_with_stronger_drop_off(retention, less):
    weaker = min(retention, 1.0)
    stronger = max(weaker - less, 0.0)
    kept, lost = npv(spec(retention=weaker, lags=6)), npv(spec(retention=stronger, lags=6))
    assert np.all(lost < kept)
