"""Loss modules and their options against PyTorch (skipped without torch)."""
import numpy as np
import pytest

import nn
from autograd_core import Tensor

torch = pytest.importorskip("torch")
rng = np.random.default_rng(0)
Z = rng.standard_normal((6, 4))
LABELS = np.array([0, 3, 1, -100, 2, 3])
PROBS = rng.dirichlet(np.ones(4), 6)
W = np.array([1.0, 2.0, 0.5, 1.5])
P = 1 / (1 + np.exp(-rng.standard_normal((6, 4))))
T = (rng.random((6, 4)) > 0.5).astype(float)

CASES = [
    ("ce", nn.CrossEntropyLoss(), torch.nn.CrossEntropyLoss(), Z, np.abs(LABELS) % 4),
    ("ce ignore", nn.CrossEntropyLoss(), torch.nn.CrossEntropyLoss(), Z, LABELS),
    ("ce weight", nn.CrossEntropyLoss(weight=W), torch.nn.CrossEntropyLoss(weight=torch.tensor(W)), Z, LABELS),
    ("ce smooth", nn.CrossEntropyLoss(weight=W, label_smoothing=0.2),
     torch.nn.CrossEntropyLoss(weight=torch.tensor(W), label_smoothing=0.2), Z, LABELS),
    ("ce sum", nn.CrossEntropyLoss(reduction="sum"), torch.nn.CrossEntropyLoss(reduction="sum"), Z, LABELS),
    ("ce none", nn.CrossEntropyLoss(reduction="none"), torch.nn.CrossEntropyLoss(reduction="none"), Z, LABELS),
    ("ce probs", nn.CrossEntropyLoss(weight=W, label_smoothing=0.1),
     torch.nn.CrossEntropyLoss(weight=torch.tensor(W), label_smoothing=0.1), Z, PROBS),
    ("nll", nn.NLLLoss(weight=W), torch.nn.NLLLoss(weight=torch.tensor(W)), Z, LABELS),
    ("mse", nn.MSELoss(), torch.nn.MSELoss(), Z, P), ("l1 sum", nn.L1Loss("sum"), torch.nn.L1Loss(reduction="sum"), Z, P),
    ("huber", nn.HuberLoss(delta=0.7), torch.nn.HuberLoss(delta=0.7), Z, P),
    ("bce", nn.BCELoss(), torch.nn.BCELoss(), P, T),
    ("bce logits", nn.BCEWithLogitsLoss(pos_weight=W), torch.nn.BCEWithLogitsLoss(pos_weight=torch.tensor(W)), Z, T),
    ("multi margin", nn.MultiMarginLoss(margin=0.5, weight=W),
     torch.nn.MultiMarginLoss(margin=0.5, weight=torch.tensor(W)), Z, np.abs(LABELS) % 4),
]


@pytest.mark.parametrize("ours,theirs,x,target", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_loss_matches_pytorch(ours, theirs, x, target):
    te, tt = Tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    le = ours(te, target)
    lt = theirs(tt, torch.tensor(target))
    np.testing.assert_allclose(le.data, lt.detach().numpy(), rtol=1e-12, atol=1e-12)
    w = rng.standard_normal(le.shape)
    (le * Tensor(w)).sum().backward()
    (lt * torch.tensor(w)).sum().backward()
    np.testing.assert_allclose(te.grad, tt.grad.numpy(), rtol=1e-10, atol=1e-12)


def test_binary_cross_entropy_matches_pytorch_at_saturated_probabilities():
    # p at 0, 1, e^-115 and 1 - 1e-17 (= 1.0): the logs clamp at -100, the gradient does not vanish
    p = np.array([1.0, 0.0, 1e-50, 1 - 1e-17, 0.0, 1e-10, 0.3])
    t = np.array([0.0, 1.0, 0.5, 0.5, 0.0, 0.3, 0.8])
    pe, te = Tensor(p, requires_grad=True), Tensor(t, requires_grad=True)
    pt, tt = torch.tensor(p, requires_grad=True), torch.tensor(t, requires_grad=True)
    le = nn.functional.binary_cross_entropy(pe, te, weight=np.arange(1.0, 8.0), reduction="sum")
    lt = torch.nn.functional.binary_cross_entropy(pt, tt, weight=torch.arange(1.0, 8.0, dtype=torch.float64),
                                                  reduction="sum")
    le.backward()
    lt.backward()
    assert le.item() == pytest.approx(lt.item(), rel=1e-12)
    np.testing.assert_allclose(pe.grad, pt.grad.numpy(), rtol=1e-12)
    np.testing.assert_allclose(te.grad, tt.grad.numpy(), rtol=1e-12)      # ±inf where p is 0 or 1, as torch


def test_binary_cross_entropy_second_derivative_matches_pytorch():
    from autograd_core import grad
    p, t = np.array([0.2, 0.7, 0.4]), np.array([0.1, 1.0, 0.0])
    pe, pt = Tensor(p, requires_grad=True), torch.tensor(p, requires_grad=True)
    (ge,) = grad(nn.functional.binary_cross_entropy(pe, t), [pe], create_graph=True)
    (gt,) = torch.autograd.grad(torch.nn.functional.binary_cross_entropy(pt, torch.tensor(t)), pt, create_graph=True)
    (he,) = grad((ge * ge).sum(), [pe])
    (ht,) = torch.autograd.grad((gt * gt).sum(), pt)
    np.testing.assert_allclose(np.asarray(getattr(he, "data", he)), ht.numpy(), rtol=1e-10)


@pytest.mark.parametrize("args,kw", [((2,), {}), ((2, 0.5), dict(reduction="sum")), ((1, 0.7, W), {}),
                                     ((2, 1.3, W), dict(reduction="none"))])
def test_multi_margin_loss_takes_p_first_as_pytorch(args, kw):
    labels = np.abs(LABELS) % 4
    te, tt = Tensor(Z, requires_grad=True), torch.tensor(Z, requires_grad=True)
    targs = tuple(torch.tensor(a) if isinstance(a, np.ndarray) else a for a in args)
    for le, lt in [(nn.functional.multi_margin_loss(te, labels, *args, **kw),
                    torch.nn.functional.multi_margin_loss(tt, torch.tensor(labels), *targs, **kw)),
                   (nn.MultiMarginLoss(*args, **kw)(te, labels),
                    torch.nn.MultiMarginLoss(*targs, **kw)(tt, torch.tensor(labels)))]:
        np.testing.assert_allclose(le.data, lt.detach().numpy(), rtol=1e-12)
        w = rng.standard_normal(le.shape)
        te.grad, tt.grad = None, None
        (le * Tensor(w)).sum().backward()
        (lt * torch.tensor(w)).sum().backward()
        np.testing.assert_allclose(te.grad, tt.grad.numpy(), rtol=1e-12, atol=1e-15)


def test_huber_loss_takes_reduction_before_delta_as_pytorch():
    for args in [("sum", 0.3), ("none", 2.0), ("mean",)]:
        le = nn.functional.huber_loss(Tensor(Z), P, *args)
        lt = torch.nn.functional.huber_loss(torch.tensor(Z), torch.tensor(P), *args)
        np.testing.assert_allclose(le.data, lt.numpy(), rtol=1e-12)
