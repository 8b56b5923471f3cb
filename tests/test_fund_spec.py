"""The spec's [fund] table: new fields, and bad input named by file and field."""

from __future__ import annotations

import copy

import numpy as np
import pytest

from simpact import config, fund
from simpact.base.errors import SpecError
from simpact.config.loading import load_model


@pytest.fixture(scope="module")
def raw() -> dict:
    return config.read_toml(config.library_dir("models") / "nata.toml")


def with_fund(raw: dict, **changes) -> dict:
    out = copy.deepcopy(raw)
    out["fund"].update(changes)
    return out


def test_defaults(raw):
    spec = load_model(raw)
    assert spec.fund.return_cap == 0.2
    assert spec.fund.rule in fund.RULES


@pytest.mark.parametrize("rule", list(fund.RULES))
def test_every_rule_is_accepted(raw, rule):
    assert load_model(with_fund(raw, rule=rule)).fund.rule == rule


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"rule": "generous"}, "fund.rule"),
        ({"fund_part": {"1": -5.0}}, "fund.fund_part.1"),
        ({"repayment": {"5": 0.7, "6": 0.6}}, "fund.repayment"),  # shares over 100 %
        ({"repayment": {"5": 0.5, "30": 0.5}}, "fund.repayment"),  # beyond the horizon
        ({"horizon": 8, "repayment": {"5": 0.5, "9": 0.5}}, "fund.repayment"),
        ({"return_cap": -0.1}, "fund.return_cap"),
        ({"repayment": {"2": 0.5, "6": 0.5}}, "fund.repayment"),  # repaid before it is drawn
        ({"repaying_actors": ["region"]}, "fund.repaying_actors"),
    ],
)
def test_bad_fund_tables_are_named(raw, changes, field):
    with pytest.raises(SpecError) as err:
        load_model(with_fund(raw, **changes))
    assert err.value.field == field


def test_apply_fund_uses_the_spec_rule_and_cap(nata_spec):
    """apply_fund on a hand-made cash-flow tree: the spec's rule and cap reach the ledger."""
    import xarray as xr

    years = np.arange(1, 11)
    actors = ["social_services", "education", "region"]
    cash = np.zeros((1, 2, len(years), len(actors)))
    cash[..., 4:, 0] = 1e6  # social services save 1 MSEK a year from year 5
    da = xr.DataArray(
        cash,
        dims=("chain", "draw", "year", "actor"),
        coords={"year": years, "actor": actors},
        attrs={"units": "SEK"},
    )
    sim = xr.DataTree.from_dict({"cashflows": xr.Dataset({"savings": da, "cashable_savings": da})})
    spec = nata_spec.fund.model_copy(update={"rule": "capped_return", "return_cap": 0.1})
    ledger = fund.apply_fund(sim, spec, horizon=10)["fund"].to_dataset()
    principal = sum(spec.fund_part.values())
    assert float(ledger["principal"]) == pytest.approx(principal)
    # principal 2.73 MSEK; instalments 1.1 × 2.73 / 2 = 1.5015 MSEK in years 5 and 6, each
    # covered only by the 1 MSEK saved that year (the rest lapses): 2 MSEK back, 0.73 lost
    assert principal == pytest.approx(2.73e6)
    assert ledger["repaid"].sum("year").values.ravel().tolist() == [2e6, 2e6]
    assert float(ledger["shortfall_by_horizon"].max()) == pytest.approx(0.73e6)
    assert ledger.attrs["rule"] == "capped_return"
    assert ledger.attrs["external_actors"] == ["region"]
