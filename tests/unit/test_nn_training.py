"""Optimizers, schedules, datasets, loader, safetensors files, training to
stated accuracies and the demo command."""
import xml.etree.ElementTree as ET

import numpy as np
import pytest

import nn
import nn.functional as F
from autograd_core import Value
from nn import data as D
from nn.optim import SGD, Adam, ExponentialLR, InverseTimeLR, StepLR


def _param(values):
    p = nn.Parameter(np.array(values, dtype=float))
    return p


def test_sgd_plain_momentum_and_weight_decay_exact_steps():
    p = _param([1.0, -2.0])
    opt = SGD([p], lr=0.1)
    p.grad = np.array([0.5, 1.0])
    opt.step()
    np.testing.assert_allclose(p.data, [0.95, -2.1])
    q = _param([1.0])
    opt = SGD([q], lr=0.1, momentum=0.9, weight_decay=0.5)
    q.grad = np.array([1.0])
    opt.step()                                   # g = 1 + 0.5·1 = 1.5, b = 1.5, q = 1 - 0.15
    np.testing.assert_allclose(q.data, [0.85])
    q.grad = np.array([1.0])
    opt.step()                                   # g = 1 + 0.425 = 1.425, b = 0.9·1.5 + 1.425 = 2.775
    np.testing.assert_allclose(q.data, [0.85 - 0.2775])
    opt.zero_grad()
    assert q.grad is None


def test_adam_first_step_is_lr_times_sign_and_works_on_values():
    p = _param([1.0, 1.0])
    opt = Adam([p], lr=0.01)
    p.grad = np.array([3.0, -0.2])
    opt.step()
    np.testing.assert_allclose(p.data, [0.99, 1.01], atol=1e-9)
    v = Value(2.0)
    opt_v = Adam([v], lr=0.1)
    (v * v).backward()
    opt_v.step()
    assert v.data == pytest.approx(1.9)
    opt_v.zero_grad()
    assert v.grad == 0.0


def test_learning_rate_schedules():
    p = _param([0.0])
    opt = SGD([p], lr=1.0)
    s = StepLR(opt, step_size=2, gamma=0.5)
    assert [s.step() for _ in range(4)] == [1.0, 0.5, 0.5, 0.25]
    opt = SGD([p], lr=1.0)
    e = ExponentialLR(opt, gamma=0.9)
    assert [round(e.step(), 6) for _ in range(2)] == [0.9, 0.81]
    opt = SGD([p], lr=1.0)
    inv = InverseTimeLR(opt, decay=0.5)
    assert [inv.step() for _ in range(3)] == pytest.approx([1 / 1.5, 1 / 2.0, 1 / 2.5], rel=1e-15)  # η → 0, Σ η = ∞


def test_spiral_follows_the_lecture_formula():
    X, y = D.spiral(50, classes=4, noise=0.0)
    t = np.tile(np.linspace(0, 1, 50), 4)
    k = y + 1
    angle = 2 * np.pi / 4 * (2 * t + k - 1)
    np.testing.assert_allclose(X, t[:, None] * np.stack([np.sin(angle), np.cos(angle)], 1))
    assert np.bincount(y).tolist() == [50] * 4


def test_parity_zigzag_polynomial_xor_moons():
    X, y = D.parity(4)
    assert X.shape == (16, 4)
    assert y[X.tolist().index([0, 1, 1, 0])] == 0 and y[X.tolist().index([1, 1, 0, 1])] == 1   # seed 001
    x, z = D.zigzag(5, depth=1)
    np.testing.assert_allclose(z, [0, 0.5, 1, 0.5, 0])                      # one tent
    x, z = D.zigzag(9, depth=2)
    np.testing.assert_allclose(z, [0, 0.5, 1, 0.5, 0, 0.5, 1, 0.5, 0])      # two teeth
    X, t = D.polynomial(20, (1.0, -2.0, 3.0), noise=0.0)
    np.testing.assert_allclose(t, 1 - 2 * X[:, 0] + 3 * X[:, 0] ** 2)
    X, y = D.xor(100, noise=0.0)
    np.testing.assert_array_equal(y, X[:, 0].astype(int) ^ X[:, 1].astype(int))
    X, y = D.moons(10, noise=0.0)
    np.testing.assert_allclose(np.hypot(X[y == 0, 0], X[y == 0, 1]), 1.0)


def test_data_loader_batches_shuffle_and_drop_last():
    X, y = np.arange(10.0)[:, None], np.arange(10)
    batches = list(D.DataLoader(X, y, batch_size=4, shuffle=False))
    assert [len(b[1]) for b in batches] == [4, 4, 2]
    assert [len(b[1]) for b in D.DataLoader(X, y, 4, drop_last=True)] == [4, 4]
    a = [b[1].tolist() for b in D.DataLoader(X, y, 4, shuffle=True, seed=3)]
    b = [b[1].tolist() for b in D.DataLoader(X, y, 4, shuffle=True, seed=3)]
    assert a == b and sorted(sum(a, [])) == list(range(10)) and a != [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]
    loader = D.DataLoader(X, y, 10, shuffle=True, seed=0)
    assert next(iter(loader))[1].tolist() != next(iter(loader))[1].tolist()   # new order each epoch
    with pytest.raises(ValueError, match=r"TensorDataset: the arrays have different lengths \[10, 9\]"):
        D.DataLoader(X, y[:9])


