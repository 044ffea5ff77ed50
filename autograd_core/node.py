"""The node that both ``Value`` and ``Tensor`` are.

A node is data: ``data``, ``grad``, the gate that made it (``_op``) and its
ordered parents ``_a`` and ``_b`` (for a one-input gate ``_b`` holds the
gate's parameter: an exponent, an axis, an index).  There are no closures and
no reference cycles, so a graph is freed by reference counting the moment
its root is dropped, and the garbage collector has nothing to untangle.

The operator table below is the single list of which Python operator and
method maps to which gate; each subclass builds its methods from it with its
own fast constructor (``_binop`` / ``_unop``).
"""
from __future__ import annotations

import numbers
import operator
from typing import Any, Optional

from . import gates as G
from ._inplace import InPlace
from .graph import backward as _backward

# (method name, gate, reflected?, gate when the other operand is a number).
# Reflected means ``other <op> self``. A number is folded into a one-input gate
# as its parameter, as the lecture notes draw f_a(x) = a x and f_c(x) = c + x:
# ``x * 2`` is one "*2" gate, not a "*" gate fed by a constant node.
BINARY_OPERATORS = (
    ("__add__", G.ADD, False, G.SHIFT), ("__radd__", G.ADD, True, G.SHIFT),
    ("__sub__", G.SUB, False, G.SUBC), ("__rsub__", G.SUB, True, G.RSUBC),
    ("__mul__", G.MUL, False, G.SCALE), ("__rmul__", G.MUL, True, G.SCALE),
    ("__truediv__", G.DIV, False, G.DIVC), ("__rtruediv__", G.DIV, True, G.RDIVC),
    ("__pow__", G.POW, False, G.POWC), ("__rpow__", G.POW, True, G.RPOWC),
)
UNARY_OPERATORS = (
    ("__neg__", G.NEG), ("exp", G.EXP), ("log", G.LOG), ("tanh", G.TANH),
    ("sigmoid", G.SIGMOID), ("relu", G.RELU), ("softplus", G.SOFTPLUS), ("silu", G.SILU),
    ("abs", G.ABS), ("__abs__", G.ABS), ("sqrt", G.SQRT), ("sin", G.SIN), ("cos", G.COS),
    ("log1p", G.LOG1P), ("expm1", G.EXPM1), ("sign", G.SIGN),
)


# gate -> the method the table gives it (its forward takes x alone, no parameter)
_UNARY_METHOD = {}
for _name, _gate in reversed(UNARY_OPERATORS):     # the first name wins: abs before __abs__
    _UNARY_METHOD[_gate] = _name


