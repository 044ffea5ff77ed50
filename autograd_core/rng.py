"""The library's one random generator, and ``manual_seed``.

Every random default draws from it: layer initialisation, DataLoader
shuffling, dataset noise. It starts from seed 0, as PyTorch's starts from a
fixed seed, so a program gives the same numbers on every run until it calls
``manual_seed(n)``; an explicit ``seed=`` or generator argument still wins.
"""
from __future__ import annotations

from typing import Optional, Union

import numpy as np

__all__ = ["manual_seed", "default_generator", "generator_for"]

_GENERATOR = np.random.Generator(np.random.PCG64(0))


def manual_seed(seed: int) -> np.random.Generator:
    """Reseed the library's generator (in place: everything holding it sees
    the new stream) and return it."""
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"manual_seed: expected a non-negative integer, got {seed!r}")
    _GENERATOR.bit_generator.state = np.random.PCG64(int(seed)).state
    return _GENERATOR


def default_generator() -> np.random.Generator:
    """The library's generator."""
    return _GENERATOR


def generator_for(seed: Union[None, int, np.random.Generator]) -> np.random.Generator:
    """A generator for a ``seed=`` argument: the library's for None, a new one
    for an int, the given one for a Generator."""
    if seed is None:
        return _GENERATOR
    if isinstance(seed, np.random.Generator):
        return seed
    return np.random.default_rng(seed)


def python_seed(seed: Optional[int]) -> int:
    """An int seed for Python's ``random.Random``: ``seed`` itself, or one drawn
    from the library's generator."""
    return int(_GENERATOR.integers(2 ** 63)) if seed is None else int(seed)
