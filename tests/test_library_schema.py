"""Broken library files get precise errors; users extend the bundled priors with their own."""

from __future__ import annotations

import textwrap

import pytest

from simpact import config as L
from simpact.base.errors import SpecError

GOOD_COST = """\
schema_version = 1

[unit_costs.ale_hvb_day]
label = { en = "HVB, Ale", sv = "HVB, Ale" }
unit = "SEK per day"
price_year = 2023
cost = { dist = "uniform", min = 4000, max = 5000 }
source = "Ale kommun, invoice statistics 2023"
"""


def write(folder, name, text):
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def error_of(path) -> SpecError:
    with pytest.raises(SpecError) as info:
        L.validate_file(path)
    return info.value


@pytest.mark.parametrize("missing", ["source", "price_year"])
def test_unit_cost_without_source_or_price_year_is_refused(tmp_path, missing):
    lines = [ln for ln in GOOD_COST.splitlines() if not ln.startswith(f"{missing} =")]
    path = write(tmp_path, "costs.toml", "\n".join(lines))
    err = error_of(path)
    assert err.field == f"unit_costs.ale_hvb_day.{missing}"
    assert f"`{missing}` is missing" in err.message
    assert err.source == f"{path}:3"  # the entry's table header


def test_empty_source_is_refused(tmp_path):
    path = write(
        tmp_path, "costs.toml", GOOD_COST.replace('"Ale kommun, invoice statistics 2023"', '""')
    )
    err = error_of(path)
    assert err.field == "unit_costs.ale_hvb_day.source"
    assert err.source == f"{path}:8"


def test_unknown_key_is_named_with_its_line(tmp_path):
    path = write(tmp_path, "costs.toml", GOOD_COST + 'currency = "SEK"\n')
    err = error_of(path)
    assert err.field == "unit_costs.ale_hvb_day.currency"
    assert err.message == "unknown key"
    assert err.source == f"{path}:9"


def test_price_year_outside_the_cpi_table_is_refused(tmp_path):
    path = write(
        tmp_path, "costs.toml", GOOD_COST.replace("price_year = 2023", "price_year = 1990")
    )
    err = error_of(path)
    assert err.field == "unit_costs.ale_hvb_day.price_year"
    assert "not in the CPI table" in err.message


def test_a_bad_distribution_is_explained(tmp_path):
    path = write(tmp_path, "costs.toml", GOOD_COST.replace("min = 4000", "min = 6000"))
    err = error_of(path)
    assert err.field == "unit_costs.ale_hvb_day.cost"
    assert "min < max" in err.message


@pytest.mark.parametrize(("version", "hint"), [(2, "upgrade simpact"), (0, "update the file")])
def test_other_schema_versions_are_named(tmp_path, version, hint):
    path = write(
        tmp_path,
        "costs.toml",
        GOOD_COST.replace("schema_version = 1", f"schema_version = {version}"),
    )
    err = error_of(path)
    assert err.field == "schema_version"
    assert hint in err.message


def test_missing_schema_version(tmp_path):
    path = write(tmp_path, "costs.toml", GOOD_COST.replace("schema_version = 1\n", ""))
    assert "schema_version = 1" in error_of(path).message


def test_unrecognised_file_is_refused_with_the_known_kinds(tmp_path):
    path = write(tmp_path, "x.toml", "schema_version = 1\n[prices]\na = 1\n")
    err = error_of(path)
    assert "cannot tell what kind of file" in err.message
    assert "[unit_costs]" in err.message


def test_explicit_kind_must_be_known(tmp_path):
    path = write(tmp_path, "x.toml", 'schema_version = 1\nkind = "costs"\n')
    err = error_of(path)
    assert err.field == "kind"
    assert "unit_costs" in err.message


def test_explicit_kind_is_accepted(tmp_path):
    path = write(
        tmp_path,
        "x.toml",
        GOOD_COST.replace("schema_version = 1", 'schema_version = 1\nkind = "unit_costs"'),
    )
    assert L.validate_file(path) == "unit_costs"


def test_effect_size_needs_a_known_scale_and_evidence_marker(tmp_path):
    path = write(
        tmp_path,
        "es.toml",
        """\
        schema_version = 1
        [effect_sizes.mine]
        label = { en = "x", sv = "x" }
        intervention = "mentoring"
        outcome = "delinquency"
        scale = "cohens_h"
        effect = { dist = "normal", mean = 0.2, sd = 0.05 }
        source = "Someone (2020)"
        evidence = "V"
        """,
    )
    err = error_of(path)
    assert err.field == "effect_sizes.mine.scale"
    assert err.source == f"{path}:6"


def test_student_t_heterogeneity_needs_nu(tmp_path):
    path = write(
        tmp_path,
        "h.toml",
        """\
        schema_version = 1
        [heterogeneity.mine]
        label = { en = "x", sv = "x" }
        scale = "smd"
        family = "student_t"
        mu = -3
        sigma = 2
        source = "Someone (2020)"
        evidence = "S"
        """,
    )
    assert "`nu`" in error_of(path).message


