"""Simulation-based calibration of every effect design x family, as JSON lines.

    python benchmarks/calibration.py [--replicates 100] [--only did:bernoulli ...]

Each line: the design, family, site pooling, and per checked variable the coverage of the 50 %
and 90 % intervals (nominal 0.5 and 0.9, with their binomial standard errors), the chi-square
p-value of rank uniformity and the share of replicates that passed the convergence gate.
Takes about a minute per combination on one core.
"""

from __future__ import annotations

import argparse
import json
import time

from simpact.effects import calibration

FAMILIES = ("bernoulli", "binomial", "poisson", "negbin", "normal", "student_t")
COMBOS = [
    *[(design, family, False) for design in ("two_group", "did", "its") for family in FAMILIES],
    *[("did", family, True) for family in ("bernoulli", "poisson", "normal")],
    ("meta", "normal", False),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replicates", type=int, default=100)
    parser.add_argument("--only", nargs="*", help="design:family[:site] to run")
    args = parser.parse_args()
    for design, family, site in COMBOS:
        name = f"{design}:{family}" + (":site" if site else "")
        if args.only and name not in args.only:
            continue
        start = time.perf_counter()
        results = calibration.calibrate(
            calibration.template(design, family, site=site),
            replicates=args.replicates,
            random_seed=2026,
        )
        summary = calibration.summarise(results)
        print(
            json.dumps(
                {
                    "combo": name,
                    "seconds": round(time.perf_counter() - start, 1),
                    **{var: row.round(3).to_dict() for var, row in summary.iterrows()},
                }
            ),
            flush=True,
        )


if __name__ == "__main__":
    main()
