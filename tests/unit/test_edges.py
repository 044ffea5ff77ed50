"""Gradients at edge points, each one a regression test; the expected values
are PyTorch's (checked against torch 2.13), except where noted."""
from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

import nn
import nn.functional as F
from autograd_core import AxisError, Tensor, Value, detect_anomaly, grad, no_grad
from autograd_core import gates as G

INF, NAN = math.inf, math.nan

# x ** p for a number p: (x, p, value, dvalue/dx)
POW_NUMBER = [
    (0.0, 0.0, 1.0, 0.0), (0.0, 0.5, 0.0, INF), (0.0, 1.0, 0.0, 1.0), (0.0, 2.0, 0.0, 0.0), (0.0, -1.0, INF, -INF),
    (-2.0, 0.0, 1.0, 0.0), (-2.0, 0.5, NAN, NAN), (-2.0, 1.0, -2.0, 1.0), (-2.0, 2.0, 4.0, -4.0),
    (-2.0, -1.0, -0.5, -0.25),
    (3.0, 0.0, 1.0, 0.0), (3.0, 0.5, math.sqrt(3), 0.5 / math.sqrt(3)), (3.0, 1.0, 3.0, 1.0), (3.0, 2.0, 9.0, 6.0),
    (3.0, -1.0, 1 / 3, -1 / 9),
]
# x ** p with p a node: (x, p, d/dx, d/dp)
POW_NODE = [
    (0.0, 0.0, 0.0, 0.0), (0.0, 0.5, INF, 0.0), (0.0, 2.0, 0.0, 0.0), (0.0, -1.0, -INF, -INF),
    (-2.0, 0.0, 0.0, NAN), (-2.0, 2.0, -4.0, NAN), (-2.0, -1.0, -0.25, NAN),
    (3.0, 0.0, 0.0, math.log(3)), (3.0, 0.5, 0.5 / math.sqrt(3), math.sqrt(3) * math.log(3)),
    (3.0, 2.0, 6.0, 9 * math.log(3)), (3.0, -1.0, -1 / 9, math.log(3) / 3),
]


def _same(a: float, b: float) -> bool:
    return (math.isnan(a) and math.isnan(b)) or a == pytest.approx(b, rel=1e-12)


@pytest.mark.parametrize("x,p,value,dx", POW_NUMBER)
def test_pow_by_a_number_on_the_grid(x, p, value, dx):
    t = Tensor([x], requires_grad=True)
    with np.errstate(all="ignore"):                      # the forward warns as numpy does
        y = t ** p
    with warnings.catch_warnings():
        warnings.simplefilter("error")                    # the backward adds no warning of its own
        y.sum().backward()
    assert _same(float(y.data[0]), value) and _same(float(t.grad[0]), dx)
    v = Value(x)
    if x < 0 and p != int(p):                            # a Value is real: no value to take
        with pytest.raises(ValueError, match="not a real number"):
            v ** p
        return
    out = v ** p
    out.backward()
    assert _same(out.data, value) and _same(v.grad, dx)


@pytest.mark.parametrize("x,p,dx,dp", POW_NODE)
def test_pow_by_a_node_on_the_grid(x, p, dx, dp):
    t, e = Tensor([x], requires_grad=True), Tensor([p], requires_grad=True)
    with np.errstate(all="ignore"):
        y = (t ** e).sum()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        y.backward()
    assert _same(float(t.grad[0]), dx) and _same(float(e.grad[0]), dp)
    v, w = Value(x), Value(p)
    (v ** w).backward()
    assert _same(v.grad, dx) and _same(w.grad, dp)


def test_zero_to_a_tensor_power():
    e = Tensor([1.0, 2.0, -1.0, 0.0], requires_grad=True)
    with np.errstate(all="ignore"):
        y = (0.0 ** e).sum()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        y.backward()
    assert e.grad.tolist() == [0.0, 0.0, -INF, 0.0]
    x = Tensor([0.0], requires_grad=True)
    (x ** 0).sum().backward()
    assert x.grad.tolist() == [0.0]


