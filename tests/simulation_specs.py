"""Small model specs (as dicts) and fake effect fits for the simulation tests."""

from __future__ import annotations

import copy

import numpy as np
import xarray as xr


def base_spec(
    *,
    effect: float | dict = -0.1,
    intake: dict | None = None,
    lags: int = 4,
    horizon: int = 10,
    unit_cost: float | dict = 1000.0,
    retention: float | dict = 1.0,
    discount_rate: float | dict = 0.035,
    payers: dict | None = None,
    costs: dict | None = None,
) -> dict:
    """One outcome whose risk falls by ``-effect`` per person, spread evenly over ``lags`` years."""
    return {
        "schema_version": 1,
        "intervention": {"id": "test", "name": "Test", "start_year": 2025, "price_year": 2023},
        "effect": {"design": "did", "outcome": "y", "group": "g", "period": "t"},
        "cohort": {"intake": intake or {1: 100}},
        "simulation": {"horizon": horizon, "discount_rate": discount_rate, "retention": retention},
        "outcomes": [
            {
                "name": "placement",
                "effect": "difference",
                "effect_prior": effect,
                "unit_cost": unit_cost,
                "timing": {lag: 1 / lags for lag in range(lags)},
                "payers": payers or {"social_services": 1.0},
            }
        ],
        "costs": costs or {},
        "fund": {
            "fund_part": {1: 1000.0},
            "repayment": {1: 1.0},
            "repaying_actors": ["social_services"],
        },
    }


def with_changes(spec: dict, path: str, value) -> dict:
    """A deep copy of ``spec`` with the dotted ``path`` set to ``value``."""
    out = copy.deepcopy(spec)
    *parents, last = path.split(".")
    node = out
    for key in parents:
        node = node[int(key)] if isinstance(node, list) else node[key]
    if isinstance(node, list):
        node[int(last)] = value
    else:
        node[last] = value
    return out


def fake_fit(
    risk_difference=None, *, chains: int = 2, draws: int = 200, seed: int = 0, **others
) -> xr.DataTree:
    """An effect fit with known draws: ``risk_difference`` (default N(-0.1, 0.02)) and others."""
    g = np.random.default_rng(seed)
    if risk_difference is None:
        risk_difference = g.normal(-0.1, 0.02, (chains, draws))
    variables = {"risk_difference": risk_difference, **others}
    post = xr.Dataset(
        {
            k: (("chain", "draw"), np.broadcast_to(v, (chains, draws)).copy())
            for k, v in variables.items()
        }
    )
    tree = xr.DataTree.from_dict({"posterior": post})
    tree.attrs.update(better="lower", effect_var="risk_difference", effect_scale="risk_difference")
    return tree
