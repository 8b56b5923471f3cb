"""Every bundled library file validates, every entry carries its source, numbers match sources."""

from __future__ import annotations

import math
import re
from pathlib import Path

import pytest

from simpact import config as L
from simpact.components.distributions import Fixed, LogNormal, Normal, Uniform

ROOT = Path(__file__).resolve().parent.parent
PRIORS = sorted((ROOT / "priors").glob("*.toml"))
MODELS = sorted((ROOT / "models").glob("*.toml"))

EXPECTED_KINDS = {
    "actors.toml": "actors",
    "cpi.toml": "cpi",
    "unit_costs.toml": "unit_costs",
    "effect_sizes.toml": "effect_sizes",
    "heterogeneity.toml": "heterogeneity",
    "persistence.toml": "persistence",
    "discount_rates.toml": "discount_rates",
}


@pytest.mark.parametrize("path", PRIORS + MODELS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_library_file_validates(path):
    kind = L.validate_file(path)
    assert kind == EXPECTED_KINDS.get(path.name, "model")


def test_every_kind_has_a_bundled_file():
    assert set(EXPECTED_KINDS) <= {p.name for p in PRIORS}


def test_keys_used_by_the_nata_model_are_kept():
    for key in (
        "bbic_investigation",
        "preliminary_assessment",
        "foster_care_day",
        "institutional_care_day",
        "sis_care_day",
        "sis_fee_treatment_day",
        "social_assistance_household_year",
        "leisure_support_month",
        "exclusion_person_year",
        "labour_cost_fte_year",
    ):
        assert key in L.unit_costs()


@pytest.mark.parametrize("key", sorted(L.unit_costs()))
def test_unit_costs_are_sourced_distributions_in_a_cpi_year(key):
    entry = L.unit_costs()[key]
    assert entry.source.strip()
    assert entry.price_year in L.cpi()
    assert not isinstance(entry.cost, Fixed), "a unit cost is a distribution, never a point"


@pytest.mark.parametrize(
    "key", sorted(k for k, v in L.unit_costs().items() if isinstance(v.cost, LogNormal))
)
def test_a_point_sourced_cost_is_centred_on_the_figure_its_source_quotes(key):
    entry = L.unit_costs()[key]
    quoted = f"{entry.cost.mean():,.0f}".replace(",", " ")  # Swedish thousands: 30 561
    assert quoted in entry.source, f"{key}: mean {quoted} not quoted in its source"
    assert "assumption" in entry.note.lower(), f"{key}: the spread around a point is an assumption"


def test_sis_fee_ranges_undo_the_28_percent_subsidy_stated_by_the_source():
    fees = {k: v for k, v in L.unit_costs().items() if k.startswith("sis_fee_")}
    assert len(fees) == 5
    for key, entry in fees.items():
        assert isinstance(entry.cost, Uniform), key
        assert f"{entry.cost.min:,.0f}".replace(",", " ") in entry.source
        assert entry.cost.max == pytest.approx(entry.cost.min / (1 - 0.28), abs=1), key


_NUMBER = r"([-−]?\d+\.\d+)"
_QUOTED = re.compile(
    rf"(?:g|SMD\)?) =? ?{_NUMBER}[,;] 95 ?% Cr?I:? {_NUMBER}(?:–| to ){_NUMBER}"
    rf"|SMD {_NUMBER} \({_NUMBER} to {_NUMBER}\)"
    rf"|g = {_NUMBER}[,;] (?:95 ?% CI= ?)?\[{_NUMBER}, {_NUMBER}\]"
)


def _quoted_interval(text: str) -> tuple[float, float, float]:
    """The first 'g = m, 95 % CI a–b' quoted in a source (or 'SMD m (a to b)', 'g = m, [a, b]')."""
    found = _QUOTED.search(text)
    assert found, "the source must quote the mean and its 95 % interval"
    numbers = [g for g in found.groups() if g is not None]
    return tuple(float(x.replace("−", "-")) for x in numbers)


@pytest.mark.parametrize("key", sorted(L.effect_sizes()))
def test_effect_size_priors_match_the_interval_quoted_in_their_source(key):
    """normal(mean, sd): mean and 95 % interval as quoted, sd = (upper - lower) / 3.92.

    A source whose sign convention is "negative = better" (less drinking) is restated with
    simpact's "positive = better", so the quoted interval may appear mirrored.
    """
    entry = L.effect_sizes()[key]
    mean, lower, upper = _quoted_interval(entry.source)
    if mean < 0 < entry.effect.mean():
        mean, lower, upper = -mean, -upper, -lower
        assert "sign flipped" in entry.note.lower(), f"{key}: say in note that the sign is flipped"
    assert isinstance(entry.effect, Normal)
    assert entry.effect.mean() == pytest.approx(mean)
    assert entry.effect.sd == pytest.approx((upper - lower) / (2 * 1.959964), abs=6e-4)
    assert entry.evidence in {"V", "S", "M"}


@pytest.mark.parametrize("key", sorted(L.heterogeneity()))
def test_heterogeneity_quantiles_follow_the_log_tau2_distribution(key):
    h = L.heterogeneity()[key]
    # the median of log(tau^2) is mu for both the normal and the (symmetric) t
    assert h.tau_quantile(0.5) == pytest.approx(math.sqrt(math.exp(h.mu)))
    z95 = 1.644854 if h.family == "normal" else 2.015048  # t(5) 95th percentile
    assert h.tau_quantile(0.95) == pytest.approx(math.sqrt(math.exp(h.mu + z95 * h.sigma)), 1e-5)


def test_rhodes_general_prior_has_the_published_median():
    # Rhodes et al. (2015) general setting: log(tau^2) ~ t5(-3.44, 2.59); median tau = 0.179
    assert L.heterogeneity()["smd_general"].tau_quantile(0.5) == pytest.approx(0.1791, abs=1e-4)


def test_heterogeneity_draws_are_reproducible_and_positive():
    import numpy as np

    h = L.heterogeneity()["lor_nonpharm_subjective"]
    a = h.draw(np.random.default_rng(3), 20_000)
    b = h.draw(np.random.default_rng(3), 20_000)
    assert (a == b).all() and (a > 0).all()
    assert np.median(a) == pytest.approx(h.tau_quantile(0.5), rel=0.05)


def test_cpi_2025_is_the_mean_of_the_twelve_monthly_values_quoted_in_the_source():
    text = (ROOT / "priors" / "cpi.toml").read_text(encoding="utf-8")
    months = re.search(r"monthly figures for 2025: ([\d., ]+)\)", text).group(1)
    values = [float(v) for v in months.split(", ")]
    assert len(values) == 12
    assert L.cpi()[2025] == pytest.approx(sum(values) / 12, abs=0.005)


def test_default_discount_rate_is_triangular_2_to_5_percent_around_3_5():
    rate = L.discount_rates()["default"].rate
    assert rate.bounds() == (0.02, 0.05)
    assert rate.mean() == pytest.approx(0.035)


_TWO_AGES = re.compile(r"first ES (-?\d+\.\d+) at age (\d+), second ES (-?\d+\.\d+) at age (\d+)")


def test_wsipp_test_score_retention_is_the_annual_rate_between_its_two_quoted_ages():
    entry = L.persistence()["wsipp_test_scores"]
    first, age1, second, age2 = map(float, _TWO_AGES.search(entry.source).groups())
    assert entry.retention.mean() == pytest.approx((second / first) ** (1 / (age2 - age1)), 1e-4)


def test_wsipp_no_decay_quotes_the_same_effect_at_both_ages():
    entry = L.persistence()["wsipp_no_decay"]
    assert isinstance(entry.retention, Fixed) and entry.retention.mean() == 1.0
    for row in re.findall(r"'([^']+)'", entry.source):
        cells = [c.strip() for c in row.split("|")]
        (es1, se1, age1), (es2, se2, age2) = cells[-6:-3], cells[-3:]
        assert (es1.split()[-1], se1) == (es2, se2), row  # effect size and its SE unchanged
        assert int(age2) >= int(age1)


def test_early_childhood_fadeout_reads_nearly_half_lost_in_a_year():
    entry = L.persistence()["early_childhood_fadeout"]
    assert "losing nearly half of their size within one year" in entry.source
    assert entry.retention.bounds() == (0.5, 0.6)


@pytest.mark.parametrize("key", sorted(L.persistence()))
def test_persistence_priors_are_sourced_shares(key):
    entry = L.persistence()[key]
    low, high = entry.retention.bounds()
    assert 0 <= low <= high <= 1
    assert entry.source.strip() and entry.applies_to.strip() and entry.evidence in {"V", "S", "M"}


def test_smd_prior_converts_to_log_odds_ratio_by_pi_over_root3():
    es = L.effect_sizes()["attendance_eklund2022"]
    lor = es.on_scale("log_odds_ratio")
    assert lor.mean() == pytest.approx(0.25 * 1.813799, rel=1e-6)  # pi / sqrt(3) = 1.8138
    assert lor.sd == pytest.approx(es.effect.sd * 1.813799, rel=1e-6)
    assert es.on_scale("smd") is es.effect


def test_log_tau_parameters_are_half_those_of_log_tau2():
    import numpy as np

    h = L.heterogeneity()["lor_nonpharm_mental_health"]
    p = h.log_tau()
    assert p == {"mu": -1.17, "sigma": 0.86}
    tau = np.exp(np.random.default_rng(1).normal(p["mu"], p["sigma"], 50_000))
    assert np.quantile(tau, 0.9) == pytest.approx(h.tau_quantile(0.9), rel=0.03)
