"""The effect designs' contract: tree groups, attrs, variables and dims other stages rely on,
site pooling, prior overrides, the convergence gate, reproducibility and refits."""

from __future__ import annotations

import copy

import numpy as np
import pandas as pd
import pytest
import xarray as xr

import simpact as sp
from simpact import effects
from simpact.base import scales
from simpact.base.errors import ConvergenceError, SpecError
from simpact.config.spec import Sampling

ATTRS = {
    "design", "family", "outcome", "effect_var", "effect_scale", "effect_scales", "better",
    "sampler", "ci_prob", "rhat_max", "ess_bulk_min", "ess_tail_min", "divergences",
    "converged", "data_sha256", "data_source",
}  # fmt: skip


def test_binary_did_contract(nata_posterior, nata_data):
    tree = nata_posterior
    assert ATTRS <= set(tree.attrs)
    assert tree.attrs["effect_var"] == "risk_difference"
    assert tree.attrs["effect_scale"] == "risk_difference"
    assert tree.attrs["ci_prob"] == effects.CI_PROB == 0.90
    assert {"risk_difference", "risk_ratio", "log_odds_ratio"} <= set(tree.posterior.data_vars)
    for name in tree.attrs["effect_scales"]:
        da = tree.posterior[name]
        assert da.dims[:2] == ("chain", "draw")
        assert "units" in da.attrs
    obs = tree.observed_data
    assert {"treated", "post", "events", "trials"} <= set(obs.data_vars)
    # the cells hold every pupil-period row and every event of the table
    assert int(obs["trials"].sum()) == len(nata_data)
    assert int(obs["events"].sum()) == int(nata_data["problematic_absence"].sum())
    treated_post = (obs["treated"] == 1) & (obs["post"] == 1)
    rows = (nata_data["treated"] == 1) & (nata_data["period"] == "post")
    assert int(obs["trials"].where(treated_post, 0).sum()) == int(rows.sum())


def test_risk_difference_is_consistent_with_the_risks(nata_posterior):
    post = nata_posterior.posterior
    rd = post["risk_treated"] - post["risk_counterfactual"]
    np.testing.assert_allclose(post["risk_difference"], rd)
    np.testing.assert_allclose(
        post["risk_ratio"], post["risk_treated"] / post["risk_counterfactual"]
    )


def test_summary_and_effect(nata_posterior):
    fit = effects.Fit(nata_posterior)
    table = fit.summary()
    assert list(table.columns) == ["mean", "sd", "lower", "upper", "p_better"]
    rd = fit.effect
    assert rd.dims == ("chain", "draw")
    lower, upper = np.quantile(rd, [0.05, 0.95])
    assert table.loc["risk_difference", "lower"] == pytest.approx(lower)
    assert table.loc["risk_difference", "upper"] == pytest.approx(upper)
    assert table.loc["risk_difference", "p_better"] == pytest.approx(float((rd < 0).mean()))
    # a risk ratio improves below 1, the risk difference below 0: the same draws
    assert table.loc["risk_ratio", "p_better"] == table.loc["risk_difference", "p_better"]


@pytest.mark.integration
def test_same_seed_same_draws(nata_spec, nata_data, real_nata_posterior):
    again = sp.fit_effects(nata_spec, nata_data, random_seed=1, progress=False)
    xr.testing.assert_equal(
        again.posterior.to_dataset(), real_nata_posterior.posterior.to_dataset()
    )


def _spec(nata_spec, **effect):
    raw = copy.deepcopy(nata_spec._raw)
    raw["effect"] = {**raw["effect"], **effect}
    raw["data"]["path"] = str(nata_spec.data_path)
    return sp.load_model(raw)


@pytest.mark.integration
def test_counts_with_exposure_and_site_pooling_from_a_spec(nata_spec):
    """NÄTA's absent days out of days enrolled, a negative binomial DiD pooled over schools."""
    spec = _spec(
        nata_spec,
        family="negbin",
        outcome="absent_days",
        exposure="days_enrolled",
        site="school",
        unit=None,
    )
    data = sp.load_followup(spec)
    tree = sp.fit_effects(spec, data, random_seed=3, progress=False, check=False)
    post = tree.posterior
    assert tree.attrs["effect_var"] == "rate_ratio"
    assert tree.attrs["effect_scale"] == "rate_ratio"
    assert tree.attrs["sites"] == sorted(data["school"].unique())
    assert {"rate_ratio", "rate_difference", "log_rate_ratio", "effect", "effect_sd"} <= set(
        post.data_vars
    )
    assert post["log_rate_ratio_site"].dims == ("chain", "draw", "site")
    # the predictive effect for a new site is the pooled effect plus between-site spread
    np.testing.assert_allclose(np.log(post["rate_ratio"]), post["effect_new"], rtol=1e-6)
    assert float(post["log_rate_ratio"].std()) >= float(post["effect"].std())
    # rate difference per day enrolled: rate_treated - rate_counterfactual, treated after
    np.testing.assert_allclose(
        post["rate_difference"], post["rate_treated"] - post["rate_counterfactual"]
    )
    assert post["rate_difference"].attrs["units"] == "events per unit of exposure"


