"""Cross-field checks of a spec that pydantic cannot express: keys that must exist, shares,
timing, the fund's schedule, the links' and persistence kinds' needs, correlations.

Each check raises a :class:`~simpact.base.errors.SpecError` naming the file and the field.
"""

from __future__ import annotations

from simpact.base import scales
from simpact.base.errors import SpecError
from simpact.components.distributions import Distribution, Fixed
from simpact.components.links import EFFECT_LINKS
from simpact.components.persistence import PERSISTENCE
from simpact.components.rules import RULES
from simpact.config import priors
from simpact.config.inputs import copula, input_names
from simpact.config.spec import Haircuts, ModelSpec, Outcome, Persistence

_TOLERANCE = 1e-9


def check_spec(spec: ModelSpec) -> None:
    """Every cross-field check of ``spec``; the first problem raises its ``SpecError``."""
    checks = _Checks(spec)
    checks.cohort()
    checks.simulation()
    for i, outcome in enumerate(spec.outcomes):
        checks.outcome(f"outcomes.{i}", outcome)
        checks.outcome_link(f"outcomes.{i}", outcome)
    checks.costs()
    checks.fund_amounts()
    checks.fund_schedule()
    checks.repaying_actors()
    checks.correlations()
    copula(spec)


DISCOUNT_RANGE = (-0.05, 0.15)
"""Plausible real discount rates per year: outside it a rate is almost surely a typo (35 for
0.035, or a percentage with the wrong sign), so the spec is refused."""


