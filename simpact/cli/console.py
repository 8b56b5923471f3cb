"""What the command line prints: stage spinners, the summary table, the files written."""

from __future__ import annotations

import time
from contextlib import contextmanager
from pathlib import Path

from rich.table import Table

from simpact.base import i18n
from simpact.cli.app import err, out

HEADERS = {
    "en": ("Quantity", "For", "Mean", "90% interval or ± MC error"),
    "sv": ("Storhet", "För", "Medel", "90 %-intervall eller ± MC-fel"),
}
STAGES = {
    "en": {
        "read": "Reading {model} and its data",
        "fit": "Fitting the effect model by MCMC",
        "simulate": "Simulating savings, the fund and the decision summary",
        "write": "Writing results, tables, figures and the report",
        "files": "Wrote {n} files to {folder}/ in {seconds} s:",
        "read_results": "Reading {path}",
        "write_report": "Writing tables, figures and the report",
    },
    "sv": {
        "read": "Läser {model} och dess data",
        "fit": "Skattar effektmodellen med MCMC",
        "simulate": "Simulerar besparingar, fonden och beslutsunderlaget",
        "write": "Skriver resultat, tabeller, figurer och rapporten",
        "files": "Skrev {n} filer till {folder}/ på {seconds} s:",
        "read_results": "Läser {path}",
        "write_report": "Skriver tabeller, figurer och rapporten",
    },
}
"""The CLI's messages, by language."""

SUMMARY_ROWS = (
    ("npv", "total"),
    ("p_npv_positive", "total"),
    ("p_full_on_schedule", "fund"),
    ("p_full_by_horizon", "fund"),
    ("expected_shortfall", "fund"),
    ("payback_year", "total"),
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


def pipeline_stages(model: str, quiet: bool, lang: str = "en"):
    """The ``stage`` callback :func:`simpact.pipeline.run` calls around each of its stages."""

    @contextmanager
    def around(name: str):
        text = STAGES[lang][name].format(model=model)
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
    from simpact.report.tables import fund_years, key_row, row_label  # the modelling stack

    table = Table(title=sim.attrs.get("intervention_name", ""), show_lines=False)
    for column in HEADERS[lang]:
        table.add_column(column)
    years = fund_years(sim)
    for metric, scope in SUMMARY_ROWS:
        if (metric, scope) not in summary.table.index:
            continue
        cells = key_row(summary.table, metric, scope, lang)
        table.add_row(
            row_label(metric, lang, years),
            i18n.WORDS[lang].get(scope, scope),
            cells["mean"],
            cells["interval"] if cells["interval"] != "–" else cells["mcse"],
        )
    out.print(table)
    for sentence in summary.text:
        out.print(f"• {sentence}", highlight=False)
    if sim.attrs.get("data_synthetic"):
        out.print(f"[bold]{i18n.WORDS[lang]['synthetic']}[/bold]")


def print_files(files: dict[str, Path], folder: Path, start: float, lang: str = "en") -> None:
    """Where the files went, and how long the command took."""
    seconds = i18n.number(time.perf_counter() - start, lang, digits=1)
    text = STAGES[lang]["files"].format(n=len(files), folder=folder, seconds=seconds)
    out.print(f"\n{text}", highlight=False)
    for path in files.values():
        out.print(f"  {path}", highlight=False)
