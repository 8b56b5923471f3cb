"""A scenario's numbers from a saved posterior: :func:`evaluate`, and scenarios side by side.

:func:`evaluate` is :func:`simpact.pipeline.simulate` followed by
:func:`simpact.decision.summarize` -- the functions ``simpact run`` and ``simpact simulate``
call -- so the numbers are the report's numbers for the exported spec at the same seed and
draws. Scenarios with the same seed draw the same random numbers (every input's stream is keyed
by the seed and the input's name), so their differences are not Monte Carlo noise.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import xarray as xr

from simpact.base.storage import load
from simpact.decision.metrics import npv
from simpact.decision.rows import table_of
from simpact.decision.summary import Summary, fund_rows, npv_rows, summarize
from simpact.explore.scenario import Scenario
from simpact.pipeline import simulate

HEADLINE = ("p_full_on_schedule", "p_full_by_horizon", "expected_shortfall")
"""The fund's rows every evaluation shows (scope ``fund``)."""


@dataclass(frozen=True)
class Evaluation:
    """One scenario's simulation and its summary (the report's table)."""

    scenario: Scenario
    sim: xr.DataTree
    summary: Summary

    @property
    def draws(self) -> int:
        """Monte Carlo iterations behind the numbers."""
        sizes = self.sim["cashflows"].sizes
        return int(sizes["draw"] * sizes.get("chain", 1))

    def numbers(self) -> dict[str, float]:
        """The headline numbers by name (``npv.total``, ``npv.total.lower``, ...)."""
        out = {m: self.summary.value(m, "fund") for m in HEADLINE}
        table = self.summary.table
        for metric in ("npv", "p_npv_positive"):
            for scope in table.xs(metric, level="metric").index:
                out[f"{metric}.{scope}"] = self.summary.value(metric, scope)
                if metric == "npv":
                    out[f"npv.{scope}.lower"] = self.summary.value(metric, scope, "lower")
                    out[f"npv.{scope}.upper"] = self.summary.value(metric, scope, "upper")
        return out

    def fan(self, probs: Sequence[float] = (0.05, 0.5, 0.95)) -> pd.DataFrame:
        """Cumulative discounted savings and costs of all actors by year, at ``probs``."""
        cf = self.sim["cashflows"].to_dataset()
        disc = cf["discount_factor"]
        dims = [d for d in ("chain", "draw") if d in cf["savings"].dims]
        cols = {}
        for name in ("savings", "costs"):
            cum = (cf[name] * disc).sum("actor").cumsum("year")
            q = cum.quantile(list(probs), dim=dims)
            for p in probs:
                cols[f"{name}_p{round(100 * p)}"] = q.sel(quantile=p).to_numpy()
        return pd.DataFrame(cols, index=pd.Index(cf["year"].to_numpy(), name="year"))

    def balance_band(self, probs: Sequence[float] = (0.05, 0.5, 0.95)) -> pd.DataFrame:
        """The fund part's balance from this project by year (repaid minus drawn, cumulated)."""
        fund = self.sim["fund"].to_dataset()
        bal = (fund["repaid"] - fund["drawn"]).cumsum("year")
        dims = [d for d in ("chain", "draw") if d in bal.dims]
        q = bal.quantile(list(probs), dim=dims)
        return pd.DataFrame(
            {f"p{round(100 * p)}": q.sel(quantile=p).to_numpy() for p in probs},
            index=pd.Index(fund["year"].to_numpy(), name="year"),
        )

    def repayment_years(self) -> pd.Series:
        """Share of draws by the project year the principal is fully back (``never`` last)."""
        year = self.summary.draws["repayment_year"].to_numpy().ravel()
        n = year.size
        known = year[~np.isnan(year)].astype(int)
        years, counts = np.unique(known, return_counts=True)
        shares = {str(int(y)): c / n for y, c in zip(years, counts, strict=True)}
        shares["never"] = float(np.isnan(year).sum()) / n
        return pd.Series(shares, name="share")


def read_posterior(path) -> xr.DataTree:
    """The effect fit of a results file (its ``fit`` group), or a posterior file itself."""
    tree = load(path)
    return tree["fit"] if "fit" in tree.children else tree


def evaluate(
    scenario: Scenario,
    posterior: xr.DataTree | None,
    *,
    lang: str = "en",
    full: bool = False,
    voi: bool = False,
) -> Evaluation:
    """Simulate a scenario from a saved posterior and summarise it (no refit).

    Parameters
    ----------
    scenario
        The inputs, seed and draws.
    posterior
        The effect fit (a results file's ``fit`` group, :func:`read_posterior`).
    lang
        Language of the summary's sentences.
    full
        The whole report summary (:func:`~simpact.decision.summarize`: payback, BCR, sentences,
        ...). By default only the rows the explorer shows, made by the report's own row
        builders (:func:`~simpact.decision.summary.npv_rows`, ``fund_rows``), so they are the
        same numbers as the report's rows of those names.
    voi
        With ``full``: add the value-of-information rows.
    """
    spec = scenario.spec()
    sim = simulate(spec, posterior, random_seed=scenario.seed, draws=scenario.draws)
    if full:
        return Evaluation(scenario, sim, summarize(sim, lang=lang, voi=voi))
    return Evaluation(scenario, sim, shown_summary(sim, lang))


def shown_summary(sim: xr.DataTree, lang: str = "en") -> Summary:
    """The rows the explorer shows: NPV and P(NPV > 0) per actor and total, and the fund's."""
    pv = sim["cashflows"]["present_value"]
    fund = sim["fund"].to_dataset()
    by_actor = npv(pv)
    total = by_actor.sum("actor").assign_attrs(units=pv.attrs["units"])
    # the fund's per-draw rows; its per-year "repaid by year" rows are not shown, so no years
    per_draw = fund.isel(year=slice(0, 0))
    rows = npv_rows(by_actor, total) | fund_rows(per_draw, total.attrs["units"])
    draws = xr.Dataset(
        {
            "npv": xr.concat([by_actor, total.expand_dims(actor=["total"])], "actor"),
            "repayment_year": fund["repayment_year"],
            "repaid_share": fund["repaid_share"],
        }
    )
    return Summary(table=table_of(rows), text=[], draws=draws, lang=lang)


def compare(
    scenarios: Sequence[Scenario], posterior: xr.DataTree | None, *, lang: str = "en"
) -> pd.DataFrame:
    """The headline numbers of several scenarios side by side (one column each).

    Scenarios are evaluated at their own seeds; keep them at one seed (as the explorer does)
    for common random numbers.
    """
    columns = {s.name: evaluate(s, posterior, lang=lang).numbers() for s in scenarios}
    return pd.DataFrame(columns)
