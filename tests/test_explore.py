"""The explorer's model side: knobs, scenarios, the scenario -> spec -> run round trip, common
random numbers and the fund designer (no browser; fits through the mock sampler)."""

from __future__ import annotations

import tomllib

import numpy as np
import pytest

import simpact as sp
from simpact import cli, explore
from simpact.base import storage
from simpact.decision import summarize
from simpact.explore import designer
from simpact.explore.knobs import centre_spread, with_centre_spread

SEED = 11


@pytest.mark.parametrize(
    "value",
    [
        0.035,
        {"dist": "beta", "mean": 0.85, "sd": 0.07},
        {"dist": "lognormal", "mean": 13000.0, "sd": 1300.0},
        {"dist": "uniform", "min": 0.5, "max": 0.9},
        {"dist": "triangular", "min": 0.02, "mode": 0.035, "max": 0.05},
        {"dist": "pert", "min": 1100, "mode": 3000, "max": 8400},
    ],
)
def test_a_distribution_moves_to_the_centre_and_spread_asked_for(value):
    centre, spread = centre_spread(value)
    moved = with_centre_spread(value, centre * 1.1, spread * 0.5 if spread else 0.0)
    assert centre_spread(moved) == pytest.approx((centre * 1.1, spread * 0.5))
    if isinstance(value, dict):
        assert moved["dist"] == value["dist"]
    assert with_centre_spread(value, centre, spread) == pytest.approx(value) or isinstance(
        value, dict
    )


def test_three_point_keeps_its_shape_when_moved():
    pert = {"dist": "pert", "min": 1100, "mode": 3000, "max": 8400}
    moved = with_centre_spread(pert, 4000, 7300)  # twice the half-width
    assert (moved["min"], moved["mode"], moved["max"]) == (200.0, 4000.0, 14800.0)


@pytest.fixture(scope="module")
def appraisal(tmp_path_factory):
    """``simpact run nata --seed SEED`` (mock fit): its results tree, saved as a results file."""
    path = tmp_path_factory.mktemp("explore") / "results.nc"
    storage.save(sp.run("nata", random_seed=SEED).sim, path)
    tree = storage.load(path)
    return path, tree, explore.Scenario.from_results(tree)


def moved(scenario: explore.Scenario) -> explore.Scenario:
    """A scenario with a knob of every kind changed."""
    knobs = {k.key: k for k in explore.knobs_of(scenario.base)}
    raw = scenario.base
    changes = {}
    changes |= explore.move(raw, knobs["simulation.cashable.social_services"], 0.8, 0.1)
    changes |= explore.move(raw, knobs["outcomes.3.unit_cost"], 15000, 2000)  # a priors key
    changes |= explore.move(raw, knobs["outcomes.0.excess_risk"], 0.3, 0.05)
    changes |= explore.move(raw, knobs["simulation.discount_rate"], 0.03, 0.005)
    changes[("cohort", "intake", "3")] = 70
    changes[("fund", "rule")] = "frame_cut"
    changes[("fund", "repayment")] = {"6": 0.5, "7": 0.5}
    changes[("fund", "horizon")] = 12
    return scenario.changed(changes, name="moved")


def test_the_base_scenario_gives_the_results_numbers(appraisal):
    _, tree, base = appraisal
    assert base.seed == SEED
    ev = explore.evaluate(base, tree["fit"])
    saved = summarize(tree, voi=False)
    for metric in ("p_full_on_schedule", "p_full_by_horizon", "expected_shortfall"):
        assert ev.summary.value(metric, "fund") == saved.value(metric, "fund")
    assert ev.summary.value("npv", "total") == saved.value("npv", "total")


def test_the_shown_rows_are_the_reports_rows(appraisal):
    _, tree, base = appraisal
    scenario = moved(base)
    shown = explore.evaluate(scenario, tree["fit"]).numbers()
    full = explore.evaluate(scenario, tree["fit"], full=True).numbers()
    assert shown == full


