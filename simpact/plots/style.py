"""The house style of the figures: their words (:data:`LABELS`), bands, greys and line styles,
and the axis helpers every figure shares.

Every figure is a :class:`matplotlib.figure.Figure` made by :func:`new_figure`, outside pyplot's
state machine: no backend is chosen, nothing needs closing, and importing this package changes no
global matplotlib setting. Greys, hatches and line styles survive black-and-white printing.
"""

from __future__ import annotations

import numpy as np
import xarray as xr
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from simpact.base import i18n
from simpact.base.constants import SAMPLE_DIMS

BANDS = {"band90": (0.05, 0.95), "band50": (0.25, 0.75)}
"""The fan's bands: the 90 % interval used everywhere, and the 50 % interval inside it."""

LABELS = {
    "en": {
        "savings": "Cumulative discounted savings",
        "costs": "Cumulative discounted costs",
        "band50": "50% band",
        "band90": "90% band",
        "median": "median",
        "msek": "MSEK ({price_year} prices, discounted)",
        "msek_plain": "MSEK ({price_year} prices)",
        "year": "Year (project year in brackets)",
        "project_year": "Project year",
        "fan_title": "Cumulative discounted savings against costs, per actor",
        "p_repaid": "P(principal fully repaid by the year)",
        "repaid_share": "Share of principal repaid by year {year}",
        "draws": "Share of draws",
        "schedule": "last instalment (year {year})",
        "repay_title": "Repayment of the fund part",
        "balance": "Fund part balance from this project",
        "balance_title": "The fund part over time (drawn and repaid)",
        "npv": "Net present value, all actors",
        "npv_title": "Distribution of the net present value",
        "npv_negative": "NPV ≤ 0",
        "npv_positive": "NPV > 0",
        "posterior": "Posterior",
        "prior": "Prior (literature / default)",
        "interval90": "90% interval",
        "effect_title": "The effect: posterior against prior",
        "no_effect": "no effect",
        "tornado_title": (
            "One-way sensitivity: mean NPV with each input in its lowest and highest tenth\n"
            "(around P5 and P95); only inputs whose swing exceeds twice its Monte Carlo error"
        ),
        "low": "input low (lowest tenth, around P5)",
        "high": "input high (highest tenth, around P95)",
        "base": "base case",
        "acceptability_title": "Cost-effectiveness acceptability",
        "p_best": "Probability of being the best choice",
        "wtp": "Willingness to pay (SEK per unit of outcome)",
        "evppi_title": "Value of further information, per input (EVPPI)",
        "evppi": "EVPPI, MSEK ({price_year} prices)",
        "evpi": "EVPI (all inputs)",
        "diagnostics_title": "Sampler diagnostics: rank plots per chain (flat = good mixing)",
        "total": "all actors",
        "log_odds_ratio": "Effect, log odds ratio (< 0: risk lowered)",
        "effect_param": "Effect parameter",
        "density": "density",
        "fractional_rank": "Rank of the draw within all chains (0–1)",
    },
    "sv": {
        "savings": "Kumulerade diskonterade besparingar",
        "costs": "Kumulerade diskonterade kostnader",
        "band50": "50 %-band",
        "band90": "90 %-band",
        "median": "median",
        "msek": "MSEK ({price_year} års priser, diskonterat)",
        "msek_plain": "MSEK ({price_year} års priser)",
        "year": "År (projektår inom parentes)",
        "project_year": "Projektår",
        "fan_title": "Kumulerade diskonterade besparingar mot kostnader, per aktör",
        "p_repaid": "P(kapitalbeloppet fullt återbetalt till och med året)",
        "repaid_share": "Andel av kapitalbeloppet återbetald år {year}",
        "draws": "Andel av dragningarna",
        "schedule": "sista amorteringen (år {year})",
        "repay_title": "Återbetalning av fonddelen",
        "balance": "Fonddelens saldo för projektet",
        "balance_title": "Fonddelen över tid (uttag och återbetalning)",
        "npv": "Nettonuvärde, alla aktörer",
        "npv_title": "Fördelning av nettonuvärdet",
        "npv_negative": "Nettonuvärde ≤ 0",
        "npv_positive": "Nettonuvärde > 0",
        "posterior": "Posteriori",
        "prior": "Priori (litteratur / standard)",
        "interval90": "90 %-intervall",
        "effect_title": "Effekten: posteriori mot priori",
        "no_effect": "ingen effekt",
        "tornado_title": (
            "Envägs känslighet: nettonuvärdets medel med varje indata i sin lägsta och högsta\n"
            "tiondel (kring P5 och P95); bara indata vars utslag är större än två Monte Carlo-fel"
        ),
        "low": "indata lågt (lägsta tiondelen, kring P5)",
        "high": "indata högt (högsta tiondelen, kring P95)",
        "base": "grundfall",
        "acceptability_title": "Acceptanskurva",
        "p_best": "Sannolikhet att vara bästa valet",
        "wtp": "Betalningsvilja (kronor per enhet utfall)",
        "evppi_title": "Värdet av mer information, per indata (EVPPI)",
        "evppi": "EVPPI, MSEK ({price_year} års priser)",
        "evpi": "EVPI (alla indata)",
        "diagnostics_title": "Samplingsdiagnostik: rangdiagram per kedja (platt = god blandning)",
        "total": "alla aktörer",
        "log_odds_ratio": "Effekt, logaritmerad oddskvot (< 0: risken sänkt)",
        "effect_param": "Effektparameter",
        "density": "täthet",
        "fractional_rank": "Dragningens rang bland alla kedjor (0–1)",
    },
}
"""Figure words by language: the one home of every word a chart shows (the table's metric
names, quoted in titles, come from :data:`simpact.base.i18n.WORDS`)."""

