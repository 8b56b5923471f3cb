"""Citation-ready sentences from the decision table, in English or Swedish.

Each sentence is written from the table's rows (so the words and the table cannot disagree) with
the templates of :data:`simpact.base.i18n.SENTENCES`; :func:`sentences` puts them in reading
order: the effect (when the simulation read one from a fit), the NPV, repayment of the fund,
the shortfall, payback, break-even within the electoral period and the value of information.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import xarray as xr

from simpact.base import i18n, scales
from simpact.config.loading import spec_of
from simpact.config.spec import ModelSpec
from simpact.decision.metrics import BREAKEVEN_YEARS


def intervention_name(sim: xr.DataTree) -> str:
    """The intervention's short name (before any " – " subtitle) for the sentences."""
    return sim.attrs.get("intervention_name", "The intervention").split(" – ")[0]


def outcome_label(sim: xr.DataTree, spec: ModelSpec | None, lang: str) -> str:
    """The fitted outcome in words: the ``effect.label`` in ``lang`` of ``spec`` (the spec
    ``sim`` was simulated from, :func:`simpact.config.loading.spec_of`), else the effects'
    outcome name with spaces for underscores."""
    label = spec.effect.label if spec is not None else None
    if label is not None:
        return getattr(label, lang)
    return sim["effects"].attrs.get("outcome", "the outcome").replace("_", " ")


def effect_number(scale: str, value: float, lang: str) -> str:
    """An effect on ``scale`` in words: percentage points (one decimal) for a scale shown as a
    percentage (a risk difference), else the number with two decimals.

    Examples
    --------
    >>> effect_number("risk_difference", 0.081, "en"), effect_number("rate_ratio", 0.8, "en")
    ('8.1', '0.80')
    """
    if scales.get(scale).percent:
        return i18n.number(100 * value, lang, digits=1)
    return i18n.number(value, lang, digits=2)


def effect_sentence(sim: xr.DataTree, table: pd.DataFrame, lang: str) -> str | None:
    """The headline effect with its interval and the probability it made things better (the
    side of the scale's null that :func:`simpact.base.scales.p_better` counts); ``None`` when
    the simulation read no effect from a fit."""
    effects = sim["effects"]
    scale = scales.headline(effects.data_vars)
    if scale is None:
        return None
    spec = spec_of(sim)
    better = effects.attrs.get("better") or (spec.effect.better if spec else "lower")
    row = table.loc[(f"effect_{scale}", "treated")]
    p = scales.p_better(scale, effects[scale].to_numpy(), better=better)
    return i18n.SENTENCES[lang][f"effect_{scale}"].format(
        name=intervention_name(sim),
        outcome=outcome_label(sim, spec, lang),
        rd=effect_number(scale, row["mean"], lang),
        lo=effect_number(scale, row["lower"], lang),
        hi=effect_number(scale, row["upper"], lang),
        p=i18n.percent(p, lang),
    )


def money_sentences(sim: xr.DataTree, table: pd.DataFrame, lang: str) -> list[str]:
    """The NPV, repayment of the fund, the shortfall, payback and break-even sentences."""
    s = i18n.SENTENCES[lang]
    fund = sim["fund"]
    year = int(fund.attrs["last_instalment_year"])
    npv, p_pos = table.loc[("npv", "total")], table.loc[("p_npv_positive", "total")]
    repay, short = (
        table.loc[("p_full_on_schedule", "fund")],
        table.loc[("expected_shortfall", "fund")],
    )
    pay_year = table.loc[("payback_year", "total")]
    be = table.loc[("p_breakeven_4y", "total")]
    horizon = sim["cashflows"].sizes["year"]
    if np.isnan(pay_year.get("median", np.nan)):
        payback = s["payback_never"].format(horizon=horizon)
    else:
        payback = s["payback"].format(year=int(pay_year["median"]))

    def mc(row: pd.Series) -> str:
        return i18n.percent(row["mcse"], lang, digits=1)

    return [
        s["npv"].format(
            mean=i18n.msek(npv["mean"], lang),
            lo=i18n.msek(npv["lower"], lang),
            hi=i18n.msek(npv["upper"], lang),
            p=i18n.percent(p_pos["mean"], lang),
            mc=mc(p_pos),
        ),
        s["repay"].format(
            name=intervention_name(sim),
            year=year,
            p=i18n.percent(repay["mean"], lang),
            mc=mc(repay),
        ),
        s["shortfall"].format(
            year=year,
            mean=i18n.msek(short["mean"], lang),
            principal=i18n.msek(float(fund["principal"]), lang),
        ),
        payback,
        s["breakeven"].format(years=BREAKEVEN_YEARS, p=i18n.percent(be["mean"], lang), mc=mc(be)),
    ]


def voi_sentence(table: pd.DataFrame, lang: str) -> str | None:
    """EVPI and the input group with the largest EVPPI; ``None`` without those rows."""
    if ("evpi", "total") not in table.index or "evppi" not in table.index.get_level_values(
        "metric"
    ):
        return None
    evppi = table.xs("evppi", level="metric")["mean"]
    return i18n.SENTENCES[lang]["voi"].format(
        evpi=i18n.msek(table.loc[("evpi", "total"), "mean"], lang, digits=2),
        group=i18n.input_name(str(evppi.idxmax()), lang),
        evppi=i18n.msek(float(evppi.max()), lang, digits=2),
    )


def sentences(sim: xr.DataTree, table: pd.DataFrame, lang: str) -> list[str]:
    """Every sentence for ``table`` (from :func:`simpact.decision.summarize` of ``sim``)."""
    effect, voi = effect_sentence(sim, table, lang), voi_sentence(table, lang)
    return [
        *([effect] if effect is not None else []),
        *money_sentences(sim, table, lang),
        *([voi] if voi is not None else []),
    ]
