"""The report as text: Markdown from ``templates/report.md.j2`` (:func:`render_markdown`) and a
self-contained HTML page around it from ``templates/report.html.j2`` (:func:`render_html`)."""

from __future__ import annotations

import base64
import io
import multiprocessing
import os
import re
from concurrent.futures import Future, ProcessPoolExecutor

import markdown
import xarray as xr
from jinja2 import Environment, PackageLoader, StrictUndefined

from simpact import plots
from simpact.base import i18n
from simpact.config.loading import spec_of
from simpact.config.spec import ModelSpec
from simpact.decision.summary import Summary
from simpact.report.context import context

TEMPLATES = Environment(
    loader=PackageLoader("simpact.report", "templates"),
    undefined=StrictUndefined,
    keep_trailing_newline=True,
    autoescape=False,
)
"""The report's templates (``simpact/report/templates``, shipped in the wheel)."""


def render_markdown(
    sim: xr.DataTree,
    summary: Summary,
    *,
    lang: str = "en",
    figures: set[str] | None = None,
    spec: ModelSpec | None = None,
) -> str:
    """The report as Markdown (figures referenced as ``figures/<name>.png``).

    Parameters
    ----------
    figures
        Names of the figures that exist (default: every figure whose inputs are in ``sim``).
    spec
        The spec ``sim`` was simulated from (default: read from the tree, ``attrs["spec"]``).

    Examples
    --------
    >>> import simpact as sp
    >>> spec = sp.load_model("nata")
    >>> post = sp.fit_effects(spec, sp.load_followup(spec), random_seed=1)  # doctest: +SKIP
    >>> sim = sp.simulate(spec, post, random_seed=2)  # doctest: +SKIP
    >>> text = render_markdown(sim, sp.summarize(sim, lang="sv"), lang="sv")  # doctest: +SKIP
    >>> text.splitlines()[0]  # doctest: +SKIP
    '# Kalkyl: NÄTA – Närvaroteam Ale'
    """
    i18n.check_lang(lang)
    if figures is None:
        figures = set(plots.make_figures(sim, summary, lang=lang))
    spec = spec if spec is not None else spec_of(sim)
    values = context(sim, summary, lang, set(figures), spec)
    return TEMPLATES.get_template("report.md.j2").render(**values)


def png(fig) -> bytes:
    """A figure as PNG bytes (120 dpi, tight)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=120, bbox_inches="tight")
    return buf.getvalue()


_DRAWING: tuple = ()
"""``(sim, summary, lang)`` of the figures being drawn, inherited by the forked workers."""


def _draw(name: str) -> bytes | None:
    """Figure ``name`` of :data:`_DRAWING` as PNG bytes (None without its inputs)."""
    sim, summary, lang = _DRAWING
    fig = plots.FIGURES[name](sim, summary, lang)
    return None if fig is None else png(fig)


def figure_workers() -> int:
    """Processes drawing the report's figures: ``SIMPACT_FIGURE_WORKERS``, else the CPUs (at
    most 4); 1 draws them in this process. Workers are forked, so other platforms draw here."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    value = os.environ.get("SIMPACT_FIGURE_WORKERS", "")
    return max(1, int(value)) if value.strip() else min(4, os.cpu_count() or 1)


class Figures:
    """The report's figures, drawn as PNG bytes while the caller writes everything else.

    ``Figures(sim, summary, lang)`` starts drawing (in :func:`figure_workers` forked
    processes, which inherit ``sim`` instead of receiving a copy); :meth:`result` waits and
    returns ``{name: png}`` in the order of :data:`simpact.plots.FIGURES`. The PNGs are those
    drawn in one process: each figure is drawn by one worker from the same inputs.
    """

    def __init__(self, sim: xr.DataTree, summary: Summary, lang: str) -> None:
        global _DRAWING
        _DRAWING = (sim, summary, lang)
        self._pool = None
        self._jobs: dict[str, Future | bytes | None] = {}
        workers = figure_workers()
        if workers > 1:
            context = multiprocessing.get_context("fork")
            self._pool = ProcessPoolExecutor(max_workers=workers, mp_context=context)
            self._jobs = {name: self._pool.submit(_draw, name) for name in plots.FIGURES}
        else:
            self._jobs = {name: _draw(name) for name in plots.FIGURES}

    def result(self) -> dict[str, bytes]:
        global _DRAWING
        try:
            done = {
                name: job.result() if isinstance(job, Future) else job
                for name, job in self._jobs.items()
            }
        finally:
            if self._pool is not None:
                self._pool.shutdown()
            _DRAWING = ()
        return {name: data for name, data in done.items() if data is not None}


def render_html(text_md: str, figures: dict[str, bytes], *, lang: str = "en") -> str:
    """A self-contained HTML page from the Markdown report, with figures as data URIs.

    Examples
    --------
    >>> page = render_html("# Title" + chr(10) * 2 + "![a figure](figures/x.png)", {"x": b"PNG"})
    >>> 'src="data:image/png;base64,UE5H"' in page, "<title>Title</title>" in page
    (True, True)
    """
    body = markdown.markdown(text_md, extensions=["tables"])
    for name, data in figures.items():
        uri = "data:image/png;base64," + base64.b64encode(data).decode()
        body = body.replace(f'src="figures/{name}.png"', f'src="{uri}"')
    title = re.sub(r"<[^>]+>", "", body.split("</h1>")[0]) if "</h1>" in body else "simpact"
    page = TEMPLATES.get_template("report.html.j2")
    return page.render(lang=lang, title=title.strip(), body=body)
