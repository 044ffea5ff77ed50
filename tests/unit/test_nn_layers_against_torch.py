"""The new layers against PyTorch, weights copied across (skipped without torch)."""
import numpy as np
import pytest

import nn
from autograd_core import Tensor, tensor

torch = pytest.importorskip("torch")
rng = np.random.default_rng(0)


def both(x):
    return Tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)


def same_parameters(m, t):
    """Give the PyTorch layer ``t`` the weight and bias of ours, ``m``."""
    with torch.no_grad():
        t.weight.copy_(torch.tensor(m.weight.data))
        t.bias.copy_(torch.tensor(m.bias.data))


def check(oe, ot, te, tt, tol=1e-10):
    np.testing.assert_allclose(oe.data, ot.detach().numpy(), atol=tol)
    w = rng.standard_normal(oe.shape)
    (oe * Tensor(w)).sum().backward()
    (ot * torch.tensor(w)).sum().backward()
    np.testing.assert_allclose(te.grad, tt.grad.numpy(), atol=tol)


@pytest.mark.parametrize("make", [
    lambda: (nn.LayerNorm(5), torch.nn.LayerNorm(5)),
    lambda: (nn.BatchNorm1d(5), torch.nn.BatchNorm1d(5)),
])
def test_norm_layers(make):
    ours, theirs = make()
    theirs = theirs.double()
    with torch.no_grad():
        theirs.weight.copy_(torch.tensor(rng.standard_normal(5)))
        theirs.bias.copy_(torch.tensor(rng.standard_normal(5)))
    ours.weight.data[...] = theirs.weight.detach().numpy()
    ours.bias.data[...] = theirs.bias.detach().numpy()
    te, tt = both(rng.standard_normal((6, 5)))
    check(ours(te), theirs(tt), te, tt)
    if isinstance(ours, nn.BatchNorm1d):
        np.testing.assert_allclose(ours.running_var.data, theirs.running_var.numpy())
        ours.eval(), theirs.eval()
        te, tt = both(rng.standard_normal((6, 5)))
        check(ours(te), theirs(tt), te, tt)
        assert set(ours.state_dict()) == set(theirs.state_dict())


def test_batchnorm2d_and_pooling():
    te, tt = both(rng.standard_normal((2, 3, 6, 6)))
    check(nn.BatchNorm2d(3)(te), torch.nn.BatchNorm2d(3).double()(tt), te, tt)
    for ours, theirs in [(nn.MaxPool2d(3, 2, 1), torch.nn.MaxPool2d(3, 2, 1)),
                         (nn.AvgPool2d(2), torch.nn.AvgPool2d(2)),
                         (nn.AvgPool2d(3, 1, 1), torch.nn.AvgPool2d(3, 1, 1))]:
        te, tt = both(rng.standard_normal((2, 3, 6, 6)))
        check(ours(te), theirs(tt), te, tt)


def test_embedding_and_a_checkpoint_pytorch_loads(tmp_path):
    e, t = nn.Embedding(6, 3, seed=0), torch.nn.Embedding(6, 3).double()
    with torch.no_grad():
        t.weight.copy_(torch.tensor(e.weight.data))
    idx = [1, 4, 4, 0]
    oe, ot = e(tensor(idx)), t(torch.tensor(idx))
    np.testing.assert_allclose(oe.data, ot.detach().numpy())
    ours = nn.Sequential(nn.Linear(2, 64), nn.ReLU(), nn.Linear(64, 3))
    path = nn.save(ours, tmp_path / "m.safetensors")
    from safetensors.torch import load_file
    theirs = torch.nn.Sequential(torch.nn.Linear(2, 64), torch.nn.ReLU(), torch.nn.Linear(64, 3)).double()
    theirs.load_state_dict(load_file(str(path)))                     # PyTorch takes our names and shapes
    x = rng.standard_normal((5, 2))
    np.testing.assert_allclose(ours(Tensor(x)).data, theirs(torch.tensor(x)).detach().numpy(), atol=1e-12)


