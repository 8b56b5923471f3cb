"""The dask run and the scenario sweep give the in-process numbers bit for bit at the same seed."""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr
from simulation_specs import base_spec

from simpact import scale
from simpact.config.loading import load_model
from simpact.simulation import BLOCK, simulate_summary

distributed = pytest.importorskip("dask.distributed")

pytestmark = pytest.mark.integration  # starts a dask LocalCluster


@pytest.fixture(scope="module")
def client():
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
    ) as cluster:
        with distributed.Client(cluster) as c:
            yield c


def _spec(**kw):
    return base_spec(
        effect={"dist": "normal", "mean": -0.1, "sd": 0.03},
        unit_cost={"dist": "lognormal", "mean": 1000, "sd": 300},
        retention={"dist": "beta", "mean": 0.8, "sd": 0.1},
        **kw,
    )


def _identical(a: xr.DataTree, b: xr.DataTree) -> None:
    assert set(a.children) == set(b.children)
    for group in a.children:
        xr.testing.assert_identical(a[group].to_dataset(), b[group].to_dataset())


def test_dask_run_equals_the_in_process_run(client):
    spec = load_model(_spec())
    draws = 2 * BLOCK + 123  # several blocks, the last one partial
    local = simulate_summary(spec, None, random_seed=9, draws=draws, fund=True)
    remote = scale.simulate_summary(
        spec, None, random_seed=9, draws=draws, fund=True, client=client
    )
    _identical(local, remote)
    assert remote.attrs["scheduler"] == "dask"


def test_results_do_not_depend_on_the_number_of_threads():
    spec = load_model(_spec())
    one = simulate_summary(spec, None, random_seed=4, draws=BLOCK + 10, threads=1)
    two = simulate_summary(spec, None, random_seed=4, draws=BLOCK + 10, threads=2)
    _identical(one, two)


def test_sweep_on_dask_equals_the_local_sweep(client):
    scenarios = {"ale": _spec(), "big_cohort": _spec(intake={1: 300})}
    local = scale.sweep(scenarios, None, random_seed=3, draws=5000, local=True)
    remote = scale.sweep(scenarios, None, random_seed=3, draws=5000, client=client)
    _identical(local, remote)
    npv = remote["npv"]["npv_total"]
    assert list(npv["scenario"].values) == ["ale", "big_cohort"]
    # common random numbers: tripling the cohort triples every draw's NPV (no costs)
    np.testing.assert_allclose(
        npv.sel(scenario="big_cohort"), 3 * npv.sel(scenario="ale"), rtol=1e-5
    )
