"""Choosing between alternatives: P(best), acceptability curves and frontier, by hand."""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr

from simpact import decision
from simpact.base.errors import SimpactError

# Four draws, two alternatives. "a" is best in three draws of four but loses 10 in the fourth:
# mean NB of a = (1 + 1 + 1 - 10) / 4 = -1.75 < 0 = mean NB of b.
NB = xr.DataArray(
    [[1.0, 0.0], [1.0, 0.0], [1.0, 0.0], [-10.0, 0.0]],
    dims=("draw", "scenario"),
    coords={"scenario": ["a", "b"]},
    attrs={"units": "SEK"},
)


def test_prob_best_by_hand():
    p = decision.prob_best(NB)
    assert p.sel(scenario="a").item() == 0.75
    assert p.sel(scenario="b").item() == 0.25
    assert p.attrs["units"] == "1"


def test_prob_best_three_alternatives_and_ties():
    nb = xr.DataArray([[1, 2, 3], [3, 2, 1], [2, 2, 2], [0, 5, 1]], dims=("draw", "scenario"))
    # best: c, a, a (tie goes to the first listed), b
    assert decision.prob_best(nb).values.tolist() == [0.5, 0.25, 0.25]


def test_frontier_follows_the_highest_mean_not_the_highest_curve():
    f = decision.frontier(NB)
    assert f["optimal"].item() == "b"
    assert f["probability"].item() == 0.25  # not max(P(best)) = 0.75
    assert f["expected"].item() == 0.0


def test_acceptability_curve_over_willingness_to_pay():
    # a costs 1 more than b in every draw and gains 0, 1, 2 or 3 pupils back in school;
    # valued at wtp per pupil, a is best where wtp * gain > 1
    money = xr.DataArray(
        [[-1.0, 0.0]] * 4, dims=("draw", "scenario"), coords={"scenario": ["a", "b"]}
    )
    pupils = xr.DataArray(
        [[0.0, 0], [1, 0], [2, 0], [3, 0]],
        dims=("draw", "scenario"),
        coords={"scenario": ["a", "b"]},
    )
    nb = decision.net_benefit(money, pupils, wtp=[0.0, 0.4, 0.75, 2.0])
    curve = decision.prob_best(nb).sel(scenario="a")
    # wtp 0: never; 0.4: gains 3 (1.2 > 1); 0.75: gains 2, 3; 2: gains 1, 2, 3
    assert curve.values.tolist() == [0.0, 0.25, 0.5, 0.75]
    f = decision.frontier(nb)
    # mean NB of a = -1 + 1.5 wtp: b is optimal below wtp 2/3, a above
    assert f["optimal"].values.tolist() == ["b", "b", "a", "a"]
    assert f["probability"].values.tolist() == [1.0, 0.75, 0.5, 0.75]


def test_acceptability_over_the_discount_rate():
    # cost 100 now, 121 back in year 2 (a) vs nothing (b): NPV > 0 below 10 %
    net = xr.DataArray(
        [[[-100.0, 0.0], [0.0, 0.0], [121.0, 0.0]]],
        dims=("draw", "year", "scenario"),
        coords={"year": [0, 1, 2], "scenario": ["a", "b"]},
    )
    nb = decision.at_discount_rates(net, rates=[0.0, 0.05, 0.15, 0.2])
    np.testing.assert_allclose(
        nb.sel(scenario="a").isel(draw=0),
        [21.0, 121 / 1.05**2 - 100, 121 / 1.15**2 - 100, 121 / 1.44 - 100],
        atol=1e-9,
    )
    curve = decision.prob_best(nb).sel(scenario="a")
    assert curve.values.tolist() == [1.0, 1.0, 0.0, 0.0]


def test_bad_input():
    with pytest.raises(SimpactError, match="year"):
        decision.at_discount_rates(NB, rates=[0.03])
    with pytest.raises(SimpactError, match="> -1"):
        decision.at_discount_rates(NB.rename(scenario="year"), rates=[-1.0])
    with pytest.raises(SimpactError, match="scenario"):
        decision.prob_best(NB.rename(scenario="option"))
