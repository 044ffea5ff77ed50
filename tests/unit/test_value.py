"""Value: the lecture's worked examples, gate patterns and graph semantics."""
import math

import pytest

from autograd_core import Value, grad, gradcheck, no_grad, toposort
from autograd_core import gates as G


def test_lecture_add_mul_example():
    # seed 002: f(x, y, z) = (x + y) z at x=-2, y=5, z=-4
    x, y, z = Value(-2.0), Value(5.0), Value(-4.0)
    q = x + y
    f = q * z
    f.backward()
    assert f.data == -12.0 and q.data == 3.0
    assert (x.grad, y.grad, z.grad, q.grad) == (-4.0, -4.0, 3.0, -4.0)


SIG_GRADS = {"w0": -0.19661193324148185, "x0": 0.3932238664829637,
             "w1": -0.3932238664829637, "x1": -0.5898357997244456, "w2": 0.19661193324148185}


def _neuron_inputs():
    return {k: Value(v, label=k) for k, v in dict(w0=2.0, x0=-1.0, w1=-3.0, x1=-2.0, w2=-3.0).items()}


def test_lecture_sigmoid_neuron_with_sigmoid_gate():
    # seed 002: f(w, x) = 1 / (1 + exp(-(w0 x0 + w1 x1 + w2))): output 0.73, local gradient (1-σ)σ = 0.20
    v = _neuron_inputs()
    f = (v["w0"] * v["x0"] + v["w1"] * v["x1"] + v["w2"]).sigmoid()
    f.backward()
    assert f.data == pytest.approx(0.7310585786300049, abs=1e-15)
    for k, g in SIG_GRADS.items():
        assert v[k].grad == pytest.approx(g, abs=1e-15), k


def test_lecture_sigmoid_neuron_gate_by_gate():
    # the same function from the elementary gates of the lecture: *, +, exp, +1, 1/x
    v = _neuron_inputs()
    s = v["w0"] * v["x0"] + v["w1"] * v["x1"] + v["w2"]
    f = 1.0 / (1.0 + (-s).exp())
    f.backward()
    assert f.data == pytest.approx(0.7310585786300049, abs=1e-15)
    assert s.grad == pytest.approx(0.19661193324148185, abs=1e-15)   # the lecture's "0.2"
    for k, g in SIG_GRADS.items():
        assert v[k].grad == pytest.approx(g, abs=1e-14), k


def test_gate_patterns_distributor_swap_router_adder():
    x, y = Value(3.0), Value(-4.0)
    (x + y).backward()
    assert (x.grad, y.grad) == (1.0, 1.0)                 # add distributes
    x, y = Value(3.0), Value(-4.0)
    (x * y).backward()
    assert (x.grad, y.grad) == (-4.0, 3.0)                # mul swaps
    x, y = Value(3.0), Value(-4.0)
    (x.max(y) * 2.0).backward()
    assert (x.grad, y.grad) == (2.0, 0.0)                 # max routes to the larger
    x, y = Value(3.0), Value(5.0)
    x.max(y).backward()
    assert (x.grad, y.grad) == (0.0, 1.0)
    a = Value(3.0)
    (a * a).backward()                                    # copy gate adds: d(a^2)/da = 2a
    assert a.grad == 6.0
    b = Value(2.0)
    (b + b + b).backward()
    assert b.grad == 3.0


def test_operators_with_numbers_on_either_side():
    x = Value(2.0)
    exprs = {
        "x+1": (x + 1, 3.0, 1.0), "1+x": (1 + x, 3.0, 1.0), "x-1": (x - 1, 1.0, 1.0),
        "1-x": (1 - x, -1.0, -1.0), "3*x": (3 * x, 6.0, 3.0), "x/4": (x / 4, 0.5, 0.25),
        "4/x": (4 / x, 2.0, -1.0), "x**3": (x ** 3, 8.0, 12.0), "2**x": (2 ** x, 4.0, 4 * math.log(2)),
        "-x": (-x, -2.0, -1.0), "x**x": (x ** x, 4.0, 4 * (1 + math.log(2))),
    }
    for name, (out, value, slope) in exprs.items():
        assert out.data == pytest.approx(value), name
        assert grad(out, x) == pytest.approx(slope), name


