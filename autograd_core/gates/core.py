"""The ``Gate`` type, its registry, and the helpers every rule is written with.

The helpers work on floats, ndarrays and graph nodes (``Value``/``Tensor``)
alike, which is what lets one rule serve both node kinds and, applied to nodes,
give gradients of gradients.
"""
from __future__ import annotations

from typing import Any, Callable, Optional

import numpy as np

_ndarray = np.ndarray
_add_reduce = np.add.reduce     # ndarray.sum without its Python wrapper


class Gate:
    """One differentiable op: ``name``, drawing ``symbol``, ``arity`` (0, 1, 2; -1
    for a variadic gate whose parents are the tuple ``_a``; -2 for one whose
    parents are the two tuples ``_a`` and ``_b``),
    forward functions and the vector-Jacobian product. ``formula`` is its math."""

    __slots__ = ("name", "symbol", "arity", "fwd", "sfwd", "vjp", "parts", "formula", "needs_out", "inplace",
                 "vjp_inplace")

    def __init__(self, name: str, symbol: str, arity: int,
                 fwd: Optional[Callable], vjp: Optional[Callable], formula: str,
                 sfwd: Optional[Callable] = None, parts: Optional[tuple] = None,
                 needs_out: bool = True, inplace: Optional[Callable] = None,
                 vjp_inplace: Optional[Callable] = None) -> None:
        self.name = name
        # Two facts about the vjp that let a Tensor reuse a temporary's buffer
        # (see ``buffers.py``): ``needs_out`` is False when the vjp never reads
        # the output's data, and ``inplace`` (the forward writing into ``out=``)
        # is given only for gates whose vjp never reads their inputs' data.
        self.needs_out = needs_out
        self.inplace = inplace
        # the vjp written to overwrite ``g``, used when backward owns g's buffer
        self.vjp_inplace = vjp_inplace
        self.symbol = symbol
        self.arity = arity
        self.fwd = fwd
        self.sfwd = sfwd if sfwd is not None else fwd
        # A binary gate whose two gradients are expensive may give them as two
        # functions (one per input): the backward pass then computes only the
        # ones an input needs, and ``vjp`` is derived from them.
        self.parts = parts
        if parts is not None and arity == 2:
            vjp = lambda g, out, x, y: (parts[0](g, out, x, y), parts[1](g, out, x, y))  # noqa: E731
        elif parts is not None:
            vjp = lambda g, out, xs, p: [f(g, out, xs, p) for f in parts[:len(xs)]]  # noqa: E731
        self.vjp = vjp
        self.formula = formula

    def __call__(self, *inputs: Any, param: Any = None) -> Any:
        """Apply the gate to nodes: ``gate(x)``, ``gate(x, param=p)``, ``gate(x, y)``, or
        ``gate(x0, x1, ...)`` for a variadic gate. The inputs must be all Values or
        all Tensors; the result is a node of the same kind, recorded in the graph."""
        if not inputs:
            raise TypeError(f"{self.name}: give the gate its inputs")
        first = inputs[0]
        if self.arity != -2 and not hasattr(first, "_apply1"):
            kind = type(first).__name__
            raise TypeError(f"{self.name}: expected Values or Tensors, got {kind}"
                            + ("; wrap arrays in Tensor(...)" if isinstance(first, (_ndarray, list)) else ""))
        if self.arity == 1:
            if len(inputs) != 1:
                raise TypeError(f"{self.name}: takes one input (and param=), got {len(inputs)}")
            return first._gate1(self, param)
        if self.arity == 2:
            if len(inputs) != 2 or param is not None:
                raise TypeError(f"{self.name}: takes two inputs and no param, got {len(inputs)} inputs")
            return first._apply2(self, inputs[1])
        if self.arity == -1:
            return type(first)._variadic(self, tuple(inputs), param)
        if self.arity == -2 and len(inputs) == 2 and param is None:
            from ..value import Value       # the dot gates are Value ones: their checked constructor
            from .elementwise import DOT_ACTIVATION
            act = DOT_ACTIVATION[self]
            return Value.dot(inputs[0], inputs[1], activation=None if act is None else act.name)
        raise TypeError(f"{self.name}: a gate of arity {self.arity} cannot be applied this way")

    def __repr__(self) -> str:
        return f"Gate({self.name}: {self.formula})"


