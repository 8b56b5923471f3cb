"""The mock sampler's draws: known effect draws, consistent effect scales, plausible
nuisance parameters, stratified so that the convergence gate passes."""

from __future__ import annotations

import numpy as np
import xarray as xr
from scipy import special, stats

from simpact.config.spec import Sampling
from simpact.effects.families import LINK_EFFECT, SCALES

DEFAULT_EFFECT: dict[str, float] = {
    "risk_difference": -0.08,
    "rate_ratio": 0.8,
    "mean_difference": -0.5,
}
"""The centre of the fake natural-scale effect when none is given, by natural scale."""

DEFAULT_SD: dict[str, float] = {
    "risk_difference": 0.03,
    "rate_ratio": 0.06,
    "mean_difference": 0.2,
}
"""The sd of the fake natural-scale effect when none is given, by natural scale."""

_POSITIVE_CENTRE = {"sigma": 1.0, "nu": 10.0, "overdispersion": 0.5}


# ----------------------------------------------------------------------------- draws


def _stratified(rng: np.random.Generator, chains: int, draws: int) -> np.ndarray:
    """Standard-normal draws ``(chains, draws)``; every half-chain spans the same quantiles.

    The sorted quantiles ``Phi^-1((i + 1/2) / n)`` are dealt to the half-chains (the halves that
    split R-hat compares) so each gets an evenly spread share, in a random order within it: the
    chains agree (R-hat 1) and have no autocorrelation (ESS about ``n``).
    """
    n = chains * draws
    quantiles = stats.norm.ppf((np.arange(n) + 0.5) / n)
    half = np.where(np.arange(draws) < draws // 2, 0, 1)
    half_id = (np.arange(chains)[:, None] * 2 + half[None, :]).reshape(-1)
    key = np.empty(n)
    for h in np.unique(half_id):
        where = np.flatnonzero(half_id == h)
        key[where] = (rng.permutation(len(where)) + rng.uniform(0.25, 0.75)) / len(where)
    out = np.empty(n)
    out[np.argsort(key, kind="stable")] = quantiles
    return out.reshape(chains, draws)


def _normal(rng, shape: tuple[int, ...]) -> np.ndarray:
    chains, draws = shape[:2]
    size = int(np.prod(shape[2:], dtype=int))
    cols = [_stratified(rng, chains, draws) for _ in range(size)]
    return np.stack(cols, axis=-1).reshape(shape)


def _baseline(data: dict[str, np.ndarray]) -> float:
    """The observed risk, rate (per unit of exposure) or mean of the target rows."""
    target = np.asarray(data.get("target_weight", []), float)
    outcome = np.asarray(data.get("outcome", []), float)
    if target.size == 0 or target.sum() <= 0:
        return float(outcome.mean()) if outcome.size else 0.3
    return float((outcome * (target > 0)).sum() / target.sum())


def _scales(natural: str, effect: float, sd: float, data, rng, shape) -> dict[str, np.ndarray]:
    """Draws of the family's reported scales (and treated/counterfactual levels)."""
    z, z0 = _normal(rng, shape), _normal(rng, shape)
    observed = _baseline(data)
    if natural == "risk_difference":
        p0 = float(np.clip(observed - effect, 0.02, 0.98))
        risk0 = special.expit(special.logit(p0) + 0.05 * z0)
        risk1 = np.clip(risk0 + effect + sd * z, 1e-4, 1 - 1e-4)
        return {
            "risk_treated": risk1,
            "risk_counterfactual": risk0,
            "risk_difference": risk1 - risk0,
            "risk_ratio": risk1 / risk0,
            "log_risk_ratio": np.log(risk1) - np.log(risk0),
            "log_odds_ratio": special.logit(risk1) - special.logit(risk0),
        }
    if natural == "rate_ratio":
        if effect <= 0:
            raise ValueError(f"a rate ratio is positive, got effect = {effect}")
        rate0 = max(observed, 1e-6) / effect * np.exp(0.05 * z0)
        log_ratio = np.log(effect) + sd / effect * z
        rate1 = rate0 * np.exp(log_ratio)
        return {
            "rate_treated": rate1,
            "rate_counterfactual": rate0,
            "rate_ratio": rate1 / rate0,
            "rate_difference": rate1 - rate0,
            "log_rate_ratio": np.log(rate1) - np.log(rate0),
        }
    outcome = np.asarray(data.get("outcome", [0.0, 1.0]), float)
    spread = float(np.std(outcome)) if outcome.size > 1 and np.std(outcome) > 0 else 1.0
    mean0 = observed - effect + 0.05 * spread * z0
    diff = effect + sd * z
    sigma = spread * np.exp(0.02 * _normal(rng, shape))
    return {
        "mean_treated": mean0 + diff,
        "mean_counterfactual": mean0,
        "mean_difference": diff,
        "standardised_mean_difference": diff / sigma,
        "sigma": sigma,
    }


def _natural_scale(names: set[str]) -> str | None:
    for natural in SCALES:
        if natural in names:
            return natural
    return None


def mock_sample(
    model_fn,
    key: tuple,
    data: dict[str, np.ndarray],
    sampling: Sampling,
    seed: int,
    progress: bool,
    *,
    effect: float | None = None,
    sd: float | None = None,
    chains: int | None = None,
    draws: int | None = None,
) -> xr.DataTree:
    """What ``simpact.effects.core.sample`` returns, with known draws instead of NUTS.

    Same arguments as the real sampler (plus the fake effect's centre and sd, and optional
    ``chains`` / ``draws`` overriding ``sampling``). The model is built (to learn its variables,
    their dims and supports) but never compiled; the draws depend only on ``seed`` and ``data``.
    """
    model = model_fn()
    chains = chains or sampling.chains
    draws = draws or sampling.draws
    shape = (chains, draws)
    rng = np.random.default_rng([int(seed) % 2**32, 0x5EED])
    variables = [*model.free_RVs, *model.deterministics]
    names = {v.name for v in variables}
    dims = {v.name: tuple(model.named_vars_to_dims.get(v.name, ())) for v in variables}
    natural = _natural_scale(names)
    post: dict[str, np.ndarray] = {}
    link_effect = None
    if natural is not None:
        effect = DEFAULT_EFFECT[natural] if effect is None else float(effect)
        sd = DEFAULT_SD[natural] if sd is None else float(sd)
        scales = _scales(natural, effect, sd, data, rng, shape)
        post.update({k: v for k, v in scales.items() if k in names})
        link_effect = scales[LINK_EFFECT[natural]]
    positive = {rv.name for rv in model.free_RVs if model.rvs_to_transforms.get(rv) is not None}
    for var in variables:
        name = var.name
        if name in post:
            continue
        full = shape + tuple(len(model.coords[d]) for d in dims[name])
        post[name] = _other(
            name, _normal(rng, full), link_effect, natural, names, positive, effect, sd
        )
    coords = {"chain": np.arange(chains), "draw": np.arange(draws)}
    coords.update({d: list(model.coords[d]) for ds in dims.values() for d in ds})
    posterior = xr.Dataset(
        {var.name: (("chain", "draw", *dims[var.name]), post[var.name]) for var in variables},
        coords=coords,
    )
    posterior.attrs["sample_dims"] = ["chain", "draw"]
    return xr.DataTree.from_dict(
        {"posterior": posterior, "sample_stats": _sample_stats(rng, shape, coords)}
    )


def _other(name, z, link_effect, natural, names, positive, effect, sd) -> np.ndarray:
    """Draws of a variable that is not one of the reported effect scales."""
    if link_effect is not None and name == "effect_new":
        return link_effect  # the reported scales are a new site's effect
    elif link_effect is not None and name == "effect":
        # the link-scale effect; with sites the pooled mean, narrower than a new site's
        pooled = "effect_new" in names
        return (
            link_effect.mean() + 0.7 * (link_effect - link_effect.mean()) if pooled else link_effect
        )
    elif link_effect is not None and name == f"{LINK_EFFECT[natural]}_site":
        return link_effect[..., None] + 0.1 * z
    elif name in positive:
        centre = _POSITIVE_CENTRE.get(name, 0.2)
        return centre * np.exp(0.1 * z)
    elif natural is None and effect is not None and name in ("mu", "theta_new"):
        return effect + (sd or 0.1) * z
    elif "_z" in name:
        return z  # the standard-normal offsets of a non-centred parameterisation
    else:
        return 0.1 * z


def _sample_stats(rng, shape: tuple[int, int], coords: dict) -> xr.Dataset:
    """Sample stats shaped as nutpie's, with no divergences."""
    return xr.Dataset(
        {
            "diverging": (("chain", "draw"), np.zeros(shape, dtype=bool)),
            "depth": (("chain", "draw"), np.full(shape, 3, dtype=np.uint64)),
            "step_size": (("chain", "draw"), np.full(shape, 0.5)),
            "n_steps": (("chain", "draw"), np.full(shape, 7, dtype=np.uint64)),
            "energy": (("chain", "draw"), _normal(rng, shape)),
            "logp": (("chain", "draw"), _normal(rng, shape)),
            "maxdepth_reached": (("chain", "draw"), np.zeros(shape, dtype=bool)),
            "mean_tree_accept": (("chain", "draw"), np.full(shape, 0.9)),
            "tuning": (("chain", "draw"), np.zeros(shape, dtype=bool)),
        },
        coords={"chain": coords["chain"], "draw": coords["draw"]},
        attrs={"sample_dims": ["chain", "draw"], "inference_library": "simpact.testing"},
    )
