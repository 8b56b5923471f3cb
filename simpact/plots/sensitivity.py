"""Figures of the sensitivity and the value of information: one-way tornado, EVPPI per input,
and acceptability curves."""

from __future__ import annotations

import numpy as np
import pandas as pd
import xarray as xr
from matplotlib.figure import Figure

from simpact.plots.style import LINESTYLES, msek_axis, new_figure, words


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
    w = words(lang)
    df = df_low_high[["low", "high"]].astype(float) / 1e6
    df = df.loc[(df["high"] - df["low"]).abs().sort_values().index]
    base = (float(df.iloc[-1].mean()) if base is None else base / 1e6) if len(df) else 0.0
    fig, ax = new_figure(figsize=(7, 0.45 * len(df) + 1.6))
    y = np.arange(len(df))
    ax.barh(y, df["low"] - base, left=base, color="0.85", edgecolor="black", label=w["low"])
    ax.barh(
        y,
        df["high"] - base,
        left=base,
        color="0.45",
        edgecolor="black",
        hatch="//",
        label=w["high"],
    )
    ax.axvline(base, color="black", lw=1, ls="--", label=w["base"])
    ax.set_yticks(y, [str(i) for i in df.index])
    ax.set_xlabel(xlabel or w["msek"].format(price_year=price_year))
    msek_axis(ax, lang, axis="x")
    ax.set_title(w["tornado_title"])
    ax.legend(loc="lower right", fontsize=8, frameon=False)
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
    w = words(lang)
    s = values.astype(float).sort_values() / 1e6
    fig, ax = new_figure(figsize=(7, 0.45 * len(s) + 1.6))
    ax.barh(np.arange(len(s)), s.to_numpy(), color="0.6", edgecolor="black", hatch="..")
    if evpi is not None:
        ax.axvline(evpi / 1e6, color="black", ls="--", lw=1.2, label=w["evpi"])
        ax.legend(loc="lower right", fontsize=8, frameon=False)
    ax.set_yticks(np.arange(len(s)), [str(i) for i in s.index])
    ax.set_xlabel(w["evppi"].format(price_year=price_year))
    msek_axis(ax, lang, axis="x")
    ax.set_title(w["evppi_title"])
    return fig


def acceptability(curves: xr.DataArray, *, xlabel: str | None = None, lang: str = "en") -> Figure:
    """Acceptability curves: P(each scenario is best) against willingness to pay.

    Not a report figure (no stage saves curves in a results tree): draw it from
    :func:`simpact.decision.prob_best` of a net benefit with ``wtp`` and ``scenario`` dims.

    Parameters
    ----------
    curves
        Probabilities, dims ``(wtp, scenario)``; other coords (such as ``frontier``) are ignored.

    Examples
    --------
    >>> c = xr.DataArray([[0.2, 0.8], [0.6, 0.4]], dims=("wtp", "scenario"),
    ...                  coords={"wtp": [0, 1e5], "scenario": ["no", "yes"]})
    >>> len(acceptability(c).axes[0].lines)
    2
    """
    w = words(lang)
    fig, ax = new_figure(figsize=(7, 3.6))
    wtp = curves["wtp"].to_numpy()
    for i, scenario in enumerate(curves["scenario"].to_numpy()):
        ax.plot(
            wtp,
            curves.sel(scenario=scenario).to_numpy(),
            color="black",
            lw=1.8,
            ls=LINESTYLES[i % len(LINESTYLES)],
            label=str(scenario),
        )
    ax.set_ylim(-0.02, 1.02)
    ax.set_xlabel(xlabel or w["wtp"])
    ax.set_ylabel(w["p_best"])
    ax.grid(color="0.9")
    ax.legend(fontsize=8, frameon=False)
    ax.set_title(w["acceptability_title"])
    return fig