def test_unknown_design_in_a_spec(nata_spec, nata_data):
    spec = _spec(nata_spec, design="rdd")
    with pytest.raises(SpecError, match="unknown design 'rdd'; expected one of two_group, did"):
        sp.fit_effects(spec, nata_data)


@pytest.mark.integration
def test_prior_override_is_applied_and_is_part_of_the_structure(nata_data):
    prior = {"effect": {"dist": "Normal", "kwargs": {"mu": -1.0, "sigma": 0.01}}}
    design = effects.DiD(
        nata_data, outcome="problematic_absence", group="treated", period="period", priors=prior
    )
    default = effects.DiD(
        nata_data, outcome="problematic_absence", group="treated", period="period"
    )
    assert design.structure_key() != default.structure_key()
    fit = design.fit(random_seed=1, sampling=Sampling(draws=300, tune=300, chains=2), check=False)
    assert float(fit.tree.posterior["log_odds_ratio"].mean()) == pytest.approx(-1.0, abs=0.03)


def test_default_priors_are_scaled_to_the_data():
    gen = np.random.default_rng(1)
    df = pd.DataFrame({"cost": gen.normal(250_000, 40_000, 50), "g": np.tile([0, 1], 25)})
    priors = effects.TwoGroup(df, outcome="cost", group="g", family="normal").default_priors
    sd = float(df["cost"].std(ddof=0))
    assert priors["intercept"]["kwargs"] == {
        "mu": pytest.approx(df["cost"].mean()),
        "sigma": 2.5 * sd,
    }
    assert priors["effect"]["kwargs"] == {"mu": 0.0, "sigma": sd}
    assert priors["sigma"]["kwargs"] == {"lam": pytest.approx(1 / sd)}


def test_data_scaled_priors_do_not_change_the_structure():
    gen = np.random.default_rng(2)
    a = pd.DataFrame({"y": gen.normal(10, 2, 40), "g": np.tile([0, 1], 20)})
    b = pd.DataFrame({"y": gen.normal(5_000, 900, 90), "g": np.tile([0, 1], 45)})
    key = effects.TwoGroup(a, outcome="y", group="g", family="normal").structure_key()
    assert effects.TwoGroup(b, outcome="y", group="g", family="normal").structure_key() == key


def _tree(draws: np.ndarray, divergent: int = 0) -> xr.DataTree:
    diverging = np.zeros(draws.shape, bool)
    diverging.flat[:divergent] = True
    return xr.DataTree.from_dict(
        {
            "posterior": xr.Dataset({"effect": (("chain", "draw"), draws)}),
            "sample_stats": xr.Dataset({"diverging": (("chain", "draw"), diverging)}),
        }
    )


def test_convergence_gate():
    gen = np.random.default_rng(0)
    good = gen.normal(size=(4, 1000))
    assert effects.check_convergence(_tree(good), var_names=["effect"]).converged
    stuck = good + np.array([0.0, 0.0, 0.0, 3.0])[:, None]  # one chain elsewhere
    with pytest.raises(ConvergenceError, match=r"R-hat .* > 1.01.*more tuning"):
        effects.check_convergence(_tree(stuck), var_names=["effect"])
    with pytest.raises(ConvergenceError, match=r"3 divergent transitions.*target_accept"):
        effects.check_convergence(_tree(good, divergent=3), var_names=["effect"])
    short = gen.normal(size=(2, 100))
    flags = effects.check_convergence(_tree(short), var_names=["effect"], raise_=False)
    assert not flags.converged and flags.ess_bulk_min < effects.ESS_MIN


def test_registry_and_exports():
    assert set(effects.DESIGNS) == {"two_group", "did", "its"}
    assert {"normal", "student_t", "binomial", "poisson", "negbin", "bernoulli"} == set(
        effects.FAMILIES
    )
    assert effects.DESIGNS["did"] is effects.DiD
    assert {n for n, s in scales.SCALES.items() if s.is_ratio} == {"risk_ratio", "rate_ratio"}


@pytest.mark.slow
def test_pymc_sampler_agrees_with_nutpie(nata_data, real_nata_posterior):
    design = effects.DiD(nata_data, outcome="problematic_absence", group="treated", period="period")
    fit = design.fit(random_seed=1, sampling=Sampling(sampler="pymc"), progress=False)
    assert fit.tree.attrs["sampler"] == "pymc"
    rd = fit.tree.posterior["risk_difference"]
    ref = real_nata_posterior.posterior["risk_difference"]
    # two independent samples of the same posterior: means within ~4 Monte Carlo errors
    assert float(rd.mean()) == pytest.approx(float(ref.mean()), abs=4 * float(ref.std()) / 30)
