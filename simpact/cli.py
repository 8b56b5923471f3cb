"""The ``simpact`` command line.

Exit status 0 on success, 2 on bad input (a malformed or inconsistent spec, a bad data table, a
model that did not converge) with one line naming the file and field, never a traceback.
"""

from __future__ import annotations

import sys
import time
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from simpact import i18n
from simpact.errors import SimpactError

app = typer.Typer(
    help="Bayesian impact and risk modelling of social investments.",
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


class Lang(StrEnum):
    en = "en"
    sv = "sv"


SeedOpt = Annotated[int, typer.Option("--seed", help="One integer seed for the whole run.")]
LangOpt = Annotated[Lang, typer.Option("--lang", help="Report language.")]
DrawsOpt = Annotated[
    int | None, typer.Option("--draws", min=1, help="Monte Carlo iterations (default: posterior draws).")
]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="No progress output.")]


def _print_summary(appraisal, lang: str) -> None:
    summary = appraisal.summary
    table = Table(title=appraisal.sim.attrs.get("intervention_name", ""), show_lines=False)
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
        r = summary.table.loc[(metric, scope)]
        f = fmt[kind]
        table.add_row(i18n.WORDS[lang][metric], i18n.WORDS[lang].get(scope, scope), f(r["mean"]),
                      f"{f(r['lower'])} – {f(r['upper'])}")
    out.print(table)
    for sentence in summary.text:
        out.print(f"• {sentence}")
    if appraisal.sim.attrs.get("data_synthetic"):
        out.print(f"[bold]{i18n.WORDS[lang]['synthetic']}[/bold]")


def _appraise(model: str, *, data: Path | None, out_dir: Path, seed: int, draws: int | None,
              lang: str, quiet: bool) -> None:
    from simpact.pipeline import run

    start = time.perf_counter()
    if not quiet:
        err.print(f"simpact: appraising {model} (seed {seed}); fitting the effect model…")
    appraisal = run(model, data=data, out=out_dir, random_seed=seed, draws=draws, lang=lang,
                    progress=None if not quiet else False)
    _print_summary(appraisal, lang)
    out.print(f"\nWrote {len(appraisal.files)} files to {out_dir}/ in "
              f"{time.perf_counter() - start:.1f} s:")
    for path in appraisal.files.values():
        out.print(f"  {path}")


@app.command()
def demo(
    out_dir: Annotated[Path, typer.Option("--out", help="Folder for results and report.")] = Path("out/nata"),
    seed: SeedOpt = 20251123,
    lang: LangOpt = Lang.en,
    quiet: QuietOpt = False,
) -> None:
    """Appraise the bundled NÄTA example (synthetic data) and write its results and report."""
    _appraise("nata", data=None, out_dir=out_dir, seed=seed, draws=None, lang=lang.value, quiet=quiet)


@app.command()
def run(
    model: Annotated[str, typer.Argument(help="Model spec (TOML path) or bundled model name.")],
    data: Annotated[Path | None, typer.Option("--data", help="Follow-up data (CSV, .xlsx, .parquet).")] = None,
    out_dir: Annotated[Path | None, typer.Option("--out", help="Folder for results and report.")] = None,
    draws: DrawsOpt = None,
    seed: SeedOpt = 20251123,
    lang: LangOpt = Lang.en,
    quiet: QuietOpt = False,
) -> None:
    """Run a whole appraisal: fit the effect, simulate savings, apply the fund, write a report."""
    target = out_dir or Path("out") / Path(model).stem
    _appraise(model, data=data, out_dir=target, seed=seed, draws=draws, lang=lang.value, quiet=quiet)


@app.command()
def validate(
    paths: Annotated[list[Path], typer.Argument(help="Model spec files or folders of them.")],
) -> None:
    """Check model specs (and the data they name) without fitting anything."""
    from simpact.data import load_followup
    from simpact.spec import load_model

    files = [p for path in paths for p in (sorted(path.glob("*.toml")) if path.is_dir() else [path])]
    for file in files:
        spec = load_model(file)
        if spec.data_path is not None:
            load_followup(spec)
        out.print(f"ok  {file}")


def main() -> None:
    """Entry point: run the app, turning bad input into one line and exit status 2."""
    try:
        app()
    except SimpactError as exc:
        err.print(f"simpact: error: {exc}", markup=False, highlight=False, soft_wrap=True)
        sys.exit(2)
