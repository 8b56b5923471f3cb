"""The explorer page without a browser: its widgets make the scenario, and what it shows is what
the Python API gives for that scenario (Panel objects, no server)."""

from __future__ import annotations

import tomllib

import pytest

from simpact import explore

pn = pytest.importorskip("panel")

from simpact.explore.display import probability, readout  # noqa: E402
from simpact.explore.page import Explorer  # noqa: E402


@pytest.fixture(scope="module")
def page(nata_sim):
    base = explore.Scenario.from_results(nata_sim)
    return base, Explorer(base, nata_sim["fit"], lang="sv")


def widget(page, key: str, which: int = 0):
    _, explorer = page
    return explorer.controls.widgets[key][1][which]


def test_the_page_opens_on_the_results_numbers(page, nata_sim):
    base, explorer = page
    expected = explore.evaluate(base, nata_sim["fit"]).numbers()["p_full_on_schedule"]
    assert f'data-metric="p_full_on_schedule">{probability(expected, "sv")}<' in (
        explorer.readout.object
    )
    assert explorer.controls.scenario().raw() == base.raw()  # nothing moved: no changes


def test_a_moved_widget_is_the_scenario_the_page_shows(page, nata_sim):
    base, explorer = page
    widget(page, "simulation.cashable.education").value = 0.6
    widget(page, "fund.rule").value = "strict"
    knob = {k.key: k for k in explore.knobs_of(base.base)}["simulation.cashable.education"]
    scenario = base.changed(explore.move(base.base, knob, 0.6, 0.2) | {("fund", "rule"): "strict"})
    ev = explore.evaluate(scenario, nata_sim["fit"])
    for key, _, text in readout(ev, "sv"):
        assert f'data-metric="{key}">{text}<' in explorer.readout.object
    exported = tomllib.loads(explorer._toml().getvalue())
    assert exported["fund"]["rule"] == "strict"
    assert exported["simulation"]["cashable"]["education"] == {
        "dist": "uniform",
        "min": 0.4,
        "max": 0.8,
    }


def test_a_bad_input_is_reported_and_the_numbers_kept(page):
    _, explorer = page
    before = explorer.readout.object
    widget(page, "simulation.cashable.education").value = 0.95  # uniform 0.75-1.15: not a share
    assert explorer.readout.object == before
    assert "Error" in explorer.status.object
    widget(page, "simulation.cashable.education").value = 0.6


def test_kept_scenarios_are_compared_side_by_side(page):
    _, explorer = page
    explorer.name.value = "strikt"
    explorer.keep()
    assert list(explorer.table.object.columns) == ["base", "strikt"]


def test_a_scenario_exports_as_a_report(page):
    _, explorer = page
    html = explorer._report().getvalue().decode()
    assert html.lstrip().lower().startswith("<!doctype html") and "MSEK" in html
