"""The command line: the demo runs; bad input gives one line, exit status 2 and no files."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pandas as pd
import pytest

from simpact import cli


def invoke(monkeypatch, capsys, *args: str) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "argv", ["simpact", *args])
    with pytest.raises(SystemExit) as info:
        cli.main()
    captured = capsys.readouterr()
    return info.value.code, captured.out, captured.err


@pytest.fixture
def spec_text(nata_spec) -> str:
    text = Path(nata_spec.source).read_text(encoding="utf-8")
    return text.replace(
        'path = "data/nata_followup_synthetic.csv"', f'path = "{nata_spec.data_path}"'
    )


def write(tmp_path: Path, text: str, name: str = "model.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_demo_writes_report_and_prints_summary(monkeypatch, capsys, tmp_path, mock_sampler):
    out = tmp_path / "demo"
    code, stdout, _ = invoke(monkeypatch, capsys, "demo", "--out", str(out), "--quiet")
    assert code == 0
    assert "P(full repayment on" in stdout
    assert "SYNTHETIC DATA" in stdout
    assert str(out / "report.html") in stdout.replace("\n", "")
    assert (out / "report.html").is_file() and (out / "results.nc").is_file()


def test_help_lists_the_commands(monkeypatch, capsys):
    code, stdout, _ = invoke(monkeypatch, capsys, "--help")
    assert code == 0
    for command in ("demo", "run", "validate"):
        assert command in stdout


def assert_bad_input(monkeypatch, capsys, tmp_path, args, *needles):
    out = tmp_path / "out"
    code, stdout, stderr = invoke(monkeypatch, capsys, *args, "--out", str(out), "--quiet")
    assert code == 2
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    assert lines[0].startswith("simpact: error: ")
    assert "Traceback" not in stderr + stdout
    for needle in needles:
        assert needle in lines[0]
    assert not out.exists(), "a failed run must not write anything"


def test_malformed_toml(monkeypatch, capsys, tmp_path, spec_text):
    path = write(tmp_path, spec_text.replace("[simulation]", "[simulation"))
    assert_bad_input(monkeypatch, capsys, tmp_path, ["run", str(path)], str(path), "malformed TOML")


def test_unknown_key(monkeypatch, capsys, tmp_path, spec_text):
    path = write(tmp_path, spec_text.replace("horizon = 20", "horizon = 20\nhorizn = 20"))
    assert_bad_input(
        monkeypatch,
        capsys,
        tmp_path,
        ["run", str(path)],
        str(path),
        "simulation.horizn",
        "unknown key",
    )


def test_missing_data_column(monkeypatch, capsys, tmp_path, spec_text, nata_data):
    data = tmp_path / "followup.csv"
    pd.DataFrame(nata_data).drop(columns="treated").to_csv(data, index=False)
    path = write(tmp_path, spec_text)
    assert_bad_input(
        monkeypatch,
        capsys,
        tmp_path,
        ["run", str(path), "--data", str(data)],
        str(data),
        "treated",
        "missing column",
    )


def test_nan_in_outcome(monkeypatch, capsys, tmp_path, spec_text, nata_data):
    data = tmp_path / "followup.csv"
    df = pd.DataFrame(nata_data)
    df.loc[4, "problematic_absence"] = None
    df.to_csv(data, index=False)
    path = write(tmp_path, spec_text)
    assert_bad_input(
        monkeypatch,
        capsys,
        tmp_path,
        ["run", str(path), "--data", str(data)],
        str(data),
        "problematic_absence",
        "missing value",
        "row 5",
    )


def test_negative_count(monkeypatch, capsys, tmp_path, spec_text):
    text = spec_text.replace('family = "bernoulli"', 'family = "binomial"\ntrials = "n"')
    text = text.replace('outcome = "problematic_absence"', 'outcome = "k"')
    path = write(tmp_path, text)
    data = tmp_path / "cells.csv"
    pd.DataFrame(
        {
            "k": [30, 28, -2, 20],
            "n": [60, 60, 60, 60],
            "treated": [0, 1, 0, 1],
            "period": ["pre", "pre", "post", "post"],
            "pupil_id": range(4),
        }
    ).to_csv(data, index=False)
    assert_bad_input(
        monkeypatch,
        capsys,
        tmp_path,
        ["run", str(path), "--data", str(data)],
        str(data),
        "k",
        "non-negative whole count",
        "row 3",
    )


def test_unknown_bundled_model(monkeypatch, capsys, tmp_path):
    assert_bad_input(
        monkeypatch,
        capsys,
        tmp_path,
        ["run", "no_such_model"],
        "no_such_model",
        "no bundled model",
        "nata",
    )


def test_validate(monkeypatch, capsys, tmp_path, spec_text):
    good = write(tmp_path, spec_text, "good.toml")
    code, stdout, _ = invoke(monkeypatch, capsys, "validate", str(good))
    assert code == 0 and re.search(rf"^ok +model +{re.escape(str(good))}", stdout, re.M)
    bad = write(
        tmp_path,
        spec_text.replace("social_services = 1.0 }", "social_services = 0.9 }", 1),
        "bad.toml",
    )
    code, stdout, stderr = invoke(monkeypatch, capsys, "validate", str(good), str(bad))
    assert code == 2 and "1 of 2 files failed" in stderr
    assert re.search(r"^ok .*good\.toml", stdout, re.M)  # every file is checked and reported
    assert re.search(r"^error .*bad\.toml: outcomes\.0 \(\w+\)\.payers: .*sum to 1", stdout, re.M)


def test_validate_priors_folder(monkeypatch, capsys, tmp_path):
    from simpact.config.toml import library_dir

    code, stdout, _ = invoke(monkeypatch, capsys, "validate", str(library_dir("priors")))
    assert (
        code == 0
        and re.search(r"^ok +unit_costs ", stdout, re.M)
        and re.search(r"^ok +cpi ", stdout, re.M)
    )
    bad = tmp_path / "costs.toml"
    bad.write_text(
        'schema_version = 1\n[unit_costs.x]\nlabel = { en = "x", sv = "x" }\nunit = "SEK"\n'
        "price_year = 2020\ncost = 5\n"
    )
    code, stdout, stderr = invoke(monkeypatch, capsys, "validate", str(bad))
    assert code == 2 and "1 of 1 files failed" in stderr
    assert str(bad) in stdout and "source" in stdout
