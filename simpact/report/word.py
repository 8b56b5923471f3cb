"""The decision paper as an editable Word document (``report.docx``, python-docx).

The document is built from the same Markdown as ``report.md`` and ``report.html``, so it has the
same sections, sentences, tables and figures: headings (``#``), bullets (``- ``), block quotes
(``> ``), pipe tables, figures (``![alt](figures/<name>.png)``, the PNG embedded with its alt
text as caption) and paragraphs, with ``**bold**`` and ```code``` kept.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

from docx import Document
from docx.shared import Inches, Pt

from simpact.base import storage

FIGURE = re.compile(r"^!\[(?P<alt>[^\]]*)\]\(figures/(?P<name>[\w-]+)\.png\)$")
"""A figure line of the Markdown report."""

INLINE = re.compile(r"(\*\*[^*]+\*\*|`[^`]+`)")
"""Bold and code spans."""


def add_text(paragraph, text: str) -> None:
    """``text`` into ``paragraph``: ``**bold**`` as bold runs, ```code``` in a fixed font."""
    for part in INLINE.split(text):
        if not part:
            continue
        if part.startswith("**") and part.endswith("**"):
            paragraph.add_run(part[2:-2]).bold = True
        elif part.startswith("`") and part.endswith("`"):
            run = paragraph.add_run(part[1:-1])
            run.font.name = "Courier New"
            run.font.size = Pt(8)
        else:
            paragraph.add_run(part)


def cells(line: str) -> list[str]:
    """The cells of a pipe-table row."""
    return [c.strip() for c in line.strip().strip("|").split("|")]


def add_table(doc, lines: list[str]) -> None:
    """A pipe table (header, rule, rows) as a Word table; right-aligned columns stay right."""
    header, rule, *rows = lines
    right = [c.strip().endswith(":") for c in cells(rule)]
    table = doc.add_table(rows=1 + len(rows), cols=len(cells(header)))
    table.style = "Table Grid"
    for r, line in enumerate([header, *rows]):
        for c, text in enumerate(cells(line)[: len(right)]):
            paragraph = table.cell(r, c).paragraphs[0]
            add_text(paragraph, f"**{text}**" if r == 0 and text else text)
            if right[c]:
                paragraph.alignment = 2  # WD_ALIGN_PARAGRAPH.RIGHT
            for run in paragraph.runs:
                run.font.size = Pt(8)


def build_docx(text_md: str, figures: dict[str, bytes]):
    """The Markdown report as a python-docx ``Document``; ``figures`` are PNG bytes by name.

    Examples
    --------
    >>> doc = build_docx("# Title" + chr(10) * 2 + "| a | b |" + chr(10) + "|---|---:|"
    ...                  + chr(10) + "| 1 | 2 |", {})
    >>> doc.paragraphs[0].text, doc.tables[0].cell(1, 1).text
    ('Title', '2')
    """
    doc = Document()
    lines = text_md.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i].rstrip()
        if line.startswith("|"):
            j = i
            while j < len(lines) and lines[j].startswith("|"):
                j += 1
            add_table(doc, lines[i:j])
            i = j
            continue
        add_line(doc, line, figures)
        i += 1
    return doc


def add_line(doc, line: str, figures: dict[str, bytes]) -> None:
    """One line of the Markdown report that is not part of a table."""
    if not line.strip():
        return
    heading = re.match(r"^(#{1,3}) (.*)$", line)
    figure = FIGURE.match(line.strip())
    if heading:
        doc.add_heading(heading[2], level=len(heading[1]) - 1 if len(heading[1]) > 1 else 0)
    elif figure:
        if figure["name"] in figures:
            doc.add_picture(io.BytesIO(figures[figure["name"]]), width=Inches(6.2))
        add_text(doc.add_paragraph(style="Caption"), figure["alt"])
    elif line.startswith("- "):
        add_text(doc.add_paragraph(style="List Bullet"), line[2:])
    elif line.startswith("> "):
        add_text(doc.add_paragraph(style="Intense Quote"), line[2:])
    else:
        add_text(doc.add_paragraph(), line)


def write_docx(text_md: str, figures: dict[str, bytes], path: str | Path) -> Path:
    """Write the report as ``.docx`` to ``path``, atomically."""
    path = Path(path)
    with storage.atomic_path(path) as tmp:
        build_docx(text_md, figures).save(str(tmp))
    return path
