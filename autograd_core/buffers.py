"""Reusing a temporary's buffer, as numpy does for ``a + b + c``.

In ``h = (x @ W + b).relu()`` the matmul's output and the sum's output are
temporaries: once the next op has them, no name refers to them and backward
never reads their data (the add gate's gradient is ``g`` whatever its inputs
were; ReLU reads its mask off its own output).  So ``+`` writes into the
matmul's buffer and ``relu`` into the sum's, and a layer keeps one array
instead of three, as hand-written numpy with in-place ops does.

A buffer is reused only when all of these hold:

* the consuming gate never reads its inputs' data in backward (it has an
  ``inplace`` forward: add, sub, neg, relu);
* the donating node's own gate never reads its output (``needs_out`` is False:
  matmul, linear, add, sub, mul, neg, sum, conv2d, or a leaf);
* nothing else refers to the donating node (its reference count is that of a
  temporary on the interpreter's stack) nor to its array (no view, no other
  node, no user variable), the array owns its memory and has the output's
  shape and dtype (an array made read-only by hand is computed out of place).

The donor keeps its place in the graph (drawings, ``parents``), but its
``data`` becomes a zero-memory read-only array of NaN of the same shape and
dtype: ``is_released(node.data)`` tells it apart, and drawings show
"data released".  Reference counts are calibrated on this interpreter at
import time; on interpreters where a temporary cannot be told from a named
object (PyPy, CPython 3.14's borrowed stack references) nothing is ever reused.
"""
from __future__ import annotations

import sys
from typing import Optional, Tuple

import numpy as np

__all__ = ["is_released", "released", "REUSE"]

_rc = sys.getrefcount
_ndarray = np.ndarray
_NAN = {np.dtype(t): np.array(np.nan, dtype=t).tobytes() for t in (np.float16, np.float32, np.float64)}
_NAN_BUFFERS = set(map(id, _NAN.values()))


_PLACEHOLDERS: dict = {}


def released(arr: np.ndarray) -> np.ndarray:
    """A read-only array of NaN with ``arr``'s shape and dtype that takes no
    memory (one per shape and dtype, shared: it is never written)."""
    key = (arr.shape, arr.dtype)
    out = _PLACEHOLDERS.get(key)
    if out is None:
        if len(_PLACEHOLDERS) > 256:
            _PLACEHOLDERS.clear()
        out = _PLACEHOLDERS[key] = np.ndarray(arr.shape, arr.dtype, _NAN[arr.dtype], 0, (0,) * arr.ndim)
    return out


def is_released(arr: object) -> bool:
    """True for the placeholder left in a node whose buffer a later op reused."""
    return type(arr) is np.ndarray and id(arr.base) in _NAN_BUFFERS


class _Probe:
    """Stands in for a Tensor to measure the reference counts a temporary has
    inside a binary operator and inside a method, as ``Tensor`` checks them."""
    __slots__ = ("data",)

    def __init__(self) -> None:
        self.data = np.zeros(1)

    def __add__(self, other: "_Probe") -> Tuple[int, int]:
        return _rc(self), _rc(other)

    def relu(self) -> int:
        return _rc(self)

    def array_count(self) -> int:
        return _rc(self.data)


def _calibrate() -> Optional[Tuple[int, int, int, int]]:
    """(binary self, binary other, method self, array) counts of temporaries, or None where temporaries cannot be recognised safely."""
    if sys.implementation.name != "cpython" or sys.version_info >= (3, 14):
        return None
    temp = _Probe() + _Probe()
    a, b = _Probe(), _Probe()
    named = a + b
    temp_method = _Probe().relu()
    named_method = a.relu()
    if not (named[0] > temp[0] and named[1] > temp[1] and named_method > temp_method):
        return None
    return temp[0], temp[1], temp_method, a.array_count()


_COUNTS = _calibrate()
REUSE = _COUNTS is not None
if REUSE:
    SELF_TEMP, OTHER_TEMP, METHOD_TEMP, ARRAY_ALONE = _COUNTS
else:  # pragma: no cover - other interpreters
    SELF_TEMP = OTHER_TEMP = METHOD_TEMP = ARRAY_ALONE = -1


def donor(node, count: int, limit: int, dtype: np.dtype, held: int = 0) -> Optional[np.ndarray]:
    """``node``'s array if the node is a temporary (``count`` <= ``limit``) whose
    buffer may be overwritten by an op producing ``dtype``; else None. ``held``
    is how many local names of the caller refer to the array."""
    if count > limit:
        return None
    op = node._op
    if op is not None and op.needs_out:
        return None
    arr = node.data
    # base None: the array owns its memory (the placeholders and views have a base);
    # an owned array made read-only by hand makes the in-place op raise, and the
    # caller then computes out of place
    if arr.__class__ is not _ndarray or arr.base is not None or _rc(arr) > ARRAY_ALONE + 1 + held:
        return None
    # floats released() can mark with NaN only: an int or bool op may produce another
    # dtype (dtype == is slow: identity first)
    d = arr.dtype
    if (d is not dtype and d != dtype) or dtype not in _NAN:
        return None
    return arr
