"""Model specs: one TOML file per intervention, validated into a frozen :class:`ModelSpec`.

A spec is data, never code: it names its components by registry key (an effect design, a unit
cost in ``priors/unit_costs.toml``, a paying actor in ``priors/actors.toml``, a retention in
``priors/persistence.toml`` or a discount rate in ``priors/discount_rates.toml``, see
:data:`PRIOR_REFERENCES`) and loading it never executes anything. ``models/template.toml``-style
comments in the bundled specs document each field.

Every problem is reported as a :class:`~simpact.errors.SpecError` naming the file and the dotted
field (``outcomes.2.payers``) and what was expected.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

from simpact import library
from simpact.errors import SpecError
from simpact.inputs import Distribution, Uncertain, as_dist

_TOLERANCE = 1e-9
_IDENTIFIER = r"^[a-z][a-z0-9_]*$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Intervention(_Strict):
    """What is appraised, where, and in which prices."""

    id: str = Field(pattern=_IDENTIFIER)
    name: str
    description: str = ""
    municipality: str = ""
    start_year: int = Field(ge=1900, le=2200, description="calendar year of project year 1")
    price_year: int = Field(description="price year of every SEK amount in results")


class DataSource(_Strict):
    """Where the follow-up data is (relative to the spec file) and whether it is synthetic."""

    path: str | None = None
    synthetic: bool = False
    description: str = ""


class Sampling(_Strict):
    """MCMC settings for the effect model."""

    draws: int = Field(1000, ge=100)
    tune: int = Field(1000, ge=100)
    chains: int = Field(4, ge=2)
    sampler: Literal["nutpie", "pymc"] = "nutpie"
    target_accept: float = Field(0.9, gt=0.5, lt=1)


class EffectSpec(_Strict):
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
    label: library.Label | None = None
    priors: dict[str, dict] = {}
    sampling: Sampling = Sampling()


class Cohort(_Strict):
    """Persons reached per project year (intakes)."""

    intake: dict[int, int]


class Haircuts(_Strict):
    """Shares deducted from every benefit, as in established appraisal models.

    Benefits are multiplied by ``(1 - deadweight) (1 - attribution) (1 - displacement)
    (1 - optimism_bias)``; ``attribution`` is the share owed to others than the intervention.
    """

    deadweight: Uncertain = as_dist(0.0)
    attribution: Uncertain = as_dist(0.0)
    displacement: Uncertain = as_dist(0.0)
    optimism_bias: Uncertain = as_dist(0.0)


class Persistence(_Strict):
    """How the effect on later events fades with the years since intake.

    ``kind`` is a key of :data:`simpact.simulation.PERSISTENCE`: ``"geometric"`` keeps a share
    ``retention`` (uncertain) of the effect each year, ``"step"`` keeps all of it for ``years``
    years and none after.
    """

    kind: str = "geometric"
    retention: Uncertain | None = None
    years: int | None = Field(None, ge=0)


class Correlation(_Strict):
    """A rank (Spearman) correlation between two named uncertain inputs (Gaussian copula).

    Inputs are named as in the ``inputs`` group: ``"<outcome>.unit_cost"``,
    ``"<outcome>.excess_risk"``, ``"retention"``, ``"haircuts.optimism_bias"``,
    ``"cashable.<actor>"``, ``"costs.<actor>.<year>"``, ``"discount_rate"``, ...
    """

    between: tuple[str, str]
    rho: float = Field(gt=-1, lt=1)


class Simulation(_Strict):
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


class Outcome(_Strict):
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
    label: library.Label | None = None
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


class Fund(_Strict):
    """The dubbelmodell: the fund part (repaid) and the frame-grant part (not repaid).

    ``fund_part``: money the project draws from the fund, by project year (SEK, >= 0);
    ``frame_grant``: money from the annual frame, not repaid; ``repayment``: shares of the
    principal due by project year (sum to 1, within ``horizon``); ``repaying_actors``: the
    municipal administrations whose cashable savings repay; ``rule``: a key of
    :data:`simpact.fund.RULES`; ``horizon``: last year arrears can be repaid (default the
    simulation's); ``return_cap``: for ``capped_return``, the most paid above the principal as
    a share of it (Norrköping's outcomes contract: 0.2).
    """

    fund_part: dict[int, float]
    frame_grant: dict[int, float] = {}
    repayment: dict[int, float] = {5: 0.5, 6: 0.5}
    repaying_actors: list[str]
    rule: str = "from_savings"
    horizon: int | None = Field(None, ge=1)
    return_cap: float = Field(0.2, ge=0, description="capped_return: most paid above principal")


class ModelSpec(_Strict):
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
            entry = library.unit_costs()[outcome.unit_cost]
            return entry.cost, library.price_factor(entry.price_year, self.intervention.price_year)
        year = outcome.unit_cost_price_year or self.intervention.price_year
        return outcome.unit_cost, library.price_factor(year, self.intervention.price_year)


PRIOR_REFERENCES: dict[str, tuple[Callable[[], dict], str, str]] = {
    "retention": (library.persistence, "retention", "priors/persistence.toml"),
    "discount_rate": (library.discount_rates, "rate", "priors/discount_rates.toml"),
}
"""Spec fields that may name a priors entry instead of giving a distribution, wherever they
appear (``simulation.retention = "wsipp_test_scores"``, an outcome's ``retention``, a
``persistence`` table's ``retention``, ``simulation.discount_rate = "default"``): field -> (the
priors loader, the entry's distribution attribute, the file to name in errors)."""


def _resolve_prior_references(raw: dict, *, source: str) -> dict:
    """A copy of ``raw`` with each priors key in a :data:`PRIOR_REFERENCES` field replaced by
    the entry's distribution (the spec's own text, kept for provenance, still names the key)."""

    def walk(node, path: str):
        if isinstance(node, list):
            return [walk(value, f"{path}.{i}") for i, value in enumerate(node)]
        if not isinstance(node, dict):
            return node
        out = {}
        for key, value in node.items():
            at = f"{path}.{key}" if path else str(key)
            if key in PRIOR_REFERENCES and isinstance(value, str):
                loader, attribute, file = PRIOR_REFERENCES[key]
                entries = loader()
                if value not in entries:
                    raise SpecError(
                        f"unknown {key} prior {value!r}; expected a key of {file} "
                        f"({', '.join(entries) or 'none defined'}) or a number or {{ dist = ... }}",
                        source=source,
                        field=at,
                    )
                out[key] = getattr(entries[value], attribute)
            else:
                out[key] = walk(value, at)
        return out

    return walk(raw, "")


def load_model(spec: str | Path | dict | ModelSpec) -> ModelSpec:
    """Load and validate an intervention spec.

    Parameters
    ----------
    spec
        Path to a TOML file, a name of a bundled model (``"nata"``), an already parsed dict
        (relative data paths then resolve against the working directory), or a ``ModelSpec``.

    Returns
    -------
    ModelSpec
        The frozen, validated spec.

    Raises
    ------
    SpecError
        Malformed TOML, an unknown key, a missing field, shares that do not sum to 1, an unknown
        actor, unit cost or priors key, ... -- naming the file and the field.

    Examples
    --------
    >>> spec = load_model("nata")
    >>> spec.intervention.id
    'nata'
    """
    if isinstance(spec, ModelSpec):
        return spec
    if isinstance(spec, dict):
        raw, source, base = spec, "dict", Path.cwd()
    else:
        path = Path(spec)
        if not path.suffix and not path.exists():
            path = library.library_dir("models") / f"{spec}.toml"
        raw, source, base = library.read_toml(path), str(path), path.resolve().parent
    library.check_schema_version(raw, source=source)
    resolved = _resolve_prior_references(raw, source=source)
    model = library.validated(ModelSpec, resolved, source=source)
    model._source, model._base, model._raw = source, base, raw
    _check(model)
    return model


def _check(spec: ModelSpec) -> None:
    """Cross-field checks pydantic cannot express: keys that must exist, shares, timing."""
    src = spec.source
    actors = library.actors()
    horizon = spec.simulation.horizon

    def fail(field: str, message: str) -> None:
        raise SpecError(message, source=src, field=field)

    def check_actor(field: str, name: str) -> None:
        if name not in actors:
            fail(field, f"unknown actor {name!r}; expected one of {', '.join(actors)}")

    def check_share(field: str, dist: Distribution) -> None:
        low, high = dist.bounds()
        if low < 0 or high > 1:
            fail(field, f"a share or probability must lie in [0, 1]; this one spans {low}–{high}")

    def check_years(field: str, years, *, first: int = 1) -> None:
        for year in years:
            if not first <= year <= horizon:
                fail(field, f"year {year} is outside the horizon {first}–{horizon}")

    intake = spec.cohort.intake
    check_years("cohort.intake", intake)
    for year, persons in intake.items():
        if persons < 0:
            fail(f"cohort.intake.{year}", f"a cohort size cannot be negative, got {persons}")
    last_intake = max(intake, default=1)

    sim = spec.simulation
    low, high = sim.discount_rate.bounds()
    if low <= -1 or high > 1:
        fail("simulation.discount_rate", f"a rate must lie in (-1, 1]; this one spans {low}–{high}")
    check_share("simulation.retention", sim.retention)
    for name in Haircuts.model_fields:
        check_share(f"simulation.haircuts.{name}", getattr(sim.haircuts, name))
    for actor, dist in sim.cashable.items():
        check_actor(f"simulation.cashable.{actor}", actor)
        check_share(f"simulation.cashable.{actor}", dist)

    names = [o.name for o in spec.outcomes]
    for i, outcome in enumerate(spec.outcomes):
        at = f"outcomes.{i}"
        if names.count(outcome.name) > 1:
            fail(f"{at}.name", f"outcome {outcome.name!r} is declared twice")
        for key in ("excess_risk", "excess_risk_per_unit", "baseline_risk", "retention"):
            if getattr(outcome, key) is not None:
                check_share(f"{at}.{key}", getattr(outcome, key))
        if outcome.quantity.bounds()[0] < 0:
            fail(f"{at}.quantity", "a quantity per event cannot be negative")
        if isinstance(outcome.unit_cost, str):
            if outcome.unit_cost not in library.unit_costs():
                fail(
                    f"{at}.unit_cost",
                    f"unknown unit cost {outcome.unit_cost!r}; expected a key of "
                    f"priors/unit_costs.toml ({', '.join(library.unit_costs())}) or an inline "
                    "{ dist = ... } table",
                )
        elif outcome.unit_cost.bounds()[0] < 0:
            fail(f"{at}.unit_cost", "a unit cost cannot be negative")
        for actor, share in outcome.payers.items():
            check_actor(f"{at}.payers.{actor}", actor)
            if not 0 <= share <= 1:
                fail(f"{at}.payers.{actor}", f"a payer share must lie in [0, 1], got {share}")
        total = sum(outcome.payers.values())
        if abs(total - 1) > _TOLERANCE:
            fail(f"{at}.payers", f"shares must sum to 1, they sum to {total}")
        if any(lag < 0 for lag in outcome.timing):
            fail(f"{at}.timing", "lags (years after intake) cannot be negative")
        if any(share < 0 for share in outcome.timing.values()):
            fail(f"{at}.timing", "timing shares cannot be negative")
        total = sum(outcome.timing.values())
        if abs(total - 1) > _TOLERANCE:
            fail(f"{at}.timing", f"shares must sum to 1, they sum to {total}")
        if last_intake + max(outcome.timing) > horizon:
            fail(
                f"{at}.timing",
                f"the profile runs to lag {max(outcome.timing)}, so the intake of year "
                f"{last_intake} reaches year {last_intake + max(outcome.timing)}, beyond the "
                f"horizon {horizon}; lengthen simulation.horizon or shorten the profile",
            )

    for actor, by_year in spec.costs.items():
        check_actor(f"costs.{actor}", actor)
        check_years(f"costs.{actor}", by_year)
        for year, dist in by_year.items():
            if dist.bounds()[0] < 0:
                fail(f"costs.{actor}.{year}", "a cost cannot be negative")

    fund = spec.fund
    for part in ("fund_part", "frame_grant"):
        amounts = getattr(fund, part)
        check_years(f"fund.{part}", amounts)
        for year, amount in amounts.items():
            if amount < 0:
                fail(f"fund.{part}.{year}", f"an allocation cannot be negative, got {amount}")
    if fund.horizon is not None and fund.horizon > horizon:
        fail("fund.horizon", f"{fund.horizon} is beyond simulation.horizon {horizon}")
    check_years("fund.repayment", fund.repayment)
    if any(year > spec.fund_horizon for year in fund.repayment):
        fail("fund.repayment", f"a repayment year lies beyond fund.horizon {spec.fund_horizon}")
    if any(share < 0 for share in fund.repayment.values()):
        fail("fund.repayment", "repayment shares cannot be negative")
    if abs(sum(fund.repayment.values()) - 1) > _TOLERANCE:
        fail("fund.repayment", f"shares must sum to 1, they sum to {sum(fund.repayment.values())}")
    principal = sum(fund.fund_part.values())
    due = drawn = 0.0
    for year in sorted(set(fund.repayment) | set(fund.fund_part)):
        due += fund.repayment.get(year, 0.0) * principal
        drawn += fund.fund_part.get(year, 0.0)
        if due > drawn + 1e-6 * max(principal, 1.0):
            fail("fund.repayment", f"the plan repays money before it is drawn (year {year})")
    from simpact.fund import RULES  # the fund stage owns the rule registry

    if fund.rule not in RULES:
        fail(
            "fund.rule", f"unknown repayment rule {fund.rule!r}; expected one of {', '.join(RULES)}"
        )
    if not fund.repaying_actors:
        fail("fund.repaying_actors", "name at least one administration that repays")
    for actor in fund.repaying_actors:
        check_actor("fund.repaying_actors", actor)
        if actors[actor].level != "municipality":
            fail(
                "fund.repaying_actors",
                f"{actor!r} is at {actors[actor].level} level; only the municipality's own "
                "administrations can repay the fund part",
            )

    from simpact.simulation.core import check_simulation  # the link and persistence registries

    check_simulation(spec)