def test_unary_gates_exact_values():
    cases = [("exp", 1.0, math.e, math.e), ("log", 2.0, math.log(2), 0.5),
             ("tanh", 0.5, math.tanh(0.5), 1 - math.tanh(0.5) ** 2),
             ("sigmoid", 0.0, 0.5, 0.25), ("relu", -1.5, 0.0, 0.0), ("relu", 1.5, 1.5, 1.0)]
    for name, x0, value, slope in cases:
        x = Value(x0)
        out = getattr(x, name)()
        out.backward()
        assert out.data == pytest.approx(value, abs=1e-15), name
        assert x.grad == pytest.approx(slope, abs=1e-15), name


def test_sigmoid_and_exp_are_stable_at_extremes():
    assert Value(-1000.0).sigmoid().data == 0.0
    assert Value(1000.0).sigmoid().data == 1.0
    assert Value(-40.0).sigmoid().data == pytest.approx(math.exp(-40), rel=1e-12)
    assert Value(1000.0).exp().data == math.inf


def test_leaf_gradients_accumulate_interior_are_overwritten():
    x = Value(3.0)
    y = x * x
    z = y * 2.0
    z.backward()
    assert (x.grad, y.grad) == (12.0, 2.0)
    z.backward()
    assert x.grad == 24.0          # leaf: sums over calls, as in PyTorch
    assert y.grad == 2.0           # interior: this pass only
    assert z.grad == 1.0


def test_backward_with_explicit_seed():
    x = Value(3.0)
    (x * x).backward(0.5)
    assert x.grad == 3.0


def test_grad_does_not_touch_dot_grad():
    x = Value(1.5)
    y = x.tanh() * x
    g = grad(y, x)
    assert g == pytest.approx(math.tanh(1.5) + 1.5 * (1 - math.tanh(1.5) ** 2))
    assert x.grad == 0.0


def test_grad_of_unused_input_is_zero():
    x, u = Value(1.0), Value(2.0)
    assert grad(x * 3.0, [x, u]) == [3.0, 0.0]


def test_higher_order_derivatives_of_cube_and_tanh():
    x = Value(1.5)
    y = x ** 3
    d1 = grad(y, x, create_graph=True)
    d2 = grad(d1, x, create_graph=True)
    d3 = grad(d2, x)
    assert (d1.data, d2.data, d3) == (pytest.approx(6.75), pytest.approx(9.0), pytest.approx(6.0))
    x = Value(0.3)
    t = math.tanh(0.3)
    d1 = grad(x.tanh(), x, create_graph=True)
    d2 = grad(d1, x, create_graph=True)
    d3 = grad(d2, x)
    assert d1.data == pytest.approx(1 - t * t)
    assert d2.data == pytest.approx(-2 * t * (1 - t * t))
    assert d3 == pytest.approx(-2 * (1 - t * t) ** 2 + 4 * t * t * (1 - t * t))


def test_mixed_second_derivative():
    x, y = Value(2.0), Value(3.0)
    f = x * x * y + y.exp()
    dx = grad(f, x, create_graph=True)              # 2xy
    assert dx.data == 12.0
    assert grad(dx, [x, y]) == [6.0, 4.0]           # d(2xy)/dx = 2y, d/dy = 2x


def test_no_grad_records_nothing():
    x = Value(2.0)
    with no_grad():
        y = x * x + 1.0
    assert y.is_leaf and y.parents == ()
    z = x * x
    assert z.parents == (x, x)


def test_dot_and_sum_gates():
    w = [Value(1.0), Value(-2.0), Value(0.5)]
    x = [Value(3.0), Value(4.0), 2.0]
    d = Value.dot(w, x)
    s = Value.sum([d, w[0], 1.0])
    s.backward()
    assert d.data == -4.0 and s.data == -2.0
    assert [v.grad for v in w] == [4.0, 4.0, 2.0]
    assert [v.grad for v in x[:2]] == [1.0, -2.0]
    with pytest.raises(ValueError, match="as many weights as inputs"):
        Value.dot(w, x[:1])
    assert Value.dot(w, x[:2]).data == 1.0 * 3.0 - 2.0 * 4.0 + 0.5     # one extra weight: the bias
    b = Value(0.25)
    d = Value.dot(w, x, b)
    assert d.data == -3.75
    assert gradcheck(lambda *vs: Value.dot(vs[:2], vs[2:4], vs[4]).tanh(),
                     [Value(0.3), Value(-0.7), Value(1.1), Value(0.4), Value(-0.2)])


