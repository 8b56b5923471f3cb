"""Model specs: one TOML file per intervention, validated into a frozen :class:`ModelSpec`.

A spec is data, never code: it names its components by registry key (an effect design, a unit
cost in ``priors/unit_costs.toml``, a paying actor in ``priors/actors.toml``, a retention in
``priors/persistence.toml`` or a discount rate in ``priors/discount_rates.toml``, see
:data:`PRIOR_REFERENCES`) and loading it never executes anything. ``models/template.toml``-style
comments in the bundled specs document each field.

Every problem is reported as a :class:`~simpact.base.errors.SpecError` naming the file and
the dotted field (``outcomes.2.payers``) and what was expected.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

from pydantic import Field, PrivateAttr

from simpact.components.distributions import Distribution, Uncertain, as_dist
from simpact.components.rules import FundTerms
from simpact.config import priors
from simpact.config.entries import Label
from simpact.config.toml import Strict

_IDENTIFIER = r"^[a-z][a-z0-9_]*$"


class Intervention(Strict):
    """What is appraised, where, and in which prices."""

    id: str = Field(pattern=_IDENTIFIER)
    name: str
    description: str = ""
    municipality: str = ""
    start_year: int = Field(ge=1900, le=2200, description="calendar year of project year 1")
    price_year: int = Field(description="price year of every SEK amount in results")


class DataSource(Strict):
    """Where the follow-up data is (relative to the spec file; ``sheet``: which sheet of an .xlsx
    workbook) and whether it is synthetic."""

    path: str | None = None
    sheet: str | None = None
    synthetic: bool = False
    description: str = ""


class Sampling(Strict):
    """MCMC settings for the effect model."""

    draws: int = Field(1000, ge=100)
    tune: int = Field(1000, ge=100)
    chains: int = Field(4, ge=2)
    sampler: Literal["nutpie", "pymc"] = "nutpie"
    target_accept: float = Field(0.9, gt=0.5, lt=1)


class EffectSpec(Strict):
    """The effect model: a design from :data:`simpact.effects.DESIGNS` and its columns.

    ``design`` is ``"two_group"``, ``"did"`` or ``"its"``; ``family`` one of
    :data:`simpact.effects.FAMILIES`. Column roles: ``outcome``; ``group`` (0/1 treated, for
    two_group and did); ``period`` with labels ``pre``/``post`` (did); ``time`` and ``start``
    (its); ``unit`` (panel id); ``trials`` (n of "k of n", binomial); ``exposure`` (e.g. days
    enrolled, poisson/negbin); ``site`` (partial pooling across sites).
    """

    design: str
    family: str = "bernoulli"
    outcome: str
    group: str | None = None
    period: str | None = None
    pre: str = "pre"
    post: str = "post"
    unit: str | None = None
    trials: str | None = None
    exposure: str | None = None
    site: str | None = None
    time: str | None = None
    start: float | None = None
    better: Literal["lower", "higher"] = "lower"
    label: Label | None = None
    priors: dict[str, dict] = {}
    sampling: Sampling = Sampling()


class Cohort(Strict):
    """Persons reached per project year (intakes)."""

    intake: dict[int, int]


class Haircuts(Strict):
    """Shares deducted from every benefit, as in established appraisal models.

    Benefits are multiplied by ``(1 - deadweight) (1 - attribution) (1 - displacement)
    (1 - optimism_bias)``; ``attribution`` is the share owed to others than the intervention.
    """

    deadweight: Uncertain = as_dist(0.0)
    attribution: Uncertain = as_dist(0.0)
    displacement: Uncertain = as_dist(0.0)
    optimism_bias: Uncertain = as_dist(0.0)


class Persistence(Strict):
    """How the effect on later events fades with the years since intake.

    ``kind`` is a key of :data:`simpact.simulation.PERSISTENCE`: ``"geometric"`` keeps a share
    ``retention`` (uncertain) of the effect each year, ``"step"`` keeps all of it for ``years``
    years and none after.
    """

    kind: str = "geometric"
    retention: Uncertain | None = None
    years: int | None = Field(None, ge=0)


class Correlation(Strict):
    """A rank (Spearman) correlation between two named uncertain inputs (Gaussian copula).

    Inputs are named as in the ``inputs`` group: ``"<outcome>.unit_cost"``,
    ``"<outcome>.excess_risk"``, ``"retention"``, ``"haircuts.optimism_bias"``,
    ``"cashable.<actor>"``, ``"costs.<actor>.<year>"``, ``"discount_rate"``, ...
    """

    between: tuple[str, str]
    rho: float = Field(gt=-1, lt=1)


class Simulation(Strict):
    """Monte Carlo settings and inputs shared by all outcomes.

    ``mode`` is ``"expected"`` (mean event counts) or ``"realized"`` (binomial counts for risks,
    Poisson counts for rates, for the finite cohort). ``retention`` is shorthand for a geometric
    ``persistence`` shared by all outcomes (one draw per iteration); give one or the other.
    ``correlations`` rank-correlate named inputs through a Gaussian copula.
    """

    horizon: int = Field(ge=1, le=100)
    discount_rate: Uncertain = as_dist(0.035)
    retention: Uncertain = as_dist(1.0)
    persistence: Persistence | None = None
    haircuts: Haircuts = Haircuts()
    cashable: dict[str, Uncertain] = {}
    correlations: list[Correlation] = []
    mode: Literal["expected", "realized"] = "expected"
    draws: int | None = Field(None, ge=1)

    @property
    def shared_persistence(self) -> Persistence:
        """The persistence outcomes use unless they declare their own."""
        if self.persistence is not None:
            return self.persistence
        return Persistence(kind="geometric", retention=self.retention)

    def persistence_of(self, outcome: Outcome) -> Persistence | None:
        """``outcome``'s own persistence, or ``None`` if it uses :attr:`shared_persistence`."""
        if outcome.persistence is not None:
            return outcome.persistence
        if outcome.retention is not None:
            return Persistence(kind="geometric", retention=outcome.retention)
        return None


