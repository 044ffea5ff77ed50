"""Tensor: construction, vector backprop formulas, shapes, stability, errors."""
import numpy as np
import pytest

from autograd_core import Tensor, Value, detect_anomaly, grad, gradcheck, no_grad

rng = np.random.default_rng(0)


def randn(*shape):
    return Tensor(rng.standard_normal(shape), requires_grad=True)


def test_construction_and_dtypes():
    assert Tensor([1.0, 2]).dtype == np.float64 and Tensor([1, 2]).dtype == np.int64   # as PyTorch
    assert Tensor([True, False]).dtype == np.bool_
    assert Tensor(3).shape == () and Tensor(3).item() == 3.0
    assert Tensor(np.ones(3, dtype=np.float32)).dtype == np.float32
    assert Tensor(np.arange(3, dtype=np.int32)).dtype == np.int32         # labels stay integers
    assert Tensor([1.0], dtype="float32").dtype == np.float32
    a = np.ones(2)
    t = Tensor(a)
    a[0] = 5
    assert t.data[0] == 1.0                               # the Tensor owns a copy
    with pytest.raises(TypeError, match="expected numbers"):
        Tensor(["a", "b"])
    with pytest.raises(TypeError, match="got a Value"):
        Tensor(Value(1.0))
    with pytest.raises(TypeError, match="only floating-point tensors can require gradients"):
        Tensor([1], dtype=int, requires_grad=True)


def test_float32_stays_float32_through_ops_and_grads():
    x = Tensor(np.ones((2, 3), dtype=np.float32), requires_grad=True)
    w = Tensor(np.ones((3, 4), dtype=np.float32), requires_grad=True)
    out = ((x @ w) * 2.0 + 1).tanh().log_softmax().sum()
    assert out.dtype == np.float32
    out.backward()
    assert x.grad.dtype == np.float32 and w.grad.dtype == np.float32


def test_lecture_relu_vector_backprop():
    # seed 002: x = [1, -2, 3, -1], upstream [4, -1, 5, 9] -> dL/dx = [4, 0, 5, 0]
    x = Tensor([1.0, -2.0, 3.0, -1.0], requires_grad=True)
    y = x.relu()
    assert y.data.tolist() == [1.0, 0.0, 3.0, 0.0]
    y.backward(np.array([4.0, -1.0, 5.0, 9.0]))
    assert x.grad.tolist() == [4.0, 0.0, 5.0, 0.0]


def test_matmul_gradients_are_the_lecture_formulas():
    # seed 002: dL/dx = (dL/dy) w^T, dL/dw = x^T (dL/dy)
    x, w = randn(5, 3), randn(3, 4)
    g = rng.standard_normal((5, 4))
    (x @ w).backward(g)
    np.testing.assert_allclose(x.grad, g @ w.data.T)
    np.testing.assert_allclose(w.grad, x.data.T @ g)


@pytest.mark.parametrize("sx,sy", [((3,), (3,)), ((3,), (3, 4)), ((2, 3), (3,)), ((2, 3), (3, 4)),
                                   ((5, 2, 3), (3, 4)), ((3,), (5, 3, 4)), ((1, 2, 3), (4, 3, 2))])
def test_matmul_shapes_match_numpy_and_gradcheck(sx, sy):
    x, y = randn(*sx), randn(*sy)
    out = x @ y
    np.testing.assert_allclose(out.data, np.matmul(x.data, y.data))
    assert gradcheck(lambda a, b: a @ b, [x, y])


def test_broadcast_gradient_reduces_to_input_shapes():
    x = Tensor(np.ones((2, 3)), requires_grad=True)
    b = Tensor(np.ones((3,)), requires_grad=True)
    c = Tensor(np.ones((2, 1)), requires_grad=True)
    s = Tensor(2.0, requires_grad=True)
    (x * b + c * s).sum().backward()
    assert b.grad.tolist() == [2.0, 2.0, 2.0]
    assert c.grad.tolist() == [[6.0], [6.0]]
    assert s.grad.shape == () and s.grad == 6.0


@pytest.mark.parametrize("axis,keepdims", [(None, False), (0, False), (1, True), ((0, 2), False), (-1, False)])
def test_reductions_gradcheck(axis, keepdims):
    x = randn(2, 3, 4)
    for name in ("sum", "mean", "max"):
        out = getattr(x, name)(axis=axis, keepdims=keepdims)
        np.testing.assert_allclose(out.data, getattr(np, name)(x.data, axis=axis, keepdims=keepdims))
        assert gradcheck(lambda t: getattr(t, name)(axis=axis, keepdims=keepdims), [x])


def test_max_routes_to_argmax_and_ties_share():
    x = Tensor([[1.0, 5.0, 2.0], [3.0, 3.0, 0.0]], requires_grad=True)
    x.max(axis=1).sum().backward()
    assert x.grad.tolist() == [[0.0, 1.0, 0.0], [0.5, 0.5, 0.0]]


