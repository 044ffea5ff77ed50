"""Functional forms of layers and losses (``import nn.functional as F``)."""
from __future__ import annotations

from typing import Any, Optional

import numpy as np

from autograd_core import Tensor
from autograd_core import gates as G

__all__ = ["linear", "cross_entropy"]


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
    return Tensor._variadic(G.LINEAR, parents)


def cross_entropy(logits: Tensor, target: Any) -> Tensor:
    """Softmax cross-entropy averaged over the batch, fused and stable.

    ``logits``: (N, C) or (C,). ``target``: N integer class labels (or one for a
    single sample), or an (N, C) array of target probabilities (one-hot or soft).
    L = -(1/N) Σ_n Σ_c t_nc log softargmax(z_n)_c, and dL/dz = (softargmax(z) - t)/N.
    """
    if not isinstance(logits, Tensor):
        raise TypeError(f"cross_entropy: logits must be a Tensor, got {type(logits).__name__}")
    if logits.ndim == 1:
        logits = logits.reshape(1, -1)
    if logits.ndim != 2:
        raise ValueError(f"cross_entropy: logits must have shape (N, C) or (C,), got {logits.shape}")
    n, c = logits.shape
    t = target.data if isinstance(target, Tensor) else np.asarray(target)
    if t.dtype.kind in "iub" and t.shape in ((n,), ()) and t.dtype.kind != "b":
        labels = t.reshape(n)
        lo, hi = (labels.min(), labels.max()) if n else (0, 0)
        if lo < 0 or hi >= c:
            raise ValueError(f"cross_entropy: labels must lie in [0, {c - 1}], got {lo}..{hi}")
        param = G.CrossEntropyTarget(labels=labels)
    elif t.dtype.kind == "f" and t.shape == (n, c):
        dense = t.astype(logits.dtype, copy=False)
        sums = dense.sum(axis=1, keepdims=True)
        param = G.CrossEntropyTarget(t=dense, row_sums=None if np.allclose(sums, 1) else sums)
    else:
        raise ValueError(f"cross_entropy: target must be {n} integer labels or a ({n}, {c}) array of "
                         f"probabilities, got dtype {t.dtype} and shape {t.shape}")
    return logits._apply1(G.SOFTMAX_CE, param)
