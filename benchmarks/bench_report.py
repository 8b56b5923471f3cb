"""How long writing a report takes, against the bare cost of saving the same results.

Prints one JSON line per measurement. Baselines (same run, same tree, interleaved):
``storage.save`` alone, the I/O every run pays anyway (the report adds tables, figures,
Markdown and HTML on top), and the whole report with its figures drawn in this one process
(``SIMPACT_FIGURE_WORKERS=1``) against drawn in forked workers (the default).

    .venv/bin/python benchmarks/bench_report.py
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from pathlib import Path

import simpact as sp
from simpact import report
from simpact.base import storage


def best_of(fn, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    spec = sp.load_model("nata")
    post = sp.fit_effects(spec, sp.load_followup(spec), random_seed=1, progress=False)
    sim = sp.simulate(spec, post, random_seed=2)
    draws = sim["cashflows"].sizes["chain"] * sim["cashflows"].sizes["draw"]
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        baseline = best_of(lambda: storage.save(sim, out / "baseline.nc"))
        for lang in ("sv", "en"):
            summary = sp.summarize(sim, lang=lang)

            def write(workers: str, s=summary, lg=lang) -> None:
                os.environ["SIMPACT_FIGURE_WORKERS"] = workers
                report.write_report(sim, s, out / lg, lang=lg)

            one, seconds = [], []
            for _ in range(3):  # interleaved: both see the same load
                one.append(best_of(lambda: write("1"), repeat=1))
                seconds.append(best_of(lambda: write(""), repeat=1))
            os.environ.pop("SIMPACT_FIGURE_WORKERS")
            print(
                json.dumps(
                    {
                        "benchmark": "write_report",
                        "lang": lang,
                        "draws": draws,
                        "seconds": round(min(seconds), 3),
                        "figures_in_one_process_seconds": round(min(one), 3),
                        "baseline": "results.save",
                        "baseline_seconds": round(baseline, 3),
                        "ratio": round(min(seconds) / baseline, 2),
                        "cpus": os.cpu_count(),
                        "load_average": round(os.getloadavg()[0], 2),
                    }
                )
            )


if __name__ == "__main__":
    main()