class _Checks:
    """The checks of one spec, each a method; ``fail`` raises the one-line error."""

    def __init__(self, spec: ModelSpec) -> None:
        self.spec = spec
        self.actors = priors.actors()
        self.horizon = spec.simulation.horizon

    def fail(self, field: str, message: str) -> None:
        raise SpecError(message, source=self.spec.source, field=field)

    def actor(self, field: str, name: str) -> None:
        if name not in self.actors:
            self.fail(field, f"unknown actor {name!r}; expected one of {', '.join(self.actors)}")

    def share(self, field: str, dist: Distribution) -> None:
        low, high = dist.bounds()
        if low < 0 or high > 1:
            self.fail(
                field, f"a share or probability must lie in [0, 1]; this one spans {low}–{high}"
            )

    def years(self, field: str, years) -> None:
        for year in years:
            if not 1 <= year <= self.horizon:
                self.fail(field, f"year {year} is outside the horizon 1–{self.horizon}")

    def sums_to_one(self, field: str, values) -> None:
        total = sum(values)
        if abs(total - 1) > _TOLERANCE:
            self.fail(field, f"shares must sum to 1, they sum to {total}")

    def cohort(self) -> None:
        intake = self.spec.cohort.intake
        self.years("cohort.intake", intake)
        for year, persons in intake.items():
            if persons < 0:
                self.fail(
                    f"cohort.intake.{year}", f"a cohort size cannot be negative, got {persons}"
                )

    def simulation(self) -> None:
        sim = self.spec.simulation
        low, high = sim.discount_rate.bounds()
        mean = sim.discount_rate.mean()
        if not DISCOUNT_RANGE[0] <= mean <= DISCOUNT_RANGE[1] or low <= -1 or high > 1:
            self.fail(
                "simulation.discount_rate",
                f"a real discount rate per year must lie in {DISCOUNT_RANGE[0]:g}–"
                f"{DISCOUNT_RANGE[1]:g} on average (3.5 % is written 0.035) and in (-1, 1]; "
                f"this one has mean {mean:g} and spans {low:g}–{high:g}",
            )
        self.share("simulation.retention", sim.retention)
        for name in Haircuts.model_fields:
            self.share(f"simulation.haircuts.{name}", getattr(sim.haircuts, name))
        for actor, dist in sim.cashable.items():
            self.actor(f"simulation.cashable.{actor}", actor)
            self.share(f"simulation.cashable.{actor}", dist)
        if sim.persistence is not None:
            if "retention" in sim.model_fields_set:
                self.fail(
                    "simulation.retention",
                    "give either simulation.retention or simulation.persistence, not both",
                )
            self.persistence("simulation.persistence", sim.persistence)

    def persistence(self, where: str, p: Persistence) -> None:
        if p.kind not in PERSISTENCE:
            self.fail(
                f"{where}.kind",
                f"unknown persistence {p.kind!r}; expected one of {', '.join(PERSISTENCE)}",
            )
        for key in PERSISTENCE[p.kind].needs:
            if getattr(p, key) is None:
                self.fail(f"{where}.{key}", f"persistence {p.kind!r} needs {key}")
        if p.retention is not None:
            low, high = p.retention.bounds()
            if low < 0 or high > 1:
                self.fail(
                    f"{where}.retention",
                    f"a retention must lie in [0, 1]; this one spans {low}–{high}",
                )

    def outcome(self, at: str, outcome: Outcome) -> None:
        if [o.name for o in self.spec.outcomes].count(outcome.name) > 1:
            self.fail(f"{at}.name", f"outcome {outcome.name!r} is declared twice")
        for key in ("excess_risk", "excess_risk_per_unit", "baseline_risk", "retention"):
            if getattr(outcome, key) is not None:
                self.share(f"{at}.{key}", getattr(outcome, key))
        if outcome.quantity.bounds()[0] < 0:
            self.fail(f"{at}.quantity", "a quantity per event cannot be negative")
        self.unit_cost(at, outcome)
        for actor, share in outcome.payers.items():
            self.actor(f"{at}.payers.{actor}", actor)
            if not 0 <= share <= 1:
                self.fail(f"{at}.payers.{actor}", f"a payer share must lie in [0, 1], got {share}")
        self.sums_to_one(f"{at}.payers", outcome.payers.values())
        self.timing(at, outcome)

    def unit_cost(self, at: str, outcome: Outcome) -> None:
        if isinstance(outcome.unit_cost, str):
            known = priors.unit_costs()
            if outcome.unit_cost not in known:
                self.fail(
                    f"{at}.unit_cost",
                    f"unknown unit cost {outcome.unit_cost!r}; expected a key of "
                    f"priors/unit_costs.toml ({', '.join(known)}) or an inline "
                    "{ dist = ... } table",
                )
        elif outcome.unit_cost.bounds()[0] < 0:
            self.fail(f"{at}.unit_cost", "a unit cost cannot be negative")

    def timing(self, at: str, outcome: Outcome) -> None:
        if any(lag < 0 for lag in outcome.timing):
            self.fail(f"{at}.timing", "lags (years after intake) cannot be negative")
        if any(share < 0 for share in outcome.timing.values()):
            self.fail(f"{at}.timing", "timing shares cannot be negative")
        self.sums_to_one(f"{at}.timing", outcome.timing.values())
        last_intake = max(self.spec.cohort.intake, default=1)
        last_lag = max(outcome.timing)
        if last_intake + last_lag > self.horizon:
            self.fail(
                f"{at}.timing",
                f"the profile runs to lag {last_lag}, so the intake of year {last_intake} "
                f"reaches year {last_intake + last_lag}, beyond the horizon {self.horizon}; "
                "lengthen simulation.horizon or shorten the profile",
            )

    def outcome_link(self, at: str, outcome: Outcome) -> None:
        if outcome.effect not in EFFECT_LINKS:
            self.fail(
                f"{at}.effect",
                f"unknown effect link {outcome.effect!r}; "
                f"expected one of {', '.join(EFFECT_LINKS)}",
            )
        link = EFFECT_LINKS[outcome.effect]
        for key in link.needs:
            if getattr(outcome, key) is None:
                self.fail(f"{at}.{key}", f"effect link {outcome.effect!r} needs {key}")
        if outcome.baseline_rate is not None and outcome.baseline_rate.bounds()[0] < 0:
            self.fail(f"{at}.baseline_rate", "a rate of events cannot be negative")
        prior = outcome.effect_prior
        if prior is not None and scales.get(link.scale).is_ratio and prior.bounds()[0] < 0:
            self.fail(
                f"{at}.effect_prior",
                f"a {scales.get(link.scale).label['en']} cannot be negative; "
                "use a lognormal or gamma",
            )
        if outcome.persistence is not None:
            if outcome.retention is not None:
                self.fail(f"{at}.retention", "give either retention or persistence, not both")
            self.persistence(f"{at}.persistence", outcome.persistence)

    def costs(self) -> None:
        for actor, by_year in self.spec.costs.items():
            self.actor(f"costs.{actor}", actor)
            self.years(f"costs.{actor}", by_year)
            for year, dist in by_year.items():
                if dist.bounds()[0] < 0:
                    self.fail(f"costs.{actor}.{year}", "a cost cannot be negative")

    def fund_amounts(self) -> None:
        fund = self.spec.fund
        for part in ("fund_part", "frame_grant"):
            amounts = getattr(fund, part)
            self.years(f"fund.{part}", amounts)
            for year, amount in amounts.items():
                if amount < 0:
                    self.fail(
                        f"fund.{part}.{year}", f"an allocation cannot be negative, got {amount}"
                    )
        if fund.horizon is not None and fund.horizon > self.horizon:
            self.fail("fund.horizon", f"{fund.horizon} is beyond simulation.horizon {self.horizon}")
        if fund.rule not in RULES:
            self.fail(
                "fund.rule",
                f"unknown repayment rule {fund.rule!r}; expected one of {', '.join(RULES)}",
            )

    def fund_schedule(self) -> None:
        fund, last = self.spec.fund, self.spec.fund_horizon
        self.years("fund.repayment", fund.repayment)
        if any(year > last for year in fund.repayment):
            self.fail("fund.repayment", f"a repayment year lies beyond fund.horizon {last}")
        if any(share < 0 for share in fund.repayment.values()):
            self.fail("fund.repayment", "repayment shares cannot be negative")
        self.sums_to_one("fund.repayment", fund.repayment.values())
        principal = sum(fund.fund_part.values())
        due = drawn = 0.0
        for year in sorted(set(fund.repayment) | set(fund.fund_part)):
            due += fund.repayment.get(year, 0.0) * principal
            drawn += fund.fund_part.get(year, 0.0)
            if due > drawn + 1e-6 * max(principal, 1.0):
                self.fail(
                    "fund.repayment", f"the plan repays money before it is drawn (year {year})"
                )

    def repaying_actors(self) -> None:
        actors = self.spec.fund.repaying_actors
        if not actors:
            self.fail("fund.repaying_actors", "name at least one administration that repays")
        for actor in actors:
            self.actor("fund.repaying_actors", actor)
            level = self.actors[actor].level
            if level != "municipality":
                self.fail(
                    "fund.repaying_actors",
                    f"{actor!r} is at {level} level; only the municipality's own "
                    "administrations can repay the fund part",
                )

    def correlations(self) -> None:
        names = input_names(self.spec)
        seen: set[frozenset] = set()
        for i, corr in enumerate(self.spec.simulation.correlations):
            at = f"simulation.correlations.{i}.between"
            a, b = corr.between
            for name in (a, b):
                if name not in names:
                    self.fail(at, f"unknown input {name!r}; expected one of {', '.join(names)}")
                if isinstance(names[name], Fixed):
                    self.fail(
                        at,
                        f"input {name!r} is a fixed number; only uncertain inputs can be "
                        "correlated",
                    )
            if a == b:
                self.fail(at, f"an input cannot be correlated with itself ({a!r})")
            if frozenset((a, b)) in seen:
                self.fail(at, f"the pair {a!r}, {b!r} is given twice")
            seen.add(frozenset((a, b)))
