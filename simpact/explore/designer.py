"""The fund designer: several projects (results files or specs) in one revolving fund.

Each project is a :class:`~simpact.explore.scenario.Scenario` with its posterior and the fund
year its project year 1 falls in. :func:`design_fund` simulates each project (with the
repayment rule and schedule applied to all of them, when given), runs them through
:func:`simpact.fund.portfolio` and summarises with :func:`simpact.decision.summarize_portfolio`;
:func:`compare_rules` does that for every repayment rule. All projects use one seed and one
number of draws, so the same draw index is the same joint draw of the shared random streams.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import xarray as xr

from simpact.base.storage import load
from simpact.components.rules import RULES
from simpact.decision.portfolio import summarize_portfolio
from simpact.decision.summary import Summary
from simpact.explore.evaluate import evaluate
from simpact.explore.scenario import Scenario
from simpact.fund.portfolio import DEFAULT_ALLOCATIONS, Project, portfolio
from simpact.pipeline import run


@dataclass(frozen=True)
class Entry:
    """One project of a designed fund: its scenario, its posterior and its start year."""

    name: str
    scenario: Scenario
    posterior: xr.DataTree | None
    start: int = 1


def load_entry(path: str | Path, *, start: int = 1, seed: int | None = None) -> Entry:
    """A project from a results file (its spec, seed and fit) or a spec (appraised first).

    ``seed`` replaces the results' own seed (the designer puts every project on one seed).
    """
    path = Path(path)
    if path.suffix == ".nc":
        tree = load(path)
        scenario = Scenario.from_results(tree)
        posterior = tree["fit"] if "fit" in tree.children else None
    else:
        done = run(path, random_seed=0 if seed is None else seed)
        scenario = Scenario.from_results(done.sim)
        posterior = done.sim["fit"] if "fit" in done.sim.children else None
    if seed is not None:
        scenario = scenario.changed({}, seed=seed)
    name = str(scenario.base.get("intervention", {}).get("id", path.stem))
    return Entry(name=name, scenario=scenario, posterior=posterior, start=start)


def terms_changes(rule: str | None, repayment: Mapping[str, float] | None) -> dict:
    """The scenario changes that put every project on ``rule`` and ``repayment``."""
    changes: dict = {}
    if rule is not None:
        changes[("fund", "rule")] = rule
    if repayment is not None:
        changes[("fund", "repayment")] = {str(k): float(v) for k, v in repayment.items()}
    return changes


@dataclass(frozen=True)
class Design:
    """A designed fund: the portfolio ledger and its summary."""

    ledger: xr.Dataset
    summary: Summary

    def headline(self) -> dict[str, float]:
        """P(capital intact) and P(the fund cannot pay a project) at the last fund year."""
        last = str(int(self.ledger["year"].max()))
        return {
            "p_capital_intact": self.summary.value("p_capital_intact", last),
            "p_cannot_pay": self.summary.value("p_cannot_pay", last),
        }

    def balance_band(self) -> pd.DataFrame:
        """The fund's balance by fund year: mean and the 90 % band."""
        rows = self.summary.table.xs("balance", level="metric")[["mean", "lower", "upper"]]
        rows.index = rows.index.astype(int).rename("year")
        return rows


def design_fund(
    entries: Sequence[Entry],
    *,
    rule: str | None = None,
    repayment: Mapping[str, float] | None = None,
    allocations: Mapping[int, float] = DEFAULT_ALLOCATIONS,
    frame_grant: float = 0.0,
) -> Design:
    """Run the projects through one revolving fund.

    Parameters
    ----------
    entries
        The projects (:func:`load_entry`).
    rule, repayment
        A repayment rule and schedule (``{"5": 0.5, "6": 0.5}``) applied to every project; by
        default each keeps its own.
    allocations
        The fund's allocations by fund year (default Ale's 4 MSEK a year for 4 years).
    frame_grant
        The annual frame for frame-grant projects.
    """
    changes = terms_changes(rule, repayment)
    projects = []
    for entry in entries:
        scenario = entry.scenario.changed(changes)
        ev = evaluate(scenario, entry.posterior)
        projects.append(
            Project.from_simulation(
                ev.sim, scenario.spec().fund, name=entry.name, start=entry.start
            )
        )
    ledger = portfolio(projects, allocations=allocations, frame_grant=frame_grant)
    return Design(ledger=ledger, summary=summarize_portfolio(ledger))


def compare_rules(
    entries: Sequence[Entry],
    *,
    rules: Sequence[str] = tuple(RULES),
    repayment: Mapping[str, float] | None = None,
    allocations: Mapping[int, float] = DEFAULT_ALLOCATIONS,
) -> pd.DataFrame:
    """P(capital intact) and P(cannot pay) of the fund under each rule (one row per rule)."""
    rows = {
        rule: design_fund(
            entries, rule=rule, repayment=repayment, allocations=allocations
        ).headline()
        for rule in rules
    }
    return pd.DataFrame(rows).T.rename_axis("rule")
