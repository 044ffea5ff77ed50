"""``Value``: a scalar node whose data is a Python float.

This is the engine's hot path: a training step of a small MLP of Values makes
tens of thousands of nodes, so each op is one object with six slots and a
float, built without ``__init__``, and the backward pass runs on floats with
the ``math`` module.  The differentiation rules themselves live in
``gates/`` and are shared with ``Tensor``.
"""
from __future__ import annotations

import numbers
from operator import attrgetter
from typing import Any, Callable, Iterable, Optional, Sequence

from . import gates as G
from .graph import _GradMode
from .node import Node

__all__ = ["Value"]

_new = object.__new__
_data = attrgetter("data")
_Real = numbers.Real


def _record(data: float, gate: G.Gate, a: Any, b: Any) -> "Value":
    """A gate's output node (a leaf when no graph is being recorded). The
    label slot is left unset (it reads as "" until the user sets one). The
    operator methods below inline these lines: they are the hot path."""
    out = _new(Value)
    out.data = data
    out.grad = 0.0
    if _GradMode.enabled:
        out._op, out._a, out._b = gate, a, b
    else:
        out._op = out._a = out._b = None
    return out


def _const(x: float) -> "Value":
    c = _new(Value)
    c.data = x
    c.grad = 0.0
    c._op = G.CONST
    c._a = c._b = None
    return c


def _number(x: Any, gate: G.Gate) -> float:
    """A number operand as a float; anything else is an error naming ``gate``."""
    t = type(x)
    if t is float:
        return x
    if t is int or (isinstance(x, _Real) and not isinstance(x, Node)):   # the ABC check costs 0.4 us
        return float(x)
    if isinstance(x, Node):
        raise TypeError(
            f"{gate.name}: cannot combine a Value with a {type(x).__name__}; convert one side "
            "first (Tensor(v.data) for a Value, t.item() for a one-element Tensor)")
    raise TypeError(f"{gate.name}: expected a Value or a number, got {type(x).__name__} {x!r}")


def _lift(x: Any, gate: G.Gate) -> "Value":
    """A plain number becomes a constant node; a Value stays; anything else is an error."""
    if type(x) is Value or isinstance(x, Value):
        return x
    return _const(_number(x, gate))


