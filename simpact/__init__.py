"""simpact: Bayesian impact and risk modelling of social investments.

The pipeline, one function per stage (see ARCHITECTURE.md)::

    import simpact as sp
    spec = sp.load_model("nata")                      # models/nata.toml, validated
    data = sp.load_followup(spec)                     # follow-up table, checked against the spec
    post = sp.fit_effects(spec, data, random_seed=1)  # PyMC posterior (xarray.DataTree)
    sim  = sp.simulate(spec, post, random_seed=1)     # cash flows per actor and year + fund
    dec  = sp.summarize(sim)                          # decision table + citation-ready text
    sp.write_report(sim, dec, "out/nata")             # results.nc, report.html/.md, figures

The names below are imported on first use, so ``import simpact`` (and the command line's
``--help``) does not load PyMC, ArviZ or SciPy until a stage needs them.
"""

from importlib import import_module

from simpact.base.errors import ConvergenceError, DataError, SimpactError, SpecError
from simpact.base.version import __version__

_LAZY = {
    "Appraisal": "simpact.pipeline",
    "ModelSpec": "simpact.config.spec",
    "Summary": "simpact.decision.summary",
    "fit_effects": "simpact.effects",
    "load_followup": "simpact.data.reading",
    "load_model": "simpact.config.loading",
    "run": "simpact.pipeline",
    "simulate": "simpact.pipeline",
    "summarize": "simpact.decision.summary",
    "write_report": "simpact.report.write",
}

__all__ = [
    "Appraisal",
    "ConvergenceError",
    "DataError",
    "ModelSpec",
    "SimpactError",
    "SpecError",
    "Summary",
    "__version__",
    "fit_effects",
    "load_followup",
    "load_model",
    "run",
    "simulate",
    "summarize",
    "write_report",
]


def __getattr__(name: str):
    """Import a public name of the package face on first use."""
    if name in _LAZY:
        value = getattr(import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'simpact' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
