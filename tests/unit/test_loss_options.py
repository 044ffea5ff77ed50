"""Loss options computed by hand (PyTorch's definitions)."""
from __future__ import annotations

import numpy as np
import pytest

import nn
import nn.functional as F
from autograd_core import Tensor, gradcheck


def _log_softmax(z):
    return z - np.log(np.exp(z).sum(1, keepdims=True))


def test_cross_entropy_weight_ignore_index_and_smoothing_by_hand():
    z = np.array([[2.0, 0.0, -1.0], [0.5, 0.5, 0.5], [-1.0, 3.0, 0.0]])
    y = np.array([0, -100, 1])
    w = np.array([2.0, 1.0, 0.5])
    lp = _log_softmax(z)
    loss = nn.CrossEntropyLoss(weight=w)(Tensor(z), y).item()
    assert loss == pytest.approx(-(2.0 * lp[0, 0] + 1.0 * lp[2, 1]) / (2.0 + 1.0))       # ignored row left out
    per = nn.CrossEntropyLoss(reduction="none")(Tensor(z), y).data
    assert per[1] == 0.0 and per[0] == pytest.approx(-lp[0, 0])
    eps = 0.3
    smooth = F.cross_entropy(Tensor(z), np.array([0, 2, 1]), label_smoothing=eps).item()
    t = np.eye(3)[[0, 2, 1]] * (1 - eps) + eps / 3
    assert smooth == pytest.approx(-(t * lp).sum(1).mean())
    assert gradcheck(lambda x: F.cross_entropy(x, y, weight=w, label_smoothing=0.1),
                     [Tensor(z, requires_grad=True)])


def test_regression_and_binary_losses_by_hand():
    p, t = Tensor([0.5, 2.0, -1.0], requires_grad=True), np.array([0.0, 0.5, 1.0])
    assert nn.L1Loss()(p, t).item() == pytest.approx((0.5 + 1.5 + 2.0) / 3)
    assert nn.HuberLoss(delta=1.0)(p, t).item() == pytest.approx((0.125 + 1.0 + 1.5) / 3)
    assert nn.MSELoss(reduction="sum")(p, t).item() == pytest.approx(0.25 + 2.25 + 4.0)
    q = Tensor([0.2, 0.9], requires_grad=True)
    assert nn.BCELoss()(q, np.array([0.0, 1.0])).item() == pytest.approx(-(np.log(0.8) + np.log(0.9)) / 2)
    z = Tensor([0.0, 0.0], requires_grad=True)
    nn.BCEWithLogitsLoss(pos_weight=np.array([3.0, 3.0]))(z, np.array([1.0, 0.0])).backward()
    assert z.grad.tolist() == pytest.approx([3.0 * (0.5 - 1.0) / 2, 0.5 / 2])
    with pytest.raises(ValueError, match="reduction must be 'mean', 'sum' or 'none'"):
        nn.MSELoss(reduction="avg")
    with pytest.raises(ValueError, match="probabilities must lie in"):
        nn.BCELoss()(Tensor([1.5]), np.array([1.0]))
