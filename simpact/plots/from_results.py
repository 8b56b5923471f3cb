"""Figures from a results tree: the :data:`FIGURES` registry picks each figure's inputs out of a
results tree and its :class:`~simpact.decision.Summary` (an entry returns ``None`` when its
inputs are missing); :func:`make_figures` draws every figure that applies."""

from __future__ import annotations

from collections.abc import Callable

import xarray as xr
from matplotlib.figure import Figure
from scipy import stats

from simpact.base import scales
from simpact.base.fit_info import FitInfo
from simpact.config import labels
from simpact.config.loading import spec_of
from simpact.config.spec import ModelSpec
from simpact.decision.summary import Summary
from simpact.plots.effects import diagnostics, effect_posterior
from simpact.plots.fund import fund_balance, repayment
from simpact.plots.money import fan_chart, npv_distribution
from simpact.plots.sensitivity import evppi_bars, tornado
from simpact.plots.style import words

PRIOR_DENSITIES: dict[str, Callable[..., object]] = {
    "Normal": lambda mu=0.0, sigma=1.0: stats.norm(mu, sigma),
    "StudentT": lambda nu, mu=0.0, sigma=1.0: stats.t(nu, mu, sigma),
    "Cauchy": lambda alpha=0.0, beta=1.0: stats.cauchy(alpha, beta),
    "Laplace": lambda mu=0.0, b=1.0: stats.laplace(mu, b),
    "Logistic": lambda mu=0.0, s=1.0: stats.logistic(mu, s),
}
"""Densities (scipy) of the PyMC priors a report can overlay, by PyMC name."""


def effect_prior(sim: xr.DataTree, name: str = "effect", *, spec: ModelSpec | None = None):
    """The frozen scipy density of parameter ``name``'s prior (the spec's override, else the
    prior the fit recorded using), or None when it is not known.

    ``spec`` is the spec ``sim`` was simulated from (read from the tree when not given).

    Examples
    --------
    >>> from simpact.config import load_model
    >>> spec = load_model("nata")
    >>> prior = {"dist": "Normal", "kwargs": {"mu": -0.3, "sigma": 0.2}}
    >>> effect = spec.effect.model_copy(update={"priors": {"effect": prior}})
    >>> float(effect_prior(xr.DataTree(), spec=spec.model_copy(update={"effect": effect})).mean())
    -0.3
    """
    spec = spec if spec is not None else spec_of(sim)
    prior = spec.effect.priors.get(name) if spec is not None else None
    info = FitInfo.read(sim["fit"]) if "fit" in sim.children else None
    if prior is None and info is not None:
        prior = info.priors.get(name)  # the priors the fit used
    if not prior or prior.get("dist") not in PRIOR_DENSITIES:
        return None
    try:
        return PRIOR_DENSITIES[prior["dist"]](**prior.get("kwargs", {}))
    except TypeError:
        return None


def has(sim: xr.DataTree, group: str, *names: str) -> bool:
    """Whether ``sim`` has the group ``group`` (a path such as ``"fit/posterior"``) holding
    every variable in ``names``.

    Examples
    --------
    >>> sim = xr.DataTree.from_dict({"fund": xr.Dataset({"repaid": ("year", [1.0])})})
    >>> has(sim, "fund", "repaid"), has(sim, "fund", "drawn"), has(sim, "fit/posterior")
    (True, False, False)
    """
    try:
        node = sim[group]
    except KeyError:
        return False
    return isinstance(node, xr.DataTree) and all(n in node.data_vars for n in names)


def _input_labels(sim: xr.DataTree, keys, lang: str) -> list[str]:
    """Uncertain inputs (parameter columns or groups) in words (:mod:`simpact.config.labels`)."""
    spec = spec_of(sim)
    return [labels.input_label(str(k), spec, lang) for k in keys]


def _actor_labels(lang: str) -> dict[str, str]:
    """Display names of the priors library's actors in ``lang``."""
    from simpact.config import priors

    return {k: getattr(a.label, lang) for k, a in priors.actors().items()}


def _effect_figure(sim: xr.DataTree, summary: Summary, lang: str) -> Figure | None:
    if not has(sim, "fit/posterior", "effect"):
        return None
    info = FitInfo.read(sim["fit"])
    fitted = info.effect_scales if info is not None else ()
    xlabel = words(lang)["log_odds_ratio" if "log_odds_ratio" in fitted else "effect_param"]
    return effect_posterior(
        sim["fit/posterior/effect"], prior=effect_prior(sim), xlabel=xlabel, lang=lang
    )


def _diagnostics_figure(sim: xr.DataTree, summary: Summary, lang: str) -> Figure | None:
    if not has(sim, "fit/posterior"):
        return None
    # the variables the convergence gate checked: the plot and the report's verdict agree
    post = sim["fit/posterior"]
    info = FitInfo.read(sim["fit"])
    gated = info.effect_scales if info is not None else ()
    names = [v for v in gated if v in post.data_vars][:4]
    titles = {n: scales.SCALES[n].label[lang] for n in names if n in scales.SCALES}
    return diagnostics(sim["fit"], var_names=names or None, titles=titles, lang=lang)


