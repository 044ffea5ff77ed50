"""The pieces of nn the engine benchmarks stand on: scalar MLP, linear, cross-entropy."""
import math
import sys
from pathlib import Path

import numpy as np
import pytest

from autograd_core import Tensor, Value, from_numpy, gradcheck
from nn.functional import cross_entropy, linear
from nn.scalar import MLP

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))


def test_fused_and_unfused_scalar_mlp_agree():
    fused, plain = MLP(2, [4, 3, 1], seed=5), MLP(2, [4, 3, 1], seed=5, fused=False)
    x = [0.3, -1.2]
    a, b = fused(x), plain(x)
    assert a.data == pytest.approx(b.data, abs=1e-12)
    a.backward()
    b.backward()
    for p, q in zip(fused.parameters(), plain.parameters()):
        assert p.grad == pytest.approx(q.grad, abs=1e-12)
    assert len(fused.parameters()) == 2 * 4 + 4 + 4 * 3 + 3 + 3 + 1
    assert "Layer" in repr(fused)


def test_shared_tuples_give_the_same_gradients_as_separate_nodes():
    # A neuron's weight tuple is shared by every sample's dot node and a layer's
    # input tuple by all its neurons; the traversal walks each tuple once.
    fused, plain = MLP(3, [5, 4, 2], seed=7), MLP(3, [5, 4, 2], seed=7, fused=False)
    samples = [[0.3, -1.2, 0.5], [1.0, 0.1, -0.7], [-0.4, 0.9, 2.0]]

    def loss(model):
        outs = [model(x) for x in samples]
        return Value.sum([(o[0] - o[1]).tanh() * (o[0] + 1.0) for o in outs])

    a, b = loss(fused), loss(plain)
    assert a.data == pytest.approx(b.data, abs=1e-12)
    a.backward()
    b.backward()
    for p, q in zip(fused.parameters(), plain.parameters()):
        assert p.grad == pytest.approx(q.grad, abs=1e-12)


def test_linear_matches_formula_and_gradcheck():
    rng = np.random.default_rng(0)
    x = Tensor(rng.standard_normal((4, 3)), requires_grad=True)
    w = Tensor(rng.standard_normal((2, 3)), requires_grad=True)
    b = Tensor(rng.standard_normal(2), requires_grad=True)
    np.testing.assert_allclose(linear(x, w, b).data, x.data @ w.data.T + b.data)
    assert gradcheck(linear, [x, w, b])
    assert gradcheck(lambda x_, w_: linear(x_, w_), [x, w])
    x3 = Tensor(rng.standard_normal((2, 5, 3)), requires_grad=True)
    assert gradcheck(linear, [x3, w, b])
    x1 = Tensor(rng.standard_normal(3), requires_grad=True)
    assert gradcheck(linear, [x1, w, b])
    with pytest.raises(ValueError, match="last axis must be 3"):
        linear(Tensor(np.ones((4, 2))), w, b)


def test_cross_entropy_value_gradient_and_stability():
    z = Tensor([[2.0, 1.0, 0.1], [0.5, 2.5, -1.0]], requires_grad=True)
    y = np.array([0, 1])
    loss = cross_entropy(z, y)
    p = np.exp(z.data) / np.exp(z.data).sum(axis=1, keepdims=True)
    assert loss.item() == pytest.approx(-np.mean(np.log(p[[0, 1], y])))
    loss.backward()
    np.testing.assert_allclose(z.grad, (p - np.eye(3)[y]) / 2)         # (softargmax(z) - y) / N
    assert gradcheck(lambda t: cross_entropy(t, y), [z])
    soft = np.array([[0.2, 0.5, 0.3], [0.0, 0.0, 1.0]])
    assert gradcheck(lambda t: cross_entropy(t, soft), [z])
    big = Tensor([[1000.0, -1000.0, 0.0]], requires_grad=True)
    l_big = cross_entropy(big, [1])
    assert l_big.item() == pytest.approx(2000.0)
    l_big.backward()
    np.testing.assert_allclose(big.grad, [[1.0, -1.0, 0.0]])


