"""Table-driven tests: every op of tests/op_table.py, forward and gradient,
for Value and for Tensor on several shapes including () and broadcast pairs."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from autograd_core import Tensor, Value, grad, gradcheck
from autograd_core.testing import arrays, assert_close, broadcastable_shapes, floats, shapes
from op_table import OPS

UNARY = [op for op in OPS if op.arity == 1]
BINARY = [op for op in OPS if op.arity == 2]


def _args(op, draw_float):
    return [draw_float(lo, hi) for lo, hi in op.domain]


@pytest.mark.parametrize("op", OPS, ids=lambda op: op.name)
@given(data=st.data())
def test_value_forward_and_gradient(op, data):
    xs = [data.draw(floats(lo, hi)) for lo, hi in op.domain]
    assume(op.ok(*xs))
    out = op.apply(*[Value(x) for x in xs])
    assert isinstance(out, Value)
    assert_close(out.data, op.reference(*[np.float64(x) for x in xs]), what=f"{op.name} forward")
    assert gradcheck(op.apply, [Value(x) for x in xs])


@pytest.mark.parametrize("op", UNARY, ids=lambda op: op.name)
@given(data=st.data())
def test_tensor_unary_forward_and_gradient(op, data):
    shape = data.draw(shapes())
    (lo, hi), = op.domain
    x = data.draw(arrays(shape, lo, hi))
    assume(op.ok(x))
    t = Tensor(x, requires_grad=True)
    out = op.apply(t)
    assert out.shape == x.shape and out.dtype == np.float64
    assert_close(out, op.reference(x), what=f"{op.name} forward")
    assert gradcheck(op.apply, [t])


@pytest.mark.parametrize("op", BINARY, ids=lambda op: op.name)
@given(data=st.data())
def test_tensor_binary_broadcast_forward_and_gradient(op, data):
    sx, sy = data.draw(broadcastable_shapes())
    x = data.draw(arrays(sx, *op.domain[0]))
    y = data.draw(arrays(sy, *op.domain[1]))
    assume(op.ok(x, y))
    tx, ty = Tensor(x, requires_grad=True), Tensor(y, requires_grad=True)
    out = op.apply(tx, ty)
    assert out.shape == np.broadcast_shapes(sx, sy)
    assert_close(out, op.reference(x, y), what=f"{op.name} forward")
    assert gradcheck(op.apply, [tx, ty])
    out.sum().backward()
    assert tx.grad.shape == sx and ty.grad.shape == sy      # reduced back to each input's shape


@pytest.mark.parametrize("op", OPS, ids=lambda op: op.name)
@given(data=st.data())
def test_tensor_gradient_equals_per_element_value_gradients(op, data):
    """An elementwise Tensor op's gradient is, element by element, the Value gradient."""
    shape = data.draw(shapes(min_dims=1, max_dims=2))
    xs = [data.draw(arrays(shape, lo, hi)) for lo, hi in op.domain]
    assume(op.ok(*xs))
    ts = [Tensor(x, requires_grad=True) for x in xs]
    op.apply(*ts).sum().backward()
    for index in np.ndindex(shape):
        vs = [Value(float(x[index])) for x in xs]
        out = op.apply(*vs)
        out.backward()
        assert_close(out.data, op.reference(*[x[index] for x in xs]))
        for t, v in zip(ts, vs):
            assert_close(t.grad[index], v.grad, what=f"{op.name} gradient at {index}")


@pytest.mark.parametrize("op", UNARY, ids=lambda op: op.name)
@given(data=st.data())
def test_second_derivative_matches_central_difference_of_first(op, data):
    (lo, hi), = op.domain
    x0 = data.draw(floats(lo, hi))
    assume(op.ok(x0))
    x = Value(x0)
    d1 = grad(op.apply(x), x, create_graph=True)
    d2 = grad(d1, x) if isinstance(d1, Value) and not d1.is_leaf else 0.0
    eps = 1e-5

    def first(at: float) -> float:
        v = Value(at)
        return grad(op.apply(v), v)

    numeric = (first(x0 + eps) - first(x0 - eps)) / (2 * eps)
    assert_close(d2, numeric, atol=1e-4, rtol=1e-3, what=f"{op.name} second derivative")


@pytest.mark.parametrize("op", OPS, ids=lambda op: op.name)
def test_float32_stays_float32_and_agrees_with_float64(op):
    rng = np.random.default_rng(3)
    xs = [rng.uniform(lo, hi, (2, 3)) for lo, hi in op.domain]
    xs = [np.where(np.abs(x) < 0.05, 0.3, x) for x in xs] if op.kink else xs
    t64 = [Tensor(x, requires_grad=True) for x in xs]
    out64 = op.apply(*t64)
    ts = [Tensor(x.astype(np.float32), requires_grad=True) for x in xs]
    out32 = op.apply(*ts)
    assert out32.dtype == np.float32
    assert_close(out32.data, out64.data, atol=1e-4, rtol=1e-4, what=f"{op.name} float32 forward")
    out32.sum().backward()
    out64.sum().backward()
    for t32, t in zip(ts, t64):
        assert t32.grad.dtype == np.float32
        assert_close(t32.grad, t.grad, atol=1e-3, rtol=1e-3, what=f"{op.name} float32 gradient")


def test_integer_and_bool_tensors_compute_without_gradients():
    from autograd_core import arange
    i = arange(4)
    assert (i * 2).dtype == np.int64 and (i * 2).tolist() == [0, 2, 4, 6]
    assert (i + 0.5).dtype == np.float64 and not (i * 2).requires_grad
    mask = i > 1
    assert mask.dtype == np.bool_ and (mask & (i < 3)).tolist() == [False, False, True, False]
    assert (~mask).tolist() == [True, True, False, False] and (mask | (i == 0)).tolist() == [True, False, True, True]
    assert i.sum().item() == 6 and i.max().item() == 3 and i.float().mean().item() == 1.5
    w = Tensor(np.ones(4), requires_grad=True)
    (w * i).sum().backward()                                   # an integer tensor as a constant factor
    assert w.grad.tolist() == [0.0, 1.0, 2.0, 3.0]
