"""``Tensor``: a node whose data is a numpy array.

Elementwise gates are the same ``Gate`` objects as for ``Value``. This module
holds construction, the operator factories (with buffer reuse) and axis
checking; the families live in mixins: ``_tensor_shape``, ``_tensor_index``,
``_tensor_reduce`` (reductions and the softmax family), ``_tensor_convert``
and ``_tensor_grad`` (what backward asks of a tensor).
"""
from __future__ import annotations

from typing import Any, Callable, Optional, Union

import numpy as np

from . import buffers as B
from . import gates as G
from .graph import _GradMode
from .node import Node
from ._tensor_convert import Conversions, _array, _check_grad_dtype
from ._tensor_grad import GradHooks
from ._tensor_index import IndexOps
from ._tensor_reduce import Reductions
from ._tensor_shape import ShapeOps
from ._tensor_operands import (lift as _lift, number_of as _number_of, operand_data as _operand_data,
                               shape_error as _shape_error)

__all__ = ["Tensor", "AxisError"]

AxisError = np.exceptions.AxisError     # numpy's own: a ValueError and an IndexError, caught as any of the three


_new = object.__new__
Axis = Optional[Union[int, tuple]]


def _check_dim(d: Any, nd: int, where: str, what: str) -> int:
    """Axis ``d`` of ``nd`` axes (-nd <= d < nd; 0 and -1 when nd = 0), made
    non-negative; ``what`` names the tensor in the error."""
    if isinstance(d, (bool, np.bool_)) or not isinstance(d, (int, np.integer)):
        raise TypeError(f"{where}: an axis must be an int, got {type(d).__name__} {d!r}")
    n = max(nd, 1)
    if not -n <= d < n:
        raise AxisError(f"{where}: axis {d} is out of range for {what} (expected -{n}..{n - 1})")
    return int(d) % nd if nd else 0


def _make(data: np.ndarray, gate: Optional[G.Gate], a: Any, b: Any, requires_grad: bool) -> "Tensor":
    out = _new(Tensor)
    out.data = data if type(data) is np.ndarray else np.asarray(data)   # reductions give numpy scalars
    out.grad = None
    out._op = gate
    out._a = a
    out._b = b
    out.requires_grad = requires_grad
    out.retains_grad = False
    return out


def _adopt(data: np.ndarray, requires_grad: bool = False, where: str = "Tensor") -> "Tensor":
    """A leaf that keeps the ndarray ``data`` itself, not a copy: for arrays the
    library has just made and hands over (creation functions, DataLoader
    batches) and for ``from_numpy``."""
    if data.dtype.kind not in "biuf":
        raise TypeError(f"{where}: expected numbers (bool, integer or float), got dtype {data.dtype}")
    if requires_grad:
        _check_grad_dtype(data, where)
    return _make(data, None, None, None, bool(requires_grad))


def _binary(gate: G.Gate, f: Callable, reflected: bool) -> Callable:
    """The method applying ``gate`` (forward ``f``) to self and ``other`` (a number
    or array lifted to a constant), operands swapped when ``reflected``; a new
    array, nothing reused."""
    def plain(self: "Tensor", other: Any) -> "Tensor":
        if type(other) is not Tensor:
            other = _lift(other, self, gate)
        x, y = (other, self) if reflected else (self, other)
        try:
            data = f(x.data, y.data)
        except ValueError:
            raise _shape_error(gate, x, y) from None
        if _GradMode.enabled and (x.requires_grad or y.requires_grad):
            return _make(data, gate, x, y, True)
        return _make(data, None, None, None, False)
    return plain


