"""The report: every number in its text equals the summary table's, in Swedish and English."""

from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd
import pytest
import xarray as xr

from simpact import report
from simpact.base import i18n
from simpact.base.provenance import Provenance
from simpact.decision import summarize

NUMBER = r"[−±]?\d{1,3}(?:[\u00a0 ,]\d{3})*(?:[.,]\d+)?"
NB = "\u00a0"


def parse(text: str, lang: str) -> float:
    """Read a number written by the report back ('−1 234,5' in sv, '−1,234.5' in en)."""
    text = text.replace("−", "-").replace("±", "").strip()
    if lang == "sv":
        text = text.replace(NB, "").replace(" ", "").replace(",", ".")
    else:
        text = text.replace(",", "")
    return float(text)


def value(cell: str, lang: str) -> float:
    """A table cell as a plain number: MSEK -> SEK, % -> share."""
    number = parse(re.match(NUMBER, cell.strip()).group(0), lang)
    if cell.strip().endswith("MSEK"):
        return number * 1e6
    if cell.strip().endswith("%"):
        return number / 100
    return number


def tolerance(cell: str) -> float:
    """Half a unit of the last printed digit."""
    digits = re.match(NUMBER, cell.strip()).group(0)
    decimals = len(re.split(r"[.,]", digits)[-1]) if re.search(r"[.,]\d+$", digits) else 0
    scale = 1e6 if cell.strip().endswith("MSEK") else (1e-2 if cell.strip().endswith("%") else 1)
    return 0.5 * 10.0**-decimals * scale * (1 + 1e-9)


def md_table(text: str, header_start: str) -> list[list[str]]:
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"| {header_start}"))
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        rows.append([c.strip() for c in line.strip("|").split("|")])
    return rows


@pytest.fixture(scope="module", params=["sv", "en"])
def written(request, tmp_path_factory, nata_sim):
    lang = request.param
    summary = summarize(nata_sim, lang=lang)
    out = tmp_path_factory.mktemp(f"report_{lang}")
    files = report.write_report(nata_sim, summary, out, lang=lang)
    return lang, summary, files


def summary_json(files) -> pd.DataFrame:
    rows = json.loads(files["json"].read_text(encoding="utf-8"))["rows"]
    return pd.DataFrame(rows).set_index(["metric", "scope"]).astype({"mean": float})


def test_key_table_equals_summary_json(written, nata_sim):
    lang, _summary, files = written
    table = summary_json(files)
    text = files["markdown"].read_text()
    header = {"sv": "Storhet", "en": "Quantity"}[lang]
    rows = md_table(text, header)
    assert len(rows) >= 8
    years = report.fund_years(nata_sim)
    labels = {report.row_label(k, lang, years): k for k in i18n.WORDS[lang]}
    checked = 0
    for label, scope, mean, interval, mcse in rows:
        metric = labels[label]
        scope_key = {
            "alla aktörer": "total",
            "all actors": "total",
            "fonddelen": "fund",
            "fund part": "fund",
        }[scope]
        expected = table.loc[(metric, scope_key)]
        checked += 1
        if metric in report.YEAR_EVENT:  # a year: its median over all draws, or "never"
            if np.isnan(expected["median"]):
                assert mean == report.WORDS[lang]["never"]
            else:
                assert value(mean, lang) == expected["median"]
            if interval == "–":
                continue
        else:
            assert abs(value(mean, lang) - expected["mean"]) <= tolerance(mean), (metric, mean)
        if expected["kind"] == "monte_carlo":  # a probability: ± its Monte Carlo error
            assert interval == "–" and mcse.startswith("±")
            assert abs(value(mcse, lang) - expected["mcse"]) <= tolerance(mcse), (metric, mcse)
            continue
        if interval == "–":  # an expectation: no interval
            assert expected["lower"] is None or np.isnan(expected["lower"]), metric
            continue
        lo, hi = interval.split(" – ")
        assert abs(value(lo, lang) - expected["lower"]) <= tolerance(lo), (metric, lo)
        assert abs(value(hi, lang) - expected["upper"]) <= tolerance(hi), (metric, hi)
    assert checked == len(rows)


