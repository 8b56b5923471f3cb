"""Fit benchmark: a binary DiD on ~2 000 pupils in 10 schools with site pooling, as JSON.

    python benchmarks/bench_fit.py

Prints one JSON object: nutpie's cold fit (compilation included), warm fit (compiled model,
same data), refit on new data (compiled model, ``with_data``), their speed-ups, and the bulk ESS
per second of the natural-scale effect -- beside the same model sampled by PyMC's own NUTS in the
same run (the baseline). Goals: warm fit < 3 s, refit >= 5x faster than a cold fit.
"""

from __future__ import annotations

import json
import os
import platform
import time

import arviz as az
import numpy as np
import pandas as pd

from simpact import effects
from simpact.config.spec import Sampling
from simpact.effects import core

SCHOOLS = 10
PUPILS = 2_000


def pupils(seed: int) -> pd.DataFrame:
    """Synthetic pupils: one row per pupil and period, problematic absence 0/1."""
    gen = np.random.default_rng(seed)
    school = gen.integers(0, SCHOOLS, PUPILS)
    treated = gen.integers(0, 2, PUPILS)
    school_shift = gen.normal(0, 0.3, SCHOOLS)[school]
    rows = []
    for post in (0, 1):
        eta = -1.0 + school_shift + 0.2 * treated + 0.1 * post - 0.4 * treated * post
        rows.append(
            pd.DataFrame(
                {
                    "pupil": np.arange(PUPILS),
                    "school": [f"school_{s:02d}" for s in school],
                    "treated": treated,
                    "period": "post" if post else "pre",
                    "absent": gen.binomial(1, 1 / (1 + np.exp(-eta))),
                }
            )
        )
    return pd.concat(rows, ignore_index=True)


def design(df: pd.DataFrame) -> effects.DiD:
    return effects.DiD(
        df, outcome="absent", group="treated", period="period", unit="pupil", site="school"
    )


def timed(model: effects.DiD, sampling: Sampling, seed: int) -> tuple[float, effects.Fit]:
    start = time.perf_counter()
    fit = model.fit(random_seed=seed, sampling=sampling, progress=False, check=False)
    return time.perf_counter() - start, fit


def ess_per_second(fit: effects.Fit, seconds: float) -> float:
    ess = float(az.ess(fit.tree.posterior.to_dataset()[["risk_difference"]]).to_array().min())
    return ess / seconds


def main() -> None:
    sampling = Sampling()  # the default: 4 chains x 1000 draws after 1000 tuning
    first, second = design(pupils(1)), design(pupils(2))
    core._COMPILED.clear()
    cold, _ = timed(first, sampling, 1)
    warm, warm_fit = timed(first, sampling, 2)
    refit, refit_fit = timed(second, sampling, 3)
    pymc_sampling = Sampling(sampler="pymc")
    pymc_time, pymc_fit = timed(first, pymc_sampling, 2)
    result = {
        "benchmark": "fit_binary_did_sites",
        "pupils": PUPILS,
        "schools": SCHOOLS,
        "cells": int(first.frame().shape[0]),
        "draws": sampling.draws * sampling.chains,
        "nutpie": {
            "cold_s": round(cold, 2),
            "warm_s": round(warm, 2),
            "refit_new_data_s": round(refit, 2),
            "cold_over_refit": round(cold / refit, 1),
            "ess_per_s_warm": round(ess_per_second(warm_fit, warm), 1),
            "ess_per_s_refit": round(ess_per_second(refit_fit, refit), 1),
            "converged": bool(
                warm_fit.tree.attrs["converged"] and refit_fit.tree.attrs["converged"]
            ),
        },
        "pymc_baseline": {
            "fit_s": round(pymc_time, 2),
            "ess_per_s": round(ess_per_second(pymc_fit, pymc_time), 1),
            "converged": bool(pymc_fit.tree.attrs["converged"]),
        },
        "goals": {"warm_under_3s": warm < 3, "refit_5x_faster_than_cold": cold / refit >= 5},
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "load_avg_1min": round(os.getloadavg()[0], 2),
        },
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
