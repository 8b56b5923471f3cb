"""Figures for reports: drawn from the same draws and summaries as the tables.

Two layers. The *plain* functions (:func:`effect_posterior`, :func:`fan_chart`,
:func:`fund_balance`, :func:`repayment`, :func:`npv_distribution`, :func:`tornado`,
:func:`acceptability`, :func:`evppi_bars`, :func:`diagnostics`) take arrays, DataFrames or
DataArrays, so draws from anywhere plug in. :data:`FIGURES` holds one adapter per report figure
that picks those inputs out of a results tree and its :class:`~simpact.decision.Summary`, and
returns ``None`` when the tree does not (yet) hold them, so the report leaves that figure out.

Every figure labels its axes with units (MSEK, price year), uses greys, hatches and line styles
that survive black-and-white printing, and returns a :class:`matplotlib.figure.Figure`.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import xarray as xr
from matplotlib.figure import Figure

from simpact.base import i18n
from simpact.base.constants import CI_PROB, SAMPLE_DIMS

BANDS = {"band90": (0.05, 0.95), "band50": (0.25, 0.75)}
"""The fan's bands: the 90 % interval used everywhere, and the 50 % interval inside it."""

LABELS = {
    "en": {
        "savings": "Cumulative discounted savings",
        "costs": "Cumulative discounted costs",
        "band50": "50 % band",
        "band90": "90 % band",
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
        "interval90": "90 % interval",
        "effect_title": "The effect: posterior against prior",
        "no_effect": "no effect",
        "tornado_title": "One-way sensitivity (inputs at P5 and P95)",
        "low": "input at P5",
        "high": "input at P95",
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
    },
    "sv": {
        "savings": "Kumulerade diskonterade besparingar",
        "costs": "Kumulerade diskonterade kostnader",
        "band50": "50 % band",
        "band90": "90 % band",
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
        "interval90": "90 % intervall",
        "effect_title": "Effekten: posteriori mot priori",
        "no_effect": "ingen effekt",
        "tornado_title": "Envägs känslighetsanalys (indata vid P5 och P95)",
        "low": "indata vid P5",
        "high": "indata vid P95",
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
    },
}
"""Figure words by language."""

_GREYS = ("0.85", "0.6")
_LINESTYLES = ("-", "--", ":", "-.", (0, (5, 1, 1, 1, 1, 1)), (0, (1, 3)))
_HATCHES = ("", "///", "...", "xx", "\\\\", "oo")


def _words(lang: str) -> dict[str, str]:
    return LABELS[i18n.check_lang(lang)]


def _sample_dims(x: xr.DataArray) -> list[str]:
    return [d for d in SAMPLE_DIMS if d in x.dims]


def _quantiles(x: xr.DataArray, probs: list[float]) -> xr.DataArray:
    return x.quantile(probs, dim=_sample_dims(x))


def _msek_axis(ax, lang: str, *, axis: str = "y") -> None:
    """Tick labels in the language's number format, with as many decimals as the ticks need."""
    target = ax.yaxis if axis == "y" else ax.xaxis

    def fmt(value: float, _pos) -> str:
        ticks = np.diff(target.get_majorticklocs())
        step = float(np.min(np.abs(ticks))) if ticks.size and np.any(ticks) else 1.0
        digits = int(min(6, max(0, -np.floor(np.log10(step)))))
        return i18n.number(value, lang, digits=digits)

    target.set_major_formatter(matplotlib.ticker.FuncFormatter(fmt))


