"""Loss options computed by hand (PyTorch's definitions)."""
from __future__ import annotations

import numpy as np
import pytest

import nn
import nn.functional as F
from autograd_core import Tensor, gradcheck


def _log_softmax(z):
    return z - np.log(np.exp(z).sum(1, keepdims=True))


@pytest.mark.parametrize("dtype", [np.int64, np.int32])
def test_cross_entropy_leaves_out_padded_samples_with_the_default_ignore_index(dtype):
    # a padded batch: the mean and the gradient over the kept samples only (the fast
    # gate refuses the -100 labels, and the loss falls back to the weighted path)
    z = np.array([[2.0, 0.0, -1.0], [0.5, 0.5, 0.5], [-1.0, 3.0, 0.0], [0.0, 1.0, 2.0]])
    y = np.array([0, -100, 1, -100], dtype=dtype)
    x = Tensor(z, requires_grad=True)
    loss = F.cross_entropy(x, y)
    lp = _log_softmax(z)
    assert loss.item() == pytest.approx(-(lp[0, 0] + lp[2, 1]) / 2, abs=1e-14)
    loss.backward()
    p = np.exp(lp)
    expected = np.zeros_like(z)
    expected[[0, 2]] = (p[[0, 2]] - np.eye(3)[[0, 1]]) / 2
    np.testing.assert_allclose(x.grad, expected, atol=1e-15)


def test_a_bad_label_reports_one_error_and_the_gate_refuses_negative_labels():
    from autograd_core import gates as G
    with pytest.raises(ValueError, match=r"labels must lie in \[0, 2\], got 0..3") as info:
        F.cross_entropy(Tensor(np.zeros((2, 3))), np.array([0, 3]))
    assert info.value.__suppress_context__          # no numpy error chained before it
    z = Tensor(np.zeros((2, 3)), requires_grad=True)
    with pytest.raises(ValueError):                  # applied directly: -1 would have picked column 2
        z._apply1(G.SOFTMAX_CE, G.CrossEntropyTarget(labels=np.array([0, -1])))


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


def test_ignore_index_that_is_a_real_class_is_ignored_on_the_fast_path():
    z = Tensor(np.array([[1.0, 2.0, 3.0], [0.5, 0.1, 2.0], [1.0, 1.0, 0.0]]))
    y = np.array([0, 1, 2])
    log_p = z.data - np.log(np.exp(z.data).sum(1, keepdims=True))
    want = -(log_p[1, 1] + log_p[2, 2]) / 2                        # sample 0 (class 0) dropped
    assert F.cross_entropy(z, y, ignore_index=0).item() == pytest.approx(want)
    assert F.cross_entropy(z, [0, 1, 2], ignore_index=0).item() == pytest.approx(want)     # a list too
    assert F.cross_entropy(z, [0, -100, 1]).item() == pytest.approx(-(log_p[0, 0] + log_p[2, 1]) / 2)


@pytest.mark.parametrize("options", [dict(reduction="sum"), dict(label_smoothing=0.1), dict()])
def test_a_probability_target_that_takes_a_gradient_gets_one_with_every_option(options):
    z = Tensor(np.array([[1.0, 2.0, 3.0], [0.5, 0.1, 2.0]]))
    t = Tensor(np.full((2, 3), 1 / 3), requires_grad=True)
    F.cross_entropy(z, t, **options).backward()
    log_p = z.data - np.log(np.exp(z.data).sum(1, keepdims=True))
    scale = (1.0 if options.get("reduction") == "sum" else 0.5) * (1 - options.get("label_smoothing", 0.0))
    np.testing.assert_allclose(t.grad, -log_p * scale, rtol=1e-12)


def test_binary_cross_entropy_gradient_is_finite_at_saturated_probabilities():
    p = Tensor([0.0, 1.0, 0.5], requires_grad=True)
    loss = F.binary_cross_entropy(p, np.array([0.0, 1.0, 1.0]))
    loss.backward()
    assert loss.item() == pytest.approx(np.log(2) / 3)
    # (p - t) / max(p(1 - p), 1e-12) / N: 0 where p = t, -0.5 / 0.25 / 3 at p = 0.5
    np.testing.assert_allclose(p.grad, [0.0, 0.0, -2 / 3])


def test_binary_cross_entropy_gradient_at_saturated_probabilities_has_pytorchs_sign_and_size():
    # the logs clamp at -100 in the value, but the gradient is (p - t) / max(p(1 - p), eps),
    # eps = float32(1e-12) as PyTorch's EPSILON; a clamp on the logs gave 0 or the wrong sign
    eps = float(np.float32(1e-12))
    p = Tensor([1.0, 0.0, 1e-50, 1 - 1e-17], requires_grad=True)
    loss = F.binary_cross_entropy(p, np.array([0.0, 1.0, 0.5, 0.5]), reduction="sum")
    loss.backward()
    assert loss.item() == pytest.approx(100 + 100 + 0.5 * (100 + 1e-50) + 0.5 * 100)
    np.testing.assert_allclose(p.grad, [1 / eps, -1 / eps, -0.5 / eps, 0.5 / eps], rtol=1e-12)


def test_binary_cross_entropy_gradient_matches_central_differences():
    p0, t = np.array([0.2, 0.7, 0.999]), np.array([0.1, 1.0, 0.0])
    p = Tensor(p0, requires_grad=True)
    F.binary_cross_entropy(p, t, reduction="sum").backward()
    h = 1e-7
    for i in range(3):
        d = np.zeros(3)
        d[i] = h
        f = [F.binary_cross_entropy(Tensor(p0 + s * d), t, reduction="sum").item() for s in (1, -1)]
        assert p.grad[i] == pytest.approx((f[0] - f[1]) / (2 * h), rel=1e-6)


def test_multi_margin_loss_p2_and_softplus_threshold_by_hand():
    s = Tensor([[0.2, 1.0, -0.5]])
    # y = 0: terms max(0, 1 - 0.2 + 1.0)² = 3.24 and max(0, 1 - 0.2 - 0.5)² = 0.09, over C = 3
    assert F.multi_margin_loss(s, [0], 2).item() == pytest.approx((3.24 + 0.09) / 3, rel=1e-12)
    assert nn.MultiMarginLoss(p=2, margin=0.5)(s, [0]).item() == pytest.approx((1.3 ** 2) / 3, rel=1e-12)
    with pytest.raises(ValueError, match="p = 1 and p = 2"):
        F.multi_margin_loss(s, [0], 3)
    x = Tensor([1.0, 10.5, 11.0], requires_grad=True)
    y = F.softplus(x, 2.0, 21.0)                  # linear where 2x > 21: the last entry only
    y.sum().backward()
    np.testing.assert_allclose(y.data, [np.log1p(np.exp(2.0)) / 2, np.log1p(np.exp(21.0)) / 2, 11.0], rtol=1e-15)
    np.testing.assert_allclose(x.grad, [1 / (1 + np.exp(-2.0)), 1 / (1 + np.exp(-21.0)), 1.0], rtol=1e-15)
