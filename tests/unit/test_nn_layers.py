"""nn layers and cells: gradients by central differences, outputs against
hand-written numpy of the documented equations."""
import numpy as np
import pytest

import nn
import nn.functional as F
from autograd_core import Tensor, gradcheck

rng = np.random.default_rng(0)


def T(*shape, grad=True):
    return Tensor(rng.standard_normal(shape), requires_grad=grad)


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def test_module_registration_state_and_repr():
    model = nn.MLP(2, [4, 3], seed=1)
    names = [n for n, _ in model.named_parameters()]
    assert names == ["net.0.weight", "net.0.bias", "net.2.weight", "net.2.bias"]
    assert [p.shape for p in model.parameters()] == [(4, 2), (4,), (3, 4), (3,)]
    assert "Linear(in_features=2, out_features=4, bias=True)" in repr(model) and "ReLU()" in repr(model)
    model.eval()
    assert not model.training and not model.net[0].training
    model.train()
    assert model.net[1].training
    F.cross_entropy(model(Tensor(np.ones((5, 2)))), [0, 1, 2, 0, 1]).backward()
    assert all(p.grad is not None for p in model.parameters())
    model.zero_grad()
    assert all(p.grad is None for p in model.parameters())
    state = model.state_dict()
    other = nn.MLP(2, [4, 3], seed=2)
    other.load_state_dict(state)
    x = Tensor(rng.standard_normal((3, 2)))
    np.testing.assert_array_equal(other(x).data, model(x).data)
    with pytest.raises(KeyError, match="missing parameters: net.2.bias"):
        other.load_state_dict({k: v for k, v in state.items() if k != "net.2.bias"})
    bad = dict(state, **{"net.0.weight": np.zeros((2, 4))})
    with pytest.raises(ValueError, match=r"'net.0.weight' has shape \(4, 2\), the state has \(2, 4\)"):
        other.load_state_dict(bad)


def test_linear_uses_pytorch_layout_and_init_bounds():
    layer = nn.Linear(16, 5, seed=0)
    assert layer.weight.shape == (5, 16) and layer.bias.shape == (5,)
    assert np.abs(layer.weight.data).max() <= 0.25 and np.abs(layer.bias.data).max() <= 0.25
    x = T(3, 16, grad=False)
    np.testing.assert_allclose(layer(x).data, x.data @ layer.weight.data.T + layer.bias.data)
    assert gradcheck(lambda x_, w, b: F.linear(x_, w, b), [T(3, 16), layer.weight, layer.bias])


def conv_reference(x, w, b, stride, pad):
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    n, c, h, wd = xp.shape
    o, _, kh, kw = w.shape
    ho, wo = (h - kh) // stride + 1, (wd - kw) // stride + 1
    y = np.zeros((n, o, ho, wo))
    for bi in range(n):                       # seed 003: y[b,o,i,j] = Σ w[o,c,i',j'] x[b,c,i+i',j+j']
        for oc in range(o):
            for i in range(ho):
                for j in range(wo):
                    patch = xp[bi, :, i * stride:i * stride + kh, j * stride:j * stride + kw]
                    y[bi, oc, i, j] = (patch * w[oc]).sum() + b[oc]
    return y


@pytest.mark.parametrize("stride,pad", [(1, 0), (1, 1), (2, 1), (2, 0)])
def test_conv2d_matches_loops_and_gradcheck(stride, pad):
    conv = nn.Conv2d(3, 4, (3, 2), stride=stride, padding=pad, seed=0)
    x = T(2, 3, 6, 5)
    out = conv(x)
    np.testing.assert_allclose(out.data, conv_reference(x.data, conv.weight.data, conv.bias.data, stride, pad))
    assert gradcheck(lambda x_, w, b: F.conv2d(x_, w, b, stride, pad), [x, conv.weight, conv.bias])


def test_conv2d_errors():
    with pytest.raises(ValueError, match="input has 2 channels, weight expects 3"):
        nn.Conv2d(3, 4, 3)(Tensor(np.ones((1, 2, 5, 5))))
    with pytest.raises(NotImplementedError, match="gradients of gradients"):
        from autograd_core import grad
        x = T(1, 1, 4, 4)
        conv = nn.Conv2d(1, 1, 2, seed=0)
        g = grad(conv(x).sum(), conv.weight, create_graph=True)
        grad((g * g).sum(), x)


