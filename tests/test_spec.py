"""Model specs: the bundled spec loads; every kind of bad spec names its file and field."""

from __future__ import annotations

import copy
import json
import re

import pytest

import simpact as sp
from simpact.base.errors import SpecError
from simpact.config.toml import read_toml


def unnamed(field: str | None) -> str | None:
    """A field without the outcome's name that errors show (``outcomes.0 (placement).payers``)."""
    return None if field is None else re.sub(r" \([^)]*\)", "", field)


@pytest.fixture
def raw(nata_spec) -> dict:
    """The bundled NÄTA spec as a plain dict, with its data path made absolute."""
    data = copy.deepcopy(read_toml(nata_spec.source))
    data["data"]["path"] = str(nata_spec.data_path)
    return data


def test_bundled_spec_loads_by_name_and_path(nata_spec):
    assert nata_spec.intervention.id == "nata"
    assert sp.load_model(nata_spec.source).to_json() == nata_spec.to_json()
    assert nata_spec.data_path.is_file()
    assert nata_spec.data.synthetic


def test_spec_round_trips_through_its_provenance_json(nata_spec):
    again = sp.load_model(json.loads(nata_spec.to_json()))
    assert again.model_dump() == nata_spec.model_dump()


def test_malformed_toml_names_file_and_line(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('schema_version = 1\n[intervention\nid = "x"\n')
    with pytest.raises(SpecError) as info:
        sp.load_model(bad)
    assert str(bad) in str(info.value)
    assert "line 2" in str(info.value)


def test_missing_file(tmp_path):
    with pytest.raises(SpecError, match="file not found"):
        sp.load_model(tmp_path / "nope.toml")


def test_unknown_key_is_named(raw):
    raw["simulation"]["horizn"] = 10
    with pytest.raises(SpecError) as info:
        sp.load_model(raw)
    assert unnamed(info.value.field) == "simulation.horizn"
    assert "unknown key" in str(info.value)


def test_missing_schema_version(raw):
    del raw["schema_version"]
    with pytest.raises(SpecError, match="schema_version"):
        sp.load_model(raw)


def test_newer_schema_version_says_upgrade(raw):
    raw["schema_version"] = 99
    with pytest.raises(SpecError, match="upgrade simpact"):
        sp.load_model(raw)


@pytest.mark.parametrize(
    ("edit", "field", "message"),
    [
        (
            lambda r: r["outcomes"][0].update(payers={"social_services": 0.7}),
            "outcomes.0.payers",
            "sum to 1",
        ),
        (
            lambda r: r["outcomes"][0].update(payers={"police": 1.0}),
            "outcomes.0.payers.police",
            "unknown actor",
        ),
        (
            lambda r: r["outcomes"][1].update(
                excess_risk={"dist": "uniform", "min": 0.5, "max": 1.5}
            ),
            "outcomes.1.excess_risk",
            "[0, 1]",
        ),
        (
            lambda r: r["outcomes"][0].update(unit_cost="gold_day"),
            "outcomes.0.unit_cost",
            "unknown unit cost",
        ),
        (
            lambda r: r["outcomes"][0].update(timing={"0": 0.5, "30": 0.5}),
            "outcomes.0.timing",
            "beyond the horizon",
        ),
        (lambda r: r["costs"]["education"].update({"2": -5.0}), "costs.education.2", "negative"),
        (lambda r: r["fund"].update(repayment={"5": 0.5, "6": 0.4}), "fund.repayment", "sum to 1"),
        (
            lambda r: r["fund"].update(repaying_actors=["region"]),
            "fund.repaying_actors",
            "municipality",
        ),
        (
            lambda r: r["fund"].update(repayment={"5": 0.5, "12": 0.5}),
            "fund.repayment",
            "beyond fund.horizon",
        ),
        (lambda r: r["cohort"].update(intake={"2": -3}), "cohort.intake.2", "negative"),
        (
            lambda r: r["simulation"].update(retention={"dist": "beta", "mean": 0.5, "sd": 0.9}),
            "simulation.retention",
            "too large",
        ),
        (
            lambda r: r["simulation"].update(discount_rate={"dist": "lognorm", "mean": 1, "sd": 1}),
            "simulation.discount_rate",
            "unknown dist",
        ),
    ],
)
def test_bad_spec_names_the_field(raw, edit, field, message):
    edit(raw)
    with pytest.raises(SpecError) as info:
        sp.load_model(raw)
    assert unnamed(info.value.field) == field
    assert message in str(info.value)


def test_spec_values_are_frozen(nata_spec):
    with pytest.raises(Exception):  # noqa: B017 - pydantic's frozen-instance error
        nata_spec.simulation.horizon = 3


def test_unit_cost_converted_to_price_year(nata_spec):
    investigation = nata_spec.outcomes[0]
    dist, factor = nata_spec.unit_cost(investigation)
    # SCB KPI yearly averages: 2015 = 313.35, 2023 = 403.70
    assert factor == pytest.approx(403.70 / 313.35, rel=1e-12)
    assert dist.mean() == 30561


def test_discount_rate_may_name_a_priors_entry_and_provenance_keeps_the_name(raw):
    raw["simulation"]["discount_rate"] = "default"
    spec = sp.load_model(raw)
    assert spec.simulation.discount_rate.bounds() == (0.02, 0.05)  # triangular 2-5 %
    assert json.loads(spec.to_json())["simulation"]["discount_rate"] == "default"
    again = sp.load_model(json.loads(spec.to_json()))
    assert again.simulation.discount_rate == spec.simulation.discount_rate


@pytest.mark.parametrize(
    "edit, field",
    [
        (lambda r: r["simulation"].update(retention="no_such_key"), "simulation.retention"),
        (lambda r: r["outcomes"][1].update(retention="no_such_key"), "outcomes.1.retention"),
        (lambda r: r["simulation"].update(discount_rate="no_such_key"), "simulation.discount_rate"),
    ],
)
def test_unknown_priors_key_names_the_field_and_the_priors_file(raw, edit, field):
    edit(raw)
    with pytest.raises(SpecError) as info:
        sp.load_model(raw)
    assert unnamed(info.value.field) == field
    assert "no_such_key" in str(info.value) and "priors/" in str(info.value)


def test_a_users_persistence_prior_is_used_by_key(raw, tmp_path, monkeypatch):
    (tmp_path / "mine.toml").write_text(
        "schema_version = 1\n"
        "[persistence.my_followup]\n"
        'label = { en = "mine", sv = "min" }\n'
        'retention = { dist = "uniform", min = 0.6, max = 0.8 }\n'
        'source = "our own follow-up, 2025"\n'
        'evidence = "V"\n'
    )
    monkeypatch.setenv("SIMPACT_PRIORS_PATH", str(tmp_path))
    raw["outcomes"][0]["retention"] = "my_followup"
    spec = sp.load_model(raw)
    assert spec.outcomes[0].retention.bounds() == (0.6, 0.8)
