"""Losses. All average over the batch; all are stable for large logits."""
from __future__ import annotations

import math
from typing import Any, Iterable

import numpy as np

from autograd_core import Node, Tensor
from autograd_core import gates as G

__all__ = ["cross_entropy", "cross_entropy_composed", "nll_loss", "mse_loss",
           "binary_cross_entropy_with_logits", "multiclass_hinge_loss", "l2_penalty"]


_UNSIGNED = {1: np.uint8, 2: np.uint16, 4: np.uint32, 8: np.uint64}


def _logits_2d(logits: Any, where: str) -> Tensor:
    if not isinstance(logits, Tensor):
        raise TypeError(f"{where}: logits must be a Tensor, got {type(logits).__name__}")
    nd = logits.data.ndim
    if nd == 2:
        return logits
    if nd == 1:
        logits = logits.reshape(1, -1)
    if logits.ndim != 2:
        raise ValueError(f"{where}: logits must have shape (N, C) or (C,), got {logits.shape}")
    return logits


def _labels(target: Any, n: int, c: int, where: str, alternative: str = "") -> np.ndarray:
    t = target.data if isinstance(target, Tensor) else np.asarray(target)
    if t.dtype.kind not in "iu" or t.shape not in ((n,), ()) or (t.shape == () and n != 1):
        raise ValueError(f"{where}: target must be {n} integer class labels{alternative}, "
                         f"got dtype {t.dtype} and shape {t.shape}")
    labels = t.reshape(n)
    # one pass: read as unsigned numbers, negative labels are huge, so max() catches both ends
    if n and labels.view(_UNSIGNED[labels.itemsize]).max() >= c:
        raise ValueError(f"{where}: labels must lie in [0, {c - 1}], got {labels.min()}..{labels.max()}")
    return labels


def cross_entropy(logits: Tensor, target: Any) -> Tensor:
    """Softmax cross-entropy averaged over the batch, fused and stable.

    ``logits``: (N, C) or (C,). ``target``: N integer class labels (or one for a
    single sample), or an (N, C) array of target probabilities (one-hot or soft).
    L = -(1/N) Σ_n Σ_c t_nc log softargmax(z_n)_c, and dL/dz = (softargmax(z) - t)/N.
    """
    logits = _logits_2d(logits, "cross_entropy")
    n, c = logits.data.shape
    t = target.data if isinstance(target, Tensor) else target
    if type(t) is np.ndarray and t.dtype.kind in "iu" and t.shape == (n,):     # labels: the fast path
        if n and t.view(_UNSIGNED[t.itemsize]).max() >= c:
            _labels(t, n, c, "cross_entropy")                                  # raises, saying what is wrong
        return G.SOFTMAX_CE(logits, param=G.CrossEntropyTarget(labels=t))
    if isinstance(target, Tensor) and target.requires_grad:
        if target.shape != (n, c):
            raise ValueError(f"cross_entropy: a target that takes a gradient must be ({n}, {c}) "
                             f"probabilities, got shape {target.shape}")
        # both sides take a gradient: dL/dz = (softargmax(z) Σ_c t - t)/N, dL/dt = -log_softargmax(z)/N
        return -(target * logits.log_softmax(axis=-1)).sum() * (1.0 / n if n else math.nan)
    t = np.asarray(t)
    if t.dtype.kind == "f" and t.shape == (n, c):
        dense = t.astype(logits.dtype, copy=False)
        sums = dense.sum(axis=1, keepdims=True)
        param = G.CrossEntropyTarget(t=dense, row_sums=None if np.allclose(sums, 1) else sums)
    else:
        labels = _labels(t, n, c, "cross_entropy", f" or an ({n}, {c}) array of probabilities")
        param = G.CrossEntropyTarget(labels=labels)
    return G.SOFTMAX_CE(logits, param=param)


def cross_entropy_composed(logits: Tensor, target: Any) -> Tensor:
    """The same loss built from small gates (max, -, exp, sum, log, indexing,
    mean), for drawing in a lesson: L = mean(log Σ e^{z-m} - (z_y - m))."""
    logits = _logits_2d(logits, "cross_entropy_composed")
    n, c = logits.shape
    labels = _labels(target, n, c, "cross_entropy_composed")
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_norm = shifted.exp().sum(axis=1).log()
    return (log_norm - shifted[np.arange(n), labels]).mean()


def nll_loss(log_probs: Tensor, target: Any) -> Tensor:
    """-(1/N) Σ_n log_probs[n, y_n] (pair with log_softargmax)."""
    log_probs = _logits_2d(log_probs, "nll_loss")
    n, c = log_probs.shape
    return -log_probs[np.arange(n), _labels(target, n, c, "nll_loss")].mean()


def mse_loss(prediction: Tensor, target: Any) -> Tensor:
    """mean((prediction - target)²)"""
    t = target if isinstance(target, Tensor) else Tensor(target, dtype=prediction.dtype)
    if t.shape != prediction.shape:
        raise ValueError(f"mse_loss: prediction has shape {prediction.shape}, target {t.shape}")
    return ((prediction - t) ** 2).mean()


def binary_cross_entropy_with_logits(logits: Tensor, target: Any) -> Tensor:
    """mean(-y log σ(z) - (1-y) log(1-σ(z))), computed as mean(softplus(z) - z·y):
    finite for any z, and its gradient is (σ(z) - y)/N everywhere, z = 0 included."""
    t = target if isinstance(target, Tensor) else Tensor(target, dtype=logits.dtype)
    if t.shape != logits.shape:
        raise ValueError(f"binary_cross_entropy_with_logits: logits have shape {logits.shape}, target {t.shape}")
    return (logits.softplus() - logits * t).mean()


def multiclass_hinge_loss(scores: Tensor, target: Any, margin: float = 1.0) -> Tensor:
    """Seed 002's SVM loss: (1/N) Σ_n Σ_{j≠y_n} max(0, s_j - s_{y_n} + margin)."""
    scores = _logits_2d(scores, "multiclass_hinge_loss")
    n, c = scores.shape
    labels = _labels(target, n, c, "multiclass_hinge_loss")
    correct = scores[np.arange(n), labels].reshape(n, 1)
    margins = (scores - correct + margin).relu()
    # the j = y_n term is max(0, margin) = margin for every sample: take it back out
    return margins.sum(axis=1).mean() - margin


def l2_penalty(parameters: Iterable[Node], lam: float) -> Node:
    """λ Σ_k W_k² over all parameters (seed 002's regularisation term R(W))."""
    params = list(parameters)
    if not params:
        raise ValueError("l2_penalty: got no parameters")
    total = None
    for p in params:
        term = (p * p).sum() if isinstance(p, Tensor) else p * p
        total = term if total is None else total + term
    return total * lam
