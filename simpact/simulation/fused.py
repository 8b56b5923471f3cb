"""The compiled loops of :mod:`simpact.simulation.kernel` (Numba, cached on disk).

Importing this module imports Numba and points its cache at simpact's cache folder; only
:func:`simpact.simulation.kernel.reduce_block` imports it, on first use. Every loop over draws
keeps each draw's own sequence of float64 operations (no fast-math: nothing is reassociated),
so the lanes only change speed, never a number.
"""

from __future__ import annotations

from simpact.base import cache

cache.numba_cache_dir()

import numba  # noqa: E402 - after the cache folder is set
import numpy as np  # noqa: E402

_jit = numba.njit(nogil=True, cache=True, error_model="numpy")


@_jit
def reduce_chunks(
    per_person, worth, first, rho, geometric, term_outcome, term_share, term_step,
    indptr, indices, data, n_actors, step, cost_actor, cost_year, cost, repaying, cashable,
    n_fund_years, npv, cumulative, rep, lanes,
):  # fmt: skip
    n, width = per_person.shape[1], lanes.shape[1]
    n_terms, n_rows = term_outcome.shape[0], indptr.shape[0] - 1
    n_years = n_rows // n_actors
    terms = np.empty((n_terms, width))
    sav = np.empty((n_rows, width))
    disc = np.empty((n_years, width))
    factor = np.empty((n_terms, width))
    acc = np.empty(width)
    for start in range(0, n, width):
        w = min(width, n - start)
        for r in range(n_terms):  # savings_terms: (per_person * (timing * factor)) * worth
            k, share = term_outcome[r], term_share[r, 0]
            for i in range(w):
                if not geometric[k]:
                    f = term_share[r, 1]
                elif term_step[r] == 0:
                    f = first[k, start + i]
                else:  # the running product of the previous lag's factor
                    f = factor[r - 1, i] * rho[k, start + i]
                factor[r, i] = f
                terms[r, i] = (per_person[k, start + i] * (share * f)) * worth[k, start + i]
        for row in range(n_rows):  # the CSR product, in CSR order from 0.0
            acc[:w] = 0.0
            for jj in range(indptr[row], indptr[row + 1]):
                for i in range(w):
                    acc[i] += data[jj] * terms[indices[jj], i]
            sav[row, :w] = acc[:w]
        _tail(sav, start, w, n_actors, step, cost_actor, cost_year, cost, repaying, cashable,
              n_fund_years, npv, cumulative, rep, lanes, disc, acc)  # fmt: skip


@_jit
def _tail(
    sav, start, w, n_actors, step, cost_actor, cost_year, cost, repaying, cashable,
    n_fund_years, npv, cumulative, rep, lanes, disc, acc,
):  # fmt: skip
    """Discounting, NPV, cumulative totals, repayment inputs and lane sums of one chunk."""
    n_years = disc.shape[0]
    for i in range(w):
        disc[0, i] = step[start + i]
    for t in range(1, n_years):
        for i in range(w):
            disc[t, i] = disc[t - 1, i] * step[start + i]
    for a in range(n_actors):
        acc[:w] = 0.0
        for t in range(n_years):
            for i in range(w):
                acc[i] += sav[t * n_actors + a, i] * disc[t, i]
        for c in range(cost_actor.shape[0]):
            if cost_actor[c] == a:
                for i in range(w):
                    acc[i] -= cost[c, start + i] * disc[cost_year[c] - 1, i]
        npv[a, start : start + w] = acc[:w]
    acc[:w] = 0.0
    for t in range(n_years):
        for i in range(w):
            year_total = 0.0
            for a in range(n_actors):
                year_total += sav[t * n_actors + a, i]
                lanes[t * n_actors + a, i] += sav[t * n_actors + a, i]
            acc[i] += year_total
            cumulative[t, start + i] = acc[i]
    for t in range(n_fund_years):
        for i in range(w):
            total = 0.0
            for j in range(repaying.shape[0]):
                total += sav[t * n_actors + repaying[j], i] * cashable[repaying[j], start + i]
            rep[t, start + i] = total


@_jit
def bracket(row, lo, hi, below, inside, buffer):
    """Count the values below each ``[lo[j], hi[j]]`` and copy those inside into ``buffer[j]``.

    ``inside[j]`` may exceed ``buffer``'s width: the caller then selects from the whole row.
    """
    cap = buffer.shape[1]
    for j in range(lo.shape[0]):  # one pass per bracket: a branch-free count, a rare copy
        low, high = lo[j], hi[j]
        count, kept = 0, 0
        for x in row:
            count += x < low
            if x >= low and x <= high:
                if kept < cap:
                    buffer[j, kept] = x
                kept += 1
        below[j], inside[j] = count, kept
