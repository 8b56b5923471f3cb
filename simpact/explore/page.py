"""The explorer's web page (Panel), served on 127.0.0.1 only: a thin layer over
:mod:`simpact.explore`'s scenarios and evaluation.

Every input change builds a :class:`~simpact.explore.scenario.Scenario` from the widgets and
calls :func:`~simpact.explore.evaluate.evaluate` on the saved posterior; the page only shows the
result. Panel's and Bokeh's scripts are served by the local server itself, so nothing is loaded
from elsewhere.
"""

from __future__ import annotations

import io
import os
import tempfile
from pathlib import Path
from typing import Any

os.environ.setdefault("BOKEH_RESOURCES", "server")

import matplotlib

matplotlib.use("Agg")

import panel as pn
import xarray as xr

from simpact.base.errors import SimpactError
from simpact.explore.display import readout_html
from simpact.explore.evaluate import compare, evaluate
from simpact.explore.knobs import Knob, centre_spread, move, resolved
from simpact.explore.scenario import (
    Scenario,
    knobs_of,
    parse_schedule,
    reproduce_command,
    scenario_to_toml,
    schedule_text,
)
from simpact.explore.words import word
from simpact.plots.from_results import FIGURES

FIGURE_NAMES = ("fan_chart", "fund_balance", "repayment")


def css_name(key: str) -> str:
    """A knob's key as a CSS class name (``simulation.cashable.x`` -> ``simulation-cashable-x``)."""
    return key.replace(".", "-")


class Controls:
    """The input widgets of one scenario's knobs, and the scenario they describe."""

    def __init__(self, base: Scenario, lang: str) -> None:
        self.base, self.lang = base, lang
        self.raw = base.raw()
        self.knobs = knobs_of(self.raw)
        self.widgets: dict[str, tuple[Knob, list]] = {}
        for knob in self.knobs:
            self.widgets[knob.key] = (knob, self._widgets(knob))

    def _widgets(self, knob: Knob) -> list:
        label = f"{knob.label[self.lang]}" + (
            f" ({word(knob.units, self.lang)})" if knob.units else ""
        )
        value = resolved(self.raw, knob)
        css = [f"knob-{css_name(knob.key)}"]
        if knob.kind == "uncertain":
            centre, spread = centre_spread(value)
            marked = f"{word('spec_value', self.lang)}: {centre:g} ± {spread:g}"
            return [
                pn.widgets.FloatInput(
                    name=f"{label} — {word('centre', self.lang)}",
                    value=centre,
                    format="0[.]000000",
                    width=520,
                    css_classes=[f"{css[0]}-centre"],
                ),
                pn.widgets.FloatInput(
                    name=f"{word('spread', self.lang)} ({marked})",
                    value=spread,
                    start=0,
                    format="0[.]000000",
                    width=520,
                    css_classes=[f"{css[0]}-spread"],
                ),
            ]
        if knob.kind == "choice":
            return [
                pn.widgets.Select(
                    name=label, options=list(knob.choices), value=value, css_classes=css
                )
            ]
        if knob.path == ("fund", "repayment"):
            return [pn.widgets.TextInput(name=label, value=schedule_text(value), css_classes=css)]
        if knob.path == ("fund", "horizon"):
            return [
                pn.widgets.IntInput(name=label, value=int(value or 0), start=1, css_classes=css)
            ]
        return [pn.widgets.FloatInput(name=label, value=float(value), start=0, css_classes=css)]

    def all_widgets(self) -> list:
        return [w for _, ws in self.widgets.values() for w in ws]

    def group(self, name: str) -> list:
        return [w for knob, ws in self.widgets.values() if knob.group == name for w in ws]

    def scenario(self, name: str = "current") -> Scenario:
        """The scenario the widgets show."""
        changes: dict[Any, Any] = {}
        for knob, ws in self.widgets.values():
            changes.update(self._changes(knob, ws))
        return self.base.changed(changes, name=name)

    def _changes(self, knob: Knob, ws: list) -> dict:
        if knob.kind == "uncertain":
            centre, spread = ws[0].value, ws[1].value
            if (centre, spread) == centre_spread(resolved(self.raw, knob)):
                return {}
            return move(self.raw, knob, centre, spread)
        value = ws[0].value
        if knob.path == ("fund", "repayment"):
            value = parse_schedule(value)
        elif knob.path[:2] == ("cohort", "intake"):
            value = int(value)
        if value == resolved(self.raw, knob):
            return {}
        return {knob.path: value}


def _figure_panes(ev, lang: str) -> list:
    panes = []
    for name in FIGURE_NAMES:
        fig = FIGURES[name](ev.sim, ev.summary, lang)
        if fig is not None:
            panes.append(pn.pane.Matplotlib(fig, dpi=80, tight=True, format="png"))
    return panes


