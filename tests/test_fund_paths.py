"""One fund path: the full tree, the streamed summary and the dask run repay identically.

Every path builds its terms from ``spec.fund.terms`` (instalments, money drawn, rule, return
cap, horizon) and repays from the same float64 savings, so the fund's per-draw results agree
draw by draw under every rule.
"""

from __future__ import annotations

import numpy as np
import pytest
from simulation_specs import base_spec, with_changes

from simpact import pipeline, scale
from simpact.config.loading import load_model
from simpact.simulation import simulate_summary

FUND_VARS = ("full_on_schedule", "full_by_horizon", "shortfall", "repaid_share", "repayment_year")
RULES = ("from_savings", "strict", "frame_cut", "capped_return")
DRAWS = 3000


@pytest.fixture(scope="module")
def client():
    distributed = pytest.importorskip("dask.distributed")
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
    ) as cluster:
        with distributed.Client(cluster) as c:
            yield c


def _spec(rule: str):
    """4 MSEK lent 1 MSEK a year, half due in year 5 and half in 6; savings of a few MSEK."""
    raw = base_spec(
        effect={"dist": "normal", "mean": -0.1, "sd": 0.04},
        intake={1: 40, 2: 40},
        unit_cost={"dist": "lognormal", "mean": 1e6, "sd": 3e5},
        retention={"dist": "beta", "mean": 0.8, "sd": 0.1},
        payers={"social_services": 0.7, "education": 0.3},
    )
    raw = with_changes(raw, "simulation.draws", DRAWS)
    raw = with_changes(
        raw, "simulation.cashable", {"education": {"dist": "uniform", "min": 0.4, "max": 0.9}}
    )
    fund = {
        "fund_part": {1: 1e6, 2: 1e6, 3: 1e6, 4: 1e6},
        "repayment": {5: 0.5, 6: 0.5},
        "repaying_actors": ["social_services", "education"],
        "rule": rule,
        "return_cap": 0.3,
    }
    return load_model(with_changes(raw, "fund", fund))


def _by_draw(ledger) -> dict[str, np.ndarray]:
    return {k: ledger[k].transpose("chain", "draw").to_numpy().ravel() for k in FUND_VARS}


def _seed_of(tree) -> np.random.SeedSequence:
    """The seed sequence a simulation drew from, from its attrs (entropy and spawn key)."""
    key = tree.attrs.get("random_seed_spawn_key", "")
    key = key.split() if isinstance(key, str) else key
    return np.random.SeedSequence(
        int(tree.attrs["random_seed_entropy"]), spawn_key=tuple(int(k) for k in key)
    )


@pytest.fixture(scope="module", params=RULES)
def paths(request):
    spec = _spec(request.param)
    full = pipeline.simulate(spec, None, random_seed=3)
    seed = _seed_of(full)
    return {
        "rule": request.param,
        "spec": spec,
        "seed": seed,
        "full": _by_draw(full["fund"]),
        "summary": simulate_summary(spec, None, random_seed=seed, fund=True, threads=2),
    }


def _assert_identical(paths, tree) -> None:
    got = _by_draw(tree["fund"])
    for name, want in paths["full"].items():
        np.testing.assert_array_equal(got[name], want, err_msg=f"{paths['rule']}: {name}")


def test_the_summary_repays_as_the_full_tree(paths):
    _assert_identical(paths, paths["summary"])


@pytest.mark.integration  # starts a dask LocalCluster
def test_the_dask_run_repays_as_the_full_tree(paths, client):
    out = scale.simulate_summary(
        paths["spec"], None, random_seed=paths["seed"], fund=True, client=client
    )
    _assert_identical(paths, out)


def test_the_draws_cover_both_outcomes(paths):
    """Some draws repay on schedule and some do not, so the comparison has teeth."""
    if paths["rule"] == "strict":
        return  # strict pays on schedule by construction
    on_time = paths["full"]["full_on_schedule"]
    assert 0.05 < on_time.mean() < 0.95
    if paths["rule"] == "capped_return":  # instalments of 2.6 MSEK: some draws pay them all
        assert (paths["full"]["repaid_share"] == 1).mean() > 0.05


def test_the_summary_names_the_spec_terms(paths):
    ledger = paths["summary"]["fund"]
    assert ledger.attrs["rule"] == paths["rule"]
    assert float(ledger["principal"]) == 4e6
    if paths["rule"] == "capped_return":
        assert ledger.attrs["cap"] == 0.3


def test_frame_cut_repays_nothing_before_it_is_lent(paths):
    """1 MSEK is lent a year for 4 years: the principal cannot be back before year 4."""
    if paths["rule"] != "frame_cut":
        return
    year = paths["full"]["repayment_year"]
    assert np.nanmin(year) >= 4
    np.testing.assert_array_equal(_by_draw(paths["summary"]["fund"])["repayment_year"], year)


def test_the_terms_are_built_from_the_spec():
    spec = _spec("capped_return")
    terms = spec.fund.terms(spec.simulation.horizon)
    assert (terms.cap, terms.principal, terms.horizon) == (0.3, 4e6, 10)
    assert terms.due == {5: 2e6, 6: 2e6}
    assert terms.drawn == {1: 1e6, 2: 1e6, 3: 1e6, 4: 1e6}


def test_outputs_name_their_random_stream():
    spec = _spec("from_savings")
    seed = np.random.SeedSequence(5, spawn_key=(7, 11))
    out = simulate_summary(spec, None, random_seed=seed, draws=100)
    assert _seed_of(out).spawn_key == (7, 11)
    again = simulate_summary(spec, None, random_seed=_seed_of(out), draws=100)
    np.testing.assert_array_equal(again["npv"]["npv"], out["npv"]["npv"])
