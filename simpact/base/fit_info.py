"""The fit's metadata: what an effect posterior is, written to and read from its attrs here only.

Every effect design records a :class:`FitInfo` in its tree's root ``attrs`` (the design, family
and outcome, the posterior variable of the natural-scale effect and every scale reported, which
direction is better, the sampler, the sites, the priors used) together with the convergence
:class:`Diagnostics`. The simulation, the decision summary and the report read it back with
:meth:`FitInfo.read`, never by looking up attrs names of their own.

Examples
--------
>>> import xarray as xr
>>> tree = xr.DataTree()
>>> FitInfo(design="did", family="bernoulli", outcome="absent", effect_var="risk_difference",
...         effect_scale="risk_difference", effect_scales=("risk_difference",)).write(tree)
>>> FitInfo.read(tree).effect_scales
('risk_difference',)
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields

import numpy as np

from simpact.base.constants import CI_PROB


@dataclass(frozen=True)
class Diagnostics:
    """The convergence gate's readings (R-hat, bulk and tail ESS, divergences) and its verdict."""

    rhat_max: float
    ess_bulk_min: float
    ess_tail_min: float
    divergences: int
    converged: bool

    @classmethod
    def read(cls, tree) -> Diagnostics | None:
        """The diagnostics in ``tree.attrs``, or ``None`` if the tree has none."""
        attrs = tree.attrs
        if "rhat_max" not in attrs:
            return None
        return cls(
            rhat_max=float(attrs["rhat_max"]),
            ess_bulk_min=float(attrs["ess_bulk_min"]),
            ess_tail_min=float(attrs["ess_tail_min"]),
            divergences=int(attrs["divergences"]),
            converged=bool(attrs["converged"]),
        )

    def write(self, tree) -> None:
        """Write into ``tree.attrs``."""
        tree.attrs.update(asdict(self))


@dataclass(frozen=True)
class FitInfo:
    """What an effect fit is.

    Attributes
    ----------
    design, family, outcome
        The design's key, the outcome family and the outcome column.
    effect_var
        The posterior variable of the effect on its natural scale.
    effect_scale
        The natural scale (a key of :data:`simpact.base.scales.SCALES`, or a meta-analysis's
        source scale).
    effect_scales
        Every effect scale the posterior reports.
    better
        ``"lower"`` or ``"higher"``: which direction of the outcome is good (``None`` when the
        fit does not say; the spec's ``effect.better`` then applies).
    sampler, ci_prob
        The sampler used and the interval probability.
    site, sites
        The pooling column and its site labels (empty without pooling).
    priors
        The priors the fit used, by parameter.
    """

    effect_var: str
    effect_scale: str
    effect_scales: tuple[str, ...]
    design: str = ""
    family: str = ""
    outcome: str = ""
    better: str | None = None
    sampler: str = "nutpie"
    ci_prob: float = CI_PROB
    site: str = ""
    sites: tuple[str, ...] = ()
    priors: dict = field(default_factory=dict)

    @classmethod
    def read(cls, tree) -> FitInfo | None:
        """The fit's metadata in ``tree.attrs``, or ``None`` if the tree is not a fit."""
        attrs = tree.attrs
        if "effect_var" not in attrs:
            return None
        values = {f.name: attrs[f.name] for f in fields(cls) if f.name in attrs}
        values.setdefault("effect_scale", values["effect_var"])
        values.setdefault("effect_scales", (values["effect_var"],))
        for name in ("effect_scales", "sites"):
            values[name] = tuple(str(v) for v in np.atleast_1d(values.get(name, ())) if v != "")
        values["ci_prob"] = float(values.get("ci_prob", CI_PROB))
        values["priors"] = dict(values.get("priors") or {})
        return cls(**values)

    def write(self, tree) -> None:
        """Write into ``tree.attrs`` (the one writer)."""
        values = asdict(self)
        values["effect_scales"] = list(self.effect_scales)
        values["sites"] = list(self.sites)
        tree.attrs.update(values)