def test_rnn_cell_matches_equation_and_gradcheck():
    cell = nn.RNNCell(3, 4, seed=0)
    x, h = T(2, 3), T(2, 4)
    ref = np.tanh(x.data @ cell.weight_ih.data.T + cell.bias_ih.data + h.data @ cell.weight_hh.data.T + cell.bias_hh.data)
    np.testing.assert_allclose(cell(x, h).data, ref)
    assert gradcheck(lambda x_, h_, a, b: cell(x_, h_) * 1.0, [x, h, cell.weight_ih, cell.weight_hh])
    assert cell(x).shape == (2, 4)                                     # h0 defaults to zeros


def test_lstm_cell_matches_equations_and_gradcheck():
    cell = nn.LSTMCell(3, 2, seed=0)
    x, h, c = T(4, 3), T(4, 2), T(4, 2)
    z = x.data @ cell.weight_ih.data.T + cell.bias_ih.data + h.data @ cell.weight_hh.data.T + cell.bias_hh.data
    i, f, g, o = np.split(z, 4, axis=1)                                # PyTorch's gate order
    c_ref = sigmoid(f) * c.data + sigmoid(i) * np.tanh(g)
    h_ref = sigmoid(o) * np.tanh(c_ref)
    h_new, c_new = cell(x, (h, c))
    np.testing.assert_allclose(h_new.data, h_ref)
    np.testing.assert_allclose(c_new.data, c_ref)
    assert gradcheck(lambda x_, h_, c_, w: sum(cell(x_, (h_, c_)), Tensor(0.0)).sum(),
                     [x, h, c, cell.weight_hh])


def test_gru_cell_matches_equations_and_gradcheck():
    cell = nn.GRUCell(3, 2, seed=0)
    x, h = T(4, 3), T(4, 2)
    gi = x.data @ cell.weight_ih.data.T + cell.bias_ih.data
    gh = h.data @ cell.weight_hh.data.T + cell.bias_hh.data
    ir, iz, in_ = np.split(gi, 3, axis=1)
    hr, hz, hn = np.split(gh, 3, axis=1)
    r, z = sigmoid(ir + hr), sigmoid(iz + hz)
    n = np.tanh(in_ + r * hn)
    np.testing.assert_allclose(cell(x, h).data, (1 - z) * n + z * h.data)
    assert gradcheck(lambda x_, h_, w, b: cell(x_, h_), [x, h, cell.weight_ih, cell.bias_hh])


def test_rnn_over_a_sequence_unrolls_the_cell():
    rnn = nn.RNN(3, 4, seed=0)
    x = T(5, 2, 3)                                                     # (T, N, F)
    out, h_n = rnn(x)
    assert out.shape == (5, 2, 4) and h_n.shape == (1, 2, 4)
    h = None
    for t in range(5):
        h = rnn.cells[0](Tensor(x.data[t]), h)
    np.testing.assert_allclose(out.data[-1], h.data)
    np.testing.assert_allclose(h_n.data[0], h.data)
    assert gradcheck(lambda x_, w: rnn(x_)[0].sum(axis=0), [x, rnn.weight_hh_l0])
    bf = nn.RNN(3, 4, batch_first=True, seed=0)
    out_bf, _ = bf(Tensor(x.data.transpose(1, 0, 2)))
    np.testing.assert_allclose(out_bf.data.transpose(1, 0, 2), out.data)


def test_activation_modules_and_functions():
    x = Tensor([-2.0, -0.5, 0.5, 2.0], requires_grad=True)
    np.testing.assert_allclose(F.leaky_relu(x, 0.1).data, [-0.2, -0.05, 0.5, 2.0])
    np.testing.assert_allclose(F.elu(x).data, [np.exp(-2) - 1, np.exp(-0.5) - 1, 0.5, 2.0])
    np.testing.assert_allclose(nn.Sequential(nn.Linear(4, 4, seed=0), nn.Tanh())(x.reshape(1, 4)).shape, (1, 4))
    y = T(3, 6)
    np.testing.assert_allclose(F.maxout(y, 3).data, y.data.reshape(3, 2, 3).max(axis=2))
    for fn in (lambda t: F.leaky_relu(t, 0.2), F.elu, lambda t: F.maxout(t, 2), F.sigmoid, F.tanh):
        assert gradcheck(fn, [T(3, 4)])


