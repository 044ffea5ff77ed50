"""Functional forms of activations, layers and losses (``import nn.functional as F``).

Names follow seed 000's precise nomenclature, with PyTorch's names kept too:

* ``softargmax(x, beta)`` = e^{βx} / Σ e^{βx}, a soft *arg*-max (PyTorch calls it
  ``softmax``); ``softargmin(x, beta) = softargmax(-x, beta)``.
* ``softmaximum(x, beta)`` = (1/β) log Σ e^{βx}, the soft *maximum* itself (→ max as
  β → ∞); ``average=True`` gives (1/β) log (1/N) Σ e^{βx}, which tends to the mean
  as β → 0. ``softminimum(x, beta) = -softmaximum(-x, beta)``.
* ``softmax``/``log_softmax`` are PyTorch's names for softargmax/log_softargmax at β = 1.
"""
from __future__ import annotations

from typing import Any, Optional

import numpy as np

from autograd_core import Tensor, default_generator, where
from autograd_core import gates as G

from ._params import conv_params, pair, single
from .losses import (binary_cross_entropy, binary_cross_entropy_with_logits, cross_entropy,
                     cross_entropy_composed, huber_loss, l1_loss, l2_penalty, mse_loss, multi_margin_loss,
                     multiclass_hinge_loss, nll_loss)
from .pooling import avg_pool2d, max_pool2d

__all__ = ["linear", "conv2d", "conv1d", "conv_transpose2d", "relu", "leaky_relu", "elu", "softplus", "gelu", "silu", "dropout", "sigmoid",
           "tanh", "maxout", "max_pool2d", "avg_pool2d",
           "softargmax", "softargmin", "log_softargmax", "softmaximum", "softminimum",
           "softmax", "log_softmax",
           "cross_entropy", "cross_entropy_composed", "nll_loss", "mse_loss", "l1_loss", "huber_loss",
           "binary_cross_entropy", "multi_margin_loss",
           "binary_cross_entropy_with_logits", "multiclass_hinge_loss", "l2_penalty"]


def linear(x: Tensor, weight: Tensor, bias: Optional[Tensor] = None) -> Tensor:
    """``x @ weight.T + bias`` as one gate (PyTorch's layout: weight is (out, in)).

    Gradients: dL/dx = G W, dL/dW = G^T x, dL/db = G summed over the batch;
    only the ones an input needs are computed."""
    ws, xs = weight.data.shape, x.data.shape
    if len(ws) != 2:
        raise ValueError(f"linear: weight must be 2-D (out_features, in_features), got shape {ws}")
    if not xs or xs[-1] != ws[1]:
        raise ValueError(f"linear: input shape {xs} does not match weight shape {ws}: "
                         f"the last axis must be {ws[1]}")
    if bias is not None and bias.data.shape != (ws[0],):
        raise ValueError(f"linear: bias must have shape ({ws[0]},), got {bias.data.shape}")
    parents = (x, weight) if bias is None else (x, weight, bias)
    return G.LINEAR(*parents)


def conv2d(x: Tensor, weight: Tensor, bias: Optional[Tensor] = None, stride: Any = 1, padding: Any = 0,
           dilation: Any = 1, groups: int = 1) -> Tensor:
    """Batched multi-channel 2-D cross-correlation (seed 003), PyTorch's options:
    y[b,o,i,j] = Σ_{c,i',j'} w[o,c,i',j'] x[b,c,s·i+d·i',s·j+d·j'] + bias[o], the
    channels split into ``groups`` (o sees only its group's C/groups inputs)."""
    p = conv_params("conv2d", stride, padding, dilation, groups)
    if not isinstance(x, Tensor) or not isinstance(weight, Tensor):
        raise TypeError("conv2d: expected Tensors; wrap arrays in Tensor(...)")
    if x.ndim != 4 or weight.ndim != 4:
        raise ValueError(f"conv2d: input must be (N, C, H, W) and weight (O, C, kh, kw), "
                         f"got {x.shape} and {weight.shape}")
    g = p[3]
    if x.shape[1] != weight.shape[1] * g or weight.shape[0] % g:
        raise ValueError(f"conv2d: input has {x.shape[1]} channels, weight expects {weight.shape[1] * g}"
                         + (f" ({weight.shape[1]} per group, {g} groups)" if g > 1 else ""))
    (ph, pw), (dh, dw) = p[1], p[2]
    h, w = x.shape[2] + 2 * ph, x.shape[3] + 2 * pw
    if h < dh * (weight.shape[2] - 1) + 1 or w < dw * (weight.shape[3] - 1) + 1:
        raise ValueError(f"conv2d: kernel {weight.shape[2:]} (dilation {p[2]}) is larger than the padded "
                         f"input ({h}, {w})")
    if bias is not None and bias.shape != (weight.shape[0],):
        raise ValueError(f"conv2d: bias must have shape ({weight.shape[0]},), got {bias.shape}")
    parents = (x, weight) if bias is None else (x, weight, bias)
    return G.CONV2D(*parents, param=p)


