"""Figures of the money: cumulative savings against costs per actor (fan chart), and the
distribution of the net present value."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping

import numpy as np
import xarray as xr
from matplotlib.figure import Figure

from simpact.base import i18n
from simpact.plots.style import (
    calendar_years,
    fan,
    msek_axis,
    new_figure,
    sample_dims,
    words,
    year_ticks,
)


def _with_total(x: xr.DataArray) -> xr.DataArray:
    """``x`` with an ``actor`` dim whose last entry, ``total``, sums the others."""
    if "actor" not in x.dims:
        return x.expand_dims(actor=["total"])
    return xr.concat([x, x.sum("actor").expand_dims(actor=["total"])], "actor")


def _fan_panel(ax, savings: xr.DataArray, costs: xr.DataArray, title: str, lang: str) -> None:
    """One actor's panel: cumulative savings as a fan, cumulative costs' median dashed (MSEK)."""
    w = words(lang)
    years = savings["year"].to_numpy()
    fan(ax, years, savings, lang, w["savings"])
    median_costs = costs.median(sample_dims(costs)).to_numpy()
    ax.plot(years, median_costs, color="black", lw=1.5, ls="--", label=w["costs"])
    ax.set_title(textwrap.fill(title, 38), fontsize=9)
    ax.grid(axis="y", color="0.9")
    year_ticks(ax, years, calendar_years(savings))
    msek_axis(ax, lang)
    ax.tick_params(labelsize=7)


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
    w = words(lang)
    cum_s = _with_total(savings).cumsum("year") / 1e6
    cum_c = _with_total(costs).cumsum("year") / 1e6
    labels = {"total": w["total"], **(labels or {})}
    actors = [str(a) for a in cum_s["actor"].to_numpy()]
    ncols = min(3, len(actors))
    nrows = -(-len(actors) // ncols)
    fig, axes = new_figure(nrows, ncols, figsize=(3.6 * ncols, 2.9 * nrows + 0.8), squeeze=False)
    for ax, actor in zip(axes.flat, actors, strict=False):
        _fan_panel(
            ax, cum_s.sel(actor=actor), cum_c.sel(actor=actor), labels.get(actor, actor), lang
        )
    for ax in axes.flat[len(actors) :]:
        ax.set_visible(False)
    for ax in axes[:, 0]:
        ax.set_ylabel(w["msek"].format(price_year=price_year), fontsize=8)
    for ax in axes[-1, :]:
        ax.set_xlabel(w["year"], fontsize=8)
    handles, names = axes.flat[0].get_legend_handles_labels()
    fig.legend(handles, names, loc="outside lower center", ncols=2, fontsize=8, frameon=False)
    fig.suptitle(title or w["fan_title"])
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
    >>> "50%" in fig.axes[0].get_title()
    True
    """
    w = words(lang)
    x = np.asarray(npv, dtype=float).ravel() / 1e6
    if p_positive is None:
        p_positive = float((x > 0).mean())
    fig, ax = new_figure(figsize=(7, 3.6))
    edges = np.histogram_bin_edges(x, bins=50)
    if edges[0] < 0 < edges[-1]:
        edges = np.union1d(edges, [0.0])
    weights = np.full(x.size, 1 / x.size)
    for part, colour, hatch, label in (
        (x <= 0, "0.8", None, w["npv_negative"]),
        (x > 0, "0.45", "///", w["npv_positive"]),
    ):
        ax.hist(
            x[part],
            bins=edges,
            weights=weights[part],
            color=colour,
            edgecolor="black",
            lw=0.4,
            hatch=hatch,
            label=label,
        )
    ax.axvline(0, color="black", lw=1.5)
    ax.set_xlabel(f"{w['npv']}, {w['msek'].format(price_year=price_year)}")
    ax.set_ylabel(w["draws"])
    msek_axis(ax, lang, axis="x")
    name = i18n.WORDS[lang]["p_npv_positive"]
    ax.set_title(f"{w['npv_title']}: {name} = {i18n.percent(p_positive, lang)}")
    ax.legend(loc="upper right", fontsize=8, frameon=False)
    return fig
