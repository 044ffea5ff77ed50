"""autograd_core: reverse-mode automatic differentiation on a computational graph.

    from autograd_core import Value, Tensor, no_grad, grad, gradcheck

``Value`` is a scalar node (Python float), ``Tensor`` a numpy-backed node; both
record gates from ``gates/`` and share one backward pass (``graph.py``).
"""
from .anomaly import AnomalyError, detect_anomaly, is_anomaly_enabled
from .gates import GATES, Gate
from .gradcheck import GradcheckError, gradcheck, numerical_grad
from .graph import enable_grad, grad, is_grad_enabled, no_grad, toposort
from .node import Node
from .rng import default_generator, manual_seed
from .render import GraphTooLarge, draw_graph, save_svg
from .steps import StepView, backward_steps, step_view, write_steps
from ._tensor import AxisError, Tensor
from ._tensor_index import cat, one_hot, pad
from ._tensor_shape import concatenate, stack
from .value import Value
from .creation import (arange, empty, eye, from_numpy, full, full_like, linspace, ones, ones_like, rand, randint, randn,
                       tensor, zeros, zeros_like)
from .ops import clamp, clip, maximum, minimum, where

__all__ = [
    "from_numpy", "tensor", "zeros", "ones", "full", "empty", "zeros_like", "ones_like", "full_like", "arange", "linspace",
    "eye", "rand", "randn", "randint", "where", "maximum", "minimum", "clamp", "clip", "cat", "one_hot", "pad",
    "Value", "Tensor", "Node", "Gate", "GATES", "stack", "concatenate", "AxisError",
    "no_grad", "enable_grad", "is_grad_enabled", "grad", "toposort",
    "gradcheck", "numerical_grad", "GradcheckError", "detect_anomaly", "is_anomaly_enabled", "AnomalyError",
    "manual_seed", "default_generator",
    "draw_graph", "save_svg", "backward_steps", "write_steps", "step_view", "StepView", "GraphTooLarge",
]
__version__ = "0.1.0"
