"""The layers a PyTorch or DeZero user expects: values by hand, gradients by
central differences, train/eval behaviour, buffers in the state."""
from __future__ import annotations

import numpy as np
import pytest

import nn
from autograd_core import Tensor, gradcheck, manual_seed, randn, tensor
from nn import functional as F


def test_layernorm_and_batchnorm_normalise_and_differentiate():
    x = Tensor(np.random.default_rng(0).normal(3.0, 2.0, (8, 4)), requires_grad=True)
    y = nn.LayerNorm(4)(x)
    np.testing.assert_allclose(y.data.mean(axis=1), 0.0, atol=1e-12)
    np.testing.assert_allclose(y.data.var(axis=1), 1.0, atol=1e-4)          # eps = 1e-5
    assert gradcheck(lambda t: nn.LayerNorm(4)(t) * Tensor(np.arange(4.0)), [x])
    bn = nn.BatchNorm1d(4)
    z = bn(x)
    np.testing.assert_allclose(z.data.mean(axis=0), 0.0, atol=1e-12)
    np.testing.assert_allclose(bn.running_mean.data, 0.1 * x.data.mean(axis=0))
    np.testing.assert_allclose(bn.running_var.data, 0.9 + 0.1 * x.data.var(axis=0, ddof=1))
    assert bn.num_batches_tracked.item() == 1
    assert gradcheck(lambda t: nn.BatchNorm1d(4)(t) * Tensor(np.arange(4.0)), [x])
    bn.eval()
    np.testing.assert_allclose(bn(x).data, (x.data - bn.running_mean.data) / np.sqrt(bn.running_var.data + 1e-5))
    assert set(bn.state_dict()) == {"weight", "bias", "running_mean", "running_var", "num_batches_tracked"}
    other = nn.BatchNorm1d(4)
    other.load_state_dict(bn.state_dict())
    np.testing.assert_array_equal(other.running_var.data, bn.running_var.data)
    with pytest.raises(ValueError, match="4 channels in axis 1"):
        nn.BatchNorm2d(4)(randn(2, 3, 5, 5))


def test_pooling_values_and_gradients():
    x = Tensor(np.arange(16.0).reshape(1, 1, 4, 4), requires_grad=True)
    assert nn.MaxPool2d(2)(x).data.reshape(-1).tolist() == [5.0, 7.0, 13.0, 15.0]
    assert nn.AvgPool2d(2)(x).data.reshape(-1).tolist() == [2.5, 4.5, 10.5, 12.5]
    nn.MaxPool2d(2)(x).sum().backward()
    assert x.grad.reshape(-1).tolist() == [0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 1, 0, 1]
    r = Tensor(np.random.default_rng(1).standard_normal((2, 3, 5, 5)), requires_grad=True)
    assert gradcheck(lambda t: F.max_pool2d(t, 3, stride=2, padding=1), [r])
    assert gradcheck(lambda t: F.avg_pool2d(t, (2, 3), stride=1), [r])


def test_dropout_embedding_flatten_and_modules():
    manual_seed(0)
    x = Tensor(np.ones((200, 50)), requires_grad=True)
    d = nn.Dropout(0.3)
    y = d(x)
    kept = y.data != 0
    assert 0.6 < kept.mean() < 0.8 and np.allclose(y.data[kept], 1 / 0.7)
    y.sum().backward()
    assert np.array_equal(x.grad != 0, kept)
    d.eval()
    assert d(x) is x
    e = nn.Embedding(5, 3, seed=0)
    out = e(tensor([1, 1, 4]))
    out.sum().backward()
    assert out.shape == (3, 3) and e.weight.grad[1].tolist() == [2.0, 2.0, 2.0] and e.weight.grad[0].tolist() == [0.0] * 3
    with pytest.raises(IndexError, match=r"indices must lie in \[0, 4\]"):
        e(tensor([5]))
    model = nn.Sequential(nn.Flatten(), nn.Linear(12, 4), nn.GELU(), nn.Dropout(0.1), nn.Identity(),
                          nn.Linear(4, 3), nn.LogSoftmax(dim=1))
    assert model(randn(2, 3, 4)).shape == (2, 3)
    model.eval()
    assert all(not m.training for m in model.modules())
    assert len(list(model.children())) == 7 and len(list(model.modules())) == 8
    model.requires_grad_(False)
    assert not any(p.requires_grad for p in model.parameters())
    seen = []
    model.apply(lambda m: seen.append(type(m).__name__))
    assert seen[-1] == "Sequential" and seen[0] == "Flatten"
    layers = nn.ModuleList([nn.Linear(2, 2), nn.Linear(2, 2)])
    heads = nn.ModuleDict({"a": nn.Linear(2, 1)})
    holder = nn.Sequential(layers, heads)
    assert len(holder.parameters()) == 6 and "a" in heads and len(layers) == 2


