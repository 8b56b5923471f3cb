"""Savings simulation: from effect draws to cash flows per actor and year.

One Monte Carlo iteration is one joint draw: the effect draw from the posterior together with a
draw of every uncertain input (baseline or excess risks, quantities, unit costs, retention,
haircuts, cashable shares, discount rate). For outcome ``k``, year ``t`` and actor ``a``::

    avoided[t, k]  = per_person[k] * sum_j intake[j] * timing[k, t - j] * retention ** (t - j)
    savings[t, a]  = haircut * sum_k avoided[t, k] * quantity[k] * unit_cost[k] * payer[k, a]
    net[t, a]      = savings[t, a] - costs[t, a]
    present_value  = net * (1 + discount_rate) ** -t          (end-of-year timing, year 1 = t 1)

``per_person`` says how the effect acts on the costly event (:data:`EFFECT_LINKS`). The result is
an ``xarray.DataTree`` with groups ``effects``, ``inputs``, ``avoided`` and ``cashflows``; every
array is vectorised over the sample dims ``(chain, draw)``.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import xarray as xr

from simpact import __version__, library, rng
from simpact.errors import SpecError
from simpact.inputs import Distribution
from simpact.spec import ModelSpec, Outcome

SAMPLE_DIMS = ("chain", "draw")

EffectLink = Callable[[dict[str, np.ndarray], dict[str, np.ndarray]], np.ndarray]


def _linked(effect: dict[str, np.ndarray], draws: dict[str, np.ndarray]) -> np.ndarray:
    return effect["reduction"] * draws["excess_risk"]


def _difference(effect: dict[str, np.ndarray], draws: dict[str, np.ndarray]) -> np.ndarray:
    return effect["reduction"]


def _relative(effect: dict[str, np.ndarray], draws: dict[str, np.ndarray]) -> np.ndarray:
    return draws["baseline_risk"] * (1 - effect["risk_ratio"])


EFFECT_LINKS: dict[str, tuple[EffectLink, tuple[str, ...]]] = {
    "linked": (_linked, ("excess_risk",)),
    "difference": (_difference, ()),
    "relative": (_relative, ("baseline_risk",)),
}
"""How an effect acts on a costly event, per person reached, and the inputs each link needs.

