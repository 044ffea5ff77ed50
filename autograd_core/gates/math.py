"""More elementwise math, shared by ``Value`` (float paths, ``sfwd``) and
``Tensor`` (numpy, ``fwd``): abs, sqrt, sin, cos, log1p, expm1, sign, clamp,
minimum, where. At a kink each takes PyTorch's derivative: abs'(0) = 0,
clamp passes the gradient where min <= x <= max, a tie in minimum splits it."""
from __future__ import annotations

import math

import numpy as np

from .core import _gate, _unary_any, data_of
from .elementwise import _max_vjp


def _sign(x):
    # -1, 0 or 1; 0 for nan too, on floats and arrays alike (PyTorch's sign(nan) is 0)
    xd = data_of(x)
    if type(xd) is float:
        return (xd > 0.0) - (xd < 0.0) + 0.0
    return (xd > 0).astype(xd.dtype) - (xd < 0)


def _abs_vjp(g, out, x, p):
    return g * _sign(x)


ABS = _gate("abs", "abs", 1, np.abs, _abs_vjp, "z = |x|; dz/dx = sign(x) (0 at 0, as PyTorch)", sfwd=abs)


def _ssqrt(x: float, p=None) -> float:
    if x < 0.0:
        raise ValueError(f"sqrt: input must be >= 0, got {x!r}")
    return math.sqrt(x)


def _sqrt_vjp(g, out, x, p):
    if type(out) is float:
        return g * (0.5 / out if out != 0.0 else math.inf)
    if type(out) is np.ndarray:
        with np.errstate(divide="ignore"):
            return g * (0.5 / out)
    return g * 0.5 / out


SQRT = _gate("sqrt", "sqrt", 1, np.sqrt, _sqrt_vjp, "z = √x; dz/dx = 1/(2√x) (inf at 0)", sfwd=_ssqrt)


def _sin_vjp(g, out, x, p):
    return g * _unary_any(COS, x)


def _cos_vjp(g, out, x, p):
    return g * -_unary_any(SIN, x)


SIN = _gate("sin", "sin", 1, np.sin, _sin_vjp, "z = sin x; dz/dx = cos x", sfwd=math.sin)
COS = _gate("cos", "cos", 1, np.cos, _cos_vjp, "z = cos x; dz/dx = -sin x", sfwd=math.cos)


def _slog1p(x: float, p=None) -> float:
    if x <= -1.0:
        raise ValueError(f"log1p: input must be > -1, got {x!r}")
    return math.log1p(x)


def _log1p_vjp(g, out, x, p):
    return g / (x + 1.0)


def _expm1_vjp(g, out, x, p):
    return g * (out + 1.0)


def _sexpm1(x: float, p=None) -> float:
    try:
        return math.expm1(x)
    except OverflowError:
        return math.inf


LOG1P = _gate("log1p", "log1p", 1, np.log1p, _log1p_vjp, "z = ln(1 + x); dz/dx = 1/(1 + x)", sfwd=_slog1p)
EXPM1 = _gate("expm1", "expm1", 1, np.expm1, _expm1_vjp, "z = e^x - 1; dz/dx = e^x = z + 1", sfwd=_sexpm1)


def _sign_fwd(x, p=None):
    return _sign(x)


def _zero_vjp(g, out, x, p):
    return g * 0.0


SIGN = _gate("sign", "sign", 1, _sign_fwd, _zero_vjp, "z = sign x; dz/dx = 0", sfwd=_sign_fwd)


def _clamp_fwd(x, p):
    lo, hi = p
    if type(x) is float:
        if x != x:
            return x
        return min(max(x, -math.inf if lo is None else lo), math.inf if hi is None else hi)
    return np.clip(x, lo, hi)


def _clamp_vjp(g, out, x, p):
    lo, hi = p
    xd = data_of(x)
    inside = (True if lo is None else xd >= lo) & (True if hi is None else xd <= hi)
    if type(xd) is float:
        return g * (1.0 if inside else 0.0)
    return g * np.asarray(inside).astype(xd.dtype, copy=False)


CLAMP = _gate("clamp", "clamp", 1, _clamp_fwd, _clamp_vjp,
              "z = min(max(x, lo), hi); dz/dx = 1 where lo <= x <= hi, else 0", sfwd=_clamp_fwd)


def _smin(x: float, y: float) -> float:
    return x if (x <= y or x != x) else y


def _min_vjp(g, out, x, y):
    # x is the smaller input exactly where y is the larger: maximum's rule (a tie splits
    # in half) on (y, x) gives x's share first
    return _max_vjp(g, out, y, x)


MIN = _gate("min", "min", 2, np.minimum, _min_vjp,
            "z = min(x, y); the gradient goes to the smaller input, a tie splits it", sfwd=_smin)


def _where_variadic_fwd(xs, cond):
    return np.where(cond, xs[0], xs[1])


def _where_a(g, out, xs, cond):
    return g * cond.astype(data_of(out).dtype, copy=False)


def _where_b(g, out, xs, cond):
    return g * (~cond).astype(data_of(out).dtype, copy=False)


WHERE = _gate("where", "where", -1, _where_variadic_fwd, None,
              "z = c ? a : b (c a fixed condition); dz/da = c, dz/db = not c", parts=(_where_a, _where_b))