GREYS = ("0.85", "0.6")
"""Fill greys of the fan's bands, in the order of :data:`BANDS` (outer band lightest)."""

LINESTYLES = ("-", "--", ":", "-.", (0, (5, 1, 1, 1, 1, 1)), (0, (1, 3)))
"""Line styles that tell black lines apart in print (cycled for curves and chains)."""


def words(lang: str) -> dict[str, str]:
    """The figure words of ``lang`` (raises a ValueError for an unknown language).

    >>> words("sv")["median"]
    'median'
    """
    return LABELS[i18n.check_lang(lang)]


def new_figure(
    nrows: int = 1, ncols: int = 1, *, figsize: tuple[float, float], squeeze: bool = True
):
    """A constrained-layout :class:`~matplotlib.figure.Figure` with a grid of axes, no pyplot.

    Returns ``(fig, axes)`` as :func:`matplotlib.pyplot.subplots` does.

    >>> fig, ax = new_figure(figsize=(4, 3))
    >>> len(fig.axes)
    1
    """
    fig = Figure(figsize=figsize, layout="constrained")
    return fig, fig.subplots(nrows, ncols, squeeze=squeeze)


def sample_dims(x: xr.DataArray) -> list[str]:
    """The sample dims (``chain``, ``draw``) that ``x`` has.

    >>> sample_dims(xr.DataArray(np.zeros((2, 3)), dims=("draw", "year")))
    ['draw']
    """
    return [d for d in SAMPLE_DIMS if d in x.dims]


def calendar_years(x: xr.DataArray) -> np.ndarray | None:
    """The ``calendar_year`` coord of ``x`` as an array, or None when it has none."""
    return x["calendar_year"].to_numpy() if "calendar_year" in x.coords else None


def msek_axis(ax, lang: str, *, axis: str = "y") -> None:
    """Tick labels in the language's number format, with as many decimals as the ticks need."""
    target = ax.yaxis if axis == "y" else ax.xaxis

    def fmt(value: float, _pos) -> str:
        ticks = np.diff(target.get_majorticklocs())
        step = float(np.min(np.abs(ticks))) if ticks.size and np.any(ticks) else 1.0
        digits = int(min(6, max(0, -np.floor(np.log10(step)))))
        return i18n.number(value, lang, digits=digits)

    target.set_major_formatter(FuncFormatter(fmt))


def year_ticks(ax, years: np.ndarray, calendar: np.ndarray | None) -> None:
    """At most about eight year ticks, labelled "calendar year (project year)" with ``calendar``."""
    step = max(1, len(years) // 8)
    if calendar is None:
        ax.set_xticks(years[::step])
        return
    labels = [f"{c}\n({y})" for y, c in zip(years[::step], calendar[::step], strict=True)]
    ax.set_xticks(years[::step], labels)


def fan(ax, x: np.ndarray, draws: xr.DataArray, lang: str, name: str) -> None:
    """Median line with the :data:`BANDS` of ``draws`` (sample dims + one other dim) over ``x``.

    The legend entries read "<name>: <band>" and "<name>: median".
    """
    w = words(lang)
    dims = sample_dims(draws)
    for grey, (band, (lo, hi)) in zip(GREYS, BANDS.items(), strict=True):
        q = draws.quantile([lo, hi], dim=dims).to_numpy()
        ax.fill_between(x, q[0], q[1], color=grey, lw=0, label=f"{name}: {w[band]}")
    median = draws.median(dims).to_numpy()
    ax.plot(x, median, color="black", lw=2, label=f"{name}: {w['median']}")