class Outcome(Strict):
    """One outcome -> cost chain: a costly event the intervention makes rarer.

    ``effect`` names the link (:data:`simpact.simulation.EFFECT_LINKS`); the link reads its
    effect scale from the fit, or from ``effect_prior`` (on that scale) when given, so a chain
    can be simulated without follow-up data. ``retention`` is shorthand for a geometric
    ``persistence`` of this outcome. Each link names the inputs it needs: ``excess_risk``
    (``linked``), ``baseline_risk`` (``relative``), ``baseline_rate`` (``rate``),
    ``excess_risk_per_unit`` (``per_unit``: the fall in the event's risk per point of
    improvement in a continuous outcome's mean).
    """

    name: str = Field(pattern=_IDENTIFIER)
    label: Label | None = None
    effect: str = "linked"
    effect_prior: Uncertain | None = None
    excess_risk: Uncertain | None = None
    excess_risk_per_unit: Uncertain | None = None
    baseline_risk: Uncertain | None = None
    baseline_rate: Uncertain | None = None
    quantity: Uncertain = as_dist(1.0)
    unit_cost: str | Uncertain
    unit_cost_price_year: int | None = None
    timing: dict[int, float]
    retention: Uncertain | None = None
    persistence: Persistence | None = None
    payers: dict[str, float]
    note: str = ""


class Fund(Strict):
    """The dubbelmodell: the fund part (repaid) and the frame-grant part (not repaid).

    ``fund_part``: money the project draws from the fund, by project year (SEK, >= 0);
    ``frame_grant``: money from the annual frame, not repaid; ``repayment``: shares of the
    principal due by project year (sum to 1, within ``horizon``); ``repaying_actors``: the
    municipal administrations whose cashable savings repay; ``rule``: a key of
    :data:`~simpact.components.rules.RULES`; ``horizon``: last year arrears can be repaid (default
    the simulation's); ``return_cap``: for ``capped_return``, the most paid above the principal as
    a share of it (Norrköping's outcomes contract: 0.2).
    """

    fund_part: dict[int, float]
    frame_grant: dict[int, float] = {}
    repayment: dict[int, float] = {5: 0.5, 6: 0.5}
    repaying_actors: list[str]
    rule: str = "from_savings"
    horizon: int | None = Field(None, ge=1)
    return_cap: float = Field(0.2, ge=0, description="capped_return: most paid above principal")

    def terms(self, horizon: int | None = None) -> FundTerms:
        """The repayment terms every fund path uses, built here once.

        Instalments are the ``repayment`` shares of the principal (the sum of ``fund_part``);
        ``horizon`` is the default for ``self.horizon`` (pass the simulation's).
        """
        principal = sum(self.fund_part.values())
        return FundTerms(
            due={year: share * principal for year, share in self.repayment.items()},
            drawn=dict(self.fund_part),
            rule=self.rule,
            cap=self.return_cap,
            horizon=self.horizon or horizon,
        )


class ModelSpec(Strict):
    """A validated intervention spec. Build it with :func:`load_model`."""

    schema_version: int
    intervention: Intervention
    data: DataSource = DataSource()
    effect: EffectSpec
    cohort: Cohort
    simulation: Simulation
    outcomes: list[Outcome] = Field(min_length=1)
    costs: dict[str, dict[int, Uncertain]] = {}
    fund: Fund

    _source: str = PrivateAttr("dict")
    _base: Path = PrivateAttr(default_factory=Path.cwd)
    _raw: dict = PrivateAttr(default_factory=dict)

    def locate(self, *, source: str, base: Path, raw: dict) -> None:
        """Record where the spec came from (called once by :func:`~simpact.config.load_model`)."""
        self._source, self._base, self._raw = source, base, raw

    @property
    def source(self) -> str:
        """The file the spec was read from (or ``"dict"``)."""
        return self._source

    @property
    def data_path(self) -> Path | None:
        """The follow-up data file, resolved relative to the spec file."""
        return None if self.data.path is None else (self._base / self.data.path).resolve()

    @property
    def fund_horizon(self) -> int:
        """The last year arrears can be repaid (defaults to the simulation horizon)."""
        return self.fund.horizon or self.simulation.horizon

    def to_json(self) -> str:
        """The spec as it was given, as JSON (for provenance; :func:`load_model` reads it back)."""
        return json.dumps(self._raw, ensure_ascii=False, sort_keys=True, default=str)

    def unit_cost(self, outcome: Outcome) -> tuple[Distribution, float]:
        """An outcome's unit-cost distribution and the factor converting it to ``price_year``."""
        if isinstance(outcome.unit_cost, str):
            entry = priors.unit_costs()[outcome.unit_cost]
            return entry.cost, priors.price_factor(entry.price_year, self.intervention.price_year)
        year = outcome.unit_cost_price_year or self.intervention.price_year
        return outcome.unit_cost, priors.price_factor(year, self.intervention.price_year)
