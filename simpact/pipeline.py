"""The whole appraisal: spec -> data -> effect fit -> cash flows -> fund -> summary -> report.

:func:`simulate` joins the simulation and fund stages and stamps provenance on the result;
:func:`run` does everything from a spec and is what ``simpact run`` and ``simpact demo`` call.
Every stochastic function takes the caller's one seed and draws from its own named stream of it
(``fit``, ``simulate``), so ``run(spec, random_seed=S)`` equals ``fit_effects(..., random_seed=S)``
followed by ``simulate(..., random_seed=S)``, and each equals the command line with ``--seed S``.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import xarray as xr

from simpact.base import folders, rng
from simpact.base.constants import DEFAULT_SEED
from simpact.base.errors import SpecError
from simpact.base.provenance import Provenance, model_mismatch
from simpact.config.loading import load_model
from simpact.config.priors import priors_sha256
from simpact.config.spec import ModelSpec
from simpact.data.reading import load_followup
from simpact.decision.honesty import check_draws, draws_warning
from simpact.decision.summary import Summary, summarize
from simpact.effects import check_effect_model, fit_effects
from simpact.fund.ledger import apply_fund
from simpact.simulation import simulate_cashflows
from simpact.simulation.memory import check_memory


def simulate(
    spec: ModelSpec | str | Path | dict,
    posterior: xr.DataTree | None,
    *,
    random_seed: rng.SeedLike = None,
    draws: int | None = None,
) -> xr.DataTree:
    """Simulate cash flows per actor and year and apply the fund rules.

    Parameters
    ----------
    spec
        The validated spec (or anything :func:`simpact.load_model` reads).
    posterior
        The effect fit from :func:`simpact.fit_effects`, or ``None`` when every outcome takes
        its effect from an ``effect_prior`` (then ``draws`` is required).
    random_seed
        The run's seed; the simulation draws from its ``simulate`` stream, so the same seed gives
        the numbers of ``simpact simulate --seed`` and of :func:`run`.
    draws
        Monte Carlo iterations (default: one per posterior draw).

    Returns
    -------
    xarray.DataTree
        Groups ``effects``, ``inputs``, ``avoided``, ``cashflows``, ``fund`` and ``fit`` (the
        posterior), with its :class:`~simpact.base.provenance.Provenance` in the root ``attrs``.
    """
    spec = load_model(spec)
    fitted = Provenance.read(posterior) if posterior is not None else None
    prov, seq = Provenance.of_seed(
        random_seed,
        "simulate",
        spec=spec.to_json(),
        spec_source=spec.source,
        data_sha256=fitted.data_sha256 if fitted else "",
        data_source=fitted.data_source if fitted else "",
        data_synthetic=spec.data.synthetic,
        priors_sha256=priors_sha256(),
    )
    check_memory(spec, iterations(spec, posterior, draws))
    sim = simulate_cashflows(spec, posterior, random_seed=seq, draws=draws)
    sim = apply_fund(sim, spec.fund, horizon=spec.fund_horizon)
    if posterior is not None:
        sim["fit"] = posterior
    prov.write(sim)
    notes = list(posterior.attrs.get("data_warnings", [])) if posterior is not None else []
    notes += filter(None, [draws_warning(iterations(spec, posterior, draws))])
    if notes:
        sim.attrs["warnings"] = notes
    return sim


def check_posterior(
    spec: ModelSpec,
    posterior: xr.DataTree,
    data: str | Path | pd.DataFrame | None = None,
    *,
    force: bool = False,
) -> str | None:
    """Refuse a posterior fitted for another effect model or other data.

    The data compared are ``data`` if given, else the spec's ``[data] path`` if the file exists.
    With ``force`` nothing is refused and the reason comes back as the report's warning.
    """
    fitted = Provenance.read(posterior)
    if fitted is None:
        return None
    table = None
    if data is not None:
        table = load_followup(data, spec=spec)
    elif spec.data_path is not None and Path(spec.data_path).is_file():
        table = load_followup(spec)
    sha = table.attrs["sha256"] if table is not None else ""
    reason = model_mismatch(fitted, spec.to_json(), sha)
    if reason is None:
        return None
    source = str(posterior.attrs.get("loaded_from", "posterior"))
    if not force:
        raise SpecError(
            f"this posterior does not belong to {spec.intervention.id!r}: {reason}; fit this "
            "model (simpact fit), or pass --force to use it anyway",
            source=source,
        )
    return f"forced: the effect posterior ({source}) does not belong to this model: {reason}"


def iterations(spec: ModelSpec, posterior: xr.DataTree | None, draws: int | None) -> int:
    """The number of Monte Carlo iterations a simulation will have (known before it starts).

    ``draws`` if given, else the spec's ``simulation.draws``, else one per posterior draw (of
    ``posterior``, or of the fit the spec's sampling settings will make).
    """
    draws = draws if draws is not None else spec.simulation.draws
    if draws is not None:
        return int(draws)
    if posterior is not None:
        post = posterior["posterior"] if "posterior" in posterior.children else posterior
        return int(post.sizes.get("chain", 1) * post.sizes.get("draw", 1))
    return int(spec.effect.sampling.draws * spec.effect.sampling.chains)


@dataclass(frozen=True)
class Appraisal:
    """The outputs of :func:`run`: the results tree, the summary and the files written."""

    sim: xr.DataTree
    summary: Summary
    files: dict[str, Path]


Stage = Callable[[str], AbstractContextManager]
"""Called with each stage's name (``"read"``, ``"fit"``, ``"simulate"``, ``"write"``) around
its work, e.g. to show progress; the command line passes one that prints in the chosen language."""


def _silent(name: str) -> AbstractContextManager:
    return nullcontext()


def run(
    model: ModelSpec | str | Path | dict,
    *,
    data: str | Path | pd.DataFrame | None = None,
    sheet: str | None = None,
    posterior: xr.DataTree | None = None,
    out: str | Path | None = None,
    random_seed: int = DEFAULT_SEED,
    draws: int | None = None,
    lang: str = "en",
    progress: bool | None = None,
    stage: Stage = _silent,
    force: bool = False,
) -> Appraisal:
    """Run a whole appraisal from a spec and (optionally) write results and a report.

    Parameters
    ----------
    model
        Spec path, bundled model name (``"nata"``), dict or ``ModelSpec``.
    data
        Follow-up data replacing the spec's ``[data] path``.
    sheet
        The sheet of an .xlsx workbook (default the spec's ``[data] sheet``).
    posterior
        A saved effect fit (from :func:`simpact.fit_effects` or ``simpact fit``): the fit is
        skipped and the simulation uses it.
    out
        Folder for ``results.nc``, ``summary.csv``, ``report.md``, ``report.html`` and
        ``figures/``; nothing is written if ``None``. It is checked (and locked against a second
        run) before anything else, and swapped in whole at the end (see
        :mod:`simpact.base.folders`).
    random_seed
        One integer for the whole run; the fit and the simulation draw from its named streams.
    draws
        Monte Carlo iterations (default: one per posterior draw).
    lang
        Report language, ``"en"`` or ``"sv"``.
    progress
        Show a sampling progress bar (default: only on a terminal).
    stage
        Called around each stage (see :data:`Stage`).
    force
        Use a ``posterior`` even if it was fitted for another effect model or other data (see
        :func:`check_posterior`); the report then says so.
    """
    with folders.claim(out) if out is not None else nullcontext():  # before any long work
        with stage("read"):
            spec = load_model(model)
            if posterior is None:
                check_effect_model(spec)
            planned = iterations(spec, posterior, draws)
            check_draws(planned, source="--draws" if draws is not None else spec.source)
            check_memory(spec, planned)
            table, forced = None, None
            if posterior is None:
                table = load_followup(spec if data is None else data, spec=spec, sheet=sheet)
            else:
                forced = check_posterior(spec, posterior, data, force=force)
        if posterior is None:
            with stage("fit"):
                posterior = fit_effects(spec, table, random_seed=random_seed, progress=progress)
        with stage("simulate"):
            sim = simulate(spec, posterior, random_seed=random_seed, draws=draws)
            if forced:
                sim.attrs["warnings"] = [forced, *sim.attrs.get("warnings", [])]
            summary = summarize(sim, lang=lang)
        files: dict[str, Path] = {}
        if out is not None:
            from simpact.report import write_report

            with stage("write"):
                files = write_report(sim, summary, out, lang=lang)
    return Appraisal(sim=sim, summary=summary, files=files)