def test_safetensors_round_trip_and_clear_errors(tmp_path):
    model = nn.MLP(3, [5, 2], seed=0)
    path = nn.save(model, tmp_path / "model.safetensors")
    other = nn.MLP(3, [5, 2], seed=9)
    nn.load(other, path)
    for (n1, a), (n2, b) in zip(model.named_parameters(), other.named_parameters()):
        assert n1 == n2
        np.testing.assert_array_equal(a.data, b.data)
    with pytest.raises(ValueError, match="'net.0.weight' has shape \\(4, 3\\), the state has \\(5, 3\\)"):
        nn.load(nn.MLP(3, [4, 2]), path)
    with pytest.raises(KeyError, match="missing parameters: net.4.weight, net.4.bias"):
        nn.load(nn.MLP(3, [5, 2, 2]), path)
    raw = bytearray(path.read_bytes())
    raw[10:30] = b"\x00" * 20                      # tamper with the header
    bad = tmp_path / "bad.safetensors"
    bad.write_bytes(bytes(raw))
    with pytest.raises(ValueError, match="not a readable safetensors file"):
        nn.load(other, bad)


def test_training_spiral_parity_and_digits_reach_stated_accuracy():
    X, y = D.spiral(100, classes=3, noise=0.02, seed=0)
    model = nn.MLP(2, [32, 32, 3], seed=0)
    nn.fit(model, F.cross_entropy, Adam(model.parameters(), lr=0.01), D.DataLoader(X, y, 32, shuffle=True, seed=0),
           epochs=100, progress=False)
    assert nn.accuracy(model, X, y) >= 0.95

    X, y = D.parity(8)
    model = nn.MLP(8, [64, 64, 2], seed=0)
    hist = nn.fit(model, F.cross_entropy, Adam(model.parameters(), lr=0.01), D.DataLoader(X, y, 32, shuffle=True, seed=0),
                  epochs=150, progress=False)
    assert nn.accuracy(model, X, y) == 1.0 and hist[-1]["loss"] < hist[0]["loss"]

    pytest.importorskip("sklearn")
    X, y = D.digits()
    Xtr, Xte, ytr, yte = D.train_test_split(X, y, 0.25, seed=0)
    model = nn.MLP(64, [128, 64, 10], seed=0)
    nn.fit(model, F.cross_entropy, SGD(model.parameters(), lr=0.1, momentum=0.9),
           D.DataLoader(Xtr, ytr, 64, shuffle=True, seed=0), epochs=20, progress=False)
    assert nn.accuracy(model, Xte, yte) >= 0.95


def test_fit_progress_bar_reports_loss_and_accuracy(capsys):
    X, y = D.xor(64, noise=0.05)
    model = nn.MLP(2, [8, 2], seed=0)
    nn.fit(model, F.cross_entropy, SGD(model.parameters(), lr=0.5), D.DataLoader(X, y, 16, shuffle=True), epochs=2)
    err = capsys.readouterr().err
    assert "loss=" in err and "acc=" in err and "8/8" in err


def test_demo_trains_prints_and_writes_files(tmp_path, capsys):
    from nn.demo import main
    result = main(["--quiet", "--epochs", "60", "--out", str(tmp_path)])
    captured = capsys.readouterr()
    assert "train accuracy" in captured.out and "test accuracy" in captured.out
    assert result["train_accuracy"] >= 0.9 and result["test_accuracy"] >= 0.85
    assert "225 training and 75 test points" in captured.out                  # a real held-out split
    history = result["history"]
    assert len(history) == 60 and all({"loss", "accuracy", "test_loss", "test_accuracy"} <= set(h) for h in history)
    svg = (tmp_path / "graph.svg").read_text()
    assert ET.parse(tmp_path / "graph.svg").getroot().tag.endswith("svg")
    assert "linear" in svg and "softmax CE" in svg and "(64, 2) float64" in svg   # the trained model's graph
    assert "grad ?" not in svg
    try:
        import matplotlib  # noqa: F401  (in the [dev] extra; optional for users)
    except ImportError:
        assert "pip install matplotlib" in captured.err and not (tmp_path / "loss.png").exists()
    else:
        assert (tmp_path / "boundary.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert (tmp_path / "loss.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    parity = main(["--quiet", "--dataset", "parity", "--epochs", "5", "--hidden", "16", "--out", str(tmp_path / "p")])
    assert not (tmp_path / "p" / "boundary.png").exists()           # 8-D input: no 2-D boundary
    assert "192 training and 64 test points" in capsys.readouterr().out


def test_seed_003_digits_convnet_reaches_97_percent():
    """Seed 003's convolutional network (conv, ReLU, max-pool, flatten, linear) on the
    8x8 digits: at least 97% on held-out images (the autouse fixture seeds the generator)."""
    from nn.optim.lr_scheduler import StepLR
    X, y = D.digits()
    Xtr, Xte, ytr, yte = D.train_test_split(X.reshape(-1, 1, 8, 8), y, 0.25, seed=0)
    model = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                          nn.Linear(16 * 4 * 4, 10))
    opt = Adam(model.parameters(), lr=0.01)
    nn.fit(model, F.cross_entropy, opt, D.DataLoader(Xtr, ytr, 64, shuffle=True), epochs=15, progress=False,
           schedule=StepLR(opt, step_size=5, gamma=0.3))
    assert nn.accuracy(model, Xte, yte) >= 0.97
