"""DataLoader as PyTorch's: Tensors out, no shuffling unless asked, Datasets in."""
from __future__ import annotations

import numpy as np
import pytest

import nn
import nn.functional as F
from autograd_core import Tensor
from nn import data as D, optim


def test_a_hand_written_loop_runs_on_the_loaders_batches():
    X, y = D.spiral(20, classes=3)
    model = nn.MLP(2, [8, 3], seed=0)
    opt = optim.SGD(model.parameters(), lr=0.1)
    xs, ys, losses, want = [], [], [], []
    for xb, yb in D.DataLoader(X, y, batch_size=16):
        assert isinstance(xb, Tensor) and isinstance(yb, Tensor) and yb.dtype == np.int64
        xs.append(xb.data)
        ys.append(yb.data)
        logits = model(xb)
        z = logits.data - logits.data.max(1, keepdims=True)      # the loss by hand, before the step
        want.append(np.mean(np.log(np.exp(z).sum(1)) - z[np.arange(len(z)), yb.data]))
        loss = F.cross_entropy(logits, yb)                  # no Tensor(...) wrapping needed
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    # the batches are the rows in order (60 = 16 + 16 + 16 + 12), not one batch repeated
    assert [len(b) for b in ys] == [16, 16, 16, 12]
    np.testing.assert_array_equal(np.concatenate(xs), X)
    np.testing.assert_array_equal(np.concatenate(ys), y)
    np.testing.assert_allclose(losses, want, rtol=1e-12)
    assert len(set(losses)) == 4                            # every step saw a new batch and new weights


def test_no_shuffle_unless_asked_and_datasets():
    X, y = np.arange(10.0).reshape(5, 2), np.arange(5)
    assert [b[1].tolist() for b in D.DataLoader(X, y, batch_size=2)] == [[0, 1], [2, 3], [4]]
    shuffled = [b[1].tolist() for b in D.DataLoader(X, y, batch_size=5, shuffle=True, seed=0)]
    assert sorted(shuffled[0]) == [0, 1, 2, 3, 4] and shuffled[0] != [0, 1, 2, 3, 4]
    ds = D.TensorDataset(Tensor(X), y)
    assert len(ds) == 5 and ds[1][0].tolist() == [2.0, 3.0]
    assert [b[1].tolist() for b in D.DataLoader(ds, batch_size=3)] == [[0, 1, 2], [3, 4]]

    class Squares(D.Dataset):
        def __len__(self):
            return 4

        def __getitem__(self, i):
            return np.array([float(i)]), i * i

    xb, yb = next(iter(D.DataLoader(Squares(), batch_size=4)))
    assert xb.shape == (4, 1) and yb.tolist() == [0, 1, 4, 9] and yb.dtype == np.int64
    only = next(iter(D.DataLoader(np.ones((3, 2)), batch_size=2)))
    assert isinstance(only, Tensor) and only.shape == (2, 2)
    with pytest.raises(ValueError, match="different lengths"):
        D.TensorDataset(np.ones(3), np.ones(4))
    with pytest.raises(ValueError, match="batch_size must be a positive integer"):
        D.DataLoader(X, y, batch_size=0)
