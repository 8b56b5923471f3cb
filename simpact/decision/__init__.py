"""The decision stage: NPV, probabilities with Monte Carlo error, payback, choice between
alternatives, value of information, sensitivity, and the decision summary.

Decisions between alternatives work on a net-benefit DataArray with a ``scenario`` dim and
sample dims ``(chain, draw)`` or a single ``draw`` dim (both accepted everywhere):

* :func:`prob_best`: the probability each alternative is best; with a ``wtp`` dim (from
  :func:`net_benefit`) or a ``discount_rate`` dim (from :func:`at_discount_rates`) it is the
  acceptability curve;
* :func:`frontier`: the acceptability frontier -- the probability that the alternative with the
  highest *expected* net benefit is best (not the highest curve);
* :func:`evpi`, :func:`evppi`, :func:`evsi` (:mod:`.voi`) and :func:`tornado`,
  :func:`sobol_first` (:mod:`.sensitivity`).

The decision summary of one simulation is :func:`summarize` (:mod:`.summary`: the table built
from the rows of :mod:`.rows`, each with its ``kind`` of uncertainty, and the sentences of
:mod:`.sentences`); :func:`summarize_portfolio` (:mod:`.portfolio`) summarises a revolving fund
and :func:`followup_value` (:mod:`.followup`) the value of a longer follow-up.
"""

from simpact.base.constants import CI_PROB
from simpact.decision.choice import frontier, prob_best
from simpact.decision.followup import followup_value
from simpact.decision.metrics import (
    BREAKEVEN_YEARS,
    at_discount_rates,
    draws_needed,
    mcse,
    mcse_quantile,
    net_benefit,
    npv,
    payback_year,
    probability,
)
from simpact.decision.portfolio import summarize_portfolio
from simpact.decision.sensitivity import beyond_noise, sobol_first, tornado
from simpact.decision.summary import Summary, summarize, uncertain_inputs
from simpact.decision.voi import evpi, evppi, evsi, parameters

__all__ = [
    "BREAKEVEN_YEARS",
    "CI_PROB",
    "Summary",
    "at_discount_rates",
    "beyond_noise",
    "draws_needed",
    "evpi",
    "evppi",
    "evsi",
    "followup_value",
    "frontier",
    "mcse",
    "mcse_quantile",
    "net_benefit",
    "npv",
    "parameters",
    "payback_year",
    "prob_best",
    "probability",
    "sobol_first",
    "summarize",
    "summarize_portfolio",
    "tornado",
    "uncertain_inputs",
]
