"""Optimizers (``nn.optim``), with PyTorch's names, update rules, parameter
groups and state: ``SGD`` (momentum, dampening, Nesterov), ``Adam``,
``AdamW``, ``RMSprop``, ``Adagrad``. Each updates Tensor parameters in place
and Value parameters' floats; ``state_dict()``/``load_state_dict()`` let
training resume exactly. Schedules are in ``nn.optim.lr_scheduler``.
"""
from __future__ import annotations

import math
from typing import Any, Dict, Iterable, List, Tuple

import numpy as np

from autograd_core import Node

__all__ = ["Optimizer", "SGD", "Adam", "AdamW", "RMSprop", "Adagrad", "lr_scheduler",
           "StepLR", "MultiStepLR", "ExponentialLR", "CosineAnnealingLR", "LambdaLR", "ReduceLROnPlateau",
           "InverseTimeLR"]


class Optimizer:
    """Base: ``param_groups`` (each a dict: its 'params' and options), per-parameter
    ``state``, ``zero_grad()``, ``state_dict()``/``load_state_dict()``.

    ``params`` is an iterable of parameters, or of dicts ``{"params": [...],
    "lr": ...}`` for groups with their own options (PyTorch's form)."""

    def __init__(self, params: Iterable[Any], defaults: Dict[str, Any]) -> None:
        items = list(params)
        if not items:
            raise ValueError(f"{type(self).__name__}: got no parameters")
        groups = items if isinstance(items[0], dict) else [{"params": items}]
        self.defaults = dict(defaults)
        self.param_groups: List[Dict[str, Any]] = []
        self.state: Dict[int, Dict[str, Any]] = {}
        self._params: List[Node] = []
        for group in groups:
            self.add_param_group(group)

    def add_param_group(self, group: Dict[str, Any]) -> None:
        """Add parameters with their own options (the rest from the defaults)."""
        params = list(group["params"]) if not isinstance(group["params"], Node) else [group["params"]]
        for p in params:
            if not isinstance(p, Node):
                raise TypeError(f"{type(self).__name__}: a parameter is a {type(p).__name__}, not a Value or Tensor")
            if any(p is q for q in self._params):
                raise ValueError(f"{type(self).__name__}: a parameter appears in two groups")
        full = {**self.defaults, **{k: v for k, v in group.items() if k != "params"}}
        if full["lr"] < 0:
            raise ValueError(f"{type(self).__name__}: lr must be >= 0, got {full['lr']}")
        full["params"] = params
        self._params.extend(params)
        self.param_groups.append(full)

    # one learning rate for the common one-group case (and the older API)
    @property
    def lr(self) -> float:
        return self.param_groups[0]["lr"]

    @lr.setter
    def lr(self, value: float) -> None:
        for group in self.param_groups:
            group["lr"] = value

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Forget the gradients: ``.grad = None`` (or zeros with ``set_to_none=False``)."""
        for p in self._params:
            if set_to_none or p.grad is None:
                p.zero_grad()
            elif isinstance(p.grad, np.ndarray):
                p.grad[...] = 0.0
            else:
                p.grad = 0.0

    # weight decay added to the gradient (L2); AdamW sets this False and decays the weight
    decay_in_gradient = True

    def _each(self):
        """(group, index, parameter, gradient) for parameters that have a gradient;
        the gradient has ``weight_decay · p`` added where the group asks for it."""
        i = 0
        for group in self.param_groups:
            wd = group.get("weight_decay", 0.0) if self.decay_in_gradient else 0.0
            for p in group["params"]:
                g = p.grad
                if g is not None:
                    if wd:                              # wd·p + g: one new array (the same sum as g + wd·p)
                        d = wd * p.data
                        d += g
                        g = d
                    yield group, i, p, g
                i += 1

    def _state(self, i: int, g: Any, *names: str, start: float = 0.0) -> Dict[str, Any]:
        """Parameter ``i``'s state, made at its first step: ``step`` 0 and ``start``
        shaped like ``g`` for each name (nothing is allocated on later steps)."""
        s = self.state.get(i)
        if s is None:
            s = self.state[i] = {"step": 0, **{name: 0.0 * g + start for name in names}}
        return s

    def step(self) -> None:
        raise NotImplementedError

    def state_dict(self) -> Dict[str, Any]:
        """{'state': {index: {name: value}}, 'param_groups': [options with parameter indices]}
        (copies), as PyTorch's."""
        groups, start = [], 0
        for group in self.param_groups:
            opts = {k: v for k, v in group.items() if k != "params"}
            opts["params"] = list(range(start, start + len(group["params"])))
            start += len(group["params"])
            groups.append(opts)
        state = {i: {k: (v.copy() if isinstance(v, np.ndarray) else v) for k, v in s.items()}
                 for i, s in self.state.items()}
        return {"state": state, "param_groups": groups}

    def load_state_dict(self, state_dict: Dict[str, Any]) -> None:
        """Restore ``state_dict()``'s state and options, checked first (all or nothing)."""
        groups, state = self.check_state_dict(state_dict)
        for group, saved in zip(self.param_groups, groups):
            group.update({k: v for k, v in saved.items() if k != "params"})
        self.state = {i: {k: (v.copy() if isinstance(v, np.ndarray) else v) for k, v in s.items()}
                      for i, s in state.items()}

    def check_state_dict(self, state_dict: Dict[str, Any]) -> Tuple[list, Dict[int, Dict[str, Any]]]:
        """Raise unless ``state_dict`` fits these parameters; touches nothing."""
        groups = state_dict["param_groups"]
        if [len(g["params"]) for g in groups] != [len(g["params"]) for g in self.param_groups]:
            raise ValueError(f"{type(self).__name__}.load_state_dict: the saved groups have "
                             f"{[len(g['params']) for g in groups]} parameters, these "
                             f"{[len(g['params']) for g in self.param_groups]}")
        state = {int(i): dict(s) for i, s in state_dict["state"].items()}
        for i, s in state.items():
            shape = np.shape(self._params[i].data)
            for k, v in s.items():
                if isinstance(v, np.ndarray) and v.shape != shape:
                    raise ValueError(f"{type(self).__name__}.load_state_dict: state {k!r} of parameter {i} "
                                     f"has shape {v.shape}, the parameter {shape}")
        return groups, state