def test_summary_csv_is_for_a_spreadsheet_in_the_reports_language(written):
    lang, summary, files = written
    raw = files["summary"].read_bytes()
    if lang == "sv":  # Excel with Swedish settings: ; and decimal commas, UTF-8 with BOM
        assert raw.startswith(b"\xef\xbb\xbf")
        csv = pd.read_csv(files["summary"], sep=";", decimal=",", encoding="utf-8-sig")
        assert list(csv.columns[:3]) == ["Storhet", "För", "Skattning"]
    else:
        assert not raw.startswith(b"\xef\xbb\xbf")
        csv = pd.read_csv(files["summary"])
        assert list(csv.columns[:3]) == ["Quantity", "For", "Estimate"]
    assert csv.iloc[:, 2].dtype == float  # numbers, not text
    table = summary.table
    npv = table.loc[("npv", "total"), "mean"]
    assert csv.iloc[:, 2].to_numpy()[list(table.index).index(("npv", "total"))] == round(npv)
    assert len(csv) == len(table)
    sheets = pd.read_excel(files["xlsx"], sheet_name=None)
    assert list(sheets["summary"].columns) == list(csv.columns)
    # no code key in the row names
    names = " ".join(csv.iloc[:, :2].astype(str).to_numpy().ravel())
    assert "_" not in names and "evppi" not in names


def code_keys(sim, summary) -> set[str]:
    """Every key a reader must not see: metrics, scopes, outcomes, actors, inputs, tornado
    parameters, effect scales, and the spec's design, family and rule."""
    from simpact.base import scales
    from simpact.config import priors

    keys = set(summary.table.index.get_level_values("metric"))
    keys |= set(summary.table.index.get_level_values("scope"))
    keys |= (
        {str(o) for o in sim["cashflows"]["outcome"].values}
        if "outcome" in sim["cashflows"].coords
        else set()
    )
    keys |= set(priors.actors()) | set(sim["inputs"].data_vars) | set(scales.SCALES)
    keys |= {str(p) for p in sim["decision/tornado"]["parameter"].values}
    keys |= {sim["fit"].attrs["family"], sim["fund"].attrs["rule"]}
    # a key that is also a plain word ("region", "state") may be written as a word
    return {k for k in keys if "_" in k or "[" in k or k in {"bernoulli", "binomial"}}


def visible_html(page: str, lang: str) -> str:
    """The text a reader sees (figure text included: SVG text is text), before the
    reproducibility section (paths and the command to rerun are code on purpose)."""
    import html

    body = re.sub(r"<style.*?</style>", "", page.split("<body>", 1)[1], flags=re.S)
    body = body.split(report.WORDS[lang]["reproducibility"])[0]
    return html.unescape(re.sub(r"<[^>]+>", " ", body))


def visible_docx(path, lang: str) -> str:
    import docx

    doc = docx.Document(str(path))
    text = "\n".join(p.text for p in doc.paragraphs)
    text = text.split(report.WORDS[lang]["reproducibility"])[0]
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return text + "\n" + "\n".join(cells)


def test_no_code_key_in_the_visible_text_or_figures(written, nata_sim):
    lang, summary, files = written
    sim = nata_sim.copy()
    sim["decision"] = summary.analysis
    keys = code_keys(sim, summary)
    assert {"from_savings", "log_risk_ratio", "haircut_optimism_bias"} <= keys
    page = visible_html(files["html"].read_text(encoding="utf-8"), lang)
    assert files["html"].read_text(encoding="utf-8").count("<text") > 50  # figure text is text
    for name, text in (("html", page), ("docx", visible_docx(files["docx"], lang))):
        shown = {k for k in keys if re.search(rf"(?<![\w/.]){re.escape(k)}(?![\w.])", text)}
        assert shown == set(), (name, shown)
        assert "Frame-grant part: 0" not in text and "0.035" not in text and "0,035" not in text


def test_docx_has_the_sections_tables_and_figures(written):
    import docx

    _lang, _summary, files = written
    doc = docx.Document(str(files["docx"]))
    markdown = files["markdown"].read_text(encoding="utf-8")
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith(("Heading", "Title"))]
    assert headings == [line.lstrip("# ") for line in markdown.splitlines() if line[:1] == "#"]
    assert len(doc.tables) == sum(1 for line in markdown.splitlines() if line.startswith("|---"))
    assert len(doc.inline_shapes) == markdown.count("](figures/")


