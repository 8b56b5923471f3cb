"""Decision-paper reports: Markdown and self-contained HTML (Swedish or English), tables as
.csv and .xlsx, and :func:`write_report`, which writes them all with the figures and the results
tree into one folder."""

from simpact.report.document import (
    KEY_METRICS,
    WORDS,
    command,
    describe,
    diagnostics_table,
    effect_table,
    formatter,
    render_html,
    render_markdown,
    savings_table,
    tables,
    write_report,
    write_tables,
)

__all__ = [
    "KEY_METRICS",
    "WORDS",
    "command",
    "describe",
    "diagnostics_table",
    "effect_table",
    "formatter",
    "render_html",
    "render_markdown",
    "savings_table",
    "tables",
    "write_report",
    "write_tables",
]
