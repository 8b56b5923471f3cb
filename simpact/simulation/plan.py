"""A spec and an effect fit compiled into a :class:`Plan`: everything that does not change
between draws (outcomes with their links, lags and persistence, intakes, payer shares, the named
uncertain inputs, the copula, the flat posterior draws of the effect scales)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import xarray as xr

from simpact.base import scales
from simpact.base.constants import SAMPLE_DIMS
from simpact.base.errors import SpecError
from simpact.base.fit_info import FitInfo
from simpact.base.version import __version__
from simpact.components.distributions import Distribution
from simpact.components.links import EFFECT_LINKS, Link
from simpact.components.rules import FundTerms
from simpact.config import priors
from simpact.config.inputs import copula, input_names
from simpact.config.spec import ModelSpec, Persistence

BLOCK = 65_536
"""Iterations per random-stream block (part of the seed contract: changing it changes draws)."""


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
    fund: FundTerms  # the spec's repayment terms (``spec.fund.terms``), horizon always set
    repaying: list[int]  # actor indices of the fund's repaying administrations
    copula_names: tuple[str, ...] = ()
    copula_cholesky: np.ndarray | None = None
    effects: dict[str, np.ndarray] = field(default_factory=dict)  # flat posterior draws
    n_draws: int = 0
    shape: tuple[int, int] = (1, 0)
    resample: bool = False
    better: str = "lower"
    scatter: dict = field(default_factory=dict)  # blocks.scatter_matrix by (dtype, repaying)

    @property
    def mode(self) -> str:
        return self.spec.simulation.mode

    @property
    def n_blocks(self) -> int:
        return -(-self.n_draws // BLOCK)

    def block_size(self, i: int) -> int:
        return min(BLOCK, self.n_draws - i * BLOCK)

    @property
    def fund_years(self) -> np.ndarray:
        """The project years up to the fund horizon (the repayment inputs' years)."""
        return self.years[: self.fund.horizon]

    def per_draw(
        self, values: np.ndarray, dims: tuple[str, ...], coords: dict, units: str, **attrs
    ) -> xr.DataArray:
        """``values`` with the flat draw axis last -> a DataArray with :data:`SAMPLE_DIMS` first.

        The flat draw index is ``chain * draws + draw``: the order of
        ``stack(sample=SAMPLE_DIMS)`` (see :func:`posterior_effects`). ``unstack`` would name
        the dims but takes seconds at a million draws, so this one place reshapes.
        """
        values = np.moveaxis(values, -1, 0).reshape(self.shape + values.shape[:-1])
        sample = {dim: np.arange(n) for dim, n in zip(SAMPLE_DIMS, self.shape, strict=True)}
        return xr.DataArray(
            values,
            dims=(*SAMPLE_DIMS, *dims),
            coords={**sample, **coords},
            attrs={"units": units, **attrs},
        )


def run_attrs(plan: Plan, seed: np.random.SeedSequence) -> dict:
    """Root attrs of both outputs: what was run, in which prices, and which random streams.

    ``random_seed_entropy`` (decimal text) and ``random_seed_spawn_key`` (the spawn key as
    space-separated integers, as :class:`~simpact.base.provenance.Provenance` writes it)
    together identify the seed sequence, ``SeedSequence(int(entropy), spawn_key=...)``: a
    child seed such as ``rng.child(seed, "simulate")`` shares its parent's entropy and differs
    only in the spawn key.
    """
    spec = plan.spec
    return {
        "simpact_version": __version__,
        "intervention": spec.intervention.id,
        "intervention_name": spec.intervention.name,
        "currency": "SEK",
        "price_year": spec.intervention.price_year,
        "start_year": spec.intervention.start_year,
        "timing": "end-of-year",
        "mode": plan.mode,
        "block_size": BLOCK,
        "random_seed_entropy": str(seed.entropy),
        "random_seed_spawn_key": " ".join(str(int(k)) for k in seed.spawn_key),
    }


def actors_of(spec: ModelSpec) -> list[str]:
    used = {a for o in spec.outcomes for a in o.payers}
    used |= set(spec.costs) | set(spec.fund.repaying_actors) | set(spec.simulation.cashable)
    return [a for a in priors.actors() if a in used]


def posterior_effects(posterior: xr.DataTree | None) -> dict[str, np.ndarray]:
    """The effect scales of a fit as flat draws, ``stack(sample=SAMPLE_DIMS)`` (chain-major)."""
    if posterior is None:
        return {}
    post = (
        posterior.posterior.to_dataset()
        if "posterior" in posterior.children
        else posterior.to_dataset()
    )
    return {
        name: post[name].stack(sample=SAMPLE_DIMS).transpose("sample").to_numpy()
        for name in scales.HEADLINE
        if name in post
    }


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
    effects = posterior_effects(posterior)
    info = FitInfo.read(posterior) if posterior is not None else None
    better = (info.better if info is not None else None) or spec.effect.better
    outcomes = [_outcome_plan(spec, i, effects) for i in range(len(spec.outcomes))]
    shape, resample = _shape(spec, posterior, effects, draws if draws is not None else sim.draws)
    actors = actors_of(spec)
    intake = {y: n for y, n in sorted(spec.cohort.intake.items()) if n > 0}
    copula_names, chol = copula(spec)
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
        fund=spec.fund.terms(sim.horizon),
        repaying=[actors.index(a) for a in spec.fund.repaying_actors],
        copula_names=copula_names,
        copula_cholesky=chol,
        effects=effects,
        n_draws=shape[0] * shape[1],
        shape=shape,
        resample=resample,
        better=better,
    )


def _outcome_plan(spec: ModelSpec, i: int, effects: dict[str, np.ndarray]) -> OutcomePlan:
    """Outcome ``i`` compiled: its link must find its effect (a prior, or a scale of the fit)."""
    o, sim = spec.outcomes[i], spec.simulation
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
    return OutcomePlan(
        name=o.name,
        link=link,
        effect=effect,
        lags=lags,
        timing=np.array([o.timing[lag] for lag in lags]),
        price_factor=spec.unit_cost(o)[1],
        persistence=own or sim.shared_persistence,
        persistence_prefix="" if own is None else f"{o.name}.",
    )


def _shape(
    spec: ModelSpec,
    posterior: xr.DataTree | None,
    effects: dict[str, np.ndarray],
    draws: int | None,
) -> tuple[tuple[int, int], bool]:
    """``((chains, draws), resample)``: the fit's own shape, or ``(1, draws)`` resampled."""
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
    return shape, resample
