"""Gradient utilities (``nn.utils``): clipping, as PyTorch's ``clip_grad_norm_``
and ``clip_grad_value_``."""
from __future__ import annotations

import math
from typing import Iterable

import numpy as np

from autograd_core import Node

__all__ = ["clip_grad_norm_", "clip_grad_value_"]


def _with_grads(parameters: Iterable[Node]) -> list:
    params = [parameters] if isinstance(parameters, Node) else list(parameters)
    return [p for p in params if p.grad is not None]


def clip_grad_norm_(parameters: Iterable[Node], max_norm: float, norm_type: float = 2.0) -> float:
    """Scale all gradients together so that their joint norm is at most ``max_norm``
    (by max_norm / (norm + 1e-6), as PyTorch); returns the norm before clipping."""
    params = _with_grads(parameters)
    if not params:
        return 0.0
    grads = [np.abs(np.asarray(p.grad, dtype=np.float64)) for p in params]
    if norm_type == math.inf:
        total = max(float(g.max()) if g.size else 0.0 for g in grads)
    else:
        total = float(sum((g ** norm_type).sum() for g in grads) ** (1.0 / norm_type))
    factor = max_norm / (total + 1e-6)
    if factor < 1.0:
        for p in params:
            if isinstance(p.grad, np.ndarray):
                p.grad *= factor
            else:
                p.grad = p.grad * factor
    return total


def clip_grad_value_(parameters: Iterable[Node], clip_value: float) -> None:
    """Clip every gradient element into [-clip_value, clip_value], in place."""
    for p in _with_grads(parameters):
        if isinstance(p.grad, np.ndarray):
            np.clip(p.grad, -clip_value, clip_value, out=p.grad)
        else:
            p.grad = min(max(p.grad, -clip_value), clip_value)
