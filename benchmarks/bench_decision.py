"""Speed and accuracy of the decision stage; prints one JSON object per line.

Run:  .venv/bin/python benchmarks/bench_decision.py      (or `make bench`)

* ``evppi_speed``: seconds for EVPPI of every input group of a 4000-draw, 8-parameter problem,
  against the baseline of the same regressions solved by plain least squares (no GCV) in the
  same run -- the price of choosing the penalty.
* ``evppi_accuracy``: root-mean-square error of EVPPI(θ1) for NB = θ1 + θ2 (closed form
  0.3989) over 20 seeds per sample size, beside the Monte Carlo error of EVPI itself (baseline).
* ``sobol_accuracy``: largest absolute error of the first-order indices of the Ishigami
  function (0.3139, 0.4424, 0) over 10 seeds at 20 000 draws.
* ``portfolio_speed``: seconds for a 4-project revolving fund over 4000 draws against the
  baseline of the four project ledgers alone.
"""

from __future__ import annotations

import json
import time

import numpy as np
import xarray as xr

from simpact import decision, fund
from simpact.decision.regression import unfitted
from simpact.decision.voi import incremental_benefit

PHI0 = 1 / np.sqrt(2 * np.pi)


def timed(f, repeat: int = 3) -> float:
    best = np.inf
    for _ in range(repeat):
        t = time.perf_counter()
        f()
        best = min(best, time.perf_counter() - t)
    return best


def evppi_speed() -> dict:
    rng = np.random.default_rng(0)
    n, k = 4000, 8
    t = rng.normal(size=(k, n))
    inb = t[0] + t[1] * t[2] + np.exp(0.3 * t[3]) - 1 + 0.2 * t[4:].sum(0)
    nb = xr.DataArray(np.stack([inb, np.zeros(n)], 1), dims=("draw", "scenario"))
    inputs = xr.Dataset({f"t{i}": ("draw", t[i]) for i in range(k)})
    groups = {f"t{i}": [f"t{i}"] for i in range(k)} | {"t0-t3": [f"t{i}" for i in range(4)]}
    seconds = timed(lambda: decision.evppi(nb, inputs, groups=groups))
    inc, _, _ = incremental_benefit(nb, ("draw",))

    def plain():
        for cols in groups.values():
            x = np.stack([t[int(c[1:])] for c in cols], 1)
            design = unfitted(x).design(x)
            np.linalg.lstsq(np.column_stack([np.ones(n), design]), inc, rcond=None)

    baseline = timed(plain)
    return {
        "benchmark": "evppi_speed",
        "draws": n,
        "groups": len(groups),
        "seconds": seconds,
        "baseline_plain_lstsq_seconds": baseline,
        "ratio": seconds / baseline,
    }


def evppi_accuracy() -> dict:
    out = {"benchmark": "evppi_accuracy", "truth": PHI0, "rmse": {}, "evpi_mc_sd": {}}
    for n in (1000, 4000, 16000):
        errors, evpis = [], []
        for seed in range(20):
            t = np.random.default_rng(seed).normal(size=(2, n))
            nb = xr.DataArray(np.stack([t[0] + t[1], np.zeros(n)], 1), dims=("draw", "scenario"))
            ev = decision.evppi(nb, xr.Dataset({"t1": ("draw", t[0])}))
            errors.append(float(ev[0]) - PHI0)
            evpis.append(float(decision.evpi(nb)))
        out["rmse"][n] = float(np.sqrt(np.mean(np.square(errors))))
        out["evpi_mc_sd"][n] = float(np.std(evpis))
    return out


def sobol_accuracy() -> dict:
    a, b = 7.0, 0.1
    v = a**2 / 8 + b * np.pi**4 / 5 + b**2 * np.pi**8 / 18 + 0.5
    truth = np.array([0.5 * (1 + b * np.pi**4 / 5) ** 2, a**2 / 8, 0.0]) / v
    worst = 0.0
    for seed in range(10):
        x = np.random.default_rng(seed).uniform(-np.pi, np.pi, size=(3, 20000))
        y = np.sin(x[0]) + a * np.sin(x[1]) ** 2 + b * x[2] ** 4 * np.sin(x[0])
        s = decision.sobol_first(
            xr.DataArray(y, dims="draw"),
            xr.Dataset({f"x{i}": ("draw", x[i]) for i in range(3)}),
        )
        worst = max(worst, float(np.abs(s.to_numpy() - truth).max()))
    return {"benchmark": "sobol_accuracy", "draws": 20000, "seeds": 10, "max_abs_error": worst}


def portfolio_speed() -> dict:
    rng = np.random.default_rng(1)
    n, years = 4000, np.arange(1, 13)
    projects = [
        fund.Project(
            f"p{i}",
            xr.DataArray(
                rng.gamma(2, 5e5, (n, len(years))), dims=("draw", "year"), coords={"year": years}
            ),
            drawn={1: 1e6, 2: 2e6, 3: 1e6},
            start=i + 1,
            rule=list(fund.RULES)[i],
        )
        for i in range(4)
    ]
    seconds = timed(lambda: fund.portfolio(projects))
    baseline = timed(lambda: [p.ledger() for p in projects])
    return {
        "benchmark": "portfolio_speed",
        "draws": n,
        "projects": 4,
        "seconds": seconds,
        "baseline_ledgers_seconds": baseline,
        "ratio": seconds / baseline,
    }


if __name__ == "__main__":
    for bench in (evppi_speed, evppi_accuracy, sobol_accuracy, portfolio_speed):
        print(json.dumps(bench()), flush=True)
