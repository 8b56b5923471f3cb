"""Uncertain inputs: distribution specs as they appear in TOML, and their draws.

An uncertain input is written in a spec or library file as an inline table with a ``dist`` key,
e.g. ``{ dist = "lognormal", mean = 30561, sd = 6112 }``, or as a plain number for a known
value. :data:`DISTRIBUTIONS` is the registry of what ``dist`` may be; each entry is validated
(positive sd, min <= mode <= max, probabilities in [0, 1]) when the file is loaded, and drawn
with a named random stream during simulation.

=============  =========================  =====================================================
``dist``       fields                     meaning
=============  =========================  =====================================================
fixed          value                      a known number
normal         mean, sd                   normal
lognormal      mean, sd                   lognormal with that mean and sd (for costs > 0)
gamma          mean, sd                   gamma with that mean and sd (for costs > 0)
beta           mean, sd                   beta with that mean and sd (for shares and risks)
uniform        min, max                   uniform on [min, max] (a range from a source)
triangular     min, mode, max             triangular
pert           min, mode, max             Beta-PERT (weight 4 on the mode)
=============  =========================  =====================================================
"""

from __future__ import annotations

from typing import Annotated, Literal

import numpy as np
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, model_validator

from simpact.base import plugins


class Distribution(BaseModel):
    """Base of every uncertain-input distribution: ``mean()``, ``bounds()``, ``draw()``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    def mean(self) -> float:  # pragma: no cover - overridden
        raise NotImplementedError

    def draw(self, rng: np.random.Generator, size: int) -> np.ndarray:  # pragma: no cover
        raise NotImplementedError

    def bounds(self) -> tuple[float, float]:
        """Smallest and largest value a draw can take."""
        return (-np.inf, np.inf)


class Fixed(Distribution):
    dist: Literal["fixed"] = "fixed"
    value: float

    def mean(self) -> float:
        return self.value

    def bounds(self) -> tuple[float, float]:
        return (self.value, self.value)

    def draw(self, rng: np.random.Generator, size: int) -> np.ndarray:
        return np.full(size, self.value)


class _MeanSd(Distribution):
    mean_: float = Field(alias="mean")
    sd: float = Field(gt=0)

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    def mean(self) -> float:
        return self.mean_


class Normal(_MeanSd):
    dist: Literal["normal"]

    def draw(self, rng: np.random.Generator, size: int) -> np.ndarray:
        return rng.normal(self.mean_, self.sd, size)


class LogNormal(_MeanSd):
    dist: Literal["lognormal"]
    mean_: float = Field(alias="mean", gt=0)

    def bounds(self) -> tuple[float, float]:
        return (0.0, np.inf)

    def draw(self, rng: np.random.Generator, size: int) -> np.ndarray:
        sigma2 = np.log1p((self.sd / self.mean_) ** 2)
        return rng.lognormal(np.log(self.mean_) - sigma2 / 2, np.sqrt(sigma2), size)


class Gamma(_MeanSd):
    dist: Literal["gamma"]
    mean_: float = Field(alias="mean", gt=0)

    def bounds(self) -> tuple[float, float]:
        return (0.0, np.inf)

    def draw(self, rng: np.random.Generator, size: int) -> np.ndarray:
        shape = (self.mean_ / self.sd) ** 2
        return rng.gamma(shape, self.mean_ / shape, size)


class Beta(_MeanSd):
    dist: Literal["beta"]
    mean_: float = Field(alias="mean", gt=0, lt=1)

    @model_validator(mode="after")
    def _feasible(self) -> Beta:
        if self.sd**2 >= self.mean_ * (1 - self.mean_):
            raise ValueError(
                f"sd = {self.sd} is too large for a beta with mean {self.mean_}: "
                f"need sd < sqrt(mean * (1 - mean)) = {np.sqrt(self.mean_ * (1 - self.mean_)):.4g}"
            )
        return self

    def bounds(self) -> tuple[float, float]:
        return (0.0, 1.0)

    def draw(self, rng: np.random.Generator, size: int) -> np.ndarray:
        m = self.mean_
        k = m * (1 - m) / self.sd**2 - 1
        return rng.beta(m * k, (1 - m) * k, size)


class Uniform(Distribution):
    dist: Literal["uniform"]
    min: float
    max: float

    @model_validator(mode="after")
    def _ordered(self) -> Uniform:
        if not self.min < self.max:
            raise ValueError(f"need min < max, got min = {self.min}, max = {self.max}")
        return self

    def mean(self) -> float:
        return (self.min + self.max) / 2

    def bounds(self) -> tuple[float, float]:
        return (self.min, self.max)

    def draw(self, rng: np.random.Generator, size: int) -> np.ndarray:
        return rng.uniform(self.min, self.max, size)


class _ThreePoint(Distribution):
    min: float
    mode: float
    max: float

    @model_validator(mode="after")
    def _ordered(self) -> _ThreePoint:
        if not (self.min <= self.mode <= self.max and self.min < self.max):
            raise ValueError(
                f"need min <= mode <= max and min < max, got "
                f"min = {self.min}, mode = {self.mode}, max = {self.max}"
            )
        return self

    def bounds(self) -> tuple[float, float]:
        return (self.min, self.max)


class Triangular(_ThreePoint):
    dist: Literal["triangular"]

    def mean(self) -> float:
        return (self.min + self.mode + self.max) / 3

    def draw(self, rng: np.random.Generator, size: int) -> np.ndarray:
        return rng.triangular(self.min, self.mode, self.max, size)


class Pert(_ThreePoint):
    dist: Literal["pert"]

    def mean(self) -> float:
        return (self.min + 4 * self.mode + self.max) / 6

    def draw(self, rng: np.random.Generator, size: int) -> np.ndarray:
        width = self.max - self.min
        a = 1 + 4 * (self.mode - self.min) / width
        b = 1 + 4 * (self.max - self.mode) / width
        return self.min + width * rng.beta(a, b, size)


DISTRIBUTIONS: dict[str, type[Distribution]] = {
    "fixed": Fixed,
    "normal": Normal,
    "lognormal": LogNormal,
    "gamma": Gamma,
    "beta": Beta,
    "uniform": Uniform,
    "triangular": Triangular,
    "pert": Pert,
}
"""Registry of distribution names usable as ``dist = "..."`` in TOML files."""

plugins.register(DISTRIBUTIONS, "simpact.distributions")


def as_dist(value: float | dict | Distribution) -> Distribution:
    """Coerce a plain number or a ``{dist = ...}`` table into a distribution object.

    Examples
    --------
    >>> as_dist(0.5).mean()
    0.5
    >>> as_dist({"dist": "uniform", "min": 1, "max": 3}).mean()
    2.0
    """
    if isinstance(value, Distribution):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return Fixed(value=float(value))
    if isinstance(value, dict):
        name = value.get("dist")
        if name not in DISTRIBUTIONS:
            raise ValueError(
                f"unknown dist {name!r}; expected one of {', '.join(sorted(DISTRIBUTIONS))}"
            )
        try:
            return DISTRIBUTIONS[name].model_validate(value)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            raise ValueError(f"{name}: {where + ': ' if where else ''}{first['msg']}") from None
    raise ValueError(f"expected a number or a {{dist = ...}} table, got {value!r}")


Uncertain = Annotated[Distribution, BeforeValidator(as_dist)]
"""Pydantic field type: a plain number or a ``{dist = ...}`` table, validated into a dist."""
