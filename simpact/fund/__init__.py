"""The fund stage: the dubbelmodell ledger on a simulation (:func:`apply_fund`), the repayment
rules side by side (:func:`compare_rules`) and a revolving fund of several projects
(:func:`portfolio`). The rules themselves live in :mod:`simpact.components.rules`; a spec's
terms are built once by ``spec.fund.terms()`` (a :class:`FundTerms`)."""

from simpact.components.rules import RULES, FundTerms, Terms, compare, repay
from simpact.fund.ledger import apply_fund, compare_rules, repaying_savings, terms_of
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
    "FundTerms",
    "Project",
    "Terms",
    "apply_fund",
    "compare",
    "compare_rules",
    "portfolio",
    "repay",
    "repaying_savings",
    "terms_of",
]
