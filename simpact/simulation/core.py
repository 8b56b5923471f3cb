"""The engine under both simulation outputs: a spec compiled into a :class:`Plan`, then blocks.

Draws are generated in **blocks** of :data:`BLOCK` iterations. Every uncertain input of block
``i`` has its own named stream, ``rng.stream(seed, "simulate", "block", str(i), "input", name)``,
so the numbers of a draw depend only on the seed and the draw's index: never on how many threads,
processes or dask workers share the blocks, nor on whether the full tree or the streamed summary
is asked for.

For outcome ``k``, intake ``j`` (``N_j`` persons in year ``y_j``) and lag ``l`` (years since
intake), the avoided events per person reached are::

    a[j, k, l] = per_person[k] * timing[k, l] * persistence[k, l]          (expected mode)

and in realized mode the count for the finite cohort is binomial (risks) or Poisson (rates) with
that mean. Year ``t = y_j + l`` gets ``N_j a[j, k, l]`` avoided events, worth
``quantity * unit_cost * haircut`` SEK, split over actors by the payer shares.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np
import xarray as xr
from scipy import sparse

from simpact import library, plugins, rng
from simpact.errors import SpecError
from simpact.inputs import Distribution, Fixed
from simpact.spec import Haircuts, ModelSpec, Persistence

SAMPLE_DIMS = ("chain", "draw")
BLOCK = 65_536
"""Iterations per random-stream block (part of the seed contract: changing it changes draws)."""


# --------------------------------------------------------------------------- effect links


@dataclass(frozen=True)
class Link:
    """How an effect acts on a costly event.

    Attributes
    ----------
    per_person
        ``f(effect, inputs) -> avoided events per person reached`` (before timing).
    scale
        The effect scale the link reads from the fit (or from ``effect_prior``).
    needs
        The outcome's uncertain inputs the link uses.
    counts
        ``"binomial"`` (a risk: at most one event per person) or ``"poisson"`` (a rate).
    """

    per_person: Callable[[np.ndarray, Mapping[str, np.ndarray]], np.ndarray]
    scale: str
    needs: tuple[str, ...]
    counts: str


EFFECT_LINKS: dict[str, Link] = {
    "linked": Link(
        lambda e, d: e * d["excess_risk"], "risk_difference", ("excess_risk",), "binomial"
    ),
    "difference": Link(lambda e, d: e, "risk_difference", (), "binomial"),
    "relative": Link(
        lambda e, d: d["baseline_risk"] * (1 - e), "risk_ratio", ("baseline_risk",), "binomial"
    ),
    "rate": Link(
        lambda e, d: d["baseline_rate"] * (1 - e), "rate_ratio", ("baseline_rate",), "poisson"
    ),
    "per_unit": Link(
        lambda e, d: e * d["excess_risk_per_unit"],
        "mean_difference",
        ("excess_risk_per_unit",),
        "binomial",
    ),
}
"""How an effect acts on a costly event, per person reached.

* ``linked``: each avoided case of the fitted (bad) outcome removes ``excess_risk`` of the event;
* ``difference``: the event *is* the fitted outcome; the risk difference applies directly;
* ``relative``: the event's ``baseline_risk`` falls by the fitted risk ratio;
* ``rate``: the event's ``baseline_rate`` (events per person over the profile) falls by the
  fitted rate ratio (count outcomes);
