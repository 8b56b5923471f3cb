"""Follow-up data: the bundled table passes; bad tables name the file and column."""

from __future__ import annotations

import pandas as pd
import pytest

import simpact as sp
from simpact.base.errors import DataError
from simpact.data import fingerprint


def test_bundled_data_is_what_the_script_makes(synthetic):
    assert synthetic.main(["--check"]) == 0


def test_bundled_data_carries_source_and_fingerprint(nata_spec, nata_data):
    assert nata_data.attrs["source"] == str(nata_spec.data_path)
    assert nata_data.attrs["sha256"] == fingerprint(pd.read_csv(nata_spec.data_path))
    assert len(nata_data.attrs["sha256"]) == 64


def test_fingerprint_changes_with_one_value(nata_data):
    other = nata_data.copy()
    other.loc[0, "absent_days"] += 1
    assert fingerprint(other) != fingerprint(nata_data)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".parquet"])
def test_readers_by_suffix(tmp_path, nata_spec, nata_data, suffix):
    path = tmp_path / f"data{suffix}"
    plain = pd.DataFrame(nata_data)
    {".csv": plain.to_csv, ".xlsx": plain.to_excel, ".parquet": plain.to_parquet}[suffix](
        path, index=False
    )
    loaded = sp.load_followup(path, spec=nata_spec)
    assert loaded.attrs["sha256"] == nata_data.attrs["sha256"]


def _broken(nata_data, how):
    return how(pd.DataFrame(nata_data).copy())


@pytest.mark.parametrize(
    ("how", "column", "message"),
    [
        (lambda d: d.drop(columns="problematic_absence"), "problematic_absence", "missing column"),
        (lambda d: d.rename(columns={"treated": "Treated"}), "treated", "did you mean 'Treated'"),
        (
            lambda d: d.assign(problematic_absence=d["problematic_absence"].where(d.index != 7)),
            "problematic_absence",
            "missing value(s), first in row 8",
        ),
        (
            lambda d: d.assign(problematic_absence=d["problematic_absence"].replace(1, 2)),
            "problematic_absence",
            "must be 0/1",
        ),
        (lambda d: d.assign(treated=0), "treated", "no treated units"),
        (
            lambda d: d.assign(period=d["period"].replace("post", "after")),
            "period",
            "expected exactly the periods",
        ),
    ],
)
def test_bad_table_names_the_column(nata_spec, nata_data, how, column, message):
    with pytest.raises(DataError) as info:
        sp.load_followup(_broken(nata_data, how), spec=nata_spec)
    assert info.value.field == column
    assert message in str(info.value)
    assert info.value.source == "DataFrame"


def test_negative_and_fractional_counts_are_refused(nata_spec):
    spec = nata_spec.model_copy(
        update={
            "effect": nata_spec.effect.model_copy(
                update={"family": "binomial", "outcome": "k", "trials": "n"}
            )
        }
    )
    base = pd.DataFrame(
        {
            "k": [3, 4, 2, 1],
            "n": [10, 10, 10, 10],
            "treated": [0, 1, 0, 1],
            "period": ["pre", "pre", "post", "post"],
            "pupil_id": range(4),
        }
    )
    for bad, message in (
        (-1, "non-negative whole count"),
        (2.5, "non-negative whole count"),
        (11, "more events than trials"),
    ):
        df = base.astype({"k": float}).copy()
        df.loc[2, "k"] = bad
        with pytest.raises(DataError, match=message) as info:
            sp.load_followup(df, spec=spec)
        assert info.value.field == "k"
    assert sp.load_followup(base, spec=spec)["k"].sum() == 10


def test_unsupported_file_type(tmp_path, nata_spec):
    path = tmp_path / "data.json"
    path.write_text("{}")
    with pytest.raises(DataError, match="unsupported file type"):
        sp.load_followup(path, spec=nata_spec)
