"""Figures for reports: drawn from the same draws and summaries as the tables.

Every figure labels its axes with units (MSEK, price year), uses grey bands and line styles that
survive black-and-white printing, and returns a :class:`matplotlib.figure.Figure`.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import xarray as xr  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from simpact import i18n  # noqa: E402
from simpact.decision import SAMPLE_DIMS, Summary  # noqa: E402

LABELS = {
    "en": {
        "savings": "Cumulative discounted savings",
        "costs": "Cumulative discounted costs",
        "band50": "50 % band",
        "band90": "90 % band",
        "median": "median",
        "msek": "MSEK ({price_year} prices, discounted)",
        "year": "Year (project year in brackets)",
        "fan_title": "Savings vs cost, all actors",
        "p_repaid": "P(principal fully repaid by the year)",
        "repaid_share": "Share of principal repaid by year {year}",
        "draws": "Share of draws",
        "schedule": "last instalment (year {year})",
        "repay_title": "Repayment of the fund part",
    },
    "sv": {
        "savings": "Kumulerade diskonterade besparingar",
        "costs": "Kumulerade diskonterade kostnader",
        "band50": "50 % band",
        "band90": "90 % band",
        "median": "median",
        "msek": "MSEK ({price_year} års priser, diskonterat)",
        "year": "År (projektår inom parentes)",
        "fan_title": "Besparingar mot kostnad, alla aktörer",
        "p_repaid": "P(kapitalbeloppet fullt återbetalt till och med året)",
        "repaid_share": "Andel av kapitalbeloppet återbetald år {year}",
        "draws": "Andel av dragningarna",
        "schedule": "sista amorteringen (år {year})",
        "repay_title": "Återbetalning av fonddelen",
    },
}


def _quantiles(x: xr.DataArray, probs: list[float]) -> np.ndarray:
    return x.quantile(probs, dim=list(SAMPLE_DIMS)).transpose("quantile", ...).to_numpy()


def _year_ticks(ax, cf: xr.Dataset) -> None:
    years = cf["year"].to_numpy()
    cal = cf["calendar_year"].to_numpy()
    step = max(1, len(years) // 8)
    ax.set_xticks(years[::step], [f"{c}\n({y})" for y, c in zip(years[::step], cal[::step], strict=True)])


def fan_chart(sim: xr.DataTree, summary: Summary | None = None, *, lang: str = "en") -> Figure:
    """Cumulative discounted savings (fan: median, 50 % and 90 % bands) against costs."""
    words = LABELS[lang]
    cf = sim["cashflows"].to_dataset()
    disc = cf["discount_factor"]
    savings = (cf["savings"].sum("actor") * disc).cumsum("year") / 1e6
    costs = (cf["costs"].sum("actor") * disc).cumsum("year") / 1e6
    years = cf["year"].to_numpy()
    q = _quantiles(savings, [0.05, 0.25, 0.5, 0.75, 0.95])
    fig, ax = plt.subplots(figsize=(7.5, 4.2), layout="constrained")
    ax.fill_between(years, q[0], q[4], color="0.85", label=f"{words['savings']}: {words['band90']}")
    ax.fill_between(years, q[1], q[3], color="0.6", label=f"{words['savings']}: {words['band50']}")
    ax.plot(years, q[2], color="black", lw=2, label=f"{words['savings']}: {words['median']}")
    ax.plot(years, _quantiles(costs, [0.5])[0], color="black", lw=2, ls="--", label=words["costs"])
    ax.set_ylabel(words["msek"].format(price_year=sim.attrs.get("price_year", "")))
    ax.set_xlabel(words["year"])
    _year_ticks(ax, cf)
    ax.set_title(f"{sim.attrs.get('intervention_name', '')}: {words['fan_title']}")
    ax.legend(loc="upper left", fontsize=8, frameon=False)
    ax.grid(axis="y", color="0.9")
    return fig


def repayment_chart(sim: xr.DataTree, summary: Summary, *, lang: str = "en") -> Figure:
    """P(principal fully repaid by each year), and the distribution of the repaid share."""
    words = LABELS[lang]
    fund = sim["fund"].to_dataset()
    year = int(fund.attrs["last_instalment_year"])
    years = fund["year"].to_numpy()
    principal = float(fund["principal"])
    repaid_by = (fund["repaid"].cumsum("year") >= principal * (1 - 1e-9)).mean(SAMPLE_DIMS)
    fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.8), layout="constrained")
    left.step(years, repaid_by.to_numpy(), where="post", color="black", lw=2)
    left.axvline(year, color="black", ls=":", lw=1, label=words["schedule"].format(year=year))
    left.set_ylim(-0.02, 1.02)
    left.set_ylabel(words["p_repaid"])
    left.set_xlabel(words["year"].split(" (")[0])
    left.legend(loc="upper left", fontsize=8, frameon=False)
    left.grid(color="0.9")
    share = summary.draws["repaid_share"].to_numpy().ravel()
    right.hist(share, bins=np.linspace(0, 1, 21), color="0.6", edgecolor="black",
               weights=np.full(share.size, 1 / share.size))
    right.set_xlabel(words["repaid_share"].format(year=fund.attrs["horizon"]))
    right.set_ylabel(words["draws"])
    p = summary.value("p_full_on_schedule", "fund")
    fig.suptitle(f"{words['repay_title']}: {i18n.WORDS[lang]['p_full_on_schedule']} = "
                 f"{i18n.percent(p, lang)}")
    return fig


FIGURES = {"fan_chart": fan_chart, "repayment": repayment_chart}
"""Report figures by file stem."""
