"""Central differences: the numerical gradient that checks an analytic one.

    df/dx ≈ (f(x + h) - f(x - h)) / 2h      (error O(h²), seed 002's advice:
    "derive the analytic gradient, check it with the numerical gradient")
"""
from __future__ import annotations

from typing import Any, Callable, Sequence

import numpy as np

from .graph import grad
from .node import Node
from ._tensor import Tensor
from .value import Value

__all__ = ["GradcheckError", "numerical_grad", "gradcheck"]


class GradcheckError(AssertionError):
    """Raised by ``gradcheck`` when backward disagrees with central differences."""


def _scalar_output(fn: Callable, inputs: Sequence[Node], weights: list) -> Any:
    """fn(*inputs) reduced to one number: a non-scalar Tensor output is dotted
    with fixed random weights, which checks every output element at once."""
    out = fn(*inputs)
    if isinstance(out, Tensor) and out.data.size != 1:
        if not weights:
            weights.append(np.random.default_rng(0).standard_normal(out.shape))
        return (out * weights[0]).sum()
    if isinstance(out, Tensor):
        return out.sum()
    if not isinstance(out, Value):
        raise TypeError(f"gradcheck: fn must return a Value or a Tensor, got {type(out).__name__}")
    return out


def _as_float(out: Any) -> float:
    return float(out.data)


def numerical_grad(fn: Callable[..., Any], inputs: Sequence[Node], eps: float = 1e-6) -> list:
    """Central-difference gradient of ``fn(*inputs)`` (reduced to a scalar as in
    ``gradcheck``) for each input: a float for a Value, an array for a Tensor."""
    # fn runs with graph recording on: it may itself take gradients (grad of grad).
    weights: list = []
    _scalar_output(fn, inputs, weights)
    result = []
    for x in inputs:
        if isinstance(x, Value):
            x0 = x.data
            x.data = x0 + eps
            hi = _as_float(_scalar_output(fn, inputs, weights))
            x.data = x0 - eps
            lo = _as_float(_scalar_output(fn, inputs, weights))
            x.data = x0
            result.append((hi - lo) / (2 * eps))
            continue
        g = np.zeros_like(x.data, dtype=np.float64)
        if not x.data.flags.c_contiguous or not x.data.flags.writeable:
            x.data = np.array(x.data, order="C")
        flat = x.data.reshape(-1)           # a view: writing it perturbs x
        for i in range(flat.size):
            x0 = flat[i]
            flat[i] = x0 + eps
            hi = _as_float(_scalar_output(fn, inputs, weights))
            flat[i] = x0 - eps
            lo = _as_float(_scalar_output(fn, inputs, weights))
            flat[i] = x0
            g.reshape(-1)[i] = (hi - lo) / (2 * eps)
        result.append(g)
    return result


def gradcheck(fn: Callable[..., Any], inputs: Sequence[Node], eps: float = 1e-6,
              atol: float = 1e-5, rtol: float = 1e-3) -> bool:
    """Compare backward against central differences for every input element.

    ``fn(*inputs)`` returns a Value or a Tensor (a non-scalar Tensor is checked
    through a fixed random projection). Passes when, element by element,
    ``|analytic - numeric| <= atol + rtol * |numeric|``; returns True, or raises
    ``GradcheckError`` naming the input, the index and the worst mismatch.
    Tensor inputs must be float64: central differences are meaningless in float32.
    """
    inputs = list(inputs)
    for i, x in enumerate(inputs):
        if not isinstance(x, Node):
            raise TypeError(f"gradcheck: input {i} is a {type(x).__name__}, expected a Value or a Tensor")
        if isinstance(x, Tensor):
            if x.dtype != np.float64:
                raise ValueError(f"gradcheck: input {i} has dtype {x.dtype}; use float64 "
                                 "(central differences with a small eps need double precision)")
            if not x.requires_grad:
                raise ValueError(f"gradcheck: input {i} does not require grad; create it with requires_grad=True")
    weights: list = []
    out = _scalar_output(fn, inputs, weights)
    analytic = grad(out, inputs)
    numeric = numerical_grad(fn, inputs, eps)
    for i, (x, a, n) in enumerate(zip(inputs, analytic, numeric)):
        a = np.asarray(a, dtype=np.float64)
        n = np.asarray(n, dtype=np.float64)
        err = np.abs(a - n) - (atol + rtol * np.abs(n))
        bad = ~(err <= 0)                       # NaN counts as a mismatch
        if bad.any():
            worst = np.unravel_index(int(np.nanargmax(np.where(bad, np.nan_to_num(err, nan=np.inf), -np.inf))),
                                     a.shape) if a.ndim else ()
            name = f" ({x.label!r})" if x.label else ""
            raise GradcheckError(
                f"gradcheck: input {i}{name} of shape {a.shape}: {int(bad.sum())} of {a.size} elements "
                f"disagree; worst at index {tuple(int(k) for k in worst)}: backward gives {float(a[worst])!r}, "
                f"central difference gives {float(n[worst])!r} (atol={atol}, rtol={rtol}, eps={eps})")
    return True
