"""Losses, with PyTorch's options (``reduction``, ``weight``, ``ignore_index``,
``label_smoothing``, ``pos_weight``); all are stable for large logits."""
from __future__ import annotations

import math
from typing import Any, Iterable

import numpy as np

from autograd_core import Node, Tensor, where
from autograd_core import gates as G

__all__ = ["cross_entropy", "cross_entropy_composed", "nll_loss", "mse_loss", "l1_loss", "huber_loss",
           "binary_cross_entropy", "binary_cross_entropy_with_logits", "multi_margin_loss",
           "multiclass_hinge_loss", "l2_penalty"]


_UNSIGNED = {1: np.uint8, 2: np.uint16, 4: np.uint32, 8: np.uint64}
_umax = np.maximum.reduce       # ndarray.max without its Python wrapper


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
    problem = _out_of_range(labels, c, where)
    if problem:
        raise ValueError(problem)
    return labels


def _out_of_range(labels: np.ndarray, c: int, where: str) -> str:
    """What is wrong with the range of (N,) integer ``labels`` for C classes, or ""."""
    # one pass: read as unsigned numbers, negative labels are huge, so max() catches both ends
    if len(labels) and _umax(labels.view(_UNSIGNED[labels.itemsize])) >= c:
        return f"{where}: labels must lie in [0, {c - 1}], got {labels.min()}..{labels.max()}"
    return ""


def _reduce(per: Tensor, reduction: str, where: str, denominator: Any = None) -> Tensor:
    """PyTorch's reductions: 'none' (one loss per element), 'sum', or 'mean'
    (over ``denominator`` when given: the weight of the counted samples)."""
    if reduction == "none":
        return per
    if reduction == "sum":
        return per.sum()
    if reduction == "mean":
        if denominator is None:
            return per.mean()
        return per.sum() * (1.0 / denominator if denominator else math.nan)
    raise ValueError(f"{where}: reduction must be 'mean', 'sum' or 'none', got {reduction!r}")


def _class_weights(weight: Any, c: int, dtype: Any, where: str) -> np.ndarray:
    if weight is None:
        return np.ones(c, dtype=dtype)
    w = np.asarray(weight.data if isinstance(weight, Tensor) else weight, dtype=dtype)
    if w.shape != (c,):
        raise ValueError(f"{where}: weight must have one entry per class, shape ({c},), got {w.shape}")
    return w


def _weighted_nll(log_p: Tensor, target: Any, weight: Any, ignore_index: int, reduction: str,
                  label_smoothing: float, where: str) -> Tensor:
    """-Σ_c w_c t_nc log p_nc per sample, t the (smoothed) target; the mean divides
    by the weight of the counted samples (class labels) or by N (probabilities)."""
    n, c = log_p.shape
    if not 0.0 <= label_smoothing <= 1.0:
        raise ValueError(f"{where}: label_smoothing must lie in [0, 1], got {label_smoothing}")
    w = _class_weights(weight, c, log_p.dtype, where)
    raw = target.data if isinstance(target, Tensor) else np.asarray(target)
    if raw.dtype.kind == "f" and raw.shape == (n, c):           # probabilities
        # a target that takes a gradient stays in the graph: dL/dt = -w log p (smoothed, reduced)
        src = target if isinstance(target, Tensor) and target.requires_grad else raw.astype(log_p.dtype)
        t = src * (1 - label_smoothing) + label_smoothing / c
        per = -(log_p * (t * w)).sum(axis=1)
        return _reduce(per, reduction, where)
    kept = raw.reshape(-1) != ignore_index if raw.dtype.kind in "iu" else None
    labels = _labels(np.where(kept, raw.reshape(-1), 0) if kept is not None else raw, n, c, where,
                     f" or an ({n}, {c}) array of probabilities")
    kept = np.ones(n, bool) if kept is None else kept
    t = np.eye(c, dtype=log_p.dtype)[labels] * (1 - label_smoothing) + label_smoothing / c
    per = -(log_p * (t * w * kept[:, None])).sum(axis=1)
    return _reduce(per, reduction, where, float((w[labels] * kept).sum()))