def _binop_factory(gate: G.Gate, reflected: bool, number_gate: Optional[G.Gate]) -> Callable:
    """The operator method for ``gate``. A number operand goes to ``number_gate``
    as its parameter (without one, it becomes a constant node). Where the gate
    has an in-place forward, a temporary operand's buffer is reused
    (``buffers.py``) when it has the result's shape; the reference counts are
    taken first thing, before any local name holds the operands, and only
    where a buffer may be reused."""
    f = gate.fwd
    ufunc = gate.inplace if B.REUSE else None
    nf = number_gate.fwd if number_gate is not None else None
    nufunc = number_gate.inplace if number_gate is not None and B.REUSE else None
    mode = _GradMode
    donor, rc, released = B.donor, B._rc, B.released
    self_limit, other_limit = B.SELF_TEMP, B.OTHER_TEMP
    doc = f"{gate.name}: {gate.formula}" + (
        f"; with a number, {number_gate.name}: {number_gate.formula}" if number_gate is not None else "")

    def with_number(self: "Tensor", count: int, c: float) -> "Tensor":
        xd = self.data
        buf = donor(self, count, self_limit, xd.dtype, 1) if nufunc is not None else None
        data = None
        if buf is not None:
            try:
                data = nufunc(xd, c, out=buf)
                self.data = released(buf)
            except ValueError:              # made read-only by hand
                data = None
        if data is None:
            data = nf(xd, c)
        if mode.enabled and self.requires_grad:
            return _make(data, number_gate, self, c, True)
        return _make(data, None, None, None, False)

    plain = _binary(gate, f, reflected)
    if ufunc is None and nf is None:            # matmul, maximum: nothing to reuse, no number form
        plain.__doc__ = doc
        return plain

    if ufunc is None:                           # mul, div, pow: a number form, no in-place form
        def numbered(self: "Tensor", other: Any) -> "Tensor":
            rs = rc(self)
            if type(other) is not Tensor:
                c = _number_of(other)
                if c is not None:
                    return with_number(self, rs, c)
            return plain(self, other)
        numbered.__doc__ = doc
        return numbered

    def method(self: "Tensor", other: Any) -> "Tensor":
        rs = rc(self)
        ro = rc(other)
        if type(other) is not Tensor:
            if nf is not None:
                c = _number_of(other)
                if c is not None:
                    return with_number(self, rs, c)
            other = _lift(other, self, gate)
            ro = other_limit + 1        # a lifted constant is never reused
        x, y = (other, self) if reflected else (self, other)
        xd, yd = x.data, y.data
        data = None
        dt = xd.dtype
        # a temporary is here, of the result's dtype (dtype == is slow: identity first)
        if (rs <= self_limit or ro <= other_limit) and (dt is yd.dtype or dt == yd.dtype):
            # only a buffer as large as the result can take it: equal shapes, or the larger
            # operand (broadcasting can still grow it, e.g. (4, 1) with (1, 3): the ufunc then refuses)
            buf = None
            if xd.shape == yd.shape:
                owner = self
                buf = donor(self, rs, self_limit, dt, 1)
                if buf is None:
                    owner = other
                    buf = donor(other, ro, other_limit, dt, 1)
            else:
                ns, no = (yd.size, xd.size) if reflected else (xd.size, yd.size)
                if ns > no:
                    owner = self
                    buf = donor(self, rs, self_limit, dt, 1)
                elif no > ns:
                    owner = other
                    buf = donor(other, ro, other_limit, dt, 1)
            if buf is not None:
                try:
                    data = ufunc(xd, yd, buf)       # refuses, writing nothing, if broadcasting grows buf
                    owner.data = released(buf)
                except ValueError:
                    data = None
        if data is None:
            try:
                data = f(xd, yd)
            except ValueError:
                raise _shape_error(gate, x, y) from None
        if mode.enabled and (x.requires_grad or y.requires_grad):
            return _make(data, gate, x, y, True)
        return _make(data, None, None, None, False)
    method.__doc__ = doc
    return method