def test_summary_json_holds_the_keys_at_full_precision(written):
    _lang, summary, files = written
    table = summary_json(files)
    pd.testing.assert_series_equal(
        table["mean"], summary.table["mean"], check_names=False, check_index_type=False
    )


def test_citation_sentences_equal_the_table(written):
    lang, summary, files = written
    text = files["markdown"].read_text()
    table = summary.table
    repay = next(s for s in summary.text if ("återbetalar" in s or "repays" in s))
    assert repay in text
    p_text, mc_text = re.findall(rf"({NUMBER}){'' if lang == 'en' else NB}%", repay)[:2]
    row = table.loc[("p_full_on_schedule", "fund")]
    assert abs(parse(p_text, lang) / 100 - row["mean"]) <= 0.005 + 1e-12
    assert abs(parse(mc_text, lang) / 100 - row["mcse"]) <= 0.0005 + 1e-12
    npv = next(s for s in summary.text if "MSEK" in s)
    mean_text = re.search(rf"({NUMBER}){NB}MSEK", npv).group(1)
    assert abs(parse(mean_text, lang) * 1e6 - table.loc[("npv", "total"), "mean"]) <= 0.05e6


def test_npv_per_actor_equals_the_table(written):
    lang, summary, files = written
    text = files["markdown"].read_text()
    rows = md_table(text, {"sv": "Aktör", "en": "Actor"}[lang])
    means = [value(r[1], lang) for r in rows]
    expected = summary.table.xs("npv", level="metric")["mean"].to_numpy()
    assert len(means) == len(expected)
    for got, want, row in zip(means, expected, rows, strict=True):
        assert abs(got - want) <= tolerance(row[1])


def test_savings_table_in_text_equals_the_exported_table(written, nata_sim):
    lang, _summary, files = written
    exported = report.savings_table(nata_sim)
    assert exported["calendar_year"].iloc[0] == nata_sim.attrs["start_year"]
    text = files["markdown"].read_text()
    rows = md_table(text, {"sv": "Projektår", "en": "Project year"}[lang])
    for row in rows:
        year = int(row[0])
        assert abs(parse(row[-1], lang) * 1e6 - exported.loc[year, "total"]) <= 0.005e6 * (1 + 1e-9)
    # and the exported table is the mean of the simulated savings (closed form: sum over actors)
    total = nata_sim["cashflows"]["savings"].sum("actor").mean(("chain", "draw")).to_numpy()
    assert exported["total"].to_numpy() == pytest.approx(total)


def test_number_formats_by_language(written):
    lang, _summary, files = written
    text = files["markdown"].read_text()
    key = md_table(text, {"sv": "Storhet", "en": "Quantity"}[lang])
    cells = " ".join(r[2] for r in key)
    if lang == "sv":
        assert re.search(rf"\d,\d{NB}MSEK", cells) and not re.search(r"\d\.\d", cells)
        assert "## 1. Sammanfattning" in text and "Antaganden" in text
    else:
        assert re.search(rf"\d\.\d{NB}MSEK", cells) and not re.search(r"\d,\d", cells)
        assert "## 1. Summary" in text and "Assumptions" in text
    assert "−" in text  # true minus sign for the negative NPV


def test_report_structure_and_provenance(written, nata_sim):
    lang, _summary, files = written
    text = files["markdown"].read_text()
    for name in ("effect_posterior", "fan_chart", "npv_distribution", "fund_balance", "repayment"):
        assert f"](figures/{name}.png)" in text
        assert files[name].is_file()
    assert "R-hat" in text and "ESS" in text
    assert nata_sim.attrs["data_sha256"] in text
    # fit and simulation drew from different seeds: the saved fit is simulated again
    fit_seed = Provenance.read(nata_sim["fit"]).random_seed
    sim_seed = Provenance.read(nata_sim).random_seed
    verb = "run" if fit_seed == sim_seed else "simulate --posterior results.nc"
    assert f"simpact {verb.split()[0]} " in text and f"--seed {sim_seed} " in text
    assert "bbic" not in text.lower() or "BBIC" in text  # unit cost labelled by its source
    assert "SKL Psynk" in text  # every unit cost with its source
    # summarize's analysis (tornado, EVPI, EVPPI) feeds the sensitivity section
    assert {"sv": "Känslighet", "en": "Sensitivity"}[lang] in text


