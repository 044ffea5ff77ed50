"""The Tensor API a PyTorch user reaches for: creation, dtypes, conversions,
in-place updates, comparisons, reductions with dim/keepdim, shapes,
backward(create_graph=True) and autograd_core.functional."""
from __future__ import annotations

import numpy as np
import pytest

import autograd_core as ac
from autograd_core import Tensor, Value, functional as AF, gradcheck, no_grad


def test_creation_functions_and_their_dtypes():
    assert ac.tensor([1, 2]).dtype == np.int64 and ac.tensor([1.0]).dtype == np.float64
    assert ac.tensor([1, 2], dtype=np.float32, requires_grad=True).requires_grad
    assert ac.zeros(2, 3).shape == (2, 3) and ac.zeros((2, 3)).tolist() == [[0.0] * 3] * 2
    assert ac.ones(2, dtype=np.float32).dtype == np.float32
    assert ac.full((2,), 7).tolist() == [7, 7] and ac.full((1,), 0.5).dtype == np.float64
    assert ac.empty(0, 4).shape == (0, 4)
    x = ac.randn(3, 2)
    assert ac.zeros_like(x).shape == (3, 2) and ac.ones_like(x).tolist() == [[1.0, 1.0]] * 3
    assert ac.full_like(x, 2.5).tolist() == [[2.5, 2.5]] * 3
    assert ac.arange(4).tolist() == [0, 1, 2, 3] and ac.arange(4).dtype == np.int64
    assert ac.arange(0, 1, 0.25).tolist() == [0.0, 0.25, 0.5, 0.75]
    assert ac.linspace(0, 1, 5).tolist() == [0.0, 0.25, 0.5, 0.75, 1.0]
    assert ac.eye(2, 3).tolist() == [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]
    ac.manual_seed(1)
    a = (ac.rand(2).tolist(), ac.randn(2).tolist(), ac.randint(0, 10, (3,)).tolist())
    ac.manual_seed(1)
    assert a == (ac.rand(2).tolist(), ac.randn(2).tolist(), ac.randint(0, 10, (3,)).tolist())
    assert all(0 <= v < 10 for v in a[2]) and ac.randint(5, size=(4,)).dtype == np.int64
    with pytest.raises(ValueError, match="non-negative integers"):
        ac.zeros(2, -1)
    with pytest.raises(TypeError, match="only floating-point tensors can require gradients"):
        ac.arange(3, requires_grad=True)


def test_conversions_keep_the_graph_between_float_types():
    x = Tensor([1.5, -2.0], requires_grad=True)
    y = x.float()
    assert y.dtype == np.float32 and y.requires_grad
    (y * y).sum().backward()
    assert x.grad.dtype == np.float64 and x.grad.tolist() == [3.0, -4.0]
    assert x.long().tolist() == [1, -2] and not x.long().requires_grad
    assert x.bool().dtype == np.bool_ and x.int().dtype == np.int32 and x.double() is x
    assert x.to("cpu") is x and x.to(np.float32, "cpu").dtype == np.float32 and x.type() == "float64"
    with pytest.raises(ValueError, match="CPU only"):
        x.to("cuda")
    assert x.size() == (2,) and x.size(0) == 2 and x.numel() == 2 and x.dim() == 1
    c = x.clone()
    assert c is not x and c.requires_grad and c.tolist() == x.tolist()
    s = Tensor([2.5])
    assert float(s) == 2.5 and int(s) == 2 and f"{s:.2f}" == "2.50" and s.item() == 2.5
    assert Tensor([3]).item() == 3 and isinstance(Tensor([3]).item(), int)
    with pytest.raises(ValueError, match="only a one-element tensor"):
        float(x)
    leaf = Tensor([1.0]).requires_grad_()
    assert leaf.requires_grad