@pytest.mark.parametrize("ours,theirs", [(nn.RNN, torch.nn.RNN), (nn.LSTM, torch.nn.LSTM), (nn.GRU, torch.nn.GRU)])
@pytest.mark.parametrize("batch_first", [False, True])
def test_recurrent_layers_match_pytorch(ours, theirs, batch_first):
    m = ours(3, 4, num_layers=2, batch_first=batch_first, seed=0)
    t = theirs(3, 4, num_layers=2, batch_first=batch_first).double()
    assert set(dict(m.named_parameters())) == set(dict(t.named_parameters()))     # the same names
    with torch.no_grad():
        for name, p in m.named_parameters():
            getattr(t, name).copy_(torch.tensor(p.data))
    x = rng.standard_normal((2, 5, 3) if batch_first else (5, 2, 3))
    h0 = rng.standard_normal((2, 2, 4))
    te, tt = both(x)
    if ours is nn.LSTM:
        c0 = rng.standard_normal((2, 2, 4))
        (oe, (he, ce)) = m(te, (Tensor(h0), Tensor(c0)))
        (ot, (ht, ct)) = t(tt, (torch.tensor(h0), torch.tensor(c0)))
        np.testing.assert_allclose(ce.data, ct.detach().numpy(), atol=1e-12)
    else:
        oe, he = m(te, Tensor(h0))
        ot, ht = t(tt, torch.tensor(h0))
    np.testing.assert_allclose(he.data, ht.detach().numpy(), atol=1e-12)
    check(oe, ot, te, tt)


@pytest.mark.parametrize("kw", [dict(stride=(2, 1), padding=(1, 2)), dict(dilation=2, padding=1),
                                dict(groups=2, stride=2), dict(groups=2, dilation=(1, 2), padding=(2, 0))])
def test_conv2d_options_match_pytorch(kw):
    m = nn.Conv2d(4, 6, (3, 2), seed=0, **kw)
    t = torch.nn.Conv2d(4, 6, (3, 2), **kw).double()
    same_parameters(m, t)
    te, tt = both(rng.standard_normal((2, 4, 7, 6)))
    check(m(te), t(tt), te, tt)
    np.testing.assert_allclose(m.weight.grad, t.weight.grad.numpy(), atol=1e-10)


@pytest.mark.parametrize("kw", [dict(stride=2), dict(stride=2, padding=1, output_padding=1),
                                dict(groups=2, dilation=2), dict(stride=(1, 2), padding=(0, 1))])
def test_conv_transpose2d_and_conv1d_match_pytorch(kw):
    m = nn.ConvTranspose2d(4, 6, 3, seed=0, **kw)
    t = torch.nn.ConvTranspose2d(4, 6, 3, **kw).double()
    assert m.weight.shape == tuple(t.weight.shape)
    same_parameters(m, t)
    te, tt = both(rng.standard_normal((2, 4, 5, 4)))
    check(m(te), t(tt), te, tt)
    np.testing.assert_allclose(m.weight.grad, t.weight.grad.numpy(), atol=1e-10)
    c1, t1 = nn.Conv1d(4, 6, 3, stride=2, padding=1, seed=0), torch.nn.Conv1d(4, 6, 3, stride=2, padding=1).double()
    with torch.no_grad():
        t1.weight.copy_(torch.tensor(c1.weight.data))
        t1.bias.copy_(torch.tensor(c1.bias.data))
    te, tt = both(rng.standard_normal((2, 4, 9)))
    check(c1(te), t1(tt), te, tt)


@pytest.mark.parametrize("ours, theirs", [
    (lambda: nn.GELU(), lambda: torch.nn.GELU()),
    (lambda: nn.GELU("tanh"), lambda: torch.nn.GELU(approximate="tanh")),
    (lambda: nn.Softplus(2.0), lambda: torch.nn.Softplus(beta=2.0)),
    (lambda: nn.SiLU(), lambda: torch.nn.SiLU())])
def test_activation_modules_with_options_match_pytorch(ours, theirs):
    te, tt = both(rng.standard_normal((3, 4)))
    check(ours()(te), theirs()(tt), te, tt)


