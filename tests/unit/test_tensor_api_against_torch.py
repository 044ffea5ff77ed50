"""The Tensor API against PyTorch, op by op: forward values and gradients of
a weighted sum, on the same float64 inputs (skipped where torch is absent)."""
import numpy as np
import pytest

import autograd_core as ac
import nn.functional as F
from autograd_core import Tensor

torch = pytest.importorskip("torch")
TF = torch.nn.functional

IDX = [[0, 0], [3, 1], [2, 2]]
X = np.random.default_rng(0).uniform(-2.0, 2.0, (3, 4))
X[0, 0], X[1, 1] = 0.0, 1.0                                      # kinks included: PyTorch's choices there
POS = np.abs(X) + 0.2
# (name, ours, theirs, input)
CASES = [
    ("abs", lambda t: t.abs(), torch.abs, X), ("sqrt", lambda t: t.sqrt(), torch.sqrt, POS),
    ("sin", lambda t: t.sin(), torch.sin, X), ("cos", lambda t: t.cos(), torch.cos, X),
    ("log1p", lambda t: t.log1p(), torch.log1p, POS), ("expm1", lambda t: t.expm1(), torch.expm1, X),
    ("clamp", lambda t: t.clamp(-1.0, 1.0), lambda t: t.clamp(-1.0, 1.0), X),
    ("gelu", lambda t: t.gelu(), TF.gelu, X), ("gelu_tanh", lambda t: t.gelu("tanh"),
                                               lambda t: TF.gelu(t, approximate="tanh"), X),
    ("silu", lambda t: t.silu(), TF.silu, X), ("softplus", lambda t: F.softplus(t), TF.softplus, X),
    ("elu", lambda t: F.elu(t, 0.7), lambda t: TF.elu(t, 0.7), X),
    ("leaky_relu", lambda t: F.leaky_relu(t, 0.1), lambda t: TF.leaky_relu(t, 0.1), X),
    ("minimum", lambda t: t.minimum(t * 0.5 + 0.5), lambda t: torch.minimum(t, t * 0.5 + 0.5), X),
    ("where", lambda t: ac.where(t > 0, t * t, -t), lambda t: torch.where(t > 0, t * t, -t), X),
    ("sum dim", lambda t: t.sum(dim=1, keepdim=True), lambda t: t.sum(dim=1, keepdim=True), X),
    ("mean dims", lambda t: t.mean(dim=(0, 1)), lambda t: t.mean(dim=(0, 1)), X),
    ("max dim", lambda t: t.max(dim=1).values, lambda t: t.max(dim=1).values, X),
    ("min", lambda t: t.min(), lambda t: t.min(), X),
    ("prod", lambda t: t.prod(dim=1), lambda t: t.prod(dim=1), X),
    ("var", lambda t: t.var(dim=0), lambda t: t.var(dim=0), X),
    ("std biased", lambda t: t.std(unbiased=False), lambda t: t.std(unbiased=False), X),
    ("norm", lambda t: t.norm(dim=1), lambda t: t.norm(dim=1), X),
    ("logsumexp", lambda t: t.logsumexp(dim=(0, 1)), lambda t: t.logsumexp(dim=(0, 1)), X),
    ("cumsum", lambda t: t.cumsum(dim=1), lambda t: t.cumsum(dim=1), X),
    ("transpose", lambda t: t.transpose(0, 1), lambda t: t.transpose(0, 1), X),
    ("permute", lambda t: t.reshape(3, 2, 2).permute(2, 0, 1), lambda t: t.reshape(3, 2, 2).permute(2, 0, 1), X),
    ("flatten", lambda t: t.reshape(3, 2, 2).flatten(1), lambda t: t.reshape(3, 2, 2).flatten(1), X),
    ("unsqueeze expand", lambda t: t.unsqueeze(0).expand(2, -1, -1), lambda t: t.unsqueeze(0).expand(2, -1, -1), X),
    ("flip", lambda t: t.flip(1), lambda t: t.flip(1), X),
    ("to float32", lambda t: t.float() * 2, lambda t: t.float() * 2, X),
    ("gather", lambda t: t.gather(1, ac.tensor(IDX)), lambda t: t.gather(1, torch.tensor(IDX)), X),
    ("index_select", lambda t: t.index_select(1, [3, 0, 3]),
     lambda t: t.index_select(1, torch.tensor([3, 0, 3])), X),
    ("scatter_add", lambda t: t.scatter_add(1, ac.tensor(IDX), t[:, :2] * 2.0),
     lambda t: t.scatter_add(1, torch.tensor(IDX), t[:, :2] * 2.0), X),
    ("masked_fill", lambda t: t.masked_fill(t > 0.5, -1.0), lambda t: t.masked_fill(t > 0.5, -1.0), X),
    ("tril", lambda t: t.tril(1), lambda t: t.tril(1), X), ("triu", lambda t: t.triu(-1), lambda t: t.triu(-1), X),
    ("repeat", lambda t: t.repeat(2, 1, 3), lambda t: t.repeat(2, 1, 3), X),
    ("pad", lambda t: ac.pad(t, (1, 2, 0, 1), value=0.5), lambda t: TF.pad(t, (1, 2, 0, 1), value=0.5), X),
    ("split", lambda t: ac.cat(t.split(3, dim=1)[::-1], 1), lambda t: torch.cat(t.split(3, dim=1)[::-1], 1), X),
    ("chunk", lambda t: t.chunk(2)[1], lambda t: t.chunk(2)[1], X),
]