def test_in_place_updates_under_no_grad_and_errors_while_recording():
    w = Tensor([1.0, 2.0], requires_grad=True)
    (w * w).sum().backward()
    same = w
    with no_grad():
        w -= 0.5 * w.grad                              # the PyTorch update: the same object, changed
        w.add_(Tensor([1.0, 1.0]), alpha=0.5)
        w.mul_(2.0)
    assert w is same and w.requires_grad and w.tolist() == [1.0, 1.0]
    with pytest.raises(RuntimeError, match="cannot change a leaf that requires grad in place"):
        w += 1.0
    h = w * 2.0
    with pytest.raises(RuntimeError, match="a node of a recorded graph"):
        h.mul_(3.0)
    t = Tensor([1.0, 2.0])
    t.zero_()
    assert t.tolist() == [0.0, 0.0]
    t.fill_(3).copy_(Tensor([4.0, 5.0]))
    assert t.tolist() == [4.0, 5.0]
    with pytest.raises(ValueError, match="cannot be written into shape"):
        t += np.ones(3)
    v = Value(2.0)
    with no_grad():
        v -= 0.5
    assert v.data == 1.5
    xs = [Value(2.0), Value(3.0)]
    total = 0.0
    for x in xs:                                       # the accumulation idiom on Values:
        total += x * x                                 # a new node each time, as for a float
    total.backward()
    assert total.data == 13.0 and [x.grad for x in xs] == [4.0, 6.0]
    with pytest.raises(RuntimeError, match="a node of a recorded graph"):
        h += 1.0                                       # a Tensor of the graph: still refused


def test_equality_is_elementwise_and_nodes_stay_hashable():
    a, b = Tensor([1.0, 2.0]), Tensor([1.0, 3.0])
    assert (a == b).tolist() == [True, False] and (a != b).tolist() == [False, True]
    assert (a == 2.0).dtype == np.bool_ and (a == None) is False                    # noqa: E711
    assert len({a, b, a}) == 2 and {a: 1}[a] == 1
    assert Value(2.0) == Value(2.0) and Value(2.0) != Value(3.0) and Value(1.0) == 1.0
    assert len({Value(1.0), Value(1.0)}) == 2                                         # by identity


@pytest.mark.parametrize("name", ["sum", "mean", "max", "min", "prod", "var", "std", "logsumexp"])
@pytest.mark.parametrize("dim,keepdim", [(None, False), (1, False), (1, True), ((0, 2), False), (-1, True)])
def test_reductions_match_numpy_and_their_gradients_central_differences(name, dim, keepdim):
    rng = np.random.default_rng(0)
    data = rng.uniform(0.5, 2.0, (2, 3, 4))
    if name == "prod" and isinstance(dim, tuple):
        pytest.skip("prod takes one axis or all")
    if name == "logsumexp" and dim is None:
        dim = (0, 1, 2)
    def reduce(t):
        if name in ("max", "min") and isinstance(dim, tuple):      # several axes: numpy's spelling
            return getattr(t, name)(axis=dim, keepdims=keepdim)
        out = getattr(t, name)(dim=dim, keepdim=keepdim) if dim is not None else getattr(t, name)()
        return out.values if isinstance(out, tuple) else out        # max/min(dim=): (values, indices)

    out = reduce(Tensor(data, requires_grad=True))
    ref = {"sum": np.sum, "mean": np.mean, "max": np.max, "min": np.min, "prod": np.prod,
           "var": lambda a, axis, keepdims: np.var(a, axis=axis, keepdims=keepdims, ddof=1),
           "std": lambda a, axis, keepdims: np.std(a, axis=axis, keepdims=keepdims, ddof=1),
           "logsumexp": lambda a, axis, keepdims: np.log(np.exp(a).sum(axis=axis, keepdims=keepdims))}[name]
    np.testing.assert_allclose(out.data, ref(data, axis=dim, keepdims=keepdim), rtol=1e-12)
    assert gradcheck(reduce, [Tensor(data, requires_grad=True)])


def test_max_with_dim_returns_values_and_indices_and_arg_reductions():
    x = Tensor([[1.0, 5.0, 2.0], [7.0, 0.0, 7.0]], requires_grad=True)
    values, indices = x.max(dim=1)
    assert values.tolist() == [5.0, 7.0] and indices.tolist() == [1, 0] and indices.dtype == np.int64
    assert x.max(axis=1).tolist() == [5.0, 7.0]                     # numpy spelling: values only
    assert x.argmin().item() == 4 and x.argmax(dim=0, keepdim=True).tolist() == [[1, 0, 1]]
    values.sum().backward()
    assert x.grad.tolist() == [[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]]      # to the returned index, as PyTorch
    assert x.max(Tensor([[2.0, 2.0, 2.0], [2.0, 2.0, 2.0]])).tolist() == [[2.0, 5.0, 2.0], [7.0, 2.0, 7.0]]