GATES: dict[str, Gate] = {}


def define_gate(name: str, forward: Callable, vjp: Callable, formula: str, arity: int = 1,
                symbol: Optional[str] = None, scalar_forward: Optional[Callable] = None) -> Gate:
    """A new gate, usable on Values and Tensors, drawn by name and stepped
    through like the built-in ones.

    * ``forward(x, param)`` for one input (``param`` is None unless the gate is
      applied with ``param=``, so ``lambda x, p=None: ...`` does), ``forward(x, y)``
      for two, on floats (Values) and ndarrays (Tensors); ``scalar_forward``
      replaces it for floats if it needs ``math`` instead of numpy.
    * ``vjp(g, out, x, param)`` (one input) returns d(loss)/dx, and
      ``vjp(g, out, x, y)`` returns the pair; the upstream gradient ``g`` and
      the result have the output's shape (broadcasting is undone for you).
      Write it with operators and ``autograd_core.gates`` helpers (``exp``,
      ``log``...) and gradients of gradients (``create_graph``) work too.
    * ``formula`` is its math, shown in the step-by-step view.

    Check it with ``autograd_core.testing.check_gate(gate)``."""
    if arity not in (1, 2):
        raise ValueError(f"define_gate: arity must be 1 or 2, got {arity}")
    if name in GATES and name not in _USER_GATES:
        raise ValueError(f"define_gate: {name!r} is a built-in gate; pick another name")
    _USER_GATES.add(name)             # defining it again (a notebook cell run twice) replaces it
    return _gate(name, symbol or name, arity, forward, vjp, formula, sfwd=scalar_forward)


_USER_GATES: set = set()


def _gate(name: str, symbol: str, arity: int, fwd, vjp, formula: str, sfwd=None, parts=None,
          needs_out: bool = True, inplace=None, vjp_inplace=None) -> Gate:
    gate = Gate(name, symbol, arity, fwd, vjp, formula, sfwd, parts, needs_out, inplace, vjp_inplace)
    GATES[name] = gate
    return gate


def _is_plain(x: Any) -> bool:
    return type(x) is float or isinstance(x, (_ndarray, np.generic, int))


def _unary_any(gate: "Gate", x):
    """Apply a one-input gate's forward to a float, an ndarray or a node."""
    if type(x) is float:
        return gate.sfwd(x)
    if _is_plain(x):
        return gate.fwd(x)
    return x._gate1(gate)


def exp(x):
    """e**x for a float, an ndarray or a node."""
    return _unary_any(GATES["exp"], x)


def log(x):
    """Natural log for a float, an ndarray or a node."""
    return _unary_any(GATES["log"], x)


def data_of(x):
    """The raw number or array behind ``x`` (for masks, which are constants)."""
    return x if _is_plain(x) else x.data


def broadcast_to(g, shape: tuple):
    """Broadcast ``g`` to ``shape`` (the adjoint of ``sum_to``)."""
    if _is_plain(g):
        return np.broadcast_to(g, shape)
    return g.broadcast_to(shape)


def sum_to(g, shape: tuple):
    """Sum ``g`` over the axes that broadcasting added or stretched, so that the
    result has ``shape``: the gradient rule of numpy broadcasting."""
    gshape = g.shape
    if gshape == shape:
        return g
    lead = len(gshape) - len(shape)
    if lead == 1 and gshape[1:] == shape:  # a bias broadcast over a batch: the common case
        return _add_reduce(g, 0) if g.__class__ is _ndarray else g.sum(axis=0)
    stretched = tuple(i + lead for i, n in enumerate(shape) if n == 1 and gshape[i + lead] != 1)
    if not stretched:                      # only leading axes were added: one plain sum
        return g.sum(axis=tuple(range(lead)))
    return g.sum(axis=tuple(range(lead)) + stretched, keepdims=True).reshape(shape)


def _expand(g, shape: tuple, axis, keepdims: bool):
    """Put back the axes a reduction removed, then broadcast to ``shape``."""
    if not keepdims and axis is not None:
        kshape = list(shape)
        for a in (axis if isinstance(axis, tuple) else (axis,)):
            kshape[a] = 1
        g = g.reshape(tuple(kshape))
    return broadcast_to(g, shape)


def _swap(x):
    return x.swapaxes(-1, -2)
