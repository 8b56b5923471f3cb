"""Each bundled model runs end to end, and its effect fit recovers the synthetic data's truth.

The default suite fits each model at reduced size (200 draws x 2 chains, the convergence gate
only flagged); the slow tier runs every model at its spec's own settings, gate on, as
``simpact run`` does, and checks recovery on a larger generated sample.
"""

from __future__ import annotations

import copy
from functools import cache

import numpy as np
import pytest

import simpact as sp
from simpact import config

pytestmark = pytest.mark.integration  # real nutpie fits of every bundled model

MODELS = ["nata", "fotosyntes", "star_for_life", "minimili"]
CI = 0.90


def reduced(name: str) -> sp.ModelSpec:
    raw = copy.deepcopy(config.read_toml(config.library_dir("models") / f"{name}.toml"))
    raw["effect"]["sampling"].update(draws=200, tune=200, chains=2)
    raw["data"]["path"] = str(config.library_dir("models") / raw["data"]["path"])
    return sp.load_model(raw)


@cache
def small_fit(name: str):
    spec = reduced(name)
    post = sp.fit_effects(spec, sp.load_followup(spec), random_seed=7, check=False, progress=False)
    return spec, post


def interval(da) -> tuple[float, float]:
    values = da.to_numpy().reshape(-1)
    return tuple(np.quantile(values, [(1 - CI) / 2, (1 + CI) / 2]))


def covers(da, truth: float) -> bool:
    low, high = interval(da)
    return low <= truth <= high


# ----------------------------------------------------------------------------- end to end


@pytest.mark.parametrize("name", MODELS)
def test_model_runs_end_to_end_at_reduced_size(name):
    spec, post = small_fit(name)
    sim = sp.simulate(spec, post, random_seed=3, draws=2000)
    summary = sp.summarize(sim)
    actors = {str(a) for a in sim["cashflows"]["actor"].to_numpy()}
    assert set(spec.fund.repaying_actors) <= actors
    for metric, scope in [("npv", "total"), ("p_full_on_schedule", "fund"), ("evpi", "total")]:
        assert np.isfinite(summary.value(metric, scope)), (metric, scope)
    # the fund's principal is the spec's fund part; the frame grant is not repaid
    assert float(sim["fund"]["principal"]) == pytest.approx(sum(spec.fund.fund_part.values()))
    # the intervention's own costs are in the cash flows, at each paying actor
    costs = sim["cashflows"]["costs"].sum("year").mean(("chain", "draw"))
    for actor, by_year in spec.costs.items():
        expected = sum(
            float(d.draw(np.random.default_rng(0), 20_000).mean()) for d in by_year.values()
        )
        assert float(costs.sel(actor=actor)) == pytest.approx(expected, rel=0.01)


def test_collaborations_put_a_cost_at_the_region():
    for name in ("fotosyntes", "minimili"):
        spec, post = small_fit(name)
        sim = sp.simulate(spec, post, random_seed=3, draws=500)
        costs = sim["cashflows"]["costs"].sel(actor="region").sum("year")
        assert float(costs.min()) > 0, name
        assert "region" not in spec.fund.repaying_actors  # only the municipality repays


# ----------------------------------------------------------------------------- recovery


def test_fotosyntes_recovers_the_risk_difference(synthetic):
    truth = synthetic.true_risk_difference(synthetic.FOTOSYNTES_TRUTH)
    _, post = small_fit("fotosyntes")
    assert covers(post.posterior["risk_difference"], truth)


def test_star_for_life_recovers_each_municipality_and_the_mean(synthetic):
    spec, post = small_fit("star_for_life")
    table = sp.load_followup(spec)
    truths = table.groupby("municipality")["site_true_effect"].first()
    by_site = post.posterior["mean_difference_site"]
    for site, truth in truths.items():
        assert covers(by_site.sel(site=site), truth), site
    mean = synthetic.STAR_TRUTH["effect_mean"]
    assert covers(post.posterior["effect"], mean)
    # the predictive effect for a new site is wider than the pooled mean
    assert np.ptp(interval(post.posterior["mean_difference"])) > np.ptp(
        interval(post.posterior["effect"])
    )


def minimili_true_rate_ratio(table, truth: dict[str, float]) -> float:
    t = truth
    time = table["time"].to_numpy(float)
    after = time >= 36
    base = t["log_rate"] + t["trend"] * time
    change = t["level_change"] + t["slope_change"] * (time - 36)
    exposure = table["population_16_25"].to_numpy(float)
    treated = (exposure * np.exp(base + change))[after].sum()
    counterfactual = (exposure * np.exp(base))[after].sum()
    return float(treated / counterfactual)


def test_minimili_recovers_the_rate_ratio(synthetic):
    spec, post = small_fit("minimili")
    truth = minimili_true_rate_ratio(sp.load_followup(spec), synthetic.MINIMILI_TRUTH)
    assert 0.5 < truth < 0.8  # the generator's level and slope changes
    assert covers(post.posterior["rate_ratio"], truth)


# ----------------------------------------------------------------------------- slow tier


@pytest.mark.slow
@pytest.mark.parametrize("name", MODELS)
def test_full_size_run_passes_the_convergence_gate(name, tmp_path):
    result = sp.run(name, out=tmp_path, progress=False)  # the gate raises if it fails
    assert result.sim["fit"].attrs["divergences"] == 0
    assert (tmp_path / "report.html").is_file()
    assert np.isfinite(result.summary.value("npv", "total"))


@pytest.mark.slow
def test_fotosyntes_recovers_the_truth_on_a_ten_times_larger_sample(synthetic):
    truth = synthetic.true_risk_difference(synthetic.FOTOSYNTES_TRUTH)
    table = synthetic.fotosyntes(seed=11, n_treated=600, n_comparison=900)
    spec = sp.load_model("fotosyntes")
    post = sp.fit_effects(spec, sp.load_followup(table, spec=spec), random_seed=5, progress=False)
    assert covers(post.posterior["risk_difference"], truth)
    # ten times the children: the interval is about a third as wide as on the bundled sample
    _, small = small_fit("fotosyntes")
    ratio = np.ptp(interval(post.posterior["risk_difference"])) / np.ptp(
        interval(small.posterior["risk_difference"])
    )
    assert ratio < 0.5
