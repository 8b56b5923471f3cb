"""A scenario: the spec as given, the changes made to it, the seed and the number of draws.

A :class:`Scenario` changes the spec's own text (its raw dict), never the validated model, so
:meth:`Scenario.spec` is exactly what :func:`simpact.load_model` makes of the exported TOML
(:func:`scenario_to_toml`), and the provenance of a simulated scenario records that text.
:func:`knobs_of` lists the inputs of a spec the explorer shows.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import tomli_w

from simpact.base.provenance import Provenance
from simpact.components.rules import RULES
from simpact.config import priors
from simpact.config.loading import load_model
from simpact.config.spec import ModelSpec
from simpact.explore.knobs import Knob, Path_, get_in, set_in
from simpact.explore.words import WORDS


@dataclass(frozen=True)
class Scenario:
    """The spec's text, the changes to it, the seed and the draws of one set of inputs.

    Attributes
    ----------
    base
        The spec as given (the raw dict of its TOML, or of a results file's ``attrs["spec"]``).
    changes
        Path in the raw dict -> new value (a number, a ``{dist = ...}`` table, a key, a dict).
    seed
        The run's seed: the simulation draws from its ``simulate`` stream, so scenarios with the
        same seed share their random numbers (common random numbers).
    draws
        Monte Carlo iterations (``None``: one per posterior draw).
    name
        The scenario's name.
    base_dir
        The folder the spec's relative paths (``[data] path``) are relative to.
    """

    base: Mapping[str, Any]
    changes: Mapping[Path_, Any] = field(default_factory=dict)
    seed: int = 0
    draws: int | None = None
    name: str = "base"
    base_dir: Path | None = None

    @classmethod
    def from_results(cls, tree, *, name: str = "base", draws: int | None = None) -> Scenario:
        """The scenario a results tree was simulated from: its spec and its seed."""
        prov = Provenance.read(tree)
        if prov is None or not prov.spec:
            raise ValueError("the results tree carries no provenance (spec and seed)")
        source = Path(prov.spec_source) if prov.spec_source not in ("", "dict") else None
        base_dir = source.resolve().parent if source is not None and source.exists() else None
        return cls(
            base=json.loads(prov.spec),
            seed=int(prov.random_seed or 0),
            draws=draws,
            name=name,
            base_dir=base_dir,
        )

    @classmethod
    def from_spec(cls, path: str | Path, *, seed: int, draws: int | None = None) -> Scenario:
        """The scenario of a spec file (or bundled model name) at ``seed``."""
        spec = load_model(path)
        return cls(
            base=json.loads(spec.to_json()),
            seed=seed,
            draws=draws,
            base_dir=Path(spec.source).resolve().parent if spec.source != "dict" else None,
        )

    def raw(self) -> dict:
        """The spec's text with the changes made (a fresh copy)."""
        raw = copy.deepcopy(dict(self.base))
        for path, value in self.changes.items():
            set_in(raw, path, copy.deepcopy(value))
        return raw

    def spec(self) -> ModelSpec:
        """The validated spec of this scenario."""
        return load_model(self.raw())

    def changed(self, changes: Mapping[Path_, Any], **more) -> Scenario:
        """A copy with more changes (and other fields, e.g. ``name=``) replaced."""
        return replace(self, changes={**self.changes, **changes}, **more)

    def value(self, path: Path_, default: Any = None) -> Any:
        """The scenario's value at ``path`` (the change, else the spec's)."""
        return get_in(self.raw(), path, default)


def scenario_to_toml(scenario: Scenario) -> str:
    """The scenario as a spec TOML that ``simpact run`` / ``simpact simulate`` reproduce.

    A relative ``[data] path`` is made absolute (against :attr:`Scenario.base_dir`), so the file
    can be saved anywhere and still finds its data. The seed and draws go on the command line
    (:func:`reproduce_command`), as for every spec.
    """
    raw = scenario.raw()
    path = get_in(raw, ("data", "path"))
    if isinstance(path, str) and scenario.base_dir is not None and not Path(path).is_absolute():
        set_in(raw, ("data", "path"), str((scenario.base_dir / path).resolve()))
    header = (
        f"# simpact scenario {scenario.name!r}: the spec with the explorer's changes.\n"
        f"# {reproduce_command(scenario, 'SPEC.toml', 'RESULTS.nc')}\n"
    )
    return header + tomli_w.dumps(_strings(raw))


def reproduce_command(scenario: Scenario, spec_file: str, results_file: str | None) -> str:
    """The command line that gives the scenario's numbers from its exported spec."""
    draws = f" --draws {scenario.draws}" if scenario.draws else ""
    if results_file:
        return (
            f"simpact simulate {spec_file} --posterior {results_file} --seed {scenario.seed}{draws}"
        )
    return f"simpact run {spec_file} --seed {scenario.seed}{draws}"


def parse_schedule(text: str) -> dict[str, float]:
    """``"5: 0.5, 6: 0.5"`` -> ``{"5": 0.5, "6": 0.5}`` (a repayment schedule as typed).

    Examples
    --------
    >>> parse_schedule("5: 0.5, 6: 0.5")
    {'5': 0.5, '6': 0.5}
    """
    out = {}
    for part in text.replace(";", ",").split(","):
        if part.strip():
            year, share = part.split(":")
            out[str(int(year.strip()))] = float(share.strip())
    return out


def schedule_text(schedule: dict) -> str:
    """The inverse of :func:`parse_schedule`."""
    return ", ".join(f"{int(y)}: {float(s):g}" for y, s in schedule.items())


def _strings(node: Any) -> Any:
    """Dict keys as strings (TOML keys are strings; spec years may arrive as integers)."""
    if isinstance(node, dict):
        return {str(k): _strings(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_strings(v) for v in node]
    return node


def _label(key: str, suffix: str = "") -> dict[str, str]:
    return {lang: f"{WORDS[key][lang]}{suffix}" for lang in ("en", "sv")}


def _outcome_label(outcome: dict, what: str) -> dict[str, str]:
    label = outcome.get("label") or {}
    name = outcome.get("name", "")
    return {
        lang: f"{WORDS[what][lang]}: {label.get(lang, name) if isinstance(label, dict) else name}"
        for lang in ("en", "sv")
    }


RISKS = ("excess_risk", "baseline_risk", "baseline_rate", "excess_risk_per_unit")


def knobs_of(raw: Mapping[str, Any]) -> list[Knob]:
    """The inputs of a spec the explorer shows, in page order."""
    sim = raw.get("simulation", {})
    knobs: list[Knob] = []
    if "persistence" not in sim:
        knobs.append(
            Knob(
                ("simulation", "retention"),
                "uncertain",
                "assumptions",
                _label("retention"),
                "share_per_year",
                share=True,
                default=1.0,
            )
        )
    for actor in sim.get("cashable", {}):
        knobs.append(
            Knob(
                ("simulation", "cashable", actor),
                "uncertain",
                "assumptions",
                _label("cashable", f": {actor}"),
                "share",
                share=True,
            )
        )
    for cut in ("deadweight", "attribution", "displacement", "optimism_bias"):
        knobs.append(
            Knob(
                ("simulation", "haircuts", cut),
                "uncertain",
                "assumptions",
                _label(cut),
                "share",
                share=True,
                default=0.0,
            )
        )
    knobs += _intake_knobs(raw)
    knobs += _outcome_knobs(raw)
    knobs += _fund_knobs(raw)
    knobs.append(
        Knob(
            ("simulation", "discount_rate"),
            "uncertain",
            "discount",
            _label("discount_rate"),
            "share_per_year",
            share=True,
            default=0.035,
        )
    )
    return knobs


def _intake_knobs(raw: Mapping[str, Any]) -> list[Knob]:
    return [
        Knob(
            ("cohort", "intake", year),
            "number",
            "assumptions",
            _label("intake", f" {year}"),
            "persons",
        )
        for year in raw.get("cohort", {}).get("intake", {})
    ]


def _outcome_knobs(raw: Mapping[str, Any]) -> list[Knob]:
    knobs = []
    for i, outcome in enumerate(raw.get("outcomes", [])):
        cost = outcome.get("unit_cost")
        price_year = None
        if isinstance(cost, str):
            price_year = priors.unit_costs()[cost].price_year
        year = (
            price_year or outcome.get("unit_cost_price_year") or raw["intervention"]["price_year"]
        )
        knobs.append(
            Knob(
                ("outcomes", i, "unit_cost"),
                "uncertain",
                "assumptions",
                _outcome_label(outcome, "unit_cost"),
                f"SEK ({year})",
                price_year=price_year,
            )
        )
        for risk in RISKS:
            if risk in outcome:
                knobs.append(
                    Knob(
                        ("outcomes", i, risk),
                        "uncertain",
                        "assumptions",
                        _outcome_label(outcome, risk),
                        "share",
                        share=risk != "baseline_rate",
                    )
                )
    return knobs


def _fund_knobs(raw: Mapping[str, Any]) -> list[Knob]:
    fund = raw.get("fund", {})
    knobs = [
        Knob(("fund", "fund_part", year), "number", "fund", _label("fund_part", f" {year}"), "SEK")
        for year in fund.get("fund_part", {})
    ]
    knobs.append(Knob(("fund", "repayment"), "number", "fund", _label("repayment"), "share"))
    knobs.append(Knob(("fund", "rule"), "choice", "fund", _label("rule"), choices=tuple(RULES)))
    horizon = raw.get("simulation", {}).get("horizon")
    knobs.append(
        Knob(
            ("fund", "horizon"),
            "number",
            "fund",
            _label("horizon"),
            "project_year",
            default=horizon,
        )
    )
    return knobs
