"""The explorer: move a model's assumptions and fund terms and see the numbers from the saved
posterior, keep scenarios, export them as specs, and design a revolving fund.

The model side is plain Python, usable without a browser: :class:`Scenario` (the spec's text,
the changes, the seed, the draws), :func:`evaluate` (``pipeline.simulate`` then
``decision.summarize``), :func:`scenario_to_toml` and :func:`design_fund`. The Panel page
(:mod:`simpact.explore.page`, ``simpact explore``) sits on top and is imported only when served.
"""

from simpact.explore.evaluate import Evaluation, compare, evaluate, read_posterior
from simpact.explore.knobs import Knob, centre_spread, move, resolved, with_centre_spread
from simpact.explore.scenario import Scenario, knobs_of, reproduce_command, scenario_to_toml

__all__ = [
    "Evaluation",
    "Knob",
    "Scenario",
    "centre_spread",
    "compare",
    "evaluate",
    "knobs_of",
    "move",
    "read_posterior",
    "reproduce_command",
    "resolved",
    "scenario_to_toml",
    "with_centre_spread",
]