def test_sensitivity_section_appears_with_evppi(nata_sim):
    sim = nata_sim.copy()
    sim["decision"] = xr.Dataset(
        {
            "evppi": xr.DataArray(
                [2.5e5, 4e4], dims="parameter", coords={"parameter": ["effect", "unit_cost"]}
            ),
            "evpi": 3e5,
        }
    )
    summary = summarize(sim, lang="en")
    text = report.render_markdown(sim, summary, lang="en")
    assert "## 4. Sensitivity" in text and "## 5. Assumptions" in text
    rows = md_table(text, "Input | EVPPI")
    assert [r[0] for r in rows] == ["the effect", "unit costs", "EVPI (all inputs)"]
    assert [value(r[1], "en") for r in rows] == pytest.approx([2.5e5, 4e4, 3e5], abs=0.005e6)


def test_not_converged_is_flagged(nata_sim):
    sim = nata_sim.copy()
    sim["fit"].attrs["converged"] = False
    sim["fit"].attrs["divergences"] = 7
    text = report.render_markdown(sim, summarize(sim, lang="en"), lang="en", figures=set())
    assert "NOT CONVERGED" in text and "7 transitions DIVERGED" in text


def test_effect_table_from_known_draws():
    post = xr.Dataset({"risk_difference": (("chain", "draw"), np.linspace(-0.3, 0.1, 401)[None])})
    fit = xr.DataTree.from_dict({"posterior": post})
    fit.attrs.update(effect_scales=["risk_difference"], better="lower")
    row = report.effect_table(fit).loc["risk_difference"]
    assert row["mean"] == pytest.approx(-0.1)
    assert row["lower"] == pytest.approx(-0.28) and row["upper"] == pytest.approx(0.08)
    assert row["p_better"] == pytest.approx(300 / 401)


def test_sections_follow_the_tree(nata_sim):
    # a tree without an effect fit (draws from elsewhere) and without the fund stage
    sim = nata_sim.copy()
    del sim["fit"]
    summary = summarize(sim, lang="en")
    without_fit = report.render_markdown(sim, summary, lang="en")
    assert "## 2. The effect" not in without_fit
    assert "## 2. Savings per actor and year" in without_fit
    assert "figures/effect_posterior.png" not in without_fit
    full = report.render_markdown(nata_sim, summarize(nata_sim, lang="en"), lang="en")
    assert "## 2. The effect" in full and "## 3. Savings per actor and year" in full


def test_a_literature_prior_is_listed_with_its_source(nata_sim):
    import json

    sim = nata_sim.copy()
    spec = json.loads(sim.attrs["spec"])
    prior = {
        "dist": "Normal",
        "kwargs": {"mu": -0.2, "sigma": 0.15},
        "source": "Meta-analysis X (2020), table 3",
    }
    spec["effect"]["priors"] = {"effect": prior}
    sim.attrs["spec"] = json.dumps(spec)
    # what a fit of that spec records: the design's defaults with the override applied
    sim["fit"].attrs["priors"] = {**nata_sim["fit"].attrs["priors"], "effect": prior}
    text = report.render_markdown(sim, summarize(sim, lang="sv"), lang="sv", figures=set())
    rows = {r[0]: r[1:] for r in md_table(text, "Indata")}
    assert rows["Effekten: priori, effekt"] == [
        "normal, medel −0,2, sd 0,15",
        "Meta-analysis X (2020), table 3",
    ]
    # the design's data-scaled defaults the fit used are listed too
    assert rows["Effekten: priori, grundnivå"][1] == "designens standard (svagt informativ)"


def test_the_report_uses_the_spec_it_is_given(nata_sim, nata_spec):
    sim = nata_sim.copy()
    del sim.attrs["spec"]  # nothing to re-parse: the spec passed in is used throughout
    text = report.render_markdown(
        sim, summarize(sim, lang="en"), lang="en", figures=set(), spec=nata_spec
    )
    rows = {r[0]: r[1:] for r in md_table(text, "Input | Value")}
    assert rows["Cohort (persons per project year)"][0].startswith("year ")
    assert "The effect: prior, effect" in rows
