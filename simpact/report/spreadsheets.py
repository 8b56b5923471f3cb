"""The report's tables for spreadsheets and scripts.

A reader opens ``summary.csv`` or ``summary.xlsx`` in a spreadsheet: headers, row names and
units are in the report's language, numbers are rounded sensibly, and under ``--lang sv`` the
CSV is ``;``-separated with decimal commas and UTF-8 with a byte-order mark (what Excel with
Swedish settings reads); ``--lang en`` keeps ``,`` and ``.``. A script reads ``summary.json``:
the decision table with its keys (``metric``, ``scope``, ``kind``, ``units``) at full precision.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd

from simpact.base import i18n, scales, storage
from simpact.config import labels
from simpact.config.spec import ModelSpec
from simpact.report.tables import row_label
from simpact.report.words import WORDS

CSV_FORMATS = {
    "en": {"sep": ",", "decimal": ".", "encoding": "utf-8"},
    "sv": {"sep": ";", "decimal": ",", "encoding": "utf-8-sig"},
}
"""How each language's CSV files are written (pandas ``to_csv`` arguments)."""

COLUMNS = ("label", "scope", "mean", "lower", "upper", "mcse", "kind", "units")
"""The summary sheet's columns, in order (their headers are in :data:`HEADERS`)."""

HEADERS = {
    "en": {
        "label": "Quantity",
        "scope": "For",
        "mean": "Estimate",
        "lower": "Lower bound (P5)",
        "upper": "Upper bound (P95)",
        "mcse": "Monte Carlo error",
        "kind": "Uncertainty",
        "units": "Units",
        "p_better": "P(better)",
        "scale": "Scale",
        "project_year": "Project year",
        "calendar_year": "Calendar year",
        "parameter": "Parameter",
        "sd": "sd",
    },
    "sv": {
        "label": "Storhet",
        "scope": "För",
        "mean": "Skattning",
        "lower": "Nedre gräns (P5)",
        "upper": "Övre gräns (P95)",
        "mcse": "Monte Carlo-fel",
        "kind": "Osäkerhet",
        "units": "Enhet",
        "p_better": "P(bättre)",
        "scale": "Skala",
        "project_year": "Projektår",
        "calendar_year": "Kalenderår",
        "parameter": "Parameter",
        "sd": "sd",
    },
}
"""Spreadsheet headers by language."""

KINDS = {
    "en": {
        "posterior": "90% interval of the draws",
        "monte_carlo": "probability ± Monte Carlo error",
        "value": "value",
    },
    "sv": {
        "posterior": "90\u00a0%-intervall för dragningarna",
        "monte_carlo": "sannolikhet ± Monte Carlo-fel",
        "value": "värde",
    },
}
"""A row's ``kind`` in words."""

UNITS = {
    "en": {"1": "share (0–1)", "project year": "project year", "SEK/SEK": "SEK per SEK"},
    "sv": {"1": "andel (0–1)", "project year": "projektår", "SEK/SEK": "kr per kr"},
}
"""Units in words (money: ``SEK (<year> prices)``, written by :func:`units_label`)."""


def units_label(units: str, lang: str) -> str:
    """Units in words.

    Examples
    --------
    >>> units_label("SEK (2023 prices)", "sv"), units_label("1", "en")
    ('kr (2023 års priser)', 'share (0–1)')
    """
    if units in UNITS[lang]:
        return UNITS[lang][units]
    if units.startswith("SEK (") and lang == "sv":
        return "kr (" + units[5:].replace(" prices", "").rstrip(")") + " års priser)"
    return units


def digits(units: str) -> int:
    """Sensible rounding: whole kronor, four decimals of a share, two of a ratio or year."""
    if units.startswith("SEK") and units != "SEK/SEK":
        return 0
    return 4 if units == "1" else 2


def metric_label(metric: str, scope: str, lang: str, years: dict[str, int]) -> str:
    """A summary row's quantity in words (an effect row names its scale)."""
    if metric.startswith("effect_") and metric[7:] in scales.SCALES:
        return f"{i18n.WORDS[lang]['effect']}: {scales.SCALES[metric[7:]].label[lang]}"
    return row_label(metric, lang, years)


def scope_words(metric: str, scope: str, lang: str, spec: ModelSpec | None) -> str:
    """A summary row's scope in words: an actor, an input group (EVPPI) or a year."""
    if metric == "evppi":
        return labels.input_label(scope, spec, lang)
    if metric == "p_repaid_by_year":
        return f"{WORDS[lang]['year']} {scope}"
    if scope == "treated":
        return WORDS[lang]["treated"]
    return labels.actor_label(scope, lang)


def readable_summary(
    table: pd.DataFrame, lang: str, *, years: dict[str, int], spec: ModelSpec | None
) -> pd.DataFrame:
    """The decision table for a spreadsheet: words, rounding, and a probability's Monte Carlo
    interval left out (its Monte Carlo error is the column that says how precise it is)."""
    rows = []
    for (metric, scope), r in table.iterrows():
        units = str(r["units"])
        places = digits(units)
        posterior = r["kind"] == "posterior"
        rows.append(
            {
                "label": metric_label(str(metric), str(scope), lang, years),
                "scope": scope_words(str(metric), str(scope), lang, spec),
                "mean": _round(r["mean"], places),
                "lower": _round(r["lower"], places) if posterior else math.nan,
                "upper": _round(r["upper"], places) if posterior else math.nan,
                "mcse": _round(r["mcse"], places + 1),
                "kind": KINDS[lang].get(str(r["kind"]), str(r["kind"])),
                "units": units_label(units, lang),
            }
        )
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    return frame.rename(columns=HEADERS[lang])


