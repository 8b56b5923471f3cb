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

import math
import os
import re
import tomllib
from functools import cache
from pathlib import Path
from typing import Literal

import numpy as np
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)
from scipy import stats

from simpact.errors import SpecError
from simpact.inputs import Distribution, Normal, Uncertain

SCHEMA_VERSION = 1
"""The ``schema_version`` this simpact reads in every spec and library file."""

PRIORS_PATH_ENV = "SIMPACT_PRIORS_PATH"
"""Environment variable listing extra priors folders (separated by ``os.pathsep``)."""

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
        if err["type"] == "extra_forbidden":
            msg = "unknown key"
        elif err["type"] == "missing":
            msg = f"required key `{err['loc'][-1]}` is missing"
        else:
            msg = err["msg"]
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


# --------------------------------------------------------------------------------------------
# Entry schemas
# --------------------------------------------------------------------------------------------


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Label(_Strict):
    en: str
    sv: str


Evidence = Literal["V", "S", "M"]
"""How a figure was checked: [V] read at the source, [S] secondary copy, [M] widely cited."""

_Source = Field(min_length=1, description="authors, year, title, table/page; and a URL if any")


class UnitCost(_Strict):
    """A sourced unit cost: a distribution in SEK at ``price_year``."""

    label: Label
    unit: str
    price_year: int
    cost: Uncertain
    source: str = _Source
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


class EffectSize(_Strict):
    """A literature prior for an intervention type's effect, on a stated ``scale``.

    ``effect`` is the distribution of the mean effect (e.g. normal with the meta-analytic mean
    and its standard error). Positive values mean the intervention *improves* the outcome
    (the source's sign convention is restated in ``note``).
    """

    label: Label
    intervention: str = Field(min_length=1)
    outcome: str = Field(min_length=1)
    population: str = ""
    scale: Literal["smd", "log_odds_ratio", "log_risk_ratio", "days"]
    effect: Uncertain
    source: str = _Source
    evidence: Evidence
    note: str = ""

    def on_scale(self, scale: Literal["smd", "log_odds_ratio"]) -> Distribution:
        """The prior expressed on another scale (normal priors between SMD and log odds ratio).

        Uses ln(OR) = SMD * pi / sqrt(3) (Chinn 2000, Statistics in Medicine 19:3127-3131;
        Borenstein et al. 2009, *Introduction to Meta-Analysis*, ch. 7). The sign convention is
        kept: positive = better, so for a costly event (absence, placement) the log odds ratio of
        the event is the negative of the result.

        Examples
        --------
        >>> es = effect_sizes()["attendance_eklund2022"]
        >>> round(es.on_scale("log_odds_ratio").mean(), 4)
        0.4534
        """
        if scale == self.scale:
            return self.effect
        factor = {
            ("smd", "log_odds_ratio"): _SMD_TO_LOG_OR,
            ("log_odds_ratio", "smd"): 1 / _SMD_TO_LOG_OR,
        }.get((self.scale, scale))
        if factor is None:
            raise SpecError(f"no conversion from {self.scale} to {scale}", field="scale")
        if not isinstance(self.effect, Normal):
            raise SpecError("only a normal effect prior can change scale", field="effect")
        return Normal(dist="normal", mean=self.effect.mean() * factor, sd=self.effect.sd * factor)


_SMD_TO_LOG_OR = math.pi / math.sqrt(3)
"""ln(OR) = SMD * pi / sqrt(3): the logistic distribution's standard deviation (Chinn 2000)."""


class Heterogeneity(_Strict):
    """A predictive prior for between-site heterogeneity: a distribution of ``log(tau**2)``.

    ``family = "normal"`` is a log-normal prior on tau^2 (Turner et al. 2015, log odds
    ratios); ``"student_t"`` a log-t prior with ``nu`` degrees of freedom (Rhodes et al. 2015,
    standardised mean differences). ``mu``/``sigma`` are the location and scale of log(tau^2).
    """

    label: Label
    scale: Literal["smd", "log_odds_ratio"]
    family: Literal["normal", "student_t"]
    mu: float
    sigma: float = Field(gt=0)
    nu: float | None = Field(None, gt=0)
    setting: str = ""
    source: str = _Source
    evidence: Evidence
    note: str = ""

    @model_validator(mode="after")
    def _nu(self) -> Heterogeneity:
        if (self.family == "student_t") != (self.nu is not None):
            raise ValueError("`nu` (degrees of freedom) is required for, and only for, student_t")
        return self

    def _dist(self):
        if self.family == "normal":
            return stats.norm(self.mu, self.sigma)
        return stats.t(self.nu, self.mu, self.sigma)

    def tau_quantile(self, q: float | np.ndarray) -> float | np.ndarray:
        """Quantile(s) of tau (the between-site standard deviation).

        Examples
        --------
        >>> h = Heterogeneity(label={"en": "x", "sv": "x"}, scale="smd", family="normal",
        ...                   mu=0.0, sigma=1.0, source="s", evidence="M")
        >>> float(h.tau_quantile(0.5))
        1.0
        """
        return np.sqrt(np.exp(self._dist().ppf(q)))

    def log_tau(self) -> dict[str, float]:
        """Parameters of log(tau) (half those of log(tau^2)), e.g. for a PyMC prior.

        ``family = "normal"``: ``pm.LogNormal("tau", mu=p["mu"], sigma=p["sigma"])``;
        ``"student_t"``: ``tau = exp(p["mu"] + p["sigma"] * StudentT(nu=p["nu"]))``.

        Examples
        --------
        >>> heterogeneity()["smd_general"].log_tau()
        {'mu': -1.72, 'sigma': 1.295, 'nu': 5.0}
        """
        params = {"mu": self.mu / 2, "sigma": self.sigma / 2}
        if self.nu is not None:
            params["nu"] = float(self.nu)
        return params

    def draw(self, rng: np.random.Generator, size: int) -> np.ndarray:
        """Draws of tau."""
        return np.sqrt(np.exp(self._dist().rvs(size=size, random_state=rng)))