* ``per_unit``: a continuous outcome (a well-being score, say): each point of improvement in the
  fitted mean removes ``excess_risk_per_unit`` of the event's risk, so the avoided risk per
  person is ``improvement * excess_risk_per_unit`` (a linear, first-order link: it suits effects
  that are small against the scale's spread). ``excess_risk_per_unit`` is the slope of the
  event's risk on the score, e.g. from a cohort study relating the score to the later event.

On the difference scales (``risk_difference``, ``mean_difference``) the effect enters as the
*improvement*: ``-effect`` when ``better = "lower"``, ``+effect`` when ``"higher"``.
"""

plugins.register(EFFECT_LINKS, "simpact.links")

_DIFFERENCE_SCALES = ("risk_difference", "mean_difference")
"""Effect scales on which the link reads the improvement (sign by ``better``), not a ratio."""


# --------------------------------------------------------------------------- persistence


@dataclass(frozen=True)
class PersistenceKind:
    """A persistence kind: the spec fields it needs and the factor per lag.

    ``factor(params, lags)`` returns an array ``(lag, draw)`` (or ``(lag, 1)``) in [0, 1].
    """

    needs: tuple[str, ...]
    factor: Callable[[Mapping[str, np.ndarray], np.ndarray], np.ndarray]
    uncertain: tuple[str, ...] = ()


def _geometric(params: Mapping[str, np.ndarray], lags: np.ndarray) -> np.ndarray:
    """``retention ** lag`` as a running product over the (sorted) lags."""
    rho = params["retention"]
    out = np.empty((len(lags), len(rho)))
    out[0] = rho ** lags[0]
    for i in range(1, len(lags)):
        step = rho if lags[i] - lags[i - 1] == 1 else rho ** (lags[i] - lags[i - 1])
        np.multiply(out[i - 1], step, out=out[i])
    return out


PERSISTENCE: dict[str, PersistenceKind] = {
    "geometric": PersistenceKind(("retention",), _geometric, ("retention",)),
    "step": PersistenceKind(("years",), lambda p, lags: (lags < p["years"]).astype(float)[:, None]),
}
"""Registry of persistence kinds: ``geometric`` (an uncertain ``retention`` per year) and
``step`` (the whole effect for ``years`` years after intake, then none)."""


# --------------------------------------------------------------------------- the plan


@dataclass(frozen=True)
class OutcomePlan:
    name: str
    link: Link
    effect: str  # name of the effect input: a posterior variable or "<outcome>.effect"
    lags: np.ndarray
    timing: np.ndarray
    price_factor: float
    persistence: Persistence
    persistence_prefix: str  # "" for the shared persistence, "<outcome>." for its own


@dataclass(frozen=True)
class Plan:
    """A spec compiled for simulation: everything that does not change between draws."""

    spec: ModelSpec
    actors: list[str]
    outcomes: list[OutcomePlan]
    years: np.ndarray
    intake_years: np.ndarray
    intake_sizes: np.ndarray
    payers: np.ndarray  # (outcome, actor)
    inputs: dict[str, Distribution]
    costs: list[tuple[int, int, str]]  # (actor index, year, input name)
    cashable: dict[int, str]
    copula_names: tuple[str, ...] = ()
    copula_cholesky: np.ndarray | None = None
    effects: dict[str, np.ndarray] = field(default_factory=dict)  # flat posterior draws
    n_draws: int = 0
    shape: tuple[int, int] = (1, 0)
    resample: bool = False
    better: str = "lower"
    scatter: dict = field(default_factory=dict)  # cache of _scatter by (rows, dtype)

    @property
    def mode(self) -> str:
        return self.spec.simulation.mode

    @property
    def n_blocks(self) -> int:
        return -(-self.n_draws // BLOCK)

    def block_size(self, i: int) -> int:
        return min(BLOCK, self.n_draws - i * BLOCK)


def actors_of(spec: ModelSpec) -> list[str]:
    used = {a for o in spec.outcomes for a in o.payers}
    used |= set(spec.costs) | set(spec.fund.repaying_actors) | set(spec.simulation.cashable)
    return [a for a in library.actors() if a in used]


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
        if outcome.effect_prior is not None and link.scale not in _DIFFERENCE_SCALES:
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
    _copula(spec)


def _copula(spec: ModelSpec) -> tuple[tuple[str, ...], np.ndarray | None]:
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


def _posterior_effects(posterior: xr.DataTree | None, spec: ModelSpec) -> dict[str, np.ndarray]:
    if posterior is None:
        return {}
    post = (
        posterior.posterior.to_dataset()
        if "posterior" in posterior.children
        else posterior.to_dataset()
    )
    out = {}
    for name in ("risk_difference", "risk_ratio", "rate_ratio", "mean_difference"):
        if name in post:
            da = post[name].transpose(*SAMPLE_DIMS)
            out[name] = da.to_numpy().reshape(-1)
    return out


def compile_plan(
    spec: ModelSpec,
    posterior: xr.DataTree | None,
    *,
    draws: int | None = None,
    mode: str | None = None,
) -> Plan:
    """Compile ``spec`` and the effect fit into a :class:`Plan`; links must find their effect.

    ``mode`` (``"expected"`` or ``"realized"``) overrides the spec's ``simulation.mode``.
    """
    if mode is not None:
        if mode not in ("expected", "realized"):
            raise SpecError(f"mode must be 'expected' or 'realized', got {mode!r}", field="mode")
        sim = spec.simulation.model_copy(update={"mode": mode})
        spec = spec.model_copy(update={"simulation": sim})
    sim = spec.simulation
    effects = _posterior_effects(posterior, spec)
    better = (
        posterior.attrs.get("better", spec.effect.better)
        if posterior is not None
        else spec.effect.better
    )
    draws = draws if draws is not None else sim.draws
    outcomes = []
    for i, o in enumerate(spec.outcomes):
        link = EFFECT_LINKS[o.effect]
        if o.effect_prior is not None:
            effect = f"{o.name}.effect"
        elif link.scale in effects:
            effect = link.scale
        else:
            have = ", ".join(effects) or "nothing (no fit was given)"
            raise SpecError(
                f"effect link {o.effect!r} reads the {link.scale} from the effect fit, which "
                f"provides {have}; give the outcome an effect_prior on the {link.scale} scale "
                "or choose a link the fit supports",
                source=spec.source,
                field=f"outcomes.{i}.effect",
            )
        own = sim.persistence_of(o)
        lags = np.array(sorted(o.timing), dtype=int)
        outcomes.append(
            OutcomePlan(
                name=o.name,
                link=link,
                effect=effect,
                lags=lags,
                timing=np.array([o.timing[lag] for lag in lags]),
                price_factor=spec.unit_cost(o)[1],
                persistence=own or sim.shared_persistence,
                persistence_prefix="" if own is None else f"{o.name}.",
            )
        )
    if effects:
        n_post = len(next(iter(effects.values())))
        post = posterior.posterior if "posterior" in posterior.children else posterior
        natural = (post.sizes["chain"], post.sizes["draw"])
    else:
        n_post, natural = 0, None
    if draws is None and natural is None:
        raise SpecError(
            "no effect fit is given, so say how many draws to simulate (draws=... or "
            "simulation.draws)",
            source=spec.source,
            field="simulation.draws",
        )
    resample = natural is not None and draws is not None and draws != n_post
    shape = natural if draws is None or (natural is not None and not resample) else (1, draws)
    n_draws = shape[0] * shape[1]
    actors = actors_of(spec)
    intake = {y: n for y, n in sorted(spec.cohort.intake.items()) if n > 0}
    copula_names, chol = _copula(spec)
    return Plan(
        spec=spec,
        actors=actors,
        outcomes=outcomes,
        years=np.arange(1, sim.horizon + 1),
        intake_years=np.array(list(intake), dtype=int),
        intake_sizes=np.array(list(intake.values()), dtype=float),
        payers=np.array([[o.payers.get(a, 0.0) for a in actors] for o in spec.outcomes]),
        inputs=input_names(spec),
        costs=[
            (actors.index(actor), year, f"costs.{actor}.{year}")
            for actor, by_year in spec.costs.items()
            for year in by_year
        ],
        cashable={actors.index(a): f"cashable.{a}" for a in sim.cashable},
        copula_names=copula_names,
        copula_cholesky=chol,
        effects=effects,
        n_draws=n_draws,
        shape=shape,
        resample=resample,
        better=better,
    )


# --------------------------------------------------------------------------- one block


def _stream(seed, block: int, *names: str) -> np.random.Generator:
    return rng.stream(seed, "simulate", "block", str(block), *names)


def draw_block(plan: Plan, seed, block: int) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Draws of every named input and of the posterior effect scales for block ``block``.

    Returns ``(inputs, effects)``: dicts of arrays with one value per iteration of the block.
    """
    n = plan.block_size(block)
    out = {
        name: dist.draw(_stream(seed, block, "input", name), n)
        for name, dist in plan.inputs.items()
    }
    if plan.copula_names and n > 1:
        # Iman-Conover: reorder each correlated input's draws to the ranks of correlated normal
        # scores (a Gaussian copula with the draws' own margins, exact Spearman rho in expectation)
        z = _stream(seed, block, "copula").standard_normal((n, len(plan.copula_names)))
        z = z @ plan.copula_cholesky.T
        for j, name in enumerate(plan.copula_names):
            order = np.argsort(z[:, j])
            reordered = np.empty(n)
            reordered[order] = np.sort(out[name])
            out[name] = reordered
    if plan.resample:
        n_post = len(next(iter(plan.effects.values())))
        index = _stream(seed, block, "resample").integers(0, n_post, n)
        effects = {k: v[index] for k, v in plan.effects.items()}
    else:
        sl = slice(block * BLOCK, block * BLOCK + n)
        effects = {k: v[sl] for k, v in plan.effects.items()}
    return out, effects


def _effect(plan: Plan, o: OutcomePlan, d: Mapping[str, np.ndarray], e: Mapping[str, np.ndarray]):
    value = d[o.effect] if o.effect in d else e[o.effect]
    if o.link.scale in _DIFFERENCE_SCALES:  # the fall of a bad outcome, the rise of a good one
        value = -value if plan.better == "lower" else value
    return value


def avoided_by_lag(
    plan: Plan, seed, block: int, d: Mapping[str, np.ndarray], e: Mapping[str, np.ndarray]
) -> list[np.ndarray]:
    """Avoided events per outcome, intake and lag: a list over outcomes of ``(intake, lag, n)``.

    Expected mode: one row (``intake`` of length 1) of avoided events *per person reached*,
    ``per_person * timing * persistence``, to be scaled by each intake's size (see
    :func:`intake_weights`). Realized mode: the counts for each intake's finite cohort, binomial
    for risks (sequential conditional binomials over lags: one multinomial per person) or
    Poisson for rates, with that mean and the sign of ``per_person`` (a harmful draw adds events).
    """
    out = []
    sizes = plan.intake_sizes
    for o in plan.outcomes:
        needs = {k: d[f"{o.name}.{k}"] for k in o.link.needs}
        per_person = o.link.per_person(_effect(plan, o, d, e), needs)
        kind = PERSISTENCE[o.persistence.kind]
        params = {k: getattr(o.persistence, k) for k in kind.needs}
        params.update({k: d[f"{o.persistence_prefix}{k}"] for k in kind.uncertain})
        share = o.timing[:, None] * kind.factor(params, o.lags)  # (lag, n | 1)
        rate = per_person[None, :] * share  # (lag, n): avoided events per person reached
        if plan.mode == "expected":
            out.append(rate[None])
            continue
        gen = _stream(seed, block, "realized", o.name)
        sign = np.sign(rate)
        mag = np.abs(rate)
        counts = np.empty((len(sizes), *rate.shape))
        for j, size in enumerate(sizes):
            if o.link.counts == "poisson":
                counts[j] = gen.poisson(size * mag)
                continue
            left = np.full(rate.shape[1], size)
            p_left = np.ones(rate.shape[1])
            for lag in range(rate.shape[0]):
                p = np.divide(mag[lag], p_left, out=np.zeros_like(p_left), where=p_left > 0)
                counts[j, lag] = gen.binomial(left.astype(np.int64), np.clip(p, 0, 1))
                left = left - counts[j, lag]
                p_left = np.maximum(p_left - mag[lag], 0.0)
        out.append(sign[None] * counts)
    return out


def intake_weights(plan: Plan) -> list[tuple[int, int, float]]:
    """``(intake index, row of avoided_by_lag, weight)``: expected rows are per person."""
    if plan.mode == "expected":
        return [(j, 0, float(size)) for j, size in enumerate(plan.intake_sizes)]
    return [(j, j, 1.0) for j in range(len(plan.intake_sizes))]


def avoided_by_year(plan: Plan, avoided: list[np.ndarray]) -> np.ndarray:
    """Avoided events in the whole cohort ``(year, outcome, n)``."""
    n = avoided[0].shape[-1]
    out = np.zeros((len(plan.years), len(plan.outcomes), n))
    for k, o in enumerate(plan.outcomes):
        for j, row, weight in intake_weights(plan):
            out[plan.intake_years[j] + o.lags - 1, k] += weight * avoided[k][row]
    return out


def haircut(d: Mapping[str, np.ndarray]) -> np.ndarray:
    """Share of a benefit left after deadweight, attribution, displacement and optimism bias."""
    out = np.ones_like(d["discount_rate"])
    for name in Haircuts.model_fields:
        out = out * (1 - d[f"haircuts.{name}"])
    return out


def values(plan: Plan, d: Mapping[str, np.ndarray]) -> list[np.ndarray]:
    """SEK (at ``price_year``) per avoided event of each outcome, per iteration."""
    return [
        d[f"{o.name}.quantity"] * (o.price_factor * d[f"{o.name}.unit_cost"]) for o in plan.outcomes
    ]


def _scatter(plan: Plan, rows: int) -> np.ndarray:
    """``M[(year, actor), term]``: where each (outcome, intake row, lag) term lands, weighted."""
    nt, na = len(plan.years), len(plan.actors)
    out = np.zeros((nt, na, 0))
    cols = []
    for k, o in enumerate(plan.outcomes):
        for row in range(rows):
            for lag in o.lags:
                col = np.zeros((nt, na))
                for j, r, weight in intake_weights(plan):
                    if r == row:
                        col[plan.intake_years[j] + lag - 1] += weight * plan.payers[k]
                cols.append(col)
    if cols:
        out = np.stack(cols, axis=-1)
    return out.reshape(nt * na, -1)


def savings_block(
    plan: Plan,
    avoided: list[np.ndarray],
    value: list[np.ndarray],
    cut: np.ndarray,
    *,
    dtype=np.float64,
) -> np.ndarray:
    """Gross savings ``(year, actor, n)`` in SEK from avoided events by intake and lag.

    No ``(year, outcome, lag)`` array is built: the SEK value of each (outcome, intake, lag)
    term is one row over the draws, and one product with the fixed sparse scatter matrix
    (:func:`_scatter`: intake sizes x payer shares, placed at year ``intake + lag``) sums
    them into years and actors.
    """
    n = len(cut)
    rows = avoided[0].shape[0]
    terms = np.empty((sum(a.shape[0] * a.shape[1] for a in avoided), n), dtype=dtype)
    r = 0
    for k, block in enumerate(avoided):
        size = block.shape[0] * block.shape[1]
        np.multiply(block.reshape(size, n), value[k] * cut, out=terms[r : r + size])
        r += size
    scatter = plan.scatter.get((rows, np.dtype(dtype).name))
    if scatter is None:
        dense = _scatter(plan, rows).astype(dtype)
        scatter = plan.scatter[(rows, np.dtype(dtype).name)] = sparse.csr_array(dense)
    return (scatter @ terms).reshape(len(plan.years), len(plan.actors), n)


def discount_block(plan: Plan, d: Mapping[str, np.ndarray], *, dtype=np.float64) -> np.ndarray:
    """End-of-year discount factors ``(1 + r) ** -t``, ``(year, n)`` (a running product)."""
    step = (1 / (1 + d["discount_rate"])).astype(dtype, copy=False)
    out = np.empty((len(plan.years), len(step)), dtype=dtype)
    out[0] = step
    for t in range(1, len(plan.years)):
        np.multiply(out[t - 1], step, out=out[t])
    return out


def costs_block(plan: Plan, d: Mapping[str, np.ndarray]) -> np.ndarray:
    """The intervention's own costs ``(year, actor, n)``."""
    n = len(d["discount_rate"])
    out = np.zeros((len(plan.years), len(plan.actors), n))
    for a, year, name in plan.costs:
        out[year - 1, a] = d[name]
    return out


def cashable_block(plan: Plan, d: Mapping[str, np.ndarray]) -> np.ndarray:
    """Cashable share per actor ``(actor, n)`` (1 for actors without one)."""
    n = len(d["discount_rate"])
    out = np.ones((len(plan.actors), n))
    for a, name in plan.cashable.items():
        out[a] = d[name]
    return out
