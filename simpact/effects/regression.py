"""The regression every study design is: :class:`Design`, its data, priors, model and fit.

Every design is a regression on the link scale of its family (:mod:`.families`)::

    eta = intercept[site] + sum_k beta_k x_k [+ unit offset] + effect[site] * x_effect (+ ...)

with the design's nuisance regressors ``x_k`` (the group and period of a DiD, the trend of a time
series), its effect regressor(s), and the rows on which the effect is evaluated (``target``: the
treated after the start). The counterfactual ``eta0`` drops the effect terms. The reported effect
is the difference (or ratio) of the weighted mean of ``inverse_link(eta)`` and of
``inverse_link(eta0)`` over the target rows (weights: trials, exposure, or 1).

With ``site=`` the intercept and the effect vary by site (partial pooling, non-centred)::

    intercept_site = intercept + site_sd * z_s,    effect_site = effect + effect_sd * u_s

``effect`` is then the pooled (mean) effect and the reported scales (``risk_difference``,
``rate_ratio``, ``mean_difference`` ...) are the **predictive effect for a new site**, drawn
from ``N(effect, effect_sd)`` with a new site's intercept; the site-specific effects are in
``<link effect>_site`` (``log_odds_ratio_site``, ``log_rate_ratio_site``,
``mean_difference_site``) with a ``site`` dim.

With ``unit=`` on a :class:`DiD` (individual panels, families other than bernoulli/binomial)
each unit gets a random intercept ``unit_sd * v_i``; the other designs see each unit once and
ignore ``unit``. Binary outcomes are instead aggregated to cells (exact for
the binomial likelihood); a pupil observed before and after then counts as two independent
observations, which makes the DiD interval conservative when the two are positively correlated.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import ClassVar

import numpy as np
import pandas as pd
import pymc as pm
import xarray as xr

from simpact.base import rng
from simpact.base.constants import CI_PROB
from simpact.base.errors import SpecError
from simpact.base.fit_info import FitInfo
from simpact.config.spec import EffectSpec, Sampling
from simpact.effects import core
from simpact.effects.core import Fit
from simpact.effects.families import FAMILIES, LINK_EFFECT, SCALES

_OBSERVED_NAMES = {
    "logit": {"outcome": "events", "weight": "trials"},
    "log": {"outcome": "events", "weight": "exposure"},
    "identity": {"outcome": "outcome"},
}


@dataclass(kw_only=True)
class Design:
    """Fields and machinery shared by the regression designs."""

    data: pd.DataFrame = field(kw_only=False)
    outcome: str
    family: str = "bernoulli"
    trials: str | None = None
    exposure: str | None = None
    site: str | None = None
    unit: str | None = None
    priors: dict[str, dict] = field(default_factory=dict)
    better: str = "lower"

    KEY: ClassVar[str]
    COVARIATES: ClassVar[tuple[str, ...]] = ()
    """Nuisance coefficients; each is also the name of its regressor column in :meth:`frame`."""
    EFFECTS: ClassVar[tuple[str, ...]] = ("effect",)
    """Effect coefficients (the first is the one pooled across sites)."""
    PANEL: ClassVar[bool] = False
    """Whether ``unit=`` adds unit random intercepts (repeated measures of a unit)."""

    def __post_init__(self) -> None:
        from simpact.data import check

        if self.family not in FAMILIES:
            raise SpecError(
                f"unknown family {self.family!r}; expected one of {', '.join(FAMILIES)}",
                field="effect.family",
            )
        check(self.data, self.spec(), source=self.data.attrs.get("source", "DataFrame"))
        self._defaults()  # fail early on unknown prior names

    # -- what a subclass provides ---------------------------------------------------------------
    def spec(self) -> EffectSpec:
        """The design as an :class:`~simpact.config.spec.EffectSpec` (what fit_effects reads)."""
        raise NotImplementedError

    def _regressors(self, df: pd.DataFrame) -> pd.DataFrame:
        """Columns ``COVARIATES + EFFECTS + ("target",)`` for the rows of ``df``."""
        raise NotImplementedError

    # -- shared machinery -----------------------------------------------------------------------
    @property
    def _family(self):
        return FAMILIES[self.family]

    def _aggregated(self) -> bool:
        return self._family.link == "logit"

    def site_labels(self) -> list[str]:
        return sorted(map(str, self.data[self.site].unique())) if self.site else []

    def unit_labels(self) -> list[str]:
        if self.unit is None or self._aggregated() or not self.PANEL:
            return []
        return sorted(map(str, self.data[self.unit].unique()))

    def frame(self) -> pd.DataFrame:
        """The model's rows: regressors, ``outcome``, ``weight``, ``target`` and site/unit codes.

        Binary and binomial outcomes are summed over rows with identical regressors and site.
        """
        df = self.data
        fam = self._family
        out = self._regressors(df).astype(float)
        out["outcome"] = df[self.outcome].to_numpy()
        role = {"trials": self.trials, "exposure": self.exposure}.get(fam.weight or "")
        out["weight"] = df[role].to_numpy() if role else 1
        out["site_index"] = (
            pd.Categorical(df[self.site].astype(str), self.site_labels()).codes if self.site else 0
        )
        units = self.unit_labels()
        out["unit_index"] = pd.Categorical(df[self.unit].astype(str), units).codes if units else 0
        if self._aggregated():
            keys = [c for c in out.columns if c not in ("outcome", "weight")]
            out = out.groupby(keys, as_index=False)[["outcome", "weight"]].sum()
        out["target_weight"] = out["target"] * out["weight"]
        return out.reset_index(drop=True)

    def _defaults(self) -> tuple[dict[str, dict], str]:
        frame = self.frame()
        centre, s, extras = self._family.defaults(
            frame["outcome"].to_numpy(float), frame["weight"].to_numpy(float)
        )
        identity = self._family.link == "identity"
        defaults = {
            "intercept": {
                "dist": "Normal",
                "kwargs": {"mu": centre, "sigma": (2.5 if identity else 1.5) * s},
            }
        }
        for name in self.COVARIATES + self.EFFECTS:
            defaults[name] = {"dist": "Normal", "kwargs": {"mu": 0.0, "sigma": s}}
        if self.site:
            for name in ("site_sd", "effect_sd"):
                defaults[name] = {"dist": "HalfNormal", "kwargs": {"sigma": s / 2}}
        if self.unit_labels():
            defaults["unit_sd"] = {"dist": "HalfNormal", "kwargs": {"sigma": s / 2}}
        defaults.update(extras)
        merged, key = core.merge_priors(defaults, self.priors)
        self._default_priors = defaults
        return merged, key

    @property
    def default_priors(self) -> dict[str, dict]:
        """The data-scaled default priors of this design and data (before overrides)."""
        self._defaults()
        return self._default_priors

    def priors_used(self) -> dict[str, dict]:
        """Every parameter's prior as fitted: the data-scaled defaults with the overrides applied
        (plain floats, so it is saved with the fit as provenance)."""
        merged = {**self.default_priors, **self.priors}
        return json.loads(json.dumps(merged, default=float))

    OUTCOME_DATA: ClassVar[str] = "outcome"

    def calibration_vars(self) -> list[str]:
        """Posterior variables checked by simulation-based calibration."""
        natural = self._family.effect_scale
        return list(dict.fromkeys([natural, LINK_EFFECT[natural]]))

    def structure_key(self) -> tuple:
        _, prior_key = self._defaults()
        return (self.KEY, self.family, prior_key, len(self.site_labels()), len(self.unit_labels()))

    def new_data(self) -> dict[str, np.ndarray]:
        """This design's data, by ``pm.Data`` name (to refit a compiled model without compiling)."""
        frame = self.frame()
        fam = self._family
        self._defaults()
        data = {f"x_{c}": frame[c].to_numpy(float) for c in (*self.COVARIATES, *self.EFFECTS)}
        data["target_weight"] = frame["target_weight"].to_numpy(float)
        data["outcome"] = frame["outcome"].to_numpy(np.int64 if fam.integer else float)
        data["weight"] = frame["weight"].to_numpy(np.int64 if fam.link == "logit" else float)
        data["site_index"] = frame["site_index"].to_numpy(np.int64)
        data["unit_index"] = frame["unit_index"].to_numpy(np.int64)
        data.update(core.prior_values(self._default_priors, self.priors))
        return data

    def build(self) -> pm.Model:
        """The PyMC model, with data and data-scaled prior parameters in ``pm.Data`` containers."""
        fam = self._family
        merged, _ = self._defaults()
        data = self.new_data()
        sites, units = self.site_labels(), self.unit_labels()
        coords = {"site": sites} if sites else {}
        if units:
            coords["unit"] = units
        natural = fam.effect_scale
        with pm.Model(coords=coords) as model:
            d = {
                name: pm.Data(name, value)
                for name, value in data.items()
                if not name.startswith("prior_")
            }
            p = core.prior_variables(merged, self.priors)
            base = sum((p[c] * d[f"x_{c}"] for c in self.COVARIATES), start=0.0)
            extra = sum((p[c] * d[f"x_{c}"] for c in self.EFFECTS[1:]), start=0.0)
            if units:
                unit_z = pm.Normal("unit_z", 0.0, 1.0, dims="unit")
                base = base + p["unit_sd"] * unit_z[d["unit_index"]]
            if sites:
                site_z = pm.Normal("site_z", 0.0, 1.0, dims="site")
                effect_z = pm.Normal("effect_z", 0.0, 1.0, dims="site")
                a_site = pm.Deterministic(
                    "intercept_site", p["intercept"] + p["site_sd"] * site_z, dims="site"
                )
                e_site = pm.Deterministic(
                    f"{LINK_EFFECT[natural]}_site",
                    p["effect"] + p["effect_sd"] * effect_z,
                    dims="site",
                )
                a_obs, e_obs = a_site[d["site_index"]], e_site[d["site_index"]]
                a_new = p["intercept"] + p["site_sd"] * pm.Normal("site_z_new", 0.0, 1.0)
                e_new = pm.Deterministic(
                    "effect_new", p["effect"] + p["effect_sd"] * pm.Normal("effect_z_new", 0.0, 1.0)
                )
            else:
                a_obs = a_new = p["intercept"]
                e_obs = e_new = p["effect"]
            first = self.EFFECTS[0]
            eta = a_obs + base + e_obs * d[f"x_{first}"] + extra
            fam.likelihood(eta, d["outcome"], d["weight"], p, None)
            eta1 = a_new + base + e_new * d[f"x_{first}"] + extra
            eta0 = a_new + base
            for name, expr in fam.scales(
                fam.mean, eta1, eta0, d["target_weight"], e_new, p
            ).items():
                pm.Deterministic(name, expr)
        return model

    def fit(
        self,
        *,
        random_seed: rng.SeedLike = None,
        sampling: Sampling | None = None,
        progress: bool | None = None,
        check: bool = True,
    ) -> Fit:
        """Sample the posterior (nutpie, compiled once per structure) and pass the gate.

        Parameters
        ----------
        random_seed
            Seed for the sampler (same seed, same draws, bit for bit).
        sampling
            Draws, tuning, chains and sampler (``"nutpie"`` by default, or ``"pymc"``).
        progress
            Show a progress bar; by default only when writing to a terminal.
        check
            Raise :class:`~simpact.base.errors.ConvergenceError` when the gate fails (default). With
            ``False`` the diagnostics are still recorded in ``tree.attrs`` for a report to flag.
        """
        sampling = sampling or Sampling()
        tree = core.sample(
            self.build,
            self.structure_key(),
            self.new_data(),
            sampling,
            core.integer_seed(random_seed),
            core.resolve_progress(progress),
        )
        return self._finish(tree, sampling, check=check)

    def _finish(self, tree: xr.DataTree, sampling: Sampling, *, check: bool) -> Fit:
        fam = self._family
        frame = self.frame()
        names = {
            **{c: c for c in (*self.COVARIATES, *self.EFFECTS, "target")},
            **_OBSERVED_NAMES[fam.link],
        }
        obs = xr.Dataset({new: ("obs", frame[old].to_numpy()) for old, new in names.items()})
        for name in ("group", "period", "effect", "target"):
            if name in obs and self.KEY != "its":
                obs[name] = obs[name].astype(int)
        if self.site:
            obs["site"] = ("obs", np.asarray(self.site_labels(), dtype=object)[frame["site_index"]])
        tree["observed_data"] = self._observed(obs)
        scales = list(SCALES[fam.effect_scale])
        gate = scales + ([f"{LINK_EFFECT[fam.effect_scale]}_site"] if self.site else [])
        FitInfo(
            design=self.KEY,
            family=self.family,
            outcome=self.outcome,
            effect_var=fam.effect_scale,
            effect_scale=fam.effect_scale,
            effect_scales=tuple(scales),
            better=self.better,
            sampler=sampling.sampler,
            ci_prob=CI_PROB,
            site=self.site or "",
            sites=tuple(self.site_labels()),
            priors=self.priors_used(),
        ).write(tree)
        _units(tree, fam.effect_scale)
        core.check_convergence(tree, var_names=gate, raise_=check).write(tree)
        return Fit(tree)

    def _observed(self, obs: xr.Dataset) -> xr.Dataset:
        return obs


_UNITS = {
    "risk_difference": "1",
    "risk_ratio": "1",
    "log_risk_ratio": "1",
    "log_odds_ratio": "1",
    "risk_treated": "1",
    "risk_counterfactual": "1",
    "rate_ratio": "1",
    "log_rate_ratio": "1",
    "standardised_mean_difference": "1",
}


def _units(tree: xr.DataTree, natural: str) -> None:
    """Units of the posterior variables (rates per unit of exposure; means in outcome units)."""
    for name in tree.posterior.data_vars:
        unit = _UNITS.get(name)
        if unit is None and name.startswith("rate_"):
            unit = "events per unit of exposure"
        if unit is None and name.startswith("mean_"):
            unit = "outcome units"
        tree.posterior[name].attrs["units"] = unit or "link scale"
