"""Tensor layers with PyTorch's weight shapes and default initialisation, so
weights can be copied across and outputs compared."""
from __future__ import annotations

from typing import Any, Callable, Sequence, Tuple, Union

import numpy as np

from autograd_core import Tensor
from autograd_core.rng import generator_for

from . import functional as F
from ._params import conv_params, pair, positive_int, single
from .module import Module, Parameter, Sequential

__all__ = ["Linear", "MLP", "Conv2d", "ReLU", "Tanh", "Sigmoid", "LeakyReLU", "ELU", "Maxout", "Identity",
           "Flatten", "Dropout", "Embedding", "Conv1d", "ConvTranspose2d", "GELU", "SiLU", "Softplus", "Softmax", "LogSoftmax",
           "uniform_init"]


def uniform_init(rng: np.random.Generator, shape: Tuple[int, ...], fan_in: int, dtype: Any) -> Parameter:
    """U(-1/√fan_in, 1/√fan_in): PyTorch's default for Linear, Conv2d and the RNN cells."""
    bound = 1.0 / np.sqrt(fan_in) if fan_in > 0 else 0.0
    return Parameter(rng.uniform(-bound, bound, size=shape), dtype=dtype)


class Linear(Module):
    """y = x Wᵀ + b, with W of shape (out_features, in_features)."""

    def __init__(self, in_features: int, out_features: int, bias: bool = True,
                 seed: Union[None, int, np.random.Generator] = None, dtype: Any = np.float64) -> None:
        super().__init__()
        in_features = positive_int(in_features, "in_features", "Linear")
        out_features = positive_int(out_features, "out_features", "Linear")
        rng = generator_for(seed)
        self.in_features, self.out_features = in_features, out_features
        self.weight = uniform_init(rng, (out_features, in_features), in_features, dtype)
        self.bias = uniform_init(rng, (out_features,), in_features, dtype) if bias else None

    def forward(self, x: Tensor) -> Tensor:
        return F.linear(x, self.weight, self.bias)

    def extra_repr(self) -> str:
        return f"in_features={self.in_features}, out_features={self.out_features}, bias={self.bias is not None}"


class _Activation(Module):
    """A parameterless activation: a subclass sets ``fn`` to its functional form."""

    fn: Callable[[Tensor], Tensor]

    def forward(self, x: Tensor) -> Tensor:
        return type(self).fn(x)


class ReLU(_Activation):
    """max(0, x)"""
    fn = staticmethod(F.relu)


class Tanh(_Activation):
    """tanh(x)"""
    fn = staticmethod(F.tanh)


class Sigmoid(_Activation):
    """1 / (1 + e^-x)"""
    fn = staticmethod(F.sigmoid)


class LeakyReLU(Module):
    """max(slope·x, x)"""

    def __init__(self, negative_slope: float = 0.01) -> None:
        super().__init__()
        self.negative_slope = negative_slope

    def forward(self, x: Tensor) -> Tensor:
        return F.leaky_relu(x, self.negative_slope)

    def extra_repr(self) -> str:
        return f"negative_slope={self.negative_slope}"


class ELU(Module):
    """x for x ≥ 0, α(eˣ − 1) below."""

    def __init__(self, alpha: float = 1.0) -> None:
        super().__init__()
        self.alpha = alpha

    def forward(self, x: Tensor) -> Tensor:
        return F.elu(x, self.alpha)

    def extra_repr(self) -> str:
        return f"alpha={self.alpha}"


class Maxout(Module):
    """The largest of ``pieces`` consecutive features: max(w₁ᵀx + b₁, w₂ᵀx + b₂, ...)
    when it follows a Linear layer with ``pieces`` times the outputs."""

    def __init__(self, pieces: int) -> None:
        super().__init__()
        self.pieces = pieces

    def forward(self, x: Tensor) -> Tensor:
        return F.maxout(x, self.pieces)

    def extra_repr(self) -> str:
        return f"pieces={self.pieces}"


_ACTIVATIONS = {"relu": ReLU, "tanh": Tanh, "sigmoid": Sigmoid, "leaky_relu": LeakyReLU, "elu": ELU}


class MLP(Module):
    """``MLP(in_features, [hidden..., out])``: Linear layers with ``activation``
    between them (none after the last)."""

    def __init__(self, in_features: int, sizes: Sequence[int], activation: str = "relu",
                 seed: Union[None, int, np.random.Generator] = None, dtype: Any = np.float64) -> None:
        super().__init__()
        sizes = list(sizes)
        if not sizes:
            raise ValueError("MLP: give at least one layer size")
        if activation not in _ACTIVATIONS:
            raise ValueError(f"MLP: activation must be one of {sorted(_ACTIVATIONS)}, got {activation!r}")
        rng = generator_for(seed)
        dims = [in_features] + sizes
        layers = []
        for i in range(len(sizes)):
            layers.append(Linear(dims[i], dims[i + 1], seed=rng, dtype=dtype))
            if i < len(sizes) - 1:
                layers.append(_ACTIVATIONS[activation]())
        self.net = Sequential(*layers)

    def forward(self, x: Tensor) -> Tensor:
        return self.net(x)