@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid"])
def test_dot_with_an_activation_is_the_activation_of_the_dot(activation):
    # one node act(w·x + b) gives what the two nodes dot, then act, give, both ways
    # round: values, first derivatives (fast loop and generic one), second derivatives
    def build(fused, vs):
        w, x, b = vs[:3], vs[3:6], vs[6]
        if fused:
            return Value.dot(w, x, b, activation=activation)
        return getattr(Value.dot(w, x, b), activation)()

    data = [0.3, -0.7, 1.1, 0.4, -0.2, 0.9, 0.25]
    for sign in (1.0, -1.0):                     # relu active and inactive (w·x + b = 1.5, -1.5)
        signed = [sign * d for d in data[:3]] + data[3:6] + [sign * data[6]]
        one, two = [Value(d) for d in signed], [Value(d) for d in signed]
        z1, z2 = build(True, one), build(False, two)
        assert z1.op is G.DOT_WITH[activation] and len(toposort(z1)) == len(toposort(z2)) - 1
        assert z1.data == z2.data
        z1.backward()
        z2.backward()
        assert [v.grad for v in one] == pytest.approx([v.grad for v in two], abs=1e-15)
        assert grad(z1, one) == pytest.approx([v.grad for v in two], abs=1e-15)
        assert any(v.grad != 0.0 for v in one) == (activation != "relu" or z1.data > 0.0)
    assert gradcheck(lambda *vs: build(True, vs), [Value(d) for d in data])
    vs = [Value(d) for d in data]
    h1 = grad(build(True, vs), vs[0], create_graph=True)          # d/dw0 = act'(s) x0
    h2 = grad(build(False, vs), vs[0], create_graph=True)
    assert float(grad(h1, vs[3])) == pytest.approx(float(grad(h2, vs[3])), abs=1e-15) != 0.0


def test_million_node_chain_backpropagates_iteratively():
    import sys
    assert sys.getrecursionlimit() <= 10_000
    x, c = Value(1.0), Value(1.0)
    y = x
    for _ in range(1_000_000):
        y = y * c                              # one million sequential gates
    y.backward()
    assert x.grad == 1.0
    assert c.grad == 1_000_000.0               # the copy gate adds: c is used a million times
    assert len(toposort(y)) == 1_000_002
    del y                                      # freeing a deep chain must not overflow either


def test_graph_structure_is_data():
    a, b = Value(2.0, "a"), Value(3.0, "b")
    c = a - b
    assert c.op.name == "sub" and c.parents == (a, b)
    d = b - a
    assert d.parents == (b, a)                 # argument order is kept
    e = a * 2
    assert e.op.name == "scale" and e.parents == (a,) and e.param == 2.0   # the number is the gate's parameter
    m = a.max(2)
    assert m.parents[1].is_constant and not a.is_constant                 # max lifts it to a constant node
    order = toposort(c)
    assert order[0] is c and set(order[1:]) == {a, b}


def test_errors_are_clear():
    from autograd_core import Tensor
    # Value + Tensor and Value("3"): in test_bad_input.py's table
    with pytest.raises(TypeError, match="cannot combine a Tensor with a Value"):
        Tensor([1.0]) * Value(1.0)
    with pytest.raises(TypeError, match="expected a Value or a number"):
        Value(1.0) + "a"
    with pytest.raises(ValueError, match="log: input must be positive"):
        Value(0.0).log()
    with pytest.raises(ValueError, match="not a real number"):
        Value(-8.0) ** (1 / 3)
    with pytest.raises(TypeError, match="pow: expected a Value or a number"):
        Value(2.0) ** "x"


def test_comparisons_give_plain_answers_outside_the_graph():
    a, b = Value(2.0), Value(3.0)
    assert (a < b, a <= 2, a > b, b >= 3.0, 1 < a) == (True, True, False, True, True)
    with pytest.raises(TypeError, match="'<' not supported between instances of 'Value' and 'str'"):
        a < "3"                                     # Python's own message (it named the "const" gate)