def test_exported_spec_reproduces_the_numbers_with_simulate(appraisal, tmp_path, capsys):
    results, tree, base = appraisal
    scenario = moved(base)
    expected = explore.evaluate(scenario, tree["fit"]).numbers()
    text = explore.scenario_to_toml(scenario)
    parsed = tomllib.loads(text)
    assert parsed["fund"]["rule"] == "frame_cut" and parsed["cohort"]["intake"]["3"] == 70
    spec_file = tmp_path / "moved.toml"
    spec_file.write_text(text)
    out = tmp_path / "out"
    argv = ["simulate", str(spec_file), "--posterior", str(results), "--seed", str(SEED)]
    with pytest.raises(SystemExit) as exc:
        cli.main([*argv, "--out", str(out), "--quiet"])
    assert exc.value.code == 0, capsys.readouterr().err
    again = storage.load(out / "results.nc")
    got = explore.evaluate(explore.Scenario.from_results(again), again["fit"]).numbers()
    assert got == expected
    assert explore.reproduce_command(scenario, "moved.toml", "r.nc") == (
        f"simpact simulate moved.toml --posterior r.nc --seed {SEED}"
    )


def test_exported_spec_reproduces_the_numbers_with_run(appraisal, tmp_path):
    """``simpact run`` refits from the data (now an absolute path) at the same seed."""
    _, tree, base = appraisal
    scenario = moved(base)
    spec_file = tmp_path / "elsewhere" / "moved.toml"
    spec_file.parent.mkdir()
    spec_file.write_text(explore.scenario_to_toml(scenario))
    data_path = tomllib.loads(spec_file.read_text())["data"]["path"]
    assert data_path.startswith("/")
    done = sp.run(spec_file, random_seed=SEED)
    expected = explore.evaluate(scenario, tree["fit"]).numbers()
    got = explore.evaluate(explore.Scenario.from_results(done.sim), done.sim["fit"]).numbers()
    assert got == expected


def test_scenarios_share_their_random_numbers(appraisal):
    _, tree, base = appraisal
    other = base.changed({("fund", "rule"): "strict", ("cohort", "intake", "2"): 80}, name="b")
    a = explore.evaluate(base, tree["fit"]).sim["inputs"].to_dataset()
    b = explore.evaluate(other, tree["fit"]).sim["inputs"].to_dataset()
    for name in a.data_vars:
        np.testing.assert_array_equal(a[name].to_numpy(), b[name].to_numpy())
    table = explore.compare([base, other], tree["fit"])
    assert list(table.columns) == ["base", "b"]
    assert table.loc["p_full_on_schedule", "b"] >= table.loc["p_full_on_schedule", "base"]


def test_more_draws_resample_the_posterior(appraisal):
    _, tree, base = appraisal
    ev = explore.evaluate(base.changed({}, draws=2048), tree["fit"])
    assert ev.draws == 2048


def test_fund_designer_runs_projects_through_one_fund(appraisal):
    results, _, _ = appraisal
    first = designer.load_entry(results, start=1)
    second = designer.Entry("later", first.scenario, first.posterior, start=3)
    design = designer.design_fund([first, second])
    head = design.headline()
    assert 0 <= head["p_capital_intact"] <= 1 and 0 <= head["p_cannot_pay"] <= 1
    band = design.balance_band()
    assert (band["lower"] <= band["mean"] + 1e-6).all() and (
        band["mean"] <= band["upper"] + 1e-6
    ).all()
    rules = designer.compare_rules([first, second], rules=("strict", "from_savings"))
    # strict: the administration pays every instalment, so the fund never loses capital
    assert rules.loc["strict", "p_capital_intact"] == 1.0
    assert rules.loc["from_savings", "p_capital_intact"] <= 1.0


def test_parse_schedule_and_projects():
    from simpact.explore.fund_page import parse_projects
    from simpact.explore.scenario import parse_schedule, schedule_text

    assert parse_schedule(schedule_text({"5": 0.5, "6": 0.5})) == {"5": 0.5, "6": 0.5}
    assert parse_projects("a.nc\nb.toml: 4") == [("a.nc", 1), ("b.toml", 4)]


def test_explore_command_stops_on_a_missing_or_wrong_file(tmp_path, capsys):
    for target in (tmp_path / "missing.nc", tmp_path / "empty.nc"):
        if target.name == "empty.nc":
            storage.save(_empty_tree(), target)
        with pytest.raises(SystemExit) as exc:
            cli.main(["explore", str(target), "--no-browser"])
        err = capsys.readouterr().err
        assert exc.value.code == 2 and err.startswith("simpact: error: ")


def _empty_tree():
    import xarray as xr

    return xr.DataTree(xr.Dataset({"x": ("year", [1.0])}))


def test_fund_designer_loads_a_spec_by_appraising_it():
    entry = designer.load_entry("nata", start=2, seed=3)
    assert entry.start == 2 and entry.scenario.seed == 3 and entry.posterior is not None
