"""Fake fits: a spec's effect model, or a design and family alone, fitted by the mock sampler."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import xarray as xr

from simpact.config.spec import ModelSpec
from simpact.data import fingerprint, load_followup
from simpact.effects import DESIGNS, fit_effects
from simpact.effects.families import FAMILIES
from simpact.testing.sampler import mock_sampler


def fake_fit(
    spec: ModelSpec,
    data: pd.DataFrame | None = None,
    *,
    effect: float | None = None,
    sd: float | None = None,
    chains: int | None = None,
    draws: int | None = None,
    seed: int = 0,
    check: bool = True,
) -> xr.DataTree:
    """The fit :func:`simpact.fit_effects` would return for ``spec``, with known draws.

    ``data`` defaults to the spec's own follow-up table. The tree has every group, variable
    and attr of a real fit (design, family, priors, sites, diagnostics, data fingerprint).
    """
    if data is None:
        data = load_followup(spec)
    with mock_sampler(effect=effect, sd=sd, chains=chains, draws=draws):
        return fit_effects(spec, data, random_seed=seed, progress=False, check=check)


def fake_table(
    design: str = "did",
    family: str = "bernoulli",
    *,
    outcome: str = "outcome",
    sites: int = 0,
    seed: int = 0,
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """A small follow-up table for a design and family, and the design's column arguments."""
    rng = np.random.default_rng(seed)
    if design == "its":
        times = np.arange(24, dtype=float)
        frame = pd.DataFrame({"time": times})
        kwargs: dict[str, Any] = {"time": "time", "start": 12.0}
    else:
        n = 40
        frame = pd.DataFrame({"unit": [f"u{i:03d}" for i in range(n)], "treated": [0, 1] * 20})
        kwargs = {"group": "treated"}
        if design == "did":
            frame = pd.concat(
                [frame.assign(period="pre"), frame.assign(period="post")], ignore_index=True
            )
            kwargs.update(period="period", pre="pre", post="post", unit="unit")
        else:
            kwargs.update(unit="unit")
    if sites:
        frame["site"] = [f"s{i % sites + 1}" for i in range(len(frame))]
        kwargs["site"] = "site"
    rows = len(frame)
    if family == "bernoulli":
        frame[outcome] = rng.binomial(1, 0.3, rows)
    elif family == "binomial":
        frame["trials"] = rng.integers(5, 15, rows)
        frame[outcome] = rng.binomial(frame["trials"], 0.3)
        kwargs["trials"] = "trials"
    elif family in ("poisson", "negbin"):
        frame["exposure"] = rng.integers(80, 180, rows).astype(float)
        frame[outcome] = rng.poisson(0.05 * frame["exposure"])
        kwargs["exposure"] = "exposure"
    elif family in ("normal", "student_t"):
        frame[outcome] = rng.normal(10.0, 2.0, rows)
    else:
        raise ValueError(f"unknown family {family!r}; expected one of {', '.join(FAMILIES)}")
    frame.attrs.update(source="simpact.testing.fake_table", sha256=fingerprint(frame))
    return frame, kwargs


def fake_posterior(
    design: str = "did",
    family: str = "bernoulli",
    *,
    chains: int = 4,
    draws: int = 250,
    effect: float | None = None,
    sd: float | None = None,
    seed: int = 0,
    better: str = "lower",
    outcome: str = "outcome",
    sites: int = 0,
    priors: dict[str, dict] | None = None,
    data: pd.DataFrame | None = None,
) -> xr.DataTree:
    """A tree shaped like :func:`simpact.fit_effects`'s for ``design`` and ``family``.

    Fitted (with :func:`mock_sampler`) to :func:`fake_table`'s small table, or to ``data`` if
    given (then with the same column names as :func:`fake_table`'s). ``effect`` and ``sd`` set
    the natural-scale effect's draws (default :data:`DEFAULT_EFFECT`, :data:`DEFAULT_SD`);
    ``sites`` > 1 adds partial pooling over that many sites.
    """
    if design not in DESIGNS:
        raise ValueError(f"unknown design {design!r}; expected one of {', '.join(DESIGNS)}")
    table, kwargs = fake_table(design, family, outcome=outcome, sites=sites, seed=seed)
    if data is not None:
        table = data
    model = DESIGNS[design](
        table, outcome=outcome, family=family, better=better, priors=priors or {}, **kwargs
    )
    with mock_sampler(effect=effect, sd=sd, chains=chains, draws=draws):
        fit = model.fit(random_seed=seed, progress=False)
    tree = fit.tree
    tree.attrs["data_sha256"] = table.attrs.get("sha256", "")
    tree.attrs["data_source"] = table.attrs.get("source", "")
    return tree
