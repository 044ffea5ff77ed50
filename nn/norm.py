"""Normalisation layers: ``LayerNorm``, ``BatchNorm1d``, ``BatchNorm2d``, built
from gates (so their gradients are the chain rule on the gates), with
PyTorch's defaults (eps 1e-5, momentum 0.1, affine weights ones and zeros)."""
from __future__ import annotations

from typing import Any, Sequence, Tuple, Union

import numpy as np

from autograd_core import Tensor

from ._params import positive_int
from .module import Module, Parameter

__all__ = ["LayerNorm", "BatchNorm1d", "BatchNorm2d"]


def _normalise(x: Tensor, axes: tuple, eps: float) -> tuple:
    """((x − mean) / √(var + eps), mean, var) over ``axes``, the variance without
    Bessel's correction: the normalisation LayerNorm and BatchNorm share."""
    mean = x.mean(axis=axes, keepdims=True)
    centred = x - mean
    var = (centred * centred).mean(axis=axes, keepdims=True)
    return centred * (var + eps) ** -0.5, mean, var


class LayerNorm(Module):
    """y = (x - mean) / √(var + eps) · weight + bias over the last
    ``len(normalized_shape)`` axes (var without Bessel's correction, as PyTorch)."""

    def __init__(self, normalized_shape: Union[int, Sequence[int]], eps: float = 1e-5,
                 elementwise_affine: bool = True, dtype: Any = np.float64) -> None:
        super().__init__()
        shape = (normalized_shape,) if isinstance(normalized_shape, (int, np.integer)) else tuple(normalized_shape)
        self.normalized_shape = tuple(positive_int(n, "normalized_shape", "LayerNorm") for n in shape)
        self.eps = float(eps)
        self.weight = Parameter(np.ones(self.normalized_shape), dtype=dtype) if elementwise_affine else None
        self.bias = Parameter(np.zeros(self.normalized_shape), dtype=dtype) if elementwise_affine else None

    def forward(self, x: Tensor) -> Tensor:
        k = len(self.normalized_shape)
        if x.shape[-k:] != self.normalized_shape:
            raise ValueError(f"LayerNorm: input shape {x.shape} does not end with {self.normalized_shape}")
        axes = tuple(range(x.ndim - k, x.ndim))
        y = _normalise(x, axes, self.eps)[0]
        return y * self.weight + self.bias if self.weight is not None else y

    def extra_repr(self) -> str:
        return f"{self.normalized_shape}, eps={self.eps}"


class _BatchNorm(Module):
    """Training: normalise by the batch's mean and (biased) variance, and move the
    running statistics toward them (the running variance takes the unbiased one,
    as PyTorch); a batch with one value per channel is a ValueError, as in PyTorch.
    Evaluation: normalise by the running statistics."""

    dims: Tuple[int, ...] = (2,)

    def __init__(self, num_features: int, eps: float = 1e-5, momentum: float = 0.1, affine: bool = True,
                 track_running_stats: bool = True, dtype: Any = np.float64) -> None:
        super().__init__()
        self.num_features = positive_int(num_features, "num_features", type(self).__name__)
        self.eps, self.momentum, self.track_running_stats = float(eps), float(momentum), track_running_stats
        self.weight = Parameter(np.ones(self.num_features), dtype=dtype) if affine else None
        self.bias = Parameter(np.zeros(self.num_features), dtype=dtype) if affine else None
        if track_running_stats:
            self.register_buffer("running_mean", np.zeros(self.num_features, dtype=dtype))
            self.register_buffer("running_var", np.ones(self.num_features, dtype=dtype))
            self.register_buffer("num_batches_tracked", np.array(0, dtype=np.int64))

    def forward(self, x: Tensor) -> Tensor:
        name = type(self).__name__
        if x.ndim not in self.dims or x.shape[1] != self.num_features:
            raise ValueError(f"{name}: expected input of {' or '.join(f'{d}-d' for d in self.dims)} with "
                             f"{self.num_features} channels in axis 1, got shape {x.shape}")
        axes = (0,) + tuple(range(2, x.ndim))
        shape = (1, -1) + (1,) * (x.ndim - 2)
        if self.training or not self.track_running_stats:
            if x.data.size == self.num_features:     # one value per channel: var 0, y 0, running_var pulled to 0
                raise ValueError(f"{name}: Expected more than 1 value per channel when training, "
                                 f"got input size {x.shape}")
            y, mean, var = _normalise(x, axes, self.eps)
            if self.training and self.track_running_stats:
                n = x.data.size // self.num_features
                m = self.momentum
                self.running_mean.data[...] = (1 - m) * self.running_mean.data + m * mean.data.reshape(-1)
                self.running_var.data[...] = ((1 - m) * self.running_var.data
                                              + m * var.data.reshape(-1) * (n / max(n - 1, 1)))
                self.num_batches_tracked.data[...] += 1
        else:
            y = (x - self.running_mean.data.reshape(shape)) * (self.running_var.data.reshape(shape) + self.eps) ** -0.5
        if self.weight is not None:
            y = y * self.weight.reshape(shape) + self.bias.reshape(shape)
        return y

    def extra_repr(self) -> str:
        return f"{self.num_features}, eps={self.eps}, momentum={self.momentum}"


class BatchNorm1d(_BatchNorm):
    """Batch normalisation of (N, C) or (N, C, L) inputs over every axis but C."""
    dims = (2, 3)


class BatchNorm2d(_BatchNorm):
    """Batch normalisation of (N, C, H, W) inputs over every axis but C."""
    dims = (4,)
