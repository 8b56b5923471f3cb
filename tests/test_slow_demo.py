"""Slow tier: the demo from a cold start (empty compile caches) in a fresh process."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

import simpact as sp
from simpact.base import storage
from simpact.base.provenance import Provenance


@pytest.mark.slow
def test_cold_demo_in_a_fresh_process(tmp_path):
    env = dict(os.environ)
    env["PYTENSOR_FLAGS"] = f"base_compiledir={tmp_path / 'pytensor'}"
    env["NUMBA_CACHE_DIR"] = str(tmp_path / "numba")
    out = tmp_path / "demo"
    done = subprocess.run(
        [sys.executable, "-m", "simpact", "demo", "--quiet", "--out", str(out), "--seed", "4"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    saved = storage.load(out / "results.nc")
    assert Provenance.read(saved).random_seed == 4
    # the fresh process gives the same numbers as this one at the same seed
    here = sp.run("nata", random_seed=4, progress=False)
    assert float(saved["fund"]["full_on_schedule"].mean()) == pytest.approx(
        here.summary.value("p_full_on_schedule", "fund"), abs=0
    )
