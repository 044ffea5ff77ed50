"""Derivatives of whole functions, for small problems and for teaching:
``vjp``, ``jvp``, ``jacobian``, ``hessian``, ``hvp`` (PyTorch's
``torch.autograd.functional`` names).

A training step never builds a Jacobian: for a layer with N = 64 samples and
4096 inputs and outputs it would hold 64·4096 × 64·4096 ≈ 6.9e10 numbers,
while the vector-Jacobian product that backward computes has the size of the
input. ``jacobian`` is here to show one, for a function of a few numbers.
"""
from __future__ import annotations

from typing import Any, Callable, Sequence, Tuple, Union

import numpy as np

from ._tensor import Tensor
from .graph import enable_grad, grad

__all__ = ["vjp", "jvp", "jacobian", "hessian", "hvp"]

Inputs = Union[Tensor, Sequence[Tensor]]


def _leaves(inputs: Inputs) -> Tuple[Tuple[Tensor, ...], bool]:
    """Fresh leaves that take a gradient, holding the inputs' data; and whether one was given."""
    single = isinstance(inputs, Tensor)
    items = (inputs,) if single else tuple(inputs)
    for i, t in enumerate(items):
        if not isinstance(t, Tensor):
            raise TypeError(f"functional: input {i} must be a Tensor, got {type(t).__name__}")
        if t.dtype.kind != "f":
            raise TypeError(f"functional: input {i} must be floating point, got {t.dtype}")
    return tuple(Tensor(t.data, requires_grad=True) for t in items), single


def _call(func: Callable, xs: tuple) -> Tensor:
    with enable_grad():
        out = func(*xs)
    if not isinstance(out, Tensor):
        raise TypeError(f"functional: the function must return a Tensor, got {type(out).__name__}")
    return out


def _as_array(v: Any, shape: tuple, dtype: Any, what: str) -> np.ndarray:
    a = np.asarray(v.data if isinstance(v, Tensor) else v, dtype=dtype)
    if a.shape != shape:
        raise ValueError(f"functional: {what} has shape {a.shape}, expected {shape}")
    return a


def vjp(func: Callable, inputs: Inputs, v: Any = None) -> tuple:
    """(func(inputs), vᵀ J): the gradient of <v, func(inputs)> with respect to the inputs."""
    xs, single = _leaves(inputs)
    out = _call(func, xs)
    seed = None if v is None else _as_array(v, out.shape, out.dtype, "v")
    gs = grad(out, list(xs), grad_output=seed)
    return out.detach(), (gs[0] if single else tuple(gs))


def _grad_or_zero(y: Tensor, x: Tensor) -> np.ndarray:
    """grad(y, x) for a gradient ``y`` made with create_graph; zeros when ``y``
    has no graph (the gradient was constant, so its derivative is 0). grad
    itself gives zeros where y does not depend on x."""
    if not y.requires_grad:
        return np.zeros_like(x.data)
    return grad(y, x)


def jvp(func: Callable, inputs: Inputs, v: Any) -> tuple:
    """(func(inputs), J v), by the double-vjp trick: u ↦ uᵀJ is linear in u, and
    its gradient with respect to u, taken along v, is J v."""
    xs, single = _leaves(inputs)
    vs = (v,) if single else tuple(v)
    if len(vs) != len(xs):
        raise ValueError(f"jvp: give one tangent per input, got {len(vs)} for {len(xs)} inputs")
    out = _call(func, xs)
    u = Tensor(np.zeros(out.shape, dtype=out.dtype), requires_grad=True)
    gs = grad(out, list(xs), grad_output=u, create_graph=True)
    total = None
    for g, x, vi in zip(gs, xs, vs):
        term = (g * Tensor(_as_array(vi, x.shape, x.dtype, "v"))).sum()
        total = term if total is None else total + term
    return out.detach(), grad(total, u)


def jacobian(func: Callable, inputs: Inputs) -> Any:
    """d func / d inputs as an array of shape out.shape + input.shape (one per input),
    built row by row from vector-Jacobian products."""
    xs, single = _leaves(inputs)
    out = _call(func, xs)
    rows = [np.zeros(out.shape + x.shape, dtype=out.dtype) for x in xs]
    for index in np.ndindex(out.shape):
        e = np.zeros(out.shape, dtype=out.dtype)
        e[index] = 1.0
        for row, g in zip(rows, grad(out, list(xs), grad_output=e)):
            row[index] = g
    return rows[0] if single else tuple(rows)


def _scalar_grad(func: Callable, inputs: Tensor, where: str) -> tuple:
    """(x, func(x), ∇func(x) as a graph) for a function with one output element."""
    (x,), _ = _leaves(inputs)
    out = _call(func, (x,))
    if out.data.size != 1:
        raise ValueError(f"{where}: the function must return one number, got shape {out.shape}")
    return x, out, grad(out, x, create_graph=True)


def hessian(func: Callable, inputs: Tensor) -> np.ndarray:
    """d² func / d inputs² for a function with one output element: shape x.shape + x.shape."""
    x, _, g = _scalar_grad(func, inputs, "hessian")
    g = g.reshape(-1)
    h = np.zeros((g.shape[0],) + x.shape, dtype=x.dtype)
    for j in range(g.shape[0]):
        h[j] = _grad_or_zero(g[j], x)
    return h.reshape(x.shape + x.shape)


def hvp(func: Callable, inputs: Tensor, v: Any) -> tuple:
    """(func(inputs), H v) without building H: the gradient of <∇func, v>."""
    x, out, g = _scalar_grad(func, inputs, "hvp")
    return out.detach(), _grad_or_zero((g * Tensor(_as_array(v, x.shape, x.dtype, "v"))).sum(), x)
