"""Summary-only simulation: stream over blocks of draws, keep what decisions need.

Each block of :data:`~simpact.simulation.BLOCK` draws is simulated with exactly the streams
:func:`~simpact.simulation.simulate_cashflows` uses, and reduced (in cache-sized sub-blocks, in
float32) to per-draw NPV per actor, the total cumulative savings per year (kept per draw for
exact quantiles), and the repaying administrations' cashable savings up to the fund horizon (the
repayment inputs; ``fund=True`` also runs :func:`simpact.fund.repay` on them). Memory is bounded
by the blocks in flight (one per thread) plus ``draws x (actors + years + fund years)`` numbers.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import xarray as xr

from simpact.base import rng
from simpact.base.constants import SAMPLE_DIMS
from simpact.base.version import __version__
from simpact.components.rules import repay
from simpact.config.spec import ModelSpec
from simpact.simulation import blocks
from simpact.simulation.plan import BLOCK, Plan, compile_plan

QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)
"""Quantiles of cumulative savings reported per year (P5 and P95 bound the 90 % interval)."""

_FUND_VARS = ("full_on_schedule", "full_by_horizon", "shortfall", "repaid_share", "repayment_year")


def _due(spec: ModelSpec) -> dict[int, float]:
    principal = sum(spec.fund.fund_part.values())
    return {year: share * principal for year, share in spec.fund.repayment.items()}


SUB_BLOCK = 8_192
"""Draws reduced at once inside a block (cache-sized; does not change any number)."""


def summary_block(
    plan: Plan, seed, block: int, out: dict[str, np.ndarray] | None = None
) -> dict[str, np.ndarray]:
    """Simulate block ``block`` and reduce it to the summary's per-draw and per-year pieces.

    ``out`` may hold views to write the per-draw pieces into (``npv`` ``(actor, n)``,
    ``cumulative`` ``(year, n)``, ``repaying`` ``(fund year, n)``); they are returned either way.
    """
    d, e = blocks.draw_block(plan, seed, block)
    avoided = blocks.avoided_by_lag(plan, seed, block, d, e)
    cut = blocks.haircut(d)
    value = blocks.values(plan, d)
    cashable = blocks.cashable_block(plan, d).astype(np.float32)
    spec = plan.spec
    horizon = spec.fund_horizon
    repaying_actors = [plan.actors.index(a) for a in spec.fund.repaying_actors]
    n, nt, na = len(cut), len(plan.years), len(plan.actors)
    if out is None:
        out = {
            "npv": np.empty((na, n)),
            "cumulative": np.empty((nt, n), dtype=np.float32),
            "repaying": np.empty((horizon, n), dtype=np.float32),
        }
    npv, cumulative, repaying = out["npv"], out["cumulative"], out["repaying"]
    savings_sum = np.zeros((nt, na))
    for start in range(0, n, SUB_BLOCK):
        sl = slice(start, min(start + SUB_BLOCK, n))
        part = {k: v[sl] for k, v in d.items()}
        savings = blocks.savings_block(
            plan, [a[..., sl] for a in avoided], [v[sl] for v in value], cut[sl], dtype=np.float32
        )
        discount = blocks.discount_block(plan, part, dtype=np.float32)
        npv[:, sl] = np.einsum("tan,tn->an", savings, discount)
        for a, year, name in plan.costs:
            npv[a, sl] -= part[name] * discount[year - 1]
        total = savings.sum(axis=1)
        cumulative[0, sl] = total[0]
        for t in range(1, nt):
            np.add(cumulative[t - 1, sl], total[t], out=cumulative[t, sl])
        repaying[:, sl] = 0
        for a in repaying_actors:
            repaying[:, sl] += savings[:horizon, a] * cashable[a, sl]
        savings_sum += savings.sum(axis=2, dtype=np.float64)
    return {**out, "savings_sum": savings_sum}


class _Collector:
    """Preallocated per-draw outputs, filled block by block in any order."""

    def __init__(self, plan: Plan) -> None:
        n, nt, na = plan.n_draws, len(plan.years), len(plan.actors)
        self.plan = plan
        self.npv = np.empty((na, n))
        self.cumulative = np.empty((nt, n), dtype=np.float32)
        self.repaying = np.empty((plan.spec.fund_horizon, n), dtype=np.float32)
        self.savings_sum = np.empty((plan.n_blocks, nt, na))

    def views(self, block: int) -> dict[str, np.ndarray]:
        sl = slice(block * BLOCK, block * BLOCK + self.plan.block_size(block))
        return {
            "npv": self.npv[:, sl],
            "cumulative": self.cumulative[:, sl],
            "repaying": self.repaying[:, sl],
        }

    def add(self, block: int, part: dict[str, np.ndarray]) -> None:
        for key, view in self.views(block).items():
            if not np.may_share_memory(part[key], view):  # a block from elsewhere (dask)
                view[...] = part[key]
        self.savings_sum[block] = part["savings_sum"]

    def fund(self, pool: ThreadPoolExecutor) -> tuple[dict[str, np.ndarray], np.ndarray]:
        """The fund's per-draw result from :func:`simpact.fund.repay`, in bounded chunks."""
        spec = self.plan.spec
        n = self.plan.n_draws
        years = self.plan.years[: spec.fund_horizon]

        def ledger(start: int) -> xr.Dataset:
            sl = slice(start, min(start + BLOCK, n))
            savings = xr.DataArray(
                self.repaying[:, sl].T.astype(float), dims=("draw", "year"), coords={"year": years}
            )
            return repay(savings, due=_due(spec), rule=spec.fund.rule, horizon=spec.fund_horizon)

        out = {k: np.empty(n, dtype=bool if k.startswith("full") else float) for k in _FUND_VARS}
        repaid = np.zeros(len(years))
        starts = range(0, n, BLOCK)
        for start, result in zip(starts, pool.map(ledger, starts), strict=True):
            sl = slice(start, start + result.sizes["draw"])
            for k in _FUND_VARS:
                out[k][sl] = result[k].to_numpy()
            repaid += result["repaid"].sum("draw").to_numpy()
        return out, repaid

    def quantiles(self, pool: ThreadPoolExecutor, quantiles) -> np.ndarray:
        """Exact quantiles over draws of cumulative savings, ``(year, quantile)``."""

        def row_quantiles(row: np.ndarray) -> np.ndarray:
            row.sort()  # in place; numpy's vectorised sort beats a partition on 1e6 floats
            return np.quantile(row, quantiles, overwrite_input=True)

        return np.array(list(pool.map(row_quantiles, self.cumulative)))


