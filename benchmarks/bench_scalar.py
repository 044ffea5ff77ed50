"""Scalar workload: one full-batch step of MLP(2, [16, 16, 1]) of Values on 100
"moons" points (hinge loss + L2, SGD), against a hand-written pure-Python
forward and backward of the same network in the same run.

Run: python benchmarks/bench_scalar.py
"""
from __future__ import annotations

import gc
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from autograd_core import Value, toposort  # noqa: E402
from nn.data import moons  # noqa: E402
from nn.scalar import MLP  # noqa: E402

LR, ALPHA = 0.05, 1e-4


def engine_loss(model: MLP, X, Y) -> Value:
    params = model.parameters()
    losses = [(1.0 - y * model(x)).relu() for x, y in zip(X, Y)]
    return Value.sum(losses) * (1.0 / len(losses)) + ALPHA * Value.dot(params, params)


def engine_step(model: MLP, X, Y) -> float:
    loss = engine_loss(model, X, Y)
    model.zero_grad()
    loss.backward()
    for p in model.parameters():
        p.data -= LR * p.grad
    return loss.data


def handwritten_step(W, B, X, Y) -> float:
    """The same step with no graph: forward, backward and update written out."""
    n = len(X)
    nl = len(W)
    gW = [[[0.0] * len(row) for row in Wl] for Wl in W]
    gB = [[0.0] * len(Bl) for Bl in B]
    total = 0.0
    for x, y in zip(X, Y):
        acts = [list(x)]
        pre = []
        a = list(x)
        for l in range(nl):
            z = []
            for row, b in zip(W[l], B[l]):
                s = b
                for w, ai in zip(row, a):
                    s += w * ai
                z.append(s)
            pre.append(z)
            a = [v if v > 0.0 else 0.0 for v in z] if l < nl - 1 else z
            acts.append(a)
        m = 1.0 - y * a[0]
        if m <= 0.0:
            continue
        total += m
        gz = [-y / n]
        for l in range(nl - 1, -1, -1):
            ain = acts[l]
            ga = [0.0] * len(ain)
            for j, (row, grow) in enumerate(zip(W[l], gW[l])):
                g = gz[j]
                gB[l][j] += g
                for i in range(len(ain)):
                    grow[i] += g * ain[i]
                    ga[i] += g * row[i]
            if l > 0:
                gz = [gi if zi > 0.0 else 0.0 for gi, zi in zip(ga, pre[l - 1])]
    reg = 0.0
    for l in range(nl):
        for row, grow in zip(W[l], gW[l]):
            for i, w in enumerate(row):
                reg += w * w
                row[i] = w - LR * (grow[i] + 2 * ALPHA * w)
        for j, b in enumerate(B[l]):
            reg += b * b
            B[l][j] = b - LR * (gB[l][j] + 2 * ALPHA * b)
    return total / n + ALPHA * reg


def weights_of(model: MLP):
    W = [[[w.data for w in n.w] for n in layer.neurons] for layer in model.layers]
    B = [[n.b.data for n in layer.neurons] for layer in model.layers]
    return W, B


def time_pair(fn_a, fn_b, repeats: int) -> tuple:
    """Best-of-``repeats`` time of each, interleaved so machine noise hits both."""
    best_a = best_b = float("inf")
    for _ in range(repeats):
        t = time.perf_counter()
        fn_a()
        best_a = min(best_a, time.perf_counter() - t)
        t = time.perf_counter()
        fn_b()
        best_b = min(best_b, time.perf_counter() - t)
    return best_a, best_b


def memory_per_node(model: MLP, X, Y) -> tuple:
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    loss = engine_loss(model, X, Y)
    loss.backward()
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    nodes = len(toposort(loss))
    return (after - before) / nodes, nodes


def run(repeats: int = 20, fused: bool = True) -> dict:
    X, labels = moons(100, noise=0.1, seed=1)
    xs = X.tolist()
    Y = [2.0 * l - 1.0 for l in labels.tolist()]
    model = MLP(2, [16, 16, 1], seed=0, fused=fused)
    W, B = weights_of(model)

    # Correctness first: the two implementations must take the same step.
    l_engine = engine_step(model, xs, Y)
    l_hand = handwritten_step(W, B, xs, Y)
    W2, _ = weights_of(model)
    drift = max(abs(a - b) for Wl, Wl2 in zip(W, W2) for r, r2 in zip(Wl, Wl2) for a, b in zip(r, r2))
    assert abs(l_engine - l_hand) < 1e-9 and drift < 1e-9, (l_engine, l_hand, drift)

    t_engine, t_hand = time_pair(lambda: engine_step(model, xs, Y),
                                 lambda: handwritten_step(W, B, xs, Y), repeats)
    per_node, nodes = memory_per_node(model, xs, Y)
    return {"engine_ms": t_engine * 1e3, "hand_ms": t_hand * 1e3, "ratio": t_engine / t_hand,
            "bytes_per_node": per_node, "nodes": nodes}


def chain_backward_seconds(n: int) -> float:
    """Time of backward() through a chain of n sequential multiplications."""
    x, c = Value(1.0), Value(1.0)
    y = x
    for _ in range(n):
        y = y * c
    t = time.perf_counter()
    y.backward()
    return time.perf_counter() - t


def report_chain() -> None:
    small = min(chain_backward_seconds(100_000) for _ in range(3))
    big = min(chain_backward_seconds(1_000_000) for _ in range(3))
    print(f"backward through a chain of 100,000 ops: {small:.2f} s; of 1,000,000 ops: {big:.2f} s "
          f"-> {big / small:.1f}x for 10x the nodes (linear time, no recursion)")


def report(r: dict, what: str) -> None:
    print(f"scalar MLP(2,[16,16,1]) step on 100 moons points, {what}: engine {r['engine_ms']:.1f} ms, "
          f"hand-written {r['hand_ms']:.1f} ms -> ratio {r['ratio']:.2f}x (target <= 10x)")
    print(f"  memory: {r['bytes_per_node']:.0f} bytes per live graph node over {r['nodes']} nodes "
          f"(after forward + backward; target <= 150)")


if __name__ == "__main__":
    report(run(fused=True), "fused neurons (Value.dot, the default)")
    report(run(fused=False), "one * and one + node per weight (lesson graphs)")
    report_chain()
