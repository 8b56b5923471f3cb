"""The report's tables and rows from known inputs (no fit): effect scales, summary rows by kind,
the priors a fit used, versions and the HTML shell."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
import xarray as xr

from simpact import report
from simpact.report.assumptions import prior_rows


def fit_with(draws: dict[str, list[float]], better: str = "lower") -> xr.DataTree:
    post = xr.Dataset({k: (("chain", "draw"), [v]) for k, v in draws.items()})
    fit = xr.DataTree.from_dict({"posterior": post})
    fit.attrs.update(effect_scales=list(draws), better=better)
    return fit


def test_every_ratio_scale_is_judged_against_one():
    ratio = [0.8, 0.9, 1.1, 0.7]
    fit = fit_with({"rate_ratio": ratio, "log_rate_ratio": [math.log(r) for r in ratio]})
    table = report.effect_table(fit)
    assert table.loc["rate_ratio", "p_better"] == pytest.approx(0.75)
    assert table.loc["log_rate_ratio", "p_better"] == pytest.approx(0.75)
    assert table.loc["rate_ratio", "mean"] == pytest.approx(np.mean(ratio))


def test_higher_is_better_and_unnamed_variables():
    fit = fit_with({"risk_ratio": [1.2, 1.1, 0.9, 1.3], "mu": [0.1, -0.1, 0.2, 0.3]}, "higher")
    table = report.effect_table(fit)
    assert table.loc["risk_ratio", "p_better"] == pytest.approx(0.75)
    assert table.loc["mu", "p_better"] == pytest.approx(0.75)  # not a named scale: null 0


def rows(*entries) -> pd.DataFrame:
    index = pd.MultiIndex.from_tuples([e[0] for e in entries], names=["metric", "scope"])
    return pd.DataFrame([e[1] for e in entries], index=index)


def test_rows_are_shown_by_kind():
    table = rows(
        (("npv", "total"), {"mean": -1.46e6, "lower": -3e6, "upper": 2e5, "mcse": 2e4,
                            "units": "SEK", "kind": "posterior"}),
        (("p_npv_positive", "total"), {"mean": 0.643, "lower": 0.62, "upper": 0.67,
                                       "mcse": 0.011, "units": "1", "kind": "monte_carlo"}),
        (("expected_shortfall", "total"), {"mean": 1.1e6, "lower": np.nan, "upper": np.nan,
                                           "mcse": 1e4, "units": "SEK", "kind": "posterior"}),
        (("evpi", "total"), {"mean": 3.2e5, "lower": np.nan, "upper": np.nan, "mcse": np.nan,
                             "units": "SEK", "kind": "value"}),
    )  # fmt: skip
    shown = {m: report.format_row(table.loc[(m, "total")], "sv") for m, _ in table.index}
    nb = "\u00a0"
    assert shown["npv"] == {"mean": f"−1,5{nb}MSEK", "interval": f"−3,0{nb}MSEK – 0,2{nb}MSEK",
                            "mcse": f"±0,02{nb}MSEK"}  # fmt: skip
    # a probability has a Monte Carlo error, not a 90 % interval
    assert shown["p_npv_positive"] == {"mean": f"64{nb}%", "interval": "–", "mcse": f"±1,1{nb}%"}
    assert shown["expected_shortfall"]["interval"] == "–"
    assert shown["evpi"] == {"mean": f"0,3{nb}MSEK", "interval": "–", "mcse": "–"}


def test_a_year_is_its_median_with_an_interval_only_when_it_nearly_always_happens():
    table = rows(
        (("payback_year", "total"), {"mean": 6.1, "lower": 5.0, "upper": 8.0, "median": 6.0,
                                     "units": "project year", "kind": "posterior"}),
        (("p_npv_positive", "total"), {"mean": 0.97, "lower": 0.96, "upper": 0.98,
                                       "median": np.nan, "units": "1", "kind": "monte_carlo"}),
    )  # fmt: skip
    assert report.key_row(table, "payback_year", "total", "en") == {
        "mean": "6",
        "interval": "5 – 8",
        "mcse": "–",
    }
    assert set(report.YEAR_EVENT) == {"payback_year", "repayment_year"}


def test_the_priors_the_fit_used_are_listed_defaults_and_overrides():
    used = {
        "intercept": {"dist": "Normal", "kwargs": {"mu": -0.295, "sigma": 1.5}},
        "effect": {"dist": "Normal", "kwargs": {"mu": -0.2, "sigma": 0.15}, "source": "Study X"},
        "group": {"dist": "Normal", "kwargs": {"mu": 0.0, "sigma": 1.0}},
    }
    given = {"effect": used["effect"], "group": used["group"]}
    listed = {r["name"]: (r["value"], r["source"]) for r in prior_rows(given, used, "en")}
    assert listed == {
        "The effect: prior, baseline level": (
            "normal, mean −0.295, sd 1.5",
            "design default (weakly informative)",
        ),
        "The effect: prior, effect": ("normal, mean −0.2, sd 0.15", "Study X"),
        "The effect: prior, difference between groups": (
            "normal, mean 0, sd 1",
            "assumption (model spec)",
        ),
    }
    # a tree without the fit's record falls back to the spec's own priors
    assert [r["name"] for r in prior_rows(given, None, "en")] == [
        "The effect: prior, effect",
        "The effect: prior, difference between groups",
    ]


def test_one_versions_line_names_each_package_once():
    post = xr.Dataset({"effect": (("chain", "draw"), [[0.0]])})
    post.attrs.update(creation_library="ArviZ", creation_library_version="1.3.1")
    sim = xr.DataTree.from_dict({"fit/posterior": post})
    sim.attrs.update(simpact_version="0.0.1", python="3.12.1")
    line = report.versions(sim)
    names = [part.rsplit(" ", 1)[0].lower() for part in line.split(", ")]
    assert line.startswith("simpact 0.0.1, Python 3.12.1, ArviZ 1.3.1")
    assert len(names) == len(set(names)) and "arviz" in names


def test_html_shell_comes_from_its_template():
    page = report.render_html("# NÄTA & co\n\nText.", {}, lang="sv")
    assert page.startswith('<!DOCTYPE html>\n<html lang="sv">')
    assert "<title>NÄTA &amp; co</title>" in page
    assert "body { font-family:" in page and "{{" not in page
    assert page.endswith("</body></html>\n")


def test_templates_are_package_data():
    from importlib.resources import files

    folder = files("simpact.report") / "templates"
    assert (folder / "report.md.j2").is_file() and (folder / "report.html.j2").is_file()
