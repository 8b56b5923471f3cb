"""Make the SYNTHETIC follow-up data sets bundled in models/data/.

The data are invented, with a fixed seed and a known truth, so that the bundled examples run and
so that tests can check that the effect models recover the truth. They are not observations of any
real pupil or intervention.

    python scripts/make_synthetic_data.py          # (re)write the files
    python scripts/make_synthetic_data.py --check  # fail if a bundled file differs from this script
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.special import expit, logit
from scipy.stats import norm

DATA = Path(__file__).resolve().parent.parent / "models" / "data"

# NÄTA truth: logit P(problematic absence) = a + b*treated + c*post + d*treated*post
NATA_TRUTH = {
    "a": float(logit(0.45)),  # comparison pupils, before
    "b": float(logit(0.55) - logit(0.45)),  # pupils referred to NÄTA are more at risk
    "c": 0.10,  # absence drifts up a little in both groups
    "d": -0.90,  # NÄTA's effect on the log-odds scale
}
NATA_WITHIN_PUPIL_CORRELATION = 0.5  # latent correlation of a pupil's before and after
PROBLEMATIC_SHARE = 0.15  # absence share at or above which absence counts as problematic


def nata(seed: int = 20190801, *, n_treated: int = 120, n_comparison: int = 180) -> pd.DataFrame:
    """Pupils in years 7–9 at risk of problematic absence, before and after (one term each).

    Treated pupils worked with NÄTA; comparison pupils were flagged at schools the team did not
    yet serve. Each pupil's before and after outcomes are correlated through a Gaussian copula,
    so each cell's marginal risk equals the truth above exactly.
    """
    rng = np.random.default_rng(seed)
    treated = np.r_[np.ones(n_treated, int), np.zeros(n_comparison, int)]
    n = treated.size
    school = np.where(
        treated == 1,
        rng.choice(["skola_A", "skola_B"], n),
        rng.choice(["skola_C", "skola_D", "skola_E"], n),
    )
    school_year = rng.choice([7, 8, 9], n)
    rho = NATA_WITHIN_PUPIL_CORRELATION
    z = rng.multivariate_normal([0, 0], [[1, rho], [rho, 1]], size=n)
    rows = []
    t = NATA_TRUTH
    for k, period in enumerate(["pre", "post"]):
        post = int(period == "post")
        eta = t["a"] + t["b"] * treated + t["c"] * post + t["d"] * treated * post
        problematic = (norm.cdf(z[:, k]) < expit(eta)).astype(int)
        days = rng.integers(80, 91, n)
        share = np.where(
            problematic == 1,
            rng.uniform(PROBLEMATIC_SHARE, 0.6, n),
            rng.uniform(0.0, PROBLEMATIC_SHARE, n),
        )
        absent = np.where(problematic == 1, np.ceil(share * days), np.floor(share * days)).astype(
            int
        )
        absent = np.where(problematic == 1, np.maximum(absent, np.ceil(0.15 * days)), absent)
        rows.append(
            pd.DataFrame(
                {
                    "pupil_id": [f"P{i + 1:04d}" for i in range(n)],
                    "school": school,
                    "school_year": school_year,
                    "treated": treated,
                    "period": period,
                    "days_enrolled": days,
                    "absent_days": absent.astype(int),
                    "problematic_absence": problematic,
                }
            )
        )
    return pd.concat(rows, ignore_index=True)


def nata_true_risk_difference() -> float:
    """The true effect on the risk scale: treated after, minus its counterfactual."""
    t = NATA_TRUTH
    untreated = t["a"] + t["b"] + t["c"]
    return float(expit(untreated + t["d"]) - expit(untreated))


DATASETS = {"nata_followup_synthetic.csv": nata}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    args = parser.parse_args(argv)
    stale = []
    for name, make in DATASETS.items():
        text = make().to_csv(index=False, lineterminator="\n")
        path = DATA / name
        if args.check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                stale.append(name)
        else:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path}")
    if stale:
        print(f"stale (rerun the script): {', '.join(stale)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
