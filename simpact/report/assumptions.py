"""The assumptions table: every input of the appraisal with its value and its source, read from
the :class:`~simpact.config.spec.ModelSpec` the results were simulated from and the priors the
effect fit actually used (``fit.attrs["priors"]``)."""

from __future__ import annotations

from collections.abc import Mapping

from simpact.base import i18n
from simpact.components.distributions import as_dist
from simpact.config import labels, priors
from simpact.config.spec import ModelSpec, Outcome
from simpact.report.formats import describe
from simpact.report.words import WORDS, scope_label

Row = dict[str, str]

OUTCOME_INPUTS = {
    "excess_risk": ("excess_risk", True),
    "excess_risk_per_unit": ("excess_risk_per_unit", True),
    "baseline_risk": ("baseline_risk", True),
    "baseline_rate": ("baseline_rate", False),
    "quantity": ("quantity_per_event", False),
}
"""An outcome's uncertain inputs (spec field -> word, and whether it is a share), in the order
the table lists them."""


def assumption_rows(spec: ModelSpec, fit_priors: Mapping | None, lang: str) -> list[Row]:
    """The assumptions table: cohort, effect priors, each outcome's chain, shared inputs, costs.

    Parameters
    ----------
    fit_priors
        The priors the fit used, by parameter (``fit.attrs["priors"]``); without them (no fit,
        or a fit saved before they were recorded) the spec's own priors are listed.
    """
    w = WORDS[lang]
    intake = ", ".join(f"{w['year']} {y}: {n}" for y, n in spec.cohort.intake.items())
    rows = [{"name": w["cohort"], "value": intake, "source": w["assumption"]}]
    rows += prior_rows(spec.effect.priors, fit_priors, lang)
    for outcome in spec.outcomes:
        rows += outcome_rows(spec, outcome, lang)
    rows += shared_rows(spec, lang)
    rows += cost_rows(spec, lang)
    return rows


def prior_rows(given: Mapping, used: Mapping | None, lang: str) -> list[Row]:
    """One row per effect-model prior: those the fit used (``used``: the design's data-scaled
    defaults with the spec's overrides ``given`` applied), else only ``given``.

    Examples
    --------
    >>> used = {"effect": {"dist": "Normal", "kwargs": {"mu": 0.0, "sigma": 0.5}}}
    >>> prior_rows({}, used, "en")[0]["source"]
    'design default (weakly informative)'
    """
    w = WORDS[lang]
    priors_ = dict(used) if used else dict(given)
    rows = []
    for name, prior in priors_.items():
        kwargs = ", ".join(
            f"{labels.key_label('field', k, lang)} "
            f"{describe(as_dist(v), lang) if isinstance(v, int | float) else v}"
            for k, v in prior.get("kwargs", {}).items()
        )
        default = w["assumption"] if name in given else w["prior_default"]
        dist = labels.key_label("dist", str(prior.get("dist", "")).lower(), lang)
        rows.append(
            {
                "name": f"{w['effect']}: {w['prior']}, {labels.key_label('prior', name, lang)}",
                "value": f"{dist}, {kwargs}",
                "source": str(prior.get("source", "")) or default,
            }
        )
    return rows


def outcome_rows(spec: ModelSpec, outcome: Outcome, lang: str) -> list[Row]:
    """An outcome's chain: its risks and rates, quantity, unit cost (with source) and payers."""
    w = WORDS[lang]
    name = getattr(outcome.label, lang) if outcome.label else outcome.name
    rows = [
        {
            "name": f"{name}: {w[word]}",
            "value": describe(dist, lang, share=share),
            "source": w["assumption"],
        }
        for key, (word, share) in OUTCOME_INPUTS.items()
        if (dist := getattr(outcome, key)) is not None
    ]
    cost, factor = spec.unit_cost(outcome)
    if isinstance(outcome.unit_cost, str):
        entry = priors.unit_costs()[outcome.unit_cost]
        source = f"{entry.source} ({entry.price_year})"
    else:
        source = w["assumption"]
    price_year = spec.intervention.price_year
    payers = ", ".join(
        f"{scope_label(a, lang)} {i18n.percent(s, lang)}" for a, s in outcome.payers.items()
    )
    return [
        *rows,
        {
            "name": f"{name}: {w['unit_cost'].format(price_year=price_year)}",
            "value": describe(cost, lang, scale=factor, unit=w["sek"]),
            "source": source,
        },
        {"name": f"{name}: {w['payers']}", "value": payers, "source": w["assumption"]},
    ]


def shared_rows(spec: ModelSpec, lang: str) -> list[Row]:
    """Inputs shared by every outcome: retention, discount rate, haircuts, cashable shares."""
    w = WORDS[lang]
    s = spec.simulation
    shared = [(w["retention"], s.retention), (w["discount_rate"], s.discount_rate)]
    shared += [
        (
            f"{w['haircut']}: {labels.input_label(f'haircut_{k}', spec, lang)}",
            getattr(s.haircuts, k),
        )
        for k in type(s.haircuts).model_fields
    ]
    shared += [(f"{w['cashable']}: {scope_label(a, lang)}", d) for a, d in s.cashable.items()]
    return [
        {"name": n, "value": describe(d, lang, share=True), "source": w["assumption"]}
        for n, d in shared
    ]


def cost_rows(spec: ModelSpec, lang: str) -> list[Row]:
    """The intervention's costs, per paying actor and project year."""
    w = WORDS[lang]
    return [
        {
            "name": f"{w['costs']}: {scope_label(actor, lang)}",
            "value": ", ".join(
                f"{w['year']} {y}: {describe(d, lang, unit=w['sek'])}" for y, d in by_year.items()
            ),
            "source": w["assumption"],
        }
        for actor, by_year in spec.costs.items()
    ]
