"""Reductions: sum, mean, max, min, prod, logsumexp over any axes (one or
several, or all), and the cumulative sum. The parameter of each (but cumsum)
is ``(axis, keepdims)``; ``axis`` is None (all), an int or a tuple."""
from __future__ import annotations

import numpy as np

from .arrays import _softmax_fwd
from .core import _expand, _gate, _is_plain, data_of, exp


def _sum_fwd(x, p):
    return x.sum(axis=p[0], keepdims=p[1])


def _sum_vjp(g, out, x, p):
    return _expand(g, x.shape, p[0], p[1])


SUM = _gate("sum", "sum", 1, _sum_fwd, _sum_vjp, "z = Σ x; dz/dx_i = 1 (g broadcast back)", needs_out=False)


def _mean_fwd(x, p):
    return x.mean(axis=p[0], keepdims=p[1])


def _mean_vjp(g, out, x, p):
    n = data_of(x).size // max(data_of(out).size, 1)
    # n = 0: the mean of an empty slice (NaN in forward, as numpy); its gradient is an empty array
    return _expand(g, x.shape, p[0], p[1]) * (1.0 / n if n else 0.0)


MEAN = _gate("mean", "mean", 1, _mean_fwd, _mean_vjp, "z = Σ x / n; dz/dx_i = 1/n")


def _amax_fwd(x, p):
    return x.max(axis=p[0], keepdims=p[1])


def _extreme_vjp(g, out, x, p):
    """max and min reductions: the gradient goes where the extreme was (ties split it evenly)."""
    axis, keepdims = p
    xd = data_of(x)
    hit = xd == _expand(data_of(out), xd.shape, axis, keepdims)
    share = hit / hit.sum(axis=axis, keepdims=True)
    return _expand(g, x.shape, axis, keepdims) * share.astype(xd.dtype, copy=False)


AMAX = _gate("amax", "max", 1, _amax_fwd, _extreme_vjp,
             "z = max_i x_i; dz/dx_i = 1 at the arg-max (ties share), else 0")


def _logsumexp_fwd(x, p):
    axis, keepdims = p
    m = x.max(axis=axis, keepdims=True)
    m = np.where(np.isfinite(m), m, 0)
    out = m + np.log(np.exp(x - m).sum(axis=axis, keepdims=True))
    return out if keepdims else (out.reshape(()) if axis is None else np.squeeze(out, axis))


def _logsumexp_vjp(g, out, x, p):
    axis, keepdims = p
    if _is_plain(x):
        # softargmax(x) as e^(x - max) / Σ, not e^(x - lse): for entries of 1e17, x - lse rounds to 0
        share = _softmax_fwd(x, axis)
    else:                                            # on nodes: differentiable again
        share = exp(x - _expand(out, x.shape, axis, keepdims))
    return _expand(g, x.shape, axis, keepdims) * share


LOGSUMEXP = _gate("logsumexp", "logsumexp", 1, _logsumexp_fwd, _logsumexp_vjp,
                  "z = m + ln Σ e^(x-m), m = max x; dz/dx = softargmax(x)")


def _amin_fwd(x, p):
    return x.min(axis=p[0], keepdims=p[1])


AMIN = _gate("amin", "min", 1, _amin_fwd, _extreme_vjp,
             "z = min_i x_i; dz/dx_i = 1 at the arg-min (ties share), else 0")


def _prod_fwd(x, p):
    return x.prod(axis=p[0], keepdims=p[1])


def _others_product(x: np.ndarray, axis: int) -> np.ndarray:
    """For each element, the product of the others along ``axis`` (exact with zeros):
    the product of those before it times the product of those after it."""
    x = np.moveaxis(x, axis, -1)
    ones = np.ones(x.shape[:-1] + (1,), dtype=x.dtype)
    before = np.cumprod(np.concatenate([ones, x[..., :-1]], axis=-1), axis=-1)
    after = np.cumprod(np.concatenate([ones, x[..., :0:-1]], axis=-1), axis=-1)[..., ::-1]
    return np.moveaxis(before * after, -1, axis)


def _prod_vjp(g, out, x, p):
    axis, keepdims = p
    if not _is_plain(x):
        raise NotImplementedError("prod: gradients of gradients (create_graph=True) are not supported")
    if axis is None:
        others = _others_product(x.reshape(-1), 0).reshape(x.shape)
    else:
        others = _others_product(x, axis)
    return _expand(g, x.shape, axis, keepdims) * others


PROD = _gate("prod", "prod", 1, _prod_fwd, _prod_vjp,
             "z = Π x_i; dz/dx_i = Π_(j≠i) x_j (exact when some x_j = 0)")


def _cumsum_fwd(x, axis):
    return np.cumsum(x, axis=axis)


def _cumsum_vjp(g, out, x, axis):
    if not _is_plain(g):
        return g.flip(axis).cumsum(axis).flip(axis)
    return np.flip(np.cumsum(np.flip(g, axis), axis=axis), axis)


CUMSUM = _gate("cumsum", "cumsum", 1, _cumsum_fwd, _cumsum_vjp,
               "z_i = Σ_(j<=i) x_j; dL/dx_j = Σ_(i>=j) g_i (a reversed cumulative sum)")
