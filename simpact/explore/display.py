"""The explorer's numbers as text, in Swedish or English: one place, so the page and its tests
format a number the same way."""

from __future__ import annotations

from simpact.base import i18n
from simpact.explore.evaluate import Evaluation
from simpact.explore.words import word

PROBABILITIES = ("p_full_on_schedule", "p_full_by_horizon")


def probability(p: float, lang: str) -> str:
    """A probability as shown on the page (two decimals of a per cent)."""
    return i18n.percent(p, lang, digits=2)


def readout(ev: Evaluation, lang: str) -> list[tuple[str, str, str]]:
    """The headline numbers as ``(key, label, text)`` rows, in page order."""
    nums = ev.numbers()
    rows = [(m, word(m, lang), probability(nums[m], lang)) for m in PROBABILITIES]
    rows.append(
        (
            "expected_shortfall",
            word("expected_shortfall", lang),
            i18n.msek(nums["expected_shortfall"], lang, digits=2),
        )
    )
    scopes = [k.split(".")[1] for k in nums if k.startswith("npv.") and k.count(".") == 1]
    for scope in [s for s in scopes if s != "total"] + ["total"]:
        shown = word("total", lang) if scope == "total" else i18n.input_name(scope, lang)
        interval = (
            f"{i18n.msek(nums[f'npv.{scope}'], lang, digits=2)} "
            f"({word('interval', lang)} {i18n.msek(nums[f'npv.{scope}.lower'], lang, digits=2)}"
            f" – {i18n.msek(nums[f'npv.{scope}.upper'], lang, digits=2)}); "
            f"{word('p_npv_positive', lang)} {probability(nums[f'p_npv_positive.{scope}'], lang)}"
        )
        rows.append((f"npv.{scope}", f"{word('npv', lang)}, {shown}", interval))
    return rows


def readout_html(ev: Evaluation, lang: str) -> str:
    """The readout as an HTML table (each value cell carries ``data-metric``)."""
    cells = "".join(
        f'<tr><th style="text-align:left;padding-right:1em">{label}</th>'
        f'<td data-metric="{key}">{text}</td></tr>'
        for key, label, text in readout(ev, lang)
    )
    return f'<table class="simpact-readout">{cells}</table>'