class SGD(Optimizer):
    """PyTorch's SGD: d = g + wd·p; with momentum μ: b = μb + (1 − dampening)d
    (b = d the first time), and d = d + μb (Nesterov) or d = b; p ← p − lr·d."""

    def __init__(self, params: Iterable[Any], lr: float, momentum: float = 0.0, dampening: float = 0.0,
                 weight_decay: float = 0.0, nesterov: bool = False) -> None:
        if momentum < 0 or weight_decay < 0:
            raise ValueError(f"SGD: momentum and weight_decay must be >= 0, got {momentum}, {weight_decay}")
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("SGD: Nesterov momentum needs momentum > 0 and dampening 0")
        super().__init__(params, dict(lr=lr, momentum=momentum, dampening=dampening,
                                      weight_decay=weight_decay, nesterov=nesterov))

    def step(self) -> None:
        """One update; array state is updated in place (the same operations in the same
        order as the formulas, so the results are those of the expressions)."""
        for group, i, p, g in self._each():
            mu = group["momentum"]
            if mu:
                s = self.state.setdefault(i, {})
                b = s.get("momentum_buffer")
                if b is None:
                    b = s["momentum_buffer"] = g.copy() if isinstance(g, np.ndarray) else g
                elif isinstance(b, np.ndarray):
                    b *= mu
                    b += (1 - group["dampening"]) * g
                else:
                    b = s["momentum_buffer"] = mu * b + (1 - group["dampening"]) * g
                if group["nesterov"]:
                    g = g + mu * b
                else:
                    g = b
            p.data -= group["lr"] * g


class Adam(Optimizer):
    """Adam (Kingma & Ba), as PyTorch computes it: g = ∇ + wd·p (L2), m = β₁m + (1−β₁)g,
    v = β₂v + (1−β₂)g², p ← p − (lr/(1−β₁ᵗ)) · m / (√v/√(1−β₂ᵗ) + ε)."""


    def __init__(self, params: Iterable[Any], lr: float = 1e-3, betas: Tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 0.0) -> None:
        if not (0 <= betas[0] < 1 and 0 <= betas[1] < 1):
            raise ValueError(f"{type(self).__name__}: betas must lie in [0, 1), got {betas}")
        super().__init__(params, dict(lr=lr, betas=tuple(betas), eps=eps, weight_decay=weight_decay))

    def step(self) -> None:
        for group, i, p, g in self._each():
            lr, (b1, b2), wd = group["lr"], group["betas"], group["weight_decay"]
            if wd and not self.decay_in_gradient:
                p.data *= 1 - lr * wd                     # AdamW: decay the weight itself
            s = self._state(i, g, "exp_avg", "exp_avg_sq")
            s["step"] += 1
            c1, c2 = 1 - b1 ** s["step"], 1 - b2 ** s["step"]
            m, v = s["exp_avg"], s["exp_avg_sq"]
            if not isinstance(m, np.ndarray):           # a Value's float
                m = s["exp_avg"] = b1 * m + (1 - b1) * g
                v = s["exp_avg_sq"] = b2 * v + (1 - b2) * g * g
                p.data -= (lr / c1) * m / (math.sqrt(v) / math.sqrt(c2) + group["eps"])
                continue
            t = (1 - b1) * g                            # two scratch arrays per step, state in place
            m *= b1
            m += t
            u = (1 - b2) * g
            u *= g
            v *= b2
            v += u
            denom = np.sqrt(v, out=u)
            denom /= math.sqrt(c2)
            denom += group["eps"]
            step = np.multiply(lr / c1, m, out=t)
            step /= denom
            p.data -= step