class Tensor(ShapeOps, IndexOps, Reductions, Conversions, GradHooks, Node):
    """An n-dimensional array in a computational graph.

    ``Tensor(data, requires_grad=False, dtype=None)``: Python floats become
    float64, ints int64 and bools bool; an ndarray or numpy scalar keeps its dtype (float32
    stays float32, labels stay integers). Only floating-point tensors take
    gradients. The data is always copied, as ``torch.tensor``'s; ``from_numpy(a)``
    shares ``a``'s memory instead. ``.grad`` is an ndarray of the tensor's
    shape after ``backward()`` (None before).
    """

    __slots__ = ("requires_grad", "retains_grad")

    def __init__(self, data: Any, requires_grad: bool = False, dtype: Any = None,
                 label: str = "") -> None:
        self.data = _array(data, dtype)
        if requires_grad:
            _check_grad_dtype(self.data, "Tensor")
        self.grad = None
        self._op = None
        self._a = None
        self._b = None
        if label:
            self._label = str(label)
        self.requires_grad = bool(requires_grad)
        self.retains_grad = False

    # -- gate application ------------------------------------------------------
    _binop = staticmethod(_binop_factory)      # Node builds the operator methods with it

    @staticmethod
    def _unop(gate: G.Gate) -> Callable:
        f = gate.fwd
        mode = _GradMode
        if gate.inplace is None or not B.REUSE:
            def method(self: Tensor) -> Tensor:
                data = f(self.data)
                if mode.enabled and self.requires_grad:
                    return _make(data, gate, self, None, True)
                return _make(data, None, None, None, False)
            return method
        ufunc = gate.inplace
        donor, rc, released, limit = B.donor, B._rc, B.released, B.METHOD_TEMP

        def reusing(self: Tensor) -> Tensor:
            count = rc(self)                # counted first: no local name holds it yet
            buf = donor(self, count, limit, self.data.dtype) if count <= limit else None
            if buf is None:
                data = f(self.data)
            else:                           # a temporary: write into its buffer
                try:
                    data = ufunc(buf, out=buf)
                    self.data = released(buf)
                except ValueError:          # made read-only by hand
                    data = f(self.data)
            if mode.enabled and self.requires_grad:
                return _make(data, gate, self, None, True)
            return _make(data, None, None, None, False)
        return reusing

    def _apply1(self, gate: G.Gate, param: Any) -> "Tensor":
        data = gate.fwd(self.data, param)
        if _GradMode.enabled and self.requires_grad:
            return _make(data, gate, self, param, True)
        return _make(data, None, None, None, False)

    maximum = _binop(G.MAX, False, None)
    minimum = _binop(G.MIN, False, None)
    __matmul__ = _binop(G.MATMUL, False, None)
    __rmatmul__ = _binop(G.MATMUL, True, None)

    def _apply2(self, gate: G.Gate, other: Any) -> "Tensor":
        """A two-input gate called on this tensor and ``other`` (custom gates)."""
        return _binary(gate, gate.fwd, False)(self, other)

    @staticmethod
    def _variadic(gate: G.Gate, parents: tuple, param: Any = None) -> "Tensor":
        record = False
        for p in parents:
            if not isinstance(p, Tensor):
                raise TypeError(f"{gate.name}: expected Tensors, got {type(p).__name__}"
                                + ("; wrap arrays in Tensor(...)" if isinstance(p, (np.ndarray, list)) else ""))
            record = record or p.requires_grad
        data = gate.fwd([p.data for p in parents], param)
        if record and _GradMode.enabled:
            return _make(data, gate, parents, param, True)
        return _make(data, None, None, None, False)

    def _as_1d(self, dim: Any, where: str, f: Callable) -> "Tensor":
        """An op along ``dim`` of a 0-d tensor (dim 0 or -1, checked), as PyTorch:
        ``f`` applied to its one element as a 1-d tensor, the result 0-d again."""
        self._dim(dim, where)
        return f(self.reshape(1)).reshape(())

    def _index_add(self, index: Any, shape: tuple) -> "Tensor":
        return self._apply1(G.INDEX_ADD, (index, shape))

    # -- axes ------------------------------------------------------------------------
    def _axis(self, axis: Axis, where: str) -> Axis:
        if axis is None:
            return None
        axes = axis if isinstance(axis, tuple) else (axis,)
        norm = tuple(self._dim(a, where) for a in axes)
        if self.ndim == 0:
            return None                  # a 0-d tensor: axis 0 or -1 means its one element, as PyTorch
        if len(set(norm)) != len(norm):
            raise AxisError(f"{where}: axis {axis!r} names an axis twice (tensor of shape {self.shape})")
        return norm if isinstance(axis, tuple) else norm[0]

    def _dim(self, d: Any, where: str) -> int:
        """One axis index, checked against the tensor's dimensions and made non-negative.
        A 0-d tensor takes 0 and -1, as in PyTorch (returned as 0: ops along an axis
        handle 0-d themselves, see ``_as_1d``)."""
        return _check_dim(d, self.ndim, where, f"a tensor of shape {self.shape}")

    def _compare(self, other: Any, how: Callable) -> "Tensor":
        """``how`` (operator.lt ...) elementwise: a bool Tensor outside the graph."""
        b = other.data if isinstance(other, Tensor) else _operand_data(other, self, G.CONST)
        return _make(how(self.data, b), None, None, None, False)

    # -- array protocol and conveniences -----------------------------------------
    @property
    def shape(self) -> tuple:
        return self.data.shape

    @property
    def ndim(self) -> int:
        return self.data.ndim

    @property
    def dtype(self) -> np.dtype:
        return self.data.dtype

    def item(self) -> Any:
        """The single element as a Python number (a float for a float tensor)."""
        return self._one_element("item")

    def numpy(self) -> np.ndarray:
        """The data as an ndarray (shared, not copied)."""
        return self.data

    def detach(self) -> "Tensor":
        """A new leaf with the same data and no graph."""
        return _make(self.data, None, None, None, False)

    def __len__(self) -> int:
        if self.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return len(self.data)

    def __bool__(self) -> bool:
        return bool(self.data)

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        if copy:                         # numpy 2's np.array(t, copy=True): never the tensor's own array
            return np.array(self.data, dtype=dtype, copy=True)
        return self.data if dtype is None else self.data.astype(dtype)

    def __repr__(self) -> str:
        body = np.array2string(self.data, separator=", ", precision=4, threshold=20)
        extra = ", requires_grad=True" if self.requires_grad else ""
        if self.data.dtype != np.float64:
            extra += f", dtype={self.data.dtype}"
        return f"Tensor({body}{extra})"
