"""Swapping the effect sampler: :func:`mock_sampler` (known draws) and :func:`real_sampler`."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from simpact.effects import core
from simpact.testing.draws import mock_sample

REAL_SAMPLE = core.sample
"""The real sampler (nutpie or PyMC NUTS), as ``simpact.effects.core`` defines it."""


@contextlib.contextmanager
def _sampler(function) -> Iterator[None]:
    previous = core.sample
    core.sample = function
    try:
        yield
    finally:
        core.sample = previous


@contextlib.contextmanager
def real_sampler() -> Iterator[None]:
    """Within the block, effect fits sample for real (NUTS), even inside :func:`mock_sampler`."""
    with _sampler(REAL_SAMPLE):
        yield


@contextlib.contextmanager
def mock_sampler(
    *,
    effect: float | None = None,
    sd: float | None = None,
    chains: int | None = None,
    draws: int | None = None,
) -> Iterator[list[tuple]]:
    """Within the block, every effect fit uses :func:`mock_sample` instead of NUTS.

    ``effect`` and ``sd`` set the fake natural-scale effect (default :data:`DEFAULT_EFFECT`,
    :data:`DEFAULT_SD`); ``chains`` and ``draws`` override the spec's sampling (default: as the
    spec says, so a simulation has as many draws as after a real fit). Yields a list that
    collects the structure key of every mocked fit.

    Examples
    --------
    >>> from simpact.config import load_model
    >>> from simpact.data import load_followup
    >>> from simpact.effects import fit_effects
    >>> spec = load_model("nata")
    >>> with mock_sampler(effect=-0.1, draws=250) as calls:
    ...     post = fit_effects(spec, load_followup(spec))
    >>> len(calls), post.posterior.sizes["draw"], post.attrs["sampler"]
    (1, 250, 'nutpie')
    """
    calls: list[tuple] = []

    def fake(model_fn, key, data, sampling, seed, progress):
        calls.append(key)
        return mock_sample(
            model_fn,
            key,
            data,
            sampling,
            seed,
            progress,
            effect=effect,
            sd=sd,
            chains=chains,
            draws=draws,
        )

    with _sampler(fake):
        yield calls


def mock_sampler_fixture(**kwargs: Any):
    """A pytest fixture (function scope) that mocks the sampler for one test.

    ``mock_sampler = simpact.testing.mock_sampler_fixture()`` in a ``conftest.py``; a test that
    asks for ``mock_sampler`` gets the list of the mocked fits' keys.
    """
    import pytest  # a dev dependency: imported only when a test suite asks for the fixture

    @pytest.fixture
    def mock_sampler_():
        with mock_sampler(**kwargs) as calls:
            yield calls

    return mock_sampler_
