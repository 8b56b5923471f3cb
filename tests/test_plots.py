"""Figures: plain inputs, units on the axes, greys only, and the same numbers as the tables."""

from __future__ import annotations

import io

import matplotlib.colors as mcolors
import numpy as np
import pandas as pd
import pytest
import xarray as xr
from scipy import stats

from simpact import plots


def draws(values: np.ndarray, *dims: str, **coords) -> xr.DataArray:
    return xr.DataArray(values, dims=("chain", "draw", *dims), coords=coords)


def colours(fig) -> list[tuple[float, ...]]:
    found = []
    for ax in fig.axes:
        for artist in [*ax.patches, *ax.lines, *ax.collections]:
            for getter in ("get_facecolor", "get_edgecolor", "get_color"):
                if hasattr(artist, getter):
                    value = getattr(artist, getter)()
                    arr = (
                        np.atleast_2d(mcolors.to_rgba_array(value)) if len(np.shape(value)) else []
                    )
                    found += [tuple(c[:3]) for c in arr if c[3] > 0]
    return found


def is_grey(rgb: tuple[float, ...]) -> bool:
    return max(rgb) - min(rgb) < 1e-9


def test_fan_chart_bands_are_the_50_and_90_percent_quantiles():
    # year 1: savings 0, 0.01, ..., 1.00 MSEK across 101 draws; nothing after; no costs
    n = 101
    values = np.zeros((1, n, 2))
    values[0, :, 0] = np.linspace(0, 1e6, n)
    s = draws(values, "year", year=[1, 2])
    fig = plots.fan_chart(s, xr.zeros_like(s), price_year=2023)
    ax = fig.axes[0]
    band90, band50 = ax.collections[:2]
    y90 = band90.get_paths()[0].vertices[:, 1]
    y50 = band50.get_paths()[0].vertices[:, 1]
    assert y90.min() == pytest.approx(0.05) and y90.max() == pytest.approx(0.95)
    assert y50.min() == pytest.approx(0.25) and y50.max() == pytest.approx(0.75)
    assert ax.get_ylabel() == "MSEK (2023 prices, discounted)"


def test_fan_chart_has_one_panel_per_actor_and_one_for_all():
    rng = np.random.default_rng(0)
    s = draws(
        rng.gamma(2.0, 1e5, (2, 50, 4, 3)),
        "year",
        "actor",
        year=[1, 2, 3, 4],
        actor=["a", "b", "c"],
    )
    fig = plots.fan_chart(s, s * 0 + 1e5, price_year=2023, labels={"a": "Actor A"}, lang="sv")
    titles = [ax.get_title() for ax in fig.axes if ax.get_visible()]
    assert titles == ["Actor A", "b", "c", "alla aktörer"]


def test_repayment_probability_by_year_from_a_known_ledger():
    # principal 1: a quarter of draws repay in year 2, half in year 3, a quarter never fully
    repaid = np.zeros((1, 4, 4))
    repaid[0, 0, 1] = 1.0
    repaid[0, 1, 2] = 1.0
    repaid[0, 2, 2] = 1.0
    repaid[0, 3, 3] = 0.4
    r = draws(repaid, "year", year=[1, 2, 3, 4])
    fig = plots.repayment(r, principal=1.0, last_instalment_year=3, p_on_schedule=0.75)
    assert fig.axes[0].lines[0].get_ydata().tolist() == [0.0, 0.25, 0.75, 0.75]
    assert fig._suptitle.get_text().endswith("on schedule, by year 3) = 75%")
    heights = [p.get_height() for p in fig.axes[1].patches]
    assert sum(heights) == pytest.approx(1.0)


def test_npv_distribution_marks_the_tables_probability_and_splits_at_zero():
    x = np.array([-3e6, -1e6, -0.5e6, 0.5e6, 2e6])
    fig = plots.npv_distribution(x, p_positive=0.4, price_year=2023, lang="sv")
    ax = fig.axes[0]
    assert ax.get_title().endswith("= 40\u00a0%")
    assert "2023 års priser" in ax.get_xlabel()
    hatched = [p for p in ax.patches if p.get_hatch()]
    plain = [p for p in ax.patches if not p.get_hatch()]
    assert sum(p.get_height() for p in hatched) == pytest.approx(2 / 5)
    assert sum(p.get_height() for p in plain) == pytest.approx(3 / 5)
    assert all(p.get_x() >= 0 for p in hatched if p.get_height() > 0)


def test_effect_posterior_overlays_the_prior_density():
    prior = stats.norm(0, 1)
    fig = plots.effect_posterior(
        stats.norm(-0.4, 0.2).rvs(4000, random_state=1), prior=prior, xlabel="log odds ratio"
    )
    line = fig.axes[0].lines[0]
    x, y = line.get_xdata(), line.get_ydata()
    assert y == pytest.approx(prior.pdf(x))
    assert fig.axes[0].get_xlabel() == "log odds ratio"


def test_tornado_sorts_by_swing_and_starts_bars_at_base():
    df = pd.DataFrame(
        {"low": [-1e6, 0.5e6, 0.9e6], "high": [3e6, 1.5e6, 1.1e6]},
        index=["effect", "unit cost", "discount rate"],
    )
    fig = plots.tornado(df, base=1e6, price_year=2023)
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["discount rate", "unit cost", "effect"]
    ends = sorted((p.get_x(), p.get_x() + p.get_width()) for p in ax.patches)
    assert {round(min(e), 6) for e in ends} >= {-1.0, 0.5, 0.9}
    assert "MSEK" in ax.get_xlabel()