def cross_entropy(logits: Tensor, target: Any, weight: Any = None, ignore_index: int = -100,
                  reduction: str = "mean", label_smoothing: float = 0.0) -> Tensor:
    """Softmax cross-entropy, stable for any finite logits, with PyTorch's options.

    ``logits``: (N, C) or (C,). ``target``: N integer class labels (or one for a
    single sample), or an (N, C) array of target probabilities (one-hot or soft).
    L = -(1/N) Σ_n Σ_c t_nc log softargmax(z_n)_c, and dL/dz = (softargmax(z) - t)/N.
    ``weight`` (C,) scales each class (the mean divides by the labels' total
    weight), ``ignore_index`` drops samples with that label, ``reduction`` is
    'mean', 'sum' or 'none', ``label_smoothing`` ε mixes ε/C into every class.
    With the defaults the loss is one fused gate.
    """
    logits = _logits_2d(logits, "cross_entropy")
    n, c = logits.data.shape
    if weight is not None or reduction != "mean" or label_smoothing:
        return _weighted_nll(logits.log_softmax(axis=-1), target, weight, ignore_index, reduction,
                             label_smoothing, "cross_entropy")
    t = target.data if isinstance(target, Tensor) else target
    if type(t) is list:
        t = np.asarray(t)
    if type(t) is np.ndarray and t.dtype.kind in "iu" and t.shape == (n,):     # labels: the fast path
        # the gate checks the labels' range as it picks them; ignore_index, a class or not
        # (the default -100 is not, and makes the gate refuse), sends the samples elsewhere
        ignored = n and 0 <= ignore_index < c and (t == ignore_index).any()
        if not ignored:
            try:
                return logits._apply1(G.SOFTMAX_CE, G.CrossEntropyTarget(labels=t))
            except ValueError:
                if not (t == ignore_index).any():
                    problem = _out_of_range(t, c, "cross_entropy")
                    if not problem:
                        raise
                    raise ValueError(problem) from None                          # saying what is wrong
        return _weighted_nll(logits.log_softmax(axis=-1), t, None, ignore_index, "mean", 0.0, "cross_entropy")
    if isinstance(target, Tensor) and target.requires_grad:
        if target.shape != (n, c):
            raise ValueError(f"cross_entropy: a target that takes a gradient must be ({n}, {c}) "
                             f"probabilities, got shape {target.shape}")
        return _weighted_nll(logits.log_softmax(axis=-1), target, None, ignore_index, "mean", 0.0,
                             "cross_entropy")
    t = np.asarray(t)
    if t.dtype.kind == "f" and t.shape == (n, c):
        dense = t.astype(logits.dtype, copy=False)
        sums = dense.sum(axis=1, keepdims=True)
        param = G.CrossEntropyTarget(t=dense, row_sums=None if np.allclose(sums, 1) else sums)
    else:
        labels = _labels(t, n, c, "cross_entropy", f" or an ({n}, {c}) array of probabilities")
        param = G.CrossEntropyTarget(labels=labels)
    return logits._apply1(G.SOFTMAX_CE, param)


def cross_entropy_composed(logits: Tensor, target: Any) -> Tensor:
    """The same loss built from small gates (max, -, exp, sum, log, indexing,
    mean), for drawing in a lesson: L = mean(log Σ e^{z-m} - (z_y - m))."""
    logits = _logits_2d(logits, "cross_entropy_composed")
    n, c = logits.shape
    labels = _labels(target, n, c, "cross_entropy_composed")
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_norm = shifted.exp().sum(axis=1).log()
    return (log_norm - shifted[np.arange(n), labels]).mean()


def nll_loss(log_probs: Tensor, target: Any, weight: Any = None, ignore_index: int = -100,
             reduction: str = "mean") -> Tensor:
    """-(1/N) Σ_n log_probs[n, y_n] (pair with log_softargmax); PyTorch's options."""
    log_probs = _logits_2d(log_probs, "nll_loss")
    n, c = log_probs.shape
    if weight is None and reduction == "mean" and not (np.asarray(getattr(target, "data", target)) == ignore_index).any():
        return -log_probs[np.arange(n), _labels(target, n, c, "nll_loss")].mean()
    return _weighted_nll(log_probs, target, weight, ignore_index, reduction, 0.0, "nll_loss")


def _pair_target(prediction: Tensor, target: Any, where: str) -> Tensor:
    t = target if isinstance(target, Tensor) else Tensor(np.asarray(target, dtype=prediction.dtype))
    if t.shape != prediction.shape:
        raise ValueError(f"{where}: prediction has shape {prediction.shape}, target {t.shape}")
    return t


def mse_loss(prediction: Tensor, target: Any, reduction: str = "mean") -> Tensor:
    """mean((prediction - target)²) (or 'sum' / 'none')."""
    d = prediction - _pair_target(prediction, target, "mse_loss")
    return _reduce(d * d, reduction, "mse_loss")


def l1_loss(prediction: Tensor, target: Any, reduction: str = "mean") -> Tensor:
    """mean(|prediction - target|); its gradient at a tie is 0, as PyTorch's."""
    return _reduce((prediction - _pair_target(prediction, target, "l1_loss")).abs(), reduction, "l1_loss")


