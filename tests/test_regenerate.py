"""Same seed, same numbers through the API and the command line, and every saved result
regenerates exactly from the command its report prints.

The fits go through the mock sampler (``simpact.testing``): its draws depend on the seed the
fit stage hands it exactly as NUTS's would, so the seed plumbing is what is tested here.
"""

from __future__ import annotations

import os
import shlex

import numpy as np
import pytest
from simulation_specs import base_spec

import simpact as sp
from simpact import cli, testing
from simpact.base import storage
from simpact.base.provenance import Provenance
from simpact.report import command

VARS = (("cashflows", "present_value"), ("fund", "repaid"), ("effects", "risk_difference"))


def _same(a, b) -> None:
    for group, var in VARS:
        np.testing.assert_array_equal(a[group][var].to_numpy(), b[group][var].to_numpy())


def _cli(args, capsys) -> None:
    with pytest.raises(SystemExit) as done:
        cli.main(args)
    assert done.value.code == 0, capsys.readouterr().err


def test_run_api_equals_run_cli(tmp_path, capsys):
    with testing.mock_sampler(draws=250):
        api = sp.run("nata", random_seed=123, progress=False)
        _cli(["run", "nata", "--seed", "123", "--quiet", "--out", str(tmp_path)], capsys)
    _same(api.sim, storage.load(tmp_path / "results.nc"))


def test_fit_and_simulate_with_one_seed_equal_run(nata_spec, nata_data):
    with testing.mock_sampler(draws=250):
        post = sp.fit_effects(nata_spec, nata_data, random_seed=7)
        sim = sp.simulate(nata_spec, post, random_seed=7)
        whole = sp.run(nata_spec, random_seed=7, progress=False)
    _same(sim, whole.sim)
    assert Provenance.read(sim).random_seed == 7 and Provenance.read(post).stream == ("fit",)


@pytest.mark.parametrize("fit_seed, sim_seed", [(5, 5), (3, 9)])
def test_a_saved_result_regenerates_from_the_command_its_report_prints(
    nata_spec, nata_data, tmp_path, capsys, fit_seed, sim_seed
):
    """``simpact run`` when one seed made both, ``simpact simulate --posterior`` otherwise."""
    with testing.mock_sampler(draws=250):
        post = sp.fit_effects(nata_spec, nata_data, random_seed=fit_seed)
        sim = sp.simulate(nata_spec, post, random_seed=sim_seed)
        folder = tmp_path / "first"
        sp.write_report(sim, sp.summarize(sim), folder)
        line = command(storage.load(folder / "results.nc"), "en")
        argv = shlex.split(line)
        assert argv[:2] == ["simpact", "run" if fit_seed == sim_seed else "simulate"]
        assert argv[argv.index("--seed") + 1] == str(sim_seed)
        again = tmp_path / "again"
        here = os.getcwd()
        os.chdir(folder)  # the command names results.nc beside the report
        try:
            _cli([*argv[1:], "--quiet", "--out", str(again)], capsys)
        finally:
            os.chdir(here)
    _same(sim, storage.load(again / "results.nc"))


def test_a_seed_beyond_64_bits_is_kept_and_gives_the_same_numbers(tmp_path):
    spec = sp.load_model(base_spec())  # every outcome takes its effect from a prior: no fit
    seed = 10**40
    sim = sp.simulate(spec, None, random_seed=seed, draws=500)
    saved = storage.load(storage.save(sim, tmp_path / "results.nc"))
    made = Provenance.read(saved)
    assert made.random_seed == seed
    again = sp.simulate(spec, None, random_seed=made.random_seed, draws=500)
    np.testing.assert_array_equal(
        again["cashflows"]["present_value"].to_numpy(), sim["cashflows"]["present_value"].to_numpy()
    )
