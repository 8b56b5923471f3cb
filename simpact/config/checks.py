"""Cross-field checks of a spec that pydantic cannot express: keys that must exist, shares,
timing, the fund's schedule, the links' and persistence kinds' needs, correlations.

Each check raises a :class:`~simpact.base.errors.SpecError` naming the file and the field.
"""

from __future__ import annotations

import numpy as np

from simpact.base import scales
from simpact.base.errors import SpecError
from simpact.components.distributions import Distribution, Fixed
from simpact.components.links import EFFECT_LINKS
from simpact.components.persistence import PERSISTENCE, PersistenceKind
from simpact.components.rules import RULES
from simpact.config import priors
from simpact.config.spec import Haircuts, ModelSpec, Persistence

_TOLERANCE = 1e-9


def check_spec(spec: ModelSpec) -> None:
    """Cross-field checks pydantic cannot express: keys that must exist, shares, timing."""
    src = spec.source
    actors = priors.actors()
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
            if outcome.unit_cost not in priors.unit_costs():
                fail(
                    f"{at}.unit_cost",
                    f"unknown unit cost {outcome.unit_cost!r}; expected a key of "
                    f"priors/unit_costs.toml ({', '.join(priors.unit_costs())}) or an inline "
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

    check_simulation(spec)


def input_names(spec: ModelSpec) -> dict[str, Distribution]:
    """Every named uncertain input of ``spec``, in a fixed order (the ``inputs`` group's names)."""
    sim = spec.simulation
    out: dict[str, Distribution] = {}
    shared_used = False
    for outcome in spec.outcomes:
        link = EFFECT_LINKS.get(outcome.effect)
        if outcome.effect_prior is not None:
            out[f"{outcome.name}.effect"] = outcome.effect_prior
        for key in link.needs if link else ():
            if getattr(outcome, key) is not None:
                out[f"{outcome.name}.{key}"] = getattr(outcome, key)
        out[f"{outcome.name}.quantity"] = outcome.quantity
        out[f"{outcome.name}.unit_cost"] = spec.unit_cost(outcome)[0]
        own = sim.persistence_of(outcome)
        if own is None:
            shared_used = True
        else:
            for key in _kind(own).uncertain if own.kind in PERSISTENCE else ():
                if getattr(own, key) is not None:
                    out[f"{outcome.name}.{key}"] = getattr(own, key)
    shared = sim.shared_persistence
    if shared_used and shared.kind in PERSISTENCE:
        for key in _kind(shared).uncertain:
            if getattr(shared, key) is not None:
                out[key] = getattr(shared, key)
    for name in Haircuts.model_fields:
        out[f"haircuts.{name}"] = getattr(sim.haircuts, name)
    for actor, dist in sim.cashable.items():
        out[f"cashable.{actor}"] = dist
    for actor, by_year in spec.costs.items():
        for year, dist in by_year.items():
            out[f"costs.{actor}.{year}"] = dist
    out["discount_rate"] = sim.discount_rate
    return out


def _kind(persistence: Persistence) -> PersistenceKind:
    return PERSISTENCE[persistence.kind]


def check_simulation(spec: ModelSpec) -> None:
    """Checks of a spec's simulation part that need the registries (called by ``load_model``)."""
    src = spec.source
    sim = spec.simulation

    def fail(where: str, message: str) -> None:
        raise SpecError(message, source=src, field=where)

    def check_persistence(where: str, p: Persistence) -> None:
        if p.kind not in PERSISTENCE:
            fail(
                f"{where}.kind",
                f"unknown persistence {p.kind!r}; expected one of {', '.join(PERSISTENCE)}",
            )
        for key in _kind(p).needs:
            if getattr(p, key) is None:
                fail(f"{where}.{key}", f"persistence {p.kind!r} needs {key}")
        if p.retention is not None:
            low, high = p.retention.bounds()
            if low < 0 or high > 1:
                fail(
                    f"{where}.retention",
                    f"a retention must lie in [0, 1]; this one spans {low}–{high}",
                )

    if sim.persistence is not None:
        if "retention" in sim.model_fields_set:
            fail(
                "simulation.retention",
                "give either simulation.retention or simulation.persistence, not both",
            )
        check_persistence("simulation.persistence", sim.persistence)
    for i, outcome in enumerate(spec.outcomes):
        at = f"outcomes.{i}"
        if outcome.effect not in EFFECT_LINKS:
            fail(
                f"{at}.effect",
                f"unknown effect link {outcome.effect!r}; "
                f"expected one of {', '.join(EFFECT_LINKS)}",
            )
        link = EFFECT_LINKS[outcome.effect]
        for key in link.needs:
            if getattr(outcome, key) is None:
                fail(f"{at}.{key}", f"effect link {outcome.effect!r} needs {key}")
        if outcome.baseline_rate is not None and outcome.baseline_rate.bounds()[0] < 0:
            fail(f"{at}.baseline_rate", "a rate of events cannot be negative")
        if outcome.effect_prior is not None and scales.get(link.scale).is_ratio:
            if outcome.effect_prior.bounds()[0] < 0:
                fail(
                    f"{at}.effect_prior",
                    f"a {link.scale.replace('_', ' ')} cannot be negative; "
                    "use a lognormal or gamma",
                )
        if outcome.persistence is not None:
            if outcome.retention is not None:
                fail(f"{at}.retention", "give either retention or persistence, not both")
            check_persistence(f"{at}.persistence", outcome.persistence)
    names = input_names(spec)
    seen: set[frozenset] = set()
    for i, corr in enumerate(sim.correlations):
        at = f"simulation.correlations.{i}.between"
        a, b = corr.between
        for name in (a, b):
            if name not in names:
                fail(at, f"unknown input {name!r}; expected one of {', '.join(names)}")
            if isinstance(names[name], Fixed):
                fail(
                    at, f"input {name!r} is a fixed number; only uncertain inputs can be correlated"
                )
        if a == b:
            fail(at, f"an input cannot be correlated with itself ({a!r})")
        if frozenset((a, b)) in seen:
            fail(at, f"the pair {a!r}, {b!r} is given twice")
        seen.add(frozenset((a, b)))
    copula(spec)


def copula(spec: ModelSpec) -> tuple[tuple[str, ...], np.ndarray | None]:
    """Names and Cholesky factor of the normal-score correlation of the correlated inputs."""
    corrs = spec.simulation.correlations
    if not corrs:
        return (), None
    names = tuple(dict.fromkeys(n for c in corrs for n in c.between))
    index = {n: i for i, n in enumerate(names)}
    matrix = np.eye(len(names))
    for c in corrs:
        i, j = index[c.between[0]], index[c.between[1]]
        # Spearman rho -> Pearson correlation of the normal scores
        matrix[i, j] = matrix[j, i] = 2 * np.sin(np.pi * c.rho / 6)
    try:
        chol = np.linalg.cholesky(matrix)
    except np.linalg.LinAlgError:
        raise SpecError(
            "the rank correlations are not jointly possible (the correlation matrix is not "
            f"positive definite; smallest eigenvalue {np.linalg.eigvalsh(matrix).min():.3g}); "
            "weaken some of them",
            source=spec.source,
            field="simulation.correlations",
        ) from None
    return names, chol
