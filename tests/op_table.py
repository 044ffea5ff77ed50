"""One table of elementwise ops drives the forward, gradient and property tests
for both Value and Tensor (see STYLE.md: "one table drives many tests").

Each entry: the op's name, its arity, a safe input range per argument, how to
apply it to nodes, and a numpy reference for the forward value.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable, Tuple

import numpy as np

from autograd_core import Value


@dataclass(frozen=True)
class Op:
    name: str
    arity: int
    domain: Tuple[Tuple[float, float], ...]
    apply: Callable            # works on Value and on Tensor arguments alike
    reference: Callable        # numpy forward on float64 arrays
    kink: bool = False         # not differentiable where the inputs tie / cross 0

    def ok(self, *xs) -> bool:
        """False for points too close to a kink for central differences."""
        if not self.kink:
            return True
        if self.arity == 1:
            return bool(np.all(np.abs(xs[0]) > 1e-3))
        return bool(np.all(np.abs(np.subtract(*np.broadcast_arrays(*xs))) > 1e-3))


_erf = np.vectorize(math.erf)


def _sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


OPS = [
    Op("neg", 1, ((-3, 3),), lambda x: -x, np.negative),
    Op("exp", 1, ((-3, 3),), lambda x: x.exp(), np.exp),
    Op("log", 1, ((0.1, 4),), lambda x: x.log(), np.log),
    Op("tanh", 1, ((-3, 3),), lambda x: x.tanh(), np.tanh),
    Op("sigmoid", 1, ((-6, 6),), lambda x: x.sigmoid(), _sigmoid),
    Op("relu", 1, ((-3, 3),), lambda x: x.relu(), lambda x: np.maximum(x, 0), kink=True),
    Op("leaky_relu", 1, ((-3, 3),), lambda x: x.leaky_relu(0.1), lambda x: np.where(x > 0, x, 0.1 * x), kink=True),
    Op("elu", 1, ((-3, 3),), lambda x: x.elu(0.7), lambda x: np.where(x > 0, x, 0.7 * np.expm1(x)), kink=True),
    Op("softplus", 1, ((-20, 20),), lambda x: x.softplus(), lambda x: np.log1p(np.exp(x))),
    Op("abs", 1, ((-3, 3),), lambda x: abs(x), np.abs, kink=True),
    Op("sqrt_gate", 1, ((0.1, 4),), lambda x: x.sqrt(), np.sqrt),
    Op("sin", 1, ((-3, 3),), lambda x: x.sin(), np.sin),
    Op("cos", 1, ((-3, 3),), lambda x: x.cos(), np.cos),
    Op("log1p", 1, ((-0.9, 3),), lambda x: x.log1p(), np.log1p),
    Op("expm1", 1, ((-3, 3),), lambda x: x.expm1(), np.expm1),
    Op("clamp_min", 1, ((-3, 3),), lambda x: x.clamp(min=0.0), lambda x: np.maximum(x, 0.0), kink=True),
    Op("clamp_max", 1, ((-3, 3),), lambda x: x.clamp(max=0.0), lambda x: np.minimum(x, 0.0), kink=True),
    Op("silu", 1, ((-4, 4),), lambda x: x.silu(), lambda x: x / (1 + np.exp(-x))),
    Op("gelu", 1, ((-4, 4),), lambda x: x.gelu(), lambda x: x * 0.5 * (1 + _erf(x / np.sqrt(2)))),
    Op("gelu_tanh", 1, ((-4, 4),), lambda x: x.gelu("tanh"),
       lambda x: 0.5 * x * (1 + np.tanh(np.sqrt(2 / np.pi) * (x + 0.044715 * x ** 3)))),
    Op("square", 1, ((-3, 3),), lambda x: x ** 2, np.square),
    Op("cube", 1, ((-2, 2),), lambda x: x ** 3, lambda x: x ** 3),
    Op("sqrt", 1, ((0.1, 4),), lambda x: x ** 0.5, np.sqrt),
    Op("reciprocal", 1, ((0.5, 3),), lambda x: 1 / x, np.reciprocal),
    Op("rsub", 1, ((-3, 3),), lambda x: 2.5 - x, lambda x: 2.5 - x),
    Op("scale", 1, ((-3, 3),), lambda x: x * -1.5, lambda x: x * -1.5),
    Op("rscale", 1, ((-3, 3),), lambda x: 0.5 * x, lambda x: 0.5 * x),
    Op("shift", 1, ((-3, 3),), lambda x: 1.5 + x, lambda x: 1.5 + x),
    Op("subc", 1, ((-3, 3),), lambda x: x - 0.25, lambda x: x - 0.25),
    Op("divc", 1, ((-3, 3),), lambda x: x / 4.0, lambda x: x / 4.0),
    Op("rpowc", 1, ((-2, 2),), lambda x: 2.0 ** x, lambda x: 2.0 ** x),
    Op("add", 2, ((-3, 3), (-3, 3)), lambda x, y: x + y, np.add),
    Op("sub", 2, ((-3, 3), (-3, 3)), lambda x, y: x - y, np.subtract),
    Op("mul", 2, ((-3, 3), (-3, 3)), lambda x, y: x * y, np.multiply),
    Op("div", 2, ((-3, 3), (0.5, 3)), lambda x, y: x / y, np.divide),
    Op("pow", 2, ((0.2, 3), (-2, 2)), lambda x, y: x ** y, np.power),
    Op("max", 2, ((-3, 3), (-3, 3)),
       lambda x, y: x.max(y) if isinstance(x, Value) else x.maximum(y),
       np.maximum, kink=True),
    Op("min", 2, ((-3, 3), (-3, 3)),
       lambda x, y: x.min(y) if isinstance(x, Value) else x.minimum(y),
       np.minimum, kink=True),
]
OPS_BY_NAME = {op.name: op for op in OPS}