def _fan_figure(sim: xr.DataTree, summary: Summary, lang: str) -> Figure | None:
    if not has(sim, "cashflows", "savings", "costs", "discount_factor"):
        return None
    cf = sim["cashflows"].to_dataset()
    disc = cf["discount_factor"]
    title = f"{sim.attrs.get('intervention_name', '')}: {words(lang)['fan_title']}"
    return fan_chart(
        cf["savings"] * disc,
        cf["costs"] * disc,
        price_year=sim.attrs.get("price_year", ""),
        labels=_actor_labels(lang),
        title=title,
        lang=lang,
    )


def balance(sim: xr.DataTree) -> xr.DataArray:
    """The fund part's balance from this project per year: repaid minus drawn, cumulated (SEK).

    Uses ``fund["balance"]`` when the fund stage provides one.

    Examples
    --------
    >>> fund = xr.Dataset({"repaid": ("year", [0.0, 0.0, 1.0]), "drawn": ("year", [1.0, 0.0, 0.0])},
    ...                   coords={"year": [1, 2, 3]})
    >>> balance(xr.DataTree.from_dict({"fund": fund})).values.tolist()
    [-1.0, -1.0, 0.0]
    """
    fund = sim["fund"].to_dataset()
    if "balance" in fund:
        return fund["balance"]
    out = (fund["repaid"] - fund["drawn"]).cumsum("year")
    return out.assign_attrs(units=fund["repaid"].attrs.get("units", "SEK"))


def _balance_figure(sim: xr.DataTree, summary: Summary, lang: str) -> Figure | None:
    if not (has(sim, "fund", "balance") or has(sim, "fund", "repaid", "drawn")):
        return None
    return fund_balance(balance(sim), price_year=sim.attrs.get("price_year", ""), lang=lang)


def _repayment_figure(sim: xr.DataTree, summary: Summary, lang: str) -> Figure | None:
    if not has(sim, "fund", "repaid", "principal") or "repaid_share" not in summary.draws:
        return None
    fund = sim["fund"].to_dataset()
    return repayment(
        fund["repaid"],
        principal=float(fund["principal"]),
        last_instalment_year=int(fund.attrs["last_instalment_year"]),
        repaid_share=summary.draws["repaid_share"],
        horizon=int(fund.attrs["horizon"]),
        p_on_schedule=summary.value("p_full_on_schedule", "fund"),
        lang=lang,
    )


def _npv_figure(sim: xr.DataTree, summary: Summary, lang: str) -> Figure | None:
    if "npv" not in summary.draws:
        return None
    return npv_distribution(
        summary.draws["npv"].sel(actor="total"),
        p_positive=summary.value("p_npv_positive", "total"),
        price_year=sim.attrs.get("price_year", ""),
        lang=lang,
    )


def _tornado_figure(sim: xr.DataTree, summary: Summary, lang: str) -> Figure | None:
    if not has(sim, "decision", "tornado"):
        return None
    df = sim["decision/tornado"].transpose("parameter", "bound").to_pandas()
    df.index = _input_labels(sim, df.index, lang)
    base = sim["decision"].attrs.get("tornado_base")
    return tornado(
        df,
        base=None if base is None else float(base),
        price_year=sim.attrs.get("price_year", ""),
        lang=lang,
    )


def _evppi_figure(sim: xr.DataTree, summary: Summary, lang: str) -> Figure | None:
    if not has(sim, "decision", "evppi"):
        return None
    dec = sim["decision"]
    evpi = float(dec["evpi"]) if "evpi" in dec.data_vars else None
    values = dec["evppi"].to_pandas()
    values.index = _input_labels(sim, values.index, lang)
    return evppi_bars(values, evpi=evpi, price_year=sim.attrs.get("price_year", ""), lang=lang)


FigureMaker = Callable[[xr.DataTree, Summary, str], Figure | None]

FIGURES: dict[str, FigureMaker] = {
    "effect_posterior": _effect_figure,
    "rank_plot": _diagnostics_figure,
    "fan_chart": _fan_figure,
    "npv_distribution": _npv_figure,
    "fund_balance": _balance_figure,
    "repayment": _repayment_figure,
    "tornado": _tornado_figure,
    "evppi": _evppi_figure,
}
"""Report figures by file stem: ``make(sim, summary, lang)`` returns a Figure, or None when the
tree does not hold that figure's inputs (the report then leaves it out)."""


def make_figures(sim: xr.DataTree, summary: Summary, *, lang: str = "en") -> dict[str, Figure]:
    """Every report figure whose inputs are in ``sim`` / ``summary``, by file stem.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> ledger = np.array([[[1.0, 0.0], [0.0, 1.0]]])  # 1 chain, 2 draws, 2 years
    >>> fund = xr.Dataset({"drawn": (("chain", "draw", "year"), ledger[:, :, ::-1]),
    ...                    "repaid": (("chain", "draw", "year"), ledger)}, coords={"year": [1, 2]})
    >>> summary = Summary(table=pd.DataFrame(), text=[], draws=xr.Dataset())
    >>> sorted(make_figures(xr.DataTree.from_dict({"fund": fund}), summary))
    ['fund_balance']
    """
    figures = {}
    for name, make in FIGURES.items():
        fig = make(sim, summary, lang)
        if fig is not None:
            figures[name] = fig
    return figures
