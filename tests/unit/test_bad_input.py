"""The bad-input contract: what users get wrong raises at the public call,
with the error type and a message saying what was expected and what came."""
from __future__ import annotations

import numpy as np
import pytest

import nn
import nn.functional as F
from autograd_core import AxisError, Tensor, Value, grad


def T(*shape):
    return Tensor(np.ones(shape))


def Tg(*shape):
    return Tensor(np.ones(shape), requires_grad=True)


CASES = [
    # shapes in binary ops and matmul
    ("add", lambda: T(2, 3) + T(4), ValueError, r"add: shapes \(2, 3\) and \(4,\) cannot be broadcast"),
    ("mul", lambda: T(2, 3) * T(2), ValueError, r"mul: shapes \(2, 3\) and \(2,\) cannot be broadcast"),
    ("maximum", lambda: T(2, 3).maximum(T(3, 2)), ValueError, "max: shapes"),
    ("matmul 1-D", lambda: T(3) @ T(4), ValueError, r"matmul: shapes \(3,\) and \(4,\) do not align: 3 != 4"),
    ("matmul 2-D", lambda: T(2, 3) @ T(4, 5), ValueError, "do not align: 3 != 4"),
    ("matmul batched", lambda: T(2, 2, 3) @ T(3, 3, 4), ValueError, r"batch shapes \(2,\) and \(3,\)"),
    ("matmul 0-d", lambda: Tensor(1.0) @ T(1), ValueError, "at least one dimension"),
    # backward and grad
    ("backward non-scalar", lambda: (Tg(2) * 2).backward(), ValueError, "only a one-element output"),
    ("backward grad shape", lambda: (Tg(2) * 2).backward(np.ones(3)), ValueError, r"grad has shape \(3,\)"),
    ("backward grad None", lambda: (Tg(2) * 2).backward([1.0, None]), TypeError, "grad must be real numbers"),
    ("backward grad complex", lambda: (Tg(2) * 2).backward(np.array([1j, 2])), TypeError, "dtype complex128"),
    ("backward no graph", lambda: T(1).sum().backward(), RuntimeError, "this tensor has no graph"),
    ("value backward grad", lambda: Value(1.0).backward("a"), TypeError, "backward: expected a number"),
    ("grad output", lambda: grad(3.0, Value(1.0)), TypeError, "grad: output must be a Value or a Tensor"),
    ("grad input", lambda: grad(Value(1.0) * 2, 3.0), TypeError, "grad: input 0 is a float"),
    ("grad mixed", lambda: grad(Value(1.0) * 2, Tg(1)), TypeError, "nodes of the same kind"),
    # data
    ("string", lambda: Tensor("abc"), TypeError, "Tensor: expected numbers, got str"),
    ("None", lambda: Tensor(None), TypeError, "got NoneType"),
    ("object array", lambda: Tensor(np.array([1, "a"], dtype=object)), TypeError, "dtype object"),
    ("complex", lambda: Tensor(np.array([1 + 2j])), TypeError, "dtype complex128"),
    ("ragged", lambda: Tensor([[1, 2], [3]]), TypeError, "could not convert list"),
    ("complex dtype", lambda: Tensor([1.0], dtype=np.complex128), TypeError, "dtype must be a float, integer or bool"),
    ("int requires grad", lambda: Tensor([1, 2], requires_grad=True), TypeError,
     "only floating-point tensors can require gradients, got int64"),
    ("bool parameter", lambda: nn.Parameter(np.array([True])), TypeError, "got bool"),
    ("value string", lambda: Value("3"), TypeError, "Value: expected a real number, got str"),
    ("value of tensor", lambda: Value(Tensor([1.0])), TypeError, r"use \.item\(\)"),
    ("value dot activation", lambda: Value.dot([Value(1.0)], [Value(2.0)], activation="gelu"), ValueError,
     "Value.dot: activation must be 'relu', 'tanh', 'sigmoid' or None, got 'gelu'"),
    ("value dot activation type", lambda: Value.dot([Value(1.0)], [Value(2.0)], activation=["relu"]), TypeError,
     "activation must be a str or None, got list"),
    ("value + tensor", lambda: Value(1.0) + Tensor([1.0]), TypeError, "cannot combine a Value with a Tensor"),
    ("tensor + value", lambda: Tensor([1.0]) + Value(1.0), TypeError, "cannot combine a Tensor with a Value"),
    ("tensor + string", lambda: T(2) + "a", TypeError, "expected a Tensor, an array or a number"),
    ("value < string", lambda: Value(1.0) < "a", TypeError, "'<' not supported between instances of 'Value' and 'str'"),
    ("value < tensor", lambda: Value(1.0) < Tensor([1.0]), TypeError, "cannot combine a Value with a Tensor"),
    ("tensor >= string", lambda: T(2) >= "a", TypeError, "'>=' not supported between instances of 'Tensor' and 'str'"),
    # axes
    ("sum axis", lambda: T(2, 3).sum(axis=2), AxisError, r"sum: axis 2 is out of range .* \(expected -2..1\)"),
    ("mean axis type", lambda: T(2, 3).mean(axis=1.5), TypeError, "an axis must be an int"),
    ("max axis", lambda: T(2, 3).max(axis=-3), AxisError, "max: axis -3 is out of range"),
    ("softmax axis", lambda: T(2, 3).softmax(axis=5), AxisError, "softmax: axis 5"),
    ("log_softmax 0-d", lambda: Tensor(1.0).log_softmax(), ValueError, "needs at least one dimension"),
    ("transpose axis", lambda: T(2, 3).transpose(1, 2), IndexError,
     r"transpose: axis 2 is out of range for a tensor of shape \(2, 3\)"),
    ("swapaxes axis", lambda: T(2, 3).swapaxes(0, 4), IndexError, "axis 4 is out of range"),
    ("duplicate axes", lambda: T(2, 3).mean(axis=(0, -2)), ValueError, "names an axis twice"),
    ("permute", lambda: T(2, 3).permute(0, 0), ValueError, "not a permutation"),
    # shapes
    ("reshape", lambda: T(2, 3).reshape(4, 2), ValueError, r"reshape: cannot reshape shape \(2, 3\) into \(4, 2\)"),
    ("broadcast_to", lambda: T(2, 3).broadcast_to((3, 3)), ValueError, r"cannot be broadcast to \(3, 3\)"),
    ("broadcast_to smaller", lambda: T(3).broadcast_to((1,)), ValueError, "cannot be broadcast"),
    ("item", lambda: T(3).item(), ValueError, "the tensor has 3 elements"),
    ("index", lambda: T(3)[5], IndexError, r"index 5 is out of bounds .*tensor shape \(3,\)"),
    ("index float array", lambda: T(3)[np.array([0.5])], IndexError, "must hold integers or booleans"),
    ("stack shapes", lambda: __import__("autograd_core").stack([T(2), T(3)]), ValueError, "same shape"),
    # losses
    ("labels range", lambda: F.cross_entropy(T(2, 3), np.array([0, 3])), ValueError, r"labels must lie in \[0, 2\]"),
    ("ce label negative", lambda: F.cross_entropy(T(2, 3), np.array([0, -1])), ValueError,
     r"cross_entropy: labels must lie in \[0, 2\], got -1..0"),
    ("labels negative", lambda: F.nll_loss(T(2, 3), np.array([-1, 0])), ValueError, "labels must lie in"),
    ("labels dtype", lambda: F.cross_entropy(T(2, 3), np.array([0.5, 1.0])), ValueError, "integer class labels"),
    ("labels length", lambda: F.cross_entropy(T(2, 3), np.array([0, 1, 2])), ValueError, "shape \\(3,\\)"),
    ("logits type", lambda: F.cross_entropy(np.ones((2, 3)), np.array([0, 1])), TypeError, "logits must be a Tensor"),
    ("mse shapes", lambda: F.mse_loss(T(3), np.ones(4)), ValueError, r"prediction has shape \(3,\), target \(4,\)"),
    ("bce shapes", lambda: F.binary_cross_entropy_with_logits(T(3), np.ones(2)), ValueError,
     r"prediction has shape \(3,\), target \(2,\)"),
    # layers
    ("linear features", lambda: nn.Linear(3, 2)(T(4, 5)), ValueError, "the last axis must be 3"),
    ("linear ndarray", lambda: nn.Linear(3, 2)(np.ones((4, 3))), TypeError, r"wrap arrays in Tensor"),
    ("conv channels", lambda: nn.Conv2d(3, 2, 3)(T(1, 2, 5, 5)), ValueError, "input has 2 channels, weight expects 3"),
    ("conv rank", lambda: nn.Conv2d(3, 2, 3)(T(3, 5, 5)), ValueError, r"input must be \(N, C, H, W\)"),
    ("rnn cell", lambda: nn.RNNCell(3, 4)(T(2, 5)), ValueError, r"RNNCell: input must be \(batch, 3\)"),
    ("linear size", lambda: nn.Linear(3.5, 4), ValueError, "in_features must be a positive integer, got 3.5"),
]


@pytest.mark.parametrize("call,error,message", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_input_raises_a_clear_error(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_empty_tensors_work_as_numpy():
    x = Tensor(np.zeros((0, 3)), requires_grad=True)
    (x * 2.0).sum().backward()
    assert x.grad.shape == (0, 3)
    with pytest.raises(ValueError, match="max: the tensor is empty"):
        x.max()
