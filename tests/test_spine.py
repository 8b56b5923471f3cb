"""Each stage against closed forms and hand calculations, and bit-for-bit reproducibility.

Reference numbers come from the annuity formula, explicit loops written independently of the
vectorised code, and small ledgers worked out by hand.
"""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr

import simpact as sp
from simpact import fund
from simpact.decision import payback_year
from simpact.simulation import simulate_cashflows


def fake_posterior(risk_difference, risk_ratio=0.8, *, chains=2, draws=50) -> xr.DataTree:
    """A posterior tree with known effect draws (constant unless arrays are given)."""
    shape = (chains, draws)
    post = xr.Dataset(
        {
            "risk_difference": (("chain", "draw"), np.broadcast_to(risk_difference, shape).copy()),
            "risk_ratio": (("chain", "draw"), np.broadcast_to(risk_ratio, shape).copy()),
        },
        coords={"chain": np.arange(chains), "draw": np.arange(draws)},
    )
    tree = xr.DataTree.from_dict({"posterior": post})
    tree.attrs.update(better="lower", effect_var="risk_difference", outcome="event")
    return tree


def spec_dict(**over) -> dict:
    """A one-outcome spec: the fitted event itself is the costly event."""
    base = {
        "schema_version": 1,
        "intervention": {"id": "toy", "name": "Toy", "start_year": 2030, "price_year": 2023},
        "effect": {"design": "did", "outcome": "y", "group": "g", "period": "p"},
        "cohort": {"intake": {str(y): 100 for y in range(1, 11)}},
        "simulation": {"horizon": 10, "discount_rate": 0.035},
        "outcomes": [
            {
                "name": "event",
                "effect": "difference",
                "quantity": 1,
                "unit_cost": {"dist": "fixed", "value": 50_000},
                "timing": {"0": 1.0},
                "payers": {"social_services": 1.0},
            }
        ],
        "costs": {},
        "fund": {"fund_part": {"1": 1.0e6}, "repaying_actors": ["social_services"]},
    }
    for key, value in over.items():
        base[key] = value
    return base


def test_constant_effect_and_cost_give_the_annuity():
    spec = sp.load_model(spec_dict())
    sim = simulate_cashflows(spec, fake_posterior(-0.1), random_seed=1)
    npv = sim["cashflows"]["present_value"].sum("year").sel(actor="social_services")
    yearly = 100 * 0.1 * 50_000  # persons x avoided risk x unit cost
    r, n = 0.035, 10
    annuity = yearly * (1 - (1 + r) ** -n) / r
    np.testing.assert_allclose(npv, annuity, rtol=1e-12)


def test_costs_alone_discount_end_of_year():
    spec = sp.load_model(spec_dict(costs={"education": {"1": 1e6, "3": 2e6}}))
    sim = simulate_cashflows(spec, fake_posterior(0.0), random_seed=1)
    npv = sim["cashflows"]["present_value"].sum("year").sel(actor="education")
    np.testing.assert_allclose(npv, -(1e6 / 1.035 + 2e6 / 1.035**3), rtol=1e-12)


def test_zero_effect_saves_nothing():
    sim = simulate_cashflows(sp.load_model(spec_dict()), fake_posterior(0.0), random_seed=1)
    assert float(abs(sim["cashflows"]["savings"]).max()) == 0.0


def test_price_year_conversion_applies_scb_cpi():
    out = spec_dict()
    out["outcomes"][0].update(
        unit_cost={"dist": "fixed", "value": 50_000}, unit_cost_price_year=2020
    )
    sim = simulate_cashflows(sp.load_model(out), fake_posterior(-0.1), random_seed=1)
    year1 = float(sim["cashflows"]["savings"].sel(year=1, actor="social_services")[0, 0])
    assert year1 == pytest.approx(100 * 0.1 * 50_000 * 403.70 / 335.92, rel=1e-12)