def test_soft_family_names_limits_and_identities():
    e = Tensor([1.0, 3.0, 2.0], requires_grad=True)
    np.testing.assert_allclose(F.softargmax(e, beta=100.0).data, [0, 1, 0], atol=1e-12)
    np.testing.assert_allclose(F.softargmax(e, beta=1e-9).data, [1 / 3] * 3, atol=1e-9)
    np.testing.assert_allclose(F.softargmin(e, beta=100.0).data, [1, 0, 0], atol=1e-12)
    np.testing.assert_allclose(F.softmax(e).data, F.softargmax(e).data)
    assert F.softmaximum(e, beta=100.0).item() == pytest.approx(3.0, abs=1e-3)
    assert F.softminimum(e, beta=100.0).item() == pytest.approx(1.0, abs=1e-3)
    assert F.softmaximum(e, beta=1e-6, average=True).item() == pytest.approx(2.0, abs=1e-5)  # → mean
    assert F.softmaximum(e, beta=2.0).item() == pytest.approx(np.log(np.exp(2 * e.data).sum()) / 2)
    shifted = Tensor(e.data + 7.0)
    assert F.softmaximum(shifted, 2.0).item() == pytest.approx(F.softmaximum(e, 2.0).item() + 7.0)
    np.testing.assert_allclose(F.softargmax(shifted, 2.0).data, F.softargmax(e, 2.0).data)
    # seed 000: -(1/β) log softargmax_β(e) = softmax_β(e) - e
    np.testing.assert_allclose(-F.log_softargmax(e, 2.0).data / 2.0, F.softmaximum(e, 2.0).data - e.data)
    # the gradient of the soft maximum is the softargmax
    F.softmaximum(e, 2.0).backward()
    np.testing.assert_allclose(e.grad, F.softargmax(e, 2.0).data)
    for fn in (lambda t: F.softargmax(t, 0.5), lambda t: F.log_softargmax(t, 3.0),
               lambda t: F.softmaximum(t, 2.0, average=True), lambda t: F.softminimum(t, 0.7)):
        assert gradcheck(fn, [T(2, 4)])


def test_losses_values_gradients_and_stability():
    z = T(4, 3)
    y = np.array([0, 2, 1, 2])
    np.testing.assert_allclose(F.cross_entropy_composed(z, y).data, F.cross_entropy(z, y).data)
    np.testing.assert_allclose(F.nll_loss(F.log_softmax(z), y).data, F.cross_entropy(z, y).data)
    s = z.data
    hinge = np.mean([sum(max(0, s[n, j] - s[n, y[n]] + 1) for j in range(3) if j != y[n]) for n in range(4)])
    assert F.multiclass_hinge_loss(z, y).item() == pytest.approx(hinge)
    t = rng.standard_normal((4, 3))
    assert F.mse_loss(z, t).item() == pytest.approx(np.mean((s - t) ** 2))
    targets = (rng.random((4, 3)) > 0.5).astype(float)
    bce = np.mean(-targets * np.log(sigmoid(s)) - (1 - targets) * np.log(1 - sigmoid(s)))
    assert F.binary_cross_entropy_with_logits(z, targets).item() == pytest.approx(bce)
    big = Tensor([[1000.0, -1000.0]], requires_grad=True)
    loss = F.binary_cross_entropy_with_logits(big, [[0.0, 1.0]])
    assert loss.item() == pytest.approx(1000.0)
    loss.backward()
    np.testing.assert_allclose(big.grad, [[0.5, -0.5]])               # (σ(z) - y) / N
    assert F.cross_entropy_composed(Tensor([[1000.0, -1000.0]]), [1]).item() == pytest.approx(2000.0)
    w = [T(2, 2), T(3)]
    assert F.l2_penalty(w, 0.1).item() == pytest.approx(0.1 * sum((p.data ** 2).sum() for p in w))
    for fn in (lambda a: F.cross_entropy_composed(a, y), lambda a: F.nll_loss(F.log_softmax(a), y),
               lambda a: F.multiclass_hinge_loss(a, y), lambda a: F.mse_loss(a, t),
               lambda a: F.binary_cross_entropy_with_logits(a, targets), lambda a: F.l2_penalty([a], 0.3)):
        assert gradcheck(fn, [z])


@pytest.mark.parametrize("margin,by_hand", [(1.0, 1.45), (0.0, 0.95), (-0.5, 0.7)])
def test_multiclass_hinge_loss_follows_its_definition_for_any_margin(margin, by_hand):
    # sample 0 (y = 0): max(0, 5.1 - 3.2 + m) + max(0, -1.7 - 3.2 + m) = 1.9 + m;
    # sample 1 (y = 1): max(0, 1.3 - 4.9 + m) + max(0, 2.0 - 4.9 + m) = 0; the loss is their mean
    s = np.array([[3.2, 5.1, -1.7], [1.3, 4.9, 2.0]])
    y = [0, 1]
    want = np.mean([sum(max(0.0, s[n, j] - s[n, y[n]] + margin) for j in range(3) if j != y[n])
                    for n in range(2)])
    got = F.multiclass_hinge_loss(Tensor(s), y, margin=margin).item()
    assert got == pytest.approx(want, rel=1e-12)
    assert got == pytest.approx(by_hand, rel=1e-12)