def conv1d(x: Tensor, weight: Tensor, bias: Optional[Tensor] = None, stride: Any = 1, padding: Any = 0,
           dilation: Any = 1, groups: int = 1) -> Tensor:
    """1-D cross-correlation of (N, C, L) inputs with (O, C/groups, k) weights: conv2d
    on a height-1 image. The options are ints or 1-tuples, as PyTorch's."""
    if x.ndim != 3 or weight.ndim != 3:
        raise ValueError(f"conv1d: input must be (N, C, L) and weight (O, C, k), got {x.shape} and {weight.shape}")
    s, p, d = (single(v, what, "conv1d") for v, what in ((stride, "stride"), (padding, "padding"), (dilation, "dilation")))
    out = conv2d(x.unsqueeze(2), weight.unsqueeze(2), bias, (1, s), (0, p), (1, d), groups)
    return out.squeeze(2)


def conv_transpose2d(x: Tensor, weight: Tensor, bias: Optional[Tensor] = None, stride: Any = 1, padding: Any = 0,
                     output_padding: Any = 0, groups: int = 1, dilation: Any = 1) -> Tensor:
    """The transposed convolution (the adjoint of conv2d in its input), PyTorch's
    layout: weight (C_in, C_out/groups, kh, kw); H_out = (H − 1)s − 2p + d(k − 1) + output_padding + 1."""
    p = conv_params("conv_transpose2d", stride, padding, dilation, groups)
    if x.ndim != 4 or weight.ndim != 4 or x.shape[1] != weight.shape[0]:
        raise ValueError(f"conv_transpose2d: input (N, C_in, H, W) and weight (C_in, C_out/groups, kh, kw) "
                         f"must agree, got {x.shape} and {weight.shape}")
    op = pair(output_padding, "output_padding", "conv_transpose2d", 0)
    (sh, sw), (ph, pw), (dh, dw), g = p
    if op[0] >= max(sh, dh) or op[1] >= max(sw, dw):
        raise ValueError(f"conv_transpose2d: output_padding {op} must be smaller than stride or dilation")
    out_hw = ((x.shape[2] - 1) * sh - 2 * ph + dh * (weight.shape[2] - 1) + op[0] + 1,
              (x.shape[3] - 1) * sw - 2 * pw + dw * (weight.shape[3] - 1) + op[1] + 1)
    if min(out_hw) < 1:
        raise ValueError(f"conv_transpose2d: the output would be {out_hw}")
    if bias is not None and bias.shape != (weight.shape[1] * g,):
        raise ValueError(f"conv_transpose2d: bias must have shape ({weight.shape[1] * g},), got {bias.shape}")
    # the conv whose input gradient this is has weight (C_in, C_out/groups, kh, kw) read as (O, C, kh, kw)
    parents = (x, weight) if bias is None else (x, weight, bias)
    return G.CONV_TRANSPOSE2D(*parents, param=(p, out_hw))


# -- activations (seed 002's list) ---------------------------------------------------
def relu(x: Tensor) -> Tensor:
    """max(0, x)"""
    return x.relu()


def sigmoid(x: Tensor) -> Tensor:
    """σ(x) = 1 / (1 + e^-x), stable for any x"""
    return x.sigmoid()


def tanh(x: Tensor) -> Tensor:
    """tanh(x)"""
    return x.tanh()


def leaky_relu(x: Tensor, negative_slope: float = 0.01) -> Tensor:
    """x for x > 0, slope·x otherwise, for 0 ≤ slope ≤ 1 (seed 002 uses slope 0.1);
    the derivative at 0 is the slope, as in PyTorch."""
    if not 0 <= negative_slope <= 1:
        raise ValueError(f"leaky_relu: negative_slope must lie in [0, 1], got {negative_slope}")
    return x.leaky_relu(negative_slope)


def elu(x: Tensor, alpha: float = 1.0) -> Tensor:
    """x for x > 0, α(eˣ − 1) otherwise; the derivative at 0 is α, as in PyTorch."""
    return x.elu(alpha)