@pytest.mark.parametrize("order", ["C", "F"])
def test_cross_entropy_on_logits_laid_out_in_either_order(order):
    # the gate picks and marks each label through the flat view of its own C-ordered
    # softmax; logits in Fortran order (a transposed batch) must give the same numbers,
    # on the first backward (the softmax kept from forward) and a second one (recomputed)
    rng = np.random.default_rng(4)
    a = np.array(rng.standard_normal((5, 3)), order=order)
    y = np.array([2, 0, 1, 1, 2])
    z = from_numpy(a).requires_grad_(True)
    loss = cross_entropy(z, y)
    p = np.exp(a - a.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    assert loss.item() == pytest.approx(-np.log(p[np.arange(5), y]).mean(), abs=1e-12)
    expected = (p - np.eye(3)[y]) / 5
    loss.backward()
    np.testing.assert_allclose(z.grad, expected, atol=1e-15)
    z.grad = None
    loss.backward()
    np.testing.assert_allclose(z.grad, expected, atol=1e-15)


def test_cross_entropy_agrees_with_composed_log_softmax():
    rng = np.random.default_rng(1)
    z1 = Tensor(rng.standard_normal((5, 4)), requires_grad=True)
    z2 = Tensor(z1.data, requires_grad=True)
    y = rng.integers(0, 4, 5)
    fused = cross_entropy(z1, y)
    composed = -z2.log_softmax()[np.arange(5), y].mean()
    assert fused.item() == pytest.approx(composed.item(), abs=1e-12)
    fused.backward()
    composed.backward()
    np.testing.assert_allclose(z1.grad, z2.grad, atol=1e-12)


@pytest.mark.parametrize("fused,sparse", [(False, False), (True, False), (True, True)])
def test_scalar_benchmark_engine_takes_the_hand_written_step(fused, sparse):
    import bench_scalar as B
    from nn.data import moons
    X, labels = moons(12, seed=3)
    xs = X.tolist()
    Y = [2.0 * l - 1.0 for l in labels.tolist()]
    model = MLP(2, [5, 4, 1], seed=2, fused=fused)
    before = B.weights_of(model)
    W, Bs = B.weights_of(model)
    B.check_same_step(model, W, Bs, xs, Y, sparse)           # loss, weights and biases, as the benchmark checks
    after = B.weights_of(model)
    assert after[0] != before[0] and after[1] != before[1]   # the step moved weights and biases


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_tensor_benchmark_implementations_take_the_hand_written_epoch(dtype):
    import bench_tensor as B
    rng = np.random.default_rng(0)
    X, y = rng.random((150, 64)).astype(dtype), rng.integers(0, 10, 150)
    s = B.setups("digits", dtype, X, y)
    assert {"floor", "natural", "fused"} <= set(s["impls"])
    B.check_same_step(s, dtype)            # raises unless every epoch ends at the floor's weights
    for name in ("natural", "fused"):
        assert all(p.dtype == dtype for p in s["impls"][name][1])
    with pytest.raises(AssertionError):    # and it can fail: a loss that differs is caught
        s = B.setups("digits", dtype, X, y)
        s["impls"]["natural"] = (lambda p, X, y, i: B.natural_epoch(p, X, y, i) + 1.0, s["impls"]["natural"][1])
        B.check_same_step(s, dtype)


def test_scalar_layer_reads_fused_and_activation_from_its_neurons():
    from nn.scalar import Layer
    for fused in (True, False):
        layer = Layer(3, 2, "tanh", fused=fused)
        assert not hasattr(layer, "__dict__") and set(Layer.__slots__) == {"neurons"}   # no copies kept
        assert layer.fused is fused and layer.activation == "tanh"
        out = layer([0.5, -1.0, 2.0])
        for n, o in zip(layer.neurons, out):
            want = math.tanh(sum(w.data * x for w, x in zip(n.w, [0.5, -1.0, 2.0])) + n.b.data)
            assert o.data == pytest.approx(want, rel=1e-12)
