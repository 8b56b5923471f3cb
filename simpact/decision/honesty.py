"""Monte Carlo honesty: how many iterations a reported probability needs.

A probability estimated from ``n`` independent draws has Monte Carlo standard error
``sqrt(p (1 - p) / n)``. Read at the estimate itself this is a trap: one draw gives ``p = 1`` and
an MCSE of 0 (``P(NPV > 0) 100 % ± 0.0 %``). The thresholds here are therefore read at the worst
case ``p = 0.5``, which bounds the MCSE of every probability the report shows:

* below :data:`MIN_DRAWS` (worst-case MCSE over :data:`MCSE_REFUSE`, 5 percentage points) results
  are refused;
* below :data:`WARN_DRAWS` (worst-case MCSE over :data:`MCSE_WARN`, 1 percentage point) the report
  carries a visible warning.

Draws from a Markov chain count less than their number; the report's own MCSE column uses the
effective sample size, these thresholds the plain count, so they are a floor, not a guarantee.

Examples
--------
>>> MIN_DRAWS, WARN_DRAWS
(100, 2500)
>>> round(worst_mcse(2500), 3)
0.01
>>> draws_warning(4000) is None
True
"""

from __future__ import annotations

import math

from simpact.base.errors import SpecError

MCSE_REFUSE = 0.05
"""Worst-case MCSE of a probability (5 pp) above which results are refused."""

MCSE_WARN = 0.01
"""Worst-case MCSE of a probability (1 pp) above which the report warns."""


def draws_for(mcse: float) -> int:
    """The fewest draws whose worst-case (``p = 0.5``) MCSE of a probability is ``mcse``."""
    return math.ceil(0.25 / mcse**2 - 1e-9)


MIN_DRAWS = draws_for(MCSE_REFUSE)
WARN_DRAWS = draws_for(MCSE_WARN)


def worst_mcse(n: int) -> float:
    """The MCSE of a probability of 0.5 estimated from ``n`` independent draws."""
    return math.sqrt(0.25 / n)


def check_draws(n: int, *, source: str = "--draws") -> None:
    """Refuse ``n`` Monte Carlo iterations if they are too few to report a probability."""
    if n < MIN_DRAWS:
        raise SpecError(
            f"{n} Monte Carlo iteration(s) are too few: a reported probability would carry a "
            f"Monte Carlo error of up to ±{worst_mcse(n):.0%}; use at least {MIN_DRAWS} "
            f"(±{MCSE_REFUSE:.0%}), {WARN_DRAWS} or more for ±{MCSE_WARN:.0%}",
            source=source,
        )


def draws_warning(n: int) -> str | None:
    """The report's warning for ``n`` iterations (``None`` when there are enough)."""
    if n >= WARN_DRAWS:
        return None
    return (
        f"few-draws: only {n} Monte Carlo iterations; a probability in this report may be off "
        f"by up to ±{worst_mcse(n):.1%} (Monte Carlo error), more than ±{MCSE_WARN:.0%}; "
        f"rerun with --draws {WARN_DRAWS} or more"
    )