class Persistence(_Strict):
    """Retention of a programme effect per year after the programme (1 = no drop-off)."""

    label: Label
    retention: Uncertain
    applies_to: str = ""
    source: str = _Source
    evidence: Evidence
    note: str = ""

    @field_validator("retention")
    @classmethod
    def _share(cls, retention):
        low, high = retention.bounds()
        if low < 0 or high > 1:
            raise ValueError(f"a retention share must lie in [0, 1]; this one spans {low}–{high}")
        return retention


class DiscountRate(_Strict):
    """A real discount-rate distribution (per year)."""

    label: Label
    rate: Uncertain
    source: str = _Source
    evidence: Evidence
    note: str = ""

    @field_validator("rate")
    @classmethod
    def _rate(cls, rate):
        low, high = rate.bounds()
        if low <= -1 or high > 1:
            raise ValueError(f"a rate must lie in (-1, 1]; this one spans {low}–{high}")
        return rate


# --------------------------------------------------------------------------------------------
# File schemas, one per kind; KINDS maps the kind (= its table name) to the file schema
# --------------------------------------------------------------------------------------------


class _File(_Strict):
    schema_version: int


class _UnitCostFile(_File):
    kind: Literal["unit_costs"] = "unit_costs"
    unit_costs: dict[str, UnitCost]


class _ActorFile(_File):
    kind: Literal["actors"] = "actors"
    actors: dict[str, Actor]


class _CpiFile(_File):
    kind: Literal["cpi"] = "cpi"
    name: str
    source: str = _Source
    base: str
    index: dict[int, float]

    @field_validator("index")
    @classmethod
    def _positive(cls, index):
        bad = [year for year, value in index.items() if not value > 0]
        if bad:
            raise ValueError(f"index values must be > 0 (years {bad})")
        return index


class _EffectSizeFile(_File):
    kind: Literal["effect_sizes"] = "effect_sizes"
    effect_sizes: dict[str, EffectSize]


class _HeterogeneityFile(_File):
    kind: Literal["heterogeneity"] = "heterogeneity"
    heterogeneity: dict[str, Heterogeneity]


class _PersistenceFile(_File):
    kind: Literal["persistence"] = "persistence"
    persistence: dict[str, Persistence] = {}


class _DiscountFile(_File):
    kind: Literal["discount_rates"] = "discount_rates"
    discount_rates: dict[str, DiscountRate]


KINDS: dict[str, tuple[type[_File], str]] = {
    "unit_costs": (_UnitCostFile, "unit_costs"),
    "actors": (_ActorFile, "actors"),
    "cpi": (_CpiFile, "index"),
    "effect_sizes": (_EffectSizeFile, "effect_sizes"),
    "heterogeneity": (_HeterogeneityFile, "heterogeneity"),
    "persistence": (_PersistenceFile, "persistence"),
    "discount_rates": (_DiscountFile, "discount_rates"),
}
"""Registry of priors-file kinds: kind -> (file schema, the table holding its entries)."""


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


def _line_of(path: Path, field: str | None) -> int | None:
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


def _read_kind(path: Path) -> tuple[str, _File]:
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
        line = _line_of(path, exc.field)
        where = f"{path}:{line}" if line else path
        raise SpecError(exc.message, source=where, field=exc.field) from None


def _check_price_years(
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


def validate_file(path: str | Path) -> str:
    """Validate one TOML file of ``models/`` or ``priors/`` and return its kind.

    Model specs go through :func:`simpact.spec.load_model`; priors files through the schema of
    their kind (:data:`KINDS`); unit costs must also have a ``price_year`` the CPI covers.
    Every problem is a :class:`SpecError` naming the file (and line), the key and what was
    expected.

    Examples
    --------
    >>> validate_file(library_dir("priors") / "unit_costs.toml")
    'unit_costs'
    >>> validate_file(library_dir("models") / "nata.toml")
    'model'
    """
    path = Path(path)
    data = read_toml(path)
    check_schema_version(data, source=path)
    if file_kind(data, source=path) == "model":
        from simpact.spec import load_model  # spec imports this module

        load_model(path)
        return "model"
    kind, parsed = _read_kind(path)
    if kind == "unit_costs":
        folder = path.resolve().parent
        own = None if folder in priors_path() else folder  # a user folder may bring its own CPI
        _check_price_years(parsed.unit_costs, cpi(extra=own), path)
    return kind


def validate_paths(*paths: str | Path) -> list[tuple[Path, str]]:
    """Validate files and folders (every ``*.toml`` in them, sorted); return (file, kind) pairs.

    Stops at the first broken file with its :class:`SpecError`. This is what
    ``simpact validate models/ priors/`` runs.

    Examples
    --------
    >>> {kind for _, kind in validate_paths(library_dir("models"))}
    {'model'}
    """
    files = [
        file
        for path in map(Path, paths)
        for file in (sorted(path.glob("*.toml")) if path.is_dir() else [path])
    ]
    return [(file, validate_file(file)) for file in files]


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
def _files_by_kind(folders: tuple[Path, ...]) -> dict[str, list[tuple[Path, _File]]]:
    found: dict[str, list[tuple[Path, _File]]] = {kind: [] for kind in KINDS}
    for folder in folders:
        for path in sorted(folder.glob("*.toml")):
            kind, parsed = _read_kind(path)
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
            _check_price_years({key: entry}, index, origin[key])
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
