"""Recurrent cells with PyTorch's weight shapes, gate order and initialisation.

Seed 004: the same parameters are applied at every time step,
h_t = tanh(W_xh x_t + W_hh h_{t-1}); unrolled in time it is an ordinary graph.
"""
from __future__ import annotations

from typing import Any, Optional, Tuple, Union

import numpy as np

from autograd_core import Tensor, stack

from . import functional as F
from .layers import _rng, positive_int, uniform_init
from .module import Module

__all__ = ["RNNCell", "RNN", "LSTMCell", "GRUCell"]

Seed = Union[None, int, np.random.Generator]


class _Cell(Module):
    """Shared set-up: weight_ih (gates·H, in), weight_hh (gates·H, H), biases (gates·H,),
    all U(-1/√H, 1/√H) as in PyTorch."""

    gates = 1

    def __init__(self, input_size: int, hidden_size: int, bias: bool, seed: Seed, dtype: Any) -> None:
        super().__init__()
        input_size = positive_int(input_size, "input_size", type(self).__name__)
        hidden_size = positive_int(hidden_size, "hidden_size", type(self).__name__)
        rng = _rng(seed)
        g = self.gates * hidden_size
        self.input_size, self.hidden_size = input_size, hidden_size
        self.weight_ih = uniform_init(rng, (g, input_size), hidden_size, dtype)
        self.weight_hh = uniform_init(rng, (g, hidden_size), hidden_size, dtype)
        self.bias_ih = uniform_init(rng, (g,), hidden_size, dtype) if bias else None
        self.bias_hh = uniform_init(rng, (g,), hidden_size, dtype) if bias else None

    def _zeros(self, x: Tensor) -> Tensor:
        return Tensor(np.zeros(x.shape[:-1] + (self.hidden_size,), dtype=x.dtype))

    def _check(self, x: Tensor) -> None:
        if not isinstance(x, Tensor) or x.ndim not in (1, 2) or x.shape[-1] != self.input_size:
            raise ValueError(f"{type(self).__name__}: input must be (batch, {self.input_size}) or "
                             f"({self.input_size},), got {getattr(x, 'shape', type(x).__name__)}")

    def _affine(self, x: Tensor, h: Tensor) -> Tuple[Tensor, Tensor]:
        return F.linear(x, self.weight_ih, self.bias_ih), F.linear(h, self.weight_hh, self.bias_hh)

    def _split(self, z: Tensor) -> list:
        H = self.hidden_size
        return [z[..., k * H:(k + 1) * H] for k in range(self.gates)]

    def extra_repr(self) -> str:
        return f"{self.input_size}, {self.hidden_size}"


class RNNCell(_Cell):
    """h' = act(x W_ihᵀ + b_ih + h W_hhᵀ + b_hh), act tanh (or relu)."""

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True,
                 nonlinearity: str = "tanh", seed: Seed = None, dtype: Any = np.float64) -> None:
        if nonlinearity not in ("tanh", "relu"):
            raise ValueError(f"RNNCell: nonlinearity must be 'tanh' or 'relu', got {nonlinearity!r}")
        super().__init__(input_size, hidden_size, bias, seed, dtype)
        self.nonlinearity = nonlinearity

    def forward(self, x: Tensor, h: Optional[Tensor] = None) -> Tensor:
        self._check(x)
        h = self._zeros(x) if h is None else h
        zi, zh = self._affine(x, h)
        z = zi + zh
        return z.tanh() if self.nonlinearity == "tanh" else z.relu()


class RNN(Module):
    """An RNNCell unrolled over a sequence. Input (T, N, in) (or (N, T, in) with
    ``batch_first``); returns the outputs of every step, (T, N, H), and the last
    hidden state, (1, N, H), as PyTorch's single-layer ``nn.RNN``."""

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True, nonlinearity: str = "tanh",
                 batch_first: bool = False, seed: Seed = None, dtype: Any = np.float64) -> None:
        super().__init__()
        self.cell = RNNCell(input_size, hidden_size, bias, nonlinearity, seed, dtype)
        self.batch_first = batch_first

    def forward(self, x: Tensor, h0: Optional[Tensor] = None) -> Tuple[Tensor, Tensor]:
        if x.ndim != 3:
            raise ValueError(f"RNN: input must be 3-D (seq, batch, features), got shape {x.shape}")
        if self.batch_first:
            x = x.transpose(1, 0, 2)
        h = None if h0 is None else h0.reshape(h0.shape[-2:])
        outputs = []
        for t in range(x.shape[0]):
            h = self.cell(x[t], h)
            outputs.append(h)
        out = stack(outputs, axis=0)
        if self.batch_first:
            out = out.transpose(1, 0, 2)
        return out, h.reshape((1,) + h.shape)


class LSTMCell(_Cell):
    """i, f, g, o = σ, σ, tanh, σ of (x W_ihᵀ + b_ih + h W_hhᵀ + b_hh) split in four
    (PyTorch's order); c' = f·c + i·g, h' = o·tanh(c'). Returns (h', c')."""

    gates = 4

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True, seed: Seed = None,
                 dtype: Any = np.float64) -> None:
        super().__init__(input_size, hidden_size, bias, seed, dtype)

    def forward(self, x: Tensor, state: Optional[Tuple[Tensor, Tensor]] = None) -> Tuple[Tensor, Tensor]:
        self._check(x)
        h, c = (self._zeros(x), self._zeros(x)) if state is None else state
        zi, zh = self._affine(x, h)
        i, f, g, o = self._split(zi + zh)
        c_new = f.sigmoid() * c + i.sigmoid() * g.tanh()
        return o.sigmoid() * c_new.tanh(), c_new


class GRUCell(_Cell):
    """r = σ(W_ir x + b_ir + W_hr h + b_hr), z = σ(W_iz x + b_iz + W_hz h + b_hz),
    n = tanh(W_in x + b_in + r·(W_hn h + b_hn)), h' = (1 − z)·n + z·h (PyTorch's equations)."""

    gates = 3

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True, seed: Seed = None,
                 dtype: Any = np.float64) -> None:
        super().__init__(input_size, hidden_size, bias, seed, dtype)

    def forward(self, x: Tensor, h: Optional[Tensor] = None) -> Tensor:
        self._check(x)
        h = self._zeros(x) if h is None else h
        zi, zh = self._affine(x, h)
        ir, iz, in_ = self._split(zi)
        hr, hz, hn = self._split(zh)
        r = (ir + hr).sigmoid()
        z = (iz + hz).sigmoid()
        n = (in_ + r * hn).tanh()
        return (1.0 - z) * n + z * h
