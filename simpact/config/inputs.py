"""The named uncertain inputs of a spec (the ``inputs`` group's names, the names correlations
use) and the Gaussian copula of the correlated ones."""

from __future__ import annotations

import numpy as np

from simpact.base.errors import SpecError
from simpact.components.distributions import Distribution
from simpact.components.links import EFFECT_LINKS
from simpact.components.persistence import PERSISTENCE
from simpact.config.spec import Haircuts, ModelSpec


def input_names(spec: ModelSpec) -> dict[str, Distribution]:
    """Every named uncertain input of ``spec``, in a fixed order (the ``inputs`` group's names)."""
    sim = spec.simulation
    out: dict[str, Distribution] = {}
    shared_used = False
    for outcome in spec.outcomes:
        link = EFFECT_LINKS.get(outcome.effect)
        if outcome.effect_prior is not None:
            out[f"{outcome.name}.effect"] = outcome.effect_prior
        for key in link.needs if link else ():
            if getattr(outcome, key) is not None:
                out[f"{outcome.name}.{key}"] = getattr(outcome, key)
        out[f"{outcome.name}.quantity"] = outcome.quantity
        out[f"{outcome.name}.unit_cost"] = spec.unit_cost(outcome)[0]
        own = sim.persistence_of(outcome)
        if own is None:
            shared_used = True
        else:
            for key in PERSISTENCE[own.kind].uncertain if own.kind in PERSISTENCE else ():
                if getattr(own, key) is not None:
                    out[f"{outcome.name}.{key}"] = getattr(own, key)
    shared = sim.shared_persistence
    if shared_used and shared.kind in PERSISTENCE:
        for key in PERSISTENCE[shared.kind].uncertain:
            if getattr(shared, key) is not None:
                out[key] = getattr(shared, key)
    for name in Haircuts.model_fields:
        out[f"haircuts.{name}"] = getattr(sim.haircuts, name)
    for actor, dist in sim.cashable.items():
        out[f"cashable.{actor}"] = dist
    for actor, by_year in spec.costs.items():
        for year, dist in by_year.items():
            out[f"costs.{actor}.{year}"] = dist
    out["discount_rate"] = sim.discount_rate
    return out


def copula(spec: ModelSpec) -> tuple[tuple[str, ...], np.ndarray | None]:
    """Names and Cholesky factor of the normal-score correlation of the correlated inputs."""
    corrs = spec.simulation.correlations
    if not corrs:
        return (), None
    names = tuple(dict.fromkeys(n for c in corrs for n in c.between))
    index = {n: i for i, n in enumerate(names)}
    matrix = np.eye(len(names))
    for c in corrs:
        i, j = index[c.between[0]], index[c.between[1]]
        # Spearman rho -> Pearson correlation of the normal scores
        matrix[i, j] = matrix[j, i] = 2 * np.sin(np.pi * c.rho / 6)
    try:
        chol = np.linalg.cholesky(matrix)
    except np.linalg.LinAlgError:
        raise SpecError(
            "the rank correlations are not jointly possible (the correlation matrix is not "
            f"positive definite; smallest eigenvalue {np.linalg.eigvalsh(matrix).min():.3g}); "
            "weaken some of them",
            source=spec.source,
            field="simulation.correlations",
        ) from None
    return names, chol
