"""The full result: every draw's inputs, avoided events and cash flows as an ``xarray.DataTree``."""

from __future__ import annotations

import numpy as np
import xarray as xr

from simpact.base import rng
from simpact.config.spec import Haircuts, ModelSpec
from simpact.simulation import blocks
from simpact.simulation.plan import Plan, compile_plan, run_attrs

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
        "savings": blocks.savings_block(plan, blocks.savings_terms(avoided, value, cut)),
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
        ``discount_factor``, ``present_value``), dims ``(chain, draw, year, actor)``. Root attrs
        name the seed: ``random_seed_entropy`` and ``random_seed_spawn_key``.

    Examples
    --------
    >>> import simpact as sp
    >>> from simpact.components.distributions import as_dist
    >>> spec = sp.load_model("nata")
    >>> # a chain with a prior effect needs no fit:
    >>> raw = spec.model_copy(update={"outcomes": [
    ...     o.model_copy(update={"effect": "difference", "effect_prior": as_dist(
    ...         {"dist": "normal", "mean": -0.05, "sd": 0.02})}) for o in spec.outcomes]})
    >>> tree = simulate_cashflows(raw, None, random_seed=1, draws=200)
    >>> tree["cashflows"]["savings"].sizes["draw"]
    200
    """
    seed = rng.seed_sequence(random_seed)
    plan = compile_plan(spec, posterior, draws=draws, mode=mode)
    parts = [_block(plan, seed, i) for i in range(plan.n_blocks)]
    flat = {key: np.concatenate([p[key] for p in parts], axis=-1) for key in _PER_YEAR}
    da = _Arrays(plan)
    cashflows = _cashflows(flat, da)
    inputs = _inputs(
        plan,
        {k: np.concatenate([p["inputs"][k] for p in parts]) for k in plan.inputs},
        da,
        flat["cashable"],
    )
    effects = _effects(plan, posterior, parts, da)
    groups = {"effects": effects, "inputs": inputs, "avoided": _avoided(plan, flat, da)}
    tree = xr.DataTree.from_dict({**groups, "cashflows": cashflows})
    rate = cashflows["discount_factor"].isel(year=0).pipe(lambda f: (1 / f - 1).mean())
    tree.attrs.update(run_attrs(plan, seed), discount_rate_mean=float(rate))
    return tree


_PER_YEAR = ("savings", "avoided", "avoided_costs", "costs", "cashable", "discount")
"""Pieces of :func:`_block` concatenated over blocks along the draw axis (last)."""


class _Arrays:
    """Per-draw arrays (flat draw axis last) as DataArrays named by the tree's dims."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.sek = f"SEK ({plan.spec.intervention.price_year} prices)"
        years = plan.years
        self.coords = {
            "year": years,
            "actor": plan.actors,
            "outcome": [o.name for o in plan.outcomes],
        }
        self.calendar = plan.spec.intervention.start_year + years - 1

    def __call__(self, values: np.ndarray, dims: tuple[str, ...], units: str, **attrs):
        """``values`` ``(*dims, n)`` -> a DataArray ``(chain, draw, *dims)``."""
        coords = {dim: self.coords[dim] for dim in dims}
        out = self.plan.per_draw(values, dims, coords, units, **attrs)
        if "year" in dims:
            out = out.assign_coords(calendar_year=("year", self.calendar))
        return out


def _cashflows(flat: dict[str, np.ndarray], da: _Arrays) -> xr.Dataset:
    savings, costs, discount = flat["savings"], flat["costs"], flat["discount"]
    net = savings - costs
    ydims, sek = ("year", "actor"), da.sek
    return xr.Dataset(
        {
            "savings": da(savings, ydims, sek, description="gross avoided costs, after haircuts"),
            "cashable_savings": da(
                savings * flat["cashable"][None],
                ydims,
                sek,
                description="the part of savings that becomes a real cut in the actor's budget",
            ),
            "costs": da(costs, ydims, sek, description="the intervention's own costs"),
            "net": da(net, ydims, sek, description="savings minus costs"),
            "discount_factor": da(
                discount, ("year",), "1", description="(1 + r) ** -year, end-of-year timing"
            ),
            "present_value": da(
                net * discount[:, None], ydims, sek, description="net discounted to project year 0"
            ),
        }
    )


def _avoided(plan: Plan, flat: dict[str, np.ndarray], da: _Arrays) -> xr.Dataset:
    return xr.Dataset(
        {
            "avoided_events": da(
                flat["avoided"],
                ("year", "outcome"),
                "events per year",
                description=f"events avoided in the whole cohort ({plan.mode} counts)",
            ),
            "avoided_costs": da(
                flat["avoided_costs"],
                ("year", "outcome"),
                da.sek,
                description="gross savings by outcome (all actors), after haircuts",
            ),
        }
    )


def _inputs(
    plan: Plan, flat: dict[str, np.ndarray], da: _Arrays, cashable: np.ndarray
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
        ds[key] = da(arr, ("outcome",), da.sek if key == "unit_cost" else _INPUT_UNITS[key])
    for name in Haircuts.model_fields:
        ds[f"haircut_{name}"] = da(flat[f"haircuts.{name}"], (), "1")
    ds["cashable_share"] = da(cashable, ("actor",), "1")
    ds["discount_rate"] = da(flat["discount_rate"], (), "1 per year")
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


def _effects(plan: Plan, posterior, parts, da: _Arrays) -> xr.Dataset:
    ds = xr.Dataset()
    for name in plan.effects:
        ds[name] = da(np.concatenate([p["effects"][name] for p in parts]), (), "1")
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
