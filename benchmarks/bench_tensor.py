"""Tensor workload: one epoch of an MLP 64-128-64-10 (ReLU, softmax
cross-entropy, SGD, batch 64) on the 8x8 handwritten digits, against the same
network written by hand in numpy, in the same run, in float64 and float32.

The digits come from scikit-learn (``pip install scikit-learn``); without it
the benchmark uses random data of the same shape, which times the same.

Run: python benchmarks/bench_tensor.py
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from autograd_core import Tensor  # noqa: E402
from nn.data import digits as nn_digits  # noqa: E402
from nn.functional import cross_entropy, linear  # noqa: E402

SIZES = (64, 128, 64, 10)
BATCH, LR = 64, 0.1


def digits(dtype) -> tuple:
    try:
        X, y = nn_digits()
    except ImportError:
        print("  (scikit-learn is not installed: timing on random data of the digits' shape)")
        rng = np.random.default_rng(0)
        return rng.random((1797, 64)).astype(dtype), rng.integers(0, 10, 1797)
    return X.astype(dtype), y


def init_params(dtype) -> list:
    rng = np.random.default_rng(0)
    params = []
    for fan_in, fan_out in zip(SIZES[:-1], SIZES[1:]):
        bound = 1.0 / np.sqrt(fan_in)
        params.append(rng.uniform(-bound, bound, (fan_out, fan_in)).astype(dtype))   # PyTorch layout
        params.append(np.zeros(fan_out, dtype=dtype))
    return params


def engine_epoch(params: list, X, y, order) -> float:
    """params: [W1, b1, W2, b2, W3, b3] as Tensors with requires_grad=True."""
    W1, b1, W2, b2, W3, b3 = params
    total = 0.0
    for start in range(0, len(order), BATCH):
        idx = order[start:start + BATCH]
        xb = Tensor(X[idx])
        h = linear(xb, W1, b1).relu()
        h = linear(h, W2, b2).relu()
        loss = cross_entropy(linear(h, W3, b3), y[idx])
        for p in params:
            p.grad = None
        loss.backward()
        for p in params:
            p.data -= LR * p.grad
        total += loss.item()
    return total


def numpy_epoch(params: list, X, y, order) -> float:
    """The same epoch written by hand: forward, backward, update."""
    W1, b1, W2, b2, W3, b3 = params
    total = 0.0
    for start in range(0, len(order), BATCH):
        idx = order[start:start + BATCH]
        xb, yb = X[idx], y[idx]
        n = len(idx)
        z1 = xb @ W1.T + b1
        h1 = np.maximum(z1, 0)
        z2 = h1 @ W2.T + b2
        h2 = np.maximum(z2, 0)
        z3 = h2 @ W3.T + b3
        s = z3 - z3.max(axis=1, keepdims=True)
        e = np.exp(s)
        se = e.sum(axis=1, keepdims=True)
        total += float((np.log(se[:, 0]) - s[np.arange(n), yb]).mean())
        g3 = e / se
        g3[np.arange(n), yb] -= 1
        g3 /= n
        gW3 = g3.T @ h2
        gb3 = g3.sum(axis=0)
        g2 = (g3 @ W3) * (z2 > 0)
        gW2 = g2.T @ h1
        gb2 = g2.sum(axis=0)
        g1 = (g2 @ W2) * (z1 > 0)
        gW1 = g1.T @ xb
        gb1 = g1.sum(axis=0)
        for p, g in zip(params, (gW1, gb1, gW2, gb2, gW3, gb3)):
            p -= LR * g
    return total


def run(dtype=np.float64, repeats: int = 30) -> dict:
    X, y = digits(dtype)
    order = np.random.default_rng(1).permutation(len(X))
    hand = init_params(dtype)
    eng = [Tensor(p, requires_grad=True) for p in hand]

    # Correctness first: one epoch each from the same start must agree.
    l_eng = engine_epoch(eng, X, y, order)
    l_hand = numpy_epoch(hand, X, y, order)
    tol = 1e-8 if dtype == np.float64 else 1e-3
    drift = max(float(np.max(np.abs(a.data - b))) for a, b in zip(eng, hand))
    assert abs(l_eng - l_hand) <= tol * max(1.0, abs(l_hand)) and drift <= tol, (l_eng, l_hand, drift)
    assert all(p.data.dtype == dtype for p in eng)

    t_eng, t_hand = [], []
    for _ in range(repeats):        # interleave the two so machine noise hits both
        t = time.perf_counter()
        engine_epoch(eng, X, y, order)
        t_eng.append(time.perf_counter() - t)
        t = time.perf_counter()
        numpy_epoch(hand, X, y, order)
        t_hand.append(time.perf_counter() - t)
    te, th = min(t_eng), min(t_hand)          # best of N: the run least disturbed by other load
    return {"engine_ms": te * 1e3, "hand_ms": th * 1e3, "ratio": te / th}


def report(r: dict, dtype) -> None:
    print(f"tensor MLP 64-128-64-10 epoch on digits, {np.dtype(dtype).name}: engine {r['engine_ms']:.1f} ms, "
          f"hand-written numpy {r['hand_ms']:.1f} ms -> ratio {r['ratio']:.2f}x (target <= 1.25x)")


if __name__ == "__main__":
    for dt in (np.float64, np.float32):
        report(run(dt), dt)
