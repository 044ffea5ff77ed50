"""Memory: a training loop holds steady, and a dropped graph is freed at once
by reference counting (the engine makes no reference cycles)."""
from __future__ import annotations

import gc
import tracemalloc

import numpy as np

import nn
import nn.functional as F
from autograd_core import Tensor, Value
from nn import optim


def test_a_thousand_training_steps_keep_memory_flat():
    rng = np.random.default_rng(0)
    X, y = rng.random((64, 8)), rng.integers(0, 3, 64)
    model = nn.MLP(8, [32, 3], seed=0)
    opt = optim.Adam(model.parameters(), lr=1e-3)

    def step():
        loss = F.cross_entropy(model(Tensor(X)), y)
        opt.zero_grad()
        loss.backward()
        opt.step()

    for _ in range(50):                                      # warm up: optimizer state, caches
        step()
    gc.collect()
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    for _ in range(1000):
        step()
    grown = tracemalloc.get_traced_memory()[0] - base
    tracemalloc.stop()
    assert grown < 64_000, f"memory grew by {grown} bytes over 1000 steps"   # one step allocates ~40 KB


def test_a_million_node_graph_is_freed_when_its_root_is_dropped():
    gc.collect()
    gc.disable()                                             # reference counting alone must free it
    try:
        tracemalloc.start()
        base = tracemalloc.get_traced_memory()[0]
        x = Value(1.0)
        y = x
        for _ in range(500_000):
            y = y * 1.0000001 + 0.0                          # two nodes per step
        y.backward()
        built = tracemalloc.get_traced_memory()[0] - base
        del y
        left = tracemalloc.get_traced_memory()[0] - base
        tracemalloc.stop()
    finally:
        gc.enable()
    assert built > 100_000_000                               # the graph was really there (~1e6 nodes)
    assert left < 100_000, f"{left} bytes still held after dropping the root"
    assert x.grad > 0
