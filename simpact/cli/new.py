"""``simpact new``: start a model spec from the bundled template."""

from __future__ import annotations

import re
import tomllib
import unicodedata
from pathlib import Path
from typing import Annotated

import typer

from simpact.base.errors import SimpactError, SpecError
from simpact.cli.app import app, out

_NEW_HEADER = """\
# {name}: a new simpact model spec, made by `simpact new` from the bundled {origin}.
# Every number below is the example's and must be replaced with your own (each ASSUMPTION says
# so). Point [data] path at your follow-up table (CSV, .xlsx or .parquet), then run
#     simpact validate {file}
#     simpact run {file}
"""


def new_spec_text(name: str) -> str:
    """The text of a new model spec called ``name``, valid against :func:`simpact.load_model`.

    Copies ``models/template.toml`` when it exists, else ``models/nata.toml`` with its data path
    removed; sets ``[intervention] id`` and ``name``.

    Examples
    --------
    >>> 'id = "family_support"' in new_spec_text("Family support")
    True
    """
    from simpact.config import library_dir, load_model

    slug = re.sub(r"[^a-z0-9]+", "_", _ascii(name.strip().lower())).strip("_")
    if not re.fullmatch(r"[a-z][a-z0-9_]*", slug):
        raise SpecError(
            f"{name!r} does not make a spec id; start with a letter (a-z)", field="NAME"
        )
    models = library_dir("models")
    template = models / "template.toml"
    origin = template if template.is_file() else models / "nata.toml"
    text = origin.read_text(encoding="utf-8")
    section = None
    lines = []
    for line in text.splitlines():
        header = re.match(r"^\s*\[([^\[\]]+)\]\s*(#.*)?$", line)
        if header:
            section = header.group(1).strip()
        if section == "intervention" and re.match(r"^\s*id\s*=", line):
            line = f'id = "{slug}"'
        elif section == "intervention" and re.match(r"^\s*name\s*=", line):
            line = f'name = "{name.strip()}"'
        elif section == "data" and origin.name != "template.toml":
            if re.match(r"^\s*path\s*=", line):
                line = '# path = "data/my_followup.csv"   # your follow-up table, relative to here'
            elif re.match(r"^\s*synthetic\s*=", line):
                line = "synthetic = false"
            elif re.match(r"^\s*description\s*=", line):
                line = 'description = ""'
        lines.append(line)
    header = _NEW_HEADER.format(
        name=name.strip(), origin=f"models/{origin.name}", file=f"{slug}.toml"
    )
    text = header + "\n".join(lines) + "\n"
    load_model(tomllib.loads(text))  # the copy must stay a valid spec
    return text


@app.command()
def new(
    name: Annotated[str, typer.Argument(help="Name of the intervention, e.g. 'Family support'.")],
    folder: Annotated[Path, typer.Option("--dir", help="Folder to write NAME.toml into.")] = Path(
        "."
    ),
) -> None:
    """Start a new model spec from the bundled template, ready to edit and validate."""
    from simpact.base import storage

    text = new_spec_text(name)
    slug = re.search(r'^id = "([^"]+)"', text, re.MULTILINE).group(1)
    target = folder / f"{slug}.toml"
    if target.exists():
        raise SimpactError("already exists; choose another name or --dir", source=target)
    with storage.atomic_path(target) as tmp:
        tmp.write_text(text, encoding="utf-8")
    out.print(f"Wrote {target}. Edit it, then: simpact validate {target}", highlight=False)


def _ascii(text: str) -> str:
    """Letters without their accents (å, ä -> a; ö -> o; é -> e), for file names and ids.

    Examples
    --------
    >>> _ascii("övergångsstöd för ungdomar")
    'overgangsstod for ungdomar'
    """
    decomposed = unicodedata.normalize("NFKD", text.replace("ø", "o").replace("æ", "ae"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))