class AdamW(Adam):
    """Adam with decoupled weight decay (Loshchilov & Hutter): p ← p(1 − lr·wd)
    before the Adam step; PyTorch's default weight_decay 0.01."""

    decay_in_gradient = False

    def __init__(self, params: Iterable[Any], lr: float = 1e-3, betas: Tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 0.01) -> None:
        super().__init__(params, lr, betas, eps, weight_decay)


class RMSprop(Optimizer):
    """RMSprop as PyTorch: a = αa + (1−α)g²; d = g/(√a + ε) (centered: √(a − ḡ²));
    with momentum μ, b = μb + d and the step uses b; p ← p − lr·d."""

    def __init__(self, params: Iterable[Any], lr: float = 1e-2, alpha: float = 0.99, eps: float = 1e-8,
                 weight_decay: float = 0.0, momentum: float = 0.0, centered: bool = False) -> None:
        super().__init__(params, dict(lr=lr, alpha=alpha, eps=eps, weight_decay=weight_decay,
                                      momentum=momentum, centered=centered))

    def step(self) -> None:
        for group, i, p, g in self._each():
            a = group["alpha"]
            s = self._state(i, g, "square_avg", *(("grad_avg",) if group["centered"] else ()),
                            *(("momentum_buffer",) if group["momentum"] > 0 else ()))
            s["step"] += 1
            if not isinstance(s["square_avg"], np.ndarray):     # a Value's float
                s["square_avg"] = a * s["square_avg"] + (1 - a) * g * g
                if group["centered"]:
                    s["grad_avg"] = a * s["grad_avg"] + (1 - a) * g
                    avg = math.sqrt(s["square_avg"] - s["grad_avg"] * s["grad_avg"]) + group["eps"]
                else:
                    avg = math.sqrt(s["square_avg"]) + group["eps"]
                d = g / avg
                if group["momentum"] > 0:
                    s["momentum_buffer"] = group["momentum"] * s["momentum_buffer"] + d
                    d = s["momentum_buffer"]
                p.data -= group["lr"] * d
                continue
            sq = s["square_avg"]                        # state in place, one or two scratch arrays
            t = (1 - a) * g
            t *= g
            sq *= a
            sq += t
            if group["centered"]:
                ga = s["grad_avg"]
                ga *= a
                ga += np.multiply(1 - a, g, out=t)
                np.multiply(ga, ga, out=t)
                np.subtract(sq, t, out=t)
                avg = np.sqrt(t, out=t)
            else:
                avg = np.sqrt(sq, out=t)
            avg += group["eps"]
            d = np.divide(g, avg, out=avg)
            if group["momentum"] > 0:
                buf = s["momentum_buffer"]
                buf *= group["momentum"]
                buf += d
                d = np.multiply(group["lr"], buf, out=d)
            else:
                d *= group["lr"]
            p.data -= d


class Adagrad(Optimizer):
    """Adagrad as PyTorch: s = s + g²; p ← p − lr_t · g/(√s + ε), lr_t = lr/(1 + (t−1)·lr_decay)."""

    def __init__(self, params: Iterable[Any], lr: float = 1e-2, lr_decay: float = 0.0, weight_decay: float = 0.0,
                 initial_accumulator_value: float = 0.0, eps: float = 1e-10) -> None:
        super().__init__(params, dict(lr=lr, lr_decay=lr_decay, weight_decay=weight_decay,
                                      initial_accumulator_value=initial_accumulator_value, eps=eps))

    def step(self) -> None:
        for group, i, p, g in self._each():
            s = self._state(i, g, "sum", start=group["initial_accumulator_value"])
            s["step"] += 1
            lr = group["lr"] / (1 + (s["step"] - 1) * group["lr_decay"])
            if not isinstance(s["sum"], np.ndarray):    # a Value's float
                s["sum"] = s["sum"] + g * g
                p.data -= lr * g / (math.sqrt(s["sum"]) + group["eps"])
                continue
            t = g * g                                   # the sum in place, two scratch arrays
            s["sum"] += t
            denom = np.sqrt(s["sum"], out=t)
            denom += group["eps"]
            step = lr * g
            step /= denom
            p.data -= step


from . import lr_scheduler  # noqa: E402  (it builds on Optimizer)
from .lr_scheduler import (CosineAnnealingLR, ExponentialLR, InverseTimeLR, LambdaLR, MultiStepLR,  # noqa: E402
                           ReduceLROnPlateau, StepLR)
