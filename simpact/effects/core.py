"""The machinery every design shares: priors from specs, sampling, the convergence gate, Fit."""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from typing import Any

import arviz as az
import numpy as np
import pandas as pd
import pymc as pm
import xarray as xr

from simpact.base import rng, scales
from simpact.base.constants import CI_PROB
from simpact.base.errors import ConvergenceError, SpecError
from simpact.base.fit_info import Diagnostics, FitInfo
from simpact.config.spec import Sampling

RHAT_MAX = 1.01
ESS_MIN = 400
"""Convergence gate: R-hat at most RHAT_MAX, bulk and tail ESS at least ESS_MIN, no divergences."""

_COMPILED: dict[tuple, Any] = {}
"""Compiled nutpie models (with their PyMC model) by model structure, so a refit on new data
skips compilation."""


def _prior(name: str, spec: dict, *, field: str, **extra) -> pm.Distribution:
    """A PyMC distribution from a ``{"dist": "Normal", "kwargs": {...}}`` prior spec."""
    dist = getattr(pm, str(spec.get("dist")), None)
    if not (isinstance(dist, type) and issubclass(dist, pm.Distribution)):
        raise SpecError(f"unknown PyMC distribution {spec.get('dist')!r}", field=field)
    try:
        return dist(name, **spec.get("kwargs", {}), **extra)
    except TypeError as exc:
        raise SpecError(f"bad arguments for {spec['dist']}: {exc}", field=field) from None


def merge_priors(
    defaults: dict[str, dict], overrides: dict[str, dict], *, field: str = "effect.priors"
) -> tuple[dict[str, dict], str]:
    """Merge prior overrides into data-scaled defaults; return them and their structure key.

    Default priors are scaled to the data, so their numbers change with the data while the
    model's structure does not: :func:`prior_variables` turns those numbers into ``pm.Data``
    containers (named ``prior_<parameter>_<argument>``) and the structure key keeps only the
    distribution and argument names. Overrides are fixed numbers and belong to the structure.
    """
    unknown = set(overrides) - set(defaults)
    if unknown:
        raise SpecError(
            f"no parameter {sorted(unknown)[0]!r} to set a prior on; the model has "
            f"{', '.join(defaults)}",
            field=field,
        )
    for name, spec in overrides.items():
        if not isinstance(spec, dict) or "dist" not in spec:
            raise SpecError(
                'a prior is a table {dist = "Normal", kwargs = {mu = 0, sigma = 1}}',
                field=f"{field}.{name}",
            )
    merged = {**defaults, **overrides}
    key = {
        name: spec if name in overrides else [spec["dist"], sorted(spec["kwargs"])]
        for name, spec in merged.items()
    }
    return merged, json.dumps(key, sort_keys=True, default=str)


def prior_values(defaults: dict[str, dict], overrides: dict[str, dict]) -> dict[str, float]:
    """The numbers of the default (data-scaled) priors, by their ``pm.Data`` name."""
    return {
        f"prior_{name}_{kw}": float(value)
        for name, spec in defaults.items()
        if name not in overrides
        for kw, value in spec["kwargs"].items()
    }


def prior_variables(
    priors: dict[str, dict], overrides: dict[str, dict], *, field: str = "effect.priors"
) -> dict[str, Any]:
    """Create the model's prior distributions (inside a model context), by parameter name."""
    out = {}
    for name, spec in priors.items():
        if name not in overrides:
            kwargs = {
                kw: pm.Data(f"prior_{name}_{kw}", np.float64(v)) for kw, v in spec["kwargs"].items()
            }
            spec = {"dist": spec["dist"], "kwargs": kwargs}
        out[name] = _prior(name, spec, field=f"{field}.{name}")
    return out


@dataclass
class Fit:
    """A fitted effect model.

    Attributes
    ----------
    tree
        The full ``xarray.DataTree`` (posterior, sample_stats, observed_data), with the design,
        the name of the natural-scale effect and the convergence diagnostics in ``attrs``.
    """

    tree: xr.DataTree

    @property
    def effect(self) -> xr.DataArray:
        """The effect on its natural scale, dims ``(chain, draw)``."""
        return self.tree.posterior[FitInfo.read(self.tree).effect_var]

    def summary(self) -> pd.DataFrame:
        """Mean, sd, 90 % interval and P(effect in the better direction) of each effect scale.

        For a meta-analysis (``better`` unknown) ``p_better`` is P(effect < 0).
        """
        info = FitInfo.read(self.tree)
        rows = {}
        for name in info.effect_scales:
            da = self.tree.posterior[name]
            null = scales.SCALES[name].null if name in scales.SCALES else 0.0
            lower, upper = np.quantile(da, [(1 - CI_PROB) / 2, (1 + CI_PROB) / 2])
            improves = da > null if info.better == "higher" else da < null
            rows[name] = {
                "mean": float(da.mean()),
                "sd": float(da.std()),
                "lower": float(lower),
                "upper": float(upper),
                "p_better": float(improves.mean()),
            }
        return pd.DataFrame.from_dict(rows, orient="index")


