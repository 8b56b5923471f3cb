"""Effect models: estimate an intervention's effect from follow-up data with PyMC.

Each design is a small class taking a DataFrame and column names, with a ``fit()`` that returns a
:class:`Fit` (``fit.effect``, ``fit.tree``, ``fit.summary()``):

* :class:`TwoGroup` -- treated vs comparison after the intervention;
* :class:`DiD` -- before/after with a comparison group (individual panels or aggregated tables);
* :class:`InterruptedTimeSeries` -- one series with a change in level and slope at ``start``;
* :class:`MetaAnalysis` -- random-effects meta-analysis of literature effects, whose predictive
  distribution (:meth:`MetaFit.as_prior`) can be the prior of the local effect.

The first three take ``family`` (:data:`FAMILIES`: ``bernoulli``, ``binomial``, ``poisson``,
``negbin``, ``normal``, ``student_t``) and ``site=`` for partial pooling across sites.
:data:`DESIGNS` is the registry a model spec's ``[effect] design = "..."`` chooses from, and
:func:`fit_effects` runs the spec's choice.

Every fit passes the convergence gate (:func:`check_convergence`): R-hat <= 1.01, bulk and tail ESS
>= 400 and no divergent transitions, or a :class:`~simpact.base.errors.ConvergenceError` says what
failed and what to try. A model is compiled once per structure (design, family, prior structure,
number of sites and units) and refit on new data -- any number of rows, new data-scaled prior
numbers -- without recompiling (PyMC ``Data`` containers and nutpie's ``with_data``).

The effect on its *natural scale* (``tree.attrs["effect_var"]``, the kind in
``attrs["effect_scale"]``) is the risk difference for binary and binomial outcomes, the rate
ratio for counts and the mean difference for continuous outcomes; standard effect sizes (log odds
ratio, log risk ratio, log rate ratio, standardised mean difference) are reported beside it.
"""

from __future__ import annotations

import pandas as pd
import xarray as xr

from simpact.base import plugins, rng
from simpact.base.constants import CI_PROB
from simpact.base.errors import SpecError
from simpact.base.provenance import Provenance
from simpact.config.spec import ModelSpec
from simpact.effects.core import ESS_MIN, RHAT_MAX, Fit, check_convergence
from simpact.effects.designs import DiD, InterruptedTimeSeries, TwoGroup
from simpact.effects.families import FAMILIES, SCALES
from simpact.effects.meta import MetaAnalysis, MetaFit

__all__ = [
    "CI_PROB",
    "DESIGNS",
    "ESS_MIN",
    "FAMILIES",
    "RHAT_MAX",
    "SCALES",
    "DiD",
    "Fit",
    "InterruptedTimeSeries",
    "MetaAnalysis",
    "MetaFit",
    "TwoGroup",
    "check_convergence",
    "check_effect_model",
    "fit_effects",
]

DESIGNS: dict[str, type] = {
    "two_group": TwoGroup,
    "did": DiD,
    "its": InterruptedTimeSeries,
}
"""Registry of effect designs, by the key a spec uses in ``[effect] design``.

``"two_group"`` (columns ``outcome``, ``group``), ``"did"`` (``outcome``, ``group``, ``period``,
``pre``, ``post``, optional ``unit``), ``"its"`` (``outcome``, ``time``, ``start``); all take
``family``, ``trials``, ``exposure``, ``site``, ``priors``, ``better``. (``MetaAnalysis`` takes
literature effects rather than a follow-up table, so it is used from Python.)
"""

plugins.register(DESIGNS, "simpact.effects")

_FIELDS = {
    "two_group": ("group",),
    "did": ("group", "period", "pre", "post", "unit"),
    "its": ("time", "start"),
}


def check_effect_model(spec: ModelSpec) -> type:
    """The design class a spec names, after checking its design and family keys (no fitting).

    Called before any data is read or model built, so a misspelled key costs a moment.
    """
    effect = spec.effect
    design = DESIGNS.get(effect.design)
    if design is None:
        raise SpecError(
            f"unknown design {effect.design!r}; expected one of {', '.join(DESIGNS)}",
            source=spec.source,
            field="effect.design",
        )
    if effect.family not in FAMILIES:
        raise SpecError(
            f"unknown family {effect.family!r}; expected one of {', '.join(FAMILIES)}",
            source=spec.source,
            field="effect.family",
        )
    return design


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
        A :class:`~simpact.config.spec.ModelSpec` (see :func:`simpact.load_model`).
    data
        The follow-up table, from :func:`simpact.load_followup`.
    random_seed
        The run's seed; the sampler draws from its ``fit`` stream (so the same seed gives the
        fit of ``simpact fit --seed`` and of :func:`simpact.run`).
    progress
        Show a progress bar (default: when writing to a terminal).
    check
        Raise :class:`~simpact.base.errors.ConvergenceError` if the gate fails (else only flag it).

    Returns
    -------
    xarray.DataTree
        Posterior, sample stats and observed data; ``attrs`` hold the design, the effect
        variable and its kind, the convergence diagnostics and the data's fingerprint.

    Examples
    --------
    >>> import simpact as sp
    >>> spec = sp.load_model("nata")
    >>> post = sp.fit_effects(spec, sp.load_followup(spec), random_seed=1)  # doctest: +SKIP
    >>> float(post.posterior["risk_difference"].mean()) < 0                 # doctest: +SKIP
    True
    """
    effect = spec.effect
    design = check_effect_model(spec)
    common = ("outcome", "family", "trials", "exposure", "site", "priors", "better")
    if effect.design != "did":
        common = (*common, "unit")
    kwargs = {name: getattr(effect, name) for name in (*common, *_FIELDS[effect.design])}
    prov, seq = Provenance.of_seed(
        random_seed,
        "fit",
        spec=spec.to_json(),
        spec_source=spec.source,
        data_sha256=data.attrs.get("sha256", ""),
        data_source=data.attrs.get("source", ""),
        data_synthetic=spec.data.synthetic,
    )
    try:
        model = design(data, **kwargs)
        fit = model.fit(random_seed=seq, sampling=effect.sampling, progress=progress, check=check)
    except SpecError as exc:
        raise type(exc)(exc.message, source=exc.source or spec.source, field=exc.field) from None
    prov.write(fit.tree)
    if data.attrs.get("warnings"):
        fit.tree.attrs["data_warnings"] = list(data.attrs["warnings"])
    return fit.tree
