"""Optimizers and learning-rate schedules (``nn.optim``).

Each works on Tensor parameters (arrays updated in place) and on Value
parameters (floats) alike.
"""
from __future__ import annotations

import math
from typing import Iterable, List, Tuple

import numpy as np

from autograd_core import Node

__all__ = ["Optimizer", "SGD", "Adam", "StepLR", "ExponentialLR", "InverseTimeLR"]


class Optimizer:
    """Base: holds the parameters and the learning rate; ``zero_grad()`` clears grads."""

    def __init__(self, params: Iterable[Node], lr: float) -> None:
        self.params: List[Node] = list(params)
        if not self.params:
            raise ValueError(f"{type(self).__name__}: got no parameters")
        for i, p in enumerate(self.params):
            if not isinstance(p, Node):
                raise TypeError(f"{type(self).__name__}: parameter {i} is a {type(p).__name__}, not a Value or Tensor")
        if lr <= 0:
            raise ValueError(f"{type(self).__name__}: lr must be positive, got {lr}")
        self.lr = float(lr)
        self.initial_lr = self.lr

    def zero_grad(self) -> None:
        for p in self.params:
            p.zero_grad()

    def _grads(self):
        """(index, parameter, gradient) for parameters that have a gradient."""
        for i, p in enumerate(self.params):
            g = p.grad
            if g is not None:
                yield i, p, g

    def step(self) -> None:
        raise NotImplementedError


class SGD(Optimizer):
    """PyTorch's SGD: g = ∇ + wd·p; with momentum μ, b = μ·b + g and the step uses b;
    p ← p − lr·(g or b)."""

    def __init__(self, params: Iterable[Node], lr: float, momentum: float = 0.0,
                 weight_decay: float = 0.0) -> None:
        super().__init__(params, lr)
        if momentum < 0 or weight_decay < 0:
            raise ValueError(f"SGD: momentum and weight_decay must be >= 0, got {momentum}, {weight_decay}")
        self.momentum, self.weight_decay = momentum, weight_decay
        self._buf: dict = {}

    def step(self) -> None:
        for i, p, g in self._grads():
            if self.weight_decay:
                g = g + self.weight_decay * p.data
            if self.momentum:
                b = self._buf.get(i)
                b = g if b is None else self.momentum * b + g
                self._buf[i] = b
                g = b
            p.data -= self.lr * g


class Adam(Optimizer):
    """Adam (Kingma & Ba): m = β₁m + (1−β₁)g, v = β₂v + (1−β₂)g², p ← p − lr·m̂/(√v̂ + ε)."""

    def __init__(self, params: Iterable[Node], lr: float = 1e-3, betas: Tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 0.0) -> None:
        super().__init__(params, lr)
        if not (0 <= betas[0] < 1 and 0 <= betas[1] < 1):
            raise ValueError(f"Adam: betas must lie in [0, 1), got {betas}")
        self.betas, self.eps, self.weight_decay = betas, eps, weight_decay
        self._m: dict = {}
        self._v: dict = {}
        self.t = 0

    def step(self) -> None:
        self.t += 1
        b1, b2 = self.betas
        c1, c2 = 1 - b1 ** self.t, 1 - b2 ** self.t
        for i, p, g in self._grads():
            if self.weight_decay:
                g = g + self.weight_decay * p.data
            m = b1 * self._m.get(i, 0.0) + (1 - b1) * g
            v = b2 * self._v.get(i, 0.0) + (1 - b2) * g * g
            self._m[i], self._v[i] = m, v
            sqrt = np.sqrt(v / c2) if isinstance(v, np.ndarray) else math.sqrt(v / c2)
            p.data -= self.lr * (m / c1) / (sqrt + self.eps)


class _Schedule:
    def __init__(self, optimizer: Optimizer) -> None:
        self.optimizer = optimizer
        self.t = 0

    def rate(self, t: int) -> float:
        raise NotImplementedError

    def step(self) -> float:
        """Advance one iteration (or epoch) and set the optimizer's lr; returns it."""
        self.t += 1
        self.optimizer.lr = self.rate(self.t)
        return self.optimizer.lr


class StepLR(_Schedule):
    """η_t = η₀ · γ^⌊t / step_size⌋"""

    def __init__(self, optimizer: Optimizer, step_size: int, gamma: float = 0.1) -> None:
        super().__init__(optimizer)
        self.step_size, self.gamma = step_size, gamma

    def rate(self, t: int) -> float:
        return self.optimizer.initial_lr * self.gamma ** (t // self.step_size)


class ExponentialLR(_Schedule):
    """η_t = η₀ · γ^t"""

    def __init__(self, optimizer: Optimizer, gamma: float) -> None:
        super().__init__(optimizer)
        self.gamma = gamma

    def rate(self, t: int) -> float:
        return self.optimizer.initial_lr * self.gamma ** t


class InverseTimeLR(_Schedule):
    """η_t = η₀ / (1 + decay · t): η → 0 as iterations progress, with Σ η_t = ∞
    (seed 001's condition for SGD to converge)."""

    def __init__(self, optimizer: Optimizer, decay: float) -> None:
        super().__init__(optimizer)
        self.decay = decay

    def rate(self, t: int) -> float:
        return self.optimizer.initial_lr / (1.0 + self.decay * t)
