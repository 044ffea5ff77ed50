"""autograd_core.testing: what users import to test their own functions."""
import numpy as np
import pytest
from hypothesis import given

from autograd_core import GradcheckError, Tensor, Value
from autograd_core.testing import assert_close, assert_grads_match, broadcastable_shapes, tensors, values


@given(tensors(shape=(3,), min_value=0.1, max_value=2.0))
def test_user_style_property_on_a_composite(t):
    assert_grads_match(lambda x: (x.log() * x).sum(), [t],
                       expected=[np.log(t.data) + 1.0])


@given(values(-2, 2), values(-2, 2))
def test_values_strategy_and_expected_gradients(a, b):
    assert_grads_match(lambda x, y: x * y + x.tanh(), [a, b],
                       expected=[b.data + 1 - np.tanh(a.data) ** 2, a.data])


@given(broadcastable_shapes())
def test_broadcastable_shapes_broadcast(shapes):
    np.broadcast_shapes(*shapes)


def test_assert_grads_match_fails_on_a_wrong_gradient():
    x = Tensor([0.5, 1.5], requires_grad=True)
    with pytest.raises(GradcheckError):
        assert_grads_match(lambda t: (t * t.detach()).sum(), [x])          # half the true gradient
    with pytest.raises(AssertionError, match="gradient of input 0 differ"):
        assert_grads_match(lambda v: v * v, [Value(3.0)], expected=[5.0])
    with pytest.raises(AssertionError, match="differ"):
        assert_close([1.0, 2.0], [1.0, 2.1])
