"""The report folder: :func:`write_report` writes results, tables, figures and the report."""

from __future__ import annotations

from pathlib import Path

import xarray as xr

from simpact.base import i18n, storage
from simpact.config.loading import spec_of
from simpact.config.spec import ModelSpec
from simpact.decision.summary import Summary
from simpact.report.render import Figures, render_html, render_markdown
from simpact.report.tables import tables, write_tables


def write_report(
    sim: xr.DataTree,
    summary: Summary,
    out: str | Path,
    *,
    lang: str | None = None,
    save_results: bool = True,
    spec: ModelSpec | None = None,
) -> dict[str, Path]:
    """Write results, tables, figures and the report (Markdown + HTML) into ``out``.

    Parameters
    ----------
    sim
        The tree from :func:`simpact.simulate`.
    summary
        The :class:`~simpact.decision.Summary` from :func:`simpact.summarize`.
    out
        Folder to write into (created if needed).
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
        ``diagnostics``, ``xlsx``, ``markdown``, ``html`` and one per figure.

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
    out = Path(out)
    (out / "figures").mkdir(parents=True, exist_ok=True)
    if summary.analysis.data_vars and "decision" not in sim.children:
        sim = sim.copy()
        sim["decision"] = summary.analysis  # the decision stage's output, saved with the rest
    drawing = Figures(sim, summary, lang)  # drawn in other processes while this one writes
    files = {"results": storage.save(sim, out / "results.nc")} if save_results else {}
    files.update(write_tables(tables(sim, summary), out))
    figures = drawing.result()
    text_md = render_markdown(sim, summary, lang=lang, figures=set(figures), spec=spec)
    for name, data in figures.items():
        files[name] = _write(out / "figures" / f"{name}.png", data)
    files["markdown"] = _write(out / "report.md", text_md)
    files["html"] = _write(out / "report.html", render_html(text_md, figures, lang=lang))
    return files


def _write(path: Path, content: str | bytes) -> Path:
    """Write ``content`` to ``path`` atomically (text as UTF-8)."""
    with storage.atomic_path(path) as tmp:
        if isinstance(content, bytes):
            tmp.write_bytes(content)
        else:
            tmp.write_text(content, encoding="utf-8")
    return path
