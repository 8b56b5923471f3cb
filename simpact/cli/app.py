"""The ``simpact`` Typer app, its consoles and the options commands share.

Nothing here imports the modelling stack (PyMC, ArviZ, SciPy): ``simpact --help`` and
``simpact --version`` start without it; each command imports what it needs when it runs.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from simpact.base.constants import DEFAULT_SEED
from simpact.base.version import __version__

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


def _console(*, stderr: bool = False) -> Console:
    """A console; off a terminal (a pipe, a log file) lines are not wrapped at 80 columns."""
    console = Console(stderr=stderr)
    if console.is_terminal:
        return console
    return Console(stderr=stderr, soft_wrap=True, width=max(console.width, 200))


err = _console(stderr=True)
out = _console()


def _version(value: bool) -> None:
    if value:
        out.print(f"simpact {__version__}", highlight=False)
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """Bayesian impact and risk modelling of social investments."""


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
SheetOpt = Annotated[
    str | None,
    typer.Option(
        "--sheet", help="The sheet of an .xlsx workbook (default the spec's [data] sheet)."
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
ForceOpt = Annotated[
    bool,
    typer.Option(
        "--force",
        help="Use a saved posterior or results from another model or data; the report says so.",
    ),
]
QuietOpt = Annotated[
    bool, typer.Option("--quiet", "-q", help="No progress bars or messages, only the results.")
]

__all__ = [
    "DEFAULT_SEED",
    "DataOpt",
    "DrawsOpt",
    "ForceOpt",
    "Lang",
    "LangOpt",
    "ModelArg",
    "OutOpt",
    "QuietOpt",
    "SeedOpt",
    "SheetOpt",
    "app",
    "err",
    "out",
]