def _year_ticks(ax, years: np.ndarray, calendar: np.ndarray | None) -> None:
    step = max(1, len(years) // 8)
    if calendar is None:
        ax.set_xticks(years[::step])
        return
    labels = [f"{c}\n({y})" for y, c in zip(years[::step], calendar[::step], strict=True)]
    ax.set_xticks(years[::step], labels)


def _fan(ax, x: np.ndarray, draws: xr.DataArray, words: dict[str, str], name: str) -> None:
    """Median line with 50 % and 90 % bands of ``draws`` (sample dims + one other dim)."""
    for grey, (band, (lo, hi)) in zip(_GREYS, BANDS.items(), strict=True):
        q = _quantiles(draws, [lo, hi]).to_numpy()
        ax.fill_between(x, q[0], q[1], color=grey, lw=0, label=f"{name}: {words[band]}")
    median = draws.median(_sample_dims(draws)).to_numpy()
    ax.plot(x, median, color="black", lw=2, label=f"{name}: {words['median']}")


def effect_posterior(
    draws: xr.DataArray | np.ndarray,
    *,
    prior=None,
    xlabel: str | None = None,
    lang: str = "en",
) -> Figure:
    """Posterior density of an effect, with its prior's density overlaid.

    Parameters
    ----------
    draws
        Posterior draws of the effect (any shape; all values are pooled).
    prior
        Anything with a ``pdf`` method (e.g. a frozen ``scipy.stats`` distribution), or None.
    xlabel
        Axis label naming the scale of the effect.

    Examples
    --------
    >>> from scipy.stats import norm
    >>> fig = effect_posterior(norm(-0.4, 0.2).rvs(2000, random_state=1), prior=norm(0, 1))
    >>> [t.get_text() for t in fig.axes[0].get_legend().get_texts()][:2]
    ['Posterior', 'Prior (literature / default)']
    """
    words = _words(lang)
    x = np.asarray(draws, dtype=float).ravel()
    lo, hi = np.quantile(x, [(1 - CI_PROB) / 2, (1 + CI_PROB) / 2])
    fig, ax = plt.subplots(figsize=(7, 3.6), layout="constrained")
    ax.hist(
        x, bins=60, density=True, color="0.7", edgecolor="0.45", lw=0.3, label=words["posterior"]
    )
    if prior is not None:
        span = max(hi - lo, 1e-9)
        grid = np.linspace(
            min(x.min(), prior.ppf(0.01)) - 0.1 * span,
            max(x.max(), prior.ppf(0.99)) + 0.1 * span,
            400,
        )
        ax.plot(grid, prior.pdf(grid), color="black", lw=1.5, ls="--", label=words["prior"])
    ax.hlines(0, lo, hi, color="black", lw=5, label=words["interval90"])
    ax.axvline(0, color="black", lw=0.8, ls=":", label=words["no_effect"])
    ax.set_xlabel(xlabel or words["effect_param"])
    ax.set_ylabel("density" if lang == "en" else "täthet")
    ax.set_title(words["effect_title"])
    ax.legend(loc="upper right", fontsize=8, frameon=False)
    return fig


def fan_chart(
    savings: xr.DataArray,
    costs: xr.DataArray,
    *,
    price_year: int | str = "",
    labels: Mapping[str, str] | None = None,
    title: str = "",
    lang: str = "en",
) -> Figure:
    """Cumulative discounted savings (median, 50 % and 90 % bands) against costs, per actor.

    Parameters
    ----------
    savings, costs
        Discounted SEK per year, dims ``(chain, draw, year[, actor])``; an ``actor`` dim gets
        one panel per actor plus one for all actors together.
    price_year
        For the axis label.
    labels
        Display names of actors.

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> s = xr.DataArray(rng.gamma(2, 1e5, (1, 200, 5)), dims=("chain", "draw", "year"),
    ...                  coords={"year": np.arange(1, 6)})
    >>> fig = fan_chart(s, xr.zeros_like(s) + 1e5, price_year=2023)
    >>> fig.axes[0].get_ylabel()
    'MSEK (2023 prices, discounted)'
    """
    words = _words(lang)
    if "actor" in savings.dims:
        total_s = savings.sum("actor").expand_dims(actor=["total"])
        total_c = costs.sum("actor").expand_dims(actor=["total"])
        savings = xr.concat([savings, total_s], "actor")
        costs = xr.concat([costs, total_c], "actor")
    else:
        savings = savings.expand_dims(actor=["total"])
        costs = costs.expand_dims(actor=["total"])
    labels = {"total": words["total"], **(labels or {})}
    actors = [str(a) for a in savings["actor"].to_numpy()]
    ncols = min(3, len(actors))
    nrows = -(-len(actors) // ncols)
    fig, axes = plt.subplots(
        nrows, ncols, figsize=(3.6 * ncols, 2.9 * nrows + 0.8), layout="constrained", squeeze=False
    )
    years = savings["year"].to_numpy()
    calendar = savings["calendar_year"].to_numpy() if "calendar_year" in savings.coords else None
    cum_s = savings.cumsum("year") / 1e6
    cum_c = costs.cumsum("year") / 1e6
    for ax, actor in zip(axes.flat, actors, strict=False):
        _fan(ax, years, cum_s.sel(actor=actor), words, words["savings"])
        ax.plot(
            years,
            cum_c.sel(actor=actor).median(_sample_dims(cum_c)).to_numpy(),
            color="black",
            lw=1.5,
            ls="--",
            label=words["costs"],
        )
        ax.set_title(textwrap.fill(labels.get(actor, actor), 38), fontsize=9)
        ax.grid(axis="y", color="0.9")
        _year_ticks(ax, years, calendar)
        _msek_axis(ax, lang)
        ax.tick_params(labelsize=7)
    for ax in axes.flat[len(actors) :]:
        ax.set_visible(False)
    for ax in axes[:, 0]:
        ax.set_ylabel(words["msek"].format(price_year=price_year), fontsize=8)
    for ax in axes[-1, :]:
        ax.set_xlabel(words["year"], fontsize=8)
    handles, names = axes.flat[0].get_legend_handles_labels()
    fig.legend(handles, names, loc="outside lower center", ncols=2, fontsize=8, frameon=False)
    fig.suptitle(title or words["fan_title"])
    return fig


def fund_balance(
    balance: xr.DataArray, *, price_year: int | str = "", title: str = "", lang: str = "en"
) -> Figure:
    """The fund part's balance over time (median, 50 % and 90 % bands), in MSEK.

    Parameters
    ----------
    balance
        SEK, dims ``(chain, draw, year)``: what the fund has paid out and got back so far
        (negative while money is out).

    Examples
    --------
    >>> b = xr.DataArray(np.outer(np.linspace(0.5, 1.5, 100), [-1e6, -2e6, -1e6, 0.0])[None],
    ...                  dims=("chain", "draw", "year"), coords={"year": [1, 2, 3, 4]})
    >>> fund_balance(b, price_year=2023).axes[0].get_ylabel()
    'MSEK (2023 prices)'
    """
    words = _words(lang)
    years = balance["year"].to_numpy()
    calendar = balance["calendar_year"].to_numpy() if "calendar_year" in balance.coords else None
    fig, ax = plt.subplots(figsize=(7.5, 3.8), layout="constrained")
    _fan(ax, years, balance / 1e6, words, words["balance"])
    ax.axhline(0, color="black", lw=0.8, ls=":")
    ax.set_ylabel(words["msek_plain"].format(price_year=price_year))
    ax.set_xlabel(words["year"])
    _year_ticks(ax, years, calendar)
    _msek_axis(ax, lang)
    ax.grid(axis="y", color="0.9")
    fig.legend(loc="outside lower center", ncols=3, fontsize=8, frameon=False)
    ax.set_title(title or words["balance_title"])
    return fig


def repayment(
    repaid: xr.DataArray,
    *,
    principal: float,
    last_instalment_year: int,
    repaid_share: xr.DataArray | None = None,
    horizon: int | None = None,
    p_on_schedule: float | None = None,
    lang: str = "en",
) -> Figure:
    """P(principal fully repaid by each year), and the distribution of the repaid share.

    Parameters
    ----------
    repaid
        SEK repaid per year, dims ``(chain, draw, year)``.
    principal
        The fund-part principal in SEK.
    last_instalment_year
        The scheduled last instalment, marked with a dotted line.
    repaid_share
        Share of the principal repaid by ``horizon`` per draw (default: from ``repaid``).
    p_on_schedule
        The summary table's P(full repayment on schedule), shown in the title.

    Examples
    --------
    >>> r = xr.DataArray(np.tile([0.0, 0.5, 0.5], (1, 10, 1)), dims=("chain", "draw", "year"),
    ...                  coords={"year": [1, 2, 3]})
    >>> fig = repayment(r, principal=1.0, last_instalment_year=3)
    >>> fig.axes[0].lines[0].get_ydata().tolist()
    [0.0, 0.0, 1.0]
    """
    words = _words(lang)
    years = repaid["year"].to_numpy()
    horizon = int(years.max()) if horizon is None else int(horizon)
    cum = repaid.cumsum("year")
    repaid_by = (cum >= principal * (1 - 1e-9)).mean(_sample_dims(repaid))
    if repaid_share is None:
        repaid_share = cum.sel(year=horizon) / principal
    fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.8), layout="constrained")
    left.step(years, repaid_by.to_numpy(), where="post", color="black", lw=2)
    left.axvline(
        last_instalment_year,
        color="black",
        ls=":",
        lw=1,
        label=words["schedule"].format(year=last_instalment_year),
    )
    left.set_ylim(-0.02, 1.02)
    left.set_ylabel(words["p_repaid"])
    left.set_xlabel(words["project_year"])
    left.legend(loc="upper left", fontsize=8, frameon=False)
    left.grid(color="0.9")
    share = np.asarray(repaid_share, dtype=float).ravel()
    right.hist(
        share,
        bins=np.linspace(0, 1, 21),
        color="0.6",
        edgecolor="black",
        hatch="//",
        weights=np.full(share.size, 1 / share.size),
    )
    right.set_xlabel(words["repaid_share"].format(year=horizon))
    right.set_ylabel(words["draws"])
    title = words["repay_title"]
    if p_on_schedule is not None:
        title += f": {i18n.WORDS[lang]['p_full_on_schedule']} = {i18n.percent(p_on_schedule, lang)}"
    fig.suptitle(title)
    return fig


