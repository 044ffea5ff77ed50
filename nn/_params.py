"""Argument checks shared by the layers and their functional forms (private):
one place for "a positive integer", "an int or a 1-tuple" and "an int or a
(height, width) pair"."""
from __future__ import annotations

from typing import Any, Tuple

import numpy as np


def positive_int(value: Any, what: str, where: str) -> int:
    """``value`` as an int if it is a whole number >= 1, else a clear error."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{where}: {what} must be a positive integer, got {value!r}")
    return int(value)


def single(v: Any, what: str, where: str) -> int:
    """A 1-D option given as an int or a 1-tuple (PyTorch accepts both)."""
    if isinstance(v, (tuple, list)):
        if len(v) != 1:
            raise ValueError(f"{where}: {what} must be an integer or a 1-tuple, got {v!r}")
        v = v[0]
    if isinstance(v, (bool, np.bool_)) or not isinstance(v, (int, np.integer)):
        raise ValueError(f"{where}: {what} must be an integer or a 1-tuple, got {v!r}")
    return int(v)


def pair(v: Any, what: str, where: str, minimum: int) -> Tuple[int, int]:
    """An int ``v`` as (v, v), or a (height, width) pair, each an integer >= ``minimum``."""
    p = (v, v) if isinstance(v, (int, np.integer)) else tuple(v)
    if len(p) != 2 or any(isinstance(k, (bool, np.bool_)) or not isinstance(k, (int, np.integer)) or k < minimum
                          for k in p):
        kind = "a positive integer" if minimum == 1 else f"an integer >= {minimum}"
        raise ValueError(f"{where}: {what} must be {kind}, got {v!r} (or a (height, width) pair of them)")
    return int(p[0]), int(p[1])


def conv_params(where: str, stride: Any, padding: Any, dilation: Any, groups: Any) -> tuple:
    """(stride, padding, dilation) as pairs and ``groups`` as an int, checked."""
    return (pair(stride, "stride", where, 1), pair(padding, "padding", where, 0),
            pair(dilation, "dilation", where, 1), positive_int(groups, "groups", where))
