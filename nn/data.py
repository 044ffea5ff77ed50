"""Datasets generated in code, and a minibatch loader."""
from __future__ import annotations

import itertools
import math
from typing import Any, Iterator, Optional, Tuple

import numpy as np

from autograd_core import Tensor
from autograd_core._tensor import _adopt
from autograd_core.rng import generator_for

__all__ = ["DataLoader", "Dataset", "TensorDataset", "spiral", "parity", "zigzag", "polynomial", "xor", "moons", "digits",
           "train_test_split"]

Arrays = Tuple[np.ndarray, np.ndarray]


class Dataset:
    """What a ``DataLoader`` can read besides arrays, as in PyTorch: ``len(ds)``
    and ``ds[i]``, an example (a tuple of arrays or numbers, or one of them)."""

    def __len__(self) -> int:
        raise NotImplementedError

    def __getitem__(self, i: int) -> Any:
        raise NotImplementedError


class TensorDataset(Dataset):
    """Rows of equally long arrays or Tensors: ``ds[i]`` is the i-th row of each."""

    def __init__(self, *arrays: Any) -> None:
        if not arrays:
            raise ValueError("TensorDataset: give at least one array")
        self.arrays = [a.data if isinstance(a, Tensor) else np.asarray(a) for a in arrays]
        n = len(self.arrays[0])
        if any(len(a) != n for a in self.arrays):
            raise ValueError(f"TensorDataset: the arrays have different lengths {[len(a) for a in self.arrays]}")

    def __len__(self) -> int:
        return len(self.arrays[0])

    def __getitem__(self, i: Any) -> tuple:
        return tuple(a[i] for a in self.arrays)


class DataLoader:
    """Minibatches as Tensors, from arrays ``DataLoader(X, y)`` or a ``Dataset``.

    ``batch_size`` (32 by default; PyTorch's is 1), ``shuffle`` (off by default,
    as in PyTorch; on: a new order every epoch, drawn from ``seed``'s generator
    or the library's, ``manual_seed``) and ``drop_last`` (skip a final short
    batch). Each batch is a tuple of Tensors (integer labels stay integer),
    or one Tensor for a one-array dataset."""

    def __init__(self, data: Any, y: Any = None, batch_size: int = 32, shuffle: bool = False,
                 seed: Optional[int] = None, drop_last: bool = False) -> None:
        if isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer)) or batch_size < 1:
            raise ValueError(f"DataLoader: batch_size must be a positive integer, got {batch_size!r}")
        if isinstance(data, Dataset) or (y is None and hasattr(data, "__getitem__") and hasattr(data, "__len__")
                                         and not isinstance(data, (np.ndarray, Tensor))):
            self.dataset = data
        else:
            self.dataset = TensorDataset(data) if y is None else TensorDataset(data, y)
        self.batch_size, self.shuffle, self.drop_last = int(batch_size), shuffle, drop_last
        self._rng = generator_for(seed)

    def __len__(self) -> int:
        n = len(self.dataset)
        return n // self.batch_size if self.drop_last else math.ceil(n / self.batch_size)

    def __iter__(self) -> Iterator[Any]:
        n = len(self.dataset)
        order = self._rng.permutation(n) if self.shuffle else np.arange(n)
        arrays = getattr(self.dataset, "arrays", None) if type(self.dataset) is TensorDataset else None
        for b in range(len(self)):
            idx = order[b * self.batch_size:(b + 1) * self.batch_size]
            if arrays is not None:                      # rows gathered at once
                fields = [a[idx] for a in arrays]
            else:                                       # a user's Dataset: example by example
                examples = [self.dataset[int(i)] for i in idx]
                single = not isinstance(examples[0], tuple)
                columns = [examples] if single else list(zip(*examples))
                fields = [np.stack([c.data if isinstance(c, Tensor) else np.asarray(c) for c in col])
                          for col in columns]
            batch = tuple(_adopt(f) for f in fields)         # fresh arrays: handed over, not copied
            yield batch[0] if len(batch) == 1 else batch


