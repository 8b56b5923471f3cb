"""The wheel ships models/ and priors/ as package data, and an installed simpact finds them."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration  # builds the wheel with pip

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(out), str(ROOT)],
        check=True,
    )
    (path,) = out.glob("simpact-*.whl")
    return path


def test_wheel_contains_the_library(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for data in sorted((ROOT / "models").rglob("*")) + sorted((ROOT / "priors").rglob("*")):
        if data.is_file() and "__pycache__" not in data.parts:
            assert f"simpact/_library/{data.relative_to(ROOT).as_posix()}" in names
    assert "simpact/report/templates/report.md.j2" in names


def test_installed_wheel_finds_its_library_without_the_repo(wheel, tmp_path):
    zipfile.ZipFile(wheel).extractall(tmp_path / "site")
    code = (
        "import simpact.config as L; "
        "print(L.library_dir('models')); print(L.load_model('nata').data_path)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": str(tmp_path / "site"), "PATH": "/usr/bin:/bin"},
    )
    models, data = done.stdout.split()
    assert models == str(tmp_path / "site" / "simpact" / "_library" / "models")
    assert Path(data).is_file() and str(tmp_path / "site") in data
