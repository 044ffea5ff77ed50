"""Tensor workloads: an epoch of an MLP with ReLU, softmax cross-entropy and SGD,
written three ways and timed against the fastest hand-written numpy:

* natural: what a user writes, ``h = (x @ W + b).relu()`` and ``F.cross_entropy``;
* fused:   the one-gate layer ``F.linear(x, W, b)`` (PyTorch's (out, in) layout);
* torch:   the natural code in PyTorch, one thread (only where torch is installed);
* floor:   hand-written numpy, the fastest we could write: bias added and ReLU
  applied in place, the softmax turned into its gradient in place (each label
  picked and marked through z's flat view), one mask per layer.

Workloads: 64-128-64-10 on the 8x8 digits (batch 64; float64 and float32) and
784-256-256-10 on random MNIST-sized data (batch 256, float32).
Each round, each implementation runs one epoch untimed and then the timed one,
so that every timed epoch follows an epoch of the same code, as in training
(no ``gc.collect()`` in between: these epochs make almost no garbage for it).

Run: python benchmarks/bench_tensor.py
"""
from __future__ import annotations

import statistics
import sys
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import harness  # noqa: E402

if __name__ == "__main__":
    harness.pin()                    # one BLAS thread, before numpy loads

import numpy as np  # noqa: E402

from autograd_core import Tensor, from_numpy, no_grad  # noqa: E402
from nn.data import digits as nn_digits  # noqa: E402
from nn.functional import cross_entropy, linear  # noqa: E402


LR = 0.1
WORKLOADS = {
    "digits": {"sizes": (64, 128, 64, 10), "batch": 64},
    "mnist": {"sizes": (784, 256, 256, 10), "batch": 256},
}


def dataset(name: str, dtype) -> tuple:
    if name == "digits":
        try:
            X, y = nn_digits()
            return X.astype(dtype), y.astype(np.int64)
        except ImportError:
            print("  (scikit-learn is not installed: digits replaced by random data of their shape)")
            n, d = 1797, 64
    else:
        n, d = 4096, 784
    rng = np.random.default_rng(0)
    return rng.random((n, d)).astype(dtype), rng.integers(0, 10, n)


def init_params(sizes, dtype) -> list:
    """[W1, b1, W2, b2, ...] with W of shape (in, out), PyTorch's uniform init."""
    rng = np.random.default_rng(0)
    params = []
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
        bound = 1.0 / np.sqrt(fan_in)
        params.append(rng.uniform(-bound, bound, (fan_in, fan_out)).astype(dtype))
        params.append(rng.uniform(-bound, bound, fan_out).astype(dtype))
    return params


def batches(n: int, batch: int) -> list:
    order = np.random.default_rng(1).permutation(n)
    return [order[i:i + batch] for i in range(0, n, batch)]


# -- the four implementations of one epoch ------------------------------------------
def _engine_epoch(params, X, y, idxs, layer) -> float:
    """An epoch of the engine: ``layer(h, W, b)`` for each layer, ReLU between."""
    total = 0.0
    last = len(params) // 2 - 1
    for idx in idxs:
        h = from_numpy(X[idx])
        for k in range(last + 1):
            h = layer(h, params[2 * k], params[2 * k + 1])
            if k < last:
                h = h.relu()
        loss = cross_entropy(h, y[idx])
        for p in params:
            p.grad = None
        loss.backward()
        with no_grad():
            for p in params:
                p.data -= LR * p.grad
        total += loss.item()
    return total


def natural_epoch(params, X, y, idxs) -> float:
    """What a user writes: ``(h @ W + b).relu()``. params: Tensors [W1, b1, ...], W as (in, out)."""
    return _engine_epoch(params, X, y, idxs, lambda h, W, b: h @ W + b)


def fused_epoch(params, X, y, idxs) -> float:
    """One gate per layer, ``F.linear``. params: W as (out, in), PyTorch's layout."""
    return _engine_epoch(params, X, y, idxs, linear)


def torch_epoch(params, X, y, idxs) -> float:
    """The natural code in PyTorch (torch tensors, W as (in, out))."""
    torch = harness.load_torch()
    total = 0.0
    last = len(params) // 2 - 1
    F = torch.nn.functional
    for idx in idxs:
        h = torch.from_numpy(X[idx])
        for k in range(last + 1):
            h = h @ params[2 * k] + params[2 * k + 1]
            if k < last:
                h = h.relu()
        loss = F.cross_entropy(h, torch.from_numpy(y[idx]))
        for p in params:
            p.grad = None
        loss.backward()
        with torch.no_grad():
            for p in params:
                p -= LR * p.grad
        total += loss.item()
    return total


def numpy_epoch(params, X, y, idxs) -> float:
    """The floor: forward, backward and update by hand, in place wherever it pays."""
    total = 0.0
    nl = len(params) // 2
    for idx in idxs:
        xb, yb = X[idx], y[idx]
        n = len(idx)
        acts = [xb]
        h = xb
        for k in range(nl):
            z = h @ params[2 * k]
            z += params[2 * k + 1]
            if k < nl - 1:
                np.maximum(z, 0, out=z)        # h is z: relu in place, z > 0 is the mask
                acts.append(z)
            h = z
        z -= z.max(axis=1, keepdims=True)
        at = np.ravel_multi_index((np.arange(n), yb), z.shape)     # each label's place in z's flat view
        picked = z.take(at).sum()
        np.exp(z, out=z)
        se = z.sum(axis=1)
        total += float(np.log(se).sum() - picked) / n
        z /= se[:, None]                         # softmax probabilities ...
        z.reshape(-1)[at] -= 1
        z *= 1.0 / n                             # ... turned into dL/dz in place
        g = z
        for k in range(nl - 1, -1, -1):
            a = acts[k]
            W = params[2 * k]
            gW = a.T @ g
            gb = g.sum(axis=0)
            if k > 0:
                g = g @ W.T
                g *= a > 0
            gW *= LR                             # the update in place: no temporary the size of W
            W -= gW
            gb *= LR
            params[2 * k + 1] -= gb
    return total


