"""The report as text: Markdown from ``templates/report.md.j2`` (:func:`render_markdown`) and a
self-contained HTML page around it from ``templates/report.html.j2`` (:func:`render_html`)."""

from __future__ import annotations

import base64
import io
import re

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


def svg(fig) -> str:
    """A figure as SVG markup whose text stays text (``svg.fonttype = "none"``: searchable,
    selectable and read by screen readers), without the XML prolog, to embed in HTML."""
    import matplotlib

    buf = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "simpact"}):
        fig.savefig(buf, format="svg", bbox_inches="tight")
    text = buf.getvalue()
    return text[text.index("<svg") :]


IMG = re.compile(r'<img alt="(?P<alt>[^"]*)" src="figures/(?P<name>[\w-]+)\.png" ?/?>')
"""A figure as the Markdown renderer writes it."""


def render_html(
    text_md: str,
    figures: dict[str, bytes],
    *,
    lang: str = "en",
    svgs: dict[str, str] | None = None,
) -> str:
    """A self-contained HTML page from the Markdown report: a figure in ``svgs`` is embedded
    as SVG (its text kept as text, its alt text as the figure's label), any other as a PNG
    data URI.

    Examples
    --------
    >>> page = render_html("# Title" + chr(10) * 2 + "![a figure](figures/x.png)", {"x": b"PNG"})
    >>> 'src="data:image/png;base64,UE5H"' in page, "<title>Title</title>" in page
    (True, True)
    >>> page = render_html("![a figure](figures/x.png)", {}, svgs={"x": "<svg></svg>"})
    >>> '<figure role="img" aria-label="a figure"><svg></svg></figure>' in page
    True
    """
    body = markdown.markdown(text_md, extensions=["tables"])
    svgs = svgs or {}

    def embed(m: re.Match) -> str:
        name, alt = m["name"], m["alt"]
        if name in svgs:
            return f'<figure role="img" aria-label="{alt}">{svgs[name]}</figure>'
        if name in figures:
            uri = "data:image/png;base64," + base64.b64encode(figures[name]).decode()
            return f'<img alt="{alt}" src="{uri}" />'
        return m.group(0)

    body = IMG.sub(embed, body)
    title = re.sub(r"<[^>]+>", "", body.split("</h1>")[0]) if "</h1>" in body else "simpact"
    page = TEMPLATES.get_template("report.html.j2")
    return page.render(lang=lang, title=title.strip(), body=body)