def test_prod_gradient_is_exact_with_zeros_and_cumsum_norm():
    x = Tensor([2.0, 0.0, 3.0, 0.5], requires_grad=True)
    x.prod().backward()
    assert x.grad.tolist() == [0.0, 3.0, 0.0, 0.0]                   # Π of the others
    y = Tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    y.cumsum(dim=1).sum().backward()
    assert y.grad.tolist() == [[2.0, 1.0], [2.0, 1.0]]
    assert Tensor([3.0, 4.0]).norm().item() == 5.0 and Tensor([3.0, -4.0]).norm(p=1).item() == 7.0
    assert gradcheck(lambda t: t.cumsum(0) * Tensor([1.0, -2.0, 0.5]), [Tensor([1.0, 2.0, 3.0], requires_grad=True)])


def test_shape_functions():
    x = Tensor(np.arange(24.0).reshape(2, 3, 4), requires_grad=True)
    assert x.flatten().shape == (24,) and x.flatten(1).shape == (2, 12) and x.flatten(0, 1).shape == (6, 4)
    assert x.unsqueeze(0).shape == (1, 2, 3, 4) and x.unsqueeze(-1).shape == (2, 3, 4, 1)
    assert x[:, :1].squeeze().shape == (2, 4) and x[:, :1].squeeze(1).shape == (2, 4)
    assert x[:, :1].squeeze(0).shape == (2, 1, 4)                     # length 2: kept, as PyTorch
    assert x.view(6, 4).shape == (6, 4) and x[:1].expand(3, -1, -1).shape == (3, 3, 4)
    assert x.flip(2).data[0, 0].tolist() == [3.0, 2.0, 1.0, 0.0]
    assert gradcheck(lambda t: (t.flip(0).unsqueeze(1).expand(2, 3, 3) * t.flatten()[:3]).sum(1),
                     [Tensor(np.arange(1.0, 4.0), requires_grad=True)])
    with pytest.raises(IndexError, match="unsqueeze: axis 4 is out of range"):
        x.unsqueeze(4)


def test_elementwise_where_and_clamp_functions():
    x = Tensor([-2.0, 0.5, 3.0], requires_grad=True)
    y = ac.where(x > 0, x * x, -x)
    y.sum().backward()
    assert y.tolist() == [2.0, 0.25, 9.0] and x.grad.tolist() == [-1.0, 1.0, 6.0]
    assert ac.clamp(x, -1.0, 1.0).tolist() == [-1.0, 0.5, 1.0] and ac.clip(x, max=0.0).tolist() == [-2.0, 0.0, 0.0]
    assert ac.maximum(x, 0.0).tolist() == [0.0, 0.5, 3.0] and ac.minimum(x, 0.0).tolist() == [-2.0, 0.0, 0.0]
    with pytest.raises(TypeError, match="condition must be bool"):
        ac.where(x, x, x)
    assert ac.where(Value(1.0) > 0, Value(2.0), Value(3.0)).data == 2.0


def test_backward_create_graph_and_functional():
    x = Tensor([1.0, 2.0], requires_grad=True)
    (x ** 3).sum().backward(create_graph=True)
    g = x.grad                                                      # 3x² as a node
    assert g.tolist() == [3.0, 12.0] and not g.is_leaf
    x.grad = None
    g.sum().backward()
    assert x.grad.tolist() == [6.0, 12.0]                           # 6x
    f = lambda t: (t ** 3).sum()                                    # noqa: E731
    v = np.array([1.0, -1.0])
    assert AF.hessian(f, x).tolist() == [[6.0, 0.0], [0.0, 12.0]]
    assert AF.hvp(f, x, v)[1].tolist() == [6.0, -12.0]
    assert AF.vjp(lambda t: t * t, x, v)[1].tolist() == [2.0, -4.0]
    assert AF.jvp(lambda t: t * t, x, v)[1].tolist() == [2.0, -4.0]
    e = np.exp([1.0, 2.0, 3.0, 4.0])
    p = e / e.sum()                                                  # seed 004: J = diag(p) - p pᵀ
    np.testing.assert_allclose(AF.jacobian(lambda t: t.softmax(), Tensor([1.0, 2.0, 3.0, 4.0])),
                               np.diag(p) - np.outer(p, p), atol=1e-15)