def huber_loss(prediction: Tensor, target: Any, reduction: str = "mean", delta: float = 1.0) -> Tensor:
    """½d² where |d| < δ, δ(|d| - ½δ) beyond, d = prediction - target: squared near 0,
    linear far away (PyTorch's argument order: reduction before delta)."""
    if delta <= 0:
        raise ValueError(f"huber_loss: delta must be positive, got {delta}")
    d = prediction - _pair_target(prediction, target, "huber_loss")
    a = d.abs()
    return _reduce(where(a.data < delta, d * d * 0.5, (a - 0.5 * delta) * delta), reduction, "huber_loss")


def binary_cross_entropy(probabilities: Tensor, target: Any, weight: Any = None, reduction: str = "mean") -> Tensor:
    """-w (t max(ln p, -100) + (1 - t) max(ln(1 - p), -100)), PyTorch's clamped logs, in one gate
    whose gradient is w (p - t) / max(p(1 - p), 1e-12) as PyTorch's backward: finite and of the
    right sign at p = 0 or 1 (a clamp on the logs would pass no gradient there)."""
    t = _pair_target(probabilities, target, "binary_cross_entropy")
    if np.any((probabilities.data < 0) | (probabilities.data > 1)):
        raise ValueError("binary_cross_entropy: probabilities must lie in [0, 1] (for logits use "
                         "binary_cross_entropy_with_logits)")
    per = Tensor._variadic(G.BCE, (probabilities, t))
    if weight is not None:
        per = per * np.asarray(getattr(weight, "data", weight), dtype=per.dtype)
    return _reduce(per, reduction, "binary_cross_entropy")


def binary_cross_entropy_with_logits(logits: Tensor, target: Any, weight: Any = None, reduction: str = "mean",
                                     pos_weight: Any = None) -> Tensor:
    """-(p_w t log σ(z) + (1-t) log(1-σ(z))) computed as p_w t softplus(-z) + (1-t) softplus(z):
    finite for any z, gradient (σ(z) - t)/N at p_w = 1, z = 0 included."""
    t = _pair_target(logits, target, "binary_cross_entropy_with_logits")
    if pos_weight is None:
        per = logits.softplus() - logits * t
    else:
        pw = np.asarray(getattr(pos_weight, "data", pos_weight), dtype=logits.dtype)
        per = (t * pw) * (-logits).softplus() + (1.0 - t) * logits.softplus()
    if weight is not None:
        per = per * np.asarray(getattr(weight, "data", weight), dtype=per.dtype)
    return _reduce(per, reduction, "binary_cross_entropy_with_logits")


def _hinge_sums(scores: Tensor, target: Any, margin: float, where: str, p: int = 1):
    """Σ_{j≠y} max(0, margin - s_y + s_j)^p per sample, the labels and the class count."""
    scores = _logits_2d(scores, where)
    n, c = scores.shape
    labels = _labels(target, n, c, where)
    correct = scores[np.arange(n), labels].reshape(n, 1)
    others = np.ones((n, c), dtype=scores.dtype)      # the j = y term is left out
    others[np.arange(n), labels] = 0.0
    hinge = (scores - correct + margin).relu()
    if p == 2:
        hinge = hinge * hinge
    return (hinge * others).sum(axis=1), labels, c


def multi_margin_loss(scores: Tensor, target: Any, p: int = 1, margin: float = 1.0, weight: Any = None,
                      reduction: str = "mean") -> Tensor:
    """PyTorch's multiclass hinge: (1/C) Σ_{j≠y} w_y max(0, margin - s_y + s_j)^p per sample,
    p 1 or 2 (seed 002's ``multiclass_hinge_loss`` is p = 1 without the 1/C)."""
    if p not in (1, 2):
        raise ValueError(f"multi_margin_loss: only p = 1 and p = 2 are supported, got {p!r}")
    sums, labels, c = _hinge_sums(scores, target, margin, "multi_margin_loss", p)
    per = sums * (1.0 / c)
    if weight is not None:
        per = per * _class_weights(weight, c, per.dtype, "multi_margin_loss")[labels]
    return _reduce(per, reduction, "multi_margin_loss")


def multiclass_hinge_loss(scores: Tensor, target: Any, margin: float = 1.0) -> Tensor:
    """Seed 002's SVM loss: (1/N) Σ_n Σ_{j≠y_n} max(0, s_j - s_{y_n} + margin)."""
    return _hinge_sums(scores, target, margin, "multiclass_hinge_loss")[0].mean()


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