class Value(Node):
    """A scalar in a computational graph.

    ``Value(data, label="")``: ``.data`` is a float, ``.grad`` is d(root)/d(self)
    after ``root.backward()`` (0.0 before). Supports ``+ - * / **`` with Values
    and numbers on either side, unary ``-``, and the gates of the operator table
    (``exp log tanh sigmoid relu`` ... , ``max min``; see ``node.py``).
    """

    __slots__ = ()
    _scalar_fast_path = True

    def __init__(self, data: float, label: str = "") -> None:
        if not isinstance(data, _Real) or isinstance(data, Node):
            raise TypeError(
                f"Value: expected a real number, got {type(data).__name__} {data!r}"
                + (" (use .item() to take the number out of a one-element Tensor)"
                   if isinstance(data, Node) else ""))
        self.data = float(data)
        self.grad = 0.0
        self._op = None
        self._a = None
        self._b = None
        if label:
            self._label = str(label)

    # -- fast constructors for gate outputs (used by Node.__init_subclass__) --
    @staticmethod
    def _binop(gate: G.Gate, reflected: bool, number_gate: Optional[G.Gate]) -> Callable:
        """The operator method for ``gate``; a number operand goes to
        ``number_gate`` as its parameter (or, without one, becomes a constant node)."""
        f = gate.sfwd
        fc = number_gate.sfwd if number_gate is not None else None
        mode = _GradMode

        def with_number(self: Value, other: Any) -> Value:
            """``self <op> c`` for a number c: one gate with c as its parameter."""
            if number_gate is None:
                return method(self, _lift(other, gate))
            return forward(self, _number(other, gate))

        def forward(self: Value, other: Any) -> Value:          # self <op> other
            if type(other) is Value:
                op = gate
                z = f(self.data, other.data)
            elif type(other) is float and fc is not None:       # a number: its one-input gate
                op = number_gate
                z = fc(self.data, other)
            elif isinstance(other, Value):
                op = gate
                z = f(self.data, other.data)
            else:
                return with_number(self, other)
            out = _new(Value)
            out.data = z
            out.grad = 0.0
            if mode.enabled:
                out._op = op
                out._a = self
                out._b = other
            else:
                out._op = out._a = out._b = None
            return out

        if reflected:
            # other <op> self: Python calls this with a number on the left (a Value on
            # the left only when it is a subclass's, or by hand), so the number path is first
            def method(self: Value, other: Any) -> Value:
                if type(other) is float and fc is not None:
                    return forward(self, other)                 # the number's gate, self its input
                if isinstance(other, Value):
                    return forward(other, self)
                return with_number(self, other)
        else:
            method = forward
        method.__doc__ = f"{gate.name}: {gate.formula}" + (
            f"; with a number, {number_gate.name}: {number_gate.formula}" if number_gate is not None else "")
        method._records_inline = True     # builds its node itself: anomaly.py wraps it
        return method

    @staticmethod
    def _unop(gate: G.Gate) -> Callable:
        f = gate.sfwd
        mode = _GradMode

        def method(self: Value) -> Value:
            out = _new(Value)
            out.data = f(self.data)
            out.grad = 0.0
            if mode.enabled:
                out._op = gate
                out._a = self
            else:
                out._op = out._a = None
            out._b = None
            return out
        method._records_inline = True     # builds its node itself: anomaly.py wraps it
        return method

    max = _binop(G.MAX, False, None)
    min = _binop(G.MIN, False, None)

    @staticmethod
    def _variadic(gate: G.Gate, parents: tuple, param: Any) -> "Value":
        return _record(gate.sfwd(list(map(_data, parents)), param), gate, parents, param)

    @staticmethod
    def sum(values: Iterable[Any]) -> "Value":
        """Σ values as one node (one gate, n parents) instead of a chain of n-1 adds."""
        ps = as_values(values, G.SUMN)
        if not ps:
            raise ValueError("Value.sum: got no values")
        return Value._variadic(G.SUMN, ps, None)

    @staticmethod
    def dot(weights: Sequence[Any], inputs: Sequence[Any], bias: Any = None,
            activation: Optional[str] = None) -> "Value":
        """Σ_i w_i x_i (+ bias) as one node: a neuron's weighted sum in a single gate;
        with ``activation`` ("relu", "tanh" or "sigmoid"), act(Σ_i w_i x_i + b):
        the whole neuron as one node.

        Its backward is the hand-written one (dz/dw_i = x_i, dz/dx_i = w_i,
        dz/db = 1, after the activation's own rule), so a Value MLP built from
        ``dot`` costs a few times hand-written code, where a chain of 2n mul/add
        nodes costs twenty.

        ``weights`` may hold one item more than ``inputs``: the last is then
        the bias. The node keeps the tuples it is given, so a caller passing the
        same weight tuple (a neuron) or input tuple (a layer) shares them."""
        n = len(inputs)
        if n == 0 or len(weights) - n not in ((0, 1) if bias is None else (0,)):
            raise ValueError(f"Value.dot: need as many weights as inputs (or one more, a bias), "
                             f"got {len(weights)} and {n}")
        if activation is not None and not isinstance(activation, str):
            raise TypeError(f"Value.dot: activation must be a str or None, got {type(activation).__name__}")
        gate = G.DOT_WITH.get(activation)
        if gate is None:
            raise ValueError(f"Value.dot: activation must be 'relu', 'tanh', 'sigmoid' or None, got {activation!r}")
        return Value._dot(as_values(weights if bias is None else (*weights, bias)), as_values(inputs), gate)

    @staticmethod
    def _dot(ws: tuple, xs: tuple, gate: G.Gate = G.DOT) -> "Value":
        """``dot`` for callers that already hold tuples of Values and a gate of
        ``G.DOT_WITH`` (no checks)."""
        return Value._dots((ws,), xs, gate)[0]

    @staticmethod
    def _dots(wbs: Sequence[tuple], xs: tuple, gate: G.Gate = G.DOT) -> list:
        """``_dot`` for a layer: one node per weight tuple in ``wbs``, all on the
        input tuple ``xs`` (its data read once), in one call."""
        xdata = list(map(_data, xs))
        f = gate.sfwd
        return [_record(f(ws, xdata), gate, ws, xs) for ws in wbs]

    def _apply2(self, gate: G.Gate, other: Any) -> "Value":
        other = other if type(other) is Value else _lift(other, gate)
        return _record(gate.sfwd(self.data, other.data), gate, self, other)

    def _apply1(self, gate: G.Gate, param: Any) -> "Value":
        return _record(gate.sfwd(self.data, param), gate, self, param)

    # -- hooks used by graph.py ----------------------------------------------
    def _fit(self, g: Any) -> Any:
        return g

    def _seed(self, grad_output: Any, as_node: bool):
        seed = 1.0 if grad_output is None else self._check_number(grad_output, "backward")
        return _const(seed) if as_node else seed

    def _zero_grad(self, as_node: bool):
        return _const(0.0) if as_node else 0.0

    def _store_grad(self, g: float, shared: bool) -> None:
        """Add ``g`` into a leaf's ``.grad`` (floats are never shared state; a node,
        from ``backward(create_graph=True)``, is added to out of place)."""
        self.grad = self.grad + g

    def _compare(self, other: Any, how: Callable) -> bool:
        """``how`` (operator.lt ...) on the data: a plain bool, no graph."""
        if isinstance(other, Value):
            return how(self.data, other.data)
        return how(self.data, _number(other, G.CONST))

    # -- conveniences ----------------------------------------------------------
    def zero_grad(self) -> None:
        """Forget the accumulated gradient (``.grad = 0.0``)."""
        self.grad = 0.0

    def item(self) -> float:
        """The data as a Python float."""
        return self.data

    def __float__(self) -> float:
        return self.data

    def __repr__(self) -> str:
        label = f", label={self.label!r}" if self.label else ""
        grad = self.grad.data if isinstance(self.grad, Node) else self.grad    # a node after create_graph
        return f"Value(data={self.data:.6g}, grad={grad:.6g}{label})"



_ONLY_VALUE = {Value}


def as_values(items: Iterable[Any], gate: G.Gate = G.DOT) -> tuple:
    """``items`` as a tuple of Values, numbers lifted to constants (the same
    tuple when it already is one); ``gate`` names the op in error messages."""
    if type(items) is not tuple:
        items = tuple(items)
    if set(map(type, items)) != _ONLY_VALUE:
        items = tuple(v if isinstance(v, Value) else _lift(v, gate) for v in items)
    return items
