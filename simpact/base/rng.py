"""Random streams: one seed at the top, one independent named stream per stage and input.

A seed is turned into a :class:`numpy.random.SeedSequence`; each stage asks for a stream by
*name* (``stream(seed, "simulate", "unit_cost", "foster_care_day")``). Streams are keyed by a
stable hash of the names, not by their order, so adding an input or changing one stage never
shifts the numbers of another. There is no global random state anywhere in simpact.
"""

from __future__ import annotations

import zlib

import numpy as np

SeedLike = int | np.random.Generator | np.random.SeedSequence | None


def seed_sequence(random_seed: SeedLike) -> np.random.SeedSequence:
    """Return the :class:`~numpy.random.SeedSequence` behind ``random_seed``.

    An ``int`` or ``SeedSequence`` is used as is; a ``Generator`` contributes one draw of
    entropy; ``None`` takes fresh entropy from the operating system (its value is kept in
    ``.entropy`` so a run can still be repeated).

    Examples
    --------
    >>> seed_sequence(1).entropy
    1
    """
    if isinstance(random_seed, np.random.SeedSequence):
        return random_seed
    if isinstance(random_seed, np.random.Generator):
        return np.random.SeedSequence(int(random_seed.integers(2**63)))
    if random_seed is None:
        return np.random.SeedSequence()
    if isinstance(random_seed, bool) or not isinstance(random_seed, int | np.integer):
        raise TypeError(
            f"random_seed must be an int, numpy Generator, SeedSequence or None, "
            f"not {type(random_seed).__name__}"
        )
    if random_seed < 0:
        raise ValueError(f"random_seed must be >= 0, got {random_seed}")
    return np.random.SeedSequence(int(random_seed))


def _key(name: str) -> int:
    return zlib.crc32(name.encode("utf-8"))


def child(random_seed: SeedLike, *names: str) -> np.random.SeedSequence:
    """A child seed sequence for the stream called ``names`` (stable across versions).

    Examples
    --------
    >>> child(1, "fit").generate_state(1)[0] == child(1, "fit").generate_state(1)[0]
    np.True_
    """
    parent = seed_sequence(random_seed)
    key = tuple(parent.spawn_key) + tuple(_key(n) for n in names)
    return np.random.SeedSequence(parent.entropy, spawn_key=key)


def stream(random_seed: SeedLike, *names: str) -> np.random.Generator:
    """A :class:`numpy.random.Generator` for the stream called ``names``.

    Examples
    --------
    >>> a = stream(7, "simulate", "discount_rate").random()
    >>> b = stream(7, "simulate", "discount_rate").random()
    >>> a == b
    True
    """
    return np.random.Generator(np.random.PCG64(child(random_seed, *names)))


def integer_seed(random_seed: SeedLike, *names: str) -> int:
    """A 63-bit integer seed for libraries that take one (e.g. nutpie), from a named stream."""
    return int(child(random_seed, *names).generate_state(2, dtype=np.uint64)[0] >> np.uint64(1))
