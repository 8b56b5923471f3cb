"""Decision-paper reports: Markdown and self-contained HTML (figures embedded), Swedish or
English, tables as .csv and .xlsx, and :func:`write_report`, which writes them all with the
figures and the results tree into one folder.

:func:`write_report` writes, into one folder, ``results.nc`` (the whole tree with provenance),
the tables in the report's language (``summary.csv``, ``savings.csv``, ``effect.csv`` and all of
them as sheets of ``summary.xlsx``; Swedish CSV ``;``-separated with decimal commas), the
decision table for scripts (``summary.json``, keys and full precision), ``figures/*.png``,
``report.md``, ``report.html`` (figures as SVG, their text kept as text) and ``report.docx``
(editable). Every number in the text comes from those tables (the
:class:`~simpact.decision.Summary` table, :func:`savings_table`, :func:`effect_table`), and the
figures are drawn from the same draws, so text, tables and figures agree. A section appears only
when its inputs are in the tree, so the report grows as the pipeline does. Files are written
atomically.

The modules, by what they hold: :mod:`.words` (the report's words), :mod:`.formats` (numbers and
distributions in words), :mod:`.tables` (the tables), :mod:`.spreadsheets` (the tables for
spreadsheets and scripts), :mod:`.assumptions` (the assumptions table), :mod:`.provenance`
(versions and the command to rerun), :mod:`.context` (the template context, one function per
section), :mod:`.render` (Markdown and HTML from the templates in ``templates/``), :mod:`.word` (the
Word document) and
:mod:`.write` (the report folder). The spec the results were simulated from is read once
(:func:`simpact.config.loading.spec_of`) and passed down as a ``ModelSpec``.
"""

from simpact.report.formats import describe, format_row, formatter
from simpact.report.provenance import command, versions
from simpact.report.render import render_html, render_markdown
from simpact.report.spreadsheets import readable, write_json, write_tables
from simpact.report.tables import (
    KEY_METRICS,
    YEAR_EVENT,
    diagnostics_table,
    effect_table,
    fund_years,
    key_row,
    row_label,
    savings_table,
    tables,
)
from simpact.report.word import build_docx, write_docx
from simpact.report.words import WORDS
from simpact.report.write import write_report

__all__ = [
    "KEY_METRICS",
    "WORDS",
    "YEAR_EVENT",
    "build_docx",
    "command",
    "describe",
    "diagnostics_table",
    "effect_table",
    "format_row",
    "formatter",
    "fund_years",
    "key_row",
    "readable",
    "render_html",
    "render_markdown",
    "row_label",
    "savings_table",
    "tables",
    "versions",
    "write_docx",
    "write_json",
    "write_report",
    "write_tables",
]
