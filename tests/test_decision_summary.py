"""The decision summary on a real NÄTA simulation, Monte Carlo error, and the fund portfolio."""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr
from scipy.stats import norm

import simpact as sp
from simpact import decision, fund

CONTRACT_ROWS = [
    ("npv", "total"),
    ("p_npv_positive", "total"),
    ("p_full_on_schedule", "fund"),
    ("p_full_by_horizon", "fund"),
    ("expected_shortfall", "fund"),
    ("shortfall_given_short", "fund"),
    ("repaid_share", "fund"),
    ("payback_year", "total"),
    ("effect_risk_difference", "treated"),
]


@pytest.fixture(scope="module")
def summary(nata_sim):
    return sp.summarize(nata_sim)


def test_contract_rows_and_columns(summary, nata_sim):
    for row in CONTRACT_ROWS:
        assert row in summary.table.index
    for actor in nata_sim["cashflows"]["actor"].values:
        for metric in ("npv", "p_npv_positive", "p_breakeven_4y", "payback_year"):
            assert (metric, str(actor)) in summary.table.index
    assert {
        "mean",
        "lower",
        "upper",
        "kind",
        "mcse",
        "units",
        "median",
        "mcse_lower",
        "mcse_upper",
    } <= set(summary.table.columns)
    assert "interval" not in summary.table.columns
    assert set(summary.table["kind"]) == {"posterior", "monte_carlo", "value"}  # rows.KINDS
    assert not np.isnan(summary.value("payback_year", "total", "mean"))


def test_no_row_duplicates_another_and_the_expected_shortfall_has_no_interval(summary):
    metrics = set(summary.table.index.get_level_values("metric"))
    assert "p_payback" not in metrics  # it is P(NPV > 0): pays back within the horizon
    row = summary.table.loc[("expected_shortfall", "fund")]
    assert np.isnan(row["lower"]) and np.isnan(row["upper"]) and row["mcse"] >= 0


def test_payback_and_breakeven_are_undefined_for_an_actor_with_no_cash_flows(summary, nata_sim):
    pv = nata_sim["cashflows"]["present_value"]
    quiet = pv.sel(actor="region").copy(data=np.zeros(pv.sel(actor="region").shape))
    sim = nata_sim.copy()
    sim["cashflows"] = (
        sim["cashflows"]
        .to_dataset()
        .assign(
            present_value=xr.concat(
                [pv.sel(actor=a) if a != "region" else quiet for a in pv["actor"].values], "actor"
            ).assign_attrs(pv.attrs)
        )
    )
    t = sp.summarize(sim, voi=False).table
    assert np.isnan(t.loc[("payback_year", "region"), "mean"])
    assert np.isnan(t.loc[("p_breakeven_4y", "region"), "mean"])
    assert t.loc[("payback_year", "social_services"), "mean"] >= 1


def test_every_probability_and_quantile_carries_its_mcse(summary):
    t = summary.table
    probs = t[t["kind"] == "monte_carlo"]
    assert len(probs) > 10
    assert probs["mcse"].notna().all() and (probs["mcse"] >= 0).all()
    quantities = t[(t["kind"] == "posterior") & t["mcse"].notna() & t["lower"].notna()]
    assert quantities[["mcse_lower", "mcse_upper"]].notna().all().all()


def test_numbers_match_an_independent_computation(summary, nata_sim):
    cf = nata_sim["cashflows"].to_dataset()
    total = cf["net"] * cf["discount_factor"]
    npv = total.sum(("year", "actor"))
    assert summary.value("p_npv_positive") == pytest.approx(float((npv > 0).mean()))
    benefit = (cf["savings"] * cf["discount_factor"]).sum(("year", "actor"))
    cost = (cf["costs"] * cf["discount_factor"]).sum(("year", "actor"))
    assert summary.value("bcr") == pytest.approx(float((benefit / cost).mean()))
    by_4 = total.sel(year=total["year"] <= 4).sum(("year", "actor"))
    assert summary.value("p_breakeven_4y") == pytest.approx(float((by_4 >= 0).mean()))
    # go / no-go EVPI: E max(NPV, 0) − max(E NPV, 0)
    evpi = float(np.maximum(npv, 0).mean()) - max(float(npv.mean()), 0.0)
    assert summary.value("evpi") == pytest.approx(evpi)
    evppi = summary.table.xs("evppi", level="metric")["mean"]
    assert "effect" in evppi.index
    assert (evppi <= evpi * 1.01 + 1.0).all()


def test_sentences_in_both_languages(nata_sim, summary):
    sv = sp.summarize(nata_sim, lang="sv", voi=False)
    assert len(summary.text) == len(sv.text) + 1  # voi=False drops the information sentence
    assert "electoral period" in " ".join(summary.text)
    assert "mandatperiod" in " ".join(sv.text)
    assert ("evpi", "total") not in sv.table.index


def test_draws_needed_scales_with_the_square_of_the_precision(summary):
    n = summary.draws["npv"].sizes["chain"] * summary.draws["npv"].sizes["draw"]
    worst = float(summary.table.loc[summary.table["kind"] == "monte_carlo", "mcse"].max())
    assert summary.draws_needed(worst) == pytest.approx(n, rel=1e-6, abs=1)
    assert summary.draws_needed(worst / 2) == pytest.approx(4 * n, rel=1e-6, abs=1)