def test_indexing_ops_values_and_gradients():
    x = Tensor(np.arange(12.0).reshape(3, 4), requires_grad=True)
    idx = ac.tensor([[0, 0], [1, 3], [2, 2]])
    assert x.gather(1, idx).tolist() == [[0.0, 0.0], [5.0, 7.0], [10.0, 10.0]]
    assert x.index_select(0, [2, 0]).tolist() == [x.data[2].tolist(), x.data[0].tolist()]
    assert x.scatter_add(1, idx, ac.ones(3, 2)).tolist()[0] == [2.0, 1.0, 2.0, 3.0]   # repeats add up
    assert x.tril().tolist()[0] == [0.0, 0.0, 0.0, 0.0] and x.triu().tolist()[2] == [0.0, 0.0, 10.0, 11.0]
    assert x.repeat(2, 1).shape == (6, 4) and x.repeat(1, 2).tolist()[0] == [0.0, 1.0, 2.0, 3.0] * 2
    assert [t.shape for t in x.split(3, dim=1)] == [(3, 3), (3, 1)] and len(x.chunk(2)) == 2
    assert ac.pad(x, (1, 2), value=-1.0).tolist()[0] == [-1.0, 0.0, 1.0, 2.0, 3.0, -1.0, -1.0]
    assert ac.one_hot(ac.tensor([0, 2])).tolist() == [[1, 0, 0], [0, 0, 1]]
    assert x.masked_fill(x > 5, 0.0).tolist()[2] == [0.0] * 4
    for fn in (lambda t: t.gather(1, idx), lambda t: t.index_select(1, [3, 3, 0]),
               lambda t: t.scatter_add(0, ac.tensor([[0, 1, 2, 0]]), t[:1] * 2.0), lambda t: t.tril(1),
               lambda t: t.repeat(2, 3), lambda t: ac.pad(t, (1, 0, 2, 1), value=3.0),
               lambda t: ac.cat(t.chunk(3, dim=1)[::-1], 1)):
        assert gradcheck(fn, [Tensor(np.random.default_rng(0).standard_normal((3, 4)), requires_grad=True)])


def test_arithmetic_on_temporary_int_and_bool_tensors():
    # a temporary's buffer is reused only for floats: an int op may give floats
    assert (Tensor([1, 2, 3]) + 1).tolist() == [2, 3, 4]
    assert (Tensor([1, 2, 3]) / 2).tolist() == [0.5, 1.0, 1.5]
    assert (Tensor([True, False]) + 1).tolist() == [2, 1]
    assert ((Tensor([1, 2]) * 3) + 1).tolist() == [4, 7]
    t = Tensor([1, 2, 3]) * np.int64(2)                     # a numpy integer keeps ints integer
    assert t.dtype == np.int64 and t.tolist() == [2, 4, 6]


def test_hessian_and_hvp_of_a_function_with_a_constant_gradient_are_zero():
    from autograd_core import functional as AF
    x = Tensor([1.0, 2.0])
    np.testing.assert_array_equal(AF.hessian(lambda t: (t * 2.0).sum(), x), np.zeros((2, 2)))
    np.testing.assert_array_equal(AF.hvp(lambda t: (t * 2.0).sum(), x, np.ones(2))[1], np.zeros(2))
    np.testing.assert_array_equal(AF.hessian(lambda t: (t * t * t).sum(), x), np.diag([6.0, 12.0]))
    with pytest.raises(ValueError, match="one tangent per input"):
        AF.jvp(lambda a, b: a * b, (x, x), (np.ones(2),))


def test_random_creation_takes_a_seed_as_generator():
    from autograd_core import rand, randint, randn
    assert rand(3, generator=5).tolist() == rand(3, generator=5).tolist()
    assert randn(2, generator=1).tolist() == np.random.default_rng(1).standard_normal(2).tolist()
    assert randint(10, size=(4,), generator=2).tolist() == randint(10, size=(4,), generator=2).tolist()


def test_numbers_and_arrays_promote_as_pytorch_instead_of_taking_the_tensor_dtype():
    t = Tensor([1, 2])
    assert (t < 1.5).tolist() == [True, False] and (t == 1.5).tolist() == [False, False]
    m = t.maximum(1.5)
    assert m.dtype == np.float64 and m.tolist() == [1.5, 2.0]
    w = ac.where(Tensor([True, False]), t, 2.5)
    assert w.dtype == np.float64 and w.tolist() == [1.0, 2.5]
    b = Tensor([True, False]) + np.array([2, 3])
    assert b.dtype == np.int64 and b.tolist() == [3, 3]
    f = Tensor(np.ones(2, np.float32))                   # a float tensor keeps its dtype
    assert f.maximum(1.5).dtype == np.float32 and ac.where(f > 0, f, 2.5).dtype == np.float32
    assert (f + np.array([1, 2])).dtype == np.float32


def test_np_array_with_copy_never_shares_the_tensors_array():
    t = Tensor([1.0, 2.0])
    a = np.array(t, copy=True)
    a[0] = 9.0                                               # wrote into t under numpy 2
    assert t.tolist() == [1.0, 2.0] and not np.shares_memory(a, t.data)


