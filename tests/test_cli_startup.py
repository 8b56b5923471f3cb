"""Start-up: ``--help``, ``--version`` and ``validate`` never load the modelling stack."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

MODELS = Path(__file__).resolve().parents[1] / "models"

HEAVY = ("pymc", "arviz", "scipy", "pytensor", "nutpie", "numba", "matplotlib", "dask")
"""Packages only fitting, simulating, scale-out or drawing figures may import."""

PROBE = """
import json, sys
from simpact.cli import main
for argv in {argvs!r}:
    try:
        main(argv)
    except SystemExit as exc:
        assert exc.code in (0, None), (argv, exc.code)
print(json.dumps(sorted({{m.split(".")[0] for m in sys.modules}})))
"""


def _loaded(*argvs: list[str]) -> set[str]:
    """Top-level packages in ``sys.modules`` after running ``argvs`` in a fresh interpreter."""
    code = PROBE.format(argvs=list(argvs))
    run = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True, cwd=MODELS.parent
    )
    return set(json.loads(run.stdout.strip().splitlines()[-1]))


@pytest.mark.parametrize(
    "argv",
    [["--help"], ["--version"], ["validate", str(MODELS)]],
    ids=["help", "version", "validate"],
)
def test_the_modelling_stack_is_not_imported(argv):
    loaded = _loaded(argv)
    assert "simpact" in loaded
    assert not loaded & set(HEAVY), sorted(loaded & set(HEAVY))
