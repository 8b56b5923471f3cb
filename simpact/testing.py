"""Fake effect fits and a mock sampler: tests of the plumbing without MCMC.

A real fit (:func:`simpact.fit_effects`) compiles and samples a PyMC model with nutpie, which
takes 15-60 s per model structure. Most tests check what happens *after* the fit -- the
simulation, the fund, the decision summary, the report, the command line -- and need only a
tree with the contract's shape. This module gives them one:

* :func:`mock_sampler` -- a context manager that replaces the sampler
  (``simpact.effects.core.sample``) with known draws. Everything else runs as in a real fit:
  the design checks the data, builds its PyMC model (never compiled), and ``_finish`` adds the
  observed data, the attrs and the convergence gate, so :func:`simpact.fit_effects`,
  :func:`simpact.run` and ``simpact run`` exercise all their plumbing in well under a second.
* :func:`fake_fit` -- the fit of a :class:`~simpact.config.spec.ModelSpec`'s effect design and
  family (its own data by default), through the mock sampler.
* :func:`fake_posterior` -- the same for a design and family alone, on a small generated table.
* :func:`mock_sampler_fixture` -- the mock as a pytest fixture (``tests/conftest.py``).

The draws are known: the natural-scale effect is normal around ``effect`` with sd ``sd``
(log-normal for a rate ratio), the counterfactual risk, rate or mean is taken from the data, and
the other reported scales are derived from the two exactly (``risk_difference == risk_treated -
risk_counterfactual``, ``risk_ratio == risk_treated / risk_counterfactual``, ...). The draws of
every chain and half-chain are stratified over the same quantiles in a random order, so R-hat is
1 and the ESS is about the number of draws: the convergence gate passes. Nuisance parameters get
plausible draws of the right shape (positive where the model's support is), not a posterior.

Use these for logic; tests that check the sampling itself (recovery, reproducibility of the
draws, compilation reuse) fit for real and are marked ``integration``.

Examples
--------
>>> post = fake_posterior("did", "bernoulli", effect=-0.08, seed=1)
>>> post.attrs["effect_var"], post.attrs["converged"]
('risk_difference', True)
>>> round(float(post.posterior["risk_difference"].mean()), 2)
-0.08
>>> sorted(post.posterior["risk_difference"].dims)
['chain', 'draw']
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import numpy as np
import pandas as pd
import xarray as xr
from scipy import special, stats

from simpact.config.spec import ModelSpec, Sampling
from simpact.data import fingerprint, load_followup
from simpact.effects import DESIGNS, SCALES, core, fit_effects
from simpact.effects.families import FAMILIES, LINK_EFFECT

__all__ = [
    "DEFAULT_EFFECT",
    "DEFAULT_SD",
    "fake_fit",
    "fake_posterior",
    "fake_table",
    "mock_sample",
    "mock_sampler",
    "mock_sampler_fixture",
    "real_sampler",
]

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
        z = _normal(rng, full)
        if link_effect is not None and name == "effect_new":
            post[name] = link_effect  # the reported scales are a new site's effect
        elif link_effect is not None and name == "effect":
            # the link-scale effect; with sites the pooled mean, narrower than a new site's
            pooled = "effect_new" in names
            post[name] = (
                link_effect.mean() + 0.7 * (link_effect - link_effect.mean())
                if pooled
                else link_effect
            )
        elif link_effect is not None and name == f"{LINK_EFFECT[natural]}_site":
            post[name] = link_effect[..., None] + 0.1 * z
        elif name in positive:
            centre = _POSITIVE_CENTRE.get(name, 0.2)
            post[name] = centre * np.exp(0.1 * z)
        elif natural is None and effect is not None and name in ("mu", "theta_new"):
            post[name] = effect + (sd or 0.1) * z
        elif "_z" in name:
            post[name] = z  # the standard-normal offsets of a non-centred parameterisation
        else:
            post[name] = 0.1 * z
    coords = {"chain": np.arange(chains), "draw": np.arange(draws)}
    coords.update({d: list(model.coords[d]) for ds in dims.values() for d in ds})
    posterior = xr.Dataset(
        {
            name: (("chain", "draw", *dims[var.name]), post[name])
            for var in variables
            for name in [var.name]
        },
        coords=coords,
    )
    sample_stats = xr.Dataset(
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
    posterior.attrs["sample_dims"] = ["chain", "draw"]
    return xr.DataTree.from_dict({"posterior": posterior, "sample_stats": sample_stats})


_REAL_SAMPLE = core.sample
"""The real sampler (nutpie or PyMC NUTS), as ``simpact.effects.core`` defines it."""


@contextlib.contextmanager
def _sampler(function) -> Iterator[None]:
    previous = core.sample
    core.sample = function
    try:
        yield
    finally:
        core.sample = previous


@contextlib.contextmanager
def real_sampler() -> Iterator[None]:
    """Within the block, effect fits sample for real (NUTS), even inside :func:`mock_sampler`."""
    with _sampler(_REAL_SAMPLE):
        yield


@contextlib.contextmanager
def mock_sampler(
    *,
    effect: float | None = None,
    sd: float | None = None,
    chains: int | None = None,
    draws: int | None = None,
) -> Iterator[list[tuple]]:
    """Within the block, every effect fit uses :func:`mock_sample` instead of NUTS.

    ``effect`` and ``sd`` set the fake natural-scale effect (default :data:`DEFAULT_EFFECT`,
    :data:`DEFAULT_SD`); ``chains`` and ``draws`` override the spec's sampling (default: as the
    spec says, so a simulation has as many draws as after a real fit). Yields a list that
    collects the structure key of every mocked fit.

    Examples
    --------
    >>> from simpact.config import load_model
    >>> spec = load_model("nata")
    >>> with mock_sampler(effect=-0.1, draws=250) as calls:
    ...     post = fit_effects(spec, load_followup(spec))
    >>> len(calls), post.posterior.sizes["draw"], post.attrs["sampler"]
    (1, 250, 'nutpie')
    """
    calls: list[tuple] = []

    def fake(model_fn, key, data, sampling, seed, progress):
        calls.append(key)
        return mock_sample(
            model_fn,
            key,
            data,
            sampling,
            seed,
            progress,
            effect=effect,
            sd=sd,
            chains=chains,
            draws=draws,
        )

    with _sampler(fake):
        yield calls


def mock_sampler_fixture(**kwargs: Any):
    """A pytest fixture (function scope) that mocks the sampler for one test.

    ``mock_sampler = simpact.testing.mock_sampler_fixture()`` in a ``conftest.py``; a test that
    asks for ``mock_sampler`` gets the list of the mocked fits' keys.
    """
    import pytest  # a dev dependency: imported only when a test suite asks for the fixture

    @pytest.fixture
    def mock_sampler_():
        with mock_sampler(**kwargs) as calls:
            yield calls

    return mock_sampler_


# ----------------------------------------------------------------------------- fits


def fake_fit(
    spec: ModelSpec,
    data: pd.DataFrame | None = None,
    *,
    effect: float | None = None,
    sd: float | None = None,
    chains: int | None = None,
    draws: int | None = None,
    seed: int = 0,
    check: bool = True,
) -> xr.DataTree:
    """The fit :func:`simpact.fit_effects` would return for ``spec``, with known draws.

    ``data`` defaults to the spec's own follow-up table. The tree has every group, variable
    and attr of a real fit (design, family, priors, sites, diagnostics, data fingerprint).
    """
    if data is None:
        data = load_followup(spec)
    with mock_sampler(effect=effect, sd=sd, chains=chains, draws=draws):
        return fit_effects(spec, data, random_seed=seed, progress=False, check=check)


def fake_table(
    design: str = "did",
    family: str = "bernoulli",
    *,
    outcome: str = "outcome",
    sites: int = 0,
    seed: int = 0,
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """A small follow-up table for a design and family, and the design's column arguments."""
    rng = np.random.default_rng(seed)
    if design == "its":
        times = np.arange(24, dtype=float)
        frame = pd.DataFrame({"time": times})
        kwargs: dict[str, Any] = {"time": "time", "start": 12.0}
    else:
        n = 40
        frame = pd.DataFrame({"unit": [f"u{i:03d}" for i in range(n)], "treated": [0, 1] * 20})
        kwargs = {"group": "treated"}
        if design == "did":
            frame = pd.concat(
                [frame.assign(period="pre"), frame.assign(period="post")], ignore_index=True
            )
            kwargs.update(period="period", pre="pre", post="post", unit="unit")
        else:
            kwargs.update(unit="unit")
    if sites:
        frame["site"] = [f"s{i % sites + 1}" for i in range(len(frame))]
        kwargs["site"] = "site"
    rows = len(frame)
    if family == "bernoulli":
        frame[outcome] = rng.binomial(1, 0.3, rows)
    elif family == "binomial":
        frame["trials"] = rng.integers(5, 15, rows)
        frame[outcome] = rng.binomial(frame["trials"], 0.3)
        kwargs["trials"] = "trials"
    elif family in ("poisson", "negbin"):
        frame["exposure"] = rng.integers(80, 180, rows).astype(float)
        frame[outcome] = rng.poisson(0.05 * frame["exposure"])
        kwargs["exposure"] = "exposure"
    elif family in ("normal", "student_t"):
        frame[outcome] = rng.normal(10.0, 2.0, rows)
    else:
        raise ValueError(f"unknown family {family!r}; expected one of {', '.join(FAMILIES)}")
    frame.attrs.update(source="simpact.testing.fake_table", sha256=fingerprint(frame))
    return frame, kwargs