def test_nata_savings_match_an_independent_loop(nata_spec, nata_sim):
    """Recompute one draw's social-services savings with plain loops over cohorts and lags."""
    chain, draw = 1, 17
    inputs = nata_sim["inputs"].to_dataset().isel(chain=chain, draw=draw)
    reduction = float(nata_sim["effects"]["reduction"].isel(chain=chain, draw=draw))
    haircut = 1.0
    for name in ("deadweight", "attribution", "displacement", "optimism_bias"):
        haircut *= 1 - float(inputs[f"haircut_{name}"])
    expected = np.zeros(nata_spec.simulation.horizon)
    for outcome in nata_spec.outcomes:
        share = outcome.payers.get("social_services", 0.0)
        x = inputs.sel(outcome=outcome.name)
        per_event = float(x["quantity"]) * float(x["unit_cost"])
        for intake_year, persons in nata_spec.cohort.intake.items():
            for lag, weight in outcome.timing.items():
                year = intake_year + lag
                avoided = persons * reduction * float(x["excess_risk"]) * weight
                avoided *= float(x["retention"]) ** lag
                expected[year - 1] += avoided * per_event * share * haircut
    got = nata_sim["cashflows"]["savings"].isel(chain=chain, draw=draw).sel(actor="social_services")
    np.testing.assert_allclose(got, expected, rtol=1e-10)


def test_repayment_from_known_savings_by_hand():
    years = np.arange(1, 9)
    savings = (
        xr.DataArray([0, 0, 0.4, 0.6, 0.5, 0.5, 1.0, 1.0], dims="year", coords={"year": years})
        * 1e6
    )
    due = {5: 1e6, 6: 1e6}
    r = fund.repay(savings, due=due, rule="from_savings", horizon=8)
    # pool by year 5 = 1.5 -> pays 1.0; year 6 pool 0.5 + 0.5 -> pays 1.0: on schedule
    np.testing.assert_allclose(r["repaid"], [0, 0, 0, 0, 1e6, 1e6, 0, 0])
    assert bool(r["full_on_schedule"]) and float(r["repayment_year"]) == 6

    late = fund.repay(savings * 0.6, due=due, rule="from_savings", horizon=8)
    # savings 0.24, 0.36, 0.3 by year 5: pays 0.9 of 1.0; year 6: 0.3 of 1.1 owed;
    # year 7: 0.6 of 0.8 owed; year 8: the last 0.2
    np.testing.assert_allclose(late["repaid"], [0, 0, 0, 0, 0.9e6, 0.3e6, 0.6e6, 0.2e6], atol=1e-6)
    assert not bool(late["full_on_schedule"]) and bool(late["full_by_horizon"])
    assert float(late["shortfall"]) == pytest.approx(0.8e6)
    assert float(late["repayment_year"]) == 8

    strict = fund.repay(savings * 0.6, due=due, rule="strict", horizon=8)
    np.testing.assert_allclose(strict["repaid"], [0, 0, 0, 0, 1e6, 1e6, 0, 0])
    # savings cover 0.9 of year 5 and 0.3 of year 6; the rest is cut from the budget
    np.testing.assert_allclose(strict["budget_cut"], [0, 0, 0, 0, 0.1e6, 0.7e6, 0, 0], atol=1e-6)


def test_repay_refuses_bad_input():
    s = xr.DataArray([1.0, 2.0], dims="year", coords={"year": [1, 2]})
    with pytest.raises(sp.SimpactError, match="outside years"):
        fund.repay(s, due={3: 1.0})
    with pytest.raises(sp.SimpactError, match="unknown repayment rule"):
        fund.repay(s, due={2: 1.0}, rule="never")
    with pytest.raises(sp.SimpactError, match="'year' dim"):
        fund.repay(s.rename(year="t"), due={2: 1.0})


def test_payback_year_by_hand():
    pv = xr.DataArray(
        [[-3.0, 1.0, 1.0, 2.0], [-3.0, 1.0, 1.0, 0.5], [-1.0, 2.0, -2.0, 2.0]],
        dims=("draw", "year"),
        coords={"year": [1, 2, 3, 4]},
    )
    # cumulative: [-3,-2,-1,1] -> 4; [-3,-2,-1,-0.5] -> never; [-1,1,-1,1] -> 4 (stays >= 0 from 4)
    np.testing.assert_array_equal(payback_year(pv), [4.0, np.nan, 4.0])


