"""Summary-only simulation: stream over blocks of draws, keep what decisions need.

Each block of :data:`~simpact.simulation.core.BLOCK` draws is simulated with exactly the streams
:func:`~simpact.simulation.simulate_cashflows` uses, reduced to per-draw NPV per actor, the total
cumulative savings per year (kept in float32 for exact quantiles), the repaying administrations'
cashable savings up to the fund horizon (the repayment inputs) and the fund's per-draw result
from :func:`simpact.fund.repay`. Memory is bounded by the block size times the number of blocks in
flight, plus ``draws x (actors + years + fund years)`` numbers for the per-draw results.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import xarray as xr

from simpact import __version__, rng
from simpact.fund import repay
from simpact.simulation import core
from simpact.simulation.core import SAMPLE_DIMS, Plan, compile_plan
from simpact.spec import ModelSpec

QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)
"""Quantiles of cumulative savings reported per year (P5 and P95 bound the 90 % interval)."""

_FUND_VARS = ("full_on_schedule", "full_by_horizon", "shortfall", "repaid_share", "repayment_year")


def _due(spec: ModelSpec) -> dict[int, float]:
    principal = sum(spec.fund.fund_part.values())
    return {year: share * principal for year, share in spec.fund.repayment.items()}


def summary_block(plan: Plan, seed, block: int) -> dict[str, np.ndarray]:
    """Simulate block ``block`` and reduce it to the summary's per-draw and per-year pieces."""
    d, e = core.draw_block(plan, seed, block)
    avoided = core.avoided_by_lag(plan, seed, block, d, e)
    cut = core.haircut(d)
    savings = core.savings_block(plan, avoided, core.values(plan, d), cut, dtype=np.float32)
    del avoided
    discount = core.discount_block(plan, d)
    n = len(cut)
    npv = np.zeros((len(plan.actors), n))
    for t in range(len(plan.years)):
        npv += savings[t] * discount[t]
    for a, year, name in plan.costs:
        npv[a] -= d[name] * discount[year - 1]
    total = savings.sum(axis=1)
    np.cumsum(total, axis=0, out=total)
    spec = plan.spec
    horizon = spec.fund_horizon
    cashable = core.cashable_block(plan, d)
    repaying = np.zeros((horizon, n), dtype=np.float32)
    for actor in spec.fund.repaying_actors:
        a = plan.actors.index(actor)
        repaying += savings[:horizon, a] * cashable[a].astype(np.float32)
    ledger = repay(
        xr.DataArray(repaying.T.astype(float), dims=("draw", "year"),
                     coords={"year": plan.years[:horizon]}),
        due=_due(spec), rule=spec.fund.rule, horizon=horizon,
    )
    return {
        "npv": npv,
        "cumulative": total,
        "savings_sum": savings.sum(axis=2, dtype=np.float64),
        "repaying": repaying,
        "repaid_sum": ledger["repaid"].sum("draw").to_numpy(),
        **{k: ledger[k].to_numpy() for k in _FUND_VARS},
    }


class _Collector:
    """Preallocated per-draw outputs, filled block by block in any order."""

    def __init__(self, plan: Plan) -> None:
        n, nt, na = plan.n_draws, len(plan.years), len(plan.actors)
        self.plan = plan
        self.npv = np.empty((na, n))
        self.cumulative = np.empty((nt, n), dtype=np.float32)
        self.repaying = np.empty((plan.spec.fund_horizon, n), dtype=np.float32)
        self.savings_sum = np.empty((plan.n_blocks, nt, na))
        self.repaid_sum = np.empty((plan.n_blocks, plan.spec.fund_horizon))
        self.fund = {k: np.empty(n, dtype=bool if k.startswith("full") else float) for k in _FUND_VARS}

    def add(self, block: int, part: dict[str, np.ndarray]) -> None:
        sl = slice(block * core.BLOCK, block * core.BLOCK + part["npv"].shape[1])
        self.npv[:, sl] = part["npv"]
        self.cumulative[:, sl] = part["cumulative"]
        self.repaying[:, sl] = part["repaying"]
        self.savings_sum[block] = part["savings_sum"]
        self.repaid_sum[block] = part["repaid_sum"]
        for k in _FUND_VARS:
            self.fund[k][sl] = part[k]


def run_blocks(
    plan: Plan,
    seed,
    *,
    threads: int | None = None,
    mapper: Callable[[Callable, Iterable[int]], Iterable] | None = None,
) -> _Collector:
    """Run every block (in threads, or with ``mapper(fn, blocks)``) into a collector."""
    collector = _Collector(plan)
    blocks = range(plan.n_blocks)
    if mapper is not None:
        results = mapper(blocks)
        for block, part in zip(blocks, results, strict=True):
            collector.add(block, part)
        return collector
    threads = threads or os.cpu_count() or 1
    with ThreadPoolExecutor(max_workers=threads) as pool:
        # at most `threads` blocks in flight, so memory stays bounded
        pending = {}
        for block in blocks:
            pending[block] = pool.submit(summary_block, plan, seed, block)
            if len(pending) >= threads:
                first = min(pending)
                collector.add(first, pending.pop(first).result())
        for block in sorted(pending):
            collector.add(block, pending[block].result())
    return collector


