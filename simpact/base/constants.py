"""Constants of the contract between stages (see ARCHITECTURE.md, "Contracts")."""

SAMPLE_DIMS: tuple[str, str] = ("chain", "draw")
"""The sample dims every draw carries, always first: MCMC chain and draw within it."""

CI_PROB = 0.90
"""Every interval in simpact is a 90 % equal-tailed interval (P5–P95)."""

DEFAULT_SEED = 20251123
"""Seed used by ``simpact run``, ``simpact demo`` and :func:`simpact.run` when none is given."""
