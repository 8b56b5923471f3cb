"""Exact quantiles over a million draws by selection, not sorting.

:func:`exact_quantiles` finds, from a regular subsample, a narrow bracket of values around
each wanted order statistic, counts the draws below it and copies the few inside (one compiled
pass, :func:`simpact.simulation.fused.bracket`), and selects within them (``np.partition``).
The order statistics are exactly those of a full sort (a bracket that misses its rank falls
back to partitioning the whole row), interpolated linearly as ``np.quantile`` does
(``method="linear"``); the result depends only on the values, not on their order.
"""

from __future__ import annotations

import numpy as np

SAMPLE = 4_096
"""Size of the regular subsample that places the brackets."""

MARGIN = 160
"""Subsample ranks on each side of a wanted rank inside its bracket (about 5 sd)."""


def _ranks(n: int, quantiles: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``np.quantile``'s linear positions: the lower order statistic and the weight of the next."""
    position = (n - 1) * quantiles
    lower = np.floor(position).astype(np.int64)
    return np.minimum(lower, n - 1), position - lower


def order_statistics(row: np.ndarray, ranks: np.ndarray) -> np.ndarray:
    """The values of ``row`` at 0-based ``ranks`` of its sorted order (float64), exactly.

    With an even number of ranks, rank ``j`` and rank ``j + len(ranks) // 2`` share a bracket
    (the two order statistics a linear quantile interpolates between).
    """
    from simpact.simulation import fused  # imports Numba: on first use only

    n = row.size
    sample = np.sort(row[:: max(1, n // SAMPLE)])
    m = sample.size
    ranks = np.asarray(ranks, dtype=np.int64)
    first, last = ranks.reshape(2, -1) if ranks.size % 2 == 0 else (ranks, ranks)
    at_lo = np.round(first / max(n - 1, 1) * (m - 1)).astype(np.int64) - MARGIN
    at_hi = np.round(last / max(n - 1, 1) * (m - 1)).astype(np.int64) + MARGIN
    lo = sample[np.clip(at_lo, 0, m - 1)].astype(row.dtype)
    hi = sample[np.clip(at_hi, 0, m - 1)].astype(row.dtype)
    lo[at_lo <= 0] = -np.inf
    hi[at_hi >= m - 1] = np.inf
    cap = min(n, max(1024, int(4 * (2 * MARGIN + 1) * n / m)))
    below = np.empty(len(lo), dtype=np.int64)
    inside = np.empty(len(lo), dtype=np.int64)
    buffer = np.empty((len(lo), cap), dtype=row.dtype)
    fused.bracket(row, lo, hi, below, inside, buffer)
    out = np.empty(len(ranks))
    for j, rank in enumerate(ranks):
        b = j % len(lo)
        local = rank - below[b]
        if 0 <= local < min(inside[b], cap):
            out[j] = np.partition(buffer[b, : inside[b]], local)[local]
        else:  # the bracket missed (or overflowed): select from the whole row
            out[j] = np.partition(row, rank)[rank]
    return out


def exact_quantiles(row: np.ndarray, quantiles) -> np.ndarray:
    """Quantiles of ``row`` (``np.quantile``'s linear method) from exact order statistics.

    Examples
    --------
    >>> x = np.random.default_rng(0).normal(size=100_001).astype(np.float32)
    >>> q = (0.05, 0.5, 0.95)
    >>> bool(np.allclose(exact_quantiles(x, q), np.quantile(x.astype(float), q), rtol=1e-12))
    True
    """
    q = np.asarray(quantiles, dtype=np.float64)
    if row.size == 0 or np.isnan(row).any():
        return np.quantile(row.astype(np.float64), q)
    lower, weight = _ranks(row.size, q)
    upper = np.minimum(lower + 1, row.size - 1)
    values = order_statistics(row, np.concatenate([lower, upper]))
    a, b = values[: len(q)], values[len(q) :]
    return np.where(weight >= 0.5, b - (b - a) * (1 - weight), a + (b - a) * weight)
