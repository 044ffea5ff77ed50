"""Tensor gates: matrix product, shapes (reshape, transpose, flip, broadcast),
indexing, joining, the softmax family and dtype casts (reductions are in
``reductions.py``). The parameter of a one-input gate (axis, shape, index)
arrives as ``p``."""
from __future__ import annotations

import numpy as np

from .core import _gate, _is_plain, _swap, data_of, exp, sum_to


def _as_matrices(g, x, y):
    """View 1-D operands as a row (x) or a column (y), as np.matmul does, and
    give ``g`` the matching (batch..., n, m) shape."""
    x2 = x.reshape((1, x.shape[0])) if x.ndim == 1 else x
    y2 = y.reshape((y.shape[0], 1)) if y.ndim == 1 else y
    batch = np.broadcast_shapes(x2.shape[:-2], y2.shape[:-2])
    return g.reshape(batch + (x2.shape[-2], y2.shape[-1])), x2, y2


def _matmul_vjp_x(g, out, x, y):
    if x.ndim == 2 and y.ndim == 2:
        return g @ y.T
    g2, x2, y2 = _as_matrices(g, x, y)
    return sum_to(g2 @ _swap(y2), x2.shape).reshape(x.shape)


def _matmul_vjp_y(g, out, x, y):
    if x.ndim == 2 and y.ndim == 2:
        return x.T @ g
    g2, x2, y2 = _as_matrices(g, x, y)
    return sum_to(_swap(x2) @ g2, y2.shape).reshape(y.shape)


MATMUL = _gate("matmul", "@", 2, np.matmul, None,
               "Z = X @ Y; dL/dX = G @ Y^T, dL/dY = X^T @ G", parts=(_matmul_vjp_x, _matmul_vjp_y),
               needs_out=False)


def _reshape_vjp(g, out, x, p):
    return g.reshape(x.shape)


RESHAPE = _gate("reshape", "reshape", 1, np.reshape, _reshape_vjp, "same numbers, new shape")


def _transpose_fwd(x, axes):
    return x.transpose(axes)


def _transpose_vjp(g, out, x, axes):
    return g.transpose(tuple(np.argsort(axes)))


TRANSPOSE = _gate("transpose", "transpose", 1, _transpose_fwd, _transpose_vjp,
                  "permute axes; the gradient permutes back")


def _flip_fwd(x, axes):
    return np.flip(x, axes)


def _flip_vjp(g, out, x, axes):
    return np.flip(g, axes) if _is_plain(g) else g.flip(axes)


FLIP = _gate("flip", "flip", 1, _flip_fwd, _flip_vjp, "reverse along axes; the gradient flips back",
             needs_out=False)


def _broadcast_fwd(x, shape):
    return np.broadcast_to(x, shape)


def _broadcast_vjp(g, out, x, shape):
    return sum_to(g, x.shape)


BROADCAST = _gate("broadcast_to", "broadcast", 1, _broadcast_fwd, _broadcast_vjp,
                  "repeat along broadcast axes; the gradient sums them")


def index_add(g, index, shape: tuple):
    """Zeros of ``shape`` with ``g`` added at ``index`` (repeated indices add up)."""
    if _is_plain(g):
        return _index_add_fwd(g, (index, shape))
    return g._index_add(index, shape)


def _getitem_fwd(x, index):
    return x[index]


def _getitem_vjp(g, out, x, index):
    return index_add(g, index, x.shape)


GETITEM = _gate("getitem", "[ ]", 1, _getitem_fwd, _getitem_vjp,
                "z = x[i]; the gradient scatters back to i (repeats add up)")


def _is_basic(index) -> bool:
    """True for an index of ints, slices, None and Ellipsis only: it cannot repeat a position."""
    parts = index if isinstance(index, tuple) else (index,)
    return all(isinstance(i, (int, np.integer, slice)) or i is None or i is Ellipsis for i in parts)


def _index_add_fwd(g, p):
    index, shape = p
    z = np.zeros(shape, dtype=g.dtype if hasattr(g, "dtype") else np.float64)
    if _is_basic(index):
        z[index] = g                 # basic indexing never repeats a position
    else:
        np.add.at(z, index, g)       # integer arrays may: repeated indices add up
    return z


def _index_add_vjp(g, out, x, p):
    return g[p[0]]


INDEX_ADD = _gate("index_add", "index_add", 1, _index_add_fwd, _index_add_vjp,
                  "z = zeros, z[i] += x; the gradient gathers g[i]")


def _stack_fwd(xs, axis):
    return np.stack(xs, axis=axis)


def _stack_vjp(g, out, xs, axis):
    lead = (slice(None),) * axis
    return [g[lead + (i,)] for i in range(len(xs))]


STACK = _gate("stack", "stack", -1, _stack_fwd, _stack_vjp,
              "z = [x_0, x_1, ...] along a new axis; dL/dx_i = G[..., i, ...]")


def _concat_fwd(xs, axis):
    return np.concatenate(xs, axis=axis)


def _concat_vjp(g, out, xs, axis):
    lead = (slice(None),) * axis
    bounds = np.cumsum([0] + [x.shape[axis] for x in xs])
    return [g[lead + (slice(int(a), int(b)),)] for a, b in zip(bounds[:-1], bounds[1:])]


CONCAT = _gate("concatenate", "concat", -1, _concat_fwd, _concat_vjp,
               "z = x_0 ++ x_1 ++ ... along an axis; dL/dx_i = the slice of G that x_i filled")


def _softmax_fwd(x, axis):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def _softmax_vjp(g, out, x, axis):
    return out * (g - (g * out).sum(axis=axis, keepdims=True))


SOFTMAX = _gate("softmax", "softmax", 1, _softmax_fwd, _softmax_vjp,
                "p = e^x / Σ e^x; dL/dx = p (g - Σ g p)  (p_i(δ_ij - p_j) applied to g)")


def _log_softmax_fwd(x, axis):
    s = x - x.max(axis=axis, keepdims=True)
    return s - np.log(np.exp(s).sum(axis=axis, keepdims=True))


def _log_softmax_vjp(g, out, x, axis):
    return g - exp(out) * g.sum(axis=axis, keepdims=True)


LOG_SOFTMAX = _gate("log_softmax", "log_softmax", 1, _log_softmax_fwd, _log_softmax_vjp,
                    "z = x - logsumexp(x); dL/dx = g - softargmax(x) Σ g")


def _cast_fwd(x, dtype):
    return x.astype(dtype)


def _cast_vjp(g, out, x, dtype):
    back = data_of(x).dtype
    return g.astype(back, copy=False) if _is_plain(g) else g.to(back)


CAST = _gate("to", "to", 1, _cast_fwd, _cast_vjp,
             "z = x in another float dtype; the gradient goes back in x's dtype", needs_out=False)
