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


def true_risk_difference(truth: dict[str, float]) -> float:
    """A DiD truth on the risk scale: the treated after, minus their counterfactual.

    ``truth`` holds the log-odds coefficients ``a`` (comparison, before), ``b`` (treated),
    ``c`` (after) and ``d`` (the effect), as :data:`NATA_TRUTH` and :data:`FOTOSYNTES_TRUTH`.
    """
    untreated = truth["a"] + truth["b"] + truth["c"]
    return float(expit(untreated + truth["d"]) - expit(untreated))


# Fotosyntes truth: logit P(child-welfare report during the school year)
FOTOSYNTES_TRUTH = {
    "a": float(logit(0.30)),
    "b": float(logit(0.40) - logit(0.30)),
    "c": 0.0,
    "d": -0.6,
}


def fotosyntes(
    seed: int = 20130301, *, n_treated: int = 60, n_comparison: int = 90
) -> pd.DataFrame:
    """Children in school years 4–6 at risk, with or without a "livsledsagare", before and after.

    Outcomes: a child-welfare report (orosanmälan) during the school year, and reaching the
    knowledge requirements in all subjects. Same copula construction as :func:`nata`.
    """
    rng = np.random.default_rng(seed)
    treated = np.r_[np.ones(n_treated, int), np.zeros(n_comparison, int)]
    n = treated.size
    z = rng.multivariate_normal([0, 0], [[1, 0.5], [0.5, 1]], size=n)
    grade = rng.choice([4, 5, 6], n)
    t = FOTOSYNTES_TRUTH
    rows = []
    for k, period in enumerate(["pre", "post"]):
        post = int(period == "post")
        eta = t["a"] + t["b"] * treated + t["c"] * post + t["d"] * treated * post
        report = (norm.cdf(z[:, k]) < expit(eta)).astype(int)
        goals = rng.binomial(1, np.where(report == 1, 0.55, 0.75))
        rows.append(
            pd.DataFrame(
                {
                    "child_id": [f"F{i + 1:04d}" for i in range(n)],
                    "grade": grade,
                    "treated": treated,
                    "period": period,
                    "welfare_report": report,
                    "goals_met": goals,
                }
            )
        )
    return pd.concat(rows, ignore_index=True)


# Star for Life truth: well-being (0–50 scale) rises by a site-specific effect
STAR_TRUTH = {"effect_mean": 2.0, "effect_sd_between_sites": 1.0, "sd_pupil": 8.0}
STAR_SITES = ("Ale", "Partille", "Söderköping")


def star_for_life(seed: int = 20120901, *, pupils_per_arm: int = 60) -> pd.DataFrame:
    """Pupils in year 8 in three municipalities, Star for Life schools against comparison schools.

    Outcome: a well-being score (0–50) before and after the school year. Each municipality has
    its own true effect, drawn around the common mean; the truths are stored in the data's
    ``site_true_effect`` column so that tests can check recovery of each site.
    """
    rng = np.random.default_rng(seed)
    t = STAR_TRUTH
    site_effect = rng.normal(t["effect_mean"], t["effect_sd_between_sites"], len(STAR_SITES))
    rows = []
    for s, site in enumerate(STAR_SITES):
        level = rng.normal(30, 2)
        for arm in (0, 1):
            ids = [f"S{s}{arm}{i:03d}" for i in range(pupils_per_arm)]
            pupil = rng.normal(0, t["sd_pupil"] * 0.7, pupils_per_arm)
            for period in ("pre", "post"):
                post = int(period == "post")
                mean = level + 1.5 * arm + 0.5 * post + site_effect[s] * arm * post
                noise = rng.normal(0, t["sd_pupil"] * 0.7, pupils_per_arm)
                score = np.clip(np.round(mean + pupil + noise), 0, 50).astype(int)
                rows.append(
                    pd.DataFrame(
                        {
                            "pupil_id": ids,
                            "municipality": site,
                            "treated": arm,
                            "period": period,
                            "wellbeing": score,
                            "site_true_effect": round(float(site_effect[s]), 4),
                        }
                    )
                )
    return pd.concat(rows, ignore_index=True)


# MiniMili truth: monthly new social-services interventions for substance abuse, ages 16–25
MINIMILI_TRUTH = {
    "log_rate": float(np.log(18.0 / 10_000)),  # per person-month before the start
    "trend": 0.002,  # per month
    "level_change": -0.35,  # at the start (January 2014)
    "slope_change": -0.006,  # per month after the start
    "dispersion": 20.0,  # negative binomial alpha
}


def minimili(seed: int = 20140101) -> pd.DataFrame:
    """A monthly series 2011–2017: new interventions for substance abuse among people aged 16–25.

    An interrupted time series with a change in level and slope when MiniMili starts in
    January 2014; the exposure is the municipality's population aged 16–25 (person-months).
    """
    rng = np.random.default_rng(seed)
    t = MINIMILI_TRUTH
    months = pd.period_range("2011-01", "2017-12", freq="M")
    time = np.arange(len(months))
    start = int(np.flatnonzero(months == pd.Period("2014-01", freq="M"))[0])
    after = (time >= start).astype(int)
    population = np.round(3_400 + 4 * time + rng.normal(0, 15, time.size)).astype(int)
    log_mu = (
        t["log_rate"]
        + t["trend"] * time
        + t["level_change"] * after
        + t["slope_change"] * after * (time - start)
    )
    mu = population * np.exp(log_mu)
    alpha = t["dispersion"]
    placements = rng.negative_binomial(alpha, alpha / (alpha + mu))
    return pd.DataFrame(
        {
            "month": months.astype(str),
            "time": time,
            "population_16_25": population,
            "interventions": placements,
        }
    )


DATASETS = {
    "nata_followup_synthetic.csv": nata,
    "fotosyntes_followup_synthetic.csv": fotosyntes,
    "star_for_life_followup_synthetic.csv": star_for_life,
    "minimili_monthly_synthetic.csv": minimili,
}


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
