"""Provenance: where a result came from, written to and read from a tree's attrs in one place.

A fit (the effect posterior) and a simulation (its results tree) each carry a :class:`Provenance`
in their root ``attrs``: the seed they were made from and the named stream it was split into,
the versions, the spec as given, and the fingerprints of the data and of the priors library.
Every other module asks :meth:`Provenance.read` rather than looking up attrs by name, and
:meth:`Provenance.write` is the only writer, so the report's "regenerate with" line always
names the numbers' own seed.

Seeds are stored as decimal text (netCDF cannot hold integers beyond 64 bits, and a seed may be
any non-negative integer), the stream as ``"fit"`` or ``"simulate"`` and the spawn key as
space-separated integers (attrs ``random_seed``, ``random_seed_stream``,
``random_seed_spawn_key``; the other fields under their own names).

Examples
--------
>>> import xarray as xr
>>> tree = xr.DataTree()
>>> prov, seq = Provenance.of_seed(7, "simulate")
>>> prov.write(tree)
>>> Provenance.read(tree).random_seed
7
"""

from __future__ import annotations

import hashlib
import json
import platform
import sys
from dataclasses import asdict, dataclass, field, fields, replace

import numpy as np

from simpact.base.rng import SeedLike, child, seed_sequence
from simpact.base.version import __version__

_KEYS = {"stream": "random_seed_stream", "spawn_key": "random_seed_spawn_key"}
"""Attr names that differ from the field names (the rest are written under their own name)."""


@dataclass(frozen=True)
class Provenance:
    """The provenance of one fit or simulation.

    Attributes
    ----------
    random_seed
        The top-level integer seed the caller gave (``None`` when a ``Generator`` was given, which
        cannot be written down; such results cannot be regenerated from a command line).
    stream
        The named stream of that seed the stage drew from (``("fit",)``, ``("simulate",)``).
    spawn_key
        The stream's :class:`numpy.random.SeedSequence` spawn key: with the seed it identifies
        the random numbers exactly.
    simpact_version, python, platform
        Versions at the time of the run.
    spec, spec_source
        The spec as given (JSON) and the file it was read from.
    data_sha256, data_source, data_synthetic
        The follow-up data's fingerprint, file and whether it is synthetic.
    priors_sha256
        One hash over every priors file read.
    effect_sha256
        The fingerprint of the spec's effect model (:func:`effect_fingerprint`): with
        ``data_sha256`` it says which model and data a posterior belongs to.
    """

    random_seed: int | None = None
    stream: tuple[str, ...] = ()
    spawn_key: tuple[int, ...] = ()
    simpact_version: str = __version__
    python: str = field(default_factory=lambda: sys.version.split()[0])
    platform: str = field(default_factory=platform.platform)
    spec: str = ""
    spec_source: str = ""
    data_sha256: str = ""
    data_source: str = ""
    data_synthetic: bool = False
    priors_sha256: str = ""
    effect_sha256: str = ""

    @classmethod
    def of_seed(
        cls, random_seed: SeedLike, *stream: str, **more
    ) -> tuple[Provenance, np.random.SeedSequence]:
        """The provenance of ``stream`` of ``random_seed`` and that stream's seed sequence.

        An integer (or a root ``SeedSequence``) is recorded; ``None`` draws fresh entropy and
        records it, so the run can be repeated; a ``Generator`` cannot be recorded.
        """
        parent = seed_sequence(random_seed)
        seq = child(parent, *stream)
        seed = None
        if not isinstance(random_seed, np.random.Generator) and not parent.spawn_key:
            seed = int(parent.entropy)
        if "spec" in more and "effect_sha256" not in more:
            more["effect_sha256"] = effect_fingerprint(more["spec"])
        prov = cls(random_seed=seed, stream=tuple(stream), spawn_key=tuple(seq.spawn_key), **more)
        return prov, seq

    def seed_sequence(self) -> np.random.SeedSequence:
        """The stream's seed sequence (the same numbers as the run that wrote this)."""
        if self.random_seed is None:
            raise ValueError("this result was drawn from a Generator; its seed is not recorded")
        return child(self.random_seed, *self.stream)

    def write(self, tree) -> None:
        """Write into ``tree.attrs`` (the one writer)."""
        values = asdict(self)
        values["random_seed"] = "" if self.random_seed is None else str(self.random_seed)
        values["stream"] = "/".join(self.stream)
        values["spawn_key"] = " ".join(str(int(k)) for k in self.spawn_key)
        tree.attrs.update({_KEYS.get(k, k): v for k, v in values.items()})

    @classmethod
    def read(cls, tree) -> Provenance | None:
        """Read from ``tree.attrs``; ``None`` when the tree carries no provenance."""
        attrs = tree.attrs
        if _KEYS["stream"] not in attrs:
            return None
        values = {f.name: attrs.get(_KEYS.get(f.name, f.name)) for f in fields(cls)}
        values = {k: v for k, v in values.items() if v is not None}
        seed = values.pop("random_seed", "")
        return cls(
            **{
                **values,
                "random_seed": int(seed) if str(seed) != "" else None,
                "stream": tuple(s for s in str(values.get("stream", "")).split("/") if s),
                "spawn_key": tuple(int(k) for k in str(values.get("spawn_key", "")).split()),
                "data_synthetic": bool(values.get("data_synthetic", False)),
            }
        )

    def with_(self, **changes) -> Provenance:
        """A copy with some fields changed."""
        return replace(self, **changes)


_NOT_THE_MODEL = ("label", "sampling")
"""Effect fields that do not change what a posterior means (words; how long it sampled)."""


def _effect_of(spec_json: str) -> dict:
    try:
        effect = json.loads(spec_json).get("effect") or {}
    except (ValueError, AttributeError):
        return {}
    return {k: v for k, v in effect.items() if k not in _NOT_THE_MODEL}


def effect_fingerprint(spec_json: str) -> str:
    """A SHA-256 of a spec's effect model (design, family, columns, priors; not its words).

    Examples
    --------
    >>> a = effect_fingerprint('{"effect": {"outcome": "y", "label": "Y"}}')
    >>> a == effect_fingerprint('{"effect": {"outcome": "y", "label": "why"}}')
    True
    >>> a == effect_fingerprint('{"effect": {"outcome": "z"}}')
    False
    """
    text = json.dumps(_effect_of(spec_json), sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def model_mismatch(fitted: Provenance, spec_json: str, data_sha256: str = "") -> str | None:
    """Why a posterior with provenance ``fitted`` does not belong to a spec (``None`` if it does).

    The effect models must have the same fingerprint and, when both are known, the data too.
    The answer names the first effect field that differs.
    """
    recorded = fitted.effect_sha256 or (effect_fingerprint(fitted.spec) if fitted.spec else "")
    if recorded and recorded != effect_fingerprint(spec_json):
        was, now = _effect_of(fitted.spec), _effect_of(spec_json)
        diff = [k for k in sorted(set(was) | set(now)) if was.get(k) != now.get(k)]
        name = json.loads(fitted.spec).get("intervention", {}).get("id", "?") if fitted.spec else ""
        where = f"effect.{diff[0]} {was.get(diff[0])!r}, here {now.get(diff[0])!r}" if diff else ""
        return f"it was fitted for another effect model (model {name!r}; {where})".replace(
            "; )", ")"
        )
    if data_sha256 and fitted.data_sha256 and data_sha256 != fitted.data_sha256:
        return (
            f"it was fitted to other data ({fitted.data_source or 'unknown file'}, "
            f"SHA-256 {fitted.data_sha256[:12]}…, here {data_sha256[:12]}…)"
        )
    return None
