"""Figures for reports, drawn from the same draws and summaries as the tables.

Two layers. The *plain* functions take arrays, DataFrames or DataArrays, so draws from anywhere
plug in: :mod:`.effects` (effect posterior against prior, sampler diagnostics), :mod:`.money`
(fan chart, NPV distribution), :mod:`.fund` (fund balance, repayment) and :mod:`.sensitivity`
(tornado, EVPPI, acceptability), all in the house style of :mod:`.style` (the figure words
:data:`LABELS`, the :data:`BANDS`, greys and line styles). :data:`FIGURES` in
:mod:`.from_results` holds one adapter per report figure that picks those inputs out of a
results tree and its summary, and returns ``None`` when the tree does not (yet) hold them, so the
report leaves that figure out.

Every figure is a :class:`matplotlib.figure.Figure` made without pyplot: importing this package
picks no backend, and a figure needs no closing.
"""

from simpact.plots.effects import diagnostics, effect_posterior
from simpact.plots.from_results import (
    FIGURES,
    PRIOR_DENSITIES,
    balance,
    effect_prior,
    has,
    make_figures,
)
from simpact.plots.fund import fund_balance, repayment
from simpact.plots.money import fan_chart, npv_distribution
from simpact.plots.sensitivity import acceptability, evppi_bars, tornado
from simpact.plots.style import BANDS, LABELS

__all__ = [
    "BANDS",
    "FIGURES",
    "LABELS",
    "PRIOR_DENSITIES",
    "acceptability",
    "balance",
    "diagnostics",
    "effect_posterior",
    "effect_prior",
    "evppi_bars",
    "fan_chart",
    "fund_balance",
    "has",
    "make_figures",
    "npv_distribution",
    "repayment",
    "tornado",
]