def test_a_retained_scalar_root_gets_its_own_writable_gradient():
    x = Tensor(2.0, requires_grad=True)
    y = x * 3.0
    y.retain_grad()
    y.backward()
    z = Tensor(5.0, requires_grad=True) * 2.0
    z.retain_grad()
    z.backward()
    y.grad += 1.0                                        # was "output array is read-only"
    assert y.grad.tolist() == 2.0 and z.grad.tolist() == 1.0 and y.grad is not z.grad


def test_max_min_with_a_positional_dim_return_values_and_indices_with_the_kept_axis():
    x = Tensor([[1.0, 5.0, 2.0], [7.0, 0.0, 7.0]], requires_grad=True)
    _, pred = x.max(1)                                   # the classifier idiom: was the values
    assert pred.tolist() == [1, 0] and pred.dtype == np.int64
    values, indices = x.min(1, True)
    assert values.tolist() == [[1.0], [0.0]] and indices.tolist() == [[0], [1]]
    assert x.max(dim=0, keepdim=True).indices.shape == (1, 3)
    s = Tensor(3.0).max(0)
    assert s.values.shape == () and s.indices.tolist() == 0
    with pytest.raises(TypeError, match="dim must be one int"):
        x.max(dim=(0, 1))
    with pytest.raises(TypeError, match="not both"):
        x.max(1, axis=1)


def test_randint_takes_pytorchs_signatures():
    a = ac.randint(10, (3,), generator=5)                # randint(high, size): was a TypeError
    assert a.shape == (3,) and a.dtype == np.int64 and all(0 <= v < 10 for v in a.tolist())
    assert a.tolist() == ac.randint(0, 10, (3,), generator=5).tolist() == ac.randint(10, size=(3,), generator=5).tolist()
    b = ac.randint(-3, -1, [2, 2])
    assert b.shape == (2, 2) and set(b.data.ravel()) <= {-3, -2}
    with pytest.raises(TypeError, match="randint"):
        ac.randint(10)                                   # PyTorch needs the size
    with pytest.raises(TypeError, match="randint"):
        ac.randint(1, 2, 3, (2,))
    with pytest.raises(ValueError, match="high must be larger"):
        ac.randint(5, 5, (2,))


def test_numpy_scalars_keep_their_dtype_as_arrays_do():
    assert Tensor(np.float32(2.0)).dtype == np.float32 and Tensor(np.int32(3)).dtype == np.int32
    assert ac.tensor(np.float16(1.0)).dtype == np.float16 and Tensor(np.bool_(True)).dtype == np.bool_
    assert Tensor(2.0).dtype == np.float64 and Tensor(3).dtype == np.int64


def test_logical_operators_have_reflected_forms():
    t = Tensor([True, False])
    assert (True & t).tolist() == [True, False] and (False | t).tolist() == [True, False]
    mask = np.array([True, True])
    assert (mask & t).tolist() == [True, False] and (mask ^ t).tolist() == [False, True]
    assert (np.array([6, 3]) | Tensor([1, 4])).tolist() == [7, 7]
    with pytest.raises(TypeError, match="&"):
        1.5 & t


def test_axis_errors_are_numpys_and_axis_checks_are_shared():
    t = Tensor(np.zeros((2, 3)))
    with pytest.raises(np.exceptions.AxisError, match="sum: axis 2 is out of range"):
        t.sum(axis=2)
    assert ac.AxisError is np.exceptions.AxisError
    with pytest.raises(np.exceptions.AxisError, match="stack: axis 3"):
        ac.stack([t, t], axis=3)
    with pytest.raises(np.exceptions.AxisError, match="concatenate: axis -3"):
        ac.concatenate([t, t], axis=-3)
    with pytest.raises(TypeError, match="unsqueeze: an axis must be an int"):
        t.unsqueeze(1.0)
    with pytest.raises(TypeError, match="logsumexp: give axis= or dim=, not both"):
        t.logsumexp(axis=0, dim=1)                       # was: dim silently won
    assert t.logsumexp(dim=0, keepdim=True).shape == (1, 3)
    with pytest.raises(ValueError, match="3 elements"):   # float() and item() alike, as PyTorch's float()
        float(Tensor([1.0, 2.0, 3.0]))
    assert t.argmax(keepdim=True).shape == (1, 1) and ac.pad(Tensor([1.0]), (1, 0)).tolist() == [0.0, 1.0]
