"""The whole appraisal: spec -> data -> effect fit -> cash flows -> fund -> summary -> report.

:func:`simulate` joins the simulation and fund stages and stamps provenance on the result;
:func:`run` does everything from a spec path and is what ``simpact run`` and ``simpact demo``
call. One integer seed at the top is split into named streams (``fit``, ``simulate``), so
changing the simulation never shifts the effect draws, and vice versa.
"""

from __future__ import annotations

import hashlib
import platform
import sys
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import xarray as xr

from simpact.base import rng
from simpact.base.version import __version__
from simpact.config import priors
from simpact.config.loading import load_model
from simpact.config.spec import ModelSpec
from simpact.data import load_followup
from simpact.decision.summary import Summary, summarize
from simpact.effects import fit_effects
from simpact.fund.ledger import apply_fund
from simpact.simulation import simulate_cashflows

DEFAULT_SEED = 20251123
"""Seed used by ``simpact demo`` and ``simpact run`` when none is given."""


def _priors_sha256() -> str:
    """One hash over every priors file read: the bundled folder and any user folders."""
    h = hashlib.sha256()
    for folder in priors.priors_path():
        for path in sorted(folder.glob("*.toml")):
            h.update(path.name.encode())
            h.update(path.read_bytes())
    return h.hexdigest()


def simulate(
    spec: ModelSpec,
    posterior: xr.DataTree | None,
    *,
    random_seed: rng.SeedLike = None,
    draws: int | None = None,
) -> xr.DataTree:
    """Simulate cash flows per actor and year and apply the fund rules.

    Parameters
    ----------
    spec
        The validated spec.
    posterior
        The effect fit from :func:`simpact.fit_effects`, or ``None`` when every outcome takes
        its effect from an ``effect_prior`` (then ``draws`` is required).
    random_seed
        Seed for the uncertain inputs (and resampling, if ``draws`` is given).
    draws
        Monte Carlo iterations (default: one per posterior draw).

    Returns
    -------
    xarray.DataTree
        Groups ``effects``, ``inputs``, ``avoided``, ``cashflows``, ``fund`` and ``fit`` (the
        posterior), with provenance in the root ``attrs``: simpact version, seed, spec, data
        and priors hashes, Python and platform.
    """
    spec = load_model(spec)
    seed = rng.seed_sequence(random_seed)
    sim = simulate_cashflows(spec, posterior, random_seed=seed, draws=draws)
    sim = apply_fund(sim, spec.fund, horizon=spec.fund_horizon)
    fit_attrs = {} if posterior is None else posterior.attrs
    if posterior is not None:
        sim["fit"] = posterior
    sim.attrs.update(
        simpact_version=__version__,
        spec=spec.to_json(),
        spec_source=spec.source,
        data_sha256=fit_attrs.get("data_sha256", ""),
        data_source=fit_attrs.get("data_source", ""),
        data_synthetic=spec.data.synthetic,
        priors_sha256=_priors_sha256(),
        python=sys.version.split()[0],
        platform=platform.platform(),
    )
    return sim


@dataclass(frozen=True)
class Appraisal:
    """The outputs of :func:`run`: the results tree, the summary and the files written."""

    sim: xr.DataTree
    summary: Summary
    files: dict[str, Path]


def run(
    model: ModelSpec | str | Path | dict,
    *,
    data: str | Path | pd.DataFrame | None = None,
    out: str | Path | None = None,
    random_seed: int = DEFAULT_SEED,
    draws: int | None = None,
    lang: str = "en",
    progress: bool | None = None,
) -> Appraisal:
    """Run a whole appraisal from a spec and (optionally) write results and a report.

    Parameters
    ----------
    model
        Spec path, bundled model name (``"nata"``), dict or ``ModelSpec``.
    data
        Follow-up data replacing the spec's ``[data] path``.
    out
        Folder for ``results.nc``, ``summary.csv``, ``report.md``, ``report.html`` and
        ``figures/``; nothing is written if ``None``.
    random_seed
        One integer for the whole run, split into independent streams per stage.
    draws
        Monte Carlo iterations (default: one per posterior draw).
    lang
        Report language, ``"en"`` or ``"sv"``.
    progress
        Show a sampling progress bar (default: only on a terminal).
    """
    spec = load_model(model)
    table = load_followup(spec) if data is None else load_followup(data, spec=spec)
    seed = rng.seed_sequence(random_seed)
    post = fit_effects(spec, table, random_seed=rng.child(seed, "fit"), progress=progress)
    sim = simulate(spec, post, random_seed=rng.child(seed, "simulate"), draws=draws)
    sim.attrs["random_seed"] = int(random_seed)
    summary = summarize(sim, lang=lang)
    files: dict[str, Path] = {}
    if out is not None:
        from simpact.report import write_report

        files = write_report(sim, summary, out, lang=lang)
    return Appraisal(sim=sim, summary=summary, files=files)
