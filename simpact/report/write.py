"""The report folder: :func:`write_report` writes results, tables, figures and the report."""

from __future__ import annotations

from pathlib import Path

import xarray as xr

from simpact import plots
from simpact.base import folders, i18n, storage
from simpact.config.loading import spec_of
from simpact.config.spec import ModelSpec
from simpact.decision.summary import Summary
from simpact.report.render import png, render_html, render_markdown, svg
from simpact.report.spreadsheets import readable, write_json, write_tables
from simpact.report.tables import fund_years, tables
from simpact.report.word import write_docx


def write_report(
    sim: xr.DataTree,
    summary: Summary,
    out: str | Path,
    *,
    lang: str | None = None,
    save_results: bool = True,
    spec: ModelSpec | None = None,
) -> dict[str, Path]:
    """Write results, tables, figures and the report (Markdown, HTML, Word) into ``out``.

    Parameters
    ----------
    sim
        The tree from :func:`simpact.simulate`.
    summary
        The :class:`~simpact.decision.Summary` from :func:`simpact.summarize`.
    out
        Folder to write into: built as a temporary sibling and swapped in whole, so it ends
        holding exactly this report's files (an earlier run's go), or, on failure, is untouched.
    lang
        ``"en"`` or ``"sv"``; defaults to the summary's language.
    save_results
        Also write ``results.nc`` (off when regenerating a report from saved results).
    spec
        The spec ``sim`` was simulated from (default: read once from the tree).

    Returns
    -------
    dict
        Paths written, by kind: ``results``, ``summary`` (CSV), ``savings``, ``effect``,
        ``diagnostics``, ``xlsx``, ``json``, ``markdown``, ``html``, ``docx`` and one per figure.

    Examples
    --------
    >>> import simpact as sp
    >>> spec = sp.load_model("nata")
    >>> post = sp.fit_effects(spec, sp.load_followup(spec), random_seed=1)  # doctest: +SKIP
    >>> sim = sp.simulate(spec, post, random_seed=2)  # doctest: +SKIP
    >>> files = write_report(sim, sp.summarize(sim), "out/nata", lang="en")  # doctest: +SKIP
    >>> files["html"]  # doctest: +SKIP
    PosixPath('out/nata/report.html')
    """
    lang = i18n.check_lang(lang or summary.lang)
    spec = spec if spec is not None else spec_of(sim)
    if summary.analysis.data_vars and "decision" not in sim.children:
        sim = sim.copy()
        sim["decision"] = summary.analysis  # the decision stage's output, saved with the rest
    made = plots.make_figures(sim, summary, lang=lang)
    figures = {name: png(fig) for name, fig in made.items()}
    svgs = {name: svg(fig) for name, fig in made.items()}
    text_md = render_markdown(sim, summary, lang=lang, figures=set(figures), spec=spec)
    html = render_html(text_md, figures, lang=lang, svgs=svgs)
    with folders.staged(out) as tmp:  # swapped in whole on success, removed on failure
        (tmp / "figures").mkdir(mode=folders.folder_mode())
        files = {"results": storage.save(sim, tmp / "results.nc")} if save_results else {}
        frames = readable(tables(sim, summary), lang, years=fund_years(sim), spec=spec)
        files.update(write_tables(frames, tmp, lang=lang))
        files["json"] = write_json(summary.table, tmp / "summary.json", lang=lang)
        for name, data in figures.items():
            files[name] = _write(tmp / "figures" / f"{name}.png", data)
        files["markdown"] = _write(tmp / "report.md", text_md)
        files["html"] = _write(tmp / "report.html", html)
        files["docx"] = write_docx(text_md, figures, tmp / "report.docx")
    target = Path(out)
    return {kind: target / path.relative_to(tmp) for kind, path in files.items()}


def _write(path: Path, content: str | bytes) -> Path:
    """Write ``content`` to ``path`` atomically (text as UTF-8)."""
    with storage.atomic_path(path) as tmp:
        if isinstance(content, bytes):
            tmp.write_bytes(content)
        else:
            tmp.write_text(content, encoding="utf-8")
    return path
