"""Schemas of the priors library's entries and files (one file schema per kind, :data:`KINDS`).

Every entry names its ``source``; money also its ``price_year``. Markers in sources: [V] read at
the source, [S] from a secondary copy, [M] widely cited but not re-checked.
"""

from __future__ import annotations

import math
from typing import Literal

import numpy as np
from pydantic import Field, field_validator, model_validator

from simpact.base.errors import SpecError
from simpact.components.distributions import Distribution, Normal, Uncertain
from simpact.config.toml import Strict


class Label(Strict):
    en: str
    sv: str


Evidence = Literal["V", "S", "M"]
"""How a figure was checked: [V] read at the source, [S] secondary copy, [M] widely cited."""

_Source = Field(min_length=1, description="authors, year, title, table/page; and a URL if any")


class UnitCost(Strict):
    """A sourced unit cost: a distribution in SEK at ``price_year``."""

    label: Label
    unit: str
    price_year: int
    cost: Uncertain
    source: str = _Source
    note: str = ""

    @field_validator("cost")
    @classmethod
    def _non_negative(cls, cost):
        if cost.bounds()[0] < 0:
            raise ValueError("a unit cost cannot be negative")
        return cost


class Actor(Strict):
    """A paying actor; only ``level = "municipality"`` actors can repay the fund part."""

    level: Literal["municipality", "region", "state", "individual"]
    label: Label


class EffectSize(Strict):
    """A literature prior for an intervention type's effect, on a stated ``scale``.

    ``effect`` is the distribution of the mean effect (e.g. normal with the meta-analytic mean
    and its standard error). Positive values mean the intervention *improves* the outcome
    (the source's sign convention is restated in ``note``).
    """

    label: Label
    intervention: str = Field(min_length=1)
    outcome: str = Field(min_length=1)
    population: str = ""
    scale: Literal["smd", "log_odds_ratio", "log_risk_ratio", "days"]
    effect: Uncertain
    source: str = _Source
    evidence: Evidence
    note: str = ""

    def on_scale(self, scale: Literal["smd", "log_odds_ratio"]) -> Distribution:
        """The prior expressed on another scale (normal priors between SMD and log odds ratio).

        Uses ln(OR) = SMD * pi / sqrt(3) (Chinn 2000, Statistics in Medicine 19:3127-3131;
        Borenstein et al. 2009, *Introduction to Meta-Analysis*, ch. 7). The sign convention is
        kept: positive = better, so for a costly event (absence, placement) the log odds ratio of
        the event is the negative of the result.

        Examples
        --------
        >>> from simpact.config import effect_sizes
        >>> es = effect_sizes()["attendance_eklund2022"]
        >>> round(es.on_scale("log_odds_ratio").mean(), 4)
        0.4534
        """
        if scale == self.scale:
            return self.effect
        factor = {
            ("smd", "log_odds_ratio"): _SMD_TO_LOG_OR,
            ("log_odds_ratio", "smd"): 1 / _SMD_TO_LOG_OR,
        }.get((self.scale, scale))
        if factor is None:
            raise SpecError(f"no conversion from {self.scale} to {scale}", field="scale")
        if not isinstance(self.effect, Normal):
            raise SpecError("only a normal effect prior can change scale", field="effect")
        return Normal(dist="normal", mean=self.effect.mean() * factor, sd=self.effect.sd * factor)


_SMD_TO_LOG_OR = math.pi / math.sqrt(3)
"""ln(OR) = SMD * pi / sqrt(3): the logistic distribution's standard deviation (Chinn 2000)."""


