"""A user-defined gate: made with define_gate, used on Values and Tensors,
drawn by name, stepped through, differentiated twice; check_gate finds a
wrong vjp."""
from __future__ import annotations

import math

import numpy as np
import pytest

from autograd_core import Tensor, Value, backward_steps, draw_graph, grad
from autograd_core import gates as G
from autograd_core.gradcheck import GradcheckError
from autograd_core.node import UNARY_OPERATORS
from autograd_core.testing import check_gate

CUBE = G.define_gate("cube_test", lambda x, p=None: x * x * x, lambda g, out, x, p: g * 3 * x * x,
                     "z = x³; dz/dx = 3x²", symbol="x³")
SCALED_HYPOT = G.define_gate("hypot_test", lambda x, y: (x * x + y * y) ** 0.5,
                             lambda g, out, x, y: (g * x / out, g * y / out),
                             "z = √(x² + y²); dz/dx = x/z, dz/dy = y/z", arity=2)


def test_a_defined_gate_works_on_values_and_tensors_and_twice():
    v = Value(2.0)
    out = CUBE(v)
    out.backward()
    assert out.data == 8.0 and v.grad == 12.0
    t = Tensor([1.0, -2.0], requires_grad=True)
    CUBE(t).sum().backward()
    assert t.grad.tolist() == [3.0, 12.0]
    x = Value(2.0)
    assert grad(grad(CUBE(x), x, create_graph=True), x) == 12.0      # 6x: its vjp uses differentiable ops
    a, b = Tensor([3.0], requires_grad=True), Tensor([4.0, 0.0], requires_grad=True)
    h = SCALED_HYPOT(a, b)
    h.sum().backward()
    assert h.tolist() == [5.0, 3.0] and a.grad.tolist() == [0.6 + 1.0] and b.grad.tolist() == [0.8, 0.0]


def test_it_is_drawn_and_stepped_by_name():
    v = Value(2.0, "v")
    out = CUBE(v) * 2.0
    assert 'label="x³"' in draw_graph(out).source
    assert [f.gate for f in backward_steps(out)] == ["scale", "cube_test"]


def test_check_gate_passes_a_right_gate_and_catches_a_wrong_vjp():
    check_gate(CUBE, second_derivative=True)
    check_gate(SCALED_HYPOT, domain=(0.5, 2.0))
    wrong = G.define_gate("cube_wrong_test", lambda x, p=None: x * x * x, lambda g, out, x, p: g * 2 * x * x,
                          "z = x³; dz/dx = 2x² (wrong)")
    with pytest.raises(GradcheckError, match="input 0 .* backward gives 2.0, central difference gives 2.99"):
        check_gate(wrong)
    with pytest.raises(ValueError, match="'exp' is a built-in gate"):
        G.define_gate("exp", math.exp, lambda g, out, x, p: g * out, "again")
    again = G.define_gate("cube_test", lambda x, p=None: x * x * x, lambda g, out, x, p: g * 3 * x * x, "z = x³")
    assert again is not CUBE and G.GATES["cube_test"] is again     # a cell run twice redefines it


BROKEN = G.define_gate("broken_test", lambda x, p=None: x * 1.0,
                       lambda g, out, x, p: (_ for _ in ()).throw(ArithmeticError("vjp failed")),
                       "z = x; its vjp raises", symbol="!")


def test_a_backward_that_raises_leaves_no_walk_stamp_in_grad():
    # the walk stamps interior nodes' .grad before the gates run; a vjp that raises
    # must not leave that stamp where a user reads .grad
    t = Tensor([1.0, 2.0], requires_grad=True)
    h = (t * 2.0).retain_grad()
    u = BROKEN(h)
    with pytest.raises(ArithmeticError, match="vjp failed"):
        (u * 3.0).sum().backward()
    assert h.grad is None and u.grad is None and t.grad is None
    v = Value(1.5)
    w = v * 2.0
    with pytest.raises(ArithmeticError, match="vjp failed"):
        (BROKEN(w) * 3.0).backward()
    assert w.grad == 0.0 and v.grad == 0.0


@pytest.mark.parametrize("name,gate", UNARY_OPERATORS, ids=[n for n, _ in UNARY_OPERATORS])
def test_every_built_in_one_input_gate_can_be_called_on_a_node(name, gate):
    # gate(x) is what the operator method gives (exp, relu, neg... take no parameter:
    # calling them with one raised TypeError), for a Value and a Tensor
    for x in (Value(0.7), Tensor([0.7, 0.2], requires_grad=True)):
        got, want = gate(x), getattr(x, name)()
        assert got.op is gate and np.array_equal(np.asarray(got.data), np.asarray(want.data))
