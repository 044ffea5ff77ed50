"""Recurrent cells with PyTorch's weight shapes, gate order and initialisation.

Seed 004: the same parameters are applied at every time step,
h_t = tanh(W_xh x_t + W_hh h_{t-1}); unrolled in time it is an ordinary graph.
"""
from __future__ import annotations

from typing import Any, Optional, Tuple, Union

import numpy as np

from autograd_core import Tensor, stack
from autograd_core.rng import generator_for

from . import functional as F
from ._params import positive_int
from .layers import uniform_init
from .module import Module

__all__ = ["RNNCell", "RNN", "LSTMCell", "GRUCell", "LSTM", "GRU"]

Seed = Union[None, int, np.random.Generator]


class _Cell(Module):
    """Shared set-up: weight_ih (gates·H, in), weight_hh (gates·H, H), biases (gates·H,),
    all U(-1/√H, 1/√H) as in PyTorch."""

    gates = 1

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True, seed: Seed = None,
                 dtype: Any = np.float64) -> None:
        super().__init__()
        input_size = positive_int(input_size, "input_size", type(self).__name__)
        hidden_size = positive_int(hidden_size, "hidden_size", type(self).__name__)
        rng = generator_for(seed)
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


class LSTMCell(_Cell):
    """i, f, g, o = σ, σ, tanh, σ of (x W_ihᵀ + b_ih + h W_hhᵀ + b_hh) split in four
    (PyTorch's order); c' = f·c + i·g, h' = o·tanh(c'). Returns (h', c')."""

    gates = 4

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


class _Recurrent(Module):
    """A stack of ``num_layers`` cells unrolled over a sequence, PyTorch's layout:
    input (T, N, in) (or (N, T, in) with ``batch_first``, or (T, in) unbatched),
    parameters named ``weight_ih_l{k}``, ``weight_hh_l{k}``, ``bias_ih_l{k}``,
    ``bias_hh_l{k}`` so that PyTorch's weights copy across, optional ``dropout``
    between layers in training."""

    cell_type: type = RNNCell

    def __init__(self, input_size: int, hidden_size: int, num_layers: int = 1, bias: bool = True,
                 batch_first: bool = False, dropout: float = 0.0, seed: Seed = None, dtype: Any = np.float64,
                 **cell_options: Any) -> None:
        super().__init__()
        self.num_layers = positive_int(num_layers, "num_layers", type(self).__name__)
        self.input_size, self.hidden_size = input_size, hidden_size
        self.batch_first, self.dropout = batch_first, float(dropout)
        rng = generator_for(seed)
        cells = []
        for k in range(self.num_layers):
            cell = self.cell_type(input_size if k == 0 else hidden_size, hidden_size, bias, seed=rng,
                                  dtype=dtype, **cell_options)
            for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
                if getattr(cell, name) is not None:
                    setattr(self, f"{name}_l{k}", getattr(cell, name))   # PyTorch's names, shared arrays
            cells.append(cell)
        object.__setattr__(self, "_cells", cells)                        # not submodules: no double names

    @property
    def cells(self) -> list:
        """The cells, one per layer (their parameters are this module's)."""
        return list(self._cells)

    def _initial(self, state: Any) -> list:
        if state is None:
            return [None] * self.num_layers
        if state.shape[0] != self.num_layers:
            raise ValueError(f"{type(self).__name__}: the initial state has {state.shape[0]} layers, "
                             f"expected {self.num_layers}")
        return [state[k] for k in range(self.num_layers)]

    def forward(self, x: Tensor, state: Any = None) -> Tuple[Tensor, Any]:
        name = type(self).__name__
        if not isinstance(x, Tensor) or x.ndim not in (2, 3):
            raise ValueError(f"{name}: input must be (seq, batch, features) or (seq, features), "
                             f"got {getattr(x, 'shape', type(x).__name__)}")
        unbatched = x.ndim == 2
        if unbatched:
            x = x.unsqueeze(1)
            state = None if state is None else (tuple(s.unsqueeze(1) for s in state) if isinstance(state, tuple)
                                                 else state.unsqueeze(1))
        elif self.batch_first:
            x = x.transpose(0, 1)
        lstm = self.cell_type is LSTMCell
        hs = self._initial(state[0] if lstm and state is not None else state)
        cs = self._initial(state[1]) if lstm and state is not None else [None] * self.num_layers
        last_h, last_c = [], []
        for k, cell in enumerate(self._cells):
            h, c = hs[k], cs[k]
            outputs = []
            for t in range(x.shape[0]):
                if lstm:
                    h, c = cell(x[t], None if h is None else (h, c))
                else:
                    h = cell(x[t], h)
                outputs.append(h)
            x = stack(outputs, axis=0)
            if self.dropout and self.training and k < self.num_layers - 1:
                x = F.dropout(x, self.dropout, True)
            last_h.append(h)
            last_c.append(c)
        out, h_n = x, stack(last_h, axis=0)
        if unbatched:
            out, h_n = out.squeeze(1), h_n.squeeze(1)
        elif self.batch_first:
            out = out.transpose(0, 1)
        if lstm:
            c_n = stack(last_c, axis=0)
            return out, (h_n, c_n.squeeze(1) if unbatched else c_n)
        return out, h_n

    def extra_repr(self) -> str:
        return (f"{self.input_size}, {self.hidden_size}, num_layers={self.num_layers}, "
                f"batch_first={self.batch_first}")


class RNN(_Recurrent):
    """Elman RNN over a sequence: h_t = tanh (or relu) of the RNNCell, layer by layer.
    Returns (outputs of the last layer at every step, h_n of every layer)."""

    cell_type = RNNCell

    def __init__(self, input_size: int, hidden_size: int, num_layers: int = 1, nonlinearity: str = "tanh",
                 bias: bool = True, batch_first: bool = False, dropout: float = 0.0, seed: Seed = None,
                 dtype: Any = np.float64) -> None:
        super().__init__(input_size, hidden_size, num_layers, bias, batch_first, dropout, seed, dtype,
                         nonlinearity=nonlinearity)


class LSTM(_Recurrent):
    """LSTM over a sequence; returns (outputs, (h_n, c_n)) as PyTorch's."""

    cell_type = LSTMCell


class GRU(_Recurrent):
    """GRU over a sequence; returns (outputs, h_n) as PyTorch's."""

    cell_type = GRUCell