def fake_posterior(
    design: str = "did",
    family: str = "bernoulli",
    *,
    chains: int = 4,
    draws: int = 250,
    effect: float | None = None,
    sd: float | None = None,
    seed: int = 0,
    better: str = "lower",
    outcome: str = "outcome",
    sites: int = 0,
    priors: dict[str, dict] | None = None,
    data: pd.DataFrame | None = None,
) -> xr.DataTree:
    """A tree shaped like :func:`simpact.fit_effects`'s for ``design`` and ``family``.

    Fitted (with :func:`mock_sampler`) to :func:`fake_table`'s small table, or to ``data`` if
    given (then with the same column names as :func:`fake_table`'s). ``effect`` and ``sd`` set
    the natural-scale effect's draws (default :data:`DEFAULT_EFFECT`, :data:`DEFAULT_SD`);
    ``sites`` > 1 adds partial pooling over that many sites.
    """
    if design not in DESIGNS:
        raise ValueError(f"unknown design {design!r}; expected one of {', '.join(DESIGNS)}")
    table, kwargs = fake_table(design, family, outcome=outcome, sites=sites, seed=seed)
    if data is not None:
        table = data
    model = DESIGNS[design](
        table, outcome=outcome, family=family, better=better, priors=priors or {}, **kwargs
    )
    with mock_sampler(effect=effect, sd=sd, chains=chains, draws=draws):
        fit = model.fit(random_seed=seed, progress=False)
    tree = fit.tree
    tree.attrs["data_sha256"] = table.attrs.get("sha256", "")
    tree.attrs["data_source"] = table.attrs.get("source", "")
    return tree
