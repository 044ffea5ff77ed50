"""Optimizers and schedules against PyTorch: the same weights after 10 steps."""
import numpy as np
import pytest

import nn
from autograd_core import Tensor
from nn import optim

torch = pytest.importorskip("torch")
rng = np.random.default_rng(0)
X, Y = rng.standard_normal((16, 3)), rng.standard_normal((16, 2))

CASES = [
    ("sgd nesterov", lambda p: optim.SGD(p, lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.01),
     lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.01)),
    ("sgd dampening", lambda p: optim.SGD(p, lr=0.1, momentum=0.5, dampening=0.3),
     lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.5, dampening=0.3)),
    ("adam", lambda p: optim.Adam(p, lr=0.05, weight_decay=0.01), lambda p: torch.optim.Adam(p, lr=0.05, weight_decay=0.01)),
    ("adamw", lambda p: optim.AdamW(p, lr=0.05), lambda p: torch.optim.AdamW(p, lr=0.05)),
    ("rmsprop centered", lambda p: optim.RMSprop(p, lr=0.01, momentum=0.5, centered=True, weight_decay=0.1),
     lambda p: torch.optim.RMSprop(p, lr=0.01, momentum=0.5, centered=True, weight_decay=0.1)),
    ("adagrad", lambda p: optim.Adagrad(p, lr=0.1, lr_decay=0.01, weight_decay=0.1),
     lambda p: torch.optim.Adagrad(p, lr=0.1, lr_decay=0.01, weight_decay=0.1)),
]


def _pair():
    ours = nn.Linear(3, 2, seed=1)
    theirs = torch.nn.Linear(3, 2).double()
    with torch.no_grad():
        theirs.weight.copy_(torch.tensor(ours.weight.data))
        theirs.bias.copy_(torch.tensor(ours.bias.data))
    return ours, theirs


