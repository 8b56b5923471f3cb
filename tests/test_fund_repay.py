"""Repayment rules against hand-computed ledgers, side-by-side comparison and bad input."""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr
from hypothesis import given, settings
from hypothesis import strategies as st

from simpact import fund
from simpact.base.errors import SimpactError

M = 1e6
YEARS = [1, 2, 3, 4, 5, 6]
DUE = {4: 1.5 * M, 5: 1.5 * M}  # principal 3 MSEK


def savings(values, years=YEARS) -> xr.DataArray:
    return xr.DataArray(
        np.asarray(values, dtype=float) * M,
        dims="year",
        coords={"year": years},
        attrs={"units": "SEK"},
    )


SHORT = savings([0, 0.5, 0.5, 0.5, 0.5, 1.0])


def msek(x: xr.DataArray) -> list[float]:
    return (np.round(x.to_numpy() / M, 9) + 0.0).tolist()


def test_from_savings_carries_arrears_to_the_horizon():
    # pool: 1.5 by year 4 pays the first instalment; 0.5 in year 5 leaves 1.0 in arrears,
    # paid from the 1.0 saved in year 6
    r = fund.repay(SHORT, due=DUE, rule="from_savings")
    assert msek(r["repaid"]) == [0, 0, 0, 1.5, 0.5, 1.0]
    assert msek(r["budget_cut"]) == [0] * 6
    assert float(r["shortfall"]) == pytest.approx(1.0 * M)
    assert not bool(r["full_on_schedule"])
    assert bool(r["full_by_horizon"])
    assert float(r["repayment_year"]) == 6
    assert msek(r["outstanding"]) == [3, 3, 3, 1.5, 1.0, 0]


def test_from_savings_writes_off_what_the_horizon_cuts():
    r = fund.repay(SHORT, due=DUE, rule="from_savings", horizon=5)
    assert msek(r["repaid"]) == [0, 0, 0, 1.5, 0.5, 0]
    assert float(r["shortfall_by_horizon"]) == pytest.approx(1.0 * M)
    assert float(r["repaid_share"]) == pytest.approx(2 / 3)
    assert np.isnan(float(r["repayment_year"]))


def test_strict_cuts_the_own_budget_by_the_gap():
    r = fund.repay(SHORT, due=DUE, rule="strict")
    assert msek(r["repaid"]) == [0, 0, 0, 1.5, 1.5, 0]
    assert msek(r["budget_cut"]) == [0, 0, 0, 0, 1.0, 0]
    assert bool(r["full_on_schedule"])
    assert float(r["shortfall"]) == 0


def test_frame_cut_takes_savings_as_they_appear():
    # cumulative savings 0, .5, 1, 1.5, 2, 3: the frame is cut by each year's savings
    r = fund.repay(SHORT, due=DUE, rule="frame_cut")
    assert msek(r["repaid"]) == [0, 0.5, 0.5, 0.5, 0.5, 1.0]
    assert float(r["shortfall"]) == pytest.approx(1.0 * M)
    assert float(r["repayment_year"]) == 6
    # stops at the principal, and a negative year cuts nothing
    rich = fund.repay(savings([2, -1, 2, 2, 2, 2]), due=DUE, rule="frame_cut")
    assert msek(rich["repaid"]) == [2, 0, 1, 0, 0, 0]


def test_capped_return_lapses_unmet_instalments():
    # instalments of 1.2 × 1.5 = 1.8: year 4 pays the 1.5 saved, year 5 the 0.5; the rest lapses
    r = fund.repay(SHORT, due=DUE, rule="capped_return", cap=0.2)
    assert msek(r["repaid"]) == [0, 0, 0, 1.5, 0.5, 0]
    assert float(r["shortfall_by_horizon"]) == pytest.approx(1.0 * M)
    assert float(r["gain"]) == 0
    assert r.attrs["cap"] == 0.2


def test_capped_return_pays_at_most_the_cap():
    r = fund.repay(savings([3] * 6), due=DUE, rule="capped_return", cap=0.2)
    assert msek(r["repaid"]) == [0, 0, 0, 1.8, 1.8, 0]
    assert float(r["gain"]) == pytest.approx(0.6 * M)
    assert float(r["repaid_share"]) == 1.0
    assert float(r["outstanding"].isel(year=-1)) == 0