def test_getitem_scatters_and_repeated_indices_add():
    x = Tensor(np.arange(5.0), requires_grad=True)
    x[[0, 2, 2, 4]].sum().backward()
    assert x.grad.tolist() == [1.0, 0.0, 2.0, 0.0, 1.0]
    y = randn(3, 4)
    assert gradcheck(lambda t: t[1:, ::2] * t[np.array([0, 0, 2]), np.array([1, 1, 3])].sum(), [y])
    assert gradcheck(lambda t: t[t.data > 0], [y])
    assert gradcheck(lambda t: t[..., 1], [y])


def test_shape_ops_gradcheck():
    x = randn(2, 3, 4)
    assert gradcheck(lambda t: t.reshape(4, -1) @ Tensor(np.ones((6, 2))), [x])
    assert gradcheck(lambda t: t.transpose(2, 0, 1) * Tensor(np.arange(24.0).reshape(4, 2, 3)), [x])
    assert gradcheck(lambda t: t.T.sum(axis=0) ** 2, [x])
    assert gradcheck(lambda t: t.swapaxes(0, 2), [x])
    assert gradcheck(lambda t: t[0, 0].broadcast_to((5, 4)) * Tensor(np.arange(20.0).reshape(5, 4)), [x])


@pytest.mark.parametrize("axis", [-1, 0])
def test_softmax_family_matches_definitions_and_gradcheck(axis):
    x = randn(3, 5)
    e = np.exp(x.data)
    ref_sm = e / e.sum(axis=axis, keepdims=True)
    np.testing.assert_allclose(x.softmax(axis).data, ref_sm)
    np.testing.assert_allclose(x.log_softmax(axis).data, np.log(ref_sm))
    np.testing.assert_allclose(x.logsumexp(axis).data, np.log(e.sum(axis=axis)))
    for name in ("softmax", "log_softmax", "logsumexp"):
        assert gradcheck(lambda t: getattr(t, name)(axis), [x])


def test_softmax_family_is_stable_at_1000():
    z = Tensor([[1000.0, 0.0, -1000.0], [-1000.0, -1000.0, -1000.0]], requires_grad=True)
    with np.errstate(over="raise", divide="raise", invalid="raise"):   # no overflow, no nan
        sm = z.softmax()
        ls = z.log_softmax()
        lse = z.logsumexp()
        (ls[0, 0] + lse.sum() + sm[1, 1]).backward()
    np.testing.assert_allclose(sm.data[0], [1.0, 0.0, 0.0])
    np.testing.assert_allclose(sm.data[1], [1 / 3] * 3)
    np.testing.assert_allclose(ls.data[0], [0.0, -1000.0, -2000.0])
    np.testing.assert_allclose(lse.data, [1000.0, -1000.0 + np.log(3)])
    assert np.all(np.isfinite(z.grad))


def test_softmax_gradient_is_the_jacobian_times_upstream():
    # seed 004: dp_i/da_j = p_i (δ_ij - p_j); the gate applies it without building it
    a = randn(4)
    g = rng.standard_normal(4)
    a.softmax().backward(g)
    p = np.exp(a.data) / np.exp(a.data).sum()
    jacobian = np.diag(p) - np.outer(p, p)
    np.testing.assert_allclose(a.grad, jacobian.T @ g)


def test_backward_needs_grad_for_non_scalar_outputs():
    x = randn(3)
    with pytest.raises(ValueError, match=r"output has shape \(3,\), so pass grad="):
        (x * 2).backward()
    with pytest.raises(ValueError, match=r"grad has shape \(2,\), the output has shape \(3,\)"):
        (x * 2).backward(np.ones(2))


def test_leaf_accumulates_interior_overwritten_and_grads_own_their_memory():
    a = Tensor([1.0, 2.0], requires_grad=True)
    b = Tensor([3.0, 4.0], requires_grad=True)
    c = (a + b).retain_grad()
    sq = c * c
    loss = sq.sum()
    loss.backward()
    assert sq.grad is None and loss.grad is None         # interior, not retained (PyTorch's rule)
    assert a.grad is not b.grad                          # the add gate's g is shared; grads are not
    assert a.grad.tolist() == [8.0, 12.0] and c.grad.tolist() == [8.0, 12.0]
    loss.backward()
    assert a.grad.tolist() == [16.0, 24.0] and c.grad.tolist() == [8.0, 12.0]
    a.grad[0] = 0.0
    assert b.grad[0] == 16.0


