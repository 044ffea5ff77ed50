"""Optimizer state, parameter groups, checkpoints that resume exactly,
gradient clipping and ReduceLROnPlateau."""
from __future__ import annotations

import numpy as np
import pytest

import nn
import nn.functional as F
from autograd_core import Tensor, manual_seed
from nn import data as D, optim
from nn.utils import clip_grad_norm_, clip_grad_value_


def _setup(kind):
    manual_seed(4)
    X, y = D.spiral(30, classes=3)
    model = nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, 3))
    opt = {"adam": lambda p: optim.Adam(p, lr=0.01), "sgd": lambda p: optim.SGD(p, lr=0.1, momentum=0.9),
           "rmsprop": lambda p: optim.RMSprop(p, lr=0.01, momentum=0.5),
           "adagrad": lambda p: optim.Adagrad(p, lr=0.1)}[kind](model.parameters())
    return model, opt, Tensor(X), y


def _steps(model, opt, X, y, n):
    for _ in range(n):
        loss = F.cross_entropy(model(X), y)
        opt.zero_grad()
        loss.backward()
        opt.step()


@pytest.mark.parametrize("kind", ["adam", "sgd", "rmsprop", "adagrad"])
def test_ten_steps_saved_and_reloaded_then_ten_more_equal_twenty(kind, tmp_path):
    straight, opt1, X, y = _setup(kind)
    _steps(straight, opt1, X, y, 20)
    first, opt2, X, y = _setup(kind)
    _steps(first, opt2, X, y, 10)
    path = nn.save(first, tmp_path / "ckpt.safetensors", optimizer=opt2, epoch=10)
    resumed, opt3, _, _ = _setup(kind)                    # a fresh model and optimizer
    assert nn.load(resumed, path, optimizer=opt3) == 10
    _steps(resumed, opt3, X, y, 10)
    for a, b in zip(straight.parameters(), resumed.parameters()):
        np.testing.assert_array_equal(a.data, b.data)      # bit-identical


def test_parameter_groups_and_zero_grad():
    a, b = Tensor([1.0], requires_grad=True), Tensor([1.0], requires_grad=True)
    opt = optim.SGD([{"params": [a]}, {"params": [b], "lr": 0.5}], lr=0.1)
    (a * 2.0 + b * 2.0).sum().backward()
    opt.step()
    assert a.tolist() == [0.8] and b.tolist() == [0.0]
    opt.zero_grad(set_to_none=False)
    assert a.grad.tolist() == [0.0]
    opt.zero_grad()
    assert a.grad is None
    with pytest.raises(ValueError, match="appears in two groups"):
        optim.SGD([{"params": [a]}, {"params": [a]}], lr=0.1)
    sched = optim.lr_scheduler.StepLR(opt, step_size=1, gamma=0.5)
    sched.step()
    assert [g["lr"] for g in opt.param_groups] == [0.05, 0.25]


def test_loading_a_mismatched_optimizer_changes_nothing(tmp_path):
    model, opt, X, y = _setup("adam")
    _steps(model, opt, X, y, 2)
    path = nn.save(model, tmp_path / "c.safetensors", optimizer=opt)
    other = nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, 3))
    before = [p.data.copy() for p in other.parameters()]
    wrong = optim.Adam(other.parameters()[:2])
    with pytest.raises(ValueError, match="saved groups have"):
        nn.load(other, path, optimizer=wrong)
    assert all(np.array_equal(p.data, q) for p, q in zip(other.parameters(), before))


def test_clipping_and_plateau():
    p, q = Tensor([3.0], requires_grad=True), Tensor([4.0], requires_grad=True)
    p.grad, q.grad = np.array([3.0]), np.array([4.0])
    assert clip_grad_norm_([p, q], 1.0) == pytest.approx(5.0)
    assert np.hypot(p.grad[0], q.grad[0]) == pytest.approx(1.0, rel=1e-5)
    q.grad = np.array([-7.0, 0.5])
    clip_grad_value_([q], 2.0)
    assert q.grad.tolist() == [-2.0, 0.5]
    opt = optim.SGD([p], lr=1.0)
    plateau = optim.lr_scheduler.ReduceLROnPlateau(opt, factor=0.5, patience=1)
    lrs = [plateau.step(m) for m in [1.0, 0.9, 0.95, 0.95, 0.95, 0.95]]
    assert lrs == [1.0, 1.0, 1.0, 0.5, 0.5, 0.25]


def test_init_functions_follow_their_formulas():
    from nn import init
    w = nn.Linear(300, 200).weight
    init.xavier_uniform_(w)
    bound = np.sqrt(6.0 / 500)
    assert np.abs(w.data).max() <= bound and np.abs(w.data).max() > 0.95 * bound
    init.kaiming_normal_(w, nonlinearity="relu")
    assert w.data.std() == pytest.approx(np.sqrt(2.0 / 300), rel=0.05)
    init.constant_(w, 0.5)
    assert np.all(w.data == 0.5) and w.requires_grad
    manual_seed(2)
    a = init.normal_(Tensor(np.zeros(3))).tolist()
    manual_seed(2)
    assert init.normal_(Tensor(np.zeros(3))).tolist() == a
    b = init.uniform_(Tensor(np.zeros(3)), generator=7).tolist()     # an int seed, as every layer's seed=
    assert b == np.random.default_rng(7).uniform(0.0, 1.0, 3).tolist()
    assert init.calculate_gain("leaky_relu", 0.2) == pytest.approx(np.sqrt(2 / 1.04))


