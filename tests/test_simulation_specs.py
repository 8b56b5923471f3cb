"""Bad specs give a SpecError naming the field; links read what they need from the fit by name."""

from __future__ import annotations

import re

import numpy as np
import pytest
from simulation_specs import base_spec, fake_fit, with_changes

from simpact.base.errors import SpecError
from simpact.config.loading import load_model
from simpact.simulation import simulate_cashflows

BAD = [
    ("outcomes.0.payers", {"social_services": 0.5, "state": 0.4}, "outcomes.0.payers", "sum to 1"),
    ("costs", {"education": {1: -5.0}}, "costs.education.1", "negative"),
    (
        "outcomes.0.unit_cost",
        {"dist": "uniform", "min": -10, "max": 10},
        "outcomes.0.unit_cost",
        "negative",
    ),
    ("simulation.haircuts", {"deadweight": 1.5}, "simulation.haircuts.deadweight", "[0, 1]"),
    (
        "simulation.retention",
        {"dist": "uniform", "min": 0.5, "max": 1.2},
        "simulation.retention",
        "[0, 1]",
    ),
    ("outcomes.0.timing", {0: 0.5, 12: 0.5}, "outcomes.0.timing", "horizon"),
    ("outcomes.0.payers", {"police": 1.0}, "outcomes.0.payers.police", "unknown actor"),
    ("simulation.cashable", {"kommunen": 0.5}, "simulation.cashable.kommunen", "unknown actor"),
    (
        "simulation.correlations",
        [{"between": ["nope.unit_cost", "discount_rate"], "rho": 0.5}],
        "simulation.correlations.0.between",
        "unknown input 'nope.unit_cost'",
    ),
    ("outcomes.0.effect", "causal", "outcomes.0.effect", "unknown effect link"),
    ("outcomes.0.persistence", {"kind": "step"}, "outcomes.0.persistence.years", "needs years"),
    (
        "outcomes.0.persistence",
        {"kind": "linear", "years": 3},
        "outcomes.0.persistence.kind",
        "unknown persistence",
    ),
    ("simulation.persistence", {"kind": "step", "years": 2}, "simulation.retention", "not both"),
    ("simulation.mode", "random", "simulation.mode", ""),
]


def unnamed(field: str | None) -> str | None:
    """A field without the outcome's name that errors show (``outcomes.0 (placement).payers``)."""
    return None if field is None else re.sub(r" \([^)]*\)", "", field)


@pytest.mark.parametrize(("path", "value", "field", "message"), BAD, ids=[b[2] for b in BAD])
def test_bad_specs_name_the_field(path, value, field, message):
    raw = with_changes(base_spec(), path, value)
    with pytest.raises(SpecError) as err:
        load_model(raw)
    assert unnamed(err.value.field) == field
    assert message in err.value.message


def test_relative_link_needs_a_baseline_risk():
    raw = with_changes(base_spec(), "outcomes.0.effect", "relative")
    with pytest.raises(SpecError, match="needs baseline_risk") as err:
        load_model(raw)
    assert unnamed(err.value.field) == "outcomes.0.baseline_risk"


def test_correlations_that_cannot_hold_together_are_refused():
    raw = base_spec(
        unit_cost={"dist": "lognormal", "mean": 1000, "sd": 300},
        retention={"dist": "beta", "mean": 0.8, "sd": 0.1},
        discount_rate={"dist": "uniform", "min": 0.02, "max": 0.05},
    )
    raw["simulation"]["correlations"] = [
        {"between": ["placement.unit_cost", "retention"], "rho": 0.9},
        {"between": ["retention", "discount_rate"], "rho": 0.9},
        {"between": ["placement.unit_cost", "discount_rate"], "rho": -0.9},
    ]
    with pytest.raises(SpecError, match="positive definite") as err:
        load_model(raw)
    assert unnamed(err.value.field) == "simulation.correlations"


def test_fixed_inputs_cannot_be_correlated():
    raw = base_spec()
    raw["simulation"]["correlations"] = [
        {"between": ["placement.unit_cost", "retention"], "rho": 0.3}
    ]
    with pytest.raises(SpecError, match="fixed number"):
        load_model(raw)


def test_a_link_fails_clearly_when_the_fit_lacks_its_scale():
    raw = with_changes(base_spec(), "outcomes.0.effect", "rate")
    raw["outcomes"][0]["effect_prior"] = None
    raw["outcomes"][0]["baseline_rate"] = 0.5
    spec = load_model(raw)
    with pytest.raises(SpecError, match="rate_ratio") as err:
        simulate_cashflows(spec, fake_fit(), random_seed=1)
    assert unnamed(err.value.field) == "outcomes.0.effect"
    fit = fake_fit(rate_ratio=np.full((2, 200), 0.8))
    tree = simulate_cashflows(spec, fit, random_seed=1)
    np.testing.assert_allclose(tree["avoided"]["avoided_events"].sum("year"), 100 * 0.5 * 0.2)


def test_without_a_fit_the_number_of_draws_is_required():
    with pytest.raises(SpecError, match="how many draws") as err:
        simulate_cashflows(load_model(base_spec()), None, random_seed=1)
    assert unnamed(err.value.field) == "simulation.draws"
