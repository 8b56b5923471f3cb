"""Effect models: estimate an intervention's effect from follow-up data with PyMC.

Each design is a small class taking a DataFrame and column names, with a ``fit()`` that returns a
:class:`Fit` (``fit.effect``, ``fit.tree``, ``fit.summary()``). :data:`DESIGNS` is the registry
that a model spec's ``[effect] design = "..."`` chooses from, and :func:`fit_effects` runs the
spec's choice.

Every fit passes the convergence gate (:func:`check_convergence`): R-hat <= 1.01, bulk and tail
ESS >= 400 and no divergent transitions, or a :class:`~simpact.errors.ConvergenceError` says what
failed and what to try. A model is compiled once per structure and refit on new data without
recompiling (PyMC ``Data`` containers and nutpie's ``with_data``).

The effect on its *natural scale* for the savings simulation is the risk difference for binary
outcomes; log odds ratio and risk ratio are reported beside it for comparison with the literature.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from typing import Any, ClassVar

import arviz as az
import numpy as np
import pandas as pd
import pymc as pm
import xarray as xr

from simpact import rng
from simpact.errors import ConvergenceError, SpecError
from simpact.spec import ModelSpec, Sampling

CI_PROB = 0.90
"""Every interval in simpact is a 90 % equal-tailed interval (P5–P95)."""

RHAT_MAX = 1.01
ESS_MIN = 400
"""Convergence gate: R-hat at most RHAT_MAX, bulk and tail ESS at least ESS_MIN, no divergences."""

_COMPILED: dict[tuple, Any] = {}
"""Compiled samplers by model structure, so a refit on new data skips compilation."""


def _prior(name: str, spec: dict, *, field: str) -> pm.Distribution:
    """A PyMC distribution from a ``{"dist": "Normal", "kwargs": {...}}`` prior spec."""
    dist = getattr(pm, str(spec.get("dist")), None)
    if not (isinstance(dist, type) and issubclass(dist, pm.Distribution)):
        raise SpecError(f"unknown PyMC distribution {spec.get('dist')!r}", field=field)
    try:
        return dist(name, **spec.get("kwargs", {}))
    except TypeError as exc:
        raise SpecError(f"bad arguments for {spec['dist']}: {exc}", field=field) from None


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
        return self.tree.posterior[self.tree.attrs["effect_var"]]

    def summary(self) -> pd.DataFrame:
        """Mean, sd, 90 % interval and P(effect in the better direction) of each effect scale."""
        better = self.tree.attrs["better"]
        rows = {}
        for name in self.tree.attrs["effect_scales"]:
            da = self.tree.posterior[name]
            null = 1.0 if name == "risk_ratio" else 0.0
            lower, upper = np.quantile(da, [(1 - CI_PROB) / 2, (1 + CI_PROB) / 2])
            improves = da < null if better == "lower" else da > null
            rows[name] = {
                "mean": float(da.mean()),
                "sd": float(da.std()),
                "lower": float(lower),
                "upper": float(upper),
                "p_better": float(improves.mean()),
            }
        return pd.DataFrame.from_dict(rows, orient="index")


@dataclass
class DiD:
    """Difference in differences for a binary outcome (or k of n), with a comparison group.

    ``logit p = intercept + group * treated + period * post + effect * treated * post``.
    The counterfactual for the treated after the intervention drops the interaction (parallel
    trends on the log-odds scale). Reported scales: ``risk_difference`` (treated after, minus its
    counterfactual), ``risk_ratio`` and ``log_odds_ratio``.

    Individual rows are aggregated to the four group x period cells (exact for this likelihood).
    Pupils observed twice are treated as independent samples of their cell, which makes the
    interval for the effect conservative when a pupil's before and after are positively correlated.

    Parameters
    ----------
    data
        One row per unit and period (``family="bernoulli"``) or per aggregate (``"binomial"``).
    outcome, group, period
        Columns: the 0/1 outcome (or event count), the 0/1 treated indicator, the period label.
    pre, post
        The labels of the periods in ``period``.
    family
        ``"bernoulli"`` or ``"binomial"`` (then ``trials`` names the column of n).
    priors
        Overrides of :attr:`DEFAULT_PRIORS`, e.g. ``{"effect": {"dist": "Normal",
        "kwargs": {"mu": -0.5, "sigma": 0.3}}}``.

    Examples
    --------
    >>> df = pd.DataFrame({"y": [1, 0, 1, 1, 0, 0, 1, 0], "g": [0, 0, 1, 1] * 2,
    ...                    "t": ["pre"] * 4 + ["post"] * 4})
    >>> DiD(df, outcome="y", group="g", period="t").cells()["trials"].tolist()
    [2, 2, 2, 2]
    """

    data: pd.DataFrame
    outcome: str
    group: str
    period: str
    pre: str = "pre"
    post: str = "post"
    family: str = "bernoulli"
    trials: str | None = None
    unit: str | None = None
    priors: dict[str, dict] = field(default_factory=dict)
    better: str = "lower"

    DEFAULT_PRIORS: ClassVar[dict[str, dict]] = {
        "intercept": {"dist": "Normal", "kwargs": {"mu": 0.0, "sigma": 1.5}},
        "group": {"dist": "Normal", "kwargs": {"mu": 0.0, "sigma": 1.0}},
        "period": {"dist": "Normal", "kwargs": {"mu": 0.0, "sigma": 1.0}},
        "effect": {"dist": "Normal", "kwargs": {"mu": 0.0, "sigma": 1.0}},
    }
    """Weakly informative on the log-odds scale: an effect beyond an odds ratio of 7 is unlikely."""

    FAMILIES: ClassVar[tuple[str, ...]] = ("bernoulli", "binomial")
    SCALES: ClassVar[tuple[str, ...]] = ("risk_difference", "risk_ratio", "log_odds_ratio")

    def __post_init__(self) -> None:
        if self.family not in self.FAMILIES:
            raise SpecError(
                f"family {self.family!r} is not available for design 'did'; expected one of "
                f"{', '.join(self.FAMILIES)}",
                field="effect.family",
            )
        unknown = set(self.priors) - set(self.DEFAULT_PRIORS)
        if unknown:
            raise SpecError(
                f"no parameter {sorted(unknown)[0]!r} to set a prior on; the model has "
                f"{', '.join(self.DEFAULT_PRIORS)}",
                field="effect.priors",
            )

    def cells(self) -> pd.DataFrame:
        """Events and trials per group x period cell, in the order (g0 pre, g1 pre, g0 post, g1 post)."""
        df = self.data
        trials = df[self.trials] if self.family == "binomial" else pd.Series(1, index=df.index)
        table = (
            pd.DataFrame(
                {
                    "treated": df[self.group].astype(int),
                    "post": (df[self.period].astype(str) == self.post).astype(int),
                    "events": df[self.outcome].astype(int),
                    "trials": trials.astype(int),
                }
            )
            .groupby(["post", "treated"], as_index=False)[["events", "trials"]]
            .sum()
        )
        return table

    def _key(self) -> tuple:
        return ("did", json.dumps({**self.DEFAULT_PRIORS, **self.priors}, sort_keys=True))

    def build(self) -> pm.Model:
        """The PyMC model, with the cell counts in ``pm.Data`` containers."""
        cells = self.cells()
        priors = {**self.DEFAULT_PRIORS, **self.priors}
        with pm.Model(coords={"cell": np.arange(len(cells))}) as model:
            treated = pm.Data("treated", cells["treated"].to_numpy(), dims="cell")
            post = pm.Data("post", cells["post"].to_numpy(), dims="cell")
            trials = pm.Data("trials", cells["trials"].to_numpy(), dims="cell")
            events = pm.Data("events", cells["events"].to_numpy(), dims="cell")
            p = {n: _prior(n, s, field=f"effect.priors.{n}") for n, s in priors.items()}
            eta = p["intercept"] + p["group"] * treated + p["period"] * post
            eta = eta + p["effect"] * treated * post
            pm.Binomial("y", n=trials, logit_p=eta, observed=events, dims="cell")
            untreated = p["intercept"] + p["group"] + p["period"]
            risk_treated = pm.Deterministic("risk_treated", pm.math.invlogit(untreated + p["effect"]))
            risk_cf = pm.Deterministic("risk_counterfactual", pm.math.invlogit(untreated))
            pm.Deterministic("risk_difference", risk_treated - risk_cf)
            pm.Deterministic("risk_ratio", risk_treated / risk_cf)
            pm.Deterministic("log_odds_ratio", p["effect"])
        return model

    def new_data(self) -> dict[str, np.ndarray]:
        """This design's data, by ``pm.Data`` name (to refit a compiled model)."""
        cells = self.cells()
        return {
            "treated": cells["treated"].to_numpy(),
            "post": cells["post"].to_numpy(),
            "trials": cells["trials"].to_numpy(),
            "events": cells["events"].to_numpy(),
        }

    def fit(
        self,
        *,
        random_seed: rng.SeedLike = None,
        sampling: Sampling | None = None,
        progress: bool | None = None,
        check: bool = True,
    ) -> Fit:
        """Sample the posterior and pass it through the convergence gate.

        Parameters
        ----------
        random_seed
            Seed for the sampler (same seed, same draws, bit for bit).
        sampling
            Draws, tuning, chains and sampler (nutpie by default).
        progress
            Show a progress bar; by default only when writing to a terminal.
        check
            Raise :class:`ConvergenceError` when the gate fails (default). With ``False`` the
            diagnostics are still recorded in ``tree.attrs`` for a report to flag.
        """
        sampling = sampling or Sampling()
        progress = sys.stderr.isatty() if progress is None else progress
        tree = _sample(self, sampling, rng.integer_seed(random_seed, "effects"), progress)
        cells = self.cells()
        tree["observed_data"] = xr.Dataset(
            {c: ("cell", cells[c].to_numpy()) for c in ("treated", "post", "events", "trials")}
        )
        tree.attrs.update(
            design="did",
            family=self.family,
            outcome=self.outcome,
            effect_var="risk_difference",
            effect_scales=list(self.SCALES),
            better=self.better,
            sampler=sampling.sampler,
            ci_prob=CI_PROB,
        )
        tree.attrs.update(check_convergence(tree, var_names=list(self.SCALES), raise_=check))
        return Fit(tree)


