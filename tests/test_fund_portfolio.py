"""The revolving fund: a hand-computed portfolio, money conservation, correlation, bad input."""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr
from hypothesis import given, settings
from hypothesis import strategies as st

from simpact import fund
from simpact.base.errors import SimpactError

M = 1e6


def savings(rows, years=None) -> xr.DataArray:
    rows = np.atleast_2d(np.asarray(rows, dtype=float)) * M
    years = years or list(range(1, rows.shape[1] + 1))
    return xr.DataArray(rows, dims=("draw", "year"), coords={"year": years})


def test_two_projects_by_hand():
    # fund: 1 MSEK in years 1 and 2. Project a draws 1 + 1, repays 50/50 in its years 5 and 6
    # from savings; project b starts in fund year 2, draws 2 and repays it strictly in its year 3
    # (fund year 4). Year 2 needs 3 but holds 1: the board tops up 2.
    s = savings([[0, 0, 0, 1, 2, 2, 2, 2], [0] * 8])
    a = fund.Project("a", s, drawn={1: M, 2: M})
    b = fund.Project("b", s, drawn={1: 2 * M}, start=2, rule="strict", repayment={3: 1.0})
    pf = fund.portfolio([a, b], allocations={1: M, 2: M})
    assert pf["year"].values.tolist() == list(range(1, 10))
    assert (pf["topup"].sel(year=2) / M).values.tolist() == [2, 2]
    assert bool(pf["cannot_pay"].sel(year=2).all())
    assert not bool(pf["cannot_pay"].sel(year=1).any())
    # draw 0: both repay in full, everything is back in the fund: 1 + 1 + 2 (top-up)
    assert (pf["balance"].isel(draw=0) / M).values.tolist() == [0, 0, 0, 2, 3, 4, 4, 4, 4]
    # draw 1: no savings; b repays from its budget, a's 2 MSEK are written off at its horizon
    assert float(pf["written_off"].isel(draw=1, year=-1)) == 2 * M
    assert float(pf["balance"].isel(draw=1, year=-1)) == 2 * M
    assert pf["capital_intact"].isel(year=-1).values.tolist() == [True, False]


def test_frame_grant_projects_use_the_annual_frame():
    s = savings([[0] * 6])
    a = fund.Project("grant", s, drawn={1: 2 * M, 2: 4 * M}, part="frame_grant")
    pf = fund.portfolio([a], allocations={1: M}, frame_grant=3 * M)
    assert (pf["frame_used"].sel(year=[1, 2]) / M).values.tolist() == [2, 3]
    assert (pf["frame_overrun"].sel(year=[1, 2]) / M).values.tolist() == [0, 1]
    assert float(pf["balance"].isel(year=-1).item()) == M  # the fund part is untouched


def test_defaults_follow_the_ale_seed():
    assert sum(fund.DEFAULT_ALLOCATIONS.values()) == 16e6
    assert fund.DEFAULT_FRAME_GRANT == 3e6
    assert fund.DEFAULT_REPAYMENT == {5: 0.5, 6: 0.5}


def test_shared_inputs_make_failures_coincide():
    # two projects whose savings hinge on the same uncertain effect fail together. A project
    # saves 5·max(effect, 0) MSEK over years 4–8 against a principal of 2, so it falls short
    # when effect < 0.4. Shared draws: P(some capital lost) = P(short); with the draws of one
    # project shuffled (independent projects): 1 − (1 − P(short))²; the loss is more spread.
    rng = np.random.default_rng(11)
    n = 4000
    effect = rng.normal(1.0, 1.0, n)
    years = list(range(1, 9))
    profile = np.array([0, 0, 0, 1, 1, 1, 1, 1]) * M
    s1 = xr.DataArray(
        np.clip(effect, 0, None)[:, None] * profile, dims=("draw", "year"), coords={"year": years}
    )
    s2 = s1.copy(data=s1.to_numpy()[rng.permutation(n)])
    p_short = float((effect < 0.4).mean())

    def run(other):
        projects = [
            fund.Project("a", s1, drawn={1: 2 * M}),
            fund.Project("b", other, drawn={1: 2 * M}),
        ]
        return fund.portfolio(projects, allocations={1: 4 * M}).isel(year=-1)

    shared, independent = run(s1), run(s2)
    assert float((~shared["capital_intact"]).mean()) == pytest.approx(p_short, abs=1e-9)
    assert float((~independent["capital_intact"]).mean()) == pytest.approx(
        1 - (1 - p_short) ** 2, abs=0.03
    )
    assert float(shared["written_off"].std()) > float(independent["written_off"].std())