class Node(InPlace):
    """Base of ``Value`` and ``Tensor``: graph bookkeeping and shared operators."""

    __slots__ = ("data", "grad", "_op", "_a", "_b", "_label")
    __array_ufunc__ = None          # numpy defers ``ndarray <op> node`` to our reflected ops
    requires_grad = True            # a Value always takes part; Tensor overrides per instance
    retains_grad = True             # interior Values keep .grad; a Tensor only after retain_grad()
    _scalar_fast_path = False

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for name, gate, reflected, number_gate in BINARY_OPERATORS:
            setattr(cls, name, cls._binop(gate, reflected, number_gate))
        for name, gate in UNARY_OPERATORS:
            method = cls._unop(gate)
            method.__doc__ = f"{gate.name}: {gate.formula}"
            setattr(cls, name, method)

    @property
    def label(self) -> str:
        """The name a drawing shows for this node ("" for none). Gate outputs
        leave the slot unset (one store fewer on the hot path)."""
        try:
            return self._label
        except AttributeError:
            return ""

    @label.setter
    def label(self, text: str) -> None:
        self._label = str(text)

    # -- graph structure (read-only views for drawing and teaching) --------
    @property
    def op(self) -> Optional[G.Gate]:
        """The gate that produced this node, or None for a leaf."""
        return self._op

    @property
    def parents(self) -> tuple:
        """The nodes this one was computed from, in argument order."""
        op = self._op
        if op is None or op.arity == 0:
            return ()
        if op.arity == -1:
            return tuple(self._a)
        if op.arity == -2:
            return tuple(self._a) + tuple(self._b)
        return (self._a,) if op.arity == 1 else (self._a, self._b)

    @property
    def param(self) -> Any:
        """The non-differentiable parameter of a one-input gate (exponent, axis...)."""
        op = self._op
        return self._b if op is not None and op.arity == 1 else None

    @property
    def is_leaf(self) -> bool:
        """True for nodes not computed by a gate (inputs, parameters, constants)."""
        return self._op is None or self._op.arity == 0

    @property
    def is_constant(self) -> bool:
        """True for a plain number (or array) lifted into the graph by an operator."""
        return self._op is G.CONST

    def backward(self, grad: Any = None, create_graph: bool = False) -> None:
        """Fill ``.grad`` of every node this one depends on with d(self)/d(node);
        with ``create_graph`` the leaves' gradients are nodes, differentiable again."""
        _backward(self, grad, create_graph)

    def _gate1(self, gate: G.Gate, param: Any = None):
        """The one-input ``gate`` applied to this node: through its operator-table
        method where it has one (``exp``, ``relu``...), else ``_apply1`` with ``param``."""
        name = _UNARY_METHOD.get(gate)
        if name is not None and param is None:
            return getattr(self, name)()
        return self._apply1(gate, param)

    # -- operators shared by both kinds ---------------------------------------
    def leaky_relu(self, negative_slope: float = 0.01):
        """x if x > 0 else slope·x; the derivative at 0 is the slope (as PyTorch)."""
        return self._apply1(G.LEAKY_RELU, self._check_number(negative_slope, "leaky_relu"))

    def elu(self, alpha: float = 1.0):
        """x if x > 0 else α(eˣ − 1); the derivative at 0 is α (as PyTorch)."""
        return self._apply1(G.ELU, self._check_number(alpha, "elu"))

    def gelu(self, approximate: str = "none"):
        """x Φ(x), Φ the standard normal CDF (``approximate="tanh"``: PyTorch's tanh form)."""
        if approximate not in ("none", "tanh"):
            raise ValueError(f"gelu: approximate must be 'none' or 'tanh', got {approximate!r}")
        return self._apply1(G.GELU, approximate)

    def clamp(self, min: Any = None, max: Any = None):
        """min(max(x, min), max); the gradient passes where min <= x <= max (PyTorch's rule)."""
        lo = None if min is None else self._check_number(min, "clamp")
        hi = None if max is None else self._check_number(max, "clamp")
        if lo is None and hi is None:
            raise ValueError("clamp: give min, max or both")
        if lo is not None and hi is not None and lo > hi:
            raise ValueError(f"clamp: min {lo} is larger than max {hi}")
        return self._apply1(G.CLAMP, (lo, hi))

    clip = clamp

    def __pos__(self):
        return self

    def _compare(self, other: Any, how: Any):
        raise NotImplementedError

    def _rich(self, other: Any, how: Any):
        """A comparison; with an operand that is no number, NotImplemented, so that
        ``==`` falls back to identity and ``<`` raises Python's own TypeError
        ("'<' not supported between instances of 'Value' and 'str')."""
        try:
            return self._compare(other, how)
        except TypeError:
            return NotImplemented

    def __eq__(self, other: Any):
        """Elementwise for a Tensor (a bool Tensor), on the data for a Value (a bool)."""
        return self._rich(other, operator.eq)

    def __ne__(self, other: Any):
        return self._rich(other, operator.ne)

    __hash__ = object.__hash__       # nodes stay usable as dict keys and set members (by identity)

    def _order(self, other: Any, how: Any):
        """``<`` and friends: a Value beside a Tensor keeps the error that says
        how to convert one side; any other operand goes through ``_rich``."""
        return self._compare(other, how) if isinstance(other, Node) else self._rich(other, how)

    def __lt__(self, other: Any):
        return self._order(other, operator.lt)

    def __le__(self, other: Any):
        return self._order(other, operator.le)

    def __gt__(self, other: Any):
        return self._order(other, operator.gt)

    def __ge__(self, other: Any):
        return self._order(other, operator.ge)

    @staticmethod
    def _check_number(x: Any, where: str) -> float:
        if isinstance(x, numbers.Real) and not isinstance(x, Node):
            return float(x)
        raise TypeError(f"{where}: expected a number, got {type(x).__name__} {x!r}")
