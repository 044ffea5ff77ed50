"""The tuned backward loops (autograd_core/fast_backward.py) against the
generic one (graph._propagate, which ``grad()`` runs): random graphs of every
op in the table, dot nodes (with and without an activation folded in)
sharing weight and input tuples in every role,
repeated backward calls."""
from __future__ import annotations

import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograd_core import Tensor, Value, grad
from autograd_core.testing import assert_close
from op_table import OPS


def _random_graph(rng: random.Random, leaves: list, size: int):
    """A DAG of ``size`` gates over ``leaves``: each gate picks its inputs among
    everything made so far, so nodes are reused (copy gates) and shared."""
    made = list(leaves)
    for _ in range(size):
        op = rng.choice(OPS)
        args = [rng.choice(made[-6:] if rng.random() < 0.7 else made) for _ in range(op.arity)]
        try:
            with np.errstate(all="ignore"):
                out = op.apply(*args)
        except (ValueError, ZeroDivisionError, OverflowError):
            continue
        data = out.data
        if np.all(np.isfinite(data)) and np.all(np.abs(data) < 1e6):
            made.append(out)
    return made


def _sum_of(nodes):
    return Value.sum(nodes) if isinstance(nodes[0], Value) else sum(nodes[1:], nodes[0])


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 10_000), size=st.integers(1, 25))
def test_scalar_backward_equals_generic_propagation(seed, size):
    rng = random.Random(seed)
    leaves = [Value(rng.uniform(0.3, 2.0), label=f"x{i}") for i in range(3)]
    made = _random_graph(rng, leaves, size)
    root = _sum_of(made[-3:] + [made[rng.randrange(len(made))]])
    try:
        expected = grad(root, leaves)                   # the generic loop
    except (ValueError, ZeroDivisionError, OverflowError) as e:
        with pytest.raises(type(e)):                    # an edge point fails the same way in both
            root.backward()
        return
    root.backward()
    for leaf, g in zip(leaves, expected):
        assert_close(leaf.grad, g, atol=1e-12, rtol=1e-12)
    inner = [v for v in made[3:] if v is not root]
    if inner:                                           # interior gradients: this pass only
        before = [v.grad for v in inner]
        root.backward()
        for v, b in zip(inner, before):
            assert_close(v.grad, b, atol=1e-12, rtol=1e-12)
        for leaf, g in zip(leaves, expected):           # leaves accumulate
            assert_close(leaf.grad, 2 * g, atol=1e-12, rtol=1e-12)


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10_000))
def test_dot_nodes_sharing_tuples_in_every_role(seed):
    rng = random.Random(seed)
    n = rng.randint(1, 5)
    w = tuple(Value(rng.uniform(-1, 1), label=f"w{i}") for i in range(n))
    wb = w + (Value(rng.uniform(-1, 1), label="b"),)
    xs_leaves = tuple(Value(rng.uniform(-1, 1), label=f"x{i}") for i in range(n))
    hidden = tuple((x * 1.5).tanh() for x in xs_leaves)        # interior inputs, shared by many nodes
    terms = []
    for _ in range(rng.randint(1, 6)):
        kind = rng.randrange(7)
        if kind == 0:
            terms.append(Value.dot(wb, hidden))                 # weights with a bias
        elif kind == 6:     # a dot and a sum under a chain: the walk's waiting nodes go onto its stack
            inner = Value.sum([Value.dot(w, hidden), hidden[-1]]) if rng.random() < 0.5 else Value.dot(wb, hidden)
            terms.append((inner * 0.5 + 1.0).tanh())
        elif kind == 5:                                         # a neuron: an activation folded in
            act = rng.choice(["relu", "tanh", "sigmoid"])
            terms.append(Value.dot(wb if rng.random() < 0.5 else w, hidden, activation=act))
        elif kind == 1:
            terms.append(Value.dot(w, hidden))                  # the same inputs, no bias
        elif kind == 2:
            terms.append(Value.dot(hidden, w))                  # the inputs tuple as weights
        elif kind == 3:
            terms.append(Value._dot(hidden, hidden))            # one tuple in both roles
        else:
            terms.append(Value.dot(wb, xs_leaves).relu())       # leaves as inputs
    root = Value.sum(terms)
    leaves = list(wb) + list(xs_leaves)
    expected = grad(root, leaves)
    root.backward()
    for leaf, g in zip(leaves, expected):
        assert_close(leaf.grad, g, atol=1e-12, rtol=1e-12, what=leaf.label)
    for h in hidden:                                            # interior: the full sum of shares
        assert_close(h.grad, grad(root, h), atol=1e-12, rtol=1e-12)


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10_000), size=st.integers(1, 15))
def test_array_backward_equals_generic_propagation(seed, size):
    rng = random.Random(seed)
    nrng = np.random.default_rng(seed)
    leaves = [Tensor(nrng.uniform(0.3, 2.0, (2, 3)), requires_grad=True) for _ in range(3)]
    made = _random_graph(rng, leaves, size)
    root = _sum_of(made[-3:]).sum()
    with np.errstate(all="ignore"):
        expected = grad(root, leaves)
        root.backward()
    for leaf, g in zip(leaves, expected):
        got = np.zeros_like(g) if leaf.grad is None else leaf.grad   # a leaf the root does not reach
        np.testing.assert_allclose(got, g, rtol=1e-12, atol=1e-12)


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10_000), size=st.integers(1, 10))
def test_array_backward_with_shared_relu_gradients_retained_nodes_and_two_passes(seed, size):
    # relu(z) + z hands one gradient array to two parents: the in-place ReLU
    # backward must not write into it; a retained node and a second pass share arrays too
    rng = random.Random(seed)
    nrng = np.random.default_rng(seed)
    leaves = [Tensor(nrng.uniform(-2.0, 2.0, (2, 3)), requires_grad=True) for _ in range(3)]
    made = _random_graph(rng, leaves, size)
    z = made[-1]
    kept = z * 1.5
    kept.retain_grad()
    # (... ) * 2.0: the add then receives an array of its own (not sum's broadcast view)
    root = (((z.relu() + z) * 2.0 + (kept.relu() - kept * 0.5) + made[-2].relu() * z) * 2.0).sum()
    with np.errstate(all="ignore"):
        expected = grad(root, leaves + [kept])
        root.backward()
        root.backward()
    for leaf, g in zip(leaves, expected):
        got = np.zeros_like(g) if leaf.grad is None else leaf.grad
        np.testing.assert_allclose(got, 2 * g, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(kept.grad, expected[-1], rtol=1e-12, atol=1e-12)   # interior: the last pass


@pytest.mark.parametrize("interior", [False, True])
def test_a_dot_holder_reached_through_another_holders_inputs(interior):
    # b = dot(ws, (a, 1)) with a = dot(ws, (1, 1)): the walk enters a (an input of b)
    # before ws's members are emitted, so a must walk ws itself
    from autograd_core import detect_anomaly

    def build(w0v, w1v):
        w0, w1 = Value(w0v), Value(w1v)
        ws = (w0 * 1.0, w1 * 1.0) if interior else (w0, w1)
        a = Value.dot(ws, (Value(1.0), Value(1.0)))
        return w0, w1, Value.dot(ws, (a, Value(1.0)))    # b = w0 (w0 + w1) + w1

    w0, w1, b = build(2.0, 3.0)
    assert b.data == 13.0 and grad(b, [w0, w1]) == [7.0, 3.0]   # db/dw0 = 2 w0 + w1, db/dw1 = w0 + 1
    b.backward()
    assert (w0.grad, w1.grad) == (7.0, 3.0)
    w0, w1, b = build(2.0, 3.0)
    with detect_anomaly():
        b.backward()
    assert (w0.grad, w1.grad) == (7.0, 3.0)
