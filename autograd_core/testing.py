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

from typing import Any, Callable, Optional, Sequence, Tuple

import numpy as np

try:
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
           "assert_grads_match", "assert_close"]


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