def test_acceptability_and_evppi_take_plain_inputs():
    curves = xr.DataArray(
        [[0.9, 0.1], [0.4, 0.6]],
        dims=("wtp", "scenario"),
        coords={"wtp": [0, 1e5], "scenario": ["status quo", "NÄTA"]},
    )
    fig = plots.acceptability(curves)
    assert [ln.get_ydata().tolist() for ln in fig.axes[0].lines] == [[0.9, 0.4], [0.1, 0.6]]
    fig = plots.evppi_bars(pd.Series({"effect": 3e5, "unit cost": 1e5}), evpi=4e5, price_year=2023)
    widths = [p.get_width() for p in fig.axes[0].patches]
    assert widths == pytest.approx([0.1, 0.3])


def test_fund_balance_bands():
    values = np.outer(np.linspace(0, 2, 101), [-1e6, -1e6, 0.0])[None]
    fig = plots.fund_balance(draws(values, "year", year=[1, 2, 3]), price_year=2023)
    y90 = fig.axes[0].collections[0].get_paths()[0].vertices[:, 1]
    assert y90.min() == pytest.approx(-1.9) and y90.max() == pytest.approx(0.0)
    assert fig.axes[0].get_ylabel() == "MSEK (2023 prices)"


def test_every_report_figure_is_grey_and_labelled(nata_sim):
    from simpact.decision import summarize

    summary = summarize(nata_sim)
    made = plots.make_figures(nata_sim, summary)
    assert {
        "effect_posterior",
        "fan_chart",
        "npv_distribution",
        "fund_balance",
        "repayment",
    } <= set(made)
    assert not {"tornado", "acceptability", "evppi"} & set(made)  # no decision group yet
    for name, fig in made.items():
        if name == "rank_plot":
            continue
        found = colours(fig)
        assert found and all(is_grey(c) for c in found), name
        labels = " ".join(ax.get_ylabel() + ax.get_xlabel() for ax in fig.axes)
        assert labels.strip(), name


def test_npv_figure_shows_the_summary_tables_probability(nata_sim):
    from simpact.base import i18n
    from simpact.decision import summarize

    summary = summarize(nata_sim)
    fig = plots.FIGURES["npv_distribution"](nata_sim, summary, "en")
    p = summary.value("p_npv_positive", "total")
    assert fig.axes[0].get_title().endswith(i18n.percent(p, "en"))


def test_decision_group_adds_sensitivity_figures(nata_sim):
    from simpact.decision import summarize

    sim = nata_sim.copy()
    sim["decision"] = xr.Dataset(
        {
            "tornado": xr.DataArray(
                [[-1e6, 1e6], [0.0, 5e5]],
                dims=("parameter", "bound"),
                coords={"parameter": ["effect", "cost"], "bound": ["low", "high"]},
            ),
            "evppi": xr.DataArray(
                [2e5, 5e4], dims="parameter", coords={"parameter": ["effect", "cost"]}
            ),
            "evpi": 2.5e5,
        }
    )
    made = plots.make_figures(sim, summarize(sim))
    assert {"tornado", "evppi"} <= set(made)
    # no stage saves acceptability curves in a tree: users draw them from decision.prob_best
    assert "acceptability" not in plots.FIGURES


def test_effect_prior_uses_the_spec_override(nata_sim):
    import json

    default = plots.effect_prior(nata_sim)  # the prior the fit recorded using
    used = nata_sim["fit"].attrs["priors"]["effect"]
    assert used["dist"] == "Normal"
    assert default.mean() == used["kwargs"]["mu"] and default.std() == used["kwargs"]["sigma"]
    sim = nata_sim.copy()
    spec = json.loads(sim.attrs["spec"])
    spec["effect"]["priors"] = {"effect": {"dist": "Normal", "kwargs": {"mu": -0.3, "sigma": 0.2}}}
    sim.attrs["spec"] = json.dumps(spec)
    prior = plots.effect_prior(sim)
    assert prior.mean() == pytest.approx(-0.3) and prior.std() == pytest.approx(0.2)
    spec["effect"]["priors"] = {"effect": {"dist": "HalfFlat"}}
    sim.attrs["spec"] = json.dumps(spec)
    assert plots.effect_prior(sim) is None


def test_figures_are_made_outside_pyplot():
    """No figure is left in pyplot's registry, so none needs closing (ArviZ's rank plot too)."""
    import matplotlib.pyplot as plt

    before = set(plt.get_fignums())
    rng = np.random.default_rng(0)
    post = xr.Dataset({"effect": (("chain", "draw"), rng.normal(size=(2, 100)))})
    s = draws(rng.gamma(2.0, 1e5, (1, 50, 3)), "year", year=[1, 2, 3])
    figs = [
        plots.diagnostics(xr.DataTree.from_dict({"posterior": post})),
        plots.fan_chart(s, s * 0 + 1e5),
        plots.fund_balance(-s),
        plots.npv_distribution(s.sum("year")),
        plots.effect_posterior(post["effect"], prior=stats.norm(0, 1)),
    ]
    assert set(plt.get_fignums()) == before
    for fig in figs:
        fig.savefig(io.BytesIO(), format="png", dpi=30)
