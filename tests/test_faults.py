"""Nothing wrong goes out quietly: each fault a new user met ends in exit 2 and one line naming
the file and field (exit 130 for Ctrl-C), before the long work where it can be known up front,
with nothing left in --out; what is legal but suspicious becomes a named warning in the report."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import simpact as sp
from simpact import cli, pipeline
from simpact.base import folders, storage
from simpact.base.provenance import Provenance
from simpact.decision import honesty


def call(capsys, *argv: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exc:
        cli.main(list(argv))
    captured = capsys.readouterr()
    return exc.value.code, captured.out, captured.err


def refused(code: int, err: str, *needles: str) -> bool:
    lines = [line for line in err.splitlines() if line.strip()]
    assert code == 2, err
    assert len(lines) == 1, err
    assert lines[0].startswith("simpact: error: ") and "Traceback" not in err
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])
    return True


def left_in(parent: Path) -> list[str]:
    """Everything in a folder, hidden staging folders and locks included."""
    return sorted(p.name for p in parent.iterdir()) if parent.exists() else []


@pytest.fixture
def no_fit(monkeypatch):
    """Fail loudly if a test's run reaches the effect fit (the check must come before it)."""

    def fit(*args, **kwargs):
        raise AssertionError("the long work started before the check")

    monkeypatch.setattr(pipeline, "fit_effects", fit)


@pytest.fixture(scope="module")
def nata_posterior_file(tmp_path_factory):
    out = tmp_path_factory.mktemp("fit") / "nata"
    with pytest.raises(SystemExit) as exc:
        cli.main(["fit", "nata", "--out", str(out), "--quiet"])
    assert exc.value.code == 0
    return out / "posterior.nc"


@pytest.fixture
def spec_file(tmp_path, nata_spec):
    def write(old: str = "", new: str = "", *, data: Path | None = None) -> Path:
        text = Path(nata_spec.source).read_text(encoding="utf-8")
        text = text.replace(
            'path = "data/nata_followup_synthetic.csv"', f'path = "{data or nata_spec.data_path}"'
        )
        assert old in text
        path = tmp_path / "model.toml"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        return path

    return write


# --- silent wrong answers ---------------------------------------------------------------------


def test_a_posterior_of_another_model_is_refused(capsys, tmp_path, nata_posterior_file):
    out = tmp_path / "out"
    code, _, err = call(
        capsys, "simulate", "fotosyntes", "--posterior", str(nata_posterior_file), "--out",
        str(out), "--quiet",
    )  # fmt: skip
    assert refused(code, err, str(nata_posterior_file), "effect.outcome", "--force")
    assert left_in(tmp_path) == []


def test_force_uses_it_and_the_report_says_so(capsys, tmp_path, nata_posterior_file):
    out = tmp_path / "out"
    code, _, err = call(
        capsys, "simulate", "fotosyntes", "--posterior", str(nata_posterior_file), "--out",
        str(out), "--quiet", "--force",
    )  # fmt: skip
    assert code == 0, err
    assert "forced: the effect posterior" in (out / "report.md").read_text(encoding="utf-8")


def test_a_posterior_of_other_data_is_refused(capsys, tmp_path, nata_posterior_file, nata_spec):
    table = pd.read_csv(nata_spec.data_path)
    table.loc[0, "problematic_absence"] = 1 - table.loc[0, "problematic_absence"]
    data = tmp_path / "other.csv"
    table.to_csv(data, index=False)
    code, _, err = call(
        capsys, "simulate", "nata", "--posterior", str(nata_posterior_file), "--data", str(data),
        "--out", str(tmp_path / "out"), "--quiet",
    )  # fmt: skip
    assert refused(code, err, "other data")
    assert not (tmp_path / "out").exists()


