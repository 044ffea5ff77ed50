"""Agreement with PyTorch, weights copied across. Runs only where torch is
installed (it is not a dependency: `pip install torch` in a scratch venv)."""
import numpy as np
import pytest

import nn
import nn.functional as F
from autograd_core import Tensor, grad

torch = pytest.importorskip("torch")
rng = np.random.default_rng(0)


def close(a, b, what):
    np.testing.assert_allclose(np.asarray(a), b.detach().numpy() if hasattr(b, "detach") else b,
                               atol=1e-10, err_msg=what)


def copy(theirs, ours, names, prefix=""):
    with torch.no_grad():
        for n in names:
            getattr(theirs, n + prefix).copy_(torch.from_numpy(getattr(ours, n).data))


def pair(a):
    return Tensor(a, requires_grad=True), torch.tensor(a, dtype=torch.float64, requires_grad=True)


@pytest.mark.parametrize("ours,theirs", [(nn.RNNCell, "RNNCell"), (nn.LSTMCell, "LSTMCell"), (nn.GRUCell, "GRUCell")])
def test_cells_match_torch(ours, theirs):
    m = ours(3, 4, seed=1)
    t = getattr(torch.nn, theirs)(3, 4).double()
    copy(t, m, ["weight_ih", "weight_hh", "bias_ih", "bias_hh"])
    xe, xt = pair(rng.standard_normal((4, 3)))
    h = rng.standard_normal((4, 4))
    if ours is nn.LSTMCell:
        c = rng.standard_normal((4, 4))
        (oe, ce), (ot, ct) = m(xe, (Tensor(h), Tensor(c))), t(xt, (torch.tensor(h), torch.tensor(c)))
        close(ce.data, ct, "c")
    else:
        oe, ot = m(xe, Tensor(h)), t(xt, torch.tensor(h))
    close(oe.data, ot, "h")
    (oe * oe).sum().backward()
    (ot * ot).sum().backward()
    close(m.weight_hh.grad, t.weight_hh.grad, "dW_hh")
    close(xe.grad, xt.grad, "dx")


def test_rnn_sequence_linear_and_conv_match_torch():
    m, t = nn.RNN(3, 4, seed=2), torch.nn.RNN(3, 4).double()
    copy(t, m, ["weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0"])
    seq = rng.standard_normal((6, 2, 3))
    (oe, he), (ot, ht) = m(Tensor(seq)), t(torch.tensor(seq))
    close(oe.data, ot, "outputs")
    close(he.data, ht, "h_n")
    lin, tlin = nn.Linear(3, 5, seed=0), torch.nn.Linear(3, 5).double()
    copy(tlin, lin, ["weight", "bias"])
    xe, xt = pair(rng.standard_normal((4, 3)))
    lin(xe).tanh().sum().backward()
    tlin(xt).tanh().sum().backward()
    close(lin.weight.grad, tlin.weight.grad, "linear dW")
    close(xe.grad, xt.grad, "linear dx")
    for stride, pad in [(1, 0), (2, 1)]:
        conv = nn.Conv2d(3, 5, 3, stride=stride, padding=pad, seed=3)
        tconv = torch.nn.Conv2d(3, 5, 3, stride=stride, padding=pad).double()
        copy(tconv, conv, ["weight", "bias"])
        xe, xt = pair(rng.standard_normal((2, 3, 7, 6)))
        ye, yt = conv(xe), tconv(xt)
        close(ye.data, yt, "conv out")
        (ye * ye).sum().backward()
        (yt * yt).sum().backward()
        close(conv.weight.grad, tconv.weight.grad, "conv dW")
        close(xe.grad, xt.grad, "conv dx")


def test_losses_optimizers_and_second_order_match_torch():
    z, y = rng.standard_normal((5, 4)), rng.integers(0, 4, 5)
    ze, zt = pair(z)
    le, lt = F.cross_entropy(ze, y), torch.nn.functional.cross_entropy(zt, torch.tensor(y))
    close(le.data, lt, "cross_entropy")
    le.backward()
    lt.backward()
    close(ze.grad, zt.grad, "cross_entropy dz")
    tgt = (rng.random((5, 4)) > 0.5).astype(float)
    close(F.binary_cross_entropy_with_logits(Tensor(z), tgt).data,
          torch.nn.functional.binary_cross_entropy_with_logits(torch.tensor(z), torch.tensor(tgt)), "bce")
    close(F.elu(Tensor(z)).data, torch.nn.functional.elu(torch.tensor(z)), "elu")
    p, g = np.array([1.0, -2.0, 0.5]), np.array([0.3, -1.0, 2.0])
    for ours, theirs, kw in [(nn.optim.Adam, torch.optim.Adam, dict(lr=0.1, weight_decay=0.01)),
                             (nn.optim.SGD, torch.optim.SGD, dict(lr=0.1, momentum=0.9, weight_decay=0.01))]:
        pe, pt = nn.Parameter(p.copy()), torch.tensor(p.copy(), requires_grad=True)
        oe, ot = ours([pe], **kw), theirs([pt], **kw)
        for _ in range(3):
            pe.grad, pt.grad = g.copy(), torch.tensor(g.copy())
            oe.step()
            ot.step()
        close(pe.data, pt, ours.__name__)
    (ae, at), (be, bt) = pair(rng.standard_normal((3, 2, 4))), pair(rng.standard_normal((4, 5)))
    v = rng.standard_normal((4, 5))
    fe = ((ae @ be).tanh().logsumexp(axis=-1) * (ae.max(axis=2) + 1.0)).sum()
    ft = ((at @ bt).tanh().logsumexp(-1) * (at.amax(2) + 1.0)).sum()
    ge = grad(fe, be, create_graph=True)
    gt, = torch.autograd.grad(ft, bt, create_graph=True)
    close(ge.data, gt, "gradient")
    hve = grad((ge * Tensor(v)).sum(), [ae, be])
    hvt = torch.autograd.grad((gt * torch.tensor(v)).sum(), [at, bt])
    close(hve[0], hvt[0], "Hessian-vector product, A")
    close(hve[1], hvt[1], "Hessian-vector product, B")
