"""The bundled library: intervention specs in ``models/`` and sourced priors in ``priors/``.

Both folders are data (TOML), never code. In a source checkout they sit beside the package; in an
installed wheel they are shipped inside it as ``simpact/_library/``. This module finds them, reads
TOML with errors that name the file and line, validates every kind of library file and converts
money between price years.

Kinds of priors file
--------------------
Every file has ``schema_version`` and one top-level table that says what it holds (or an explicit
``kind = "..."`` naming that table). Each entry names its ``source``; money also its
``price_year``. Markers in sources: [V] read at the source, [S] from a secondary copy, [M] widely
cited but not re-checked.

=================  ======================  =================================================
table / ``kind``   entry                   loader
=================  ======================  =================================================
``unit_costs``     :class:`UnitCost`       :func:`unit_costs`
``actors``         :class:`Actor`          :func:`actors`
``index``          yearly CPI (``cpi``)    :func:`cpi`, :func:`price_factor`
``effect_sizes``   :class:`EffectSize`     :func:`effect_sizes`
``heterogeneity``  :class:`Heterogeneity`  :func:`heterogeneity`
``persistence``    :class:`Persistence`    :func:`persistence`
``discount_rates`` :class:`DiscountRate`   :func:`discount_rates`
=================  ======================  =================================================

Extending the library without touching simpact
----------------------------------------------
Put your own TOML files (same schema) in a folder and either pass it to a loader
(``unit_costs(extra=Path("my_priors"))``) or list it in the environment variable
``SIMPACT_PRIORS_PATH`` (several folders separated by ``os.pathsep``). Folders are read in the
order bundled, ``SIMPACT_PRIORS_PATH``, ``extra``; their entries are merged by key. A key defined
twice is refused with both files named (give your entry its own key, e.g. ``ale_hvb_day``).
``simpact validate priors/ my_priors/`` checks files one by one with :func:`validate_file`.
"""

from __future__ import annotations

import hashlib
import os
import re
from functools import cache
from pathlib import Path

from simpact.base.errors import SpecError
from simpact.config.entries import (
    KINDS,
    Actor,
    DiscountRate,
    EffectSize,
    File,
    Heterogeneity,
    Persistence,
    UnitCost,
)
from simpact.config.toml import check_schema_version, library_dir, read_toml, validated

PRIORS_PATH_ENV = "SIMPACT_PRIORS_PATH"
"""Environment variable listing extra priors folders (separated by ``os.pathsep``)."""


def file_kind(data: dict, *, source: str | Path = "dict") -> str:
    """Tell what a parsed library file holds: ``"model"`` or a key of :data:`KINDS`.

    An explicit top-level ``kind = "..."`` wins; otherwise the kind is recognised by its table
    (``[unit_costs.*]``, ``[index]``, ``[intervention]`` for a model spec, ...).

    Examples
    --------
    >>> file_kind({"schema_version": 1, "unit_costs": {}})
    'unit_costs'
    >>> file_kind({"schema_version": 1, "intervention": {}})
    'model'
    """
    declared = data.get("kind")
    if declared is not None:
        if declared not in KINDS:
            raise SpecError(
                f"unknown kind {declared!r}; expected one of {', '.join(KINDS)}",
                source=source,
                field="kind",
            )
        return declared
    if "intervention" in data:
        return "model"
    found = [kind for kind, (_, table) in KINDS.items() if table in data]
    if len(found) == 1:
        return found[0]
    tables = ", ".join(f"[{table}]" for _, table in KINDS.values())
    what = f"both {' and '.join(found)}" if found else "none of the known tables"
    raise SpecError(
        f"cannot tell what kind of file this is: it has {what}; expected exactly one of "
        f'{tables}, an [intervention] (model spec), or a top-level `kind = "..."`',
        source=source,
    )


def line_of(path: Path, field: str | None) -> int | None:
    """Best-effort line number of a dotted ``field`` (its table header, then its key)."""
    if not field or not path.is_file():
        return None
    parts = field.split(".")
    lines = path.read_text(encoding="utf-8").splitlines()
    line = None
    for depth in range(min(len(parts), 3), 0, -1):
        header = re.compile(r"^\s*\[+\s*" + re.escape(".".join(parts[:depth])) + r"\s*\]+")
        hits = [i for i, text in enumerate(lines) if header.match(text)]
        if hits:
            line = hits[0]
            rest = parts[depth:]
            if rest:
                key = re.compile(r"^\s*" + re.escape(rest[0]) + r"\s*=")
                for i in range(line + 1, len(lines)):
                    if lines[i].lstrip().startswith("["):
                        break
                    if key.match(lines[i]):
                        return i + 1
            return line + 1
    key = re.compile(r"^\s*" + re.escape(parts[0]) + r"\s*=")
    hits = [i for i, text in enumerate(lines) if key.match(text)]
    return hits[0] + 1 if hits else None


def read_kind(path: Path) -> tuple[str, File]:
    """Read, version-check and validate one priors file; errors carry ``file:line``."""
    data = read_toml(path)
    check_schema_version(data, source=path)
    found = file_kind(data, source=path)
    if found == "model":
        raise SpecError("a model spec, not a priors file", source=path)
    model, _ = KINDS[found]
    try:
        return found, validated(model, data, source=path)
    except SpecError as exc:
        line = line_of(path, exc.field)
        where = f"{path}:{line}" if line else path
        raise SpecError(exc.message, source=where, field=exc.field) from None