def gelu(x: Tensor, approximate: str = "none") -> Tensor:
    """x Φ(x), Φ the standard normal CDF (``approximate="tanh"``: PyTorch's tanh form)."""
    return x.gelu(approximate)


def silu(x: Tensor) -> Tensor:
    """x σ(x) (also called swish)."""
    return x.silu()


def dropout(x: Tensor, p: float = 0.5, training: bool = True) -> Tensor:
    """Each element zeroed with probability ``p`` and the rest scaled by 1/(1 - p),
    when ``training``; else ``x``. The mask comes from the library's generator."""
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"dropout: p must lie in [0, 1], got {p}")
    if not training or p == 0.0:
        return x
    if p == 1.0:
        return x * 0.0
    keep = default_generator().random(x.shape) >= p
    return x * (keep / (1.0 - p)).astype(x.dtype)


def softplus(x: Tensor, beta: float = 1.0, threshold: float = 20.0) -> Tensor:
    """(1/β) ln(1 + e^{βx}), computed without overflow, d/dx = sigmoid(βx); x itself
    (d/dx = 1) where βx > threshold, as PyTorch's."""
    if beta <= 0:
        raise ValueError(f"softplus: beta must be positive, got {beta}")
    soft = x.softplus() if beta == 1.0 else (x * beta).softplus() * (1.0 / beta)
    linear = x.data * beta > threshold
    if not linear.any():
        return soft
    return where(linear, x, soft)


def maxout(x: Tensor, pieces: int, axis: int = -1) -> Tensor:
    """Maximum over groups of ``pieces`` consecutive features along ``axis``:
    max(w₁ᵀx + b₁, ..., w_kᵀx + b_k) applied to the output of a linear layer."""
    axis = axis % x.ndim
    n = x.shape[axis]
    if pieces < 1 or n % pieces:
        raise ValueError(f"maxout: {n} features do not split into groups of {pieces}")
    shape = x.shape[:axis] + (n // pieces, pieces) + x.shape[axis + 1:]
    return x.reshape(shape).max(axis=axis + 1)


# -- the soft family -----------------------------------------------------------------
def softargmax(x: Tensor, beta: float = 1.0, axis: int = -1) -> Tensor:
    """e^{βx} / Σ e^{βx} along ``axis``: a point of the simplex that tends to the
    one-hot arg-max as β → ∞ and to uniform as β → 0 (PyTorch: ``softmax``)."""
    return (x * beta).softmax(axis) if beta != 1.0 else x.softmax(axis)


def softargmin(x: Tensor, beta: float = 1.0, axis: int = -1) -> Tensor:
    """softargmax(−x): tends to the one-hot arg-min as β → ∞."""
    return softargmax(-x, beta, axis)


def log_softargmax(x: Tensor, beta: float = 1.0, axis: int = -1) -> Tensor:
    """log softargmax(x) = βx − log Σ e^{βx}, computed stably (PyTorch: ``log_softmax``)."""
    return (x * beta).log_softmax(axis) if beta != 1.0 else x.log_softmax(axis)


def softmaximum(x: Tensor, beta: float = 1.0, axis: int = -1, average: bool = False) -> Tensor:
    """The soft maximum (1/β) log Σ e^{βx} (→ max x as β → ∞). With ``average``,
    (1/β) log (1/N) Σ e^{βx}, which also tends to mean x as β → 0⁺."""
    if beta <= 0:
        raise ValueError(f"softmaximum: beta must be positive, got {beta}")
    out = (x * beta).logsumexp(axis)
    if average:
        out = out - float(np.log(x.shape[axis]))
    return out * (1.0 / beta)


def softminimum(x: Tensor, beta: float = 1.0, axis: int = -1, average: bool = False) -> Tensor:
    """−softmaximum(−x): the soft minimum (→ min x as β → ∞)."""
    return -softmaximum(-x, beta, axis, average)


def softmax(x: Tensor, dim: Optional[int] = None, *, axis: Optional[int] = None) -> Tensor:
    """PyTorch's name for softargmax at β = 1: e^x / Σ e^x along ``dim`` (or ``axis``;
    the last axis when neither is given), not the soft maximum."""
    return x.softmax(axis, dim=dim)


def log_softmax(x: Tensor, dim: Optional[int] = None, *, axis: Optional[int] = None) -> Tensor:
    """PyTorch's name for log_softargmax at β = 1: x − log Σ e^x along ``dim`` (or ``axis``)."""
    return x.log_softmax(axis, dim=dim)
