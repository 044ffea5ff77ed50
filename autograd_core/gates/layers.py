"""Fused gates for layers and losses: ``linear``, ``conv2d`` and the softmax
cross-entropy. Each is one node where the composed version would be several,
and computes only the gradients its inputs need (``parts``)."""
from __future__ import annotations

from typing import Any, Optional

import numpy as np

from .arrays import _softmax_fwd
from .core import _gate, _is_plain, sum_to


def _linear_fwd(xs, p=None):
    x, w = xs[0], xs[1]
    z = x @ w.T
    if len(xs) == 3:
        b = xs[2]
        if b.dtype == z.dtype:
            z += b                 # z is ours: add the bias in place, no second array
        else:
            z = z + b              # let numpy promote mixed dtypes
    return z


def _linear_vjp_x(g, out, xs, p):
    return g @ xs[1]


def _linear_vjp_w(g, out, xs, p):
    x = xs[0]
    if x.ndim == 2:
        return g.T @ x
    if x.ndim == 1:
        return g.reshape((-1, 1)) * x.reshape((1, -1))
    return g.reshape((-1, g.shape[-1])).T @ x.reshape((-1, x.shape[-1]))


def _linear_vjp_b(g, out, xs, p):
    return g.sum(axis=0) if g.ndim == 2 else sum_to(g, xs[2].shape)


LINEAR = _gate("linear", "linear", -1, _linear_fwd, None,
               "z = x W^T + b; dL/dx = G W, dL/dW = G^T x, dL/db = Σ_batch G",
               parts=(_linear_vjp_x, _linear_vjp_w, _linear_vjp_b), needs_out=False)


def _conv_windows(x, kh, kw, stride, padding):
    """(N, C, Ho, Wo, kh, kw) view of every kernel-sized window of the padded input."""
    if padding:
        x = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    win = np.lib.stride_tricks.sliding_window_view(x, (kh, kw), axis=(2, 3))
    return win[:, :, ::stride, ::stride]


def _conv2d_fwd(xs, p):
    x, w = xs[0], xs[1]
    stride, padding = p
    win = _conv_windows(x, w.shape[2], w.shape[3], stride, padding)
    out = np.tensordot(win, w, axes=([1, 4, 5], [1, 2, 3])).transpose(0, 3, 1, 2)
    if len(xs) == 3:
        out = out + xs[2].reshape(1, -1, 1, 1)
    return np.ascontiguousarray(out)


def _plain_only(g, name: str) -> None:
    if not _is_plain(g):
        raise NotImplementedError(f"{name}: gradients of gradients (create_graph=True) are not supported")


def _conv2d_vjp_x(g, out, xs, p):
    _plain_only(g, "conv2d")
    x, w = xs[0], xs[1]
    stride, padding = p
    n, c, h, wd = x.shape
    kh, kw = w.shape[2], w.shape[3]
    ho, wo = g.shape[2], g.shape[3]
    gp = np.zeros((n, c, h + 2 * padding, wd + 2 * padding), dtype=g.dtype)
    for i in range(kh):          # dL/dx[b, c, i'+i, j'+j] += Σ_o G[b, o, i', j'] w[o, c, i, j]
        for j in range(kw):
            contrib = np.tensordot(g, w[:, :, i, j], axes=([1], [0])).transpose(0, 3, 1, 2)
            gp[:, :, i:i + stride * ho:stride, j:j + stride * wo:stride] += contrib
    return gp[:, :, padding:padding + h, padding:padding + wd]


def _conv2d_vjp_w(g, out, xs, p):
    _plain_only(g, "conv2d")
    x, w = xs[0], xs[1]
    win = _conv_windows(x, w.shape[2], w.shape[3], *p)
    return np.tensordot(g, win, axes=([0, 2, 3], [0, 2, 3]))    # Σ_b,i,j G[b,o,i,j] x[b,c,i+i',j+j']


def _conv2d_vjp_b(g, out, xs, p):
    return g.sum(axis=(0, 2, 3))


CONV2D = _gate("conv2d", "conv2d", -1, _conv2d_fwd, None,
               "y[b,o,i,j] = Σ_c,i',j' w[o,c,i',j'] x[b,c,s·i+i',s·j+j'] + b[o]; "
               "dL/dw = Σ_b,i,j G x-window, dL/dx scatters G·w back to each window",
               parts=(_conv2d_vjp_x, _conv2d_vjp_w, _conv2d_vjp_b), needs_out=False)


class CrossEntropyTarget:
    """Parameter of the fused softmax cross-entropy gate: integer ``labels`` (N,)
    or a target distribution ``t`` (N, C) with its row sums (None when every
    row sums to 1), plus the softmax the forward pass computed, which backward reuses."""

    __slots__ = ("labels", "t", "row_sums", "probs", "rows")

    def __init__(self, labels: Optional[np.ndarray] = None, t: Optional[np.ndarray] = None,
                 row_sums: Optional[np.ndarray] = None) -> None:
        self.labels = labels
        self.t = t
        self.row_sums = row_sums
        self.probs: Optional[tuple] = None
        self.rows: Optional[np.ndarray] = None      # arange(N), made once for forward and backward

    def dense(self, n_classes: int, dtype: Any) -> np.ndarray:
        """The target as an (N, C) array (one-hot rows for labels)."""
        if self.t is None:
            self.t = np.eye(n_classes, dtype=dtype)[self.labels]
        return self.t


_max = np.maximum.reduce        # reductions without ndarray.max/.sum's Python wrappers
_sum = np.add.reduce


def _softmax_ce_fwd(z, p: CrossEntropyTarget):
    n = z.shape[0]
    s = z - _max(z, axis=-1, keepdims=True)         # shifted: every exponent <= 0
    if p.labels is not None:
        p.rows = np.arange(n)
        picked = _sum(s[p.rows, p.labels])
        e = np.exp(s, out=s)                        # s is ours: exponentiate in place
        se = _sum(e, axis=-1)
        p.probs = (e, se)                           # normalised by backward, in place
        return np.asarray((_sum(np.log(se)) - picked) / n)
    e = np.exp(s)
    se = _sum(e, axis=-1)
    p.probs = (e, se)
    return -(p.t * (s - np.log(se)[:, None])).sum() / n


def _softmax_ce_vjp(g, out, z, p: CrossEntropyTarget):
    n = z.shape[0]
    if _is_plain(z):
        cached = p.probs                # used up here: a second backward recomputes it
        p.probs = None
        if cached is None:
            d = _softmax_fwd(z, -1)
        else:
            d, se = cached
            d /= se[:, None]
        if p.row_sums is not None:
            d *= p.row_sums
        if p.labels is not None:
            d[np.arange(n) if p.rows is None else p.rows, p.labels] -= 1
        else:
            d -= p.t
        d *= (float(g) if g.ndim == 0 else g) * (1.0 / n if n else 0.0)   # n = 0: d is empty
        return d
    probs = z.softmax(axis=-1)                      # on nodes: differentiable again
    if p.row_sums is not None:
        probs = probs * p.row_sums
    return (probs - p.dense(z.shape[1], z.dtype)) * (g * (1.0 / n if n else 0.0))


SOFTMAX_CE = _gate("softmax_cross_entropy", "softmax CE", 1, _softmax_ce_fwd, _softmax_ce_vjp,
                   "L = -(1/N) Σ_n Σ_c t_nc ln softargmax(z_n)_c; dL/dz = (softargmax(z) - t)/N "
                   "(t rows summing to 1), computed shifted by the max: finite for any finite logits")