class _ConvNd(Module):
    """Shared set-up of Conv2d, Conv1d and ConvTranspose2d (private, as PyTorch's
    ``_ConvNd``: none of them is an instance of another). Checks the options, keeps
    them as (height, width) pairs, and draws the weight of
    ``_weight_shape(kh, kw)`` and the bias from U(-1/√fan_in, 1/√fan_in), fan_in =
    weight.shape[1] · kh · kw (PyTorch's)."""

    def __init__(self, in_channels: int, out_channels: int, kernel: Tuple[int, int], stride: Any, padding: Any,
                 dilation: Any, groups: int, bias: bool, seed: Union[None, int, np.random.Generator],
                 dtype: Any) -> None:
        super().__init__()
        name = type(self).__name__
        in_channels = positive_int(in_channels, "in_channels", name)
        out_channels = positive_int(out_channels, "out_channels", name)
        kh, kw = pair(kernel, "kernel_size", name, 1)
        stride, padding, dilation, groups = conv_params(name, stride, padding, dilation, groups)
        if in_channels % groups or out_channels % groups:
            raise ValueError(f"{name}: in_channels {in_channels} and out_channels {out_channels} must both "
                             f"divide into {groups} groups")
        rng = generator_for(seed)
        self.in_channels, self.out_channels, self.groups = in_channels, out_channels, groups
        self.kernel_size, self.stride, self.padding, self.dilation = (kh, kw), stride, padding, dilation
        shape = self._weight_shape(kh, kw)
        fan_in = shape[1] * kh * kw
        self.weight = uniform_init(rng, shape, fan_in, dtype)
        self.bias = uniform_init(rng, (out_channels,), fan_in, dtype) if bias else None

    def _weight_shape(self, kh: int, kw: int) -> tuple:
        return (self.out_channels, self.in_channels // self.groups, kh, kw)

    def extra_repr(self) -> str:
        """PyTorch's: options shown only where they differ from the defaults."""
        n = len(self.kernel_size)
        text = f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, stride={self.stride}"
        if self.padding != (0,) * n:
            text += f", padding={self.padding}"
        if self.dilation != (1,) * n:
            text += f", dilation={self.dilation}"
        if getattr(self, "output_padding", (0,) * n) != (0,) * n:
            text += f", output_padding={self.output_padding}"
        if self.groups != 1:
            text += f", groups={self.groups}"
        return text + (", bias=False" if self.bias is None else "")


class Conv2d(_ConvNd):
    """2-D cross-correlation over a batch: input (N, C_in, H, W), weight
    (C_out, C_in/groups, kh, kw), output (N, C_out, H', W') with
    H' = (H + 2·padding − dilation·(kh − 1) − 1) // stride + 1; stride,
    padding and dilation an int or a (height, width) pair, as PyTorch's."""

    def __init__(self, in_channels: int, out_channels: int, kernel_size: Union[int, Tuple[int, int]],
                 stride: Any = 1, padding: Any = 0, dilation: Any = 1, groups: int = 1, bias: bool = True,
                 seed: Union[None, int, np.random.Generator] = None, dtype: Any = np.float64) -> None:
        super().__init__(in_channels, out_channels, kernel_size, stride, padding, dilation, groups, bias, seed,
                         dtype)

    def forward(self, x: Tensor) -> Tensor:
        return F.conv2d(x, self.weight, self.bias, self.stride, self.padding, self.dilation, self.groups)


class Conv1d(_ConvNd):
    """1-D cross-correlation: input (N, C_in, L), weight (C_out, C_in/groups, k),
    L' = (L + 2·padding − dilation·(k − 1) − 1) // stride + 1 (conv2d on a height-1
    image); the options are 1-tuples, as PyTorch's."""

    def __init__(self, in_channels: int, out_channels: int, kernel_size: Any, stride: Any = 1, padding: Any = 0,
                 dilation: Any = 1, groups: int = 1, bias: bool = True,
                 seed: Union[None, int, np.random.Generator] = None, dtype: Any = np.float64) -> None:
        k, s, p, d = (single(v, what, "Conv1d") for v, what in
                      ((kernel_size, "kernel_size"), (stride, "stride"), (padding, "padding"), (dilation, "dilation")))
        super().__init__(in_channels, out_channels, (1, k), (1, s), (0, p), (1, d), groups, bias, seed, dtype)
        self.kernel_size, self.stride, self.padding, self.dilation = (k,), (self.stride[1],), (p,), (self.dilation[1],)

    def _weight_shape(self, kh: int, kw: int) -> tuple:
        return (self.out_channels, self.in_channels // self.groups, kw)

    def forward(self, x: Tensor) -> Tensor:
        return F.conv1d(x, self.weight, self.bias, self.stride, self.padding, self.dilation, self.groups)


class ConvTranspose2d(_ConvNd):
    """The transposed convolution (PyTorch's ``ConvTranspose2d``): weight
    (C_in, C_out/groups, kh, kw); H' = (H − 1)·stride − 2·padding +
    dilation·(kh − 1) + output_padding + 1."""

    def __init__(self, in_channels: int, out_channels: int, kernel_size: Union[int, Tuple[int, int]],
                 stride: Any = 1, padding: Any = 0, output_padding: Any = 0, groups: int = 1, bias: bool = True,
                 dilation: Any = 1, seed: Union[None, int, np.random.Generator] = None,
                 dtype: Any = np.float64) -> None:
        super().__init__(in_channels, out_channels, kernel_size, stride, padding, dilation, groups, bias, seed,
                         dtype)
        self.output_padding = pair(output_padding, "output_padding", "ConvTranspose2d", 0)

    def _weight_shape(self, kh: int, kw: int) -> tuple:
        return (self.in_channels, self.out_channels // self.groups, kh, kw)

    def forward(self, x: Tensor) -> Tensor:
        return F.conv_transpose2d(x, self.weight, self.bias, self.stride, self.padding, self.output_padding,
                                  self.groups, self.dilation)


class Identity(Module):
    """Returns its input (a placeholder in a Sequential)."""

    def forward(self, x: Any) -> Any:
        return x


class Flatten(Module):
    """``x.flatten(start_dim, end_dim)``; by default every axis but the batch."""

    def __init__(self, start_dim: int = 1, end_dim: int = -1) -> None:
        super().__init__()
        self.start_dim, self.end_dim = start_dim, end_dim

    def forward(self, x: Tensor) -> Tensor:
        return x.flatten(self.start_dim, self.end_dim)


class Dropout(Module):
    """In training, zero each element with probability ``p`` and scale the rest by
    1/(1 - p) (so the expected value is kept); in ``eval()`` the identity. The mask
    is drawn from the library's generator (``manual_seed``)."""

    def __init__(self, p: float = 0.5) -> None:
        super().__init__()
        if not 0.0 <= p <= 1.0:
            raise ValueError(f"Dropout: p must lie in [0, 1], got {p}")
        self.p = float(p)

    def forward(self, x: Tensor) -> Tensor:
        return F.dropout(x, self.p, self.training)

    def extra_repr(self) -> str:
        return f"p={self.p}"


class Embedding(Module):
    """Rows of ``weight`` (num_embeddings, embedding_dim), initialised N(0, 1) as in
    PyTorch, picked by integer indices; the gradient adds up over repeated indices."""

    def __init__(self, num_embeddings: int, embedding_dim: int,
                 seed: Union[None, int, np.random.Generator] = None, dtype: Any = np.float64) -> None:
        super().__init__()
        self.num_embeddings = positive_int(num_embeddings, "num_embeddings", "Embedding")
        self.embedding_dim = positive_int(embedding_dim, "embedding_dim", "Embedding")
        self.weight = Parameter(generator_for(seed).standard_normal((self.num_embeddings, self.embedding_dim)), dtype=dtype)

    def forward(self, indices: Any) -> Tensor:
        idx = np.asarray(indices.data if isinstance(indices, Tensor) else indices)
        if idx.dtype.kind not in "iu":
            raise TypeError(f"Embedding: indices must be integers, got dtype {idx.dtype}")
        if idx.size and (idx.min() < 0 or idx.max() >= self.num_embeddings):
            raise IndexError(f"Embedding: indices must lie in [0, {self.num_embeddings - 1}], "
                             f"got {idx.min()}..{idx.max()}")
        return self.weight[idx]

    def extra_repr(self) -> str:
        return f"{self.num_embeddings}, {self.embedding_dim}"


class GELU(Module):
    """x Φ(x); ``approximate='tanh'`` uses PyTorch's tanh approximation of Φ."""

    def __init__(self, approximate: str = "none") -> None:
        super().__init__()
        self.approximate = approximate

    def forward(self, x: Tensor) -> Tensor:
        return F.gelu(x, self.approximate)

    def extra_repr(self) -> str:
        return f"approximate={self.approximate!r}" if self.approximate != "none" else ""


class SiLU(_Activation):
    """x σ(x)"""
    fn = staticmethod(F.silu)


class Softplus(Module):
    """(1/β) ln(1 + e^(βx)), and x where βx > threshold (PyTorch's)."""

    def __init__(self, beta: float = 1.0, threshold: float = 20.0) -> None:
        super().__init__()
        self.beta, self.threshold = beta, threshold

    def forward(self, x: Tensor) -> Tensor:
        return F.softplus(x, self.beta, self.threshold)

    def extra_repr(self) -> str:
        return f"beta={self.beta}, threshold={self.threshold}"


class _SoftmaxDim(Module):
    """Shared by Softmax and LogSoftmax (private: neither is an instance of the other, as in PyTorch)."""

    def __init__(self, dim: int = -1) -> None:
        super().__init__()
        self.dim = dim

    def extra_repr(self) -> str:
        return f"dim={self.dim}"


class Softmax(_SoftmaxDim):
    """e^x / Σ e^x (softargmax) along ``dim`` (PyTorch's name)."""

    def forward(self, x: Tensor) -> Tensor:
        return x.softmax(self.dim)


class LogSoftmax(_SoftmaxDim):
    """x − log Σ e^x (log softargmax) along ``dim``."""

    def forward(self, x: Tensor) -> Tensor:
        return x.log_softmax(self.dim)