def test_a_schedule_starts_from_the_lr_at_its_construction_and_sets_epoch_0():
    w = Tensor(np.ones(2), requires_grad=True)
    opt = nn.optim.SGD([w], lr=0.1)
    opt.lr = 1.0                                             # changed after the optimizer was built
    sched = nn.optim.StepLR(opt, 10)
    assert sched.step() == 1.0                               # PyTorch: the initial lr is 1.0
    opt2 = nn.optim.SGD([Tensor(np.ones(2), requires_grad=True)], lr=1.0)
    nn.optim.LambdaLR(opt2, lambda e: 0.5 if e == 0 else 0.25)
    assert opt2.lr == 0.5                                    # epoch 0's factor applies at once
    opt3 = nn.optim.SGD([Tensor(np.ones(2), requires_grad=True)], lr=1.0)
    nn.optim.MultiStepLR(opt3, [0, 3])
    assert opt3.lr == pytest.approx(0.1)


def test_lr_zero_freezes_a_group():
    w = Tensor(np.ones(2), requires_grad=True)
    opt = nn.optim.Adam([w], lr=0.0)
    w.grad = np.ones(2)
    opt.step()
    assert w.data.tolist() == [1.0, 1.0]
    with pytest.raises(ValueError, match="lr must be >= 0"):
        nn.optim.SGD([w], lr=-0.1)


class _WithOptimizerChild(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.optimizer = nn.Linear(2, 3)          # a submodule that happens to be called 'optimizer'
        self.head = nn.Linear(3, 3)

    def forward(self, x):
        return self.head(self.optimizer(x).relu())


def test_a_submodule_named_optimizer_saves_and_loads_with_and_without_optimizer_state(tmp_path):
    X, y = Tensor(np.random.default_rng(3).standard_normal((8, 2))), np.arange(8) % 3
    model = _WithOptimizerChild()
    opt = optim.Adam(model.parameters(), lr=0.01)
    _steps(model, opt, X, y, 3)
    for with_opt in (True, False):
        path = nn.save(model, tmp_path / f"m{with_opt}.safetensors", optimizer=opt if with_opt else None)
        other = _WithOptimizerChild()
        other_opt = optim.Adam(other.parameters(), lr=0.01)
        nn.load(other, path, optimizer=other_opt if with_opt else None)
        for a, b in zip(model.parameters(), other.parameters()):
            np.testing.assert_array_equal(a.data, b.data)
        if with_opt:
            for i, s in opt.state_dict()["state"].items():
                for k, v in s.items():
                    np.testing.assert_array_equal(other_opt.state_dict()["state"][i][k], v)


def test_a_file_with_the_old_optimizer_prefix_still_loads(tmp_path):
    import json
    from safetensors.numpy import save_file
    from nn import io
    model, opt, X, y = _setup("adam")
    _steps(model, opt, X, y, 2)
    new = nn.save(model, tmp_path / "new.safetensors", optimizer=opt, epoch=2)
    state, meta = io._read(new)
    state = {("optimizer." + k[len(".optimizer."):] if k.startswith(".optimizer.") else k): v
             for k, v in state.items()}
    text = json.loads(meta["optimizer"])
    del text["prefix"]
    meta = {"format": meta["format"], "epoch": "2", "optimizer": json.dumps(text),
            **{"sha256:" + k: io._digest(v) for k, v in state.items()}}
    save_file(state, str(tmp_path / "old.safetensors"), metadata=meta)
    other, other_opt, _, _ = _setup("adam")
    assert nn.load(other, tmp_path / "old.safetensors", optimizer=other_opt) == 2
    _steps(model, opt, X, y, 2)
    _steps(other, other_opt, X, y, 2)
    for a, b in zip(model.parameters(), other.parameters()):
        np.testing.assert_array_equal(a.data, b.data)


def test_module_dict_refuses_keys_a_state_dict_path_cannot_hold():
    for key in ("", "a.b"):
        with pytest.raises(KeyError, match="non-empty string without '.'"):
            nn.ModuleDict({key: nn.Linear(1, 1)})


@pytest.mark.parametrize("make,names", [
    (lambda p: optim.SGD(p, lr=0.1, momentum=0.9, weight_decay=0.1), ["momentum_buffer"]),
    (lambda p: optim.Adam(p, lr=0.1, weight_decay=0.1), ["exp_avg", "exp_avg_sq"]),
    (lambda p: optim.AdamW(p, lr=0.1), ["exp_avg", "exp_avg_sq"]),
    (lambda p: optim.RMSprop(p, lr=0.1, momentum=0.5, centered=True), ["square_avg", "grad_avg", "momentum_buffer"]),
    (lambda p: optim.Adagrad(p, lr=0.1), ["sum"])])
def test_array_state_is_updated_in_place_and_the_gradient_is_left_alone(make, names):
    w = Tensor(np.array([0.5, -1.0, 2.0]), requires_grad=True)
    opt = make([w])
    w.grad = np.array([0.3, -0.2, 0.1])
    opt.step()
    first = {k: opt.state[0][k] for k in names}
    before = {k: v.copy() for k, v in first.items()}
    opt.step()
    np.testing.assert_array_equal(w.grad, [0.3, -0.2, 0.1])
    for k in names:
        assert opt.state[0][k] is first[k]                   # the same array, new values
        assert not np.array_equal(opt.state[0][k], before[k])