def npv_distribution(
    npv: xr.DataArray | np.ndarray,
    *,
    p_positive: float | None = None,
    price_year: int | str = "",
    lang: str = "en",
) -> Figure:
    """Histogram of NPV draws (MSEK); the part above zero hatched, P(NPV > 0) marked.

    Parameters
    ----------
    npv
        NPV draws in SEK (any shape).
    p_positive
        The summary table's P(NPV > 0) (default: the share of ``npv`` above zero).

    Examples
    --------
    >>> fig = npv_distribution(np.array([-2e6, -1e6, 1e6, 3e6]), price_year=2023)
    >>> "50 %" in fig.axes[0].get_title()
    True
    """
    words = _words(lang)
    x = np.asarray(npv, dtype=float).ravel() / 1e6
    if p_positive is None:
        p_positive = float((x > 0).mean())
    fig, ax = plt.subplots(figsize=(7, 3.6), layout="constrained")
    edges = np.histogram_bin_edges(x, bins=50)
    if edges[0] < 0 < edges[-1]:
        edges = np.union1d(edges, [0.0])
    w = np.full(x.size, 1 / x.size)
    ax.hist(
        x[x <= 0],
        bins=edges,
        weights=w[x <= 0],
        color="0.8",
        edgecolor="black",
        lw=0.4,
        label=words["npv_negative"],
    )
    ax.hist(
        x[x > 0],
        bins=edges,
        weights=w[x > 0],
        color="0.45",
        edgecolor="black",
        lw=0.4,
        hatch="///",
        label=words["npv_positive"],
    )
    ax.axvline(0, color="black", lw=1.5)
    ax.set_xlabel(f"{words['npv']}, {words['msek'].format(price_year=price_year)}")
    ax.set_ylabel(words["draws"])
    _msek_axis(ax, lang, axis="x")
    ax.set_title(
        f"{words['npv_title']}: {i18n.WORDS[lang]['p_npv_positive']} = "
        f"{i18n.percent(p_positive, lang)}"
    )
    ax.legend(loc="upper right", fontsize=8, frameon=False)
    return fig


