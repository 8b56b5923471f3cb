"""The full result: every draw's inputs, avoided events and cash flows as an ``xarray.DataTree``."""

from __future__ import annotations

import numpy as np
import xarray as xr

from simpact.base import rng
from simpact.base.constants import SAMPLE_DIMS
from simpact.base.version import __version__
from simpact.config.spec import Haircuts, ModelSpec
from simpact.simulation import blocks
from simpact.simulation.plan import BLOCK, Plan, compile_plan

_INPUT_UNITS = {
    "effect": "1 (on the link's effect scale)",
    "excess_risk": "1",
    "excess_risk_per_unit": "1 per unit of the fitted outcome",
    "baseline_risk": "1",
    "baseline_rate": "events per person",
    "quantity": "units per event",
    "retention": "1 per year",
}


def _block(plan: Plan, seed, block: int) -> dict[str, np.ndarray]:
    d, e = blocks.draw_block(plan, seed, block)
    avoided = blocks.avoided_by_lag(plan, seed, block, d, e)
    cut = blocks.haircut(d)
    value = blocks.values(plan, d)
    by_year = blocks.avoided_by_year(plan, avoided)  # (year, outcome, n)
    return {
        "inputs": d,
        "effects": e,
        "savings": blocks.savings_block(plan, avoided, value, cut),
        "avoided": by_year,
        "avoided_costs": by_year * (np.stack(value) * cut)[None],
        "costs": blocks.costs_block(plan, d),
        "cashable": blocks.cashable_block(plan, d),
        "discount": blocks.discount_block(plan, d),
    }


def simulate_cashflows(
    spec: ModelSpec,
    posterior: xr.DataTree | None,
    *,
    random_seed: rng.SeedLike = None,
    draws: int | None = None,
    mode: str | None = None,
) -> xr.DataTree:
    """Carry effect draws and uncertain inputs into cash flows per actor and year.

    Parameters
    ----------
    spec
        The validated model spec (cohort, outcomes, costs, simulation settings).
    posterior
        The effect fit from :func:`simpact.fit_effects` (its ``posterior`` group holds the effect
        scales the links read by name: ``risk_difference``, ``risk_ratio``, ``rate_ratio``), or
        ``None`` when every outcome has an ``effect_prior``.
    random_seed
        Seed; every input has its own named stream per block of draws, so adding an input never
        shifts another and the numbers equal those of :func:`simulate_summary` at the same seed.
    draws
        Monte Carlo iterations; by default one per posterior draw (or ``simulation.draws``).
        A different number resamples the posterior draws with replacement (``chain = 1``),
        recorded in ``effects.attrs["resampled_from"]``.
    mode
        ``"expected"`` or ``"realized"``; overrides ``simulation.mode``.

    Returns
    -------
    xarray.DataTree
        Groups ``effects``, ``inputs``, ``avoided`` (``avoided_events`` and ``avoided_costs`` by
        year and outcome) and ``cashflows`` (``savings``, ``cashable_savings``, ``costs``, ``net``,
        ``discount_factor``, ``present_value``), dims ``(chain, draw, year, actor)``.

    Examples
    --------
    >>> import simpact as sp
    >>> spec = sp.load_model("nata")
    >>> # a chain with a prior effect needs no fit:
    >>> raw = spec.model_copy(update={"outcomes": [
    ...     o.model_copy(update={"effect": "difference", "effect_prior": sp.inputs.as_dist(
    ...         {"dist": "normal", "mean": -0.05, "sd": 0.02})}) for o in spec.outcomes]})
    >>> tree = simulate_cashflows(raw, None, random_seed=1, draws=200)
    >>> tree["cashflows"]["savings"].sizes["draw"]
    200
    """
    seed = rng.seed_sequence(random_seed)
    plan = compile_plan(spec, posterior, draws=draws, mode=mode)
    parts = [_block(plan, seed, i) for i in range(plan.n_blocks)]
    shape = plan.shape

    def cat(key: str, *, axis: int = -1) -> np.ndarray:
        return np.concatenate([p[key] for p in parts], axis=axis)

    years = plan.years
    names = [o.name for o in plan.outcomes]
    coords = {
        "chain": np.arange(shape[0]),
        "draw": np.arange(shape[1]),
        "year": years,
        "actor": plan.actors,
        "outcome": names,
    }
    calendar = spec.intervention.start_year + years - 1
    sek = f"SEK ({spec.intervention.price_year} prices)"

    def da(values: np.ndarray, dims: tuple[str, ...], units: str, **attrs) -> xr.DataArray:
        """``values`` with the draw axis last -> a DataArray with sample dims first."""
        values = np.moveaxis(values, -1, 0).reshape(shape + values.shape[:-1])
        c = {dim: coords[dim] for dim in dims}
        out = xr.DataArray(values, dims=dims, coords=c, attrs={"units": units, **attrs})
        if "year" in dims:
            out = out.assign_coords(calendar_year=("year", calendar))
        return out

    savings = cat("savings")  # (year, actor, n)
    costs = cat("costs")
    cashable = cat("cashable")  # (actor, n)
    discount = cat("discount")  # (year, n)
    net = savings - costs
    ydims = (*SAMPLE_DIMS, "year", "actor")
    cashflows = xr.Dataset(
        {
            "savings": da(savings, ydims, sek, description="gross avoided costs, after haircuts"),
            "cashable_savings": da(
                savings * cashable[None],
                ydims,
                sek,
                description="the part of savings that becomes a real cut in the actor's budget",
            ),
            "costs": da(costs, ydims, sek, description="the intervention's own costs"),
            "net": da(net, ydims, sek, description="savings minus costs"),
            "discount_factor": da(
                discount,
                (*SAMPLE_DIMS, "year"),
                "1",
                description="(1 + r) ** -year, end-of-year timing",
            ),
            "present_value": da(
                net * discount[:, None], ydims, sek, description="net discounted to project year 0"
            ),
        }
    )
    avoided = xr.Dataset(
        {
            "avoided_events": da(
                cat("avoided"),
                (*SAMPLE_DIMS, "year", "outcome"),
                "events per year",
                description=f"events avoided in the whole cohort ({plan.mode} counts)",
            ),
            "avoided_costs": da(
                cat("avoided_costs"),
                (*SAMPLE_DIMS, "year", "outcome"),
                sek,
                description="gross savings by outcome (all actors), after haircuts",
            ),
        }
    )
    inputs = _inputs(
        plan,
        {k: np.concatenate([p["inputs"][k] for p in parts]) for k in plan.inputs},
        da,
        sek,
        cashable,
    )
    effects = _effects(plan, posterior, parts, da)
    tree = xr.DataTree.from_dict(
        {"effects": effects, "inputs": inputs, "avoided": avoided, "cashflows": cashflows}
    )
    tree.attrs.update(
        simpact_version=__version__,
        intervention=spec.intervention.id,
        intervention_name=spec.intervention.name,
        currency="SEK",
        price_year=spec.intervention.price_year,
        start_year=spec.intervention.start_year,
        discount_rate_mean=float(
            cashflows["discount_factor"].isel(year=0).pipe(lambda f: (1 / f - 1).mean())
        ),
        timing="end-of-year",
        mode=plan.mode,
        block_size=BLOCK,
        random_seed_entropy=str(seed.entropy),
    )
    return tree


