"""Hypothesis strategies and gradient assertions for testing gates.

Importable by users who test their own functions::

    from hypothesis import given
    from autograd_core.testing import tensors, assert_grads_match

    @given(tensors(shape=(3,), min_value=0.1, max_value=2.0))
    def test_my_fn(t):
        assert_grads_match(lambda x: (x.log() * x).sum(), [t])

Needs ``hypothesis`` (``pip install autograd-core[testing]``).
"""
from __future__ import annotations

import itertools
from typing import Any, Callable, Optional, Sequence, Tuple

import numpy as np

try:
    from hypothesis import given, settings
    from hypothesis import strategies as st
    from hypothesis.extra import numpy as hnp
except ImportError as e:  # pragma: no cover - exercised only without hypothesis
    raise ImportError("autograd_core.testing needs hypothesis: pip install 'autograd-core[testing]'") from e

from .gradcheck import gradcheck
from .graph import grad
from .node import Node
from ._tensor import Tensor
from .value import Value

__all__ = ["floats", "values", "shapes", "broadcastable_shapes", "arrays", "tensors",
           "assert_grads_match", "assert_close", "check_gate"]


def floats(min_value: float = -3.0, max_value: float = 3.0) -> st.SearchStrategy[float]:
    """Finite float64 numbers in [min_value, max_value]."""
    return st.floats(min_value, max_value, allow_nan=False, allow_infinity=False)


def values(min_value: float = -3.0, max_value: float = 3.0) -> st.SearchStrategy[Value]:
    """``Value`` leaves with data in [min_value, max_value]."""
    return floats(min_value, max_value).map(Value)


def shapes(min_dims: int = 0, max_dims: int = 3, max_side: int = 4) -> st.SearchStrategy[tuple]:
    """Array shapes, including the 0-d shape ``()``."""
    return hnp.array_shapes(min_dims=min_dims, max_dims=max_dims, min_side=1, max_side=max_side)


def broadcastable_shapes(max_dims: int = 3, max_side: int = 4) -> st.SearchStrategy[Tuple[tuple, tuple]]:
    """Pairs of shapes that numpy broadcasts together (e.g. (2, 3) and (3,), (4, 1) and (1, 5))."""
    return hnp.mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=max_dims,
                                             min_side=1, max_side=max_side).map(lambda r: r.input_shapes)


def arrays(shape: Any, min_value: float = -3.0, max_value: float = 3.0,
           dtype: Any = np.float64) -> st.SearchStrategy[np.ndarray]:
    """ndarrays of ``shape`` (a tuple or a strategy) with elements in range."""
    return hnp.arrays(dtype, shape, elements=st.floats(min_value, max_value, allow_nan=False,
                                                       allow_infinity=False, width=np.dtype(dtype).itemsize * 8))


def tensors(shape: Any = None, min_value: float = -3.0, max_value: float = 3.0,
            requires_grad: bool = True) -> st.SearchStrategy[Tensor]:
    """float64 ``Tensor`` leaves; ``shape`` defaults to any shape from ``shapes()``."""
    return arrays(shapes() if shape is None else shape, min_value, max_value).map(
        lambda a: Tensor(a, requires_grad=requires_grad))


def assert_close(actual: Any, expected: Any, atol: float = 1e-8, rtol: float = 1e-6, what: str = "") -> None:
    """Assert two numbers or arrays agree, with a message that shows both."""
    a = np.asarray(actual.data if isinstance(actual, Node) else actual, dtype=np.float64)
    e = np.asarray(expected.data if isinstance(expected, Node) else expected, dtype=np.float64)
    if a.shape != e.shape or not np.allclose(a, e, atol=atol, rtol=rtol, equal_nan=True):
        raise AssertionError(f"{what or 'values'} differ:\n  actual   {a!r}\n  expected {e!r}")


def assert_grads_match(fn: Callable[..., Node], inputs: Sequence[Node], eps: float = 1e-6,
                       atol: float = 1e-5, rtol: float = 1e-3,
                       expected: Optional[Sequence[Any]] = None) -> None:
    """Assert ``fn``'s backward agrees with central differences (``gradcheck``), and,
    when ``expected`` gradients are given, with those too."""
    gradcheck(fn, inputs, eps=eps, atol=atol, rtol=rtol)
    if expected is not None:
        out = fn(*inputs)
        if isinstance(out, Tensor) and out.data.size != 1:
            raise ValueError("assert_grads_match: expected= needs fn to return a single number")
        got = grad(out if isinstance(out, Value) else out.sum(), list(inputs))
        for i, (g, e) in enumerate(zip(got, expected)):
            assert_close(g, e, atol=atol, rtol=rtol, what=f"gradient of input {i}")


def check_gate(gate: Any, domain: Tuple[float, float] = (-2.0, 2.0), param: Any = None,
               second_derivative: bool = False, max_examples: int = 40) -> None:
    """A property test of a user-defined gate (``gates.define_gate``), run at once:

    * its forward is finite on ``domain``, for Values and for Tensors of random
      shapes (including ``()``; two-input gates also on broadcast pairs);
    * its vjp agrees with central differences (``gradcheck``);
    * Value and Tensor agree, element by element, on the value (and, for a
      one-input gate, on the gradient);
    * with ``second_derivative`` (one-input gates), the derivative of its vjp
      (create_graph) agrees with central differences of the first derivative.

    Raises AssertionError (or ``GradcheckError``) with the failing input;
    returns None when every example passes."""
    lo, hi = domain

    def apply(*xs):
        return gate(*xs, param=param) if gate.arity == 1 else gate(*xs)

    @settings(max_examples=max_examples, deadline=None, derandomize=True)
    @given(data=st.data())
    def prop(data):
        if gate.arity == 1:
            shape = data.draw(shapes())
            arrs = [data.draw(arrays(shape, lo, hi))]
        else:
            sx, sy = data.draw(broadcastable_shapes())
            arrs = [data.draw(arrays(sx, lo, hi)), data.draw(arrays(sy, lo, hi))]
        ts = [Tensor(a, requires_grad=True) for a in arrs]
        out = apply(*ts)
        assert np.all(np.isfinite(out.data)), f"{gate.name}: forward is not finite at {arrs}"
        gradcheck(apply, [Tensor(a, requires_grad=True) for a in arrs])
        out.sum().backward()
        grads = [t.grad for t in ts]
        shape = out.shape
        for index in itertools.islice(np.ndindex(shape), 6):
            vs = [Value(float(np.broadcast_to(a, shape)[index])) for a in arrs]
            vo = apply(*vs)
            assert_close(vo.data, out.data[index], what=f"{gate.name}: Value and Tensor forward at {index}")
            if gate.arity == 1:
                vo.backward()
                assert_close(vs[0].grad, grads[0][index], what=f"{gate.name}: Value and Tensor gradient at {index}")
        if second_derivative and gate.arity == 1:     # the first derivative, itself checked by differences
            x0 = float(np.ravel(arrs[0])[0])
            gradcheck(lambda w: grad(apply(w), w, create_graph=True), [Value(x0)], eps=1e-5, atol=1e-4, rtol=1e-3)

    prop()
