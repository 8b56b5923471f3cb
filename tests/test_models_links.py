"""The per_unit link (continuous outcomes) in closed form, and summaries of non-risk effects."""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr
from simulation_specs import base_spec, with_changes

import simpact as sp
from simpact.base.errors import SpecError
from simpact.base.fit_info import FitInfo
from simpact.simulation import simulate_cashflows


def posterior(better: str, **scales: float) -> xr.DataTree:
    """A fit whose effect scales are constants (2 chains x 50 draws)."""
    post = xr.Dataset({k: (("chain", "draw"), np.full((2, 50), v)) for k, v in scales.items()})
    tree = xr.DataTree.from_dict({"posterior": post})
    first = next(iter(scales))
    FitInfo(
        outcome="y",
        effect_var=first,
        effect_scale=first,
        effect_scales=tuple(scales),
        better=better,
    ).write(tree)
    return tree


def per_unit_spec(**changes) -> dict:
    raw = base_spec(lags=4, horizon=6)
    outcome = raw["outcomes"][0]
    outcome.pop("effect_prior")
    outcome.update(effect="per_unit", excess_risk_per_unit=0.01, **changes)
    return raw


@pytest.mark.parametrize("better, sign", [("higher", 1.0), ("lower", -1.0)])
def test_per_unit_saves_effect_times_slope(better, sign):
    # 100 persons x (2.5 points x 0.01 per point) x 1000 SEK, spread evenly over years 1-4
    spec = sp.load_model(per_unit_spec())
    tree = simulate_cashflows(spec, posterior(better, mean_difference=2.5))
    savings = tree["cashflows"]["savings"].sum("actor").isel(chain=0, draw=0).to_numpy()
    np.testing.assert_allclose(savings, sign * np.r_[[100 * 0.025 * 1000 / 4] * 4, 0, 0])


def test_per_unit_reads_an_effect_prior_of_either_sign():
    raw = per_unit_spec(effect_prior=-1.0)  # a mean difference may be negative
    tree = simulate_cashflows(sp.load_model(raw), None, draws=3)
    # better = "lower" (the spec's default): a fall of one point is an improvement of 1
    per_draw = tree["cashflows"]["savings"].sum(("year", "actor")).to_numpy()
    np.testing.assert_allclose(per_draw, 100 * 0.01 * 1000)


def test_per_unit_needs_its_slope_and_it_is_a_risk():
    raw = per_unit_spec()
    raw["outcomes"][0].pop("excess_risk_per_unit")
    with pytest.raises(SpecError, match="excess_risk_per_unit"):
        sp.load_model(raw)
    with pytest.raises(SpecError, match=r"outcomes\.0 \(\w+\)\.excess_risk_per_unit"):
        sp.load_model(with_changes(per_unit_spec(), "outcomes.0.excess_risk_per_unit", 1.5))


def test_a_fit_without_a_mean_difference_is_refused():
    spec = sp.load_model(per_unit_spec())
    with pytest.raises(SpecError, match="mean_difference"):
        simulate_cashflows(spec, posterior("higher", risk_difference=0.1))


@pytest.mark.parametrize(
    "better, scale, value, reduction",
    [
        ("lower", "rate_ratio", 0.8, 0.2),
        ("higher", "rate_ratio", 0.8, -0.2),
        ("higher", "mean_difference", 2.0, 2.0),
        ("lower", "mean_difference", 2.0, -2.0),
    ],
)
def test_summary_reports_the_effect_scale_the_fit_gives(better, scale, value, reduction):
    raw = base_spec(lags=2, horizon=6)
    outcome = raw["outcomes"][0]
    outcome.pop("effect_prior")
    if scale == "rate_ratio":
        outcome.update(effect="rate", baseline_rate=0.1)
    else:
        outcome.update(effect="per_unit", excess_risk_per_unit=0.01)
    spec = sp.load_model(raw)
    sim = sp.simulate(spec, posterior(better, **{scale: value}), random_seed=1)
    np.testing.assert_allclose(sim["effects"]["reduction"], reduction)
    summary = sp.summarize(sim, voi=False)
    assert summary.value(f"effect_{scale}", "treated") == pytest.approx(value)
    assert ("effect_risk_difference", "treated") not in summary.table.index
    improved = "100%" if reduction > 0 else "0%"  # English, as Babel's locale data writes it
    assert summary.text[0].endswith(f"improved the outcome is {improved}.")
