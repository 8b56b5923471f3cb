"""What the reproducibility section says: the versions behind the results and the report
(:func:`versions`) and the command that regenerates them (:func:`command`)."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import xarray as xr

from simpact.base.provenance import Provenance
from simpact.config.loading import spec_of
from simpact.config.spec import ModelSpec

RENDERING = ("simpact", "arviz", "numpy", "xarray", "matplotlib")
"""Packages that turn a results tree into the report (their installed versions are listed unless
the tree already names the version it was computed with)."""


def versions(sim: xr.DataTree) -> str:
    """One line of versions: those the results were computed with (from the tree), then those of
    the packages rendering the report that the tree does not name; a simpact that differs from the
    one that computed the results is listed as ``simpact (report) <version>``.

    Examples
    --------
    >>> sim = xr.DataTree()
    >>> sim.attrs.update(simpact_version="0.0.1", python="3.12.1")
    >>> versions(sim).startswith("simpact 0.0.1, Python 3.12.1, ")
    True
    """
    out = _tree_versions(sim)
    known = {name.lower() for name in out}
    for pkg in RENDERING:
        installed = _installed(pkg)
        if not installed:
            continue
        if pkg not in known:
            out[pkg] = installed
        elif pkg == "simpact" and out["simpact"] != installed:
            out["simpact (report)"] = installed
    return ", ".join(f"{k} {v}" for k, v in out.items())


def _tree_versions(sim: xr.DataTree) -> dict[str, str]:
    out = {"simpact": sim.attrs.get("simpact_version", ""), "Python": sim.attrs.get("python", "")}
    fit = sim["fit"] if "fit" in sim.children else None
    for group, key in (("sample_stats", "inference_library"), ("posterior", "creation_library")):
        if fit is not None and group in fit.children:
            attrs = fit[group].attrs
            if attrs.get(key):
                out[str(attrs[key])] = str(attrs.get(f"{key}_version", ""))
    return {k: str(v) for k, v in out.items() if v}


def _installed(pkg: str) -> str:
    try:
        return version(pkg)
    except PackageNotFoundError:
        return ""


def command(sim: xr.DataTree, lang: str, *, spec: ModelSpec | None = None) -> str:
    """The command line that regenerates these results and this report, from their provenance.

    When the fit and the simulation come from the same seed it is ``simpact run``; when they
    come from different seeds (a fit saved and simulated later) it is ``simpact simulate`` on the
    saved results (their fit) with the simulation's seed. ``spec`` is the spec the tree was
    simulated from (read from the tree when not given).

    Examples
    --------
    >>> sim = xr.DataTree()
    >>> Provenance.of_seed(7, "simulate", spec_source="models/nata.toml")[0].write(sim)
    >>> command(sim, "sv")
    'simpact run models/nata.toml --seed 7 --lang sv'
    """
    spec = spec if spec is not None else spec_of(sim)
    made = Provenance.read(sim) or Provenance(spec_source=sim.attrs.get("spec_source", ""))
    fit = sim["fit"] if "fit" in sim.children else None
    fitted = Provenance.read(fit) if fit is not None else None
    source = made.spec_source or "MODEL.toml"
    if fitted is None or fitted.random_seed == made.random_seed:
        parts = ["simpact", "run", source, *_data_option(made, source, spec)]
    else:
        parts = ["simpact", "simulate", source, "--posterior", "results.nc"]
    effects = sim["effects"] if "effects" in sim.children else None
    if effects is not None and effects.attrs.get("resampled_from") is not None:
        parts += ["--draws", str(effects.sizes["chain"] * effects.sizes["draw"])]
    if made.random_seed is not None:
        parts += ["--seed", str(made.random_seed)]
    parts += ["--lang", lang]
    return " ".join(p if " " not in p else f'"{p}"' for p in parts)


def _data_option(made: Provenance, source: str, spec: ModelSpec | None) -> list[str]:
    """``--data FILE`` when the fit read another table than the spec names."""
    spec_data = spec.data.path if spec is not None else None
    if made.data_source and (
        spec_data is None or Path(made.data_source) != (Path(source).parent / spec_data).resolve()
    ):
        return ["--data", made.data_source]
    return []
