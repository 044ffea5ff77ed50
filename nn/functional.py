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

from typing import Optional

import numpy as np

from autograd_core import Tensor, default_generator
from autograd_core import gates as G

from .losses import (binary_cross_entropy, binary_cross_entropy_with_logits, cross_entropy,
                     cross_entropy_composed, huber_loss, l1_loss, l2_penalty, mse_loss, multi_margin_loss,
                     multiclass_hinge_loss, nll_loss)

__all__ = ["linear", "conv2d", "relu", "leaky_relu", "elu", "softplus", "gelu", "silu", "dropout", "sigmoid",
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


def conv2d(x: Tensor, weight: Tensor, bias: Optional[Tensor] = None, stride: int = 1,
           padding: int = 0) -> Tensor:
    """Batched multi-channel 2-D cross-correlation (seed 003):
    y[b,o,i,j] = Σ_{c,i',j'} w[o,c,i',j'] x[b,c,s·i+i',s·j+j'] + bias[o]."""
    if x.ndim != 4 or weight.ndim != 4:
        raise ValueError(f"conv2d: input must be (N, C, H, W) and weight (O, C, kh, kw), "
                         f"got {x.shape} and {weight.shape}")
    if x.shape[1] != weight.shape[1]:
        raise ValueError(f"conv2d: input has {x.shape[1]} channels, weight expects {weight.shape[1]}")
    h, w = x.shape[2] + 2 * padding, x.shape[3] + 2 * padding
    if h < weight.shape[2] or w < weight.shape[3]:
        raise ValueError(f"conv2d: kernel {weight.shape[2:]} is larger than the padded input ({h}, {w})")
    if bias is not None and bias.shape != (weight.shape[0],):
        raise ValueError(f"conv2d: bias must have shape ({weight.shape[0]},), got {bias.shape}")
    parents = (x, weight) if bias is None else (x, weight, bias)
    return G.CONV2D(*parents, param=(int(stride), int(padding)))


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


def softplus(x: Tensor, beta: float = 1.0) -> Tensor:
    """(1/β) ln(1 + e^{βx}), computed without overflow; d/dx = sigmoid(βx)."""
    if beta <= 0:
        raise ValueError(f"softplus: beta must be positive, got {beta}")
    return x.softplus() if beta == 1.0 else (x * beta).softplus() * (1.0 / beta)


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


def softmax(x: Tensor, axis: int = -1) -> Tensor:
    """PyTorch's name for softargmax at β = 1: e^x / Σ e^x (not the soft maximum)."""
    return x.softmax(axis)


def log_softmax(x: Tensor, axis: int = -1) -> Tensor:
    """PyTorch's name for log_softargmax at β = 1: x − log Σ e^x."""
    return x.log_softmax(axis)


def max_pool2d(x: Tensor, kernel_size, stride=None, padding=0) -> Tensor:
    """The largest value of each window (``nn.pooling``)."""
    from .pooling import max_pool2d as pool
    return pool(x, kernel_size, stride, padding)


def avg_pool2d(x: Tensor, kernel_size, stride=None, padding=0) -> Tensor:
    """The mean of each window (``nn.pooling``)."""
    from .pooling import avg_pool2d as pool
    return pool(x, kernel_size, stride, padding)
