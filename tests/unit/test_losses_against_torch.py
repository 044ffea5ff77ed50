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