def test_the_own_posterior_is_accepted():
    spec = sp.load_model("nata")
    post = sp.testing.fake_fit(spec)
    assert pipeline.check_posterior(spec, post) is None
    changed = json.loads(spec.to_json())
    changed["effect"]["label"] = {"en": "absence", "sv": "frånvaro"}  # words only: same model
    assert pipeline.check_posterior(sp.load_model(changed), post) is None


def test_results_mixing_models_are_refused_by_report(capsys, tmp_path, nata_posterior_file):
    out = tmp_path / "mixed"
    call(capsys, "simulate", "nata", "--posterior", str(nata_posterior_file), "--out", str(out))
    results = storage.load(out / "results.nc")
    fit_prov = Provenance.read(results["fit"])
    other = sp.load_model("fotosyntes").to_json()
    fit_prov.with_(spec=other, effect_sha256="").write(results["fit"])
    storage.save(results, out / "results.nc")
    code, _, err = call(capsys, "report", str(out / "results.nc"), "--quiet")
    assert refused(code, err, "results.nc", "mix models", "--force")
    code, _, err = call(capsys, "report", str(out / "results.nc"), "--quiet", "--force")
    assert code == 0, err
    assert "forced: the effect fit" in (out / "report.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("draws", ["1", "10", str(honesty.MIN_DRAWS - 1)])
def test_too_few_draws_are_refused_before_the_fit(capsys, tmp_path, no_fit, draws):
    code, _, err = call(
        capsys, "run", "nata", "--draws", draws, "--out", str(tmp_path / "o"), "--quiet"
    )
    assert refused(code, err, "--draws", f"at least {honesty.MIN_DRAWS}")
    assert left_in(tmp_path) == []


def test_the_thresholds_follow_from_the_worst_case_mcse():
    assert honesty.worst_mcse(honesty.MIN_DRAWS) <= honesty.MCSE_REFUSE
    assert honesty.worst_mcse(honesty.MIN_DRAWS - 1) > honesty.MCSE_REFUSE
    assert honesty.worst_mcse(honesty.WARN_DRAWS) <= honesty.MCSE_WARN
    assert honesty.worst_mcse(honesty.WARN_DRAWS - 1) > honesty.MCSE_WARN
    assert "few-draws" in honesty.draws_warning(honesty.WARN_DRAWS - 1)
    assert honesty.draws_warning(honesty.WARN_DRAWS) is None


def test_few_draws_put_a_warning_at_the_head_of_the_report(capsys, tmp_path):
    out = tmp_path / "o"
    code, _, err = call(capsys, "run", "nata", "--draws", "200", "--out", str(out), "--quiet")
    assert code == 0, err
    head = (out / "report.md").read_text(encoding="utf-8").split("## ")[0]
    assert "few-draws: only 200 Monte Carlo iterations" in head
    assert "few-draws" in (out / "report.html").read_text(encoding="utf-8")


def test_draws_that_would_not_fit_in_memory_are_refused_up_front(capsys, tmp_path, no_fit):
    code, _, err = call(
        capsys, "run", "nata", "--draws", "1000000000", "--out", str(tmp_path / "o"), "--quiet"
    )
    assert refused(code, err, "--draws", "GB of memory", "use at most")
    assert left_in(tmp_path) == []


def test_the_memory_estimate_scales_with_the_draws():
    spec = sp.load_model("nata")
    from simpact.simulation import memory

    assert memory.estimate_bytes(spec, 2000) == 2 * memory.estimate_bytes(spec, 1000)
    memory.check_memory(spec, 1000, available=10**12)
    with pytest.raises(sp.SimpactError, match="use at most 5 "):
        memory.check_memory(spec, 10**6, available=int(5 * memory.bytes_per_draw(spec) / 0.8))


@pytest.mark.parametrize("rate", ["-0.5", "0.99", "3.5", "-0.06"])
def test_implausible_discount_rates_are_refused(capsys, tmp_path, spec_file, no_fit, rate):
    path = spec_file("discount_rate = 0.035", f"discount_rate = {rate}")
    code, _, err = call(capsys, "run", str(path), "--out", str(tmp_path / "o"), "--quiet")
    assert refused(code, err, str(path), "simulation.discount_rate")
    assert not (tmp_path / "o").exists()


def test_plausible_discount_rates_validate(spec_file):
    for rate in ("0", "-0.01", "0.1"):
        sp.load_model(spec_file("discount_rate = 0.035", f"discount_rate = {rate}"))


def bad_table(tmp_path, nata_spec, change, name="bad.csv") -> Path:
    table = pd.read_csv(nata_spec.data_path)
    table = change(table)
    path = tmp_path / name
    if path.suffix == ".parquet":
        table.to_parquet(path)
    else:
        table.to_csv(path, index=False)
    return path


def test_an_outcome_without_events_is_refused(capsys, tmp_path, nata_spec, no_fit):
    path = bad_table(tmp_path, nata_spec, lambda t: t.assign(problematic_absence=0))
    code, _, err = call(capsys, "run", "nata", "--data", str(path), "--out", str(tmp_path / "o"))
    assert refused(code, err, "bad.csv", "problematic_absence", "no events")
    assert left_in(tmp_path) == ["bad.csv"]


def test_a_pupil_twice_in_one_period_is_refused(capsys, tmp_path, nata_spec, no_fit):
    path = bad_table(tmp_path, nata_spec, lambda t: pd.concat([t, t.iloc[[3]]]))
    code, _, err = call(capsys, "run", "nata", "--data", str(path), "--out", str(tmp_path / "o"))
    assert refused(code, err, "bad.csv", "pupil_id", "P0004", "twice in one period")


def test_the_same_pupil_in_both_periods_is_fine(nata_spec):
    table = sp.load_followup(nata_spec)
    assert table.groupby("pupil_id")["period"].nunique().max() == 2


def test_an_outcome_stored_as_text_is_read_as_numbers(tmp_path, nata_spec):
    def as_text(t):
        return t.assign(problematic_absence=t["problematic_absence"].astype(str))

    path = bad_table(tmp_path, nata_spec, as_text, "text.parquet")
    assert not pd.api.types.is_numeric_dtype(pd.read_parquet(path)["problematic_absence"])
    table = sp.load_followup(path, spec=nata_spec)
    assert table["problematic_absence"].dtype == "int64"
    assert table.attrs["sha256"] == sp.load_followup(nata_spec).attrs["sha256"]


def test_a_boolean_group_is_read_as_0_1(tmp_path, nata_spec):
    path = bad_table(
        tmp_path, nata_spec, lambda t: t.assign(treated=t["treated"] == 1), "b.parquet"
    )
    table = sp.load_followup(path, spec=nata_spec)
    assert sorted(table["treated"].unique()) == [0, 1]


def test_a_string_coded_group_is_named_not_called_empty(capsys, tmp_path, nata_spec, no_fit):
    def coded(t):
        return t.assign(treated=t["treated"].map({1: "NÄTA", 0: "comparison"}))

    path = bad_table(tmp_path, nata_spec, coded)
    code, _, err = call(capsys, "run", "nata", "--data", str(path), "--out", str(tmp_path / "o"))
    assert refused(code, err, "bad.csv", "treated", "must be 0/1")
    assert "empty" not in err


def test_a_treated_group_without_variation_is_a_named_warning(nata_spec):
    table = pd.read_csv(nata_spec.data_path)
    table.loc[table["treated"] == 1, "problematic_absence"] = 0
    checked = sp.load_followup(table, spec=nata_spec)
    assert any(w.startswith("treated-no-variation") for w in checked.attrs["warnings"])
    with sp.testing.mock_sampler():
        post = sp.fit_effects(nata_spec, checked, random_seed=1)
        sim = sp.simulate(nata_spec, post, random_seed=2, draws=honesty.WARN_DRAWS)
    assert any(w.startswith("treated-no-variation") for w in sim.attrs["warnings"])
    assert sp.load_followup(nata_spec).attrs["warnings"] == []


def test_an_implausible_rate_is_a_named_warning(nata_spec):
    table = pd.read_csv(nata_spec.data_path)
    table["problematic_absence"] = 0
    table.loc[0, "problematic_absence"] = 1
    checked = sp.load_followup(table, spec=nata_spec)
    assert any(w.startswith("implausible-rate") for w in checked.attrs["warnings"])


# --- the output folder ------------------------------------------------------------------------


def test_an_out_that_is_a_file_is_refused_before_the_fit(capsys, tmp_path, no_fit):
    target = tmp_path / "report.html"
    target.write_text("mine")
    code, _, err = call(capsys, "run", "nata", "--out", str(target), "--quiet")
    assert refused(code, err, str(target), "is a file")
    assert target.read_text() == "mine" and left_in(tmp_path) == ["report.html"]


def test_an_out_under_a_file_is_refused_before_the_fit(capsys, tmp_path, no_fit):
    (tmp_path / "notes.txt").write_text("mine")
    target = tmp_path / "notes.txt" / "deeper" / "out"
    code, _, err = call(capsys, "run", "nata", "--out", str(target), "--quiet")
    assert refused(code, err, "lies under a file", "notes.txt")
    assert left_in(tmp_path) == ["notes.txt"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write into a read-only folder")
def test_a_read_only_out_is_refused_before_the_fit(capsys, tmp_path, no_fit):
    parent = tmp_path / "shared"
    parent.mkdir()
    parent.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        code, _, err = call(capsys, "run", "nata", "--out", str(parent / "o"), "--quiet")
    finally:
        parent.chmod(0o755)
    assert refused(code, err, "not writable")


def test_an_unwritable_out_is_refused_before_the_fit(capsys, tmp_path, no_fit, monkeypatch):
    monkeypatch.setattr(folders.os, "access", lambda path, mode: False)
    code, _, err = call(capsys, "fit", "nata", "--out", str(tmp_path / "a" / "o"), "--quiet")
    monkeypatch.undo()
    assert refused(code, err, "not writable")
    assert left_in(tmp_path) == []


def test_a_folder_of_other_files_is_not_replaced(capsys, tmp_path, no_fit):
    (tmp_path / "data.csv").write_text("pupil,absence\n")
    (tmp_path / "thesis.docx").write_text("mine")
    code, _, err = call(capsys, "run", "nata", "--out", str(tmp_path), "--quiet")
    assert refused(code, err, "did not write (data.csv)", "new or empty")
    assert left_in(tmp_path) == ["data.csv", "thesis.docx"]


def test_a_used_folder_ends_with_exactly_the_new_runs_files(capsys, tmp_path, mock_sampler):
    out = tmp_path / "o"
    assert call(capsys, "run", "fotosyntes", "--out", str(out), "--quiet")[0] == 0
    (out / "figures" / "from_an_earlier_version.png").write_bytes(b"PNG")
    code, stdout, _ = call(capsys, "run", "nata", "--out", str(out), "--quiet")
    assert code == 0
    written = {
        str(Path(line.strip()).relative_to(out)) for line in stdout.splitlines()
        if line.strip().startswith(str(out))
    }  # fmt: skip
    on_disk = {str(p.relative_to(out)) for p in out.rglob("*") if p.is_file()}
    assert on_disk == written
    assert "fotosyntes" not in (out / "report.md").read_text(encoding="utf-8").lower()
    assert left_in(tmp_path) == ["o"]


def test_a_second_writer_is_refused_with_one_line(capsys, tmp_path, no_fit):
    out = tmp_path / "o"
    lock = tmp_path / ".o.lock"
    lock.write_text(f"{os.getpid()}\n")  # a live run holds it
    code, _, err = call(capsys, "run", "nata", "--out", str(out), "--quiet")
    assert refused(code, err, "another simpact run", str(lock))
    assert left_in(tmp_path) == [".o.lock"]


def test_a_lock_left_by_a_killed_run_is_taken_over(tmp_path):
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    (tmp_path / ".o.lock").write_text(done.stdout)
    with folders.staged(tmp_path / "o") as tmp:
        (tmp / "x.txt").write_text("x")
    assert left_in(tmp_path) == ["o"]


def test_files_and_folders_get_the_umasks_permissions(capsys, tmp_path):
    old = os.umask(0o022)
    try:
        out = tmp_path / "o"
        assert call(capsys, "fit", "nata", "--out", str(out), "--quiet")[0] == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE(out.stat().st_mode) == 0o755
    for name in ("posterior.nc", "diagnostics.csv", "diagnostics.xlsx"):
        assert stat.S_IMODE((out / name).stat().st_mode) == 0o644, name


# --- interrupts -------------------------------------------------------------------------------


def interrupt(*args, **kwargs):
    raise KeyboardInterrupt


def test_ctrl_c_during_the_fit_leaves_nothing(capsys, tmp_path, monkeypatch):
    monkeypatch.setattr(pipeline, "fit_effects", interrupt)
    code, _, err = call(capsys, "run", "nata", "--out", str(tmp_path / "a" / "o"), "--quiet")
    assert code == 130 and err == "simpact: interrupted\n"
    assert left_in(tmp_path) == []


def test_ctrl_c_while_writing_leaves_nothing(capsys, tmp_path, monkeypatch, mock_sampler):
    from simpact.report import write

    monkeypatch.setattr(write, "write_tables", interrupt)  # figures/ is made by then
    code, _, err = call(capsys, "run", "nata", "--out", str(tmp_path / "o"), "--quiet")
    assert code == 130 and err.strip() == "simpact: interrupted"
    assert left_in(tmp_path) == []


def test_ctrl_c_while_rewriting_keeps_the_earlier_run(capsys, tmp_path, monkeypatch, mock_sampler):
    from simpact.report import write

    out = tmp_path / "o"
    assert call(capsys, "run", "nata", "--out", str(out), "--quiet")[0] == 0
    before = sorted(p.name for p in out.rglob("*"))
    monkeypatch.setattr(write, "write_tables", interrupt)
    assert call(capsys, "report", str(out / "results.nc"), "--quiet")[0] == 130
    assert sorted(p.name for p in out.rglob("*")) == before
    assert left_in(tmp_path) == ["o"]


# --- sizes, numbers and spec files ------------------------------------------------------------


def test_a_huge_seed_runs_and_is_named_in_the_report(capsys, tmp_path, mock_sampler):
    seed = str(10**40)
    out = tmp_path / "o"
    code, _, err = call(capsys, "run", "nata", "--seed", seed, "--out", str(out), "--quiet")
    assert code == 0, err
    assert Provenance.read(storage.load(out / "results.nc")).random_seed == 10**40
    assert seed in (out / "report.md").read_text(encoding="utf-8")


def test_a_spec_path_that_is_a_folder_is_refused(capsys, tmp_path):
    folder = tmp_path / "model.toml"
    folder.mkdir()
    code, _, err = call(capsys, "run", str(folder), "--out", str(tmp_path / "o"), "--quiet")
    assert refused(code, err, str(folder))
    assert left_in(tmp_path) == ["model.toml"]


def test_a_spec_saved_in_windows_1252_is_refused(capsys, tmp_path, nata_spec):
    path = tmp_path / "model.toml"
    text = Path(nata_spec.source).read_text(encoding="utf-8")
    path.write_bytes(text.encode("cp1252", errors="replace"))
    code, _, err = call(capsys, "run", str(path), "--out", str(tmp_path / "o"), "--quiet")
    assert refused(code, err, str(path))
    assert "UTF-8" in err
    assert left_in(tmp_path) == ["model.toml"]
