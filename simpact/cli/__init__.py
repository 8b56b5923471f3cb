"""The ``simpact`` command line.

``simpact run`` does a whole appraisal; ``fit`` and ``simulate`` do its two halves (with the
same seeds, so ``fit`` then ``simulate`` gives the numbers ``run`` gives); ``report`` rewrites a
report from saved results; ``validate`` checks specs; ``demo`` runs the bundled example; ``new``
starts a spec. Exit status 0 on success, 2 on bad input (a malformed or inconsistent spec, a bad
data table, a model that did not converge, a wrong option) with one line naming the file and
field, never a traceback. A genuine bug still shows its traceback.
"""

from __future__ import annotations

import re
import sys
import time
import tomllib
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from simpact.base import i18n
from simpact.base.errors import SimpactError, SpecError

try:  # typer >= 0.16 vendors click
    from typer._click.exceptions import NoArgsIsHelpError, UsageError
except ImportError:  # pragma: no cover - older typer on the click package
    from click.exceptions import NoArgsIsHelpError, UsageError

app = typer.Typer(
    help=(
        "Bayesian impact and risk modelling of social investments: estimate an intervention's "
        "effect from follow-up data, simulate savings per paying actor and year, apply the "
        "fund's repayment rules and write a decision-paper report (Swedish or English)."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
err = Console(stderr=True)
out = Console()

HEADERS = {
    "en": ("Quantity", "For", "Mean", "90 % interval"),
    "sv": ("Storhet", "För", "Medel", "90 % intervall"),
}
DEFAULT_SEED = 20251123
"""Seed used when none is given (the same as :data:`simpact.pipeline.DEFAULT_SEED`)."""


class Lang(StrEnum):
    en = "en"
    sv = "sv"


ModelArg = Annotated[
    str,
    typer.Argument(
        help=(
            "The model spec: a TOML file, or the name of a bundled model (nata, fotosyntes, "
            "star_for_life, minimili)."
        )
    ),
]
DataOpt = Annotated[
    Path | None,
    typer.Option(
        "--data", help="Follow-up data (CSV, Excel .xlsx or Parquet) instead of the spec's."
    ),
]
OutOpt = Annotated[
    Path | None, typer.Option("--out", help="Folder to write into (default: out/<model name>).")
]
SeedOpt = Annotated[
    int, typer.Option("--seed", min=0, help="One whole number that fixes every random draw.")
]
LangOpt = Annotated[Lang, typer.Option("--lang", help="Language of the report and summary.")]
DrawsOpt = Annotated[
    int | None,
    typer.Option(
        "--draws", min=1, help="Monte Carlo iterations (default: one per posterior draw)."
    ),
]
QuietOpt = Annotated[
    bool, typer.Option("--quiet", "-q", help="No progress bars or messages, only the storage.")
]


def _showing(quiet: bool) -> bool:
    """Progress is shown only on a terminal and without --quiet."""
    return not quiet and err.is_terminal


@contextmanager
def _stage(text: str, quiet: bool):
    """A spinner with elapsed time while a stage runs (silent off a terminal or with --quiet)."""
    if not _showing(quiet):
        yield
        return
    start = time.perf_counter()
    with err.status(f"{text}…"):
        yield
    err.print(f"[green]✓[/green] {text} ({time.perf_counter() - start:.1f} s)", highlight=False)


def _print_summary(sim, summary, lang: str) -> None:
    table = Table(title=sim.attrs.get("intervention_name", ""), show_lines=False)
    for column in HEADERS[lang]:
        table.add_column(column)
    rows = [
        ("npv", "total", "msek"),
        ("p_npv_positive", "total", "pct"),
        ("p_full_on_schedule", "fund", "pct"),
        ("p_full_by_horizon", "fund", "pct"),
        ("expected_shortfall", "fund", "msek"),
        ("p_payback", "total", "pct"),
    ]
    fmt = {"msek": lambda v: i18n.msek(v, lang), "pct": lambda v: i18n.percent(v, lang)}
    for metric, scope, kind in rows:
        if (metric, scope) not in summary.table.index:
            continue
        r = summary.table.loc[(metric, scope)]
        f = fmt[kind]
        table.add_row(
            i18n.WORDS[lang][metric],
            i18n.WORDS[lang].get(scope, scope),
            f(r["mean"]),
            f"{f(r['lower'])} – {f(r['upper'])}",
        )
    out.print(table)
    for sentence in summary.text:
        out.print(f"• {sentence}", highlight=False)
    if sim.attrs.get("data_synthetic"):
        out.print(f"[bold]{i18n.WORDS[lang]['synthetic']}[/bold]")


def _print_files(files: dict[str, Path], folder: Path, start: float) -> None:
    out.print(
        f"\nWrote {len(files)} files to {folder}/ in {time.perf_counter() - start:.1f} s:",
        highlight=False,
    )
    for path in files.values():
        out.print(f"  {path}", highlight=False)


def _target(model: str, out_dir: Path | None) -> Path:
    return out_dir or Path("out") / Path(model).stem


def _load(model: str, data: Path | None):
    from simpact.config.loading import load_model
    from simpact.data import load_followup

    spec = load_model(model)
    table = load_followup(spec) if data is None else load_followup(data, spec=spec)
    return spec, table


def _fit(spec, table, seed: int, quiet: bool):
    from simpact.base import rng
    from simpact.effects import fit_effects

    if _showing(quiet):
        err.print(f"Fitting the effect model ({spec.effect.design}) by MCMC…", highlight=False)
    return fit_effects(
        spec, table, random_seed=rng.child(rng.seed_sequence(seed), "fit"), progress=_showing(quiet)
    )


def _simulate_and_report(
    spec, post, *, seed: int, draws: int | None, lang: str, out_dir: Path, quiet: bool, start: float
) -> None:
    from simpact.base import rng
    from simpact.decision.summary import summarize
    from simpact.pipeline import simulate
    from simpact.report import write_report

    with _stage("Simulating savings, the fund and the decision summary", quiet):
        sim = simulate(
            spec, post, random_seed=rng.child(rng.seed_sequence(seed), "simulate"), draws=draws
        )
        sim.attrs["random_seed"] = int(seed)
        summary = summarize(sim, lang=lang)
    with _stage("Writing results, tables, figures and the report", quiet):
        files = write_report(sim, summary, out_dir, lang=lang)
    _print_summary(sim, summary, lang)
    _print_files(files, out_dir, start)


def _appraise(
    model: str,
    *,
    data: Path | None,
    out_dir: Path,
    seed: int,
    draws: int | None,
    lang: str,
    quiet: bool,
) -> None:
    start = time.perf_counter()
    with _stage(f"Reading {model} and its data", quiet):
        spec, table = _load(model, data)
    post = _fit(spec, table, seed, quiet)
    _simulate_and_report(
        spec, post, seed=seed, draws=draws, lang=lang, out_dir=out_dir, quiet=quiet, start=start
    )


@app.command()
def run(
    model: ModelArg,
    data: DataOpt = None,
    out_dir: OutOpt = None,
    draws: DrawsOpt = None,
    seed: SeedOpt = DEFAULT_SEED,
    lang: LangOpt = Lang.en,
    quiet: QuietOpt = False,
) -> None:
    """Do a whole appraisal: fit the effect, simulate savings, apply the fund, write the report.

    Writes storage.nc, summary tables (.csv and .xlsx), figures and report.html / report.md.
    """
    _appraise(
        model,
        data=data,
        out_dir=_target(model, out_dir),
        seed=seed,
        draws=draws,
        lang=lang.value,
        quiet=quiet,
    )


@app.command()
def fit(
    model: ModelArg,
    data: DataOpt = None,
    out_dir: OutOpt = None,
    seed: SeedOpt = DEFAULT_SEED,
    quiet: QuietOpt = False,
) -> None:
    """Only estimate the effect: write the posterior (posterior.nc) and a diagnostics table.

    Stops with exit status 2 if the sampler did not converge. Pass posterior.nc to
    `simpact simulate --posterior` (with the same --seed, the numbers equal `simpact run`'s).
    """
    from simpact.base import storage
    from simpact.effects import ESS_MIN, RHAT_MAX
    from simpact.report import diagnostics_table, write_tables

    start = time.perf_counter()
    target = _target(model, out_dir)
    with _stage(f"Reading {model} and its data", quiet):
        spec, table = _load(model, data)
    post = _fit(spec, table, seed, quiet)
    post.attrs.update(random_seed=int(seed), spec_source=spec.source)
    with _stage("Writing the posterior and the diagnostics", quiet):
        files = {"posterior": storage.save(post, target / "posterior.nc")}
        diag = diagnostics_table(post)
        files.update(write_tables({"diagnostics": diag}, target, xlsx="diagnostics.xlsx"))
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
    _print_files(files, target, start)


@app.command()
def simulate(
    model: ModelArg,
    posterior: Annotated[
        Path | None,
        typer.Option("--posterior", help="A posterior.nc from `simpact fit` (default: fit now)."),
    ] = None,
    data: DataOpt = None,
    out_dir: OutOpt = None,
    draws: DrawsOpt = None,
    seed: SeedOpt = DEFAULT_SEED,
    lang: LangOpt = Lang.en,
    quiet: QuietOpt = False,
) -> None:
    """Simulate savings, the fund and the decision summary from a saved effect posterior.

    Writes the same files as `simpact run`.
    """
    from simpact.config.loading import load_model

    if posterior is None:
        _appraise(
            model,
            data=data,
            out_dir=_target(model, out_dir),
            seed=seed,
            draws=draws,
            lang=lang.value,
            quiet=quiet,
        )
        return
    start = time.perf_counter()
    with _stage(f"Reading {model} and {posterior}", quiet):
        spec = load_model(model)
        post = _read_tree(posterior, "posterior", needs="posterior")
    _simulate_and_report(
        spec,
        post,
        seed=seed,
        draws=draws,
        lang=lang.value,
        out_dir=_target(model, out_dir),
        quiet=quiet,
        start=start,
    )


def _read_tree(path: Path, what: str, *, needs: str):
    from simpact.base import storage

    if not path.is_file():
        raise SimpactError("file not found", source=path)
    try:
        tree = storage.load(path)
    except (OSError, ValueError) as exc:
        raise SimpactError(f"not a simpact {what} file (netCDF): {exc}", source=path) from None
    if needs not in tree.children:
        raise SimpactError(f"not a simpact {what} file: it has no '{needs}' group", source=path)
    return tree


@app.command()
def report(
    results_file: Annotated[Path, typer.Argument(help="A storage.nc written by `simpact run`.")],
    out_dir: Annotated[
        Path | None, typer.Option("--out", help="Folder to write into (default: beside RESULTS).")
    ] = None,
    lang: LangOpt = Lang.en,
    quiet: QuietOpt = False,
) -> None:
    """Write the report again from saved results, e.g. in the other language.

    Nothing is re-estimated: every number comes from the saved draws.
    """
    from simpact.decision.summary import summarize
    from simpact.report import write_report

    start = time.perf_counter()
    with _stage(f"Reading {results_file}", quiet):
        sim = _read_tree(results_file, "results", needs="cashflows")
        for group in ("fund", "inputs"):
            if group not in sim.children:
                raise SimpactError(
                    f"not a complete simpact results file: no '{group}' group", source=results_file
                )
    target = out_dir or results_file.parent
    with _stage("Writing tables, figures and the report", quiet):
        summary = summarize(sim, lang=lang.value)
        files = write_report(
            sim,
            summary,
            target,
            lang=lang.value,
            save_results=target.resolve() != results_file.parent.resolve(),
        )
    _print_summary(sim, summary, lang.value)
    _print_files(files, target, start)


@app.command()
def validate(
    paths: Annotated[
        list[Path], typer.Argument(help="Model specs and priors files, or folders of them.")
    ],
) -> None:
    """Check model specs (and the data they name) and priors files without fitting anything."""
    from simpact.config.files import validate_paths
    from simpact.config.loading import load_model
    from simpact.data import load_followup

    checked = validate_paths(*paths)
    if not checked:
        raise SimpactError("no .toml files found", source=", ".join(map(str, paths)))
    for file, kind in checked:
        if kind == "model":
            spec = load_model(file)
            if spec.data_path is not None:
                load_followup(spec)
        out.print(f"ok  {kind:<15} {file}", highlight=False)


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
    _appraise(
        "nata", data=None, out_dir=out_dir, seed=seed, draws=None, lang=lang.value, quiet=quiet
    )


_NEW_HEADER = """\
# {name}: a new simpact model spec, made by `simpact new` from the bundled {origin}.
# Every number below is the example's and must be replaced with your own (each ASSUMPTION says
# so). Point [data] path at your follow-up table (CSV, .xlsx or .parquet), then run
#     simpact validate {file}
#     simpact run {file}
"""


def new_spec_text(name: str) -> str:
    """The text of a new model spec called ``name``, valid against :func:`simpact.load_model`.

    Copies ``models/template.toml`` when it exists, else ``models/nata.toml`` with its data path
    removed; sets ``[intervention] id`` and ``name``.

    Examples
    --------
    >>> 'id = "family_support"' in new_spec_text("Family support")
    True
    """
    from simpact.config import priors
    from simpact.config.loading import load_model

    slug = re.sub(r"[^a-z0-9]+", "_", name.strip().lower()).strip("_")
    if not re.fullmatch(r"[a-z][a-z0-9_]*", slug):
        raise SpecError(
            f"{name!r} does not make a spec id; start with a letter (a-z)", field="NAME"
        )
    models = priors.library_dir("models")
    template = models / "template.toml"
    origin = template if template.is_file() else models / "nata.toml"
    text = origin.read_text(encoding="utf-8")
    section = None
    lines = []
    for line in text.splitlines():
        header = re.match(r"^\s*\[([^\[\]]+)\]\s*(#.*)?$", line)
        if header:
            section = header.group(1).strip()
        if section == "intervention" and re.match(r"^\s*id\s*=", line):
            line = f'id = "{slug}"'
        elif section == "intervention" and re.match(r"^\s*name\s*=", line):
            line = f'name = "{name.strip()}"'
        elif section == "data" and origin.name != "template.toml":
            if re.match(r"^\s*path\s*=", line):
                line = '# path = "data/my_followup.csv"   # your follow-up table, relative to here'
            elif re.match(r"^\s*synthetic\s*=", line):
                line = "synthetic = false"
            elif re.match(r"^\s*description\s*=", line):
                line = 'description = ""'
        lines.append(line)
    header = _NEW_HEADER.format(
        name=name.strip(), origin=f"models/{origin.name}", file=f"{slug}.toml"
    )
    text = header + "\n".join(lines) + "\n"
    load_model(tomllib.loads(text))  # the copy must stay a valid spec
    return text


@app.command()
def new(
    name: Annotated[str, typer.Argument(help="Name of the intervention, e.g. 'Family support'.")],
    folder: Annotated[Path, typer.Option("--dir", help="Folder to write NAME.toml into.")] = Path(
        "."
    ),
) -> None:
    """Start a new model spec from the bundled template, ready to edit and validate."""
    from simpact.base import storage

    text = new_spec_text(name)
    slug = re.search(r'^id = "([^"]+)"', text, re.MULTILINE).group(1)
    target = folder / f"{slug}.toml"
    if target.exists():
        raise SimpactError("already exists; choose another name or --dir", source=target)
    with storage.atomic_path(target) as tmp:
        tmp.write_text(text, encoding="utf-8")
    out.print(f"Wrote {target}. Edit it, then: simpact validate {target}", highlight=False)


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the app; bad input becomes one line on stderr and exit status 2."""
    try:
        code = app(args=argv, prog_name="simpact", standalone_mode=False)
    except NoArgsIsHelpError as exc:
        exc.show()
        sys.exit(0)
    except UsageError as exc:
        hint = f" (see `{exc.ctx.command_path} --help`)" if exc.ctx is not None else ""
        err.print(
            f"simpact: error: {exc.format_message()}{hint}",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )
        sys.exit(2)
    except SimpactError as exc:
        err.print(f"simpact: error: {exc}", markup=False, highlight=False, soft_wrap=True)
        sys.exit(2)
    sys.exit(code if isinstance(code, int) else 0)
