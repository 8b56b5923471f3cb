"""How long writing a report takes, against the bare cost of saving the same results.

Prints one JSON line per measurement. Baseline (same run, same tree): ``storage.save`` alone,
the I/O every run pays anyway; the report adds tables, figures, Markdown and HTML on top.

    .venv/bin/python benchmarks/bench_report.py
"""

from __future__ import annotations

import json
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
            seconds = best_of(
                lambda s=summary, lg=lang: report.write_report(sim, s, out / lg, lang=lg)
            )
            print(
                json.dumps(
                    {
                        "benchmark": "write_report",
                        "lang": lang,
                        "draws": draws,
                        "seconds": round(seconds, 3),
                        "baseline": "results.save",
                        "baseline_seconds": round(baseline, 3),
                        "ratio": round(seconds / baseline, 2),
                    }
                )
            )


if __name__ == "__main__":
    main()
