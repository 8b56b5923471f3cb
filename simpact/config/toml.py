"""Reading the library's TOML files: where the bundled folders are, parsing with errors that
name the file and line, validating with pydantic into one-line errors, and the schema version."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from simpact.base.errors import SpecError

SCHEMA_VERSION = 1
"""The ``schema_version`` this simpact reads in every spec and library file."""

_PACKAGE = Path(__file__).resolve().parent.parent


class Strict(BaseModel):
    """A frozen pydantic model that refuses unknown keys (every spec and library table)."""

    model_config = ConfigDict(extra="forbid", frozen=True)


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
    if path.is_dir():
        raise SpecError("is a folder, not a TOML file", source=path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise SpecError("file not found", source=path) from None
    except PermissionError:
        raise SpecError("cannot be read (permission denied)", source=path) from None
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        raise SpecError(
            f"is not UTF-8 text (byte {exc.object[exc.start]:#x} on line {line}); save it as "
            "UTF-8 (in Notepad: Save as, Encoding UTF-8)",
            source=path,
        ) from None
    try:
        return tomllib.loads(text)
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