* ``linked``: each avoided case of the fitted outcome removes ``excess_risk`` of the event;
* ``difference``: the event *is* the fitted outcome; the risk difference applies directly;
* ``relative``: the event's ``baseline_risk`` falls by the fitted risk ratio.
"""


def _effect_draws(posterior: xr.DataTree, draws: int | None, seed) -> xr.Dataset:
    """The effect scales the links need, resampled to ``draws`` iterations if asked for."""
    post = posterior.posterior.to_dataset()
    attrs = posterior.attrs
    sign = -1.0 if attrs.get("better", "lower") == "lower" else 1.0
    effect = xr.Dataset(
        {
            "risk_difference": post["risk_difference"],
            "risk_ratio": post["risk_ratio"],
            "reduction": sign * post["risk_difference"],
        }
    )
    effect["reduction"].attrs.update(
        units="1", description="fall in the risk of the fitted (bad) outcome per person reached"
    )
    n_post = effect.sizes["chain"] * effect.sizes["draw"]
    if draws is not None and draws != n_post:
        index = rng.stream(seed, "simulate", "resample").integers(0, n_post, draws)
        flat = effect.stack(sample=SAMPLE_DIMS).drop_vars(["sample", "chain", "draw"])
        effect = flat.isel(sample=index).rename(sample="draw").expand_dims(chain=[0])
        effect = effect.assign_coords(draw=np.arange(draws)).transpose("chain", "draw")
        effect.attrs["resampled_from"] = n_post
    return effect


def _draw(dist: Distribution, name: str, shape: tuple[int, ...], seed) -> np.ndarray:
    size = int(np.prod(shape))
    return dist.draw(rng.stream(seed, "simulate", "input", name), size).reshape(shape)


def _intake_by_lag(spec: ModelSpec, years: np.ndarray, max_lag: int) -> np.ndarray:
    """``N[t, lag]``: persons whose intake year is ``t - lag``."""
    intake = spec.cohort.intake
    lags = np.arange(max_lag + 1)
    start = years[:, None] - lags[None, :]
    return np.vectorize(lambda y: intake.get(int(y), 0), otypes=[float])(start)


def _actors(spec: ModelSpec) -> list[str]:
    used = {a for o in spec.outcomes for a in o.payers}
    used |= set(spec.costs) | set(spec.fund.repaying_actors) | set(spec.simulation.cashable)
    return [a for a in library.actors() if a in used]


def simulate_cashflows(
    spec: ModelSpec,
    posterior: xr.DataTree,
    *,
    random_seed: rng.SeedLike = None,
    draws: int | None = None,
) -> xr.DataTree:
    """Carry effect draws and uncertain inputs into cash flows per actor and year.

    Parameters
    ----------
    spec
        The validated model spec (cohort, outcomes, costs, simulation settings).
    posterior
        The effect fit from :func:`simpact.fit_effects` (needs ``risk_difference`` and
        ``risk_ratio`` in its posterior).
    random_seed
        Seed; each input has its own named stream, so adding an input never shifts another.
    draws
        Monte Carlo iterations; by default one per posterior draw. More (or fewer) resamples
        the posterior draws with replacement, recorded in ``effects.attrs["resampled_from"]``.

    Returns
    -------
    xarray.DataTree
        Groups ``effects``, ``inputs``, ``avoided`` (events per year and outcome) and
        ``cashflows`` (``savings``, ``cashable_savings``, ``costs``, ``net``,
        ``discount_factor``, ``present_value``), dims ``(chain, draw, year, actor)``.
    """
    seed = rng.seed_sequence(random_seed)
    sim = spec.simulation
    effect = _effect_draws(posterior, draws if draws is not None else sim.draws, seed)
    shape = (effect.sizes["chain"], effect.sizes["draw"])
    n = int(np.prod(shape))
    years = np.arange(1, sim.horizon + 1)
    actors = _actors(spec)
    names = [o.name for o in spec.outcomes]
    max_lag = max(max(o.timing) for o in spec.outcomes)
    flat = {k: v.to_numpy().reshape(n) for k, v in effect.items()}

    per_person, value, retention = [], [], []
    inputs: dict[str, xr.DataArray] = {}
    for i, outcome in enumerate(spec.outcomes):
        link, needs = _resolve_link(spec, i, outcome)
        d = {}
        for key in needs:
            d[key] = _draw(getattr(outcome, key), f"{outcome.name}.{key}", (n,), seed)
        per_person.append(link(flat, d))
        cost_dist, factor = spec.unit_cost(outcome)
        d["quantity"] = _draw(outcome.quantity, f"{outcome.name}.quantity", (n,), seed)
        d["unit_cost"] = factor * _draw(cost_dist, f"{outcome.name}.unit_cost", (n,), seed)
        value.append(d["quantity"] * d["unit_cost"])
        rho = outcome.retention or sim.retention
        retention.append(_draw(rho, f"{outcome.name}.retention", (n,), seed))
        d["retention"] = retention[-1]
        for key, arr in d.items():
            inputs.setdefault(key, {})[outcome.name] = arr
    per_person_a = np.stack(per_person, axis=1)  # (n, k)
    value_a = np.stack(value, axis=1)  # (n, k)

    timing = np.zeros((len(names), max_lag + 1))
    for k, outcome in enumerate(spec.outcomes):
        for lag, share in outcome.timing.items():
            timing[k, lag] = share
    intake = _intake_by_lag(spec, years, max_lag)  # (t, lag)
    powers = np.stack(retention, axis=1)[:, :, None] ** np.arange(max_lag + 1)  # (n, k, lag)
    reached = np.einsum("tl,kl,nkl->ntk", intake, timing, powers)
    avoided = per_person_a[:, None, :] * reached  # (n, t, k)

    haircut = np.ones(n)
    for name in type(sim.haircuts).model_fields:
        h = _draw(getattr(sim.haircuts, name), f"haircuts.{name}", (n,), seed)
        inputs.setdefault("haircut", {})[name] = h
        haircut *= 1 - h
    payers = np.array([[o.payers.get(a, 0.0) for a in actors] for o in spec.outcomes])
    savings = haircut[:, None, None] * np.einsum("ntk,nk,ka->nta", avoided, value_a, payers)

    costs = np.zeros((n, len(years), len(actors)))
    for actor, by_year in spec.costs.items():
        for year, dist in by_year.items():
            costs[:, year - 1, actors.index(actor)] = _draw(dist, f"costs.{actor}.{year}", (n,), seed)
    cashable = np.ones((n, len(actors)))
    for actor, dist in sim.cashable.items():
        cashable[:, actors.index(actor)] = _draw(dist, f"cashable.{actor}", (n,), seed)
    rate = _draw(sim.discount_rate, "discount_rate", (n,), seed)
    discount = (1 + rate[:, None]) ** -years[None, :]

    coords = {
        "chain": effect["chain"].to_numpy(),
        "draw": effect["draw"].to_numpy(),
        "year": years,
        "calendar_year": ("year", spec.intervention.start_year + years - 1),
        "actor": actors,
        "outcome": names,
    }
    sek = f"SEK ({spec.intervention.price_year} prices)"

    def da(values: np.ndarray, dims: tuple[str, ...], units: str, **attrs) -> xr.DataArray:
        values = values.reshape(shape + values.shape[1:])
        c = {d: coords[d] for d in dims}
        if "year" in dims:
            c["calendar_year"] = coords["calendar_year"]
        return xr.DataArray(values, dims=dims, coords=c, attrs={"units": units, **attrs})

    s_dims = SAMPLE_DIMS
    input_units = {
        "excess_risk": "1",
        "baseline_risk": "1",
        "quantity": "units per event",
        "unit_cost": sek,
        "retention": "1 per year",
    }
    inputs_ds = xr.Dataset()
    for key, by in inputs.items():
        if key == "haircut":
            continue
        stacked = np.stack([by.get(o, np.full(n, np.nan)) for o in names], axis=1)
        inputs_ds[key] = da(stacked, (*s_dims, "outcome"), input_units[key])
    for name, arr in inputs["haircut"].items():
        inputs_ds[f"haircut_{name}"] = da(arr, s_dims, "1")
    inputs_ds["cashable_share"] = da(cashable, (*s_dims, "actor"), "1")
    inputs_ds["discount_rate"] = da(rate, s_dims, "1 per year")

    net = savings - costs
    cashflows = xr.Dataset(
        {
            "savings": da(savings, (*s_dims, "year", "actor"), sek, description="gross avoided costs"),
            "cashable_savings": da(
                savings * cashable[:, None, :], (*s_dims, "year", "actor"), sek,
                description="the part of savings that becomes a real cut in the actor's budget",
            ),
            "costs": da(costs, (*s_dims, "year", "actor"), sek, description="the intervention's own costs"),
            "net": da(net, (*s_dims, "year", "actor"), sek),
            "discount_factor": da(discount, (*s_dims, "year"), "1"),
            "present_value": da(net * discount[:, :, None], (*s_dims, "year", "actor"), sek),
        }
    )
    avoided_ds = xr.Dataset(
        {"avoided_events": da(avoided, (*s_dims, "year", "outcome"), "events per year")}
    )
    effect.attrs.update(
        {k: v for k, v in posterior.attrs.items() if k not in ("effect_scales",)}
    )
    tree = xr.DataTree.from_dict(
        {"effects": effect, "inputs": inputs_ds, "avoided": avoided_ds, "cashflows": cashflows}
    )
    tree.attrs.update(
        simpact_version=__version__,
        intervention=spec.intervention.id,
        intervention_name=spec.intervention.name,
        currency="SEK",
        price_year=spec.intervention.price_year,
        start_year=spec.intervention.start_year,
        discount_rate_mean=float(rate.mean()),
        timing="end-of-year",
        mode="expected",
        random_seed_entropy=str(seed.entropy),
    )
    return tree


def _resolve_link(spec: ModelSpec, i: int, outcome: Outcome) -> tuple[EffectLink, tuple[str, ...]]:
    if outcome.effect not in EFFECT_LINKS:
        raise SpecError(
            f"unknown effect link {outcome.effect!r}; expected one of {', '.join(EFFECT_LINKS)}",
            source=spec.source,
            field=f"outcomes.{i}.effect",
        )
    link, needs = EFFECT_LINKS[outcome.effect]
    for key in needs:
        if getattr(outcome, key) is None:
            raise SpecError(
                f"effect link {outcome.effect!r} needs {key}", source=spec.source, field=f"outcomes.{i}.{key}"
            )
    return link, needs
