"""How much memory a simulation with every draw would take, checked before it starts.

The full result (:func:`~simpact.simulation.simulate_cashflows`) keeps every iteration's inputs,
avoided events and cash flows per year and actor, and the decision stage, the figures and the
writer hold copies of parts of it. :func:`estimate_bytes` counts those arrays (float64) for a
spec and a number of iterations, times :data:`COPIES`; :func:`check_memory` refuses a run whose
estimate exceeds :data:`SHARE` of the memory available now, naming a number of draws that fits,
instead of letting the machine kill the process after minutes of work.

Examples
--------
>>> import simpact as sp
>>> estimate_bytes(sp.load_model("nata"), 4000) < 200e6
True
"""

from __future__ import annotations

import os

from simpact.base.errors import SpecError
from simpact.config.spec import ModelSpec
from simpact.simulation.plan import actors_of

COPIES = 3
"""Peak memory over the stored arrays (measured: about 3 for the bundled models)."""

SHARE = 0.8
"""Share of the available memory a run may plan to use."""


def bytes_per_draw(spec: ModelSpec) -> int:
    """Bytes one Monte Carlo iteration takes at its peak."""
    years, fund_years = spec.simulation.horizon, spec.fund_horizon
    actors, outcomes = len(actors_of(spec)), len(spec.outcomes)
    floats = 2 * years * outcomes + 8 * years * actors + 6 * fund_years + 10 * outcomes + 10
    return 8 * floats * COPIES


def estimate_bytes(spec: ModelSpec, draws: int) -> int:
    """Peak bytes of a simulation of ``draws`` iterations with every draw kept."""
    return bytes_per_draw(spec) * int(draws)


def available_bytes() -> int | None:
    """Memory available now (``MemAvailable`` on Linux, physical memory elsewhere)."""
    try:
        with open("/proc/meminfo", encoding="ascii") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return None


def check_memory(spec: ModelSpec, draws: int, *, available: int | None = None) -> None:
    """Refuse ``draws`` iterations that would not fit in memory (one line, before any work)."""
    available = available_bytes() if available is None else available
    if available is None:
        return
    need = estimate_bytes(spec, draws)
    if need > SHARE * available:
        fits = int(SHARE * available // bytes_per_draw(spec))
        raise SpecError(
            f"{draws} Monte Carlo iterations would need about {need / 1e9:.1f} GB of memory, "
            f"more than the {available / 1e9:.1f} GB available; use at most {fits} "
            "(or the streamed summary, simpact.simulate_summary, from Python)",
            source="--draws",
        )