DESIGNS: dict[str, type] = {"did": DiD}
"""Registry of effect designs, by the key a spec uses in ``[effect] design``."""


def _sample(design, sampling: Sampling, seed: int, progress: bool) -> xr.DataTree:
    if sampling.sampler == "pymc":
        with design.build():
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

        key = design._key()
        if key not in _COMPILED:
            _COMPILED[key] = nutpie.compile_pymc_model(design.build())
        compiled = _COMPILED[key].with_data(**design.new_data())
        tree = nutpie.sample(
            compiled,
            draws=sampling.draws,
            tune=sampling.tune,
            chains=sampling.chains,
            seed=seed,
            target_accept=sampling.target_accept,
            progress_bar=progress,
            save_warmup=False,
        )
    return xr.DataTree.from_dict(
        {"posterior": tree["posterior"].to_dataset(), "sample_stats": tree["sample_stats"].to_dataset()}
    )


def check_convergence(
    tree: xr.DataTree, *, var_names: list[str], raise_: bool = True
) -> dict[str, float | int | bool]:
    """Convergence diagnostics of ``var_names``; raise if the gate fails and ``raise_``.

    Returns
    -------
    dict
        ``rhat_max``, ``ess_bulk_min``, ``ess_tail_min``, ``divergences`` and ``converged``.
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
        raise ConvergenceError(
            f"sampling did not converge ({'; '.join(problems)}); try more tuning and draws "
            "(effect.sampling.tune, .draws), a higher target_accept, or more informative priors",
            field="effect.sampling",
        )
    return {
        "rhat_max": rhat,
        "ess_bulk_min": ess_bulk,
        "ess_tail_min": ess_tail,
        "divergences": divergences,
        "converged": not problems,
    }


def fit_effects(
    spec: ModelSpec,
    data: pd.DataFrame,
    *,
    random_seed: rng.SeedLike = None,
    progress: bool | None = None,
    check: bool = True,
) -> xr.DataTree:
    """Fit the effect model a spec names to validated follow-up data.

    Parameters
    ----------
    spec
        A :class:`~simpact.spec.ModelSpec` (see :func:`simpact.load_model`).
    data
        The follow-up table, from :func:`simpact.load_followup`.
    random_seed
        Seed for the sampler.

    Returns
    -------
    xarray.DataTree
        Posterior, sample stats and observed cells; ``attrs`` hold the design, the effect
        variable, the convergence diagnostics and the data's fingerprint.

    Examples
    --------
    >>> import simpact as sp
    >>> spec = sp.load_model("nata")
    >>> post = sp.fit_effects(spec, sp.load_followup(spec), random_seed=1)  # doctest: +SKIP
    >>> float(post.posterior["risk_difference"].mean()) < 0                 # doctest: +SKIP
    True
    """
    effect = spec.effect
    design = DESIGNS.get(effect.design)
    if design is None:
        raise SpecError(
            f"unknown design {effect.design!r}; expected one of {', '.join(DESIGNS)}",
            source=spec.source,
            field="effect.design",
        )
    try:
        model = design(
            data,
            outcome=effect.outcome,
            group=effect.group,
            period=effect.period,
            pre=effect.pre,
            post=effect.post,
            family=effect.family,
            trials=effect.trials,
            unit=effect.unit,
            priors=effect.priors,
            better=effect.better,
        )
        fit = model.fit(
            random_seed=random_seed, sampling=effect.sampling, progress=progress, check=check
        )
    except SpecError as exc:
        raise type(exc)(exc.message, source=exc.source or spec.source, field=exc.field) from None
    fit.tree.attrs["data_sha256"] = data.attrs.get("sha256", "")
    fit.tree.attrs["data_source"] = data.attrs.get("source", "")
    return fit.tree