def test_mcse_of_iid_draws_matches_theory():
    rng = np.random.default_rng(0)
    n = 8000
    x = xr.DataArray(rng.normal(size=(4, n // 4)), dims=("chain", "draw"))
    # a probability: sqrt(p (1 − p) / n); a quantile: sqrt(p (1 − p) / n) / density at it
    p = 0.3
    assert float(decision.mcse(x < norm.ppf(p))) == pytest.approx(
        np.sqrt(p * (1 - p) / n), rel=0.15
    )
    q = 0.05
    theory = np.sqrt(q * (1 - q) / n) / norm.pdf(norm.ppf(q))
    assert float(decision.mcse_quantile(x, q)) == pytest.approx(theory, rel=0.25)
    # a single draw dim is accepted too
    flat = x.stack(s=("chain", "draw")).drop_vars(["s", "chain", "draw"]).rename(s="draw")
    assert float(decision.mcse_quantile(flat, q)) == pytest.approx(theory, rel=0.25)
    assert decision.draws_needed(x < norm.ppf(p), target=0.001) == pytest.approx(
        p * (1 - p) / 0.001**2, rel=0.3
    )


def test_rules_compared_on_a_real_simulation(nata_sim, nata_spec):
    c = fund.compare_rules(nata_sim, nata_spec.fund)
    assert c["scenario"].values.tolist() == list(fund.RULES)
    assert bool(c["full_on_schedule"].sel(scenario="strict").all())
    # savings are never negative here, so taking them as they appear (frame_cut) or pooling
    # them for the schedule (from_savings) brings back the same by the horizon
    xr.testing.assert_allclose(
        c["repaid_share"].sel(scenario="frame_cut", drop=True),
        c["repaid_share"].sel(scenario="from_savings", drop=True),
    )
    assert bool(
        (
            c["repaid_share"].sel(scenario="capped_return")
            <= c["repaid_share"].sel(scenario="from_savings") + 1e-9
        ).all()
    )
    # side by side: which rule brings most back to the fund, draw by draw
    p = decision.prob_best(c["repaid"].sum("year"))
    assert float(p.sum()) == pytest.approx(1.0)


def test_portfolio_of_real_projects(nata_sim, nata_spec):
    a = fund.Project.from_simulation(nata_sim, nata_spec.fund, name="nata")
    b = fund.Project.from_simulation(nata_sim, nata_spec.fund, name="nata_again", start=3)
    pf = fund.portfolio([a, b], allocations={1: 1e6, 2: 1e6})
    s = decision.summarize_portfolio(pf)
    assert s.value("p_cannot_pay", "3") > 0  # 2 MSEK cannot pay 2 × 2.73 MSEK of draws
    last = str(int(pf["year"].max()))
    assert 0 <= s.value("p_capital_intact", last) <= 1
    assert s.value("balance", last, "lower") <= s.value("balance", last, "upper")
    money_in = pf["allocation"].sum("year") + pf["topup"].sum("year") + pf["gain"].isel(year=-1)
    held = (pf["balance"] + pf["outstanding"] + pf["written_off"]).isel(year=-1)
    np.testing.assert_allclose(money_in.to_numpy(), held.to_numpy(), atol=1e-3)


def test_repayment_year_distribution(summary, nata_sim):
    fund_ds = nata_sim["fund"].to_dataset()
    rows = summary.table.xs("p_repaid_by_year", level="metric")
    years = [int(y) for y in rows.index]
    assert years[0] == fund_ds.attrs["last_instalment_year"] - 1
    assert years[-1] == int(fund_ds["year"].max())
    assert (np.diff(rows["mean"].to_numpy()) >= 0).all()  # a distribution function
    assert rows["mean"].iloc[-1] == pytest.approx(summary.value("p_full_by_horizon", "fund"))


def test_sensitivity_on_a_real_simulation(nata_sim):
    inputs = decision.uncertain_inputs(nata_sim)
    npv = decision.npv(nata_sim["cashflows"]["present_value"]).sum("actor")
    s1 = decision.sobol_first(npv, inputs)
    # independent inputs: the first-order indices cannot explain more than all the variance
    assert float(s1.sum()) <= 1.02
    t = decision.tornado(npv, inputs)
    assert set(t["parameter"].values) == set(s1["parameter"].values)
    assert (np.diff(t["swing"].to_numpy()) <= 0).all()


def test_value_of_following_up_longer(nata_sim, summary):
    r = decision.followup_value(
        nata_sim, n=[0, 10, 100, 1000, 1e7], cost_fixed=1e4, cost_per_unit=100.0
    )
    ev = r["evsi"].to_numpy()
    assert ev[0] == 0
    assert (np.diff(ev) >= -1e-6 * ev.max()).all()
    # a study of the effect alone is worth at most EVPPI(effect), never more than EVPI
    assert ev[-1] == pytest.approx(summary.value("evppi", "effect"), rel=0.05)
    assert ev[-1] <= summary.value("evpi") * 1.01
    assert float(r["cost"].sel(n=100)) == 1e4 + 100 * 100
    assert 0 < r.attrs["sd_unit"] < 1


def test_median_year_counts_never_as_later_than_every_year():
    from simpact.decision.rows import year_row

    # paid back in years 2, 3, 4 in three draws of five, never in two: the median over all five
    # draws is year 4 (never sorts last), not year 3 (the median among those that pay back)
    years = xr.DataArray([2.0, 3.0, 4.0, np.nan, np.nan], dims="draw")
    row = year_row(years, "project year")
    assert row["median"] == 4.0
    assert row["mean"] == 3.0  # the mean and interval are among draws that pay back
    assert np.isnan(year_row(years[[0, 3, 4]], "project year")["median"])