projects_strategy = st.lists(
    st.tuples(
        st.lists(st.floats(-0.5, 2, allow_nan=False), min_size=8, max_size=8),  # savings
        st.floats(0, 3),  # drawn in year 1
        st.floats(0, 3),  # drawn in year 2
        st.integers(1, 3),  # start
        st.sampled_from(list(fund.RULES)),
        st.sampled_from([None, 6, 8]),  # horizon
    ),
    min_size=1,
    max_size=3,
)


@settings(max_examples=50, deadline=None)
@given(
    projects=projects_strategy,
    allocations=st.lists(st.floats(0, 4), min_size=1, max_size=5),
    n_draws=st.integers(1, 3),
)
def test_ledger_conserves_money(projects, allocations, n_draws):
    """allocations + top-ups + gains = balance + outstanding + written off, every draw and year."""
    built = []
    for i, (values, d1, d2, start, rule, horizon) in enumerate(projects):
        rows = [np.roll(values, k) for k in range(n_draws)]
        built.append(
            fund.Project(
                f"p{i}",
                savings(rows),
                drawn={1: d1 * M, 2: d2 * M},
                start=start,
                rule=rule,
                horizon=horizon,
            )
        )
    alloc = {y + 1: a * M for y, a in enumerate(allocations)}
    pf = fund.portfolio(built, allocations=alloc)
    money_in = pf["allocation"].cumsum("year") + pf["topup"].cumsum("year") + pf["gain"]
    held = pf["balance"] + pf["outstanding"] + pf["written_off"]
    np.testing.assert_allclose(
        money_in.to_numpy(), held.transpose(*money_in.dims).to_numpy(), atol=1e-3
    )
    assert float(pf["balance"].min()) >= -1e-6  # the board's top-up keeps the fund solvent
    assert float(pf["outstanding"].min()) >= -1e-3


@pytest.mark.parametrize(
    ("make", "match"),
    [
        (lambda s: fund.Project("a", s, drawn={1: -1.0}), "negative"),
        (lambda s: fund.Project("a", s, drawn={1: 1.0}, repayment={5: 0.7, 6: 0.6}), "100 %"),
        (lambda s: fund.Project("a", s, drawn={1: 1.0}, rule="nope"), "unknown repayment rule"),
        (lambda s: fund.Project("a", s.rename(year="t"), drawn={1: 1.0}), "'year' dim"),
        (
            lambda s: fund.portfolio([fund.Project("a", s, drawn={1: 1.0})], allocations={1: -4.0}),
            "allocation cannot be negative",
        ),
        (lambda s: fund.portfolio([]), "at least one project"),
        (
            lambda s: fund.portfolio(
                [fund.Project("a", s, drawn={}), fund.Project("a", s, drawn={})]
            ),
            "unique",
        ),
        (
            lambda s: fund.portfolio(
                [fund.Project("a", s, drawn={}), fund.Project("b", s.isel(draw=[0]), drawn={})]
            ),
            "same joint draws",
        ),
    ],
)
def test_bad_portfolios_get_clear_errors(make, match):
    s = savings([[0] * 8, [1] * 8])
    with pytest.raises(SimpactError, match=match):
        make(s)