def tornado(
    df_low_high: pd.DataFrame,
    *,
    base: float | None = None,
    price_year: int | str = "",
    xlabel: str | None = None,
    lang: str = "en",
) -> Figure:
    """One-way sensitivity: the output with each input at its low and high value.

    Parameters
    ----------
    df_low_high
        One row per input (index = its label), columns ``low`` and ``high``: the output (SEK)
        with that input at its low / high value and the others at base.
    base
        The output at base (default: the midpoint of the widest bar).

    Examples
    --------
    >>> df = pd.DataFrame({"low": [-1e6, 0.5e6], "high": [2e6, 1.5e6]}, index=["a", "b"])
    >>> [t.get_text() for t in tornado(df, base=1e6).axes[0].get_yticklabels()]
    ['b', 'a']
    """
    words = _words(lang)
    df = df_low_high[["low", "high"]].astype(float) / 1e6
    df = df.loc[(df["high"] - df["low"]).abs().sort_values().index]
    base = (float(df.iloc[-1].mean()) if base is None else base / 1e6) if len(df) else 0.0
    fig, ax = plt.subplots(figsize=(7, 0.45 * len(df) + 1.6), layout="constrained")
    y = np.arange(len(df))
    ax.barh(y, df["low"] - base, left=base, color="0.85", edgecolor="black", label=words["low"])
    ax.barh(
        y,
        df["high"] - base,
        left=base,
        color="0.45",
        edgecolor="black",
        hatch="//",
        label=words["high"],
    )
    ax.axvline(base, color="black", lw=1, ls="--", label=words["base"])
    ax.set_yticks(y, [str(i) for i in df.index])
    ax.set_xlabel(xlabel or words["msek"].format(price_year=price_year))
    _msek_axis(ax, lang, axis="x")
    ax.set_title(words["tornado_title"])
    ax.legend(loc="lower right", fontsize=8, frameon=False)
    return fig


