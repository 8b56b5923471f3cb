"""The bundled models: they validate, say what is synthetic or assumed, and `simpact new` works."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pandas as pd
import pytest

import simpact as sp
from simpact import cli, config
from simpact.config import spec as spec_schema

ROOT = Path(__file__).resolve().parent.parent
MODELS = ROOT / "models"
APPRAISALS = sorted(p for p in MODELS.glob("*.toml") if p.name != "template.toml")
BUNDLED = {"nata", "fotosyntes", "star_for_life", "minimili"}


def test_validate_models_and_priors_exits_0(capsys):
    with pytest.raises(SystemExit) as done:
        cli.main(["validate", str(MODELS), str(ROOT / "priors")])
    assert done.value.code == 0
    out = capsys.readouterr().out
    for path in [*MODELS.glob("*.toml"), *(ROOT / "priors").glob("*.toml")]:
        assert path.name in out


def test_the_four_interventions_and_the_template_are_bundled():
    assert {p.stem for p in APPRAISALS} == BUNDLED
    assert (MODELS / "template.toml").is_file()


@pytest.mark.parametrize("path", APPRAISALS, ids=lambda p: p.stem)
def test_each_appraisal_names_synthetic_data_that_exists(path):
    spec = sp.load_model(path)
    assert spec.intervention.id == path.stem
    assert spec.data.synthetic, "the bundled follow-up data are synthetic and must say so"
    assert spec.data_path.is_file()
    assert "synthetic" in spec.data_path.name
    assert spec.data.description.startswith("SYNTHETIC")
    table = sp.load_followup(spec)  # the data fit the effect spec's columns
    assert len(table) > 0


@pytest.mark.parametrize("path", APPRAISALS, ids=lambda p: p.stem)
def test_inline_unit_costs_are_marked_as_user_supplied(path):
    # a unit cost not in priors/unit_costs.toml is not invented: the spec must say so
    spec = sp.load_model(path)
    text = path.read_text(encoding="utf-8")
    for outcome in spec.outcomes:
        if not isinstance(outcome.unit_cost, str):
            assert "USER MUST SUPPLY" in text, outcome.name


@pytest.mark.parametrize("path", APPRAISALS, ids=lambda p: p.stem)
def test_assumptions_are_flagged_in_the_header(path):
    header = path.read_text(encoding="utf-8").split("schema_version")[0]
    assert "SYNTHETIC" in header and "ASSUMPTION" in header


@pytest.mark.parametrize(
    "name, scale", [("fotosyntes", "did"), ("star_for_life", "did"), ("minimili", "its")]
)
def test_models_use_the_designs_the_issue_asks_for(name, scale):
    spec = sp.load_model(name)
    assert spec.effect.design == scale


def test_star_for_life_pools_the_three_municipalities():
    spec = sp.load_model("star_for_life")
    assert spec.effect.site == "municipality"
    table = sp.load_followup(spec)
    assert set(table["municipality"]) == {"Ale", "Partille", "Söderköping"}


@pytest.mark.parametrize("name", ["fotosyntes", "minimili"])
def test_region_collaborations_carry_region_money_and_a_frame_grant(name):
    spec = sp.load_model(name)
    assert "region" in spec.costs
    assert sum(spec.fund.frame_grant.values()) > 0


def test_minimili_links_every_outcome_through_the_rate():
    spec = sp.load_model("minimili")
    assert {o.effect for o in spec.outcomes} == {"rate"}
    assert spec.effect.exposure and spec.effect.family == "negbin"


# ----------------------------------------------------------------------------- the template


def template() -> dict:
    return config.read_toml(MODELS / "template.toml")


def test_template_shows_every_spec_field():
    text = (MODELS / "template.toml").read_text(encoding="utf-8")
    fields = {
        "intervention": spec_schema.Intervention,
        "data": spec_schema.DataSource,
        "effect": spec_schema.EffectSpec,
        "effect.sampling": spec_schema.Sampling,
        "simulation": spec_schema.Simulation,
        "simulation.haircuts": spec_schema.Haircuts,
        "fund": spec_schema.Fund,
        "outcomes": spec_schema.Outcome,
    }
    for section, model in fields.items():
        for name in model.model_fields:
            # each field appears as `name =` (maybe commented out) with a comment on its
            # line, or as its own commented table `[section.name]`
            line = rf"^#?\s*{name}\s*=.*#"
            table = rf"^\[{re.escape(section)}\.{name}\]\s*#"
            assert re.search(line, text, re.MULTILINE) or re.search(table, text, re.MULTILINE), (
                f"{section}.{name}"
            )


def test_template_loads_but_has_no_data():
    spec = sp.load_model(template())
    assert spec.data_path is None


def test_simpact_new_writes_a_spec_that_validates(tmp_path, capsys):
    with pytest.raises(SystemExit) as done:
        cli.main(["new", "Familjestöd i Ale", "--dir", str(tmp_path)])
    assert done.value.code == 0
    (path,) = tmp_path.glob("*.toml")
    assert path.name == "familjestod_i_ale.toml"
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    assert raw["intervention"]["id"] == "familjestod_i_ale"
    assert raw["intervention"]["name"] == "Familjestöd i Ale"
    capsys.readouterr()
    with pytest.raises(SystemExit) as done:
        cli.main(["validate", str(path)])
    assert done.value.code == 0
    assert "ok" in capsys.readouterr().out


def test_template_runs_end_to_end_once_given_data():
    # a follow-up table with the template's columns: 40 persons x before/after
    n = 40
    table = pd.DataFrame(
        {
            "person_id": [f"p{i}" for i in range(n)] * 2,
            "treated": [i % 2 for i in range(n)] * 2,
            "period": ["pre"] * n + ["post"] * n,
            "outcome": [int(i % 3 == 0) for i in range(n)] + [int(i % 4 == 0) for i in range(n)],
        }
    )
    raw = template()
    raw["effect"]["sampling"].update(draws=100, tune=100, chains=2)
    spec = sp.load_model(raw)
    post = sp.fit_effects(spec, sp.load_followup(table, spec=spec), random_seed=1, check=False)
    sim = sp.simulate(spec, post, random_seed=2, draws=500)
    summary = sp.summarize(sim, voi=False)
    assert set(sim["cashflows"]["actor"].to_numpy()) >= {"social_services", "education"}
    assert pd.notna(summary.value("npv", "total"))
