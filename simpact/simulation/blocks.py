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

from collections.abc import Mapping

import numpy as np
from scipy import sparse

from simpact.base import rng, scales
from simpact.components.persistence import PERSISTENCE
from simpact.config.spec import Haircuts
from simpact.simulation.plan import BLOCK, OutcomePlan, Plan


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


def signed_effect(
    plan: Plan, o: OutcomePlan, d: Mapping[str, np.ndarray], e: Mapping[str, np.ndarray]
) -> np.ndarray:
    """An outcome's effect draws; a difference is signed so that an improvement is positive."""
    value = d[o.effect] if o.effect in d else e[o.effect]
    if not scales.get(o.link.scale).is_ratio:  # the fall of a bad outcome, the rise of a good one
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
        per_person = o.link.per_person(signed_effect(plan, o, d, e), needs)
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
    return out


def _rows(plan: Plan) -> int:
    """Intake rows of :func:`avoided_by_lag`: one per person (expected), one per intake."""
    return 1 if plan.mode == "expected" else len(plan.intake_sizes)


def scatter_matrix(plan: Plan, dtype=np.float64, *, repaying: bool = False) -> sparse.csr_array:
    """The sparse :func:`_scatter` matrix, rows ``(year, actor)`` flattened (cached on the plan).

    ``repaying=True`` keeps only the rows of the fund years and the repaying actors (in the
    order of ``plan.repaying``); each is the full matrix's row, so its products are the same.
    """
    key = (np.dtype(dtype).name, repaying)
    out = plan.scatter.get(key)
    if out is None:
        dense = _scatter(plan, _rows(plan))
        if repaying:
            dense = dense[: len(plan.fund_years)][:, plan.repaying]
        out = sparse.csr_array(dense.reshape(-1, dense.shape[-1]).astype(dtype))
        plan.scatter[key] = out
    return out


def savings_terms(
    avoided: list[np.ndarray], value: list[np.ndarray], cut: np.ndarray
) -> np.ndarray:
    """SEK per (outcome, intake row, lag) term, one float64 row over the draws ``(term, n)``.

    Terms are avoided events (:func:`avoided_by_lag`) times the value of an event after
    haircuts; :func:`savings_block` and :func:`repaying_block` scatter them into years and
    actors, so no ``(year, outcome, lag)`` array is built.
    """
    n = len(cut)
    terms = np.empty((sum(a.shape[0] * a.shape[1] for a in avoided), n))
    r = 0
    for k, block in enumerate(avoided):
        size = block.shape[0] * block.shape[1]
        np.multiply(block.reshape(size, n), value[k] * cut, out=terms[r : r + size])
        r += size
    return terms


def savings_block(plan: Plan, terms: np.ndarray, *, dtype=np.float64) -> np.ndarray:
    """Gross savings ``(year, actor, n)`` in SEK: one product of the terms with the fixed
    sparse scatter matrix (intake sizes x payer shares, placed at year ``intake + lag``)."""
    out = scatter_matrix(plan, dtype) @ terms.astype(dtype, copy=False)
    return out.reshape(len(plan.years), len(plan.actors), terms.shape[-1])


def repaying_block(plan: Plan, terms: np.ndarray, cashable: np.ndarray) -> np.ndarray:
    """Cashable savings of the repaying administrations ``(fund year, n)``, float64.

    The full tree's ``cashable_savings`` summed over the repaying actors, number for number
    (the same rows of the same product, summed in the same order), so every fund path repays
    from the same savings.
    """
    rows = scatter_matrix(plan, repaying=True) @ terms
    rows = rows.reshape(len(plan.fund_years), len(plan.repaying), terms.shape[-1])
    out = np.zeros((rows.shape[0], rows.shape[-1]))
    for i, a in enumerate(plan.repaying):
        out += rows[:, i] * cashable[a]
    return out


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