PAIRS = ["MaxPool2d", "AvgPool2d", "Softmax", "LogSoftmax", "Conv2d", "Conv1d", "ConvTranspose2d"]


def test_isinstance_between_layers_answers_as_pytorch():
    made = {"MaxPool2d": (2,), "AvgPool2d": (2,), "Softmax": (1,), "LogSoftmax": (1,),
            "Conv2d": (2, 2, 3), "Conv1d": (2, 2, 3), "ConvTranspose2d": (2, 2, 3)}
    for a in PAIRS:
        ours, theirs = getattr(nn, a)(*made[a]), getattr(torch.nn, a)(*made[a])
        for b in PAIRS:
            assert isinstance(ours, getattr(nn, b)) == isinstance(theirs, getattr(torch.nn, b)), (a, b)


@pytest.mark.parametrize("args,kw", [((4, 6, 3), {}), ((4, 6, 3), dict(stride=2, padding=1, dilation=2)),
                                     ((4, 6, 5), dict(groups=2, bias=False)), ((4, 6, (3,)), dict(stride=(2,)))])
def test_conv1d_state_dict_order_shapes_attributes_and_repr_match_pytorch(args, kw):
    ours, theirs = nn.Conv1d(*args, seed=0, **kw), torch.nn.Conv1d(*args, **kw)
    assert [(k, tuple(v.shape)) for k, v in ours.state_dict().items()] == \
        [(k, tuple(v.shape)) for k, v in theirs.state_dict().items()]
    for name in ("kernel_size", "stride", "padding", "dilation", "groups"):
        assert getattr(ours, name) == getattr(theirs, name), name
    assert repr(ours) == repr(theirs)


@pytest.mark.parametrize("layer,args", [("Conv2d", (4, 6, 3)), ("Conv2d", (4, 6, (3, 2))), ("ConvTranspose2d", (4, 6, 3))])
@pytest.mark.parametrize("kw", [{}, dict(stride=2, padding=1, dilation=2, bias=False), dict(groups=2, padding=(1, 0))])
def test_conv2d_reprs_match_pytorch(layer, args, kw):
    assert repr(getattr(nn, layer)(*args, seed=0, **kw)) == repr(getattr(torch.nn, layer)(*args, **kw))


@pytest.mark.parametrize("args", [(), (1.0, 2.0), (2.0, 5.0), (0.5, 20.0)])
def test_softplus_is_linear_above_threshold_as_pytorch(args):
    x = np.array([-30.0, -3.0, 0.0, 1.5, 2.6, 4.0, 9.0, 19.9, 20.1, 45.0])
    te, tt = Tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    for ours, theirs in [(nn.functional.softplus(te, *args), torch.nn.functional.softplus(tt, *args)),
                         (nn.Softplus(*args)(te), torch.nn.Softplus(*args)(tt))]:
        np.testing.assert_array_equal(ours.data, theirs.detach().numpy())    # x itself beyond the threshold
        te.grad, tt.grad = None, None
        ours.sum().backward()
        theirs.sum().backward()
        np.testing.assert_allclose(te.grad, tt.grad.numpy(), rtol=1e-13)


def test_functional_softmax_takes_dim_as_pytorch():
    x = rng.standard_normal((3, 4, 5))
    for d in (0, 1, -1):
        for ours, theirs in [(nn.functional.softmax, torch.nn.functional.softmax),
                             (nn.functional.log_softmax, torch.nn.functional.log_softmax)]:
            want = theirs(torch.tensor(x), dim=d).numpy()
            np.testing.assert_allclose(ours(Tensor(x), dim=d).data, want, rtol=1e-13)
            np.testing.assert_allclose(ours(Tensor(x), d).data, want, rtol=1e-13)
            np.testing.assert_allclose(ours(Tensor(x), axis=d).data, want, rtol=1e-13)   # numpy's name still works
    with pytest.raises(TypeError, match="give axis= or dim=, not both"):
        nn.functional.softmax(Tensor(x), dim=0, axis=1)
