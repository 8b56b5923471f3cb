"""The bundled library: intervention specs in ``models/`` and sourced priors in ``priors/``.

Both folders are data (TOML), never code. In a source checkout they sit beside the package; in an
installed wheel they are shipped inside it as ``simpact/_library/``. This module finds them, reads
TOML with errors that name the file and line, validates library files (unit costs, actors, the
consumer price index) and converts money between price years.
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from simpact.errors import SpecError
from simpact.inputs import Uncertain

SCHEMA_VERSION = 1
"""The ``schema_version`` this simpact reads in every spec and library file."""

_PACKAGE = Path(__file__).resolve().parent


def library_dir(kind: Literal["models", "priors"]) -> Path:
    """Folder of the bundled ``models`` or ``priors`` (inside the wheel or beside the package).

    Examples
    --------
    >>> (library_dir("priors") / "cpi.toml").is_file()
    True
    """
    for candidate in (_PACKAGE / "_library" / kind, _PACKAGE.parent / kind):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"simpact's bundled {kind}/ folder is missing from this installation")


def read_toml(path: str | Path) -> dict:
    """Parse a TOML file; a syntax error names the file, line and column."""
    path = Path(path)
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise SpecError("file not found", source=path) from None
    except tomllib.TOMLDecodeError as exc:
        raise SpecError(f"malformed TOML: {exc}", source=path) from None


def validated[M: BaseModel](model: type[M], data: dict, *, source: str | Path) -> M:
    """Validate ``data`` with a pydantic ``model``; errors become one-line :class:`SpecError`.

    The message names the first offending field by its dotted path (``chains.0.payers``) and
    says what was expected; an unknown key is reported as such.
    """
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        field = ".".join(str(p) for p in err["loc"])
        msg = "unknown key" if err["type"] == "extra_forbidden" else err["msg"]
        if msg.startswith("Value error, "):
            msg = msg.removeprefix("Value error, ")
        more = len(exc.errors()) - 1
        if more:
            msg += f" (and {more} more problem{'s' if more > 1 else ''})"
        raise SpecError(msg, source=source, field=field or None) from None


def check_schema_version(data: dict, *, source: str | Path) -> None:
    """Refuse a file written for another ``schema_version`` with a clear message."""
    version = data.get("schema_version")
    if version is None:
        raise SpecError(
            f"missing; add `schema_version = {SCHEMA_VERSION}` at the top",
            source=source,
            field="schema_version",
        )
    if version != SCHEMA_VERSION:
        newer = isinstance(version, int) and version > SCHEMA_VERSION
        hint = "upgrade simpact" if newer else "update the file to the current schema"
        raise SpecError(
            f"file is schema {version!r}, this simpact reads schema {SCHEMA_VERSION}: {hint}",
            source=source,
            field="schema_version",
        )


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Label(_Strict):
    en: str
    sv: str


class UnitCost(_Strict):
    """A sourced unit cost: a distribution in SEK at ``price_year``."""

    label: Label
    unit: str
    price_year: int
    cost: Uncertain
    source: str = Field(min_length=1)
    note: str = ""

    @field_validator("cost")
    @classmethod
    def _non_negative(cls, cost):
        if cost.bounds()[0] < 0:
            raise ValueError("a unit cost cannot be negative")
        return cost


class Actor(_Strict):
    """A paying actor; only ``level = "municipality"`` actors can repay the fund part."""

    level: Literal["municipality", "region", "state", "individual"]
    label: Label


class _UnitCostFile(_Strict):
    schema_version: int
    unit_costs: dict[str, UnitCost]


class _ActorFile(_Strict):
    schema_version: int
    actors: dict[str, Actor]


class _CpiFile(_Strict):
    schema_version: int
    name: str
    source: str
    base: str
    index: dict[int, float]


def _load[M: BaseModel](model: type[M], name: str) -> M:
    path = library_dir("priors") / name
    data = read_toml(path)
    check_schema_version(data, source=path)
    return validated(model, data, source=path)


@cache
def unit_costs() -> dict[str, UnitCost]:
    """The sourced unit costs in ``priors/unit_costs.toml``, by key."""
    return _load(_UnitCostFile, "unit_costs.toml").unit_costs


@cache
def actors() -> dict[str, Actor]:
    """The paying actors in ``priors/actors.toml``, by key."""
    return _load(_ActorFile, "actors.toml").actors


@cache
def cpi() -> dict[int, float]:
    """Swedish CPI yearly averages (1980 = 100) from ``priors/cpi.toml``."""
    return _load(_CpiFile, "cpi.toml").index


def price_factor(from_year: int, to_year: int) -> float:
    """Multiply an amount in ``from_year`` prices by this to express it in ``to_year`` prices.

    Examples
    --------
    >>> round(price_factor(2020, 2023), 4)   # SCB KPI 403.70 / 335.92
    1.2018
    >>> price_factor(2023, 2023)
    1.0
    """
    index = cpi()
    for year in (from_year, to_year):
        if year not in index:
            raise SpecError(
                f"no CPI for price year {year}; the table covers {min(index)}–{max(index)}",
                source=library_dir("priors") / "cpi.toml",
                field="index",
            )
    return index[to_year] / index[from_year]
