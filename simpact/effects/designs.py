"""Study designs: two groups, difference in differences, interrupted time series.

Each is a :class:`~simpact.effects.regression.Design` (one link-scale regression with effect
terms, see that module) with its own regressors and the columns it reads.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import pandas as pd
import xarray as xr

from simpact.config.spec import EffectSpec
from simpact.effects.regression import Design


@dataclass(kw_only=True)
class TwoGroup(Design):
    """Treated vs comparison after the intervention.

    ``g(mu) = intercept + effect * treated``; the effect is evaluated on the treated rows.
    Default priors: see :mod:`simpact.effects.families` (``intercept``, ``effect`` and the
    family's own), plus ``site_sd``, ``effect_sd`` with ``site=``.

    Parameters
    ----------
    data
        One row per unit (or per aggregate, with ``trials`` for binomial).
    outcome, group
        The outcome column and the 0/1 treated indicator.
    family
        ``bernoulli``, ``binomial`` (``trials=`` names n), ``poisson`` / ``negbin``
        (``exposure=`` names the exposure, e.g. days enrolled), ``normal`` or ``student_t``.
    site
        Column of sites (schools, municipalities) for partial pooling.
    priors
        Overrides of :attr:`default_priors`, e.g. ``{"effect": {"dist": "Normal",
        "kwargs": {"mu": -0.5, "sigma": 0.3}}}``.

    Examples
    --------
    >>> df = pd.DataFrame({"y": [3.0, 4.0, 5.0, 7.0], "g": [0, 0, 1, 1]})
    >>> TwoGroup(df, outcome="y", group="g", family="normal").default_priors["effect"]
    {'dist': 'Normal', 'kwargs': {'mu': 0.0, 'sigma': 1.479019945774904}}
    """

    group: str

    KEY: ClassVar[str] = "two_group"

    def spec(self) -> EffectSpec:
        return _spec(self, group=self.group)

    def _regressors(self, df):
        treated = df[self.group].astype(int).to_numpy()
        return pd.DataFrame({"effect": treated, "target": treated})


@dataclass(kw_only=True)
class DiD(Design):
    """Difference in differences: before/after with a comparison group.

    ``g(mu) = intercept + group * treated + period * post + effect * treated * post``, so the
    counterfactual for the treated after the start keeps the comparison group's change (parallel
    trends on the link scale). Individual panels (``unit=``) and aggregated group x period tables
    (``trials=`` / ``exposure=`` columns) both work. Default priors: ``intercept``, ``group``,
    ``period``, ``effect`` and the family's own (:mod:`simpact.effects.families`).

    Parameters
    ----------
    data
        One row per unit and period, or per group x period (x site) aggregate.
    outcome, group, period
        The outcome, the 0/1 treated indicator and the period label column.
    pre, post
        The labels of the two periods.
    unit
        Unit id for individual panels (random intercepts; ignored for binary outcomes, which are
        aggregated to cells).
    family, trials, exposure, site, priors, better
        As in :class:`TwoGroup`.

    Examples
    --------
    >>> df = pd.DataFrame({"y": [1, 0, 1, 1, 0, 0, 1, 0], "g": [0, 0, 1, 1] * 2,
    ...                    "t": ["pre"] * 4 + ["post"] * 4})
    >>> DiD(df, outcome="y", group="g", period="t").cells()["trials"].tolist()
    [2, 2, 2, 2]
    """

    group: str
    period: str
    pre: str = "pre"
    post: str = "post"

    KEY: ClassVar[str] = "did"
    COVARIATES: ClassVar[tuple[str, ...]] = ("group", "period")
    PANEL: ClassVar[bool] = True

    def spec(self) -> EffectSpec:
        return _spec(self, group=self.group, period=self.period, pre=self.pre, post=self.post)

    def _regressors(self, df):
        treated = df[self.group].astype(int).to_numpy()
        post = (df[self.period].astype(str) == self.post).astype(int).to_numpy()
        return pd.DataFrame(
            {"group": treated, "period": post, "effect": treated * post, "target": treated * post}
        )

    def cells(self) -> pd.DataFrame:
        """Events and trials per (site x) group x period cell of a binary outcome."""
        frame = self.frame()
        table = pd.DataFrame(
            {
                "treated": frame["group"].astype(int),
                "post": frame["period"].astype(int),
                "events": frame["outcome"].astype(int),
                "trials": frame["weight"].astype(int),
            }
        )
        return table

    def _observed(self, obs: xr.Dataset) -> xr.Dataset:
        obs = obs.rename({"group": "treated", "period": "post"})
        return obs.rename({"obs": "cell"}) if self._aggregated() else obs


@dataclass(kw_only=True)
class InterruptedTimeSeries(Design):
    """A single series (e.g. monthly absence) with a change in level and slope at ``start``.

    ``g(mu) = intercept + trend * tau + effect * post + slope_change * tau * post`` with
    ``tau = (time - start) / span`` (span = last minus first time), so ``trend`` and
    ``slope_change`` are changes over the whole observed span and ``effect`` is the change in
    level at the start. The counterfactual extends the pre-period line; the reported effect is its
    (exposure-weighted) mean difference over the post-period rows. Observations are treated as
    independent given the trend (no autocorrelation term). Default priors: ``intercept``,
    ``trend``, ``effect``, ``slope_change`` and the family's own.

    Parameters
    ----------
    data
        One row per time point (and site, with ``site=``).
    outcome, time
        The outcome and a numeric time column (e.g. month number).
    start
        The first time point of the intervention (rows with ``time >= start`` are after).
    exposure
        For counts: the exposure per row (e.g. pupil-days enrolled that month).

    Examples
    --------
    >>> df = pd.DataFrame({"m": range(8), "y": [5, 6, 5, 7, 3, 3, 2, 3], "n": [100] * 8})
    >>> its = InterruptedTimeSeries(df, outcome="y", time="m", start=4, family="poisson",
    ...                             exposure="n")
    >>> its.frame()["effect"].tolist()
    [0.0, 0.0, 0.0, 0.0, 1.0, 1.0, 1.0, 1.0]
    """

    time: str
    start: float

    KEY: ClassVar[str] = "its"
    COVARIATES: ClassVar[tuple[str, ...]] = ("trend",)
    EFFECTS: ClassVar[tuple[str, ...]] = ("effect", "slope_change")

    def spec(self) -> EffectSpec:
        return _spec(self, time=self.time, start=self.start)

    def _regressors(self, df):
        t = df[self.time].to_numpy(float)
        span = float(t.max() - t.min()) or 1.0
        tau = (t - self.start) / span
        post = (t >= self.start).astype(float)
        return pd.DataFrame(
            {"trend": tau, "effect": post, "slope_change": tau * post, "target": post}
        )


def _spec(design: Design, **fields) -> EffectSpec:
    return EffectSpec(
        design=design.KEY,
        family=design.family,
        outcome=design.outcome,
        trials=design.trials,
        exposure=design.exposure,
        site=design.site,
        unit=design.unit,
        better=design.better,
        priors=design.priors,
        **fields,
    )
