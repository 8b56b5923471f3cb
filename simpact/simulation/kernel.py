"""The fused savings kernel of the streamed summary: one compiled pass per draw (Numba).

For a block of draws in expected mode, :func:`reduce_block` computes, draw by draw and without
any ``(term, draw)`` or ``(year, actor, draw)`` temporary, the savings terms (avoided events per
person x timing x persistence x value after haircuts), their scatter into years and actors by
the plan's sparse matrix, the discounting, NPV per actor, the cumulative total savings per year
and the repaying administrations' cashable savings.

Every number is computed with the same float64 operations, in the same order, as the NumPy
path of :mod:`simpact.simulation.blocks` (``savings_terms``, the CSR product of
``scatter_matrix``, ``repaying_block``, ``discount_block``), so the repayment inputs equal the
full tree's bit for bit, and a draw's numbers depend only on its own inputs: never on threads,
blocks or dask workers. Numba is imported on first use (not when simpact is imported) and its
compiled code (:mod:`simpact.simulation.fused`) is cached on disk
(see :func:`simpact.base.cache.numba_cache_dir`).

Plans the kernel does not cover (realized counts, a persistence kind other than ``geometric``
or ``step``, geometric lags with gaps) return ``None`` from :func:`kernel_inputs` and take the
NumPy path.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from simpact.simulation import blocks
from simpact.simulation.plan import Plan

WIDTH = 64
"""Draws the kernel carries at once (vector lanes; does not change any number)."""


def kernel_inputs(
    plan: Plan, d: Mapping[str, np.ndarray], e: Mapping[str, np.ndarray]
) -> dict[str, np.ndarray] | None:
    """The kernel's per-draw and fixed arrays for one block, or ``None`` if it does not apply."""
    if plan.mode != "expected":
        return None
    n, nk = len(d["discount_rate"]), len(plan.outcomes)
    per_person, worth = np.empty((nk, n)), np.empty((nk, n))
    first, rho = np.ones((nk, n)), np.ones((nk, n))
    geometric = np.zeros(nk, dtype=np.bool_)
    term_outcome, term_share, term_step = [], [], []
    cut = blocks.haircut(d)
    for k, (o, value) in enumerate(zip(plan.outcomes, blocks.values(plan, d), strict=True)):
        needs = {key: d[f"{o.name}.{key}"] for key in o.link.needs}
        per_person[k] = o.link.per_person(blocks.signed_effect(plan, o, d, e), needs)
        worth[k] = value * cut
        kind = o.persistence.kind
        if kind == "geometric":
            if np.any(np.diff(o.lags) != 1):
                return None
            geometric[k] = True
            rho[k] = d[f"{o.persistence_prefix}retention"]
            first[k] = rho[k] ** o.lags[0]
            fixed = np.ones(len(o.lags))
        elif kind == "step":
            fixed = (o.lags < o.persistence.years).astype(float)
        else:
            return None
        for i, (share, f) in enumerate(zip(o.timing, fixed, strict=True)):
            term_outcome.append(k)
            term_share.append((share, f))
            term_step.append(i)
    matrix = blocks.scatter_matrix(plan)
    return {
        "per_person": per_person,
        "worth": worth,
        "first": first,
        "rho": rho,
        "geometric": geometric,
        "term_outcome": np.array(term_outcome, dtype=np.int64),
        "term_share": np.array(term_share, dtype=float).reshape(-1, 2),
        "term_step": np.array(term_step, dtype=np.int64),
        "indptr": matrix.indptr.astype(np.int64),
        "indices": matrix.indices.astype(np.int64),
        "data": matrix.data.astype(float),
        "step": 1 / (1 + d["discount_rate"]),
        "cost_actor": np.array([a for a, _, _ in plan.costs], dtype=np.int64),
        "cost_year": np.array([y for _, y, _ in plan.costs], dtype=np.int64),
        "cost": np.array([d[name] for _, _, name in plan.costs]).reshape(len(plan.costs), n),
        "repaying": np.array(plan.repaying, dtype=np.int64),
        "cashable": blocks.cashable_block(plan, d),
    }


def reduce_block(plan: Plan, arrays: dict[str, np.ndarray], out: dict[str, np.ndarray]) -> None:
    """Fill ``out`` (``npv``, ``cumulative``, ``repaying``, ``savings_sum``) for one block."""
    from simpact.simulation import fused  # imports Numba: on first use only

    lanes = np.zeros((len(plan.years) * len(plan.actors), WIDTH))
    fused.reduce_chunks(
        arrays["per_person"],
        arrays["worth"],
        arrays["first"],
        arrays["rho"],
        arrays["geometric"],
        arrays["term_outcome"],
        arrays["term_share"],
        arrays["term_step"],
        arrays["indptr"],
        arrays["indices"],
        arrays["data"],
        len(plan.actors),
        arrays["step"],
        arrays["cost_actor"],
        arrays["cost_year"],
        arrays["cost"],
        arrays["repaying"],
        arrays["cashable"],
        len(plan.fund_years),
        out["npv"],
        out["cumulative"],
        out["repaying"],
        lanes,
    )
    # the lanes' sums, added in a fixed order
    out["savings_sum"][...] = lanes.sum(axis=1).reshape(out["savings_sum"].shape)