def sample(
    model_fn,
    key: tuple,
    data: dict[str, np.ndarray],
    sampling: Sampling,
    seed: int,
    progress: bool,
) -> xr.DataTree:
    """Sample a model: nutpie (compiled once per ``key``, refit via ``with_data``) or PyMC.

    ``model_fn()`` builds the PyMC model; ``data`` holds the values of its ``pm.Data``
    containers for this fit.
    """
    if sampling.sampler == "pymc":
        with model_fn():
            pm.set_data(data)
            tree = pm.sample(
                draws=sampling.draws,
                tune=sampling.tune,
                chains=sampling.chains,
                cores=1,
                random_seed=seed,
                target_accept=sampling.target_accept,
                nuts_sampler="pymc",
                progressbar=progress,
                compute_convergence_checks=False,
            )
    else:
        import nutpie

        if key not in _COMPILED:
            model = model_fn()
            _COMPILED[key] = (nutpie.compile_pymc_model(model), model)
        compiled, model = _COMPILED[key]
        # nutpie's with_data feeds the density, but the chains' starting points come from
        # PyMC's initial-point function, which reads the model's own containers: set the
        # data-scaled prior numbers there too, so the draws never depend on an earlier fit
        for name, value in data.items():
            if name.startswith("prior_") and name in model.named_vars:
                model[name].set_value(np.asarray(value, dtype=model[name].dtype))
        known = {var.name for var in compiled.shared_var_keys}
        tree = nutpie.sample(
            compiled.with_data(**{k: v for k, v in data.items() if k in known}),
            draws=sampling.draws,
            tune=sampling.tune,
            chains=sampling.chains,
            seed=seed,
            target_accept=sampling.target_accept,
            progress_bar=progress,
            save_warmup=False,
        )
    return xr.DataTree.from_dict(
        {
            "posterior": tree["posterior"].to_dataset(),
            "sample_stats": tree["sample_stats"].to_dataset(),
        }
    )


def resolve_progress(progress: bool | None) -> bool:
    return sys.stderr.isatty() if progress is None else progress


def integer_seed(random_seed: rng.SeedLike) -> int:
    return rng.integer_seed(random_seed, "effects")


def check_convergence(
    tree: xr.DataTree, *, var_names: list[str], raise_: bool = True
) -> Diagnostics:
    """Convergence diagnostics of ``var_names``; raise if the gate fails and ``raise_``.

    The gate: R-hat (rank-normalised) at most 1.01, bulk and tail ESS at least 400, no divergent
    transitions (Vehtari et al. 2021).

    Returns
    -------
    Diagnostics
        ``rhat_max``, ``ess_bulk_min``, ``ess_tail_min``, ``divergences`` and ``converged``
        (``.write(tree)`` records them in the fit's attrs).

    Raises
    ------
    ConvergenceError
        When the gate fails and ``raise_``, saying which check failed and what to try.

    Examples
    --------
    >>> import numpy as np, xarray as xr
    >>> draws = np.random.default_rng(1).normal(size=(4, 1000))
    >>> tree = xr.DataTree.from_dict({
    ...     "posterior": xr.Dataset({"mu": (("chain", "draw"), draws)}),
    ...     "sample_stats": xr.Dataset({"diverging": (("chain", "draw"), draws > 9)})})
    >>> check_convergence(tree, var_names=["mu"]).converged
    True
    """
    post = tree.posterior.to_dataset()[var_names]
    rhat = float(az.rhat(post).to_array().max())
    ess_bulk = float(az.ess(post, method="bulk").to_array().min())
    ess_tail = float(az.ess(post, method="tail").to_array().min())
    divergences = int(tree.sample_stats["diverging"].sum())
    problems = []
    if not rhat <= RHAT_MAX:
        problems.append(f"R-hat {rhat:.3f} > {RHAT_MAX}")
    if not min(ess_bulk, ess_tail) >= ESS_MIN:
        problems.append(f"ESS {min(ess_bulk, ess_tail):.0f} < {ESS_MIN}")
    if divergences:
        problems.append(f"{divergences} divergent transitions")
    if problems and raise_:
        hint = (
            "a higher target_accept (effect.sampling.target_accept = 0.95 or 0.99) or more "
            "informative priors on the between-site and between-unit sds"
            if divergences
            else "more tuning and draws (effect.sampling.tune, .draws)"
        )
        raise ConvergenceError(
            f"sampling did not converge ({'; '.join(problems)}); try {hint}",
            field="effect.sampling",
        )
    return Diagnostics(
        rhat_max=rhat,
        ess_bulk_min=ess_bulk,
        ess_tail_min=ess_tail,
        divergences=divergences,
        converged=not problems,
    )
