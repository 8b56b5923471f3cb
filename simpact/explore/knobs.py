"""The inputs an explorer can move: where they sit in a spec and how a centre and a spread map
onto the spec's own distribution.

A :class:`Knob` names one place in the spec as given (its raw TOML/JSON dict): a path such as
``("simulation", "cashable", "education")`` or ``("outcomes", 2, "unit_cost")``. Uncertain knobs
are shown as the distribution's **centre** and **spread** and written back in the same family:

=================== ================= =============================================
family              centre            spread
=================== ================= =============================================
a plain number      the number        0 (a spread > 0 makes it normal, or beta for a share)
normal, lognormal,  ``mean``          ``sd``
gamma, beta
uniform             the midpoint      the half-width (``max - min) / 2``)
triangular, pert    ``mode``          the half-width; the shape is shifted and stretched
=================== ================= =============================================

Plain knobs (intake per year, fund part per year, repayment shares, the horizon, the rule) take
a number or a key.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from simpact.config import priors

Path_ = tuple[str | int, ...]

MEAN_SD = ("normal", "lognormal", "gamma", "beta")
THREE_POINT = ("triangular", "pert")


@dataclass(frozen=True)
class Knob:
    """One input of the spec the explorer shows.

    Attributes
    ----------
    path
        Where the value sits in the raw spec dict.
    kind
        ``"uncertain"`` (a distribution: centre and spread), ``"number"`` or ``"choice"``.
    group
        ``"assumptions"``, ``"fund"`` or ``"discount"``: the part of the page it goes on.
    label, units
        Words for the page, ``{"en": ..., "sv": ...}``, and the units.
    share
        The value is a share in [0, 1] (a spread then keeps it a beta).
    choices
        For ``"choice"``: the allowed keys.
    price_year
        For a unit cost taken from the priors library: the price year its figure is in.
    default
        The value a spec that leaves the field out has.
    """

    path: Path_
    kind: Literal["uncertain", "number", "choice"]
    group: str
    label: dict[str, str]
    units: str = ""
    share: bool = False
    choices: tuple[str, ...] = ()
    price_year: int | None = None
    default: Any = None

    @property
    def key(self) -> str:
        """The path as one dotted name (``outcomes.2.unit_cost``)."""
        return ".".join(str(p) for p in self.path)


def get_in(raw: dict, path: Path_, default: Any = None) -> Any:
    """The value at ``path`` in a nested dict/list, or ``default``."""
    node: Any = raw
    for step in path:
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            return default
    return node


def set_in(raw: dict, path: Path_, value: Any) -> None:
    """Set ``path`` in a nested dict/list in place, making dicts on the way."""
    node: Any = raw
    for step in path[:-1]:
        if isinstance(node, dict) and step not in node:
            node[step] = {}
        node = node[step]
    node[path[-1]] = value


def centre_spread(value: Any) -> tuple[float, float]:
    """The centre and spread of a spec value (a number or a ``{dist = ...}`` table).

    Examples
    --------
    >>> centre_spread({"dist": "uniform", "min": 0.5, "max": 0.9})
    (0.7, 0.2)
    >>> centre_spread(0.035)
    (0.035, 0.0)
    """
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value), 0.0
    dist = value["dist"]
    if dist in MEAN_SD:
        return float(value["mean"]), float(value["sd"])
    if dist == "uniform":
        lo, hi = float(value["min"]), float(value["max"])
        return round((lo + hi) / 2, 12), round((hi - lo) / 2, 12)
    if dist in THREE_POINT:
        lo, hi = float(value["min"]), float(value["max"])
        return float(value["mode"]), round((hi - lo) / 2, 12)
    raise ValueError(f"no centre and spread for dist {dist!r}")


def with_centre_spread(value: Any, centre: float, spread: float, *, share: bool = False) -> Any:
    """``value`` moved to ``centre`` and ``spread``, in the same family where it has one.

    Examples
    --------
    >>> with_centre_spread({"dist": "uniform", "min": 0.5, "max": 0.9}, 0.6, 0.1)
    {'dist': 'uniform', 'min': 0.5, 'max': 0.7}
    >>> with_centre_spread(0.035, 0.03, 0.0)
    0.03
    >>> with_centre_spread(0.5, 0.5, 0.1, share=True)
    {'dist': 'beta', 'mean': 0.5, 'sd': 0.1}
    """
    centre, spread = float(centre), float(spread)
    if (isinstance(value, int | float) and not isinstance(value, bool)) or spread == 0:
        if spread == 0:
            return centre
        return {"dist": "beta" if share else "normal", "mean": centre, "sd": spread}
    dist = value["dist"]
    if dist in MEAN_SD:
        return {**value, "mean": centre, "sd": spread}
    if dist == "uniform":
        return {**value, "min": _r(centre - spread), "max": _r(centre + spread)}
    if dist in THREE_POINT:
        old_c, old_s = centre_spread(value)
        stretch = spread / old_s if old_s else 1.0

        def moved(x: float) -> float:
            return _r(centre + (float(x) - old_c) * stretch)

        return {**value, "min": moved(value["min"]), "mode": centre, "max": moved(value["max"])}
    raise ValueError(f"no centre and spread for dist {dist!r}")


def _r(x: float) -> float:
    return round(x, 12)


def resolved(raw: dict, knob: Knob) -> Any:
    """The knob's current value as a number or ``{dist = ...}`` table (priors keys resolved)."""
    value = get_in(raw, knob.path, knob.default)
    if isinstance(value, str) and knob.kind == "uncertain":
        name = knob.path[-1]
        if name == "unit_cost":
            value = priors.unit_costs()[value].cost
        elif name == "retention":
            value = priors.persistence()[value].retention
        elif name == "discount_rate":
            value = priors.discount_rates()[value].rate
        value = value.model_dump(by_alias=True)
    if isinstance(value, dict) and value.get("dist") == "fixed":
        return float(value["value"])
    return value


def move(raw: dict, knob: Knob, centre: float, spread: float) -> dict[Path_, Any]:
    """The spec changes (path -> value) that put an uncertain knob at ``centre`` / ``spread``.

    A unit cost named from the priors library becomes an inline distribution in the entry's
    price year (``unit_cost_price_year`` is set beside it), so the conversion to the spec's
    prices is unchanged.
    """
    current = resolved(raw, knob)
    changes: dict[Path_, Any] = {
        knob.path: with_centre_spread(current, centre, spread, share=knob.share)
    }
    if knob.price_year is not None:
        changes[(*knob.path[:-1], "unit_cost_price_year")] = knob.price_year
    return changes
