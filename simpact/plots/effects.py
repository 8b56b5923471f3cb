"""Figures of the effect: its posterior against its prior, and the sampler's rank plots."""

from __future__ import annotations

import numpy as np
import xarray as xr
from matplotlib.backend_bases import FigureCanvasBase
from matplotlib.figure import Figure

from simpact.base.constants import CI_PROB
from simpact.plots.style import LINESTYLES, new_figure, words


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
        Anything with ``pdf`` and ``ppf`` methods (e.g. a frozen ``scipy.stats`` distribution),
        or None.
    xlabel
        Axis label naming the scale of the effect.

    Examples
    --------
    >>> from scipy.stats import norm
    >>> fig = effect_posterior(norm(-0.4, 0.2).rvs(2000, random_state=1), prior=norm(0, 1))
    >>> [t.get_text() for t in fig.axes[0].get_legend().get_texts()][:2]
    ['Posterior', 'Prior (literature / default)']
    """
    w = words(lang)
    x = np.asarray(draws, dtype=float).ravel()
    lo, hi = np.quantile(x, [(1 - CI_PROB) / 2, (1 + CI_PROB) / 2])
    fig, ax = new_figure(figsize=(7, 3.6))
    ax.hist(x, bins=60, density=True, color="0.7", edgecolor="0.45", lw=0.3, label=w["posterior"])
    if prior is not None:
        span = max(hi - lo, 1e-9)
        grid = np.linspace(
            min(x.min(), prior.ppf(0.01)) - 0.1 * span,
            max(x.max(), prior.ppf(0.99)) + 0.1 * span,
            400,
        )
        ax.plot(grid, prior.pdf(grid), color="black", lw=1.5, ls="--", label=w["prior"])
    ax.hlines(0, lo, hi, color="black", lw=5, label=w["interval90"])
    ax.axvline(0, color="black", lw=0.8, ls=":", label=w["no_effect"])
    ax.set_xlabel(xlabel or w["effect_param"])
    ax.set_ylabel(w["density"])
    ax.set_title(w["effect_title"])
    ax.legend(loc="upper right", fontsize=8, frameon=False)
    return fig


def diagnostics(
    fit: xr.DataTree,
    *,
    var_names: list[str] | None = None,
    titles: dict[str, str] | None = None,
    lang: str = "en",
) -> Figure:
    """ArviZ rank plots per chain (uniform ranks = chains agree), in greys.

    ArviZ draws through pyplot; the figure is released from pyplot's registry before it is
    returned, so, like every other figure here, it needs no closing.

    Parameters
    ----------
    fit
        A tree with a ``posterior`` group (chains and draws).
    var_names
        Variables to show (default: every variable in the posterior).
    titles
        Each variable's panel title in words (default: the variable's name). ArviZ's test
        statistic ("p=0.40(α=0.01)") is not shown: the report states the verdict in words.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> post = xr.Dataset({"effect": (("chain", "draw"), rng.normal(size=(4, 200)))})
    >>> fig = diagnostics(xr.DataTree.from_dict({"posterior": post}))
    >>> len(fig.axes)
    1
    """
    import arviz as az
    import matplotlib.pyplot as plt  # only here: ArviZ's matplotlib backend needs pyplot

    n_chains = fit["posterior"].sizes["chain"]
    pc = az.plot_rank(
        fit, var_names=var_names, backend="matplotlib", visuals={"ecdf_lines": {"color": "black"}}
    )
    fig = pc.viz["figure"].item()
    plt.close(fig)
    FigureCanvasBase(fig)  # a plain canvas, as Figure() gets: savefig works, no GUI attached
    w = words(lang)
    for ax in fig.axes:
        for text in list(ax.texts):
            text.remove()
        title = ax.get_title()
        ax.set_title((titles or {}).get(title, title), fontsize=9)
        ax.set_xlabel(w["fractional_rank"])
        for i, line in enumerate(ax.get_lines()[:n_chains]):
            line.set_linestyle(LINESTYLES[i % len(LINESTYLES)])
            line.set_color(str(0.6 * i / max(n_chains - 1, 1)))
    fig.suptitle(w["diagnostics_title"], fontsize=10, y=1.08)
    return fig
