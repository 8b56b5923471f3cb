"""The summary simulation on dask with 1 and 2 local workers, against the in-process run.

Prints one JSON line. Baseline (same run, same spec and seed): the in-process
:func:`simpact.simulation.simulate_summary` with its thread pool. Each dask variant starts a
``LocalCluster`` of single-threaded worker processes before the clock starts and warms it up
with a small run (the workers load the compiled kernels from the on-disk cache); the timed run
then ships every block to the workers and gathers the per-draw pieces. Every variant's NPV
draws must equal the baseline's bit for bit (``identical``).

    python benchmarks/bench_scale.py --draws 4000000
"""

from __future__ import annotations

import argparse
import json
import os
import time

import numpy as np
from bench_simulate import make_posterior, make_spec


def timed(fn) -> tuple[float, object]:
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=4_000_000)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()

    from dask.distributed import Client, LocalCluster

    import simpact as sp
    from simpact import scale
    from simpact.simulation import simulate_summary

    spec, post = sp.load_model(make_spec(10, 40, 5)), make_posterior()
    simulate_summary(spec, post, random_seed=1, draws=1000)  # warm: kernels from the cache
    load = os.getloadavg()[0]
    base_s, base = timed(lambda: simulate_summary(spec, post, random_seed=1, draws=args.draws))
    want = base["npv"]["npv"].to_numpy()
    del base
    runs = {}
    for n in args.workers:
        with LocalCluster(n_workers=n, threads_per_worker=1, processes=True) as cluster:
            with Client(cluster) as client:
                scale.simulate_summary(spec, post, random_seed=1, draws=1000, client=client)
                seconds, out = timed(
                    lambda c=client: scale.simulate_summary(
                        spec, post, random_seed=1, draws=args.draws, client=c
                    )
                )
        runs[str(n)] = {
            "seconds": round(seconds, 3),
            "ratio_to_in_process": round(seconds / base_s, 3),
            "identical": bool(np.array_equal(out["npv"]["npv"].to_numpy(), want)),
        }
        del out
    print(
        json.dumps(
            {
                "benchmark": "scale.simulate_summary",
                "draws": args.draws,
                "outcomes": 10,
                "years": 40,
                "actors": 5,
                "baseline": "in-process simulate_summary (thread pool), same run",
                "baseline_seconds": round(base_s, 3),
                "workers": runs,
                "cpus": os.cpu_count(),
                "load_average_before": round(load, 2),
                "note": "cluster start-up and a warm-up run excluded; on a shared 2-core "
                "machine two workers compete with the client process and other users",
            }
        )
    )


if __name__ == "__main__":
    main()