def test_summary_agrees_with_its_draws(nata_sim):
    s = sp.summarize(nata_sim)
    full = nata_sim["fund"]["full_on_schedule"]
    assert s.value("p_full_on_schedule", "fund") == pytest.approx(float(full.mean()))
    npv = nata_sim["cashflows"]["present_value"].sum("year")
    assert s.value("npv", "total") == pytest.approx(float(npv.sum("actor").mean()))
    assert s.value("p_npv_positive", "total") == pytest.approx(float((npv.sum("actor") > 0).mean()))
    lower, upper = np.quantile(npv.sum("actor"), [0.05, 0.95])
    assert s.value("npv", "total", "lower") == pytest.approx(lower)
    assert s.value("npv", "total", "upper") == pytest.approx(upper)
    total_by_actor = sum(s.value("npv", a) for a in npv["actor"].values)
    assert total_by_actor == pytest.approx(s.value("npv", "total"))


@pytest.mark.integration
def test_same_seed_same_numbers_bit_for_bit(
    nata_spec, nata_data, real_nata_posterior, real_nata_sim
):
    nata_posterior, nata_sim = real_nata_posterior, real_nata_sim
    again = sp.fit_effects(nata_spec, nata_data, random_seed=1, progress=False)
    # numbers and coords bit for bit (attrs hold a creation time stamp)
    xr.testing.assert_equal(again.posterior.to_dataset(), nata_posterior.posterior.to_dataset())
    sim = sp.simulate(nata_spec, nata_posterior, random_seed=2)
    for group in ("inputs", "cashflows", "fund"):
        xr.testing.assert_identical(sim[group].to_dataset(), nata_sim[group].to_dataset())
    other = sp.simulate(nata_spec, nata_posterior, random_seed=3)
    assert not other["cashflows"].to_dataset().equals(nata_sim["cashflows"].to_dataset())


def test_named_streams_do_not_shift_when_an_input_is_added(nata_spec, nata_posterior):
    raw = sp.load_model(nata_spec.source)._raw | {}
    base = sp.simulate(nata_spec, nata_posterior, random_seed=5)
    extra = dict(raw)
    extra["simulation"] = dict(raw["simulation"])
    extra["simulation"]["haircuts"] = dict(
        raw["simulation"]["haircuts"], deadweight={"dist": "uniform", "min": 0.0, "max": 0.1}
    )
    extra["data"] = dict(raw["data"], path=str(nata_spec.data_path))
    more = sp.simulate(sp.load_model(extra), nata_posterior, random_seed=5)
    for name in ("unit_cost", "excess_risk", "retention", "haircut_optimism_bias"):
        xr.testing.assert_identical(base["inputs"][name], more["inputs"][name])


@pytest.mark.integration
def test_draws_do_not_depend_on_which_data_compiled_the_model(nata_spec, nata_data):
    """A compiled model is shared by every fit of the same structure; its data-scaled prior
    numbers (which set the chains' starting points) must come from the data being fitted."""
    from simpact.effects import core

    other = nata_data.copy()
    other["problematic_absence"] = (other.index % 3 == 0).astype(int)  # another base rate
    saved = dict(core._COMPILED)
    try:
        core._COMPILED.clear()
        first = sp.fit_effects(nata_spec, nata_data, random_seed=7, progress=False)
        core._COMPILED.clear()
        sp.fit_effects(nata_spec, other, random_seed=7, progress=False, check=False)
        after_other = sp.fit_effects(nata_spec, nata_data, random_seed=7, progress=False)
    finally:
        core._COMPILED.clear()
        core._COMPILED.update(saved)
    assert (
        first.attrs["priors"]
        != sp.fit_effects(nata_spec, other, random_seed=7, progress=False, check=False).attrs[
            "priors"
        ]
    ), "the test needs data whose default priors differ"
    xr.testing.assert_equal(after_other.posterior.to_dataset(), first.posterior.to_dataset())