def test_a_grad_passed_to_backward_is_never_a_leafs_grad():
    # x + 1 and a leaf root hand the upstream gradient on as it is: the leaf
    # must copy it, or accumulating into x.grad would write into the caller's array
    x = Tensor([1.0, 2.0, 3.0], requires_grad=True)
    up = np.ones(3)
    (x + 1.0).backward(up)
    (x + 1.0).backward(np.full(3, 2.0))
    assert up.tolist() == [1.0, 1.0, 1.0] and x.grad.tolist() == [3.0, 3.0, 3.0]
    leaf = Tensor([5.0, 6.0], requires_grad=True)
    seed = np.array([1.0, 1.0])
    leaf.backward(seed)
    leaf.backward(seed)
    assert seed.tolist() == [1.0, 1.0] and leaf.grad.tolist() == [2.0, 2.0]
    assert grad(leaf + 1.0, leaf, grad_output=seed) is not seed    # grad() hands back its own array too
    z = Tensor([1.0, 2.0], requires_grad=True)
    with detect_anomaly():                          # the generic pass, the same rule
        (z + 1.0).backward(seed)
        (z + 1.0).backward(seed)
    assert seed.tolist() == [1.0, 1.0] and z.grad.tolist() == [2.0, 2.0]


def test_requires_grad_and_no_grad():
    x = Tensor([1.0, 2.0])
    w = Tensor([3.0, 4.0], requires_grad=True)
    y = x * 2
    assert not y.requires_grad and y.is_leaf
    z = x * w
    assert z.requires_grad and z.parents == (x, w)
    with no_grad():
        q = w * 2
    assert not q.requires_grad and q.is_leaf
    z.sum().backward()
    assert x.grad is None and w.grad.tolist() == [1.0, 2.0]


def test_hessian_vector_product():
    # f(x) = Σ x_i^3 + (Σ x)^2: H = diag(6x) + 2 * ones
    x = Tensor([1.0, -2.0, 0.5], requires_grad=True)
    v = np.array([0.3, 1.0, -2.0])
    f = (x ** 3).sum() + x.sum() ** 2
    g = grad(f, x, create_graph=True)
    np.testing.assert_allclose(g.data, 3 * x.data ** 2 + 2 * x.data.sum())
    hv = grad((g * v).sum(), x, create_graph=True)
    H = np.diag(6 * x.data) + 2
    np.testing.assert_allclose(hv.data, H @ v)
    third = grad(hv.sum(), x)                             # d/dx Σ (Hv) = 6 v
    np.testing.assert_allclose(third, 6 * v)


def test_second_order_through_matmul_softmax_and_reductions():
    x, w = randn(2, 3), randn(3, 4)

    def first(x_, w_):
        f = (x_ @ w_).tanh().log_softmax().max(axis=1).sum() + (x_ @ w_).softmax()[0, 1] + (x_ @ w_).logsumexp().mean()
        return grad(f, w_, create_graph=True)

    def first_sum(x_, w_):
        return (first(x_, w_) * Tensor(np.arange(12.0).reshape(3, 4))).sum()

    assert gradcheck(first_sum, [x, w], atol=1e-4)


def test_elementwise_tensor_agrees_with_values_on_a_small_network():
    rng2 = np.random.default_rng(3)
    X, W, b = rng2.standard_normal((2, 3)), rng2.standard_normal((3, 2)), rng2.standard_normal(2)
    tW, tb = Tensor(W, requires_grad=True), Tensor(b, requires_grad=True)
    (Tensor(X) @ tW + tb).tanh().sum().backward()
    vW = [[Value(w) for w in row] for row in W]
    vb = [Value(v) for v in b]
    total = Value(0.0)
    for i in range(2):
        for j in range(2):
            total = total + (Value.sum([X[i, k] * vW[k][j] for k in range(3)]) + vb[j]).tanh()
    total.backward()
    np.testing.assert_allclose(tW.grad, [[v.grad for v in row] for row in vW])
    np.testing.assert_allclose(tb.grad, [v.grad for v in vb])


def test_stack_and_concatenate_values_gradients_and_errors():
    from autograd_core import concatenate, stack
    a, b = randn(2, 3), randn(2, 3)
    np.testing.assert_array_equal(stack([a, b], axis=1).data, np.stack([a.data, b.data], axis=1))
    np.testing.assert_array_equal(concatenate([a, b, a], axis=-1).data, np.concatenate([a.data, b.data, a.data], -1))
    assert gradcheck(lambda x, y: stack([x, y, x], axis=2) * Tensor(np.arange(18.0).reshape(2, 3, 3)), [a, b])
    assert gradcheck(lambda x, y: concatenate([x, y, x], axis=0) ** 2, [a, b])
    with pytest.raises(ValueError, match="same shape"):
        stack([a, randn(3, 2)])
    with pytest.raises(ValueError, match="differ off axis 0"):
        concatenate([a, randn(2, 4)], axis=0)


def test_comparisons_are_bool_tensors_without_a_graph():
    x = Tensor([1.0, 2.0, 3.0], requires_grad=True)
    mask = x > 1.5
    assert mask.dtype == bool and mask.data.tolist() == [False, True, True]
    assert not mask.requires_grad and mask.is_leaf
    assert (x <= Tensor([1.0, 1.0, 4.0])).data.tolist() == [True, False, True]
    assert (x >= np.array([2.0, 2.0, 2.0])).data.tolist() == [False, True, True]
