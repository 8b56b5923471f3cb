"""Time `simpact demo` end to end from a cold start and warm, in fresh processes.

Cold: empty PyTensor and Numba compile caches, so model compilation is included (as on a fresh
machine). Warm: the same command again with the caches the cold run left. The issue's goal is a
cold demo in under 120 s on a 2-core machine. Prints one JSON line.

    python benchmarks/bench_demo.py
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

GOAL_SECONDS = 120.0


def _run(env: dict[str, str], out: Path) -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "simpact", "demo", "--quiet", "--out", str(out)],
        check=True,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - start


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        env = dict(os.environ)
        env["PYTENSOR_FLAGS"] = f"base_compiledir={tmp / 'pytensor'}"
        env["NUMBA_CACHE_DIR"] = str(tmp / "numba")
        cold = _run(env, tmp / "cold")
        warm = _run(env, tmp / "warm")
    print(
        json.dumps(
            {
                "benchmark": "demo",
                "cold_seconds": round(cold, 2),
                "warm_seconds": round(warm, 2),
                "goal_cold_seconds": GOAL_SECONDS,
                "meets_goal": cold < GOAL_SECONDS,
                "cpus": os.cpu_count(),
            }
        )
    )


if __name__ == "__main__":
    main()
