"""Reusing temporaries' buffers (autograd_core/buffers.py): the results and
gradients are those of the out-of-place computation, and no buffer that
anything can still see is ever overwritten."""
from __future__ import annotations

import numpy as np
import pytest

import autograd_core as ac
from autograd_core import Tensor, draw_graph
from autograd_core.buffers import REUSE, is_released

pytestmark = pytest.mark.skipif(not REUSE, reason="this interpreter cannot tell temporaries apart")


def _layer(seed=0):
    rng = np.random.default_rng(seed)
    x = Tensor(rng.standard_normal((5, 3)))
    W = Tensor(rng.standard_normal((3, 4)), requires_grad=True)
    b = Tensor(rng.standard_normal(4), requires_grad=True)
    return x, W, b


def test_a_layer_keeps_one_buffer_and_the_same_numbers():
    x, W, b = _layer()
    h = (x @ W + b).relu()                      # temporaries: reused
    add = h._a
    matmul = add._a
    assert is_released(add.data) and is_released(matmul.data) and not is_released(h.data)
    assert add.data.shape == (5, 4) and not add.data.flags.writeable and add.data.strides == (0, 0)
    expected = np.maximum(x.data @ W.data + b.data, 0)
    np.testing.assert_array_equal(h.data, expected)
    (h * h).sum().backward()
    gW, gb = W.grad.copy(), b.grad.copy()

    W.grad = b.grad = None
    z = x @ W                                    # named: nothing is reused
    s = z + b
    h2 = s.relu()
    assert not is_released(z.data) and not is_released(s.data)
    np.testing.assert_array_equal(z.data, x.data @ W.data)
    (h2 * h2).sum().backward()
    np.testing.assert_allclose(W.grad, gW, rtol=1e-15)
    np.testing.assert_allclose(b.grad, gb, rtol=1e-15)
    np.testing.assert_allclose(b.grad, (2 * expected * (expected > 0)).sum(0))


def test_outputs_that_backward_reads_are_never_overwritten():
    x, W, b = _layer(1)
    e = (x @ W).exp()
    y = (x @ W).exp() + b                        # exp's vjp reads its output: kept
    assert not is_released(y._a.data)
    np.testing.assert_allclose(y._a.data, e.data)
    y.sum().backward()
    np.testing.assert_allclose(W.grad, x.data.T @ e.data)


def test_shared_arrays_and_growing_broadcasts_are_left_alone():
    x, W, b = _layer(2)
    t = x @ W
    u = t.detach() + 1.0                         # detach shares t's array: not reusable
    np.testing.assert_array_equal(u.data, t.data + 1.0)
    assert not is_released(t.data)
    row = Tensor(np.ones((1, 4)), requires_grad=True)
    grown = (row * 2.0) + Tensor(np.ones((3, 4)))   # the temporary is too small for the result
    assert grown.shape == (3, 4) and not is_released(grown._a.data)
    np.testing.assert_array_equal(grown.data, np.full((3, 4), 3.0))
    mixed = (x @ W) + Tensor(np.ones(4, dtype=np.float32))    # float64 + float32: no reuse
    assert mixed.dtype == np.float64 and not is_released(mixed._a.data)


def test_in_place_relu_backward_never_touches_a_shared_gradient():
    x = Tensor(np.array([[1.0, -2.0], [-3.0, 4.0]]), requires_grad=True)
    z = x * 1.0
    loss = ((z.relu() + z) * Tensor([[1.0, 2.0], [3.0, 4.0]])).sum()   # the add gives both the same g
    loss.backward()
    np.testing.assert_array_equal(x.grad, [[2.0, 2.0], [3.0, 8.0]])


def test_drawing_says_which_buffers_were_reused():
    x, W, b = _layer(3)
    h = (x @ W + b).relu()
    src = draw_graph(h).source
    assert src.count("data released (buffer reused)") == 2


def test_tensor_always_copies_and_from_numpy_shares():
    X = np.arange(12.0).reshape(4, 3)
    arrays = [np.zeros(3)]
    t = Tensor(*arrays)                          # the only reference lives in a list: still copied
    assert t.data is not arrays[0]
    t.data += 1.0
    assert arrays[0].tolist() == [0.0, 0.0, 0.0]
    u = Tensor(X[[0, 2]])                        # a temporary: copied too, as torch.tensor
    u.data[0, 0] = 99.0
    assert X[0, 0] == 0.0
    s = ac.from_numpy(X)                         # shares memory, as torch.from_numpy
    s.data[0, 0] = 5.0
    assert X[0, 0] == 5.0 and s.dtype == X.dtype and not s.requires_grad
    assert ac.from_numpy(np.arange(3, dtype=np.int32)).dtype == np.int32
    with pytest.raises(TypeError, match="from_numpy"):
        ac.from_numpy([1.0, 2.0])
    with pytest.raises(TypeError, match="from_numpy"):
        ac.from_numpy(np.array(["a"]))


def test_creation_functions_and_loader_batches_hand_over_their_fresh_arrays(monkeypatch):
    import autograd_core._tensor as T
    from nn.data import DataLoader
    copies = []
    real = T._array
    monkeypatch.setattr(T, "_array", lambda data, dtype: copies.append(1) or real(data, dtype))
    z = ac.zeros(2, 3, requires_grad=True)
    r = ac.randn(4, dtype=np.float32)
    xb, yb = next(iter(DataLoader(np.arange(12.0).reshape(4, 3), np.arange(4), batch_size=2)))
    assert copies == [] and z.shape == (2, 3) and z.requires_grad and r.dtype == np.float32
    assert xb.data.tolist() == [[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]] and yb.dtype == np.int64
    with pytest.raises(TypeError, match="float, integer or bool|numbers"):
        ac.zeros(2, dtype=np.complex128)


def test_a_buffer_made_read_only_by_hand_is_not_written():
    x, W, b = _layer(4)

    def frozen_product():
        t = x @ W
        t.data.flags.writeable = False              # a user froze it
        return t

    y = frozen_product() + b                        # a temporary, but its array refuses writes
    assert not is_released(y._a.data)
    np.testing.assert_array_equal(y._a.data, x.data @ W.data)
    np.testing.assert_array_equal(y.data, x.data @ W.data + b.data)
    r = frozen_product().relu()
    np.testing.assert_array_equal(r.data, np.maximum(x.data @ W.data, 0))
    s = frozen_product() * 2.0
    np.testing.assert_array_equal(s.data, 2.0 * (x.data @ W.data))


def test_a_float_dtype_without_a_placeholder_is_computed_out_of_place():
    if not hasattr(np, "longdouble") or np.dtype(np.longdouble) == np.float64:
        pytest.skip("long double is float64 here")
    x = Tensor(np.array([[1.0, -2.0], [3.0, 0.5]], dtype=np.longdouble))
    W = Tensor(np.array([[1.0, 2.0, -1.0], [0.5, -1.0, 1.0]], dtype=np.longdouble), requires_grad=True)
    b = Tensor(np.array([0.5, -9.0, 1.0], dtype=np.longdouble), requires_grad=True)
    h = (x @ W + b).relu()                          # long double: released() has no NaN of it
    assert h.dtype == np.longdouble and not is_released(h._a.data)
    np.testing.assert_array_equal(h.data, [[0.5, 0.0, 0.0], [3.75, 0.0, 0.0]])
    h.sum().backward()
    np.testing.assert_array_equal(W.grad, [[4.0, 0.0, 0.0], [-1.5, 0.0, 0.0]])
    np.testing.assert_array_equal(b.grad, [2.0, 0.0, 0.0])