def test_binary_cross_entropy_with_logits_at_zero():
    z = Tensor(np.zeros(3), requires_grad=True)
    F.binary_cross_entropy_with_logits(z, np.array([0.0, 1.0, 1.0])).backward()
    np.testing.assert_allclose(z.grad, [0.5 / 3, -0.5 / 3, -0.5 / 3], rtol=1e-15)   # (σ(0) - t)/N
    big = Tensor([800.0, -800.0], requires_grad=True)
    loss = F.binary_cross_entropy_with_logits(big, np.array([0.0, 1.0]))
    loss.backward()
    assert loss.item() == pytest.approx(800.0) and big.grad.tolist() == [0.5, -0.5]


@pytest.mark.parametrize("alpha", [1.0, 0.3])
def test_elu_and_leaky_relu_at_their_kink(alpha):
    x = Tensor([0.0], requires_grad=True)
    F.elu(x, alpha).sum().backward()
    assert x.grad.tolist() == [alpha]
    v = Value(0.0)
    v.elu(alpha).backward()
    assert v.grad == alpha
    y = Tensor([0.0, -2.0, 3.0], requires_grad=True)
    F.leaky_relu(y, alpha / 10).sum().backward()                   # the slope at 0 too
    np.testing.assert_allclose(y.grad, [alpha / 10, alpha / 10, 1.0])


def test_maximum_ties_split_the_gradient_as_pytorch():
    a = Tensor([1.0, 2.0], requires_grad=True)
    b = Tensor([1.0, 3.0], requires_grad=True)
    a.maximum(b).sum().backward()
    assert a.grad.tolist() == [0.5, 0.0] and b.grad.tolist() == [0.5, 1.0]
    x, y = Value(2.0), Value(2.0)
    x.max(y).backward()
    assert (x.grad, y.grad) == (0.5, 0.5)


def test_cross_entropy_sends_a_gradient_to_a_probability_target():
    z = Tensor([[1.0, 2.0, 0.5], [0.0, -1.0, 3.0]], requires_grad=True)
    t = Tensor([[0.2, 0.5, 0.3], [1.0, 0.0, 0.0]], requires_grad=True)
    loss = F.cross_entropy(z, t)
    loss.backward()
    log_p = z.data - np.log(np.exp(z.data).sum(1, keepdims=True))
    assert loss.item() == pytest.approx(-(t.data * log_p).sum() / 2)
    np.testing.assert_allclose(t.grad, -log_p / 2, rtol=1e-12)
    np.testing.assert_allclose(z.grad, (np.exp(log_p) - t.data) / 2, rtol=1e-12)


def test_nan_propagates_through_value_relu_and_max():
    assert math.isnan(Value(NAN).relu().data)
    assert math.isnan(Value(NAN).max(Value(1.0)).data) and math.isnan(Value(1.0).max(Value(NAN)).data)
    assert math.isnan(Tensor([NAN]).relu().data[0])


def test_transpose_swaps_two_axes_and_checks_them():
    x = Tensor(np.arange(6.0).reshape(2, 3))
    assert x.transpose(0, 1).shape == (3, 2) and x.transpose(1, 0).shape == (3, 2)   # PyTorch's swap
    y = Tensor(np.zeros((2, 3, 4)))
    assert y.transpose(0, 2).shape == (4, 3, 2) and y.permute(1, 2, 0).shape == (3, 4, 2)
    assert y.transpose((1, 2, 0)).shape == (3, 4, 2)                                 # numpy's permutation
    with pytest.raises(AxisError, match="axis 3 is out of range"):
        x.transpose(0, 3)
    with pytest.raises(ValueError, match="not a permutation"):
        y.permute(0, 0, 1)
    with pytest.raises(ValueError, match="names an axis twice"):
        y.sum(axis=(1, 1))


