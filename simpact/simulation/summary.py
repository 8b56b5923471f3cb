"""Summary-only simulation: stream over blocks of draws, keep what decisions need.

Each block of :data:`~simpact.simulation.BLOCK` draws is simulated with exactly the streams
:func:`~simpact.simulation.simulate_cashflows` uses, and reduced to per-draw NPV per actor, the
total cumulative savings per year (kept per draw, in float32, for exact quantiles) and the
repaying administrations' cashable savings up to the fund horizon (the repayment inputs, the
full tree's numbers bit for bit); ``fund=True`` also repays from them under the spec's terms
(``plan.fund``, the terms every fund path uses). In expected mode one compiled kernel does the
whole reduction in float64 (:mod:`simpact.simulation.kernel`); otherwise NumPy does it in
cache-sized sub-blocks (NPV and cumulative sums in float32). Memory is bounded by the blocks in
flight (one per thread) plus ``draws x (actors + years + fund years)`` numbers."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import xarray as xr

from simpact.base import rng
from simpact.config.spec import ModelSpec
from simpact.simulation import blocks, kernel
from simpact.simulation.plan import BLOCK, Plan, compile_plan, run_attrs
from simpact.simulation.select import exact_quantiles

QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)
"""Quantiles of cumulative savings reported per year (P5 and P95 bound the 90 % interval)."""

FUND_VARS = ("full_on_schedule", "full_by_horizon", "shortfall", "repaid_share", "repayment_year")
"""The per-draw results of the repayment kept in the summary's ``fund`` group."""

SUB_BLOCK = 8_192
"""Draws reduced at once inside a block (cache-sized; does not change any number)."""


def empty_pieces(plan: Plan, n: int) -> dict[str, np.ndarray]:
    """Uninitialised per-draw pieces for ``n`` draws (see :func:`summary_block`)."""
    return {
        "npv": np.empty((len(plan.actors), n)),
        "cumulative": np.empty((len(plan.years), n), dtype=np.float32),
        "repaying": np.empty((len(plan.fund_years), n)),
    }


def summary_block(
    plan: Plan, seed, block: int, out: dict[str, np.ndarray] | None = None
) -> dict[str, np.ndarray]:
    """Simulate block ``block`` and reduce it to the summary's per-draw and per-year pieces.

    ``out`` may hold views to write the per-draw pieces into (``npv`` ``(actor, n)``,
    ``cumulative`` ``(year, n)`` float32, ``repaying`` ``(fund year, n)``); they are returned
    either way, with ``savings_sum`` ``(year, actor)``.
    """
    d, e = blocks.draw_block(plan, seed, block)
    fused = kernel.kernel_inputs(plan, d, e)
    if fused is not None:
        out = empty_pieces(plan, plan.block_size(block)) if out is None else out
        savings_sum = np.empty((len(plan.years), len(plan.actors)))
        kernel.reduce_block(plan, fused, {**out, "savings_sum": savings_sum})
        return {**out, "savings_sum": savings_sum}
    avoided = blocks.avoided_by_lag(plan, seed, block, d, e)
    cut = blocks.haircut(d)
    value = blocks.values(plan, d)
    cashable = blocks.cashable_block(plan, d)
    n, nt = len(cut), len(plan.years)
    out = empty_pieces(plan, n) if out is None else out
    npv, cumulative = out["npv"], out["cumulative"]
    savings_sum = np.zeros((nt, len(plan.actors)))
    for start in range(0, n, SUB_BLOCK):
        sl = slice(start, min(start + SUB_BLOCK, n))
        part = {k: v[sl] for k, v in d.items()}
        terms = blocks.savings_terms([a[..., sl] for a in avoided], [v[sl] for v in value], cut[sl])
        savings = blocks.savings_block(plan, terms, dtype=np.float32)
        discount = blocks.discount_block(plan, part, dtype=np.float32)
        npv[:, sl] = np.einsum("tan,tn->an", savings, discount)
        for a, year, name in plan.costs:
            npv[a, sl] -= part[name] * discount[year - 1]
        total = savings.sum(axis=1)
        cumulative[0, sl] = total[0]
        for t in range(1, nt):
            np.add(cumulative[t - 1, sl], total[t], out=cumulative[t, sl])
        out["repaying"][:, sl] = blocks.repaying_block(plan, terms, cashable[:, sl])
        savings_sum += savings.sum(axis=2, dtype=np.float64)
    return {**out, "savings_sum": savings_sum}


