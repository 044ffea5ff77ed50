"""A multilayer perceptron built of scalar ``Value`` neurons.

Small enough that a whole network renders as one graph in a lesson, and the
workload of the scalar benchmark (``benchmarks/bench.py``).
"""
from __future__ import annotations

import random
from typing import Iterable, List, Optional, Sequence, Union

from autograd_core import Value
from autograd_core import gates as G
from autograd_core.rng import python_seed
from autograd_core.value import as_values

Number = Union[float, Value]


class Neuron:
    """One unit: ``act(w · x + b)`` with ``act`` relu, tanh, sigmoid or None (linear).

    ``fused=True`` computes the whole neuron as one node, a ``dot`` gate with
    the activation folded in (fast: the default); ``fused=False`` builds it
    from one ``*`` and one ``+`` gate per input and an activation gate, the
    graph a lesson draws."""

    __slots__ = ("w", "b", "activation", "fused", "_wb", "_act", "_gate")

    def __init__(self, n_inputs: int, activation: Optional[str] = "relu",
                 rng: Optional[random.Random] = None, fused: bool = True) -> None:
        if activation not in ("relu", "tanh", "sigmoid", None):
            raise ValueError(f"Neuron: activation must be 'relu', 'tanh', 'sigmoid' or None, got {activation!r}")
        rng = rng or random.Random(0)
        self.w = tuple(Value(rng.uniform(-1, 1), label=f"w{i}") for i in range(n_inputs))
        self.b = Value(0.0, label="b")
        self._wb = self.w + (self.b,)     # one tuple shared by every dot node this neuron makes
        self.activation = activation
        self._act = getattr(Value, activation) if activation else None
        self._gate = G.DOT_WITH[activation]      # the fused neuron's gate
        self.fused = fused

    def __call__(self, x: Sequence[Number]) -> Value:
        if len(x) != len(self.w):
            raise ValueError(f"Neuron: expected {len(self.w)} inputs, got {len(x)}")
        return self._forward(as_values(x))

    def _forward(self, x: tuple) -> Value:
        """The neuron on a checked tuple of Values (Layer checks once for all its neurons)."""
        if self.fused:
            return Value._dot(self._wb, x, self._gate)
        act = self.b
        for wi, xi in zip(self.w, x):
            act = act + wi * xi
        return act if self._act is None else self._act(act)

    def parameters(self) -> List[Value]:
        return list(self._wb)

    def __repr__(self) -> str:
        return f"{self.activation or 'linear'}Neuron({len(self.w)})"


class Layer:
    """``n_outputs`` neurons that share their inputs, all built with the same
    ``activation`` and ``fused``. The layer keeps no copy of those: it reads
    them from its first neuron (``fused``, ``activation``), so there is one
    source of truth. A fused layer makes all its neuron nodes in one call."""

    __slots__ = ("neurons",)

    def __init__(self, n_inputs: int, n_outputs: int, activation: Optional[str] = "relu",
                 rng: Optional[random.Random] = None, fused: bool = True) -> None:
        rng = rng or random.Random(0)
        self.neurons = [Neuron(n_inputs, activation, rng, fused) for _ in range(n_outputs)]

    @property
    def fused(self) -> bool:
        """Whether the neurons use one ``dot`` gate (their first neuron's flag)."""
        return self.neurons[0].fused

    @property
    def activation(self) -> Optional[str]:
        """The neurons' activation (their first neuron's)."""
        return self.neurons[0].activation

    def __call__(self, x: Sequence[Number]) -> List[Value]:
        x = as_values(x)                  # one input tuple shared by every neuron's dot node
        first = self.neurons[0]
        if len(x) != len(first.w):
            raise ValueError(f"Layer: expected {len(first.w)} inputs, got {len(x)}")
        if not first.fused:
            return [n._forward(x) for n in self.neurons]
        return Value._dots([n._wb for n in self.neurons], x, first._gate)

    def parameters(self) -> List[Value]:
        return [p for n in self.neurons for p in n.parameters()]

    def __repr__(self) -> str:
        return f"Layer([{', '.join(str(n) for n in self.neurons)}])" if len(self.neurons) < 4 else \
            f"Layer({len(self.neurons[0].w)} -> {len(self.neurons)}, {self.activation or 'linear'})"


class MLP:
    """``MLP(n_in, [h1, ..., n_out])``: hidden layers use ``activation``, the last is linear."""

    def __init__(self, n_inputs: int, sizes: Iterable[int], activation: str = "relu",
                 seed: Optional[int] = None, fused: bool = True) -> None:
        sizes = list(sizes)
        if not sizes:
            raise ValueError("MLP: give at least one layer size")
        rng = random.Random(python_seed(seed))      # None: drawn from the library's generator
        dims = [n_inputs] + sizes
        self.layers = [Layer(dims[i], dims[i + 1], activation if i < len(sizes) - 1 else None, rng, fused)
                       for i in range(len(sizes))]

    def __call__(self, x: Sequence[Number]) -> Union[Value, List[Value]]:
        for layer in self.layers:
            x = layer(x)
        return x[0] if len(x) == 1 else x

    def parameters(self) -> List[Value]:
        return [p for layer in self.layers for p in layer.parameters()]

    def zero_grad(self) -> None:
        for p in self.parameters():
            p.grad = 0.0

    def __repr__(self) -> str:
        return "MLP(\n  " + ",\n  ".join(repr(layer) for layer in self.layers) + "\n)"
