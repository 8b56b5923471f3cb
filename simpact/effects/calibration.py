"""Simulation-based calibration (Talts et al. 2018) of the effect designs.

For each replicate: draw the parameters from the prior, simulate an outcome on the design's own
rows (its regressors, trials, exposure and sites are kept), refit the compiled model to the
simulated outcome (``with_data``, no recompilation), and record the rank of the true value among
thinned posterior draws and whether the 50 % and 90 % central intervals cover it. Over many
replicates the ranks of a calibrated model are uniform and the coverages nominal.

Run the full calibration (>= 100 replicates for every design x family) with
``python benchmarks/calibration.py`` (JSON lines) or ``pytest -m slow
tests/test_effects_calibration.py``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pymc as pm
from scipy import stats

from simpact.base import rng
from simpact.config.spec import Sampling
from simpact.effects import core
from simpact.effects.designs import DiD, InterruptedTimeSeries, TwoGroup
from simpact.effects.families import FAMILIES
from simpact.effects.meta import MetaAnalysis
from simpact.effects.regression import Design


def calibrate(
    design: Design | MetaAnalysis,
    *,
    replicates: int = 100,
    random_seed: rng.SeedLike = None,
    sampling: Sampling | None = None,
    ranks: int = 99,
) -> pd.DataFrame:
    """Run simulation-based calibration of a design on its own rows.

    Parameters
    ----------
    design
        A design instance; its data supplies the rows (regressors, weights, sites) and the
        data-scaled priors, which are held fixed while outcomes are simulated.
    replicates
        Number of simulate-and-refit replicates.
    random_seed
        Seed for the prior draws and the sampler (named streams per replicate).
    sampling
        Sampler settings for each refit (default: 2 chains x 500 draws, 500 tuning).
    ranks
        Posterior draws kept (evenly thinned) to rank the truth among: ranks lie in 0..``ranks``.

    Returns
    -------
    pandas.DataFrame
        One row per replicate and variable: ``var``, ``rank``, ``truth``, ``in50``, ``in90``,
        ``converged``, ``rhat_max``, ``divergences``.

    Examples
    --------
    >>> res = calibrate(template("two_group", "normal"), replicates=2)  # doctest: +SKIP
    >>> sorted(res["var"].unique())                                      # doctest: +SKIP
    ['mean_difference']
    """
    sampling = sampling or Sampling(draws=500, tune=500, chains=2)
    names = design.calibration_vars()
    model = design.build()
    prior = pm.sample_prior_predictive(
        draws=replicates,
        model=model,
        random_seed=rng.integer_seed(random_seed, "calibrate", "prior"),
        var_names=[*names, "y"],
    )
    simulated = prior.prior_predictive["y"].to_numpy().reshape(replicates, -1)
    truths = {n: prior.prior[n].to_numpy().reshape(replicates) for n in names}
    base = design.new_data()
    rows = []
    for i in range(replicates):
        outcome = design.OUTCOME_DATA
        data = {**base, outcome: simulated[i].astype(base[outcome].dtype)}
        seed = rng.integer_seed(random_seed, "calibrate", "fit", str(i))
        tree = core.sample(design.build, design.structure_key(), data, sampling, seed, False)
        diag = core.check_convergence(tree, var_names=names, raise_=False)
        for name in names:
            draws = tree.posterior[name].transpose("chain", "draw").to_numpy()
            thinned = _thin(draws, ranks)
            truth = truths[name][i]
            q = np.quantile(draws, [0.05, 0.25, 0.75, 0.95])
            rows.append(
                {
                    "var": name,
                    "replicate": i,
                    "truth": float(truth),
                    "rank": int((thinned < truth).sum()),
                    "in50": bool(q[1] <= truth <= q[2]),
                    "in90": bool(q[0] <= truth <= q[3]),
                    "converged": diag.converged,
                    "rhat_max": diag.rhat_max,
                    "divergences": diag.divergences,
                }
            )
    out = pd.DataFrame(rows)
    out.attrs["ranks"] = ranks
    return out


def _thin(draws: np.ndarray, keep: int) -> np.ndarray:
    """Evenly thinned draws from every chain, ``keep`` in all (reduces autocorrelation)."""
    per_chain = -(-keep // draws.shape[0])
    idx = np.linspace(0, draws.shape[1] - 1, per_chain).round().astype(int)
    return draws[:, idx].reshape(-1)[:keep]


def summarise(results: pd.DataFrame, *, bins: int = 10) -> pd.DataFrame:
    """Coverage of the 50 % and 90 % intervals and a chi-square test of rank uniformity.

    Returns one row per variable: ``replicates``, ``coverage50``, ``coverage90``, their binomial
    standard errors at the nominal level, ``chi2_p`` (ranks in ``bins`` equal bins) and the
    share of replicates that passed the convergence gate.
    """
    ranks = results.attrs.get("ranks", int(results["rank"].max()))
    rows = {}
    for name, df in results.groupby("var", sort=False):
        n = len(df)
        counts = np.histogram(df["rank"], bins=bins, range=(0, ranks + 1))[0]
        rows[name] = {
            "replicates": n,
            "coverage50": float(df["in50"].mean()),
            "se50": float(np.sqrt(0.25 / n)),
            "coverage90": float(df["in90"].mean()),
            "se90": float(np.sqrt(0.09 / n)),
            "chi2_p": float(stats.chisquare(counts).pvalue),
            "converged": float(df["converged"].mean()),
        }
    return pd.DataFrame.from_dict(rows, orient="index")


def template(
    design: str, family: str, *, site: bool = False, n: int = 120, seed: int = 0
) -> Design | MetaAnalysis:
    """A small synthetic design (rows only matter: outcomes are re-simulated by :func:`calibrate`).

    ``design`` is a key of :data:`simpact.effects.DESIGNS`; ``n`` the number of rows (units, or
    time points for ``"its"``).
    """
    gen = np.random.default_rng(seed)
    if design == "meta":
        return MetaAnalysis(gen.normal(0, 0.3, 8), gen.uniform(0.1, 0.4, 8))
    fam = FAMILIES[family]
    weight = {"trials": "n", "exposure": "exposure"}.get(fam.weight or "")
    if design == "its":
        t = np.arange(n // 4 or 8)
        df = pd.DataFrame({"time": t})
        start = float(t[len(t) // 2])
    else:
        df = pd.DataFrame({"treated": np.tile([0, 1], n // 2)})
        if design == "did":
            df = pd.concat([df.assign(period="pre"), df.assign(period="post")], ignore_index=True)
    if site:
        df["site"] = np.resize(["a", "b", "c", "d"], len(df))
    df["n"] = gen.integers(5, 30, len(df))
    df["exposure"] = gen.uniform(20, 60, len(df))
    if fam.link == "logit":
        df["y"] = gen.binomial(df["n"] if weight else 1, 0.3)
    elif fam.link == "log":
        df["y"] = gen.poisson(0.1 * df["exposure"])
    else:
        df["y"] = gen.normal(10, 2, len(df))
    kwargs = {"outcome": "y", "family": family, "site": "site" if site else None}
    if weight:
        kwargs[weight if weight == "exposure" else "trials"] = weight
    if design == "its":
        return InterruptedTimeSeries(df, time="time", start=start, **kwargs)
    if design == "did":
        return DiD(df, group="treated", period="period", **kwargs)
    return TwoGroup(df, group="treated", **kwargs)
