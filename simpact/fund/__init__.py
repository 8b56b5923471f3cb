"""The fund stage: the dubbelmodell ledger on a simulation (:func:`apply_fund`), the repayment
rules side by side (:func:`compare_rules`) and a revolving fund of several projects
(:func:`portfolio`). The rules themselves live in :mod:`simpact.components.rules`."""

from simpact.components.rules import RULES, Terms, compare, repay
from simpact.fund.ledger import apply_fund, compare_rules, due_of, repaying_savings
from simpact.fund.portfolio import (
    DEFAULT_ALLOCATIONS,
    DEFAULT_FRAME_GRANT,
    DEFAULT_REPAYMENT,
    Project,
    portfolio,
)

__all__ = [
    "DEFAULT_ALLOCATIONS",
    "DEFAULT_FRAME_GRANT",
    "DEFAULT_REPAYMENT",
    "RULES",
    "Project",
    "Terms",
    "apply_fund",
    "compare",
    "compare_rules",
    "due_of",
    "portfolio",
    "repay",
    "repaying_savings",
]
