"""The fund designer's tab of the explorer page (Panel): a thin layer over
:mod:`simpact.explore.designer`."""

from __future__ import annotations

import panel as pn

from simpact.base import i18n
from simpact.components.rules import RULES
from simpact.explore.designer import Entry, compare_rules, design_fund, load_entry
from simpact.explore.scenario import parse_schedule
from simpact.explore.words import word


def parse_projects(text: str) -> list[tuple[str, int]]:
    """Lines ``path: start year`` (start 1 when left out) -> ``[(path, start), ...]``.

    Examples
    --------
    >>> parse_projects("out/nata/results.nc: 1\\nmodels/minimili.toml: 3")
    [('out/nata/results.nc', 1), ('models/minimili.toml', 3)]
    """
    out = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        path, _, start = line.rpartition(":") if ":" in line else (line, "", "1")
        out.append((path.strip(), int(start.strip() or 1)))
    return out


class FundDesigner:
    """Projects in one revolving fund: balance band, P(capital intact), P(cannot pay)."""

    def __init__(self, first: Entry | None, first_path: str, seed: int, lang: str) -> None:
        self.lang, self.seed = lang, seed
        self.loaded: dict[tuple[str, int], Entry] = {}
        if first is not None:
            self.loaded[(first_path, first.start)] = first
        self.projects = pn.widgets.TextAreaInput(
            name=word("projects", lang), value=f"{first_path}: 1", height=120, width=520
        )
        self.rule = pn.widgets.Select(
            name=word("rule", lang), options=["—", *RULES], value="—", width=250
        )
        self.schedule = pn.widgets.TextInput(name=word("repayment", lang), value="", width=250)
        self.go = pn.widgets.Button(name=word("update", lang), button_type="primary")
        self.go.on_click(lambda _: self.update())
        self.headline = pn.pane.HTML("")
        self.band = pn.pane.DataFrame(None)
        self.rules = pn.pane.DataFrame(None)

    def entries(self) -> list[Entry]:
        out = []
        for path, start in parse_projects(self.projects.value):
            if (path, start) not in self.loaded:
                self.loaded[(path, start)] = load_entry(path, start=start, seed=self.seed)
            out.append(self.loaded[(path, start)])
        return out

    def update(self) -> None:
        entries = self.entries()
        names = [e.name for e in entries]
        entries = [  # one name per project, even when a file is loaded twice
            Entry(
                f"{e.name}_{i + 1}" if names.count(e.name) > 1 else e.name,
                e.scenario,
                e.posterior,
                e.start,
            )
            for i, e in enumerate(entries)
        ]
        rule = None if self.rule.value == "—" else self.rule.value
        schedule = parse_schedule(self.schedule.value) if self.schedule.value.strip() else None
        design = design_fund(entries, rule=rule, repayment=schedule)
        head = design.headline()
        self.headline.object = "".join(
            f'<p><b>{word(k, self.lang)}</b>: <span data-metric="{k}">'
            f"{i18n.percent(v, self.lang, digits=2)}</span></p>"
            for k, v in head.items()
        )
        self.band.object = (
            (design.balance_band() / 1e6).round(2).rename(columns=lambda c: f"{c} (MSEK)")
        )
        self.rules.object = compare_rules(entries, repayment=schedule).round(4)

    def view(self) -> pn.viewable.Viewable:
        return pn.Column(
            self.projects,
            pn.pane.Markdown(word("apply_all", self.lang)),
            pn.Row(self.rule, self.schedule),
            self.go,
            self.headline,
            pn.Row(self.band, self.rules),
        )
