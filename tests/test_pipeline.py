"""The whole appraisal end to end: files, provenance, and recovery of a known truth."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

import simpact as sp
from simpact.base import storage
from simpact.base.provenance import Provenance
from simpact.data import fingerprint


@pytest.fixture(scope="module")
def appraisal(tmp_path_factory):
    out = tmp_path_factory.mktemp("nata")
    return sp.run("nata", out=out, random_seed=11, progress=False), out


def test_run_writes_every_file(appraisal):
    result, out = appraisal
    names = {p.relative_to(out).as_posix() for p in result.files.values()}
    required = {
        "results.nc",
        "summary.csv",
        "summary.xlsx",
        "report.md",
        "report.html",
        "figures/fan_chart.png",
        "figures/repayment.png",
    }
    assert required <= names
    assert names == {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    for path in result.files.values():
        assert path.stat().st_size > 0
    assert not [p for p in out.rglob(".*") if p.is_file()], "temporary files left behind"


def test_results_carry_provenance(appraisal, nata_spec):
    result, out = appraisal
    saved = storage.load(out / "results.nc")
    attrs = saved.attrs
    made = Provenance.read(saved)
    assert made.random_seed == 11 and made.stream == ("simulate",)
    assert Provenance.read(saved["fit"]).random_seed == 11
    assert attrs["simpact_version"] == sp.__version__
    assert attrs["data_sha256"] == fingerprint(pd.read_csv(nata_spec.data_path))
    assert len(attrs["priors_sha256"]) == 64
    assert sp.load_model(json.loads(attrs["spec"])).model_dump() == nata_spec.model_dump()
    for group in ("effects", "inputs", "avoided", "cashflows", "fund", "fit/posterior"):
        assert group in saved.groups or f"/{group}" in saved.groups
    np.testing.assert_array_equal(
        saved["cashflows"]["present_value"], result.sim["cashflows"]["present_value"]
    )
    for var in saved["cashflows"].data_vars:
        assert "units" in saved["cashflows"][var].attrs


def test_summary_csv_and_report_quote_the_table(appraisal):
    result, out = appraisal
    rows = json.loads((out / "summary.json").read_text(encoding="utf-8"))["rows"]
    table = pd.DataFrame(rows).set_index(["metric", "scope"])["mean"].astype(float)
    pd.testing.assert_series_equal(table, result.summary.table["mean"], check_names=False)
    report = (out / "report.md").read_text(encoding="utf-8")
    for sentence in result.summary.text:
        assert sentence in report
    assert "SYNTHETIC" in report
    html = (out / "report.html").read_text(encoding="utf-8")
    figures = [p for p in result.files.values() if p.suffix == ".png"]
    assert html.count('<figure role="img"') == len(figures) >= 2  # SVG, text kept as text
    assert "figures/" not in html


def test_same_seed_same_report_numbers(appraisal, tmp_path):
    result, _ = appraisal
    again = sp.run("nata", random_seed=11, progress=False)
    pd.testing.assert_frame_equal(again.summary.table, result.summary.table)


def test_swedish_summary(nata_sim):
    sv = sp.summarize(nata_sim, lang="sv")
    assert any(
        s.startswith("Sannolikheten att NÄTA återbetalar fonden fullt ut senast år 6")
        for s in sv.text
    )
    assert "," in sv.text[1] and "MSEK" in sv.text[1]


@pytest.mark.integration
def test_did_recovers_the_synthetic_truth(synthetic):
    """Fit a large sample from the data script's known truth: it lies inside the 90 % interval."""
    spec = sp.load_model("nata")
    big = synthetic.nata(seed=7, n_treated=3000, n_comparison=3000)
    post = sp.fit_effects(spec, sp.load_followup(big, spec=spec), random_seed=3, progress=False)
    rd = post.posterior["risk_difference"]
    lower, upper = np.quantile(rd, [0.05, 0.95])
    truth = synthetic.true_risk_difference(synthetic.NATA_TRUTH)
    assert lower < truth < upper
    assert upper - lower < 0.06  # 6 000 pupils pin the effect down to a few percentage points
