"""Bad follow-up data gets a DataError naming the column, before any sampling."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from simpact import effects
from simpact.base.errors import DataError, SpecError
from simpact.config.spec import EffectSpec
from simpact.data import check


@pytest.fixture
def counts() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "absent_days": [3, 0, 7, 2, 5, 1],
            "days_enrolled": [80, 85, 90, 70, 88, 60],
            "treated": [0, 0, 0, 1, 1, 1],
            "school": ["a", "b", "a", "b", "a", "b"],
        }
    )


def two_group(df, **kwargs):
    kwargs = {"outcome": "absent_days", "group": "treated", "family": "poisson", **kwargs}
    return effects.TwoGroup(df, **kwargs)


def test_valid_table_passes(counts):
    design = two_group(counts, exposure="days_enrolled", site="school")
    assert design.frame()["weight"].sum() == counts["days_enrolled"].sum()


@pytest.mark.parametrize("role", ["outcome", "group", "exposure", "site"])
def test_misspelled_column_is_named_with_a_hint(counts, role):
    kwargs = {"exposure": "days_enrolled", "site": "school"}
    base = {"outcome": "absent_days", "group": "treated", **kwargs}
    base[role] = base[role].upper()
    with pytest.raises(DataError, match=rf"{base[role]}: missing column.*did you mean"):
        effects.TwoGroup(counts, family="poisson", **base)


def test_missing_value_names_column_and_row(counts):
    counts.loc[4, "absent_days"] = np.nan
    with pytest.raises(DataError, match=r"absent_days: 1 missing value\(s\), first in row 5"):
        two_group(counts)


@pytest.mark.parametrize("bad", [0, -3])
def test_exposure_must_be_positive(counts, bad):
    counts.loc[2, "days_enrolled"] = bad
    with pytest.raises(DataError, match=r"days_enrolled: exposure must be > 0.*row 3"):
        two_group(counts, exposure="days_enrolled")


def test_non_integer_counts(counts):
    counts["absent_days"] = counts["absent_days"].astype(float)
    counts.loc[1, "absent_days"] = 2.5
    with pytest.raises(DataError, match=r"absent_days: must be a non-negative whole count.*row 2"):
        two_group(counts, family="negbin")


def test_negative_counts(counts):
    counts.loc[0, "absent_days"] = -1
    with pytest.raises(DataError, match="absent_days: must be a non-negative whole count"):
        two_group(counts)


def test_binary_outcome_that_is_not_binary(counts):
    with pytest.raises(DataError, match=r"absent_days: must be 0/1, found 3"):
        two_group(counts, family="bernoulli")


def test_group_column_that_is_not_binary(counts):
    counts.loc[0, "treated"] = 2
    with pytest.raises(DataError, match=r"treated: must be 0/1, found 2 in row 1"):
        two_group(counts)


def test_group_with_no_units(counts):
    counts["treated"] = 1
    with pytest.raises(DataError, match=r"treated: no comparison units"):
        two_group(counts)


def test_single_site_given_to_a_pooled_model(counts):
    counts["school"] = "a"
    with pytest.raises(DataError, match=r"school: partial pooling needs at least two sites"):
        two_group(counts, site="school")


def test_exposure_with_a_family_that_cannot_use_it(counts):
    counts["absent_days"] = counts["absent_days"] * 1.0
    with pytest.raises(DataError, match="days_enrolled: exposure is only used by"):
        two_group(counts, family="normal", exposure="days_enrolled")


def test_binomial_needs_trials_and_events_within_trials():
    df = pd.DataFrame({"k": [3, 9], "n": [10, 8], "g": [0, 1]})
    with pytest.raises(DataError, match=r"needs effect\.trials"):
        effects.TwoGroup(df, outcome="k", group="g", family="binomial")
    with pytest.raises(DataError, match=r"k: more events than trials \(n\) in row 2"):
        effects.TwoGroup(df, outcome="k", group="g", family="binomial", trials="n")


def test_continuous_outcome_must_be_numeric():
    df = pd.DataFrame({"grade": [12.0, "C", 15.0, 14.0], "g": [0, 0, 1, 1]})
    with pytest.raises(DataError, match=r"grade: must be a number, found 'C' in row 2"):
        effects.TwoGroup(df, outcome="grade", group="g", family="normal")


def test_did_needs_every_group_period_cell():
    df = pd.DataFrame({"y": [0, 1, 1], "g": [0, 0, 1], "t": ["pre", "post", "pre"]})
    with pytest.raises(DataError, match=r"t: no rows for g == 1 in period 'post'"):
        effects.DiD(df, outcome="y", group="g", period="t")


def test_did_period_labels():
    df = pd.DataFrame({"y": [0, 1, 1, 0], "g": [0, 0, 1, 1], "t": ["före", "efter"] * 2})
    with pytest.raises(DataError, match=r"t: expected exactly the periods \['post', 'pre'\]"):
        effects.DiD(df, outcome="y", group="g", period="t")


def test_its_needs_points_on_both_sides_and_numeric_time():
    df = pd.DataFrame({"m": [1, 2, 3, 4, 5], "y": [1.0, 2, 3, 4, 5]})
    with pytest.raises(DataError, match=r"m: need at least two time points before and from"):
        effects.InterruptedTimeSeries(df, outcome="y", time="m", start=5, family="normal")
    df["m"] = ["jan", "feb", "mar", "apr", "maj"]
    with pytest.raises(DataError, match=r"m: must be numeric, found 'jan' in row 1"):
        effects.InterruptedTimeSeries(df, outcome="y", time="m", start=3, family="normal")


def test_unknown_family_and_unknown_prior(counts):
    with pytest.raises(SpecError, match="unknown family 'gamma'"):
        two_group(counts, family="gamma")
    with pytest.raises(SpecError, match="no parameter 'slope' to set a prior on"):
        two_group(counts, priors={"slope": {"dist": "Normal", "kwargs": {}}})


def test_check_against_a_spec_names_the_design_requirements():
    spec = EffectSpec(design="its", family="normal", outcome="y", time="m")
    with pytest.raises(DataError, match=r"design 'its' needs effect\.start"):
        check(pd.DataFrame({"y": [1.0], "m": [1]}), spec)
    spec = EffectSpec(design="did", outcome="y", group="g")
    with pytest.raises(DataError, match=r"design 'did' needs effect\.period"):
        check(pd.DataFrame({"y": [1], "g": [1]}), spec)
