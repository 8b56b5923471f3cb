"""Fuzz: malformed specs and data tables made from the valid NÄTA ones all stop cleanly.

Each example takes the bundled spec and its follow-up table, breaks one thing in a way that is
wrong by construction (a required table gone, a value of the wrong type or out of range, a column
missing or misnamed, a value a column cannot hold, a unit twice in one period), and runs
``simpact run`` on it. Every one must end in exit status 2 with one line naming the file, no
traceback, nothing written into (or beside) ``--out``, and never reach the effect fit.
"""

from __future__ import annotations

import copy
import tempfile
import tomllib
from pathlib import Path

import pandas as pd
import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simpact import cli, pipeline
from simpact.config import library_dir

SPEC = tomllib.loads((library_dir("models") / "nata.toml").read_text(encoding="utf-8"))
DATA = pd.read_csv(library_dir("models") / "data" / "nata_followup_synthetic.csv")
COLUMNS = ("problematic_absence", "treated", "period", "pupil_id")

names = st.text("abcdefghijklmnopqrstuvwxyz_", min_size=3, max_size=12).map(lambda s: "zz_" + s)
"""Names no spec, registry or priors library uses."""


def _not_0_or_1(value: str) -> bool:
    number = pd.to_numeric(pd.Series([value.strip()]), errors="coerce")[0]
    return bool(value.strip()) and "\x00" not in value and number not in (0, 1)


text = st.text(min_size=1, max_size=8).filter(_not_0_or_1)


def _set(raw: dict, dotted: str, value) -> dict:
    *tables, key = dotted.split(".")
    node = raw
    for table in tables:
        node = node[table]
    node[key] = value
    return raw


SPEC_FAULTS = st.one_of(
    st.sampled_from(["intervention", "effect", "cohort", "outcomes", "simulation", "fund"]).map(
        lambda table: ("drop", table, None)
    ),
    st.tuples(st.just("set"), st.just("effect.design"), names),
    st.tuples(st.just("set"), st.just("effect.family"), names),
    st.tuples(
        st.just("set"),
        st.just("simulation.discount_rate"),
        st.one_of(st.floats(-0.99, -0.051), st.floats(0.151, 50), names),
    ),
    st.tuples(st.just("set"), st.just("simulation.horizon"), st.one_of(st.integers(-50, 0), names)),
    st.tuples(st.just("set"), st.just("intervention.price_year"), names),
    st.tuples(st.just("set"), st.just("cohort.intake.1"), st.integers(-(10**6), -1)),
    st.tuples(
        st.just("set"),
        st.sampled_from(["effect.outcome", "effect.group", "effect.period", "effect.unit"]),
        names,
    ),
    st.tuples(
        st.just("unknown"),
        st.sampled_from(["intervention", "effect", "simulation", "cohort", "fund"]),
        names,
    ),
)


def _spec_fault(raw: dict, fault) -> dict:
    kind, where, value = fault
    if kind == "drop":
        raw.pop(where)
    elif kind == "set":
        _set(raw, where, value)
    else:
        raw[where][value] = 1
    return raw


rows = st.integers(0, len(DATA) - 1)

DATA_FAULTS = st.one_of(
    st.tuples(
        st.just("cell"),
        st.just("problematic_absence"),
        rows,
        st.one_of(st.integers(2, 99), st.integers(-99, -1), text),
    ),
    st.tuples(st.just("cell"), st.just("treated"), rows, st.one_of(st.integers(2, 9), st.none())),
    st.tuples(st.just("cell"), st.just("period"), rows, names),
    st.tuples(st.just("drop"), st.sampled_from(COLUMNS), st.none(), st.none()),
    st.tuples(st.just("twice"), st.none(), rows, st.none()),
    st.tuples(st.just("no_events"), st.none(), st.none(), st.none()),
)


def _data_fault(table: pd.DataFrame, fault) -> pd.DataFrame:
    kind, column, row, value = fault
    table = table.copy()
    if kind == "cell":
        table[column] = table[column].astype(object)
        table.loc[row, column] = value
    elif kind == "drop":
        table = table.drop(columns=column)
    elif kind == "twice":
        table = pd.concat([table, table.iloc[[row]]], ignore_index=True)
    else:
        table["problematic_absence"] = 0
    return table


def _run_and_check(capsys, folder: Path, spec: Path) -> None:
    out = folder / "out"
    before = sorted(p.name for p in folder.iterdir())
    with pytest.raises(SystemExit) as exc:
        cli.main(["run", str(spec), "--out", str(out), "--quiet"])
    captured = capsys.readouterr()
    lines = [line for line in captured.err.splitlines() if line.strip()]
    assert exc.value.code == 2, captured.err
    assert len(lines) == 1, captured.err
    assert lines[0].startswith("simpact: error: ") and "Traceback" not in captured.err
    assert str(folder) in lines[0], lines[0]  # names the spec or the data file
    assert sorted(p.name for p in folder.iterdir()) == before  # nothing written


@pytest.fixture
def no_fit(monkeypatch):
    def fit(*args, **kwargs):
        raise AssertionError("a malformed input reached the effect fit")

    monkeypatch.setattr(pipeline, "fit_effects", fit)


FUZZ = settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@FUZZ
@given(fault=SPEC_FAULTS)
def test_a_malformed_spec_stops_cleanly(capsys, no_fit, fault):
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        DATA.to_csv(folder / "data.csv", index=False)
        raw = copy.deepcopy(SPEC)
        raw["data"]["path"] = "data.csv"
        spec = folder / "model.toml"
        spec.write_text(tomli_w.dumps(_spec_fault(raw, fault)), encoding="utf-8")
        _run_and_check(capsys, folder, spec)


@FUZZ
@given(fault=DATA_FAULTS, suffix=st.sampled_from([".csv", ".parquet"]))
def test_a_malformed_table_stops_cleanly(capsys, no_fit, fault, suffix):
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        table = _data_fault(DATA, fault)
        data = folder / f"data{suffix}"
        if suffix == ".csv":
            table.to_csv(data, index=False)
        else:
            table.astype({c: str for c in table.columns if table[c].dtype == object}).to_parquet(
                data
            )
        raw = copy.deepcopy(SPEC)
        raw["data"]["path"] = data.name
        spec = folder / "model.toml"
        spec.write_text(tomli_w.dumps(raw), encoding="utf-8")
        _run_and_check(capsys, folder, spec)
