"""Figures of the fund part: its balance over time, and the repayment of its principal."""

from __future__ import annotations

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
    w = words(lang)
    years = balance["year"].to_numpy()
    fig, ax = new_figure(figsize=(7.5, 3.8))
    fan(ax, years, balance / 1e6, lang, w["balance"])
    ax.axhline(0, color="black", lw=0.8, ls=":")
    ax.set_ylabel(w["msek_plain"].format(price_year=price_year))
    ax.set_xlabel(w["year"])
    year_ticks(ax, years, calendar_years(balance))
    msek_axis(ax, lang)
    ax.grid(axis="y", color="0.9")
    fig.legend(loc="outside lower center", ncols=3, fontsize=8, frameon=False)
    ax.set_title(title or w["balance_title"])
    return fig


def _repaid_by_panel(ax, repaid_by: xr.DataArray, last_instalment_year: int, lang: str) -> None:
    """P(principal fully repaid) by project year as a step line, the last instalment dotted."""
    w = words(lang)
    ax.step(repaid_by["year"].to_numpy(), repaid_by.to_numpy(), where="post", color="black", lw=2)
    schedule = w["schedule"].format(year=last_instalment_year)
    ax.axvline(last_instalment_year, color="black", ls=":", lw=1, label=schedule)
    ax.set_ylim(-0.02, 1.02)
    ax.set_ylabel(w["p_repaid"])
    ax.set_xlabel(w["project_year"])
    ax.legend(loc="upper left", fontsize=8, frameon=False)
    ax.grid(color="0.9")


def _share_panel(ax, share: np.ndarray, horizon: int, lang: str) -> None:
    """Histogram of the share of the principal repaid by ``horizon`` (heights: share of draws)."""
    w = words(lang)
    weights = np.full(share.size, 1 / share.size)
    bins = np.linspace(0, 1, 21)
    ax.hist(share, bins=bins, color="0.6", edgecolor="black", hatch="//", weights=weights)
    ax.set_xlabel(w["repaid_share"].format(year=horizon))
    ax.set_ylabel(w["draws"])


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
    horizon
        The project year the repaid share refers to (default: the last year of ``repaid``).
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
    horizon = int(repaid["year"].max()) if horizon is None else int(horizon)
    cum = repaid.cumsum("year")
    if repaid_share is None:
        repaid_share = cum.sel(year=horizon) / principal
    fig, (left, right) = new_figure(1, 2, figsize=(9, 3.8))
    repaid_by = (cum >= principal * (1 - 1e-9)).mean(sample_dims(repaid))
    _repaid_by_panel(left, repaid_by, last_instalment_year, lang)
    _share_panel(right, np.asarray(repaid_share, dtype=float).ravel(), horizon, lang)
    title = words(lang)["repay_title"]
    if p_on_schedule is not None:
        name = i18n.WORDS[lang]["p_full_on_schedule"].format(schedule=last_instalment_year)
        title += f": {name} = {i18n.percent(p_on_schedule, lang)}"
    fig.suptitle(title)
    return fig
