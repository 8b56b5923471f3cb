"""simpact: Bayesian impact and risk modelling of social investments.

The pipeline, one function per stage (see ARCHITECTURE.md)::

    import simpact as sp
    spec = sp.load_model("nata")                      # models/nata.toml, validated
    data = sp.load_followup(spec)                     # follow-up table, checked against the spec
    post = sp.fit_effects(spec, data, random_seed=1)  # PyMC posterior (xarray.DataTree)
    sim  = sp.simulate(spec, post, random_seed=1)     # cash flows per actor and year + fund
    dec  = sp.summarize(sim)                          # decision table + citation-ready text
    sp.write_report(sim, dec, "out/nata")             # results.nc, report.html/.md, figures
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("simpact")
except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
    __version__ = "0+unknown"

from simpact.data import load_followup
from simpact.decision import Summary, summarize
from simpact.effects import fit_effects
from simpact.errors import ConvergenceError, DataError, SimpactError, SpecError
from simpact.pipeline import Appraisal, run, simulate
from simpact.report import write_report
from simpact.spec import ModelSpec, load_model

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