def test_convolutions_with_options_pass_gradcheck():
    rng = np.random.default_rng(5)
    x = Tensor(rng.standard_normal((2, 4, 6, 5)), requires_grad=True)
    w = Tensor(rng.standard_normal((6, 2, 3, 2)), requires_grad=True)
    b = Tensor(rng.standard_normal(6), requires_grad=True)
    assert gradcheck(lambda x_, w_, b_: F.conv2d(x_, w_, b_, stride=(2, 1), padding=(1, 0), dilation=(1, 2),
                                                   groups=2), [x, w, b])
    wt = Tensor(rng.standard_normal((4, 3, 3, 3)), requires_grad=True)
    assert gradcheck(lambda x_, w_: F.conv_transpose2d(x_, w_, stride=2, padding=1, output_padding=1), [x, wt])
    y = nn.ConvTranspose2d(4, 3, 3, stride=2, padding=1, output_padding=1)(x)
    assert y.shape == (2, 3, 12, 10)                               # (H − 1)·2 − 2 + 2 + 1 + 1
    s = Tensor(rng.standard_normal((2, 4, 9)), requires_grad=True)
    assert nn.Conv1d(4, 6, 3, stride=2, padding=1)(s).shape == (2, 6, 5)
    assert gradcheck(lambda s_: F.conv1d(s_, Tensor(np.ones((3, 4, 2))), dilation=2), [s])
    c1 = nn.Conv1d(4, 6, 3, stride=(2,), padding=(1,), seed=0)             # 1-tuples, as PyTorch's
    by_ints = F.conv1d(s, c1.weight, c1.bias, 2, 1)
    np.testing.assert_array_equal(F.conv1d(s, c1.weight, c1.bias, (2,), (1,), (1,)).data, by_ints.data)
    np.testing.assert_array_equal(c1(s).data, by_ints.data)
    with pytest.raises(ValueError, match="divide into 3 groups"):
        nn.Conv2d(4, 6, 3, groups=3)


def test_assigning_a_buffer_attribute_updates_what_is_saved():
    bn = nn.BatchNorm1d(2)
    bn.running_mean = Tensor([5.0, 5.0])
    assert bn.state_dict()["running_mean"].tolist() == [5.0, 5.0]
    bn.eval()
    out = bn(Tensor(np.array([[5.0, 5.0]])))
    np.testing.assert_allclose(out.data, 0.0, atol=1e-6)               # normalised with the new mean
    del bn.running_mean
    assert "running_mean" not in bn.state_dict()


@pytest.mark.parametrize("layer,shape", [(nn.BatchNorm1d(3), (1, 3)), (nn.BatchNorm1d(3), (1, 3, 1)),
                                         (nn.BatchNorm2d(3), (1, 3, 1, 1))])
def test_batchnorm_refuses_one_value_per_channel_when_it_uses_batch_statistics(layer, shape):
    # the variance of one value is 0: the output was all zeros and running_var was pulled toward 0
    with pytest.raises(ValueError, match=r"Expected more than 1 value per channel when training, got input size"):
        layer(Tensor(np.ones(shape)))
    np.testing.assert_array_equal(layer.running_var.data, np.ones(3))
    unbatched = type(layer)(3, track_running_stats=False).eval()      # eval, but still batch statistics
    with pytest.raises(ValueError, match="more than 1 value per channel"):
        unbatched(Tensor(np.ones(shape)))
    layer.eval()                                                      # running statistics: one sample is fine
    np.testing.assert_allclose(layer(Tensor(np.full(shape, 2.0))).data, np.full(shape, 2.0 / np.sqrt(1 + 1e-5)))
    layer.train()
    layer(Tensor(np.arange(6.0).reshape((2,) + shape[1:])))           # two values per channel: fine


def test_sibling_layers_are_not_instances_of_each_other():
    assert not isinstance(nn.AvgPool2d(2), nn.MaxPool2d) and not isinstance(nn.MaxPool2d(2), nn.AvgPool2d)
    assert not isinstance(nn.LogSoftmax(1), nn.Softmax) and not isinstance(nn.Softmax(1), nn.LogSoftmax)
    for conv in (nn.Conv1d(2, 2, 3), nn.ConvTranspose2d(2, 2, 3)):
        assert not isinstance(conv, nn.Conv2d)
    c = nn.Conv1d(2, 4, 3, dilation=2)
    assert list(c.state_dict()) == ["weight", "bias"] and c.weight.shape == (4, 2, 3)
    assert (c.kernel_size, c.stride, c.padding, c.dilation) == ((3,), (1,), (0,), (2,))