def acceptability(curves: xr.DataArray, *, xlabel: str | None = None, lang: str = "en") -> Figure:
    """Acceptability curves: P(each scenario is best) against willingness to pay.

    Parameters
    ----------
    curves
        Probabilities, dims ``(wtp, scenario)``; an optional ``frontier`` boolean coord is not
        needed.

    Examples
    --------
    >>> c = xr.DataArray([[0.2, 0.8], [0.6, 0.4]], dims=("wtp", "scenario"),
    ...                  coords={"wtp": [0, 1e5], "scenario": ["no", "yes"]})
    >>> len(acceptability(c).axes[0].lines)
    2
    """
    words = _words(lang)
    fig, ax = plt.subplots(figsize=(7, 3.6), layout="constrained")
    wtp = curves["wtp"].to_numpy()
    for i, scenario in enumerate(curves["scenario"].to_numpy()):
        ax.plot(
            wtp,
            curves.sel(scenario=scenario).to_numpy(),
            color="black",
            lw=1.8,
            ls=_LINESTYLES[i % len(_LINESTYLES)],
            label=str(scenario),
        )
    ax.set_ylim(-0.02, 1.02)
    ax.set_xlabel(xlabel or words["wtp"])
    ax.set_ylabel(words["p_best"])
    ax.grid(color="0.9")
    ax.legend(fontsize=8, frameon=False)
    ax.set_title(words["acceptability_title"])
    return fig


def evppi_bars(
    values: pd.Series,
    *,
    evpi: float | None = None,
    price_year: int | str = "",
    lang: str = "en",
) -> Figure:
    """Horizontal bars of EVPPI per input (SEK → MSEK), with the EVPI as a reference line.

    Examples
    --------
    >>> fig = evppi_bars(pd.Series({"effect": 2e5, "unit cost": 5e4}), evpi=3e5)
    >>> [t.get_text() for t in fig.axes[0].get_yticklabels()]
    ['unit cost', 'effect']
    """
    words = _words(lang)
    s = values.astype(float).sort_values() / 1e6
    fig, ax = plt.subplots(figsize=(7, 0.45 * len(s) + 1.6), layout="constrained")
    ax.barh(np.arange(len(s)), s.to_numpy(), color="0.6", edgecolor="black", hatch="..")
    if evpi is not None:
        ax.axvline(evpi / 1e6, color="black", ls="--", lw=1.2, label=words["evpi"])
        ax.legend(loc="lower right", fontsize=8, frameon=False)
    ax.set_yticks(np.arange(len(s)), [str(i) for i in s.index])
    ax.set_xlabel(words["evppi"].format(price_year=price_year))
    _msek_axis(ax, lang, axis="x")
    ax.set_title(words["evppi_title"])
    return fig


def diagnostics(
    fit: xr.DataTree, *, var_names: list[str] | None = None, lang: str = "en"
) -> Figure:
    """ArviZ rank plots per chain (uniform ranks = chains agree), in greys.

    Parameters
    ----------
    fit
        A tree with a ``posterior`` group (chains and draws).
    var_names
        Variables to show (default: every variable in the posterior).

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> post = xr.Dataset({"effect": (("chain", "draw"), rng.normal(size=(4, 200)))})
    >>> fig = diagnostics(xr.DataTree.from_dict({"posterior": post}))
    >>> len(fig.axes)
    1
    """
    import arviz as az

    n_chains = fit["posterior"].sizes["chain"]
    pc = az.plot_rank(
        fit, var_names=var_names, backend="matplotlib", visuals={"ecdf_lines": {"color": "black"}}
    )
    fig = pc.viz["figure"].item()
    for ax in fig.axes:
        for i, line in enumerate(ax.get_lines()[:n_chains]):
            line.set_linestyle(_LINESTYLES[i % len(_LINESTYLES)])
            line.set_color(str(0.6 * i / max(n_chains - 1, 1)))
    fig.suptitle(_words(lang)["diagnostics_title"], fontsize=10, y=1.08)
    return fig


# ---- adapters: the report's figures from a results tree and its summary -------------------
