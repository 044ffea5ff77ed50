"""Pooling: ``MaxPool2d`` and ``AvgPool2d`` (and ``F.max_pool2d``,
``F.avg_pool2d``), built from indexing and reduction gates: the windows are
gathered with one integer index, so each input element's gradient is the sum
over the windows it sits in. A tie inside a max window splits the gradient
(PyTorch sends it all to the first maximum)."""
from __future__ import annotations

from typing import Optional, Tuple, Union

import numpy as np

from autograd_core import Tensor, pad

from ._params import pair
from .module import Module

__all__ = ["MaxPool2d", "AvgPool2d", "max_pool2d", "avg_pool2d"]
Pair = Union[int, Tuple[int, int]]


def _windows(x: Tensor, kernel: Tuple[int, int], stride: Tuple[int, int], padding: Tuple[int, int],
             fill: float, where: str) -> Tensor:
    """(N, C, Ho, Wo, kh·kw): every window of the padded input."""
    if x.ndim != 4:
        raise ValueError(f"{where}: input must be (N, C, H, W), got shape {x.shape}")
    (kh, kw), (sh, sw), (ph, pw) = kernel, stride, padding
    if ph > kh // 2 or pw > kw // 2:
        raise ValueError(f"{where}: padding {padding} must be at most half the kernel {kernel}")
    if ph or pw:
        x = pad(x, (pw, pw, ph, ph), value=fill)
    h, w = x.shape[2], x.shape[3]
    ho, wo = (h - kh) // sh + 1, (w - kw) // sw + 1
    if ho < 1 or wo < 1:
        raise ValueError(f"{where}: kernel {kernel} is larger than the padded input ({h}, {w})")
    rows = (np.arange(ho) * sh)[:, None, None, None] + np.arange(kh)[None, None, :, None]
    cols = (np.arange(wo) * sw)[None, :, None, None] + np.arange(kw)[None, None, None, :]
    win = x[:, :, np.broadcast_to(rows, (ho, wo, kh, kw)), np.broadcast_to(cols, (ho, wo, kh, kw))]
    return win.reshape(x.shape[0], x.shape[1], ho, wo, kh * kw)


def _args(kernel_size: Pair, stride: Optional[Pair], padding: Pair, where: str) -> tuple:
    kernel = pair(kernel_size, "kernel_size", where, 1)
    return kernel, kernel if stride is None else pair(stride, "stride", where, 1), \
        pair(padding, "padding", where, 0)


def max_pool2d(x: Tensor, kernel_size: Pair, stride: Optional[Pair] = None, padding: Pair = 0) -> Tensor:
    """The largest value of each kernel window (stride = kernel by default)."""
    kernel, stride, padding = _args(kernel_size, stride, padding, "max_pool2d")
    return _windows(x, kernel, stride, padding, -np.inf, "max_pool2d").max(axis=-1)


def avg_pool2d(x: Tensor, kernel_size: Pair, stride: Optional[Pair] = None, padding: Pair = 0) -> Tensor:
    """The mean of each kernel window (padding counts as zeros, as PyTorch's default)."""
    kernel, stride, padding = _args(kernel_size, stride, padding, "avg_pool2d")
    return _windows(x, kernel, stride, padding, 0.0, "avg_pool2d").mean(axis=-1)


class _Pool2d(Module):
    """Shared by MaxPool2d and AvgPool2d (private: neither is an instance of the other, as in PyTorch)."""

    def __init__(self, kernel_size: Pair, stride: Optional[Pair] = None, padding: Pair = 0) -> None:
        super().__init__()
        self.kernel_size, self.stride, self.padding = _args(kernel_size, stride, padding, type(self).__name__)

    def extra_repr(self) -> str:
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class MaxPool2d(_Pool2d):
    """``max_pool2d`` as a layer: the largest value of each window."""

    def forward(self, x: Tensor) -> Tensor:
        return max_pool2d(x, self.kernel_size, self.stride, self.padding)


class AvgPool2d(_Pool2d):
    """``avg_pool2d`` as a layer: the mean of each window."""

    def forward(self, x: Tensor) -> Tensor:
        return avg_pool2d(x, self.kernel_size, self.stride, self.padding)
