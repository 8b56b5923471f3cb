"""The command line: every command on good input (exit 0) and bad input (exit 2, one line)."""

from __future__ import annotations

import json
import shutil

import pandas as pd
import pytest

import simpact as sp
from simpact import cli, config


def call(capsys, *argv: str) -> tuple[int, str, str]:
    """Run ``simpact argv...`` in this process; return (exit status, stdout, stderr)."""
    with pytest.raises(SystemExit) as exc:
        cli.main(list(argv))
    captured = capsys.readouterr()
    return exc.value.code, captured.out, captured.err


def one_line_error(code: int, err: str) -> bool:
    return code == 2 and err.startswith("simpact: error: ") and err.strip().count("\n") == 0


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory):  # the default tier fits with the mock sampler (conftest.py)
    out = tmp_path_factory.mktemp("run")
    with pytest.raises(SystemExit) as exc:
        cli.main(["run", "nata", "--out", str(out), "--seed", "11", "--quiet"])
    assert exc.value.code == 0
    return out


def test_help_names_every_command(capsys):
    code, out, _ = call(capsys, "--help")
    assert code == 0
    for command in ("run", "fit", "simulate", "report", "validate", "demo", "new"):
        assert f" {command} " in out


def test_run_writes_results_tables_figures_and_report(run_dir):
    for name in (
        "results.nc",
        "summary.csv",
        "summary.xlsx",
        "savings.csv",
        "effect.csv",
        "report.md",
        "report.html",
        "figures/fan_chart.png",
        "figures/repayment.png",
    ):
        assert (run_dir / name).is_file(), name
    sheets = pd.read_excel(run_dir / "summary.xlsx", sheet_name=None)
    assert {"summary", "savings", "effect", "diagnostics"} <= set(sheets)
    csv = pd.read_csv(run_dir / "summary.csv")
    assert sheets["summary"]["Estimate"].to_numpy() == pytest.approx(
        csv["Estimate"].to_numpy(), nan_ok=True
    )


def test_quiet_run_prints_results_but_no_progress(capsys, run_dir):
    code, out, err = call(
        capsys, "run", "nata", "--out", str(run_dir.parent / "q"), "--seed", "11", "--quiet"
    )
    assert code == 0 and err == ""
    assert "P(NPV > 0)" in out


def test_fit_then_simulate_equals_run(capsys, tmp_path, run_dir):
    code, _out, _ = call(
        capsys, "fit", "nata", "--out", str(tmp_path / "fit"), "--seed", "11", "-q"
    )
    assert code == 0 and (tmp_path / "fit" / "posterior.nc").is_file()
    assert "r_hat" in pd.read_csv(tmp_path / "fit" / "diagnostics.csv").columns
    code, _, _ = call(
        capsys,
        "simulate",
        "nata",
        "--posterior",
        str(tmp_path / "fit" / "posterior.nc"),
        "--out",
        str(tmp_path / "sim"),
        "--seed",
        "11",
        "-q",
    )
    assert code == 0
    # same seed, split into the same named streams: the same numbers bit for bit
    assert (tmp_path / "sim" / "summary.csv").read_text() == (run_dir / "summary.csv").read_text()


def test_report_regenerates_the_same_report_from_saved_results(capsys, tmp_path, run_dir):
    code, _, _ = call(capsys, "report", str(run_dir / "results.nc"), "--out", str(tmp_path), "-q")
    assert code == 0
    assert (tmp_path / "report.md").read_text() == (run_dir / "report.md").read_text()
    code, _, _ = call(
        capsys,
        "report",
        str(run_dir / "results.nc"),
        "--out",
        str(tmp_path / "sv"),
        "--lang",
        "sv",
        "-q",
    )
    assert code == 0
    assert "## 1. Sammanfattning" in (tmp_path / "sv" / "report.md").read_text()


