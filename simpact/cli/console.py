"""What the command line prints: stage spinners, the summary table, the files written."""

from __future__ import annotations

import time
from contextlib import contextmanager
from pathlib import Path

from rich.table import Table

from simpact.base import i18n
from simpact.cli.app import err, out

HEADERS = {
    "en": ("Quantity", "For", "Mean", "90 % interval"),
    "sv": ("Storhet", "För", "Medel", "90 %-intervall"),
}
STAGES = {
    "read": "Reading {model} and its data",
    "fit": "Fitting the effect model by MCMC",
    "simulate": "Simulating savings, the fund and the decision summary",
    "write": "Writing results, tables, figures and the report",
}
SUMMARY_ROWS = (
    ("npv", "total", "msek"),
    ("p_npv_positive", "total", "pct"),
    ("p_full_on_schedule", "fund", "pct"),
    ("p_full_by_horizon", "fund", "pct"),
    ("expected_shortfall", "fund", "msek"),
    ("p_payback", "total", "pct"),
)


def showing(quiet: bool) -> bool:
    """Progress is shown only on a terminal and without --quiet."""
    return not quiet and err.is_terminal


@contextmanager
def stage(text: str, quiet: bool):
    """A spinner with elapsed time while a stage runs (silent off a terminal or with --quiet)."""
    if not showing(quiet):
        yield
        return
    start = time.perf_counter()
    with err.status(f"{text}…"):
        yield
    err.print(f"[green]✓[/green] {text} ({time.perf_counter() - start:.1f} s)", highlight=False)


def pipeline_stages(model: str, quiet: bool):
    """The ``stage`` callback :func:`simpact.pipeline.run` calls around each of its stages."""

    @contextmanager
    def around(name: str):
        text = STAGES[name].format(model=model)
        if name == "fit":  # the sampler shows its own progress bar
            if showing(quiet):
                err.print(f"{text}…", highlight=False)
            yield
            return
        with stage(text, quiet):
            yield

    return around


def print_summary(sim, summary, lang: str) -> None:
    """The headline rows of the decision summary, then its sentences."""
    table = Table(title=sim.attrs.get("intervention_name", ""), show_lines=False)
    for column in HEADERS[lang]:
        table.add_column(column)
    fmt = {"msek": lambda v: i18n.msek(v, lang), "pct": lambda v: i18n.percent(v, lang)}
    for metric, scope, kind in SUMMARY_ROWS:
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


def print_files(files: dict[str, Path], folder: Path, start: float) -> None:
    """Where the files went, and how long the command took."""
    out.print(
        f"\nWrote {len(files)} files to {folder}/ in {time.perf_counter() - start:.1f} s:",
        highlight=False,
    )
    for path in files.values():
        out.print(f"  {path}", highlight=False)