def _inputs(
    plan: Plan, flat: dict[str, np.ndarray], da, sek: str, cashable: np.ndarray
) -> xr.Dataset:
    n = plan.n_draws
    names = [o.name for o in plan.outcomes]
    per_outcome: dict[str, np.ndarray] = {}
    for k, o in enumerate(plan.outcomes):
        for key in ("effect", *o.link.needs, "quantity"):
            name = f"{o.name}.{key}"
            if name in flat:
                per_outcome.setdefault(key, np.full((len(names), n), np.nan))[k] = flat[name]
        per_outcome.setdefault("unit_cost", np.full((len(names), n), np.nan))[k] = (
            o.price_factor * flat[f"{o.name}.unit_cost"]
        )
        retention = f"{o.persistence_prefix}retention"
        if retention in flat:
            per_outcome.setdefault("retention", np.full((len(names), n), np.nan))[k] = flat[
                retention
            ]
    ds = xr.Dataset()
    for key, arr in per_outcome.items():
        ds[key] = da(
            arr, (*SAMPLE_DIMS, "outcome"), sek if key == "unit_cost" else _INPUT_UNITS[key]
        )
    for name in Haircuts.model_fields:
        ds[f"haircut_{name}"] = da(flat[f"haircuts.{name}"], SAMPLE_DIMS, "1")
    ds["cashable_share"] = da(cashable, (*SAMPLE_DIMS, "actor"), "1")
    ds["discount_rate"] = da(flat["discount_rate"], SAMPLE_DIMS, "1 per year")
    if plan.copula_names:
        ds.attrs["correlated"] = list(plan.copula_names)
    return ds


IMPROVEMENT_SCALES = {
    "risk_difference": 0.0,
    "rate_ratio": 1.0,
    "risk_ratio": 1.0,
    "mean_difference": 0.0,
}
"""Effect scales ``effects.reduction`` is derived from (the first present), with their null
value: ``reduction = sign * (effect - null)``, ``sign = -1`` when lower is better. For a risk
difference that is the fall in risk per person reached; for a ratio, the relative fall."""


def _effects(plan: Plan, posterior, parts, da) -> xr.Dataset:
    ds = xr.Dataset()
    for name in plan.effects:
        ds[name] = da(np.concatenate([p["effects"][name] for p in parts]), SAMPLE_DIMS, "1")
    scale = next((k for k in IMPROVEMENT_SCALES if k in ds), None)
    if scale is not None:
        # the improvement on the effect's own scale: sign * (effect - null), null 1 for ratios
        sign = -1.0 if plan.better == "lower" else 1.0
        null = IMPROVEMENT_SCALES[scale]
        ds["reduction"] = (sign * (ds[scale] - null)).assign_attrs(
            units="1",
            scale=scale,
            description=(
                f"improvement per person reached, from the {scale.replace('_', ' ')}: the fall "
                "of the fitted outcome when lower is better, its rise when higher is better"
            ),
        )
    if posterior is not None:
        ds.attrs.update({k: v for k, v in posterior.attrs.items() if k != "effect_scales"})
        if plan.resample:
            ds.attrs["resampled_from"] = len(next(iter(plan.effects.values())))
    else:
        ds.attrs["source"] = "effect priors in the spec (no fit)"
    return ds
