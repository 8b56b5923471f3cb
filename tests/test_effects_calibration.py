"""Simulation-based calibration (Talts et al. 2018) of every design x family.

Default suite: a small run checking the machinery (ranks in range, every replicate refits the
compiled model) and no gross miscalibration. Slow tier (``pytest -m slow
tests/test_effects_calibration.py``, or ``python benchmarks/calibration.py`` for JSON): 100
replicates per design x family, coverage of the 50 % and 90 % intervals within 3 binomial
standard errors of nominal and rank uniformity by a chi-square test.
"""

from __future__ import annotations

import pytest

from simpact.config.spec import Sampling
from simpact.effects import calibration, core

FAMILIES = ("bernoulli", "binomial", "poisson", "negbin", "normal", "student_t")


@pytest.mark.integration
def test_small_calibration_machinery():
    design = calibration.template("did", "poisson", n=40)
    compiled = len(core._COMPILED)
    results = calibration.calibrate(
        design,
        replicates=12,
        random_seed=4,
        sampling=Sampling(draws=200, tune=200, chains=2),
        ranks=39,
    )
    assert len(core._COMPILED) == compiled + 1  # compiled once, refit 12 times
    assert set(results["var"]) == {"rate_ratio", "log_rate_ratio"}
    assert results["rank"].between(0, 39).all()
    # ranks of exp(x) and x coincide: the rank statistic is invariant to monotone maps
    by_var = results.pivot(index="replicate", columns="var", values="rank")
    assert (by_var["rate_ratio"] == by_var["log_rate_ratio"]).all()
    summary = calibration.summarise(results)
    # no gross bias: with 12 replicates the 90 % intervals cover at least 7 truths
    # (P(<= 6 of 12) = 0.0005 for a calibrated model)
    assert (summary["coverage90"] >= 7 / 12).all()
    # the truths differ between replicates (drawn from the prior, not fixed)
    assert results.groupby("var")["truth"].nunique().min() == 12


def test_thinning_keeps_draws_from_every_chain():
    import numpy as np

    draws = np.arange(4 * 100).reshape(4, 100).astype(float)
    kept = calibration._thin(draws, 20)
    assert len(kept) == 20
    assert {int(k // 100) for k in kept} == {0, 1, 2, 3}


COMBOS = [
    *[(d, f, False) for d in ("two_group", "did", "its") for f in FAMILIES],
    *[("did", f, True) for f in ("bernoulli", "poisson", "normal")],
    ("meta", "normal", False),
]


@pytest.mark.slow
@pytest.mark.parametrize(("design", "family", "site"), COMBOS)
def test_calibration(design, family, site):
    results = calibration.calibrate(
        calibration.template(design, family, site=site), replicates=100, random_seed=2026
    )
    summary = calibration.summarise(results)
    for name, row in summary.iterrows():
        assert abs(row["coverage50"] - 0.5) <= 3 * row["se50"], (name, row.to_dict())
        assert abs(row["coverage90"] - 0.9) <= 3 * row["se90"], (name, row.to_dict())
        assert row["chi2_p"] > 0.001, (name, row.to_dict())
