"""The appraisal commands: ``run``, ``fit``, ``simulate``, ``report``, ``validate``, ``demo``.

Each calls the function the Python API exposes for the same job (``run`` and ``simulate`` call
:func:`simpact.pipeline.run`, ``fit`` calls :func:`simpact.fit_effects`), so ``--seed S`` gives
the numbers of ``random_seed=S``. The modelling stack is imported inside each command.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from simpact.base.constants import DEFAULT_SEED
from simpact.base.errors import SimpactError
from simpact.cli.app import (
    DataOpt,
    DrawsOpt,
    ForceOpt,
    Lang,
    LangOpt,
    ModelArg,
    OutOpt,
    QuietOpt,
    SeedOpt,
    SheetOpt,
    app,
    out,
)
from simpact.cli.console import (
    STAGES,
    pipeline_stages,
    print_files,
    print_summary,
    showing,
    stage,
)


def _target(model: str, out_dir: Path | None) -> Path:
    return out_dir or Path("out") / Path(model).stem


def _appraise(model: str, *, out_dir: Path, seed: int, lang: str, quiet: bool, **given) -> None:
    from simpact.pipeline import run as run_pipeline

    start = time.perf_counter()
    done = run_pipeline(
        model,
        out=out_dir,
        random_seed=seed,
        lang=lang,
        progress=showing(quiet),
        stage=pipeline_stages(model, quiet, lang),
        **given,
    )
    print_summary(done.sim, done.summary, lang)
    print_files(done.files, out_dir, start, lang)


@app.command()
def run(
    model: ModelArg,
    data: DataOpt = None,
    sheet: SheetOpt = None,
    out_dir: OutOpt = None,
    draws: DrawsOpt = None,
    seed: SeedOpt = DEFAULT_SEED,
    lang: LangOpt = Lang.en,
    quiet: QuietOpt = False,
) -> None:
    """Do a whole appraisal: fit the effect, simulate savings, apply the fund, write the report.

    Writes results.nc, summary tables (.csv and .xlsx), figures and report.html / report.md.
    """
    _appraise(
        model,
        out_dir=_target(model, out_dir),
        seed=seed,
        lang=lang.value,
        quiet=quiet,
        data=data,
        sheet=sheet,
        draws=draws,
    )


@app.command()
def fit(
    model: ModelArg,
    data: DataOpt = None,
    sheet: SheetOpt = None,
    out_dir: OutOpt = None,
    seed: SeedOpt = DEFAULT_SEED,
    quiet: QuietOpt = False,
) -> None:
    """Only estimate the effect: write the posterior (posterior.nc) and a diagnostics table.

    Stops with exit status 2 if the sampler did not converge. Pass posterior.nc to
    `simpact simulate --posterior` (with the same --seed, the numbers equal `simpact run`'s).
    """
    from simpact.base import folders, storage
    from simpact.config import load_model
    from simpact.data import load_followup
    from simpact.effects import fit_effects
    from simpact.report import diagnostics_table, write_tables

    start = time.perf_counter()
    target = _target(model, out_dir)
    with folders.claim(target):
        with stage(f"Reading {model} and its data", quiet):
            spec = load_model(model)
            table = load_followup(spec if data is None else data, spec=spec, sheet=sheet)
        with pipeline_stages(model, quiet)("fit"):
            post = fit_effects(spec, table, random_seed=seed, progress=showing(quiet))
        with stage("Writing the posterior and the diagnostics", quiet):
            diag = diagnostics_table(post)
            with folders.staged(target) as tmp:
                storage.save(post, tmp / "posterior.nc")
                write_tables({"diagnostics": diag}, tmp, xlsx="diagnostics.xlsx")
    files = {
        "posterior": target / "posterior.nc",
        "diagnostics": target / "diagnostics.csv",
        "xlsx": target / "diagnostics.xlsx",
    }
    _print_diagnostics(spec, post, diag)
    print_files(files, target, start)


def _print_diagnostics(spec, post, diag) -> None:
    from simpact.effects import ESS_MIN, RHAT_MAX

    shown = Table(title=f"{spec.intervention.name}: {spec.effect.design}")
    for column in ("parameter", "mean", "sd", "90 % interval", "R-hat", "ESS bulk", "ESS tail"):
        shown.add_column(column)
    cols = list(diag.columns)
    for name, row in diag.iterrows():
        shown.add_row(
            str(name),
            f"{row['mean']:.3f}",
            f"{row['sd']:.3f}",
            f"{row[cols[2]]:.3f} – {row[cols[3]]:.3f}",
            f"{row['r_hat']:.3f}",
            f"{row['ess_bulk']:.0f}",
            f"{row['ess_tail']:.0f}",
        )
    out.print(shown)
    out.print(
        f"Converged: R-hat {post.attrs['rhat_max']:.3f} (≤ {RHAT_MAX}), ESS "
        f"{min(post.attrs['ess_bulk_min'], post.attrs['ess_tail_min']):.0f} (≥ {ESS_MIN}), "
        f"{int(post.attrs['divergences'])} divergences."
    )


@app.command()
def simulate(
    model: ModelArg,
    posterior: Annotated[
        Path | None,
        typer.Option(
            "--posterior",
            help="A posterior.nc from `simpact fit`, or a results.nc (its fit) (default: fit now).",
        ),
    ] = None,
    data: DataOpt = None,
    sheet: SheetOpt = None,
    out_dir: OutOpt = None,
    draws: DrawsOpt = None,
    seed: SeedOpt = DEFAULT_SEED,
    lang: LangOpt = Lang.en,
    quiet: QuietOpt = False,
    force: ForceOpt = False,
) -> None:
    """Simulate savings, the fund and the decision summary from a saved effect posterior.

    Writes the same files as `simpact run`. A posterior fitted for another effect model or to
    other data is refused (exit status 2) unless --force is given.
    """
    given = {"data": data, "sheet": sheet, "draws": draws, "force": force}
    if posterior is not None:
        given["posterior"] = _read_posterior(posterior)
    _appraise(
        model, out_dir=_target(model, out_dir), seed=seed, lang=lang.value, quiet=quiet, **given
    )


def _read_tree(path: Path, what: str, *, needs: str | None):
    from simpact.base import storage

    if not path.is_file():
        raise SimpactError("file not found", source=path)
    try:
        tree = storage.load(path)
    except (OSError, ValueError) as exc:
        raise SimpactError(f"not a simpact {what} file (netCDF): {exc}", source=path) from None
    if needs is not None and needs not in tree.children:
        raise SimpactError(f"not a simpact {what} file: it has no '{needs}' group", source=path)
    return tree


def _read_posterior(path: Path):
    """A posterior file, or the fit saved inside a results file (``attrs["loaded_from"]``)."""
    tree = _read_tree(path, "posterior", needs=None)
    tree = tree["fit"] if "fit" in tree.children else tree
    if "posterior" not in tree.children:
        raise SimpactError("not a simpact posterior file: it has no 'posterior' group", source=path)
    tree.attrs["loaded_from"] = str(path)
    return tree


def _check_results(sim, path: Path, force: bool) -> None:
    """Refuse results whose effect fit belongs to another model than their spec (or warn)."""
    from simpact.base.provenance import Provenance, model_mismatch

    made, fitted = Provenance.read(sim), None
    if "fit" in sim.children:
        fitted = Provenance.read(sim["fit"])
    if made is None or fitted is None:
        return
    reason = model_mismatch(fitted, made.spec)
    if reason is None:
        return
    if not force:
        raise SimpactError(
            f"these results mix models: their effect fit {reason}; pass --force to report anyway",
            source=path,
        )
    notes = list(sim.attrs.get("warnings", []))
    if not any(str(n).startswith("forced:") for n in notes):
        sim.attrs["warnings"] = [f"forced: the effect fit does not belong to this model: {reason}"]
        sim.attrs["warnings"] += notes


@app.command()
def report(
    results_file: Annotated[Path, typer.Argument(help="A results.nc written by `simpact run`.")],
    out_dir: Annotated[
        Path | None, typer.Option("--out", help="Folder to write into (default: beside RESULTS).")
    ] = None,
    lang: LangOpt = Lang.en,
    quiet: QuietOpt = False,
    force: ForceOpt = False,
) -> None:
    """Write the report again from saved results, e.g. in the other language.

    Nothing is re-estimated: every number comes from the saved draws.
    """
    from simpact.base import folders
    from simpact.decision import summarize
    from simpact.report import write_report

    start = time.perf_counter()
    target = out_dir or results_file.parent
    with stage(STAGES[lang.value]["read_results"].format(path=results_file), quiet):
        sim = _read_tree(results_file, "results", needs="cashflows")
        for group in ("fund", "inputs"):
            if group not in sim.children:
                raise SimpactError(
                    f"not a complete simpact results file: no '{group}' group", source=results_file
                )
        _check_results(sim, results_file, force)
    with folders.claim(target), stage(STAGES[lang.value]["write_report"], quiet):
        summary = summarize(sim, lang=lang.value)
        files = write_report(sim, summary, target, lang=lang.value)  # the folder is swapped whole
    print_summary(sim, summary, lang.value)
    print_files(files, target, start, lang.value)


@app.command()
def validate(
    paths: Annotated[
        list[Path], typer.Argument(help="Model specs and priors files, or folders of them.")
    ],
) -> None:
    """Check model specs (and the data they name) and priors files without fitting anything.

    Every file is checked and reported on its own line; the exit status is 2 if any failed.
    """
    from simpact.config import load_model, toml_files, validate_file
    from simpact.data import load_followup

    files = toml_files(*paths)
    if not files:
        raise SimpactError("no .toml files found", source=", ".join(map(str, paths)))
    failed = 0
    for file in files:
        read_as = ""
        try:
            kind = validate_file(file)
            if kind == "model":
                spec = load_model(file)
                if spec.data_path is not None:
                    read_as = load_followup(spec).attrs.get("read_as", "")
        except SimpactError as exc:
            failed += 1
            out.print(f"error  {exc}", highlight=False, markup=False, soft_wrap=True)
            continue
        data = f"  (data read as {read_as})" if read_as else ""
        out.print(f"ok     {kind:<15} {file}{data}", highlight=False, markup=False)
    if failed:
        raise SimpactError(f"{failed} of {len(files)} files failed the checks", source="validate")


@app.command()
def demo(
    out_dir: Annotated[Path, typer.Option("--out", help="Folder for results and report.")] = Path(
        "out/nata"
    ),
    seed: SeedOpt = DEFAULT_SEED,
    lang: LangOpt = Lang.en,
    quiet: QuietOpt = False,
) -> None:
    """Appraise the bundled NÄTA example (synthetic data) and write its results and report."""
    _appraise("nata", out_dir=out_dir, seed=seed, lang=lang.value, quiet=quiet)