def run_blocks(
    plan: Plan,
    seed,
    pool: ThreadPoolExecutor,
    *,
    mapper: Callable[[Iterable[int]], Iterable[dict]] | None = None,
) -> _Collector:
    """Run every block (in ``pool``'s threads, or through ``mapper(blocks)``) into a collector."""
    collector = _Collector(plan)
    blocks = range(plan.n_blocks)
    if mapper is not None:
        for block, part in zip(blocks, mapper(blocks), strict=True):
            collector.add(block, part)
        return collector
    # each thread writes its block straight into the collector; the pool's size bounds memory
    for block, part in zip(
        blocks,
        pool.map(lambda b: summary_block(plan, seed, b, collector.views(b)), blocks),
        strict=True,
    ):
        collector.add(block, part)
    return collector


def assemble(
    plan: Plan,
    collector: _Collector,
    seed,
    pool: ThreadPoolExecutor,
    *,
    quantiles=QUANTILES,
    fund: bool = False,
) -> xr.DataTree:
    """The summary tree from a filled collector (shared by the threaded and dask runs)."""
    spec = plan.spec
    shape = plan.shape
    sek = f"SEK ({spec.intervention.price_year} prices)"
    years = plan.years
    sample = {"chain": np.arange(shape[0]), "draw": np.arange(shape[1])}
    calendar = ("year", spec.intervention.start_year + years - 1)

    def per_draw(values: np.ndarray, dims: tuple[str, ...], coords: dict, units: str, **attrs):
        values = np.moveaxis(values, -1, 0).reshape(shape + values.shape[:-1])
        return xr.DataArray(
            values,
            dims=(*SAMPLE_DIMS, *dims),
            coords={**sample, **coords},
            attrs={"units": units, **attrs},
        )

    npv = per_draw(
        collector.npv,
        ("actor",),
        {"actor": plan.actors},
        sek,
        description="net present value per actor (savings minus costs, discounted)",
    )
    npv_ds = xr.Dataset({"npv": npv, "npv_total": npv.sum("actor").assign_attrs(units=sek)})
    q = collector.quantiles(pool, quantiles)  # last use of the per-draw cumulative sums
    savings_ds = xr.Dataset(
        {
            "mean_savings": xr.DataArray(
                collector.savings_sum.sum(axis=0) / plan.n_draws,
                dims=("year", "actor"),
                coords={"year": years, "actor": plan.actors, "calendar_year": calendar},
                attrs={"units": sek, "description": "mean gross savings per year"},
            ),
            "cumulative_savings_quantiles": xr.DataArray(
                q,
                dims=("year", "quantile"),
                coords={"year": years, "quantile": list(quantiles), "calendar_year": calendar},
                attrs={
                    "units": sek,
                    "description": "quantiles over draws of total gross savings "
                    "(all actors) accumulated to each year; exact, from float32 per-draw sums",
                },
            ),
        }
    )
    fund_years = years[: spec.fund_horizon]
    repayment = xr.Dataset(
        {
            "repaying_cashable_savings": per_draw(
                collector.repaying,
                ("year",),
                {"year": fund_years},
                sek,
                description="cashable savings of the repaying administrations (float32)",
            )
        },
        attrs={"repaying_actors": list(spec.fund.repaying_actors)},
    )
    groups = {"npv": npv_ds, "savings": savings_ds, "repayment": repayment}
    if fund:
        by_draw, repaid = collector.fund(pool)
        ledger = xr.Dataset(
            {
                k: per_draw(
                    v,
                    (),
                    {},
                    "project year" if k == "repayment_year" else (sek if "shortfall" in k else "1"),
                )
                for k, v in by_draw.items()
            }
        )
        ledger["mean_repaid"] = xr.DataArray(
            repaid / plan.n_draws, dims="year", coords={"year": fund_years}, attrs={"units": sek}
        )
        ledger["principal"] = xr.DataArray(sum(spec.fund.fund_part.values()), attrs={"units": sek})
        ledger.attrs.update(
            rule=spec.fund.rule,
            horizon=spec.fund_horizon,
            repaying_actors=list(spec.fund.repaying_actors),
        )
        groups["fund"] = ledger
    tree = xr.DataTree.from_dict(groups)
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
        block_size=BLOCK,
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
        Also run :func:`simpact.fund.repay` on the repayment inputs (group ``fund``); it works
        in blocks, so memory stays bounded, but it roughly doubles the time.

    Returns
    -------
    xarray.DataTree
        Groups ``npv`` (``npv`` per draw and actor, ``npv_total``), ``savings``
        (``mean_savings`` per year and actor, ``cumulative_savings_quantiles`` per year),
        ``repayment`` (``repaying_cashable_savings`` per draw and fund year: the repayment
        inputs) and, with ``fund=True``, ``fund`` (per-draw ``full_on_schedule``,
        ``shortfall``, ``repaid_share``, ... from :func:`simpact.fund.repay`).

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
    seed = rng.seed_sequence(random_seed)
    plan = compile_plan(spec, posterior, draws=draws, mode=mode)
    with ThreadPoolExecutor(max_workers=threads or os.cpu_count() or 1) as pool:
        collector = run_blocks(plan, seed, pool)
        return assemble(plan, collector, seed, pool, quantiles=quantiles, fund=fund)
