"""Figures for reports, drawn from the same draws and summaries as the tables.

Two layers. The *plain* functions in :mod:`.figures` take arrays, DataFrames or DataArrays, so
draws from anywhere plug in. :data:`FIGURES` in :mod:`.from_results` holds one adapter per report
figure that picks those inputs out of a results tree and its summary, and returns ``None`` when
the tree does not (yet) hold them, so the report leaves that figure out.
"""

from simpact.plots.figures import (
    BANDS,
    LABELS,
    acceptability,
    diagnostics,
    effect_posterior,
    evppi_bars,
    fan_chart,
    fund_balance,
    npv_distribution,
    repayment,
    tornado,
)
from simpact.plots.from_results import FIGURES, PRIOR_DENSITIES, balance, effect_prior, make_figures

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
    "make_figures",
    "npv_distribution",
    "repayment",
    "tornado",
]
