"""Loading a spec: TOML (or a dict) -> priors keys resolved -> pydantic -> cross-field checks.

:func:`load_model` is the one way in; every problem is a :class:`~simpact.base.errors.SpecError`
naming the file and the dotted field.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from simpact.base.errors import SpecError
from simpact.config import priors
from simpact.config.checks import check_spec
from simpact.config.spec import ModelSpec
from simpact.config.toml import check_schema_version, library_dir, read_toml, validated

PRIOR_REFERENCES: dict[str, tuple[Callable[[], dict], str, str]] = {
    "retention": (priors.persistence, "retention", "priors/persistence.toml"),
    "discount_rate": (priors.discount_rates, "rate", "priors/discount_rates.toml"),
}
"""Spec fields that may name a priors entry instead of giving a distribution, wherever they
appear (``simulation.retention = "wsipp_test_scores"``, an outcome's ``retention``, a
``persistence`` table's ``retention``, ``simulation.discount_rate = "default"``): field -> (the
priors loader, the entry's distribution attribute, the file to name in errors)."""


def _resolve_prior_references(raw: dict, *, source: str) -> dict:
    """A copy of ``raw`` with each priors key in a :data:`PRIOR_REFERENCES` field replaced by
    the entry's distribution (the spec's own text, kept for provenance, still names the key)."""

    def walk(node, path: str):
        if isinstance(node, list):
            return [walk(value, f"{path}.{i}") for i, value in enumerate(node)]
        if not isinstance(node, dict):
            return node
        out = {}
        for key, value in node.items():
            at = f"{path}.{key}" if path else str(key)
            if key in PRIOR_REFERENCES and isinstance(value, str):
                loader, attribute, file = PRIOR_REFERENCES[key]
                entries = loader()
                if value not in entries:
                    raise SpecError(
                        f"unknown {key} prior {value!r}; expected a key of {file} "
                        f"({', '.join(entries) or 'none defined'}) or a number or {{ dist = ... }}",
                        source=source,
                        field=at,
                    )
                out[key] = getattr(entries[value], attribute)
            else:
                out[key] = walk(value, at)
        return out

    return walk(raw, "")


def load_model(spec: str | Path | dict | ModelSpec) -> ModelSpec:
    """Load and validate an intervention spec.

    Parameters
    ----------
    spec
        Path to a TOML file, a name of a bundled model (``"nata"``), an already parsed dict
        (relative data paths then resolve against the working directory), or a ``ModelSpec``.

    Returns
    -------
    ModelSpec
        The frozen, validated spec.

    Raises
    ------
    SpecError
        Malformed TOML, an unknown key, a missing field, shares that do not sum to 1, an unknown
        actor, unit cost or priors key, ... -- naming the file and the field.

    Examples
    --------
    >>> spec = load_model("nata")
    >>> spec.intervention.id
    'nata'
    """
    if isinstance(spec, ModelSpec):
        return spec
    if isinstance(spec, dict):
        raw, source, base = spec, "dict", Path.cwd()
    else:
        path = _spec_path(spec)
        raw, source, base = read_toml(path), str(path), path.resolve().parent
    try:
        check_schema_version(raw, source=source)
        resolved = _resolve_prior_references(raw, source=source)
        model = validated(ModelSpec, resolved, source=source)
        model.locate(source=source, base=base, raw=raw)
        check_spec(model)
    except SpecError as exc:
        raise SpecError(exc.message, source=exc.source, field=_named(exc.field, raw)) from None
    return model


def _spec_path(spec: str | Path) -> Path:
    """A spec file, or the bundled model of that name (``"nata"``)."""
    path = Path(spec)
    if path.suffix or path.exists():
        return path
    bundled = library_dir("models") / f"{spec}.toml"
    if not bundled.is_file():
        names = sorted(p.stem for p in library_dir("models").glob("*.toml"))
        raise SpecError(
            f"no such file, and no bundled model of that name (bundled: {', '.join(names)})",
            source=spec,
        )
    return bundled


def _named(field: str | None, raw: dict) -> str | None:
    """``outcomes.3.payers`` -> ``outcomes.3 (placement).payers``: the outcome's name shown."""
    if not field or not field.startswith("outcomes."):
        return field
    head, index, *rest = field.split(".") + [""][: 2 - len(field.split("."))]
    outcomes = raw.get("outcomes")
    if not index.isdigit() or not isinstance(outcomes, list) or int(index) >= len(outcomes):
        return field
    name = outcomes[int(index)].get("name") if isinstance(outcomes[int(index)], dict) else None
    shown = f"{head}.{index} ({name})" if isinstance(name, str) and name else f"{head}.{index}"
    return ".".join([shown, *[r for r in rest if r]])


def spec_of(tree) -> ModelSpec | None:
    """The spec a results tree was simulated from (its root ``attrs["spec"]``), or ``None``.

    The one place a saved spec is read back: reports, summaries and the command line ask this
    rather than parsing the JSON themselves.
    """
    text = tree.attrs.get("spec") if tree is not None else None
    if not text:
        return None
    return load_model(json.loads(text))