@pytest.mark.parametrize("suffix", [".xlsx", ".parquet"])
def test_run_reads_excel_and_parquet(capsys, tmp_path, run_dir, nata_spec, suffix):
    table = pd.read_csv(nata_spec.data_path)
    path = tmp_path / f"followup{suffix}"
    (table.to_excel(path, index=False) if suffix == ".xlsx" else table.to_parquet(path))
    code, _, _ = call(
        capsys,
        "run",
        "nata",
        "--data",
        str(path),
        "--out",
        str(tmp_path / "o"),
        "--seed",
        "11",
        "-q",
    )
    assert code == 0
    # the same table in another format gives the same numbers
    ours = pd.DataFrame(json.loads((tmp_path / "o" / "summary.json").read_text())["rows"])
    theirs = pd.DataFrame(json.loads((run_dir / "summary.json").read_text())["rows"])
    assert ours["mean"].to_numpy(dtype=float) == pytest.approx(
        theirs["mean"].to_numpy(dtype=float), rel=1e-12, nan_ok=True
    )


def test_validate_ok_and_bad(capsys, tmp_path):
    code, out, _ = call(capsys, "validate", str(config.library_dir("models") / "nata.toml"))
    assert code == 0 and out.startswith("ok")
    bad = tmp_path / "bad.toml"
    bad.write_text("schema_version = 1\n[intervention\n")
    code, out, err = call(capsys, "validate", str(bad))
    assert one_line_error(code, err) and "1 of 1 files failed" in err
    assert out.startswith("error") and "bad.toml" in out and "malformed TOML" in out


def test_new_writes_a_valid_spec_and_refuses_to_overwrite(capsys, tmp_path):
    code, _, _ = call(capsys, "new", "Family support", "--dir", str(tmp_path))
    assert code == 0
    path = tmp_path / "family_support.toml"
    spec = sp.load_model(path)
    assert spec.intervention.id == "family_support"
    assert spec.intervention.name == "Family support"
    assert spec.data.path is None and not spec.data.synthetic
    code, _, err = call(capsys, "new", "Family support", "--dir", str(tmp_path))
    assert one_line_error(code, err) and "already exists" in err
    code, _, err = call(capsys, "new", "123", "--dir", str(tmp_path))
    assert one_line_error(code, err)


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["run", "no_such_model.toml"], "no_such_model.toml: file not found"),
        (["run", "nata", "--data", "missing.csv"], "missing.csv: file not found"),
        (["run", "nata", "--data", "data.txt"], "unsupported file type"),
        (["run", "nata", "--lang", "de"], "--lang"),
        (["run", "nata", "--draws", "0"], "--draws"),
        (["run"], "Missing argument"),
        (["report", "missing.nc"], "missing.nc: file not found"),
        (["simulate", "nata", "--posterior", "missing.nc"], "missing.nc: file not found"),
        (["fit", "nata", "--bogus"], "--bogus"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(capsys, tmp_path, monkeypatch, argv, needle):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "data.txt").write_text("x")
    code, _, err = call(capsys, *argv)
    assert one_line_error(code, err), err
    assert needle in err


def test_bad_data_column_names_file_and_column(capsys, tmp_path, nata_spec):
    table = pd.read_csv(nata_spec.data_path).rename(columns={"treated": "Treated "})
    path = tmp_path / "renamed.csv"
    table.to_csv(path, index=False)
    code, _, err = call(capsys, "run", "nata", "--data", str(path))
    assert one_line_error(code, err)
    assert "renamed.csv" in err and "treated" in err


def test_not_a_results_file(capsys, tmp_path, run_dir):
    shutil.copy(run_dir / "summary.csv", tmp_path / "results.nc")
    code, _, err = call(capsys, "report", str(tmp_path / "results.nc"))
    assert one_line_error(code, err) and "not a simpact results file" in err


def test_a_genuine_bug_keeps_its_traceback(monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug, not bad input")

    monkeypatch.setattr("simpact.pipeline.load_followup", broken)
    with pytest.raises(RuntimeError, match="a bug"):
        cli.main(["run", "nata", "-q"])