@pytest.mark.parametrize("ours,theirs,x", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_op_matches_pytorch(ours, theirs, x):
    te, tt = Tensor(x, requires_grad=True), torch.tensor(x, dtype=torch.float64, requires_grad=True)
    oe, ot = ours(te), theirs(tt)
    tol = 1e-5 if ot.dtype == torch.float32 else 1e-12
    np.testing.assert_allclose(oe.data, ot.detach().numpy(), rtol=tol, atol=tol)
    w = np.random.default_rng(1).standard_normal(oe.shape)
    (oe * Tensor(w.astype(oe.dtype))).sum().backward()
    (ot * torch.tensor(w, dtype=ot.dtype)).sum().backward()
    np.testing.assert_allclose(te.grad, tt.grad.numpy(), rtol=tol, atol=tol)


def test_one_hot_matches_pytorch():
    labels = [0, 2, 1, 2]
    assert ac.one_hot(ac.tensor(labels)).tolist() == TF.one_hot(torch.tensor(labels)).tolist()
    assert ac.one_hot(ac.tensor(labels), 5).tolist() == TF.one_hot(torch.tensor(labels), 5).tolist()


def test_creation_dtypes_match_pytorch():
    assert ac.tensor([1, 2]).dtype == np.int64 and torch.tensor([1, 2]).dtype == torch.int64
    assert ac.arange(5).dtype == np.int64 and torch.arange(5).dtype == torch.int64
    assert ac.full((2,), 7).dtype == np.int64 and torch.full((2,), 7).dtype == torch.int64
    assert (ac.tensor([1.0]) == 1.0).dtype == np.bool_ and (torch.tensor([1.0]) == 1.0).dtype == torch.bool


def test_tril_triu_select_so_inf_and_nan_outside_become_zero_as_pytorch():
    x = np.array([[1.0, np.inf, np.nan], [-np.inf, 2.0, np.nan], [np.nan, 3.0, 4.0]])
    for name, d in [("tril", 0), ("triu", 0), ("tril", -1), ("triu", 1)]:
        te, tt = Tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
        oe, ot = getattr(te, name)(d), getattr(tt, name)(d)
        np.testing.assert_array_equal(oe.data, ot.detach().numpy())
        oe.sum().backward()
        ot.sum().backward()
        np.testing.assert_array_equal(te.grad, tt.grad.numpy())
    assert Tensor([[1, 2], [3, 4]]).tril().tolist() == [[1, 0], [3, 4]]


@pytest.mark.parametrize("p", [float("-inf"), float("inf"), 0, 1, 2, 3, 0.5, -1])
def test_norm_matches_pytorch_with_a_zero_row(p):
    x = X.copy()
    x[2] = 0.0                                                   # a zero vector: torch's gradient is 0 there
    te, tt = Tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    for kwargs in ({"dim": 1}, {"dim": 1, "keepdim": True}, {}):
        oe, ot = te.norm(p, **kwargs), torch.linalg.vector_norm(tt, p, **kwargs)
        np.testing.assert_allclose(oe.data, ot.detach().numpy(), rtol=1e-12)
        if p == 0:                                               # a count: no gradient
            assert not oe.requires_grad
            continue
        te.grad, tt.grad = None, None
        oe.sum().backward()
        ot.sum().backward()
        np.testing.assert_allclose(te.grad, tt.grad.numpy(), rtol=1e-12, atol=1e-12)


def test_max_min_match_pytorch_with_ties():
    x = np.array([[1.0, 3.0, 3.0], [2.0, 2.0, 0.0]])
    for name in ("max", "min"):
        for args in [(), (1,), (0, True), (-1, False)]:
            te, tt = Tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
            oe, ot = getattr(te, name)(*args), getattr(tt, name)(*args)
            if args:
                np.testing.assert_array_equal(oe.indices.data, ot.indices.numpy())
                oe, ot = oe.values, ot.values
            np.testing.assert_array_equal(oe.data, ot.detach().numpy())
            oe.sum().backward()
            ot.sum().backward()
            np.testing.assert_array_equal(te.grad, tt.grad.numpy())


ZERO_D = [
    ("transpose", lambda t: t.transpose(0, 0)), ("swapaxes", lambda t: t.swapaxes(0, -1)),
    ("flip", lambda t: t.flip(0)), ("cumsum", lambda t: t.cumsum(0) * 2.0),
    ("gather", lambda t: t.gather(0, (ac.tensor if isinstance(t, Tensor) else torch.tensor)(0))),
    ("index_select", lambda t: t.index_select(0, (ac.tensor if isinstance(t, Tensor) else torch.tensor)([0]))),
    ("softmax", lambda t: t.softmax(0)), ("log_softmax", lambda t: t.log_softmax(-1)),
    ("logsumexp", lambda t: t.logsumexp(0) * 3.0),
]


@pytest.mark.parametrize("op", [c[1] for c in ZERO_D], ids=[c[0] for c in ZERO_D])
def test_ops_along_an_axis_of_a_0d_tensor_match_pytorch(op):
    te, tt = Tensor(1.5, requires_grad=True), torch.tensor(1.5, dtype=torch.float64, requires_grad=True)
    oe, ot = op(te), op(tt)
    assert oe.shape == tuple(ot.shape) == ()
    np.testing.assert_allclose(oe.data, ot.detach().numpy(), rtol=1e-12)
    oe.backward()
    ot.backward()
    np.testing.assert_allclose(te.grad, tt.grad.numpy(), rtol=1e-12, atol=1e-12)
    with pytest.raises(IndexError):
        Tensor(1.5).cumsum(1)