class Explorer:
    """The page: inputs, live results, scenarios and exports, and the fund designer."""

    def __init__(self, base: Scenario, posterior: xr.DataTree | None, lang: str = "en") -> None:
        self.base, self.posterior, self.lang = base, posterior, lang
        self.controls = Controls(base, lang)
        self.kept: list[Scenario] = []
        self.readout = pn.pane.HTML("", sizing_mode="stretch_width")
        self.status = pn.pane.Markdown("")
        self.figures = pn.Column()
        self.table = pn.pane.DataFrame(None)
        self.name = pn.widgets.TextInput(name=word("name", lang), value="A")
        keep = pn.widgets.Button(name=word("keep", lang), button_type="primary")
        keep.on_click(lambda _: self.keep())
        self.exports = pn.Row(
            pn.widgets.FileDownload(
                callback=self._toml, filename="scenario.toml", label=word("export_toml", lang)
            ),
            pn.widgets.FileDownload(
                callback=self._report, filename="report.html", label=word("export_report", lang)
            ),
        )
        self.scenario_tools = pn.Column(pn.Row(self.name, keep), self.table, self.exports)
        for w in self.controls.all_widgets():
            w.param.watch(lambda _: self.update(), "value")
        self.update()

    def update(self) -> None:
        scenario = self.controls.scenario()
        try:
            ev = evaluate(scenario, self.posterior, lang=self.lang)
        except (SimpactError, ValueError) as exc:  # a bad input: say so, keep the last numbers
            self.status.object = f"**{type(exc).__name__}**: {exc}"
            return
        self.current = ev
        self.readout.object = readout_html(ev, self.lang)
        cmd = reproduce_command(scenario, "scenario.toml", "RESULTS.nc")
        self.status.object = (
            f"{word('seed', self.lang)} {scenario.seed}, "
            f"{word('draws', self.lang)} {ev.draws}"
            f" · {word('reproduce', self.lang)}: `{cmd}`"
        )
        self.figures.objects = _figure_panes(ev, self.lang)

    def keep(self) -> None:
        self.kept.append(self.controls.scenario(self.name.value or f"S{len(self.kept) + 1}"))
        table = compare([self.base, *self.kept], self.posterior, lang=self.lang)
        self.table.object = table

    def _toml(self) -> io.StringIO:
        return io.StringIO(scenario_to_toml(self.controls.scenario(self.name.value or "current")))

    def _report(self) -> io.BytesIO:
        from simpact.report import write_report

        ev = evaluate(self.controls.scenario(), self.posterior, lang=self.lang, full=True, voi=True)
        with tempfile.TemporaryDirectory() as tmp:
            files = write_report(ev.sim, ev.summary, Path(tmp), lang=self.lang)
            return io.BytesIO(Path(files["html"]).read_bytes())

    def view(self, designer=None) -> pn.viewable.Viewable:
        lang = self.lang
        inputs = pn.Column(
            pn.pane.Markdown(f"### {word('assumptions', lang)}"),
            *self.controls.group("assumptions"),
            pn.pane.Markdown(f"### {word('fund', lang)}"),
            *self.controls.group("fund"),
            pn.pane.Markdown(f"### {word('discount', lang)}"),
            *self.controls.group("discount"),
            width=560,
            scroll=True,
            height=900,
        )
        outputs = pn.Column(
            pn.pane.Markdown(f"### {word('outputs', lang)}"),
            self.readout,
            self.status,
            self.figures,
            pn.pane.Markdown(f"### {word('scenarios', lang)}"),
            self.scenario_tools,
        )
        tabs = [(word("outputs", lang), pn.Row(inputs, outputs))]
        if designer is not None:
            tabs.append((word("designer", lang), designer))
        title = self.base.raw().get("intervention", {}).get("name", "")
        return pn.Column(pn.pane.Markdown(f"## {word('title', lang)}: {title}"), pn.Tabs(*tabs))


def serve(
    base: Scenario,
    posterior: xr.DataTree | None,
    *,
    lang: str = "en",
    port: int = 5006,
    show: bool = True,
    results_path: str = "",
) -> None:
    """Serve the explorer on ``127.0.0.1:port`` until interrupted (one page per visit)."""
    from simpact.explore.designer import Entry
    from simpact.explore.fund_page import FundDesigner

    def page() -> pn.viewable.Viewable:
        first = Entry(str(base.base.get("intervention", {}).get("id", "project")), base, posterior)
        designer = FundDesigner(first, results_path or "RESULTS.nc", base.seed, lang)
        return Explorer(base, posterior, lang).view(designer.view())

    pn.serve(
        page,
        port=port,
        address="127.0.0.1",
        show=show,
        title=word("title", lang),
        websocket_origin=[f"127.0.0.1:{port}", f"localhost:{port}"],
        threaded=False,
    )