class Collector:
    """Preallocated per-draw outputs, filled block by block in any order."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.pieces = empty_pieces(plan, plan.n_draws)
        self.savings_sum = np.empty((plan.n_blocks, len(plan.years), len(plan.actors)))

    def views(self, block: int) -> dict[str, np.ndarray]:
        sl = slice(block * BLOCK, block * BLOCK + self.plan.block_size(block))
        return {key: piece[:, sl] for key, piece in self.pieces.items()}

    def add(self, block: int, part: dict[str, np.ndarray]) -> None:
        for key, view in self.views(block).items():
            if not np.may_share_memory(part[key], view):  # a block from elsewhere (dask)
                view[...] = part[key]
        self.savings_sum[block] = part["savings_sum"]

    def fund(self, pool: ThreadPoolExecutor) -> tuple[dict[str, np.ndarray], np.ndarray]:
        """Per-draw results of ``plan.fund.repay`` and the repaid sum per year, in chunks."""
        plan = self.plan
        n, years = plan.n_draws, plan.fund_years
        repaying = self.pieces["repaying"]

        def ledger(start: int) -> xr.Dataset:
            savings = xr.DataArray(
                repaying[:, start : start + BLOCK].T, dims=("draw", "year"), coords={"year": years}
            )
            return plan.fund.repay(savings)

        out = {k: np.empty(n, dtype=bool if k.startswith("full") else float) for k in FUND_VARS}
        repaid = np.zeros(len(years))
        starts = range(0, n, BLOCK)
        for start, result in zip(starts, pool.map(ledger, starts), strict=True):
            sl = slice(start, start + result.sizes["draw"])
            for k in FUND_VARS:
                out[k][sl] = result[k].to_numpy()
            repaid += result["repaid"].sum("draw").to_numpy()
        return out, repaid

    def quantiles(self, pool: ThreadPoolExecutor, quantiles) -> np.ndarray:
        """Exact quantiles over draws of cumulative savings, ``(year, quantile)``, by selection."""

        rows = self.pieces["cumulative"]
        return np.array(list(pool.map(lambda row: exact_quantiles(row, quantiles), rows)))


def run_blocks(
    plan: Plan,
    seed,
    pool: ThreadPoolExecutor,
    *,
    mapper: Callable[[Iterable[int]], Iterable[dict]] | None = None,
) -> Collector:
    """Run every block (in ``pool``'s threads, or through ``mapper(blocks)``) into a collector."""
    collector = Collector(plan)
    indices = range(plan.n_blocks)
    if mapper is not None:
        for block, part in zip(indices, mapper(indices), strict=True):
            collector.add(block, part)
        return collector
    # each thread writes its block straight into the collector; the pool's size bounds memory
    for block, part in zip(
        indices,
        pool.map(lambda b: summary_block(plan, seed, b, collector.views(b)), indices),
        strict=True,
    ):
        collector.add(block, part)
    return collector


def _sek(plan: Plan) -> str:
    return f"SEK ({plan.spec.intervention.price_year} prices)"


def _npv_group(plan: Plan, collector: Collector) -> xr.Dataset:
    sek = _sek(plan)
    npv = plan.per_draw(
        collector.pieces["npv"],
        ("actor",),
        {"actor": plan.actors},
        sek,
        description="net present value per actor (savings minus costs, discounted)",
    )
    return xr.Dataset({"npv": npv, "npv_total": npv.sum("actor").assign_attrs(units=sek)})


def _savings_group(
    plan: Plan, collector: Collector, pool: ThreadPoolExecutor, quantiles
) -> xr.Dataset:
    sek, years = _sek(plan), plan.years
    coords = {
        "year": years,
        "calendar_year": ("year", plan.spec.intervention.start_year + years - 1),
    }
    q = collector.quantiles(pool, quantiles)  # last use of the per-draw cumulative sums
    return xr.Dataset(
        {
            "mean_savings": xr.DataArray(
                collector.savings_sum.sum(axis=0) / plan.n_draws,
                dims=("year", "actor"),
                coords={**coords, "actor": plan.actors},
                attrs={"units": sek, "description": "mean gross savings per year"},
            ),
            "cumulative_savings_quantiles": xr.DataArray(
                q,
                dims=("year", "quantile"),
                coords={**coords, "quantile": list(quantiles)},
                attrs={
                    "units": sek,
                    "description": "quantiles over draws of total gross savings "
                    "(all actors) accumulated to each year; exact order statistics of the float32 "
                    "per-draw sums",
                },
            ),
        }
    )


def _repayment_group(plan: Plan, collector: Collector) -> xr.Dataset:
    repaying = plan.per_draw(
        collector.pieces["repaying"],
        ("year",),
        {"year": plan.fund_years},
        _sek(plan),
        description="cashable savings of the repaying administrations",
    )
    return xr.Dataset(
        {"repaying_cashable_savings": repaying},
        attrs={"repaying_actors": list(plan.spec.fund.repaying_actors)},
    )


def _fund_group(plan: Plan, collector: Collector, pool: ThreadPoolExecutor) -> xr.Dataset:
    sek = _sek(plan)
    units = {"repayment_year": "project year", "shortfall": sek}
    by_draw, repaid = collector.fund(pool)
    ledger = xr.Dataset(
        {k: plan.per_draw(v, (), {}, units.get(k, "1")) for k, v in by_draw.items()}
    )
    ledger["mean_repaid"] = xr.DataArray(
        repaid / plan.n_draws,
        dims="year",
        coords={"year": plan.fund_years},
        attrs={"units": sek},
    )
    ledger["principal"] = xr.DataArray(plan.fund.principal, attrs={"units": sek})
    ledger.attrs.update(
        rule=plan.fund.rule,
        horizon=plan.fund.horizon,
        repaying_actors=list(plan.spec.fund.repaying_actors),
    )
    if plan.fund.rule == "capped_return":
        ledger.attrs["cap"] = plan.fund.cap
    return ledger


def assemble(
    plan: Plan,
    collector: Collector,
    seed,
    pool: ThreadPoolExecutor,
    *,
    quantiles=QUANTILES,
    fund: bool = False,
) -> xr.DataTree:
    """The summary tree from a filled collector (shared by the threaded and dask runs)."""
    groups = {
        "npv": _npv_group(plan, collector),
        "savings": _savings_group(plan, collector, pool, quantiles),
        "repayment": _repayment_group(plan, collector),
    }
    if fund:
        groups["fund"] = _fund_group(plan, collector, pool)
    tree = xr.DataTree.from_dict(groups)
    tree.attrs.update(run_attrs(plan, seed), summary_only=True, draws=plan.n_draws)
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
    fund: bool = False,
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
    fund
        Also repay the fund part from the repayment inputs under the spec's terms (group
        ``fund``, draw by draw the numbers of :func:`simpact.fund.apply_fund` on the full
        tree); it works in blocks, so memory stays bounded, but it adds time.

    Returns
    -------
    xarray.DataTree
        Groups ``npv`` (``npv`` per draw and actor, ``npv_total``), ``savings``
        (``mean_savings`` per year and actor, ``cumulative_savings_quantiles`` per year),
        ``repayment`` (``repaying_cashable_savings`` per draw and fund year: the repayment
        inputs) and, with ``fund=True``, ``fund`` (per-draw ``full_on_schedule``,
        ``shortfall``, ``repaid_share``, ... from :func:`simpact.fund.repay`).
        Root attrs name the seed: ``random_seed_entropy`` and ``random_seed_spawn_key``.

    Examples
    --------
    >>> import simpact as sp
    >>> from simpact.components.distributions import as_dist
    >>> spec = sp.load_model("nata")
    >>> raw = spec.model_copy(update={"outcomes": [
    ...     o.model_copy(update={"effect": "difference", "effect_prior": as_dist(
    ...         {"dist": "normal", "mean": -0.05, "sd": 0.02})}) for o in spec.outcomes]})
    >>> s = simulate_summary(raw, None, random_seed=1, draws=1000)
    >>> s["npv"]["npv"].sizes["draw"]
    1000
    """
    seed = rng.seed_sequence(random_seed)
    plan = compile_plan(spec, posterior, draws=draws, mode=mode)
    with ThreadPoolExecutor(max_workers=threads or os.cpu_count() or 1) as pool:
        collector = run_blocks(plan, seed, pool)
        return assemble(plan, collector, seed, pool, quantiles=quantiles, fund=fund)
