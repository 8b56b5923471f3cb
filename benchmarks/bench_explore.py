"""Speed of one explorer update; prints one JSON object per line.

Run:  .venv/bin/python benchmarks/bench_explore.py [--draws 16384]     (or `make bench`)

* ``explore_update``: seconds for one update of the explorer page's numbers for the bundled
  NÄTA model -- :func:`simpact.explore.evaluate` (``pipeline.simulate`` on the saved posterior
  plus the report's NPV and fund rows) at ``--draws`` iterations after an input moved -- against
  the baseline of the whole report summary (``decision.summarize`` with value of information,
  what ``simpact simulate`` computes before writing files) on the same draws. Best of
  ``--repeat`` runs; the posterior is a fake fit (:func:`simpact.testing.fake_fit`), whose
  shape is a real fit's, so no MCMC is timed.
"""

from __future__ import annotations

import argparse
import json
import os
import time

from simpact import explore, testing
from simpact.config import load_model
from simpact.data import load_followup


def timed(f, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        f()
        best = min(best, time.perf_counter() - t)
    return best


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--draws", type=int, default=16384)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    spec = load_model("nata")
    post = testing.fake_fit(spec, load_followup(spec), seed=1)
    base = explore.Scenario.from_spec("nata", seed=1, draws=args.draws)
    knob = {k.key: k for k in explore.knobs_of(base.base)}["simulation.cashable.education"]
    moved = base.changed(explore.move(base.base, knob, 0.6, 0.15))
    explore.evaluate(moved, post)  # warm: imports, priors files, compiled plan caches
    seconds = timed(lambda: explore.evaluate(moved, post), args.repeat)
    baseline = timed(lambda: explore.evaluate(moved, post, full=True, voi=True), args.repeat)
    print(
        json.dumps(
            {
                "benchmark": "explore_update",
                "model": "nata",
                "draws": args.draws,
                "seconds": round(seconds, 3),
                "baseline": "full report summary (decision.summarize, voi) on the same draws",
                "baseline_seconds": round(baseline, 3),
                "cpus": os.cpu_count(),
            }
        )
    )


if __name__ == "__main__":
    main()