@pytest.mark.parametrize("make_ours,make_theirs", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_ten_steps_match_pytorch(make_ours, make_theirs):
    ours, theirs = _pair()
    o, t = make_ours(ours.parameters()), make_theirs(theirs.parameters())
    so = optim.lr_scheduler.StepLR(o, step_size=3, gamma=0.5)
    st = torch.optim.lr_scheduler.StepLR(t, step_size=3, gamma=0.5)
    for _ in range(10):
        lo = ((ours(Tensor(X)) - Tensor(Y)) ** 2).mean()
        o.zero_grad()
        lo.backward()
        o.step()
        so.step()
        lt = ((theirs(torch.tensor(X)) - torch.tensor(Y)) ** 2).mean()
        t.zero_grad()
        lt.backward()
        t.step()
        st.step()
    np.testing.assert_allclose(ours.weight.data, theirs.weight.detach().numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(ours.bias.data, theirs.bias.detach().numpy(), rtol=1e-10, atol=1e-12)


def test_schedules_match_pytorch():
    for make_ours, make_theirs in [
        (lambda o: optim.lr_scheduler.MultiStepLR(o, [2, 5], 0.3), lambda t: torch.optim.lr_scheduler.MultiStepLR(t, [2, 5], 0.3)),
        (lambda o: optim.lr_scheduler.CosineAnnealingLR(o, 8, 0.01), lambda t: torch.optim.lr_scheduler.CosineAnnealingLR(t, 8, 0.01)),
        (lambda o: optim.lr_scheduler.LambdaLR(o, lambda e: 0.9 ** e), lambda t: torch.optim.lr_scheduler.LambdaLR(t, lambda e: 0.9 ** e)),
        (lambda o: optim.lr_scheduler.ExponentialLR(o, 0.8), lambda t: torch.optim.lr_scheduler.ExponentialLR(t, 0.8)),
    ]:
        o = optim.SGD([Tensor([1.0], requires_grad=True)], lr=0.5)
        t = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.5)
        so, st = make_ours(o), make_theirs(t)
        ours, theirs = [], []
        for _ in range(10):
            t.step()
            so.step()
            st.step()
            ours.append(o.lr)
            theirs.append(t.param_groups[0]["lr"])
        np.testing.assert_allclose(ours, theirs, rtol=1e-12)


def _two_groups(lib, make):
    a = Tensor([1.0], requires_grad=True) if lib is optim else torch.zeros(1, requires_grad=True)
    b = Tensor([1.0], requires_grad=True) if lib is optim else torch.zeros(1, requires_grad=True)
    return make([{"params": [a]}, {"params": [b], "lr": 0.2}], lr=0.5)


SCHEDULE_RUNS = [
    ("exponential then step (chained)", lambda s, o: [s.ExponentialLR(o, 0.9), s.StepLR(o, 2, 0.5)]),
    ("cosine past T_max then multistep", lambda s, o: [s.CosineAnnealingLR(o, 4, 0.01), s.MultiStepLR(o, [3, 3, 7], 0.5)]),
    ("cosine alone, 3 periods", lambda s, o: [s.CosineAnnealingLR(o, 3, 0.05)]),
    ("lambda (not chainable) with exponential", lambda s, o: [s.ExponentialLR(o, 0.8), s.LambdaLR(o, lambda e: 1 / (1 + e))]),
    ("step with a milestone at 0", lambda s, o: [s.MultiStepLR(o, [0, 2], 0.1), s.StepLR(o, 3, 0.3)]),
]


@pytest.mark.parametrize("make", [c[1] for c in SCHEDULE_RUNS], ids=[c[0] for c in SCHEDULE_RUNS])
def test_chained_schedules_and_a_hand_set_lr_match_pytorch(make):
    o, t = _two_groups(optim, optim.SGD), _two_groups(torch.optim, torch.optim.SGD)
    so, st = make(optim.lr_scheduler, o), make(torch.optim.lr_scheduler, t)
    ours, theirs = [], []
    for epoch in range(14):
        if epoch == 6:                                      # an lr set by hand carries on from its new value
            for g in o.param_groups + t.param_groups:
                g["lr"] = 0.3
        t.step()
        for s in so:
            s.step()
        for s in st:
            s.step()
        ours.append([g["lr"] for g in o.param_groups])
        theirs.append([g["lr"] for g in t.param_groups])
        np.testing.assert_allclose(so[-1].get_last_lr(), st[-1].get_last_lr(), rtol=1e-12)
    np.testing.assert_allclose(ours, theirs, rtol=1e-12)


@pytest.mark.parametrize("options", [dict(), dict(mode="max", threshold_mode="abs", threshold=0.1),
                                     dict(factor=0.5, patience=1, cooldown=2, min_lr=[0.06, 0.01])])
def test_reduce_lr_on_plateau_matches_pytorch(options):
    o, t = _two_groups(optim, optim.SGD), _two_groups(torch.optim, torch.optim.SGD)
    so = optim.lr_scheduler.ReduceLROnPlateau(o, **options)
    st = torch.optim.lr_scheduler.ReduceLROnPlateau(t, **options)
    metrics = [5.0, 4.0, 4.0, 3.9999, 4.05, 4.1, 3.95, 3.9, 3.9, 3.9, 3.9] * 3 + [float("inf")]
    for m in metrics:
        t.step()
        so.step(m)
        st.step(m)
        assert [g["lr"] for g in o.param_groups] == pytest.approx([g["lr"] for g in t.param_groups], rel=1e-12)
        assert so.get_last_lr() == pytest.approx(st.get_last_lr(), rel=1e-12)
    assert so.best == st.best and so.last_epoch == st.last_epoch


def test_reduce_lr_on_plateau_takes_pytorchs_positional_arguments():
    o = _two_groups(optim, optim.SGD)
    s = optim.lr_scheduler.ReduceLROnPlateau(o, "max", 0.5, 3, 0.01, "abs", 2, 0.001, 1e-9)
    assert (s.mode, s.factor, s.patience, s.threshold, s.threshold_mode, s.cooldown, s.min_lrs, s.eps) == \
        ("max", 0.5, 3, 0.01, "abs", 2, [0.001, 0.001], 1e-9)