def assemble(plan: Plan, collector: _Collector, seed, *, quantiles=QUANTILES) -> xr.DataTree:
    """The summary tree from a filled collector (shared by the threaded and dask runs)."""
    spec = plan.spec
    shape = plan.shape
    sek = f"SEK ({spec.intervention.price_year} prices)"
    years = plan.years
    sample = {"chain": np.arange(shape[0]), "draw": np.arange(shape[1])}
    calendar = ("year", spec.intervention.start_year + years - 1)

    def per_draw(values: np.ndarray, dims: tuple[str, ...], coords: dict, units: str, **attrs):
        values = np.moveaxis(values, -1, 0).reshape(shape + values.shape[:-1])
        return xr.DataArray(values, dims=(*SAMPLE_DIMS, *dims), coords={**sample, **coords},
                            attrs={"units": units, **attrs})

    npv = per_draw(collector.npv, ("actor",), {"actor": plan.actors}, sek,
                   description="net present value per actor (savings minus costs, discounted)")
    npv_ds = xr.Dataset({"npv": npv, "npv_total": npv.sum("actor").assign_attrs(units=sek)})
    q = np.quantile(collector.cumulative, quantiles, axis=1)  # (quantile, year)
    savings_ds = xr.Dataset(
        {
            "mean_savings": xr.DataArray(
                collector.savings_sum.sum(axis=0) / plan.n_draws, dims=("year", "actor"),
                coords={"year": years, "actor": plan.actors, "calendar_year": calendar},
                attrs={"units": sek, "description": "mean gross savings per year"},
            ),
            "cumulative_savings_quantiles": xr.DataArray(
                q.T, dims=("year", "quantile"),
                coords={"year": years, "quantile": list(quantiles), "calendar_year": calendar},
                attrs={"units": sek, "description": "quantiles over draws of total gross savings "
                       "(all actors) accumulated to each year; exact, from float32 per-draw sums"},
            ),
        }
    )
    fund_years = years[: spec.fund_horizon]
    repayment = xr.Dataset(
        {
            "repaying_cashable_savings": per_draw(
                collector.repaying, ("year",), {"year": fund_years}, sek,
                description="cashable savings of the repaying administrations (float32)",
            )
        },
        attrs={"repaying_actors": list(spec.fund.repaying_actors)},
    )
    fund = xr.Dataset(
        {k: per_draw(v, (), {}, "project year" if k == "repayment_year" else
                     (sek if "shortfall" in k else "1")) for k, v in collector.fund.items()}
    )
    fund["mean_repaid"] = xr.DataArray(
        collector.repaid_sum.sum(axis=0) / plan.n_draws, dims="year",
        coords={"year": fund_years}, attrs={"units": sek},
    )
    fund["principal"] = xr.DataArray(sum(spec.fund.fund_part.values()), attrs={"units": sek})
    fund.attrs.update(rule=spec.fund.rule, horizon=spec.fund_horizon,
                      repaying_actors=list(spec.fund.repaying_actors))
    tree = xr.DataTree.from_dict(
        {"npv": npv_ds, "savings": savings_ds, "repayment": repayment, "fund": fund}
    )
    tree.attrs.update(
        simpact_version=__version__,
        intervention=spec.intervention.id,
        intervention_name=spec.intervention.name,
        currency="SEK",
        price_year=spec.intervention.price_year,
        start_year=spec.intervention.start_year,
        timing="end-of-year",
        mode=plan.mode,
        summary_only=True,
        draws=plan.n_draws,
        block_size=core.BLOCK,
        random_seed_entropy=str(seed.entropy),
    )
    return tree


def simulate_summary(
    spec: ModelSpec,
    posterior: xr.DataTree | None,
    *,
    random_seed: rng.SeedLike = None,
    draws: int | None = None,
    mode: str | None = None,
    threads: int | None = None,
    quantiles: tuple[float, ...] = QUANTILES,
) -> xr.DataTree:
    """Simulate in blocks and keep only the summary: memory bounded however many draws.

    The numbers are those of :func:`~simpact.simulation.simulate_cashflows` at the same seed
    (same streams per block), reduced per block; threads share the blocks without changing them.

    Parameters
    ----------
    spec, posterior, random_seed, draws, mode
        As for :func:`~simpact.simulation.simulate_cashflows`.
    threads
        Blocks simulated at once (default: the number of CPUs).
    quantiles
        Quantiles of cumulative savings per year.

    Returns
    -------
    xarray.DataTree
        Groups ``npv`` (``npv`` per draw and actor, ``npv_total``), ``savings``
        (``mean_savings`` per year and actor, ``cumulative_savings_quantiles`` per year),
        ``repayment`` (``repaying_cashable_savings`` per draw and fund year) and ``fund``
        (per-draw ``full_on_schedule``, ``shortfall``, ``repaid_share``, ... from
        :func:`simpact.fund.repay`).

    Examples
    --------
    >>> import simpact as sp
    >>> spec = sp.load_model("nata")
    >>> raw = spec.model_copy(update={"outcomes": [
    ...     o.model_copy(update={"effect": "difference", "effect_prior": sp.inputs.as_dist(
    ...         {"dist": "normal", "mean": -0.05, "sd": 0.02})}) for o in spec.outcomes]})
    >>> s = simulate_summary(raw, None, random_seed=1, draws=1000)
    >>> s["npv"]["npv"].sizes["draw"]
    1000
    """
    if mode is not None:
        sim = spec.simulation.model_copy(update={"mode": mode})
        spec = spec.model_copy(update={"simulation": sim})
    seed = rng.seed_sequence(random_seed)
    plan = compile_plan(spec, posterior, draws=draws)
    collector = run_blocks(plan, seed, threads=threads)
    return assemble(plan, collector, seed, quantiles=quantiles)
