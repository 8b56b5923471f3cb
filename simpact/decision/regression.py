"""The regression behind EVPPI and EVSI: a ridge-penalised natural-cubic-spline fit.

Each parameter gets a 6-df natural cubic spline (knots at its own quantiles; indicator columns
when it has at most 7 distinct values), every pair a 3×3-df tensor product (products of the
centred parameters in groups larger than :data:`MAX_PAIRS`) and every triple the product of the
centred parameters (groups of up to :data:`MAX_TRIPLES`). The ridge penalty is chosen for each
response column by generalised cross-validation. :func:`fit` returns a :class:`SplineFit` that
predicts at new parameter values (the preposterior means of EVSI).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

import numpy as np

MAX_PAIRS = 15
"""Pairwise spline tensor products for groups of up to this many parameters (beyond: products
of the centred parameters)."""
MAX_TRIPLES = 8
"""Three-way products are used for groups of up to this many parameters."""


def ns_basis(x: np.ndarray, knots: np.ndarray) -> np.ndarray:
    """Natural cubic spline basis without intercept (Hastie et al., ESL eq. 5.4–5.5)."""
    if len(knots) < 3:
        return x[:, None]

    def d(k: int) -> np.ndarray:
        return (np.clip(x - knots[k], 0, None) ** 3 - np.clip(x - knots[-1], 0, None) ** 3) / (
            knots[-1] - knots[k]
        )

    last = d(len(knots) - 2)
    return np.column_stack([x] + [d(k) - last for k in range(len(knots) - 2)])


@dataclass(frozen=True)
class Term:
    """One parameter's scaling and knots, so a basis can be rebuilt at new values."""

    centre: float
    scale: float
    knots: np.ndarray
    levels: np.ndarray | None  # few distinct values: indicator columns instead of a spline

    @classmethod
    def fit(cls, x: np.ndarray, df: int) -> Term:
        """Centre, scale and ``df + 1`` quantile knots of ``x`` (levels if it has few values)."""
        centre, scale = float(x.mean()), float(x.std()) or 1.0
        z = (x - centre) / scale
        levels = np.unique(z)
        if len(levels) <= df + 1:
            return cls(centre, scale, np.array([]), levels)
        knots = np.unique(np.quantile(z, np.linspace(0.0, 1.0, df + 1)))
        return cls(centre, scale, knots, None)

    def linear(self, x: np.ndarray) -> np.ndarray:
        """``x`` centred and scaled."""
        return (x - self.centre) / self.scale

    def basis(self, x: np.ndarray) -> np.ndarray:
        """The spline (or indicator) columns of ``x``."""
        z = self.linear(x)
        if self.levels is not None:
            return (np.isclose(z[:, None], self.levels[None, 1:])).astype(float)
        return ns_basis(z, self.knots)


@dataclass(frozen=True)
class SplineFit:
    """A fitted penalised regression: predicts each response column at new parameter values."""

    main: list[Term]
    pair: list[Term]
    col_mean: np.ndarray
    col_scale: np.ndarray
    coef: np.ndarray
    y_mean: np.ndarray

    def design(self, x: np.ndarray) -> np.ndarray:
        """The design matrix at ``x``: main effects, pairs and (small groups) triples."""
        blocks = [t.basis(x[:, j]) for j, t in enumerate(self.main)]
        d = x.shape[1]
        lin = [t.linear(x[:, j]) for j, t in enumerate(self.main)]
        # pairs: spline tensor products, or (large groups) products of the centred parameters
        small = [t.basis(x[:, j]) for j, t in enumerate(self.pair)] if d <= MAX_PAIRS else lin
        for i, j in combinations(range(d), 2):
            a, b = small[i].reshape(len(x), -1), small[j].reshape(len(x), -1)
            blocks.append((a[:, :, None] * b[:, None, :]).reshape(len(x), -1))
        for i, j, k in combinations(range(d), 3) if d <= MAX_TRIPLES else ():
            blocks.append((lin[i] * lin[j] * lin[k])[:, None])
        return np.column_stack(blocks)

    def predict(self, x: np.ndarray) -> np.ndarray:
        """The fitted response columns at parameter values ``x`` ``(sample, parameter)``."""
        b = (self.design(x) - self.col_mean) / self.col_scale
        return self.y_mean + b @ self.coef


def unfitted(x: np.ndarray, *, df: int = 6, pair_df: int = 3) -> SplineFit:
    """The basis (knots and scaling) for parameters ``x``, before any coefficients."""
    main = [Term.fit(x[:, j], df) for j in range(x.shape[1])]
    pair = [Term.fit(x[:, j], pair_df) for j in range(x.shape[1])]
    return SplineFit(main, pair, np.zeros(1), np.ones(1), np.zeros((1, 1)), np.zeros(1))


def fit(x: np.ndarray, y: np.ndarray, *, df: int = 6, pair_df: int = 3) -> SplineFit:
    """Ridge regression of each column of ``y`` on the spline design of ``x``, GCV per column."""
    proto = unfitted(x, df=df, pair_df=pair_df)
    b = proto.design(x)
    col_mean = b.mean(axis=0)
    col_scale = b.std(axis=0)
    keep = col_scale > 1e-12
    col_scale = np.where(keep, col_scale, 1.0)
    bs = (b - col_mean) / col_scale * keep
    y_mean = y.mean(axis=0)
    yc = y - y_mean
    u, s, vt = np.linalg.svd(bs, full_matrices=False)
    n = len(y)
    uty = u.T @ yc  # (p, k)
    resid0 = (yc**2).sum(axis=0) - (uty**2).sum(axis=0)  # outside the column space
    s2 = s**2
    lambdas = s2.max() * np.logspace(-10, 1, 45) if s2.max() > 0 else np.array([1.0])
    coef = np.zeros((bs.shape[1], y.shape[1]))
    for k in range(y.shape[1]):
        best = None
        for lam in lambdas:
            shrink = s2 / (s2 + lam)
            rss = resid0[k] + (((1 - shrink) * uty[:, k]) ** 2).sum()
            gcv = n * rss / max(n - shrink.sum(), 1.0) ** 2
            if best is None or gcv < best[0]:
                best = (gcv, lam)
        lam = best[1]
        coef[:, k] = vt.T @ (s / (s2 + lam) * uty[:, k])
    coef = coef * keep[:, None]
    return SplineFit(proto.main, proto.pair, col_mean, col_scale, coef, y_mean)
