"""Recovery: simulate data with a known effect from each design and family, fit, and check that
the truth lies in the 90 % interval and that the interval narrows as the data grow.

The default suite runs a few combinations; ``pytest -m slow`` runs every design x family.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from simpact import effects
from simpact.config.spec import Sampling
from simpact.effects import core
from simpact.effects.families import FAMILIES, LINK_EFFECT

pytestmark = pytest.mark.integration  # fits for real

TRUE_EFFECT = {"logit": -0.6, "log": -0.4, "identity": -2.0}
"""Link-scale truth: log odds ratio, log rate ratio, mean difference (outcome sd 4)."""


def simulate(design: str, family: str, *, n: int, seed: int, site: bool = False):
    """A data set and the keyword arguments of the design, with effect TRUE_EFFECT[link]."""
    gen = np.random.default_rng(seed)
    fam = FAMILIES[family]
    effect = TRUE_EFFECT[fam.link]
    if design == "its":
        t = np.arange(n)
        df = pd.DataFrame({"month": t})
        x = {"trend": 0.3 * (t - n / 2) / n, "d": (t >= n // 2).astype(float)}
        kwargs = {"time": "month", "start": n // 2}
        unit = None
    else:
        units = pd.DataFrame({"id": np.arange(n), "treated": gen.integers(0, 2, n)})
        units["site"] = gen.choice(["ale", "partille", "soderkoping", "lerum"], n)
        if design == "did":
            df = pd.concat([units.assign(period="pre"), units.assign(period="post")])
            post = (df["period"] == "post").to_numpy()
            x = {"trend": 0.2 * df["treated"] + 0.3 * post, "d": df["treated"] * post}
            kwargs = {"group": "treated", "period": "period"}
        else:
            df, x, kwargs = units, {"trend": 0.0, "d": units["treated"]}, {"group": "treated"}
        unit = df["id"].to_numpy()
        df = df.reset_index(drop=True)
    if site:
        kwargs["site"] = "site"
        site_shift = df["site"].map({"ale": -0.2, "partille": 0.1, "soderkoping": 0.2, "lerum": 0})
    else:
        site_shift = 0.0
    rows = len(df)
    unit_shift = 0.0
    if design == "did" and fam.link != "logit":
        kwargs["unit"] = "id"
        unit_shift = gen.normal(0, 0.3, n)[unit] * (4.0 if fam.link == "identity" else 1.0)
    scale = 4.0 if fam.link == "identity" else 1.0
    eta_x = np.asarray(x["trend"], float) + np.asarray(site_shift, float) * scale
    eta = eta_x + unit_shift + effect * np.asarray(x["d"], float)
    if fam.link == "logit":
        trials = gen.integers(5, 20, rows) if family == "binomial" else np.ones(rows, int)
        df["y"] = gen.binomial(trials, 1 / (1 + np.exp(-(-0.8 + eta))))
        if family == "binomial":
            df["n"], kwargs["trials"] = trials, "n"
    elif fam.link == "log":
        exposure = gen.uniform(50, 100, rows)
        mu = exposure * 0.05 * np.exp(eta)
        df["days"], kwargs["exposure"] = exposure, "days"
        df["y"] = gen.poisson(mu if family == "poisson" else gen.gamma(4.0, mu / 4.0))
    else:
        noise = gen.normal(0, 4, rows) if family == "normal" else 4 * gen.standard_t(4, rows)
        df["y"] = 50 + eta + noise
    cls = {"two_group": effects.TwoGroup, "did": effects.DiD, "its": effects.InterruptedTimeSeries}
    return cls[design](df, outcome="y", family=family, **kwargs), effect


def check_recovery(design: str, family: str, *, n: int, site: bool = False) -> int:
    """Fit n and 4n simulated units; return how many 90 % intervals missed the truth (0-2).

    Also asserts what must hold in every case: the truth inside the 99.9 % interval, the gate
    passed, a refit on new rows without recompiling, and (without sites) an interval half as wide
    (at most 0.75 times as wide) for four times the data. With sites the reported effect is the
    predictive effect for a new site, which more units per site cannot narrow below the
    between-site spread.
    """
    name = LINK_EFFECT[FAMILIES[family].effect_scale]
    widths, misses = [], 0
    for size, seed in ((n, 11), (4 * n, 21)):
        model, truth = simulate(design, family, n=size, seed=seed, site=site)
        compiled = len(core._COMPILED)
        # partial pooling over four sites has a funnel: sample it with smaller steps
        fit = model.fit(random_seed=5, sampling=Sampling(target_accept=0.99 if site else 0.9))
        if size > n and not model.unit_labels():  # unit effects: their number is structure
            assert len(core._COMPILED) == compiled, "refit on new rows must not recompile"
        draws = fit.tree.posterior[name]
        lo90, hi90, lo999, hi999 = np.quantile(draws, [0.05, 0.95, 0.0005, 0.9995])
        assert lo999 <= truth <= hi999, (design, family, size, fit.summary().loc[name].to_dict())
        assert fit.tree.attrs["converged"]
        misses += not lo90 <= truth <= hi90
        widths.append(hi90 - lo90)
    if not site:  # a new site's effect stays as uncertain as the between-site spread
        assert widths[1] < 0.75 * widths[0], (design, family, widths)
    return misses


FAST = [
    ("two_group", "negbin", 200),
    ("did", "normal", 80),
    ("its", "poisson", 24),
]


@pytest.mark.parametrize(("design", "family", "n"), FAST)
def test_recovery(design, family, n):
    assert check_recovery(design, family, n=n) == 0


N = {"two_group": 200, "did": 150, "its": 24}
SLOW = [
    *[(d, f, False) for d in ("two_group", "did", "its") for f in sorted(FAMILIES)],
    *[(d, f, True) for d in ("two_group", "did") for f in ("bernoulli", "poisson", "normal")],
]


@pytest.mark.slow
def test_recovery_every_design_and_family():
    """Every design x family (and site pooling): 48 intervals at 90 % should miss ~5 truths.

    More than 11 misses has probability < 0.005 for calibrated intervals (binomial(48, 0.1)).
    """
    misses = {
        (d, f, site): check_recovery(
            d, f, n=N[d] * (3 if FAMILIES[f].link == "logit" else 1), site=site
        )
        for d, f, site in SLOW
    }
    assert sum(misses.values()) <= 11, {k: v for k, v in misses.items() if v}
