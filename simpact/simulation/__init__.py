"""Savings simulation: from effect draws to cash flows per actor and year.

One Monte Carlo iteration is one joint draw: the effect draw from the posterior (or from an
outcome's ``effect_prior``) together with a draw of every uncertain input (baseline or excess
risks, quantities, unit costs, persistence, haircuts, cashable shares, costs, discount rate),
optionally rank-correlated through a Gaussian copula. For outcome ``k``, year ``t``, actor ``a``::

    avoided[t, k] = sum_j N_j * per_person[k] * timing[k, t - y_j] * persistence[k, t - y_j]
    savings[t, a] = haircut * sum_k avoided[t, k] * quantity[k] * unit_cost[k] * payer[k, a]
    net[t, a]     = savings[t, a] - costs[t, a]
    present_value = net * (1 + discount_rate) ** -t       (end-of-year, year 1 = first project year)

* :func:`simulate_cashflows` returns every draw as an ``xarray.DataTree`` (groups ``effects``,
  ``inputs``, ``avoided``, ``cashflows``);
* :func:`simulate_summary` streams over blocks of draws and keeps only NPV per actor, quantiles
  of cumulative savings per year and the fund's repayment inputs, so memory stays bounded for
  millions of draws; :mod:`simpact.scale` runs the same blocks on dask.

Registries: :data:`EFFECT_LINKS` (how an effect acts on a costly event) and
:data:`PERSISTENCE` (how it fades).
"""

from simpact.base.constants import SAMPLE_DIMS
from simpact.components.links import EFFECT_LINKS, Link
from simpact.components.persistence import PERSISTENCE
from simpact.simulation.cashflows import simulate_cashflows
from simpact.simulation.plan import BLOCK
from simpact.simulation.summary import simulate_summary

__all__ = [
    "BLOCK",
    "EFFECT_LINKS",
    "PERSISTENCE",
    "SAMPLE_DIMS",
    "Link",
    "simulate_cashflows",
    "simulate_summary",
]
