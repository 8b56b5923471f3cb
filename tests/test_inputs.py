"""Uncertain-input distributions: parameters as written in TOML, draws with those moments."""

from __future__ import annotations

import numpy as np
import pytest

from simpact.components.distributions import DISTRIBUTIONS, Fixed, as_dist

N = 200_000
CASES = [
    # spec, mean, sd (closed forms)
    ({"dist": "normal", "mean": 5.0, "sd": 2.0}, 5.0, 2.0),
    ({"dist": "lognormal", "mean": 30561, "sd": 6112}, 30561, 6112),
    ({"dist": "gamma", "mean": 60225, "sd": 6023}, 60225, 6023),
    ({"dist": "beta", "mean": 0.2, "sd": 0.07}, 0.2, 0.07),
    ({"dist": "uniform", "min": 510, "max": 2007}, (510 + 2007) / 2, (2007 - 510) / np.sqrt(12)),
    (
        {"dist": "triangular", "min": 0.02, "mode": 0.035, "max": 0.05},
        0.035,
        np.sqrt((0.02**2 + 0.035**2 + 0.05**2 - 0.02 * 0.035 - 0.02 * 0.05 - 0.035 * 0.05) / 18),
    ),
    # PERT(0, 1, 4): mean 8 / 6; beta(2, 4) on width 4: sd = 4 sqrt(ab / ((a+b)^2 (a+b+1)))
    ({"dist": "pert", "min": 0, "mode": 1, "max": 4}, 8 / 6, 4 * np.sqrt(8 / (36 * 7))),
]


@pytest.mark.parametrize(("spec", "mean", "sd"), CASES, ids=[c[0]["dist"] for c in CASES])
def test_draws_have_the_stated_mean_sd_and_bounds(spec, mean, sd):
    dist = as_dist(spec)
    assert dist.mean() == pytest.approx(mean)
    x = dist.draw(np.random.default_rng(1), N)
    assert abs(x.mean() - mean) < 5 * sd / np.sqrt(N)
    assert x.std() == pytest.approx(sd, rel=0.03)
    low, high = dist.bounds()
    assert x.min() >= low and x.max() <= high


def test_every_registered_distribution_is_covered():
    assert {c[0]["dist"] for c in CASES} | {"fixed"} == set(DISTRIBUTIONS)


def test_a_plain_number_is_a_fixed_value():
    dist = as_dist(3)
    assert isinstance(dist, Fixed)
    assert dist.bounds() == (3.0, 3.0)
    np.testing.assert_array_equal(dist.draw(np.random.default_rng(0), 4), [3.0] * 4)


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ({"dist": "weibull", "scale": 1}, "unknown dist 'weibull'"),
        ({"dist": "beta", "mean": 0.5, "sd": 0.6}, "too large for a beta"),
        ({"dist": "lognormal", "mean": -1, "sd": 1}, "mean"),
        ({"dist": "normal", "mean": 1, "sd": 0}, "sd"),
        ({"dist": "triangular", "min": 0, "mode": 5, "max": 4}, "min <= mode <= max"),
        ({"dist": "uniform", "min": 2, "max": 1}, "min < max"),
        ({"dist": "normal", "mean": 1, "sd": 1, "extra": 2}, "extra"),
        ("many", "expected a number"),
    ],
)
def test_bad_distributions_say_what_is_wrong(spec, message):
    with pytest.raises(ValueError, match=message):
        as_dist(spec)