class Heterogeneity(Strict):
    """A predictive prior for between-site heterogeneity: a distribution of ``log(tau**2)``.

    ``family = "normal"`` is a log-normal prior on tau^2 (Turner et al. 2015, log odds
    ratios); ``"student_t"`` a log-t prior with ``nu`` degrees of freedom (Rhodes et al. 2015,
    standardised mean differences). ``mu``/``sigma`` are the location and scale of log(tau^2).
    """

    label: Label
    scale: Literal["smd", "log_odds_ratio"]
    family: Literal["normal", "student_t"]
    mu: float
    sigma: float = Field(gt=0)
    nu: float | None = Field(None, gt=0)
    setting: str = ""
    source: str = _Source
    evidence: Evidence
    note: str = ""

    @model_validator(mode="after")
    def _nu(self) -> Heterogeneity:
        if (self.family == "student_t") != (self.nu is not None):
            raise ValueError("`nu` (degrees of freedom) is required for, and only for, student_t")
        return self

    def _dist(self):
        from scipy import stats  # on first use: loading priors does not import SciPy

        if self.family == "normal":
            return stats.norm(self.mu, self.sigma)
        return stats.t(self.nu, self.mu, self.sigma)

    def tau_quantile(self, q: float | np.ndarray) -> float | np.ndarray:
        """Quantile(s) of tau (the between-site standard deviation).

        Examples
        --------
        >>> h = Heterogeneity(label={"en": "x", "sv": "x"}, scale="smd", family="normal",
        ...                   mu=0.0, sigma=1.0, source="s", evidence="M")
        >>> float(h.tau_quantile(0.5))
        1.0
        """
        return np.sqrt(np.exp(self._dist().ppf(q)))

    def log_tau(self) -> dict[str, float]:
        """Parameters of log(tau) (half those of log(tau^2)), e.g. for a PyMC prior.

        ``family = "normal"``: ``pm.LogNormal("tau", mu=p["mu"], sigma=p["sigma"])``;
        ``"student_t"``: ``tau = exp(p["mu"] + p["sigma"] * StudentT(nu=p["nu"]))``.

        Examples
        --------
        >>> from simpact.config import heterogeneity
        >>> heterogeneity()["smd_general"].log_tau()
        {'mu': -1.72, 'sigma': 1.295, 'nu': 5.0}
        """
        params = {"mu": self.mu / 2, "sigma": self.sigma / 2}
        if self.nu is not None:
            params["nu"] = float(self.nu)
        return params

    def draw(self, rng: np.random.Generator, size: int) -> np.ndarray:
        """Draws of tau."""
        return np.sqrt(np.exp(self._dist().rvs(size=size, random_state=rng)))


class Persistence(Strict):
    """Retention of a programme effect per year after the programme (1 = no drop-off)."""

    label: Label
    retention: Uncertain
    applies_to: str = ""
    source: str = _Source
    evidence: Evidence
    note: str = ""

    @field_validator("retention")
    @classmethod
    def _share(cls, retention):
        low, high = retention.bounds()
        if low < 0 or high > 1:
            raise ValueError(f"a retention share must lie in [0, 1]; this one spans {low}–{high}")
        return retention


class DiscountRate(Strict):
    """A real discount-rate distribution (per year)."""

    label: Label
    rate: Uncertain
    source: str = _Source
    evidence: Evidence
    note: str = ""

    @field_validator("rate")
    @classmethod
    def _rate(cls, rate):
        low, high = rate.bounds()
        if low <= -1 or high > 1:
            raise ValueError(f"a rate must lie in (-1, 1]; this one spans {low}–{high}")
        return rate


# --------------------------------------------------------------------------------------------
# File schemas, one per kind; KINDS maps the kind (= its table name) to the file schema
# --------------------------------------------------------------------------------------------


class File(Strict):
    schema_version: int


class _UnitCostFile(File):
    kind: Literal["unit_costs"] = "unit_costs"
    unit_costs: dict[str, UnitCost]


class _ActorFile(File):
    kind: Literal["actors"] = "actors"
    actors: dict[str, Actor]


class _CpiFile(File):
    kind: Literal["cpi"] = "cpi"
    name: str
    source: str = _Source
    base: str
    index: dict[int, float]

    @field_validator("index")
    @classmethod
    def _positive(cls, index):
        bad = [year for year, value in index.items() if not value > 0]
        if bad:
            raise ValueError(f"index values must be > 0 (years {bad})")
        return index


class _EffectSizeFile(File):
    kind: Literal["effect_sizes"] = "effect_sizes"
    effect_sizes: dict[str, EffectSize]


class _HeterogeneityFile(File):
    kind: Literal["heterogeneity"] = "heterogeneity"
    heterogeneity: dict[str, Heterogeneity]


class _PersistenceFile(File):
    kind: Literal["persistence"] = "persistence"
    persistence: dict[str, Persistence] = {}


class _DiscountFile(File):
    kind: Literal["discount_rates"] = "discount_rates"
    discount_rates: dict[str, DiscountRate]


KINDS: dict[str, tuple[type[File], str]] = {
    "unit_costs": (_UnitCostFile, "unit_costs"),
    "actors": (_ActorFile, "actors"),
    "cpi": (_CpiFile, "index"),
    "effect_sizes": (_EffectSizeFile, "effect_sizes"),
    "heterogeneity": (_HeterogeneityFile, "heterogeneity"),
    "persistence": (_PersistenceFile, "persistence"),
    "discount_rates": (_DiscountFile, "discount_rates"),
}
"""Registry of priors-file kinds: kind -> (file schema, the table holding its entries)."""