def test_retention_outside_0_1_is_refused(tmp_path):
    path = write(
        tmp_path,
        "p.toml",
        """\
        schema_version = 1
        [persistence.mine]
        label = { en = "x", sv = "x" }
        retention = { dist = "uniform", min = 0.5, max = 1.2 }
        source = "Someone (2020)"
        evidence = "M"
        """,
    )
    err = error_of(path)
    assert err.field == "persistence.mine.retention"
    assert "[0, 1]" in err.message


def test_a_broken_model_spec_is_reported_by_validate_file(tmp_path):
    path = write(tmp_path, "m.toml", 'schema_version = 1\n[intervention]\nid = "x"\n')
    err = error_of(path)
    assert err.source == str(path)


# ---- extending the bundled library --------------------------------------------------------


def test_extra_folder_adds_entries_to_the_bundled_ones(tmp_path):
    write(tmp_path / "mine", "costs.toml", GOOD_COST)
    costs = L.unit_costs(extra=tmp_path / "mine")
    assert "ale_hvb_day" in costs and "bbic_investigation" in costs
    assert "ale_hvb_day" not in L.unit_costs()


def test_env_var_adds_folders(tmp_path, monkeypatch):
    write(tmp_path / "mine", "costs.toml", GOOD_COST)
    monkeypatch.setenv(L.PRIORS_PATH_ENV, str(tmp_path / "mine"))
    assert L.unit_costs()["ale_hvb_day"].price_year == 2023


def test_a_key_defined_twice_names_both_files(tmp_path):
    write(tmp_path / "a", "costs.toml", GOOD_COST.replace("ale_hvb_day", "bbic_investigation"))
    with pytest.raises(SpecError) as info:
        L.unit_costs(extra=tmp_path / "a")
    assert "unit_costs.toml" in info.value.message  # the bundled file
    assert info.value.source == str((tmp_path / "a" / "costs.toml").resolve())


def test_missing_extra_folder_is_an_error(tmp_path):
    with pytest.raises(SpecError, match="priors folder not found"):
        L.unit_costs(extra=tmp_path / "nope")


def test_user_cpi_years_extend_price_conversion(tmp_path):
    # a user adds 2026 (a made-up index value is fine here: the test checks the arithmetic)
    write(
        tmp_path / "mine",
        "cpi_2026.toml",
        """\
        schema_version = 1
        name = "KPI"
        source = "my own table"
        base = "1980=100"
        [index]
        2023 = 403.70
        2026 = 425.00
        """,
    )
    write(
        tmp_path / "mine", "costs.toml", GOOD_COST.replace("price_year = 2023", "price_year = 2026")
    )
    assert L.price_factor(2023, 2026, extra=tmp_path / "mine") == pytest.approx(425.0 / 403.70)
    assert L.unit_costs(extra=tmp_path / "mine")["ale_hvb_day"].price_year == 2026
    with pytest.raises(SpecError, match="no CPI for price year 2026"):
        L.price_factor(2023, 2026)


def test_conflicting_cpi_value_is_refused(tmp_path):
    write(
        tmp_path / "mine",
        "cpi.toml",
        'schema_version = 1\nname = "x"\nsource = "x"\nbase = "x"\n[index]\n2023 = 400.0\n',
    )
    with pytest.raises(SpecError) as info:
        L.cpi(extra=tmp_path / "mine")
    assert info.value.field == "index.2023"


def test_validate_file_uses_the_cpi_of_the_users_own_folder(tmp_path):
    folder = tmp_path / "mine"
    write(
        folder,
        "cpi.toml",
        'schema_version = 1\nname = "x"\nsource = "x"\nbase = "x"\n[index]\n2026 = 425.0\n',
    )
    costs = write(folder, "costs.toml", GOOD_COST.replace("price_year = 2023", "price_year = 2026"))
    assert L.validate_file(costs) == "unit_costs"


def test_validate_paths_walks_folders_and_stops_at_the_first_broken_file(tmp_path):
    folder = tmp_path / "mine"
    write(folder, "a_costs.toml", GOOD_COST)
    assert [kind for _, kind in L.validate_paths(folder)] == ["unit_costs"]
    write(folder, "b_broken.toml", "schema_version = 1\n[unit_costs.x]\nunit = 1\n")
    with pytest.raises(SpecError) as info:
        L.validate_paths(folder)
    assert "b_broken.toml" in info.value.source


def test_a_spec_can_use_a_unit_cost_from_the_users_priors_folder(tmp_path, monkeypatch):
    from simpact.config.loading import load_model

    write(tmp_path / "mine", "costs.toml", GOOD_COST)
    raw = L.read_toml(L.library_dir("models") / "nata.toml")
    raw["data"]["path"] = None
    raw["outcomes"][0]["unit_cost"] = "ale_hvb_day"
    with pytest.raises(SpecError, match="unknown unit cost 'ale_hvb_day'"):
        load_model(raw)
    monkeypatch.setenv(L.PRIORS_PATH_ENV, str(tmp_path / "mine"))
    spec = load_model(raw)
    cost, factor = spec.unit_cost(spec.outcomes[0])
    assert cost.bounds() == (4000, 5000)
    assert factor == 1.0  # price year 2023 = the spec's price year
