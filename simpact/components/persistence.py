"""Persistence kinds: how an effect on later events fades with the years since intake
(:data:`PERSISTENCE`)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class PersistenceKind:
    """A persistence kind: the spec fields it needs and the factor per lag.

    ``factor(params, lags)`` returns an array ``(lag, draw)`` (or ``(lag, 1)``) in [0, 1].
    """

    needs: tuple[str, ...]
    factor: Callable[[Mapping[str, np.ndarray], np.ndarray], np.ndarray]
    uncertain: tuple[str, ...] = ()


def _geometric(params: Mapping[str, np.ndarray], lags: np.ndarray) -> np.ndarray:
    """``retention ** lag`` as a running product over the (sorted) lags."""
    rho = params["retention"]
    out = np.empty((len(lags), len(rho)))
    out[0] = rho ** lags[0]
    for i in range(1, len(lags)):
        step = rho if lags[i] - lags[i - 1] == 1 else rho ** (lags[i] - lags[i - 1])
        np.multiply(out[i - 1], step, out=out[i])
    return out


PERSISTENCE: dict[str, PersistenceKind] = {
    "geometric": PersistenceKind(("retention",), _geometric, ("retention",)),
    "step": PersistenceKind(("years",), lambda p, lags: (lags < p["years"]).astype(float)[:, None]),
}
"""Registry of persistence kinds: ``geometric`` (an uncertain ``retention`` per year) and
``step`` (the whole effect for ``years`` years after intake, then none)."""
