"""gradcheck: passes on correct gradients, names the culprit on wrong ones."""
import numpy as np
import pytest

from autograd_core import GradcheckError, Tensor, Value, gradcheck, numerical_grad


def test_numerical_grad_matches_known_derivatives():
    x = Value(0.7)
    assert numerical_grad(lambda v: v * v * v, [x])[0] == pytest.approx(3 * 0.49, rel=1e-8)
    t = Tensor([1.0, 2.0], requires_grad=True)
    np.testing.assert_allclose(numerical_grad(lambda a: (a * a).sum(), [t])[0], [2.0, 4.0], rtol=1e-8)


def test_gradcheck_raises_naming_input_index_and_worst_mismatch():
    a = Tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True, label="a")
    b = Tensor([0.5, -1.0], requires_grad=True)

    def wrong(x, y):
        # y enters once through the graph and once as a detached constant:
        # backward sees only half of y's effect
        return (x * y + x * y.detach()).sum()

    assert gradcheck(lambda x, y: (x * y).sum(), [a, b])
    with pytest.raises(GradcheckError, match=r"input 1 of shape \(2,\).*worst at index \(1,\): backward gives") as err:
        gradcheck(wrong, [a, b])
    assert "np.float64" not in str(err.value)                  # plain numbers, not numpy reprs


def test_gradcheck_on_values_and_non_scalar_outputs():
    assert gradcheck(lambda x, y: (x * y).tanh() + x.exp(), [Value(0.3), Value(-1.2)])
    x = Tensor(np.linspace(-1, 1, 6).reshape(2, 3), requires_grad=True)
    assert gradcheck(lambda t: t.sigmoid() * 3.0, [x])       # checked through a random projection


def test_gradcheck_refuses_float32_and_non_nodes():
    with pytest.raises(ValueError, match="float64"):
        gradcheck(lambda t: t.sum(), [Tensor(np.ones(2, dtype=np.float32), requires_grad=True)])
    with pytest.raises(TypeError, match="expected a Value or a Tensor"):
        gradcheck(lambda t: t, [1.0])