def _round(x, places: int) -> float:
    return math.nan if x is None or pd.isna(x) else round(float(x), places)


def readable(
    frames: dict[str, pd.DataFrame],
    lang: str,
    *,
    years: dict[str, int] | None = None,
    spec: ModelSpec | None = None,
) -> dict[str, pd.DataFrame]:
    """Every table of :func:`simpact.report.tables.tables` in words, for CSV and .xlsx."""
    h = HEADERS[lang]
    out = {}
    for name, frame in frames.items():
        if name == "summary":
            out[name] = readable_summary(frame, lang, years=years or {}, spec=spec)
        elif name == "savings":
            words = {c: labels.actor_label(str(c), lang) for c in frame.columns}
            words["calendar_year"] = h["calendar_year"]
            f = frame.rename(columns=words).rename_axis(h["project_year"])
            out[name] = f.reset_index().round(0)
        elif name == "effect":
            f = frame.rename(
                index=lambda s: scales.SCALES[s].label[lang] if s in scales.SCALES else s
            )
            f = f.rename(columns={k: h.get(k, k) for k in f.columns}).round(4)
            out[name] = f.rename_axis(h["scale"]).reset_index()
        else:  # diagnostics: the sampler's own terms (R-hat, ESS) are kept
            names = {
                s: scales.SCALES[s].label[lang]
                if s in scales.SCALES
                else labels.key_label("prior", str(s), lang)
                for s in frame.index
            }
            f = frame.rename(index=names)
            f = f.rename(columns={"mean": h["mean"]}).round(4)
            out[name] = f.rename_axis(h["parameter"]).reset_index()
    return out


def write_tables(
    frames: dict[str, pd.DataFrame],
    out: str | Path,
    *,
    xlsx: str = "summary.xlsx",
    lang: str = "en",
) -> dict[str, Path]:
    """Write each table as ``<name>.csv`` (in ``lang``'s CSV format, :data:`CSV_FORMATS`) and
    all of them as sheets of one ``.xlsx``, atomically. ``frames`` are written as given (pass
    them through :func:`readable` for a reader).

    Examples
    --------
    >>> import tempfile
    >>> folder = tempfile.mkdtemp()
    >>> paths = write_tables({"t": pd.DataFrame({"a": [1.5]})}, folder, lang="sv")
    >>> sorted(paths), paths["t"].read_bytes()[:3] == b"\\xef\\xbb\\xbf"
    (['t', 'xlsx'], True)
    >>> pd.read_csv(paths["t"], sep=";", decimal=",", encoding="utf-8-sig")["a"].tolist()
    [1.5]
    """
    out = Path(out)
    files = {}
    for name, frame in frames.items():
        with storage.atomic_path(out / f"{name}.csv") as tmp:
            frame.to_csv(tmp, index=_keeps_index(frame), **CSV_FORMATS[lang])
        files[name] = out / f"{name}.csv"
    with storage.atomic_path(out / xlsx) as tmp:
        with pd.ExcelWriter(tmp, engine="openpyxl") as writer:
            for name, frame in frames.items():
                frame.to_excel(
                    writer, sheet_name=name[:31], merge_cells=False, index=_keeps_index(frame)
                )
    files["xlsx"] = out / xlsx
    return files


def _keeps_index(frame: pd.DataFrame) -> bool:
    """A named index is data (a key); a plain range index is not."""
    return any(n is not None for n in frame.index.names)


def write_json(table: pd.DataFrame, path: str | Path, **attrs) -> Path:
    """The decision table as JSON for scripts: ``{"rows": [{metric, scope, kind, units, mean,
    lower, upper, mcse, ...}], **attrs}``, keys as in the table, numbers at full precision
    (NaN as ``null``).

    Examples
    --------
    >>> import tempfile
    >>> index = pd.MultiIndex.from_tuples([("npv", "total")], names=["metric", "scope"])
    >>> t = pd.DataFrame({"mean": [1 / 3], "lower": [float("nan")]}, index=index)
    >>> path = write_json(t, Path(tempfile.mkdtemp()) / "summary.json", lang="en")
    >>> json.loads(path.read_text())["rows"][0]
    {'metric': 'npv', 'scope': 'total', 'mean': 0.3333333333333333, 'lower': None}
    """
    rows = [
        {k: (None if isinstance(v, float) and math.isnan(v) else _plain(v)) for k, v in r.items()}
        for r in table.reset_index().to_dict(orient="records")
    ]
    path = Path(path)
    with storage.atomic_path(path) as tmp:
        tmp.write_text(json.dumps({**attrs, "rows": rows}, ensure_ascii=False, indent=1), "utf-8")
    return path


def _plain(v):
    """A numpy scalar as a plain Python number (JSON has no numpy)."""
    return v.item() if hasattr(v, "item") else v