def spiral(n_per_class: int = 100, classes: int = 3, noise: float = 0.02, seed: Optional[int] = None) -> Arrays:
    """Seed 000's K-class spiral: X_k(t) = t (sin[2π(2t + k − 1)/K], cos[2π(2t + k − 1)/K]) + N(0, σ²),
    0 ≤ t ≤ 1, k = 1..K; labels 0..K−1."""
    rng = generator_for(seed)
    t = np.tile(np.linspace(0.0, 1.0, n_per_class), classes)
    k = np.repeat(np.arange(1, classes + 1), n_per_class)
    angle = 2 * np.pi / classes * (2 * t + k - 1)
    X = t[:, None] * np.stack([np.sin(angle), np.cos(angle)], axis=1)
    return X + rng.normal(0.0, noise, X.shape), k - 1


def parity(bits: int = 8) -> Arrays:
    """All 2^bits inputs in {0,1}^bits with label 1 when the number of ones is odd (seed 001)."""
    if not 1 <= bits <= 16:
        raise ValueError(f"parity: bits must lie in 1..16, got {bits}")
    X = np.array(list(itertools.product((0.0, 1.0), repeat=bits)))
    return X, (X.sum(axis=1) % 2).astype(np.int64)


def zigzag(n: int = 256, depth: int = 3, noise: float = 0.0, seed: Optional[int] = None) -> Arrays:
    """The zig-zag target of seed 001: the tent map T(x) = max(0, 2x) − max(0, 4(x − ½))
    composed ``depth`` times on [0, 1], which has 2^(depth−1) teeth. Returns X (n, 1), y (n,)."""
    rng = generator_for(seed)
    x = np.linspace(0.0, 1.0, n)
    y = x.copy()
    for _ in range(depth):
        y = np.maximum(0, 2 * y) - np.maximum(0, 4 * (y - 0.5))
    if noise:
        y = y + rng.normal(0.0, noise, n)
    return x[:, None], y


def polynomial(n: int = 100, coefficients: Tuple[float, ...] = (1.0, -2.0, 3.0), noise: float = 0.1,
               seed: Optional[int] = None) -> Arrays:
    """Seed 003's regression data: t = w₀ + w₁x + w₂x² + ... + noise, x uniform in [−1, 1].
    Returns X (n, 1), t (n,)."""
    rng = generator_for(seed)
    x = rng.uniform(-1.0, 1.0, n)
    t = sum(w * x ** i for i, w in enumerate(coefficients)) + rng.normal(0.0, noise, n)
    return x[:, None], t


def xor(n: int = 200, noise: float = 0.1, seed: Optional[int] = None) -> Arrays:
    """Points near the four corners of the unit square, labelled x₁ ⊕ x₂."""
    rng = generator_for(seed)
    corners = rng.integers(0, 2, (n, 2))
    return corners + rng.normal(0.0, noise, (n, 2)), (corners[:, 0] ^ corners[:, 1]).astype(np.int64)


def moons(n: int = 100, noise: float = 0.1, seed: Optional[int] = None) -> Arrays:
    """Two interleaving half circles: class 0 on (cos t, sin t), class 1 on
    (1 − cos t, ½ − sin t), t uniform in [0, π], plus Gaussian noise."""
    rng = generator_for(seed)
    y = np.arange(n) % 2
    t = np.pi * rng.random(n)
    X = np.where(y[:, None] == 0, np.stack([np.cos(t), np.sin(t)], 1),
                 np.stack([1 - np.cos(t), 0.5 - np.sin(t)], 1))
    return X + rng.normal(0.0, noise, X.shape), y


def digits() -> Arrays:
    """The 8×8 handwritten digits (1,797 images, pixels scaled to [0, 1]) from scikit-learn."""
    try:
        from sklearn.datasets import load_digits
    except ImportError:
        raise ImportError("nn.data.digits needs scikit-learn: pip install scikit-learn "
                          "(or pip install 'autograd-core[digits]')") from None
    d = load_digits()
    return d.data / 16.0, d.target.astype(np.int64)


def train_test_split(X: np.ndarray, y: np.ndarray, test_fraction: float = 0.25, seed: Optional[int] = None) -> Tuple:
    """Shuffle with ``seed`` and split: (X_train, X_test, y_train, y_test)."""
    if not 0 < test_fraction < 1:
        raise ValueError(f"train_test_split: test_fraction must lie in (0, 1), got {test_fraction}")
    order = generator_for(seed).permutation(len(X))
    cut = len(X) - int(round(len(X) * test_fraction))
    return X[order[:cut]], X[order[cut:]], y[order[:cut]], y[order[cut:]]
