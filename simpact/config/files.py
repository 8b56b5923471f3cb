"""Checking library files one by one: ``simpact validate models/ priors/ my_priors/``."""

from __future__ import annotations

from pathlib import Path

from simpact.config.loading import load_model
from simpact.config.priors import check_price_years, cpi, file_kind, priors_path, read_kind
from simpact.config.toml import check_schema_version, library_dir, read_toml  # noqa: F401 (doctests)


def validate_file(path: str | Path) -> str:
    """Validate one TOML file of ``models/`` or ``priors/`` and return its kind.

    Model specs go through :func:`simpact.config.load_model`; priors files through the schema of
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
        load_model(path)
        return "model"
    kind, parsed = read_kind(path)
    if kind == "unit_costs":
        folder = path.resolve().parent
        own = None if folder in priors_path() else folder  # a user folder may bring its own CPI
        check_price_years(parsed.unit_costs, cpi(extra=own), path)
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
    return [(file, validate_file(file)) for file in toml_files(*paths)]


def toml_files(*paths: str | Path) -> list[Path]:
    """The files named, with each folder replaced by its ``*.toml`` files (sorted)."""
    return [
        file
        for path in map(Path, paths)
        for file in (sorted(path.glob("*.toml")) if path.is_dir() else [path])
    ]