# -- running ------------------------------------------------------------------------------
def setups(workload: str, dtype, X=None, y=None) -> dict:
    """The implementations with their own copies of the same starting weights."""
    spec = WORKLOADS[workload]
    if X is None:
        X, y = dataset(workload, dtype)
    idxs = batches(len(X), spec["batch"])
    start = init_params(spec["sizes"], dtype)
    impls = {
        "floor": (numpy_epoch, [p.copy() for p in start]),
        "natural": (natural_epoch, [Tensor(p, requires_grad=True) for p in start]),
        "fused": (fused_epoch, [Tensor(p.T if p.ndim == 2 else p, requires_grad=True) for p in start]),
    }
    torch = harness.load_torch()
    if torch is not None:
        impls["torch"] = (torch_epoch, [torch.tensor(p, requires_grad=True) for p in start])
    return {"X": X, "y": y, "idxs": idxs, "impls": impls}


def _weights(name: str, params) -> list:
    torch = harness.load_torch()
    out = []
    for p in params:
        a = p.detach().numpy() if torch is not None and isinstance(p, torch.Tensor) else \
            p.data if isinstance(p, Tensor) else p
        out.append(a.T if name == "fused" and a.ndim == 2 else a)
    return out


def check_same_step(s: dict, dtype) -> None:
    """Correctness first: one epoch from the same start ends at the same weights."""
    tol = 1e-8 if dtype == np.float64 else 1e-5
    results = {}
    for name, (fn, params) in s["impls"].items():
        loss = fn(params, s["X"], s["y"], s["idxs"])
        results[name] = (loss, _weights(name, params))
    ref_loss, ref_w = results["floor"]
    for name, (loss, w) in results.items():
        drift = max(float(np.max(np.abs(a - b))) for a, b in zip(w, ref_w))
        assert abs(loss - ref_loss) <= tol * max(1.0, abs(ref_loss)) and drift <= tol, (name, loss, ref_loss, drift)


def step_peak_bytes(s: dict, name: str) -> int:
    """Peak memory traced during one training step (one batch), above the start."""
    fn, params = s["impls"][name]
    idxs = s["idxs"][:1]
    fn(params, s["X"], s["y"], idxs)          # warm
    tracemalloc.start()
    tracemalloc.reset_peak()
    base = tracemalloc.get_traced_memory()[0]
    fn(params, s["X"], s["y"], idxs)
    peak = tracemalloc.get_traced_memory()[1] - base
    tracemalloc.stop()
    return peak


def run(workload: str, dtype, rounds: int = 25) -> dict:
    s = setups(workload, dtype)
    check_same_step(s, dtype)
    cases = {name: (lambda fn=fn, p=params: fn(p, s["X"], s["y"], s["idxs"]))
             for name, (fn, params) in s["impls"].items()}
    # an epoch lasts a few ms: warmed up, and no gc.collect() before it, which costs the timed
    # epoch its caches while the collector plays no part here (see harness.interleaved)
    times = harness.interleaved(cases, rounds, collect=False, warmup=1)
    stats = {name: harness.ratio_stats(times, name, "floor") for name in cases if name != "floor"}
    stats["floor_ms"] = statistics.median(times["floor"]) * 1e3
    stats["peak_natural"] = step_peak_bytes(s, "natural")
    stats["peak_floor"] = step_peak_bytes(s, "floor")
    return stats


TARGETS = {("digits", "float64"): 1.25, ("digits", "float32"): 1.25, ("mnist", "float32"): 1.05}


def report(workload: str, dtype, r: dict) -> None:
    dt = np.dtype(dtype).name
    sizes = "-".join(map(str, WORKLOADS[workload]["sizes"]))
    target = TARGETS[(workload, dt)]
    print(f"tensor MLP {sizes}, batch {WORKLOADS[workload]['batch']}, {dt}, one epoch "
          f"(hand-written numpy floor: {r['floor_ms']:.2f} ms)")
    print(harness.line("natural (x @ W + b).relu(), F.cross_entropy", r["natural"], target))
    print(harness.line("fused F.linear", r["fused"], target))
    print(harness.line("PyTorch, 1 thread, natural code", r.get("torch"), None))
    ratio = r["peak_natural"] / r["peak_floor"]
    print(f"  step peak memory: natural {r['peak_natural'] / 1e3:.0f} KB, floor {r['peak_floor'] / 1e3:.0f} KB "
          f"-> {ratio:.2f}x (target <= 1.5x  {harness.verdict(ratio, 1.5)})")


def main() -> None:
    for workload, dtype in (("digits", np.float64), ("digits", np.float32), ("mnist", np.float32)):
        report(workload, dtype, run(workload, dtype))


if __name__ == "__main__":
    main()
