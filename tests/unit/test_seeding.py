"""One seed, one generator: manual_seed makes every random default repeat,
in this process and in another one."""
from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np

import nn
from autograd_core import default_generator, manual_seed
from nn import data as D

ROOT = Path(__file__).resolve().parents[2]

TRAIN = textwrap.dedent("""
    import hashlib, sys
    import nn, nn.functional as F
    from nn import data as D, optim
    nn.manual_seed(int(sys.argv[1]))
    X, y = D.spiral(40, classes=3, noise=0.1)           # noise from the library's generator
    model = nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, 3))   # initialised from it
    opt = optim.SGD(model.parameters(), lr=0.1)
    for xb, yb in D.DataLoader(X, y, batch_size=16, shuffle=True):    # shuffled by it
        loss = F.cross_entropy(model(xb), yb)           # batches are Tensors
        opt.zero_grad(); loss.backward(); opt.step()
    h = hashlib.sha256(b"".join(p.data.tobytes() for p in model.parameters()))
    print(h.hexdigest())
""")


def _run(seed: int) -> str:
    out = subprocess.run([sys.executable, "-c", TRAIN, str(seed)], capture_output=True, text=True, cwd=ROOT,
                         check=True)
    return out.stdout.strip()


def test_same_seed_same_training_in_two_processes():
    first, second, other = _run(7), _run(7), _run(8)
    assert len(first) == 64 and first == second          # bit-identical weights
    assert other != first


def _draw_every_default():
    return (nn.Linear(3, 2).weight.data.copy(), D.moons(20)[0], D.spiral(5)[0],
            [b[1].tolist() for b in D.DataLoader(np.arange(10.0), np.arange(10), batch_size=5, shuffle=True)],
            [p.data for p in nn.scalar.MLP(2, [2, 1]).parameters()])


def test_every_random_default_draws_from_the_one_generator():
    manual_seed(3)
    a = _draw_every_default()
    manual_seed(3)
    b = _draw_every_default()
    manual_seed(4)
    c = _draw_every_default()
    np.testing.assert_array_equal(a[0], b[0])
    np.testing.assert_array_equal(a[1], b[1])
    np.testing.assert_array_equal(a[2], b[2])
    assert a[3] == b[3] and a[4] == b[4]
    # each default follows the seed: another seed changes every one of them (one ignoring
    # manual_seed would repeat its own fixed draw)
    for i, name in enumerate(["Linear", "moons", "spiral", "DataLoader", "scalar MLP"]):
        assert not np.array_equal(np.asarray(a[i], dtype=float), np.asarray(c[i], dtype=float)), name
    assert not np.array_equal(nn.Linear(3, 2).weight.data, c[0])     # the stream moves on
    # explicit seeds keep working and leave the library's stream alone
    state = default_generator().bit_generator.state
    np.testing.assert_array_equal(nn.Linear(3, 2, seed=5).weight.data, nn.Linear(3, 2, seed=5).weight.data)
    assert default_generator().bit_generator.state == state
