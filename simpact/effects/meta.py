"""Bayesian random-effects meta-analysis of literature effects, usable as a local prior."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

import numpy as np
import pymc as pm
import xarray as xr

from simpact.base import rng
from simpact.base.constants import CI_PROB
from simpact.base.errors import DataError
from simpact.base.fit_info import FitInfo
from simpact.config.spec import Sampling
from simpact.effects import core
from simpact.effects.core import Fit


@dataclass
class MetaAnalysis:
    """Random-effects meta-analysis: ``yi ~ N(theta_j, sei)``, ``theta_j ~ N(mu, tau)``.

    Non-centred (``theta_j = mu + tau z_j``). The posterior holds ``mu`` (mean effect), ``tau``
    (between-study sd), ``theta`` (dim ``study``) and ``theta_new ~ N(mu, tau)``, the predictive
    effect of a new study -- or of the local study, which is how :meth:`as_prior` passes the
    literature on to a local design.

    Default priors, scaled by ``s = sqrt(mean(sei^2) + var(yi))``: ``mu ~ Normal(0, 2.5 s)``,
    ``tau ~ HalfNormal(s)``; override with ``priors={"tau": {"dist": "HalfCauchy",
    "kwargs": {"beta": 5}}}``.

    Parameters
    ----------
    yi, sei
        Study effects and their standard errors, all on one scale (e.g. log odds ratios).
    labels
        Study names (the ``study`` coord).
    scale
        The name of that scale: ``"log_odds_ratio"``, ``"log_rate_ratio"``,
        ``"standardised_mean_difference"``, ``"mean_difference"`` ...

    Examples
    --------
    >>> ma = MetaAnalysis([28, 8, -3, 7, -1, 1, 18, 12], [15, 10, 16, 11, 9, 11, 10, 18])
    >>> sorted(ma.default_priors)
    ['mu', 'tau']
    """

    yi: np.ndarray
    sei: np.ndarray
    labels: list[str] | None = None
    scale: str = "log_odds_ratio"
    priors: dict[str, dict] = field(default_factory=dict)

    KEY: ClassVar[str] = "meta"

    def __post_init__(self) -> None:
        self.yi = np.asarray(self.yi, dtype=float)
        self.sei = np.asarray(self.sei, dtype=float)
        if self.yi.ndim != 1 or self.yi.shape != self.sei.shape or len(self.yi) < 2:
            raise DataError(
                f"yi and sei must be two lists of the same length >= 2, got {self.yi.shape} and "
                f"{self.sei.shape}",
                field="yi",
            )
        for name, values in (("yi", self.yi), ("sei", self.sei)):
            if not np.isfinite(values).all():
                raise DataError(
                    f"missing or infinite value in study {_first(~np.isfinite(values))}", field=name
                )
        if not (self.sei > 0).all():
            raise DataError(
                f"standard errors must be > 0 (study {_first(self.sei <= 0)})", field="sei"
            )
        self.labels = (
            list(self.labels)
            if self.labels is not None
            else [f"study_{i + 1}" for i in range(len(self.yi))]
        )
        if len(self.labels) != len(self.yi):
            raise DataError(f"{len(self.labels)} labels for {len(self.yi)} studies", field="labels")
        self._merged, self._prior_key = core.merge_priors(self.default_priors, self.priors)

    @property
    def default_priors(self) -> dict[str, dict]:
        """The data-scaled default priors (see the class docstring)."""
        s = float(np.sqrt(np.mean(self.sei**2) + np.var(self.yi)))
        return {
            "mu": {"dist": "Normal", "kwargs": {"mu": 0.0, "sigma": 2.5 * s}},
            "tau": {"dist": "HalfNormal", "kwargs": {"sigma": s}},
        }

    OUTCOME_DATA: ClassVar[str] = "yi"

    def calibration_vars(self) -> list[str]:
        """Posterior variables checked by simulation-based calibration."""
        return ["mu", "tau", "theta_new"]

    def structure_key(self) -> tuple:
        return (self.KEY, len(self.yi), self._prior_key)

    def new_data(self) -> dict[str, np.ndarray]:
        data = {"yi": self.yi, "sei": self.sei}
        data.update(core.prior_values(self.default_priors, self.priors))
        return data

    def build(self) -> pm.Model:
        """The PyMC model (``yi``, ``sei`` and default prior parameters in ``pm.Data``)."""
        with pm.Model(coords={"study": self.labels}) as model:
            yi = pm.Data("yi", self.yi, dims="study")
            sei = pm.Data("sei", self.sei, dims="study")
            p = core.prior_variables(self._merged, self.priors, field="meta.priors")
            z = pm.Normal("z", 0.0, 1.0, dims="study")
            pm.Deterministic("theta", p["mu"] + p["tau"] * z, dims="study")
            pm.Normal("y", mu=p["mu"] + p["tau"] * z, sigma=sei, observed=yi, dims="study")
            pm.Deterministic("theta_new", p["mu"] + p["tau"] * pm.Normal("z_new", 0.0, 1.0))
        return model

    def fit(
        self,
        *,
        random_seed: rng.SeedLike = None,
        sampling: Sampling | None = None,
        progress: bool | None = None,
        check: bool = True,
    ) -> Fit:
        """Sample the posterior and pass the convergence gate (see :meth:`TwoGroup.fit`).

        Examples
        --------
        >>> fit = MetaAnalysis([0.1, 0.3], [0.1, 0.2]).fit(random_seed=1)  # doctest: +SKIP
        >>> fit.as_prior()["dist"]                                         # doctest: +SKIP
        'Normal'
        """
        sampling = sampling or Sampling(target_accept=0.95)
        tree = core.sample(
            self.build,
            self.structure_key(),
            self.new_data(),
            sampling,
            core.integer_seed(random_seed),
            core.resolve_progress(progress),
        )
        tree["observed_data"] = xr.Dataset(
            {"yi": ("study", self.yi), "sei": ("study", self.sei)}, coords={"study": self.labels}
        )
        FitInfo(
            design=self.KEY,
            family="normal",
            outcome="yi",
            effect_var="mu",
            effect_scale=self.scale,
            effect_scales=("mu", "theta_new"),
            better="lower",
            sampler=sampling.sampler,
            ci_prob=CI_PROB,
        ).write(tree)
        for name in tree.posterior.data_vars:
            tree.posterior[name].attrs["units"] = "1" if name == "tau" else self.scale
        core.check_convergence(
            tree, var_names=["mu", "tau", "theta", "theta_new"], raise_=check
        ).write(tree)
        return MetaFit(tree)


@dataclass
class MetaFit(Fit):
    """A fitted :class:`MetaAnalysis`, with :meth:`as_prior`."""

    def as_prior(self, *, sd: float = 1.0) -> dict:
        """The predictive effect of a new study as a Normal prior (moment matching).

        Use it as the ``effect`` prior of a local design whose link-scale effect is on the
        meta-analysis' scale: log odds ratio for bernoulli/binomial, log rate ratio for
        poisson/negbin, mean difference for normal/student_t. For a meta-analysis of
        standardised mean differences, pass the local outcome's ``sd`` to turn it into a mean
        difference.

        Examples
        --------
        >>> prior = fit.as_prior()                                        # doctest: +SKIP
        >>> DiD(df, outcome="y", group="g", period="t", priors={"effect": prior})  # doctest: +SKIP
        """
        theta = self.tree.posterior["theta_new"] * sd
        return {
            "dist": "Normal",
            "kwargs": {"mu": float(theta.mean()), "sigma": float(theta.std())},
        }


def _first(mask: np.ndarray) -> int:
    return int(np.flatnonzero(mask)[0]) + 1
