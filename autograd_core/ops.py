"""Function forms of elementwise ops, as ``torch.where`` and ``torch.maximum``."""
from __future__ import annotations

from typing import Any

import numpy as np

from . import gates as G
from ._tensor import Tensor
from ._tensor_operands import lift as _lift
from .node import Node
from .value import Value

__all__ = ["where", "maximum", "minimum", "clamp", "clip"]


def where(condition: Any, x: Any, y: Any) -> Any:
    """Elementwise ``x`` where ``condition`` holds, else ``y`` (shapes broadcast).
    The gradient goes to ``x`` where the condition holds and to ``y`` elsewhere;
    the condition takes none. For Values, the chosen node itself."""
    if isinstance(x, Value) or isinstance(y, Value):
        return x if bool(getattr(condition, "data", condition)) else y
    cond = np.asarray(condition.data if isinstance(condition, Tensor) else condition)
    if cond.dtype != np.bool_:
        raise TypeError(f"where: the condition must be bool, got dtype {cond.dtype} (compare first: x > 0)")
    like = x if isinstance(x, Tensor) else y if isinstance(y, Tensor) else None
    if like is None:
        return Tensor(np.where(cond, x, y))
    xs = tuple(v if isinstance(v, Tensor) else _lift(v, like, G.WHERE) for v in (x, y))
    try:
        shape = np.broadcast_shapes(cond.shape, xs[0].shape, xs[1].shape)
    except ValueError:
        raise ValueError(f"where: shapes {cond.shape}, {xs[0].shape} and {xs[1].shape} cannot be broadcast "
                         "together") from None
    return Tensor._variadic(G.WHERE, xs, np.broadcast_to(cond, shape))


def maximum(x: Node, y: Any) -> Node:
    """Elementwise larger of ``x`` and ``y``; a tie splits the gradient."""
    return x.maximum(y) if isinstance(x, Tensor) else x.max(y)


def minimum(x: Node, y: Any) -> Node:
    """Elementwise smaller of ``x`` and ``y``; a tie splits the gradient."""
    return x.minimum(y) if isinstance(x, Tensor) else x.min(y)


def clamp(x: Node, min: Any = None, max: Any = None) -> Node:
    """``x`` limited to [min, max]; the gradient passes where min <= x <= max."""
    return x.clamp(min, max)


clip = clamp