def test_compare_runs_every_rule_on_the_same_draws():
    s = xr.concat([SHORT, savings([3] * 6)], "draw")
    c = fund.compare(s, due=DUE)
    assert c["scenario"].values.tolist() == list(fund.RULES)
    assert set(c["repaid"].dims) == {"scenario", "draw", "year"}
    for rule in fund.RULES:
        single = fund.repay(s, due=DUE, rule=rule)
        xr.testing.assert_allclose(c["repaid"].sel(scenario=rule, drop=True), single["repaid"])
    # the strict rule always repays in full on schedule
    assert bool(c["full_on_schedule"].sel(scenario="strict").all())


@settings(max_examples=60, deadline=None)
@given(
    values=st.lists(st.floats(-1, 3, allow_nan=False), min_size=6, max_size=6),
    first=st.floats(0, 3),
    second=st.floats(0, 3),
    rule=st.sampled_from(list(fund.RULES)),
)
def test_project_ledger_conserves_the_principal(values, first, second, rule):
    r = fund.repay(savings(values), due={4: first * M, 5: second * M}, rule=rule)
    principal = float(r["principal"])
    repaid = float(r["repaid"].sum())
    tol = 1e-6 * max(principal, 1.0)
    # principal = what came back (up to the principal) + what is still owed at the horizon
    assert repaid - float(r["gain"]) + float(r["outstanding"].isel(year=-1)) == pytest.approx(
        principal, abs=tol
    )
    assert float(r["shortfall_by_horizon"]) == pytest.approx(
        float(r["outstanding"].isel(year=-1)), abs=tol
    )
    assert 0 <= float(r["repaid_share"]) <= 1
    if rule != "strict":  # only savings repay: never more than the savings that appeared
        assert repaid <= float(np.clip(savings(values), 0, None).sum()) + tol


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"due": {9: 1.0}}, "due"),  # instalment beyond the years
        ({"due": {6: 1.0}, "horizon": 5}, "due"),  # schedule beyond the horizon
        ({"due": {4: -1.0}}, "due"),
        ({"due": {4: 1.0}, "rule": "gentle"}, "rule"),
        ({"due": {4: 1.0}, "horizon": 12}, "horizon"),
        ({"due": {4: 1.0}, "cap": -0.1}, "cap"),
    ],
)
def test_bad_arguments_name_the_field(kwargs, field):
    with pytest.raises(SimpactError) as err:
        fund.repay(SHORT, **kwargs)
    assert err.value.field == field


def test_savings_without_year_dim_get_a_clear_error():
    with pytest.raises(SimpactError, match="'year' dim"):
        fund.repay(xr.DataArray(np.ones(6), dims="time"), due={4: 1.0})
    with pytest.raises(SimpactError, match="NaN"):
        fund.repay(savings([0, np.nan, 0, 0, 0, 0]), due={4: 1.0})
    with pytest.raises(SimpactError, match="DataArray"):
        fund.repay(np.ones(6), due={4: 1.0})


def test_nothing_is_taken_back_before_it_is_lent():
    # frame_cut with 1 MSEK drawn in year 1 and 2 MSEK in year 3: year-2 savings of 1.5 can only
    # take back the 1 lent so far; the rest follows once the second draw is made
    r = fund.repay(savings([0, 1.5, 0, 1, 1, 1]), due=DUE, rule="frame_cut", drawn={1: M, 3: 2 * M})
    assert msek(r["repaid"]) == [0, 1, 0.5, 1, 0.5, 0]
    assert msek(r["outstanding"]) == [3, 2, 1.5, 0.5, 0, 0]


def test_a_schedule_ahead_of_the_drawing_is_refused():
    with pytest.raises(SimpactError, match="before it is drawn"):
        fund.repay(SHORT, due={2: 1.0 * M, 5: 2.0 * M}, drawn={1: 0.5 * M, 3: 2.5 * M})
    with pytest.raises(SimpactError, match="drawn"):
        fund.repay(SHORT, due=DUE, drawn={1: 1.0 * M})
    with pytest.raises(SimpactError, match="negative"):
        fund.repay(SHORT, due=DUE, drawn={1: 4.0 * M, 2: -1.0 * M})
