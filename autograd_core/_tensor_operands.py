"""What a Tensor operator does with its other operand: a number becomes the
parameter of a one-input gate (``number_of``), an array or a number a
constant node (``lift``) of the dtype numpy's and PyTorch's promotion give
(``operand_data``); and the error a shape mismatch raises (``shape_error``)."""
from __future__ import annotations

import numbers
from typing import Any, Optional

import numpy as np

from . import _tensor as _T            # the Tensor module (names used at call time)
from . import gates as G
from .node import Node


def lift(x: Any, like: "_T.Tensor", gate: G.Gate) -> "_T.Tensor":
    """A number or array used with a Tensor becomes a constant node."""
    if isinstance(x, _T.Tensor):
        return x
    return _T._make(operand_data(x, like, gate), G.CONST, None, None, False)


def operand_data(x: Any, like: "_T.Tensor", gate: G.Gate) -> np.ndarray:
    """The array a non-Tensor operand stands for, with PyTorch's (and numpy's)
    promotion: a number takes the tensor's dtype where that holds it
    (``result_type(float32, 1.5)`` is float32) and promotes it otherwise
    (an int tensor with 1.5 gives float64); an integer or bool array takes a
    float tensor's dtype; any other array keeps its own."""
    if isinstance(x, Node):
        raise TypeError(
            f"{gate.name}: cannot combine a Tensor with a {type(x).__name__}; convert one side "
            "first (Tensor(v.data) for a Value, t.item() for a one-element Tensor)")
    c = number_of(x)
    dt = like.data.dtype
    if c is not None:
        return np.asarray(c, dtype=np.result_type(dt, c))
    try:
        arr = np.asarray(x)
    except (ValueError, TypeError):
        arr = np.asarray(None)
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"{gate.name}: expected a Tensor, an array or a number, got {type(x).__name__} {x!r}")
    if arr.dtype.kind != "f" and dt.kind == "f":
        arr = arr.astype(dt)
    return arr


def shape_error(gate: G.Gate, x: "_T.Tensor", y: "_T.Tensor") -> ValueError:
    xs, ys = x.shape, y.shape
    if gate is G.MATMUL:
        if not xs or not ys:
            return ValueError(f"matmul: shapes {xs} and {ys}: both operands need at least one dimension")
        inner = ys[0] if len(ys) == 1 else ys[-2]
        if xs[-1] != inner:
            return ValueError(f"matmul: shapes {xs} and {ys} do not align: {xs[-1]} != {inner}")
        return ValueError(f"matmul: batch shapes {xs[:-2]} and {ys[:-2]} cannot be broadcast together")
    return ValueError(f"{gate.name}: shapes {xs} and {ys} cannot be broadcast together")


def number_of(x: Any) -> Optional[float]:
    """A Python or numpy real number (not a bool) as a float (an integer as an int), else None."""
    t = type(x)
    if t is float:
        return x
    if t is int:
        return x                      # an int stays an int: int tensor * 2 stays integer, as PyTorch
    if isinstance(x, np.integer):
        return int(x)
    if isinstance(x, np.floating) or (
            isinstance(x, numbers.Real) and not isinstance(x, (bool, np.bool_, Node))):
        return float(x)
    return None