def test_empty_reductions_and_batches_follow_numpy():
    x = Tensor(np.zeros((3, 0)), requires_grad=True)
    with pytest.warns(RuntimeWarning):
        m = x.mean(axis=1)
    assert np.all(np.isnan(m.data))
    m.sum().backward()
    assert x.grad.shape == (3, 0)
    z = Tensor(np.zeros((0, 4)), requires_grad=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        loss = F.cross_entropy(z, np.zeros(0, dtype=np.int64))
    assert math.isnan(loss.item())
    loss.backward()
    assert z.grad.shape == (0, 4)


def test_logsumexp_gradient_for_huge_equal_entries():
    for big in (1e16, 1e17, 1e300):
        x = Tensor(np.full(5, big), requires_grad=True)
        x.logsumexp(axis=0).backward()
        np.testing.assert_allclose(x.grad, np.full(5, 0.2), rtol=1e-15)   # PyTorch gives 1.0 each


@pytest.mark.parametrize("make,message", [
    (lambda: nn.Conv2d(3, 4, 0), "kernel_size must be a positive integer, got 0"),
    (lambda: nn.Conv2d(-3, 4, 3), "in_channels must be a positive integer, got -3"),
    (lambda: nn.Conv2d(3, 4, 3, stride=0), "stride must be a positive integer"),
    (lambda: nn.Conv2d(3, 4, 3, padding=-1), "padding must be an integer >= 0"),
    (lambda: nn.Linear(3, 0), "out_features must be a positive integer, got 0"),
    (lambda: nn.MLP(2, [4, True]), "out_features must be a positive integer, got True"),
])
def test_layer_sizes_are_checked_when_the_layer_is_built(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_relu_sends_a_true_zero_not_minus_zero():
    # g * mask would leave -0.0 where the upstream gradient is negative; PyTorch gives 0
    x = Tensor([1.0, -2.0, 3.0, -1.0], requires_grad=True)
    x.relu().backward(np.array([4.0, -1.0, 5.0, 9.0]))
    assert x.grad.tolist() == [4.0, 0.0, 5.0, 0.0] and not np.signbit(x.grad).any()
    y = Tensor([-1.0, 2.0], requires_grad=True)
    (y.relu() * -3.0).sum().backward()                   # through the in-place vjp of the array loop
    assert not np.signbit(y.grad[0]) and y.grad[1] == -3.0
    v = Value(-1.0)
    (v.relu() * -3.0).backward()
    assert v.grad == 0.0 and not math.copysign(1.0, v.grad) < 0


def test_create_graph_backward_stores_gradients_as_backward_does():
    # an interior Value shows this pass's gradient (here a node: d(y + 1)/dy = 1)
    x = Value(2.0)
    y = x * x
    (y * 3.0).backward()
    (y + 1.0).backward(create_graph=True)
    assert y.grad.data == 1.0 and x.grad.data == 12.0 + 4.0
    # a retained Tensor keeps its gradient
    t = Tensor([1.0, 2.0], requires_grad=True)
    h = (t * 2.0).retain_grad()
    (h * h).sum().backward(create_graph=True)
    assert h.grad.tolist() == [4.0, 8.0]
    # a plain backward afterwards adds to the node gradient (out of place, as PyTorch)
    u = Tensor([1.0, 2.0], requires_grad=True)
    (u * u).sum().backward(create_graph=True)
    (u * u).sum().backward()
    assert u.grad.tolist() == [4.0, 8.0]
    # each leaf owns its gradient: the add gate hands both the same node
    p, q = Value(1.0), Value(2.0)
    (p + q).backward(create_graph=True)
    assert p.grad is not q.grad and p.grad.data == q.grad.data == 1.0
    a, b = Tensor([1.0, 2.0], requires_grad=True), Tensor([3.0, 4.0], requires_grad=True)
    (a + b).sum().backward(create_graph=True)
    with no_grad():
        a.grad.mul_(0.0)                            # its array is its own, and writable
    assert a.grad.tolist() == [0.0, 0.0] and b.grad.tolist() == [1.0, 1.0]


def test_anomaly_mode_never_lets_a_leaf_share_a_retained_gradient():
    x = Tensor([1.0, 2.0], requires_grad=True)
    w = Tensor([3.0, 4.0], requires_grad=True)
    h = (x * 2.0).retain_grad()
    a = w + h                                       # its gate hands w and h one array
    with detect_anomaly():
        (a * a).sum().backward()
    assert h.grad.tolist() == [10.0, 16.0] and not np.shares_memory(w.grad, h.grad)
    w.grad[...] = 0.0                               # zero_grad(set_to_none=False) does this
    assert h.grad.tolist() == [10.0, 16.0]


def test_retained_gradients_are_arrays_of_their_own_as_in_pytorch():
    # a + b hands a and b one array; a sum hands its input a read-only broadcast view
    x = Tensor([1.0, 2.0], requires_grad=True)
    a = (x * 2.0).retain_grad()
    b = (x * 3.0).retain_grad()
    s = (x * 4.0).retain_grad()
    ((a + b) * Tensor([1.0, 1.0]) + s * 5.0).sum().backward()
    assert a.grad.tolist() == b.grad.tolist() == [1.0, 1.0] and s.grad.tolist() == [5.0, 5.0]
    assert x.grad.tolist() == [25.0, 25.0]
    a.grad += 100.0                                 # was b's array too
    s.grad += 1.0                                   # was read-only
    assert b.grad.tolist() == [1.0, 1.0] and s.grad.tolist() == [6.0, 6.0] and x.grad.tolist() == [25.0, 25.0]


def test_relu_sends_nothing_back_where_it_is_off_even_an_infinite_gradient():
    # both Value passes select (PyTorch's threshold rule): 0, not inf * 0 = nan
    x = Value(-1.0)
    assert grad(x.relu() * math.inf, x) == 0.0
    (x.relu() * math.inf).backward()
    assert x.grad == 0.0


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64, np.longdouble])
def test_array_relu_sends_nothing_back_where_it_is_off_even_inf_or_nan(dtype):
    # PyTorch's threshold rule on arrays too: relu(x).sqrt() at x <= 0 has an infinite
    # upstream gradient, and gave nan (inf * 0); a negative one gave -0.0
    x = Tensor(np.array([-1.0, 0.0, 4.0], dtype=dtype), requires_grad=True)
    expected = [0.0, 0.0, 0.25]
    assert grad(x.relu().sqrt().sum(), x).tolist() == expected          # the out-of-place rule
    x.relu().sqrt().sum().backward()                                    # the in-place one
    assert x.grad.tolist() == expected and x.grad.dtype == dtype
    m = Tensor(np.array([[-1.0, 2.0], [3.0, -4.0]], dtype=dtype), requires_grad=True)
    upstream = np.array([[-5.0, np.inf], [np.nan, -np.inf]], dtype=dtype)
    for got in (grad(m.relu(), m, upstream), (m.relu().backward(upstream), m.grad)[1]):
        assert got[0, 0] == 0.0 and not np.signbit(got[0, 0]) and got[1, 1] == 0.0
        assert got[0, 1] == np.inf and np.isnan(got[1, 0])             # where it is on: passed as is


def test_the_dot_gate_applied_directly_checks_its_tuples():
    x, y = Value(2.0), Value(3.0)
    with pytest.raises(ValueError, match="as many weights as inputs"):
        G.DOT((x,), (y, y))
    z = G.DOT((x, 1.0), (y,))                                       # a number bias is lifted
    z.backward()
    assert (z.data, x.grad, y.grad) == (7.0, 3.0, 2.0)


def test_sign_of_nan_is_zero_for_values_and_tensors_as_pytorch():
    # one gate, one answer: the Tensor path gave nan where the Value path gave 0
    assert Value(math.nan).sign().data == 0.0
    assert Tensor([math.nan, -2.0, 0.0, 3.0]).sign().tolist() == [0.0, -1.0, 0.0, 1.0]


def test_a_value_prints_after_backward_with_create_graph():
    x = Value(2.0)
    (x * x * x).backward(create_graph=True)             # x.grad is a node: repr raised TypeError
    assert repr(x) == "Value(data=2, grad=12)"
