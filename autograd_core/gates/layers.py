"""Fused gates for layers and losses: ``linear``, ``conv2d``, the softmax
cross-entropy and the binary cross-entropy. Each is one node where the composed version would be several,
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


# A convolution's parameter: ((sh, sw), (ph, pw), (dh, dw), groups) -- stride, padding, dilation, groups.

def _conv_windows(x, kh, kw, p):
    """(N, C, Ho, Wo, kh, kw) view of every (dilated) kernel window of the padded input."""
    (sh, sw), (ph, pw), (dh, dw), _ = p
    if ph or pw:
        x = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    win = np.lib.stride_tricks.sliding_window_view(x, (dh * (kh - 1) + 1, dw * (kw - 1) + 1), axis=(2, 3))
    return win[:, :, ::sh, ::sw, ::dh, ::dw]


def _by_group(a, groups: int, axis: int):
    """Split ``axis`` of ``a`` into (groups, size/groups)."""
    return a.reshape(a.shape[:axis] + (groups, a.shape[axis] // groups) + a.shape[axis + 1:])


def _conv(x, w, p):
    """The convolution itself: y[n,o,i,j] = Σ_(c in o's group),a,b w[o,c,a,b] x[n,c,s·i+d·a,s·j+d·b]."""
    groups = p[3]
    win = _conv_windows(x, w.shape[2], w.shape[3], p)
    if groups == 1:
        return np.tensordot(win, w, axes=([1, 4, 5], [1, 2, 3])).transpose(0, 3, 1, 2)
    out = np.einsum("ngchwab,gocab->ngohw", _by_group(win, groups, 1), _by_group(w, groups, 0), optimize=True)
    return out.reshape(out.shape[0], -1, out.shape[3], out.shape[4])


def _conv_input_grad(g, w, p, in_hw):
    """The adjoint of ``_conv`` in its input: scatter G·w back to each window's
    place (also the transposed convolution's forward)."""
    (sh, sw), (ph, pw), (dh, dw), groups = p
    n, ho, wo = g.shape[0], g.shape[2], g.shape[3]
    kh, kw = w.shape[2], w.shape[3]
    c = w.shape[1] * groups
    gp = np.zeros((n, c, in_hw[0] + 2 * ph, in_hw[1] + 2 * pw), dtype=np.result_type(g, w))
    gg, wg = _by_group(g, groups, 1), _by_group(w, groups, 0)
    for a in range(kh):          # dL/dx[n, c, s·i+d·a, s·j+d·b] += Σ_o G[n, o, i, j] w[o, c, a, b]
        for b in range(kw):
            contrib = np.einsum("ngohw,goc->ngchw", gg, wg[:, :, :, a, b]).reshape(n, c, ho, wo)
            gp[:, :, dh * a:dh * a + sh * ho:sh, dw * b:dw * b + sw * wo:sw] += contrib
    return gp[:, :, ph:ph + in_hw[0], pw:pw + in_hw[1]]


def _conv_weight_grad(g, x, w_shape, p):
    """dL/dw[o,c,a,b] = Σ_n,i,j G[n,o,i,j] x[n,c,s·i+d·a,s·j+d·b] (within o's group)."""
    groups = p[3]
    win = _conv_windows(x, w_shape[2], w_shape[3], p)
    ho, wo = g.shape[2], g.shape[3]
    win = win[:, :, :ho, :wo]
    if groups == 1:
        return np.tensordot(g, win, axes=([0, 2, 3], [0, 2, 3]))
    out = np.einsum("ngohw,ngchwab->gocab", _by_group(g, groups, 1), _by_group(win, groups, 1), optimize=True)
    return out.reshape(w_shape)


def _conv2d_fwd(xs, p):
    out = _conv(xs[0], xs[1], p)
    if len(xs) == 3:
        out = out + xs[2].reshape(1, -1, 1, 1)
    return np.ascontiguousarray(out)


def _plain_only(g, name: str) -> None:
    if not _is_plain(g):
        raise NotImplementedError(f"{name}: gradients of gradients (create_graph=True) are not supported")


def _conv2d_vjp_x(g, out, xs, p):
    _plain_only(g, "conv2d")
    return _conv_input_grad(g, xs[1], p, xs[0].shape[2:])


def _conv2d_vjp_w(g, out, xs, p):
    _plain_only(g, "conv2d")
    return _conv_weight_grad(g, xs[0], xs[1].shape, p)


def _conv2d_vjp_b(g, out, xs, p):
    return g.sum(axis=(0, 2, 3))


CONV2D = _gate("conv2d", "conv2d", -1, _conv2d_fwd, None,
               "y[b,o,i,j] = Σ_c,i',j' w[o,c,i',j'] x[b,c,s·i+d·i',s·j+d·j'] + b[o] (c in o's group); "
               "dL/dw = Σ_b,i,j G x-window, dL/dx scatters G·w back to each window",
               parts=(_conv2d_vjp_x, _conv2d_vjp_w, _conv2d_vjp_b), needs_out=False)


# The transposed convolution: the conv's input gradient as a forward. Its parameter
# is the conv's plus the output size: (p, (H_out, W_out)).

def _conv_t_fwd(xs, q):
    p, out_hw = q
    out = _conv_input_grad(xs[0], xs[1], p, out_hw)
    if len(xs) == 3:
        out = out + xs[2].reshape(1, -1, 1, 1)
    return np.ascontiguousarray(out)


def _conv_t_vjp_x(g, out, xs, q):
    _plain_only(g, "conv_transpose2d")
    return _conv(g, xs[1], q[0])[:, :, :xs[0].shape[2], :xs[0].shape[3]]


def _conv_t_vjp_w(g, out, xs, q):
    _plain_only(g, "conv_transpose2d")
    return _conv_weight_grad(xs[0], g, xs[1].shape, q[0])


CONV_TRANSPOSE2D = _gate("conv_transpose2d", "conv_transpose2d", -1, _conv_t_fwd, None,
                         "y = Aᵀx, A the conv2d map of w (the conv's input gradient); dL/dx = conv2d(G, w), "
                         "dL/dw = the conv's weight gradient with x and G swapped",
                         parts=(_conv_t_vjp_x, _conv_t_vjp_w, _conv2d_vjp_b), needs_out=False)


class CrossEntropyTarget:
    """Parameter of the fused softmax cross-entropy gate: integer ``labels`` (N,)
    or a target distribution ``t`` (N, C) with its row sums (None when every
    row sums to 1), plus the softmax the forward pass computed, which backward reuses."""

    __slots__ = ("labels", "t", "row_sums", "probs", "flat")

    def __init__(self, labels: Optional[np.ndarray] = None, t: Optional[np.ndarray] = None,
                 row_sums: Optional[np.ndarray] = None) -> None:
        self.labels = labels
        self.t = t
        self.row_sums = row_sums
        self.probs: Optional[tuple] = None
        self.flat: Optional[np.ndarray] = None      # see positions()

    def positions(self, shape: tuple) -> np.ndarray:
        """Where each sample's label sits in the flattened (N, C) logits,
        n * C + label, made once for forward and backward. A label outside
        [0, C) raises ValueError: it is checked here, in the same pass (a
        negative label would otherwise pick from the row's end)."""
        if self.flat is None:
            self.flat = np.ravel_multi_index((np.arange(shape[0]), self.labels), shape)
        return self.flat

    def dense(self, n_classes: int, dtype: Any) -> np.ndarray:
        """The target as an (N, C) array (one-hot rows for labels)."""
        if self.t is None:
            self.t = np.eye(n_classes, dtype=dtype)[self.labels]
        return self.t


_max = np.maximum.reduce        # reductions without ndarray.max/.sum's Python wrappers
_sum = np.add.reduce


def _softmax_ce_fwd(z, p: CrossEntropyTarget):
    n = z.shape[0]
    at = None if p.labels is None else p.positions(z.shape)     # first: a bad label costs no softmax
    # shifted: every exponent <= 0; in C order, so that backward can write through s's flat view
    s = np.subtract(z, _max(z, axis=-1, keepdims=True), order="C")
    if at is not None:
        picked = _sum(s.take(at))
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
            d = np.ascontiguousarray(_softmax_fwd(z, -1))
        else:
            d, se = cached
            d /= se[:, None]
        if p.row_sums is not None:
            d *= p.row_sums
        if p.labels is not None:
            d.reshape(-1)[p.positions(d.shape)] -= 1        # d is C-ordered: its flat view is d itself
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


def _bce_fwd(xs, param=None):
    # -(t ln p + (1 - t) ln(1 - p)) with PyTorch's logs clamped at -100 (a forward sees arrays only)
    p, t = xs
    with np.errstate(divide="ignore"):
        log_p, log_q = np.maximum(np.log(p), -100.0), np.maximum(np.log1p(-p), -100.0)
    return -(t * log_p + (1.0 - t) * log_q)


_BCE_EPS = float(np.float32(1e-12))     # PyTorch's EPSILON, a float constant: 9.99999996e-13


def _bce_vjp_p(g, out, xs, param=None):
    p, t = xs
    pq = p * (1.0 - p)
    pq = np.maximum(pq, _BCE_EPS) if _is_plain(pq) else pq.clamp(min=_BCE_EPS)
    return g * (p - t) / pq


def _bce_vjp_t(g, out, xs, param=None):
    p = xs[0]
    if _is_plain(p):
        with np.errstate(divide="ignore"):
            return g * -np.log(p / (1.0 - p))
    return g * -(p / (1.0 - p)).log()


BCE = _gate("binary_cross_entropy", "BCE", -1, _bce_fwd, None,
            "ℓ = -(t max(ln p, -100) + (1 - t) max(ln(1 - p), -100)) elementwise, PyTorch's clamped logs; "
            "dℓ/dp = (p - t) / max(p(1 - p), 1e-12) (finite at p = 0 or 1, as PyTorch's), "
            "dℓ/dt = -ln(p / (1 - p)) (unclamped, as PyTorch's)",
            parts=(_bce_vjp_p, _bce_vjp_t))
