"""The fused summary kernel and the selection quantiles: the NumPy path's numbers, exactly."""

from __future__ import annotations

import numpy as np
import pytest
from simulation_specs import base_spec

from simpact.config.loading import load_model
from simpact.simulation import kernel, simulate_cashflows, simulate_summary
from simpact.simulation.select import exact_quantiles


def _spec():
    raw = base_spec(
        unit_cost={"dist": "lognormal", "mean": 1000, "sd": 300},
        retention={"dist": "beta", "mean": 0.8, "sd": 0.1},
        discount_rate={"dist": "uniform", "min": 0.02, "max": 0.05},
        costs={"social_services": {1: 5000.0, 2: 3000.0}},
    )
    return load_model(raw)


def test_the_kernel_repays_from_the_full_trees_savings_bit_for_bit():
    spec = _spec()
    tree = simulate_cashflows(spec, None, random_seed=7, draws=700)
    summary = simulate_summary(spec, None, random_seed=7, draws=700, threads=2)
    horizon = summary["repayment"].sizes["year"]
    cashable = tree["cashflows"]["cashable_savings"].sel(actor=list(spec.fund.repaying_actors))
    want = cashable.sum("actor").isel(year=slice(0, horizon)).to_numpy()
    got = summary["repayment"]["repaying_cashable_savings"].to_numpy()
    np.testing.assert_array_equal(got, want)
    full_npv = tree["cashflows"]["present_value"].sum("year").to_numpy()
    np.testing.assert_allclose(summary["npv"]["npv"].to_numpy(), full_npv, rtol=1e-12)


def test_the_kernel_and_the_numpy_path_agree(monkeypatch):
    spec = _spec()
    fused = simulate_summary(spec, None, random_seed=3, draws=900)
    monkeypatch.setattr(kernel, "kernel_inputs", lambda *args: None)
    numpy = simulate_summary(spec, None, random_seed=3, draws=900)
    np.testing.assert_array_equal(
        fused["repayment"]["repaying_cashable_savings"],
        numpy["repayment"]["repaying_cashable_savings"],
    )
    for group, name in [("npv", "npv"), ("savings", "cumulative_savings_quantiles")]:
        # the NumPy path sums in float32
        np.testing.assert_allclose(fused[group][name], numpy[group][name], rtol=1e-5, atol=1e-2)


@pytest.mark.parametrize("n", [1, 2, 5, 999, 40_001])
@pytest.mark.parametrize("kind", ["normal", "ties", "constant", "sorted"])
def test_selection_gives_the_quantiles_of_a_full_sort(n, kind):
    g = np.random.default_rng(n)
    x = {
        "normal": g.normal(size=n),
        "ties": np.round(g.normal(size=n)),
        "constant": np.zeros(n),
        "sorted": np.sort(g.lognormal(size=n)),
    }[kind].astype(np.float32)
    q = (0.05, 0.25, 0.5, 0.75, 0.95)
    np.testing.assert_allclose(exact_quantiles(x, q), np.quantile(x.astype(float), q), rtol=1e-12)
