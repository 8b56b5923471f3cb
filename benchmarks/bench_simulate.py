"""Speed and memory of the savings simulation in summary-only mode, against a dense baseline.

Runs the full chain (prior/posterior effects, baseline risks and rates, timing profiles,
geometric and step persistence, four haircuts, unit costs in several price years, payer and
cashable shares, intervention costs, an uncertain discount rate, two rank correlations, and the
fund's repayment per draw) for ``--draws`` iterations of a synthetic spec with ``--outcomes``
outcomes, ``--years`` years and ``--actors`` actors, and prints one JSON line.

Each variant runs in a fresh subprocess so that ``peak_rss_mb`` (``ru_maxrss``) is its own:

* ``simpact``: :func:`simpact.simulation.simulate_summary` (blocks, threads, float32 sums);
* ``baseline``: the straightforward full-array implementation (dense ``(draw, year, outcome,
  lag)`` einsum, all draws in memory, float64, one thread) on the same input draws, run at
  ``--baseline-draws`` and scaled linearly to ``--draws`` (``scaled: true``); its NPV per draw is
  compared with simpact's on those draws (``max_rel_diff``).

    python benchmarks/bench_simulate.py --draws 1000000 --outcomes 10 --years 40 --actors 5
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time

import numpy as np
import xarray as xr

ACTORS = ["social_services", "education", "region", "state", "individual"]
DISTS = [
    {"dist": "lognormal", "mean": 30561, "sd": 6112},
    {"dist": "gamma", "mean": 60225, "sd": 6023},
    {"dist": "pert", "min": 1100, "mode": 3000, "max": 8400},
    {"dist": "triangular", "min": 510, "mode": 900, "max": 2007},
    {"dist": "uniform", "min": 222222, "max": 333333},
]


def make_spec(outcomes: int, years: int, actors: int) -> dict:
    """A synthetic spec exercising every part of the chain."""
    used = ACTORS[:actors]
    municipal = [a for a in used if a in ("social_services", "education")] or [used[0]]
    links = ["linked", "relative", "rate", "difference"]
    out = []
    for k in range(outcomes):
        link = links[k % len(links)]
        first = (3 * k) % max(1, years - 8)
        width = min(5, years - 3 - first)
        lags = range(first, first + width)
        o = {
            "name": f"outcome_{k}",
            "effect": link,
            "quantity": {"dist": "lognormal", "mean": 10 + k, "sd": 3} if k % 2 else 1,
            "unit_cost": DISTS[k % len(DISTS)],
            "unit_cost_price_year": 2015 + k % 8,
            "timing": {lag: 1 / width for lag in lags},
            "payers": {used[k % actors]: 0.6, used[(k + 1) % actors]: 0.4}
            if actors > 1
            else {used[0]: 1.0},
        }
        if link == "linked":
            o["excess_risk"] = {"dist": "beta", "mean": 0.1, "sd": 0.03}
        elif link == "relative":
            o["baseline_risk"] = {"dist": "beta", "mean": 0.2, "sd": 0.05}
        elif link == "rate":
            o["baseline_rate"] = {"dist": "gamma", "mean": 0.5, "sd": 0.1}
        if k % 5 == 4:
            o["persistence"] = {"kind": "step", "years": 6}
        if k == 3:
            o["effect_prior"] = {"dist": "normal", "mean": -0.03, "sd": 0.01}
        out.append(o)
    return {
        "schema_version": 1,
        "intervention": {
            "id": "bench",
            "name": "Benchmark",
            "start_year": 2025,
            "price_year": 2023,
        },
        "effect": {"design": "did", "outcome": "y", "group": "g", "period": "t"},
        "cohort": {"intake": {1: 60, 2: 60, 3: 60}},
        "simulation": {
            "horizon": years,
            "discount_rate": {"dist": "triangular", "min": 0.02, "mode": 0.035, "max": 0.05},
            "retention": {"dist": "beta", "mean": 0.85, "sd": 0.07},
            "haircuts": {
                "deadweight": {"dist": "beta", "mean": 0.1, "sd": 0.05},
                "attribution": {"dist": "uniform", "min": 0.0, "max": 0.2},
                "displacement": {"dist": "uniform", "min": 0.0, "max": 0.1},
                "optimism_bias": {"dist": "uniform", "min": 0.0, "max": 0.4},
            },
            "cashable": {a: {"dist": "uniform", "min": 0.4, "max": 0.9} for a in municipal},
            "correlations": [
                {"between": ["outcome_0.unit_cost", "outcome_1.unit_cost"], "rho": 0.5},
                {"between": ["retention", "haircuts.optimism_bias"], "rho": -0.3},
            ],
        },
        "outcomes": out,
        "costs": {
            municipal[0]: {y: {"dist": "lognormal", "mean": 8e5, "sd": 1e5} for y in (1, 2, 3, 4)}
        },
        "fund": {
            "fund_part": {1: 1e6, 2: 1e6, 3: 1e6, 4: 1e6},
            "repayment": {5: 0.5, 6: 0.5},
            "repaying_actors": municipal,
            "horizon": min(10, years),
        },
    }


def make_posterior(seed: int = 0) -> xr.DataTree:
    """A fake effect fit: 4 chains x 1000 draws of the three effect scales."""
    g = np.random.default_rng(seed)
    rd = g.normal(-0.08, 0.03, (4, 1000))
    post = xr.Dataset(
        {
            "risk_difference": (("chain", "draw"), rd),
            "risk_ratio": (("chain", "draw"), np.exp(g.normal(-0.3, 0.1, (4, 1000)))),
            "rate_ratio": (("chain", "draw"), np.exp(g.normal(-0.2, 0.1, (4, 1000)))),
        }
    )
    tree = xr.DataTree.from_dict({"posterior": post})
    tree.attrs.update(better="lower", effect_var="risk_difference")
    return tree


def baseline(plan, seed) -> np.ndarray:
    """Straightforward dense implementation on the same input draws; returns NPV (actor, draw)."""
    from simpact.simulation import blocks
    from simpact.simulation.summary import QUANTILES

    spec = plan.spec
    parts = [blocks.draw_block(plan, seed, i) for i in range(plan.n_blocks)]
    d = {k: np.concatenate([p[0][k] for p in parts]) for k in parts[0][0]}
    e = {k: np.concatenate([p[1][k] for p in parts]) for k in parts[0][1]}
    n, years = plan.n_draws, plan.years
    nk, nt = len(plan.outcomes), len(years)
    max_lag = max(int(o.lags.max()) for o in plan.outcomes)
    lags = np.arange(max_lag + 1)
    timing = np.zeros((nk, max_lag + 1))
    persist = np.zeros((n, nk, max_lag + 1))
    per_person = np.zeros((n, nk))
    value = np.zeros((n, nk))
    for k, o in enumerate(plan.outcomes):
        timing[k, o.lags] = o.timing
        needs = {key: d[f"{o.name}.{key}"] for key in o.link.needs}
        per_person[:, k] = o.link.per_person(blocks.signed_effect(plan, o, d, e), needs)
        value[:, k] = d[f"{o.name}.quantity"] * o.price_factor * d[f"{o.name}.unit_cost"]
        if o.persistence.kind == "geometric":
            persist[:, k] = d[f"{o.persistence_prefix}retention"][:, None] ** lags
        else:
            persist[:, k] = lags < o.persistence.years
    intake = np.zeros((nt, max_lag + 1))
    for y, size in zip(plan.intake_years, plan.intake_sizes, strict=True):
        for lag in lags:
            if y + lag - 1 < nt:
                intake[y + lag - 1, lag] = size
    reached = np.einsum("tl,kl,nkl->ntk", intake, timing, persist)
    avoided = per_person[:, None, :] * reached
    savings = blocks.haircut(d)[:, None, None] * np.einsum(
        "ntk,nk,ka->nta", avoided, value, plan.payers
    )
    costs = np.zeros((n, nt, len(plan.actors)))
    for a, year, name in plan.costs:
        costs[:, year - 1, a] = d[name]
    discount = (1 + d["discount_rate"][:, None]) ** -years[None, :]
    pv = (savings - costs) * discount[:, :, None]
    npv = pv.sum(axis=1)
    np.quantile(savings.sum(axis=2).cumsum(axis=1), QUANTILES, axis=0)
    cashable = np.ones((n, len(plan.actors)))
    for a, name in plan.cashable.items():
        cashable[:, a] = d[name]
    rep = [plan.actors.index(a) for a in spec.fund.repaying_actors]
    sav = xr.DataArray(
        (savings * cashable[:, None, :])[:, :, rep].sum(axis=2),
        dims=("draw", "year"),
        coords={"year": years},
    )
    plan.fund.repay(sav)
    return npv.T


def _usage() -> tuple[float, float]:
    """CPU seconds (user + system) and peak RSS in MB of this process so far."""
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime, r.ru_maxrss / 1024


def run_variant(args) -> dict:
    import simpact as sp
    from simpact.base import rng
    from simpact.simulation import simulate_summary
    from simpact.simulation.plan import compile_plan

    spec = sp.load_model(make_spec(args.outcomes, args.years, args.actors))
    post = make_posterior()
    cpu0, _ = _usage()
    start = time.perf_counter()
    if args.variant in ("simpact", "simpact_fund"):
        out = simulate_summary(
            spec, post, random_seed=1, draws=args.draws, fund=args.variant == "simpact_fund"
        )
        seconds = time.perf_counter() - start
        cpu, rss = _usage()
        extra = {"npv_total_mean": float(out["npv"]["npv_total"].mean())}
    else:
        plan = compile_plan(spec, post, draws=args.draws)
        npv = baseline(plan, rng.seed_sequence(1))
        seconds = time.perf_counter() - start
        cpu, rss = _usage()
        fast = simulate_summary(spec, post, random_seed=1, draws=args.draws)["npv"]["npv"]
        ref = fast.stack(s=("chain", "draw")).transpose("actor", "s").to_numpy()
        extra = {"max_rel_diff": float(np.abs(npv - ref).max() / np.abs(ref).max())}
    return {
        "seconds": round(seconds, 3),
        "cpu_seconds": round(cpu - cpu0, 3),
        "peak_rss_mb": round(rss, 1),
        **extra,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=1_000_000)
    parser.add_argument("--outcomes", type=int, default=10)
    parser.add_argument("--years", type=int, default=40)
    parser.add_argument("--actors", type=int, default=5, choices=range(1, 6))
    parser.add_argument("--baseline-draws", type=int, default=50_000)
    parser.add_argument(
        "--variant", choices=["simpact", "simpact_fund", "baseline"], help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.variant:
        print(json.dumps(run_variant(args)))
        return

    def sub(variant: str, draws: int) -> dict:
        cmd = [
            sys.executable,
            __file__,
            "--variant",
            variant,
            "--draws",
            str(draws),
            "--outcomes",
            str(args.outcomes),
            "--years",
            str(args.years),
            "--actors",
            str(args.actors),
        ]
        return json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)

    load = os.getloadavg()[0]
    ours = sub("simpact", args.draws)
    with_fund = sub("simpact_fund", args.draws)
    quarter = sub("simpact", max(1, args.draws // 4))
    base_draws = min(args.baseline_draws, args.draws)
    base = sub("baseline", base_draws)
    factor = args.draws / base_draws
    result = {
        "benchmark": "simulate_summary",
        "draws": args.draws,
        "outcomes": args.outcomes,
        "years": args.years,
        "actors": args.actors,
        "seconds": ours["seconds"],
        "cpu_seconds": ours["cpu_seconds"],
        "peak_rss_mb": ours["peak_rss_mb"],
        "with_fund": {k: with_fund[k] for k in ("seconds", "cpu_seconds", "peak_rss_mb")},
        "quarter_draws": {
            "draws": max(1, args.draws // 4),
            **{k: quarter[k] for k in ("seconds", "cpu_seconds", "peak_rss_mb")},
        },
        "baseline": {
            "implementation": "dense full-array einsum, float64, all draws in memory",
            "draws": args.draws,
            "measured_draws": base_draws,
            "scaled": factor != 1,
            "seconds": round(base["seconds"] * factor, 3),
            "cpu_seconds": round(base["cpu_seconds"] * factor, 3),
            "peak_rss_mb_measured": base["peak_rss_mb"],
            "max_rel_diff_npv": base["max_rel_diff"],
        },
        "speedup": round(base["seconds"] * factor / ours["seconds"], 1),
        "cpus": os.cpu_count(),
        "load_average_before": round(load, 2),
        "note": "shared 2-core machine: wall seconds depend on other users' load; "
        "cpu_seconds less so. Seconds exclude imports and process start.",
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