def check_price_years(
    costs: dict[str, UnitCost], index: dict[int, float], source: str | Path
) -> None:
    for key, entry in costs.items():
        if entry.price_year not in index:
            raise SpecError(
                f"price_year {entry.price_year} is not in the CPI table "
                f"({min(index)}–{max(index)}); add it to a cpi file with its source",
                source=source,
                field=f"unit_costs.{key}.price_year",
            )


# --------------------------------------------------------------------------------------------
# Loaders: bundled folder, then SIMPACT_PRIORS_PATH, then ``extra``; merged by key
# --------------------------------------------------------------------------------------------


def priors_path(extra: str | Path | None = None) -> tuple[Path, ...]:
    """The priors folders read, in order: bundled, ``$SIMPACT_PRIORS_PATH``, ``extra``.

    Examples
    --------
    >>> priors_path()[0] == library_dir("priors")
    True
    """
    folders = [library_dir("priors")]
    folders += [Path(p) for p in os.environ.get(PRIORS_PATH_ENV, "").split(os.pathsep) if p]
    if extra is not None:
        folders.append(Path(extra))
    for folder in folders[1:]:
        if not folder.is_dir():
            raise SpecError("priors folder not found", source=folder)
    return tuple(folder.resolve() for folder in folders)


@cache
def _files_by_kind(folders: tuple[Path, ...]) -> dict[str, list[tuple[Path, File]]]:
    found: dict[str, list[tuple[Path, File]]] = {kind: [] for kind in KINDS}
    for folder in folders:
        for path in sorted(folder.glob("*.toml")):
            kind, parsed = read_kind(path)
            found[kind].append((path, parsed))
    return found


@cache
def _merged(kind: str, folders: tuple[Path, ...]) -> dict:
    table = KINDS[kind][1]
    merged: dict = {}
    origin: dict = {}
    for path, parsed in _files_by_kind(folders)[kind]:
        for key, entry in getattr(parsed, table).items():
            if key in merged and merged[key] != entry:
                raise SpecError(
                    f"{key!r} is already defined in {origin[key]}; give this entry its own key",
                    source=path,
                    field=f"{table}.{key}",
                )
            merged[key], origin[key] = entry, path
    if kind == "unit_costs":
        index = _merged("cpi", folders)
        for key, entry in merged.items():
            check_price_years({key: entry}, index, origin[key])
    return merged


def unit_costs(*, extra: str | Path | None = None) -> dict[str, UnitCost]:
    """The sourced unit costs (``[unit_costs.*]`` in the priors folders), by key.

    Examples
    --------
    >>> entry = unit_costs()["bbic_investigation"]
    >>> entry.price_year, entry.unit
    (2015, 'SEK per case')
    """
    return _merged("unit_costs", priors_path(extra))


def actors(*, extra: str | Path | None = None) -> dict[str, Actor]:
    """The paying actors (``[actors.*]``), by key."""
    return _merged("actors", priors_path(extra))


def cpi(*, extra: str | Path | None = None) -> dict[int, float]:
    """Swedish CPI yearly averages (1980 = 100) from ``priors/cpi.toml`` (and extensions)."""
    return _merged("cpi", priors_path(extra))


def effect_sizes(*, extra: str | Path | None = None) -> dict[str, EffectSize]:
    """Literature effect-size priors (``[effect_sizes.*]``), by key.

    Examples
    --------
    >>> prior = effect_sizes()["attendance_eklund2022"]
    >>> prior.scale
    'smd'
    """
    return _merged("effect_sizes", priors_path(extra))


def heterogeneity(*, extra: str | Path | None = None) -> dict[str, Heterogeneity]:
    """Predictive priors for between-site heterogeneity (``[heterogeneity.*]``), by key."""
    return _merged("heterogeneity", priors_path(extra))


def persistence(*, extra: str | Path | None = None) -> dict[str, Persistence]:
    """Retention-per-year (drop-off) priors (``[persistence.*]``), by key."""
    return _merged("persistence", priors_path(extra))


def discount_rates(*, extra: str | Path | None = None) -> dict[str, DiscountRate]:
    """Real discount-rate distributions (``[discount_rates.*]``); ``"default"`` is simpact's.

    Examples
    --------
    >>> round(discount_rates()["default"].rate.mean(), 4)
    0.035
    """
    return _merged("discount_rates", priors_path(extra))


def price_factor(from_year: int, to_year: int, *, extra: str | Path | None = None) -> float:
    """Multiply an amount in ``from_year`` prices by this to express it in ``to_year`` prices.

    Examples
    --------
    >>> round(price_factor(2020, 2023), 4)   # SCB KPI 403.70 / 335.92
    1.2018
    >>> price_factor(2023, 2023)
    1.0
    """
    index = cpi(extra=extra)
    for year in (from_year, to_year):
        if year not in index:
            raise SpecError(
                f"no CPI for price year {year}; the table covers {min(index)}–{max(index)}",
                source=library_dir("priors") / "cpi.toml",
                field="index",
            )
    return index[to_year] / index[from_year]


def priors_sha256(extra: str | Path | None = None) -> str:
    """One SHA-256 over every priors file read: the bundled folder and any user folders."""
    h = hashlib.sha256()
    for folder in priors_path(extra):
        for path in sorted(folder.glob("*.toml")):
            h.update(path.name.encode())
            h.update(path.read_bytes())
    return h.hexdigest()
