"""In-place updates (``+= -= *= /=``, ``add_``, ``sub_``, ``mul_``, ``div_``,
``zero_``, ``fill_``, ``copy_``), shared by ``Value`` and ``Tensor``.

As in PyTorch they change the data in place under ``no_grad()`` (the
optimizer step: ``with no_grad(): w -= lr * w.grad``), and raise while a
graph is being recorded on a leaf that takes a gradient. Unlike PyTorch they
also raise on a Tensor computed in the recorded graph (there is no version
counter to catch a gate that needs the old data), while ``y += x`` on such a
Value is ``y = y + x``, a new node, as for a Python float (the accumulation
``loss += term``). A node that takes no gradient (an input, a constant) is
updated even when a recorded gate has read it, so backward then reads the new
data."""
from __future__ import annotations

import operator
from typing import Any

import numpy as np

from .graph import _GradMode

_UFUNC = {operator.iadd: np.add, operator.isub: np.subtract, operator.imul: np.multiply,
          operator.itruediv: np.divide}


def _check(node: Any, name: str) -> None:
    if _GradMode.enabled and node.requires_grad:
        where = ("a leaf that requires grad" if node.is_leaf else "a node of a recorded graph")
        raise RuntimeError(f"{name}: cannot change {where} in place while a graph is being recorded; "
                           "do it under no_grad() (with no_grad(): w -= lr * w.grad), or write y = y + x")


def _operand(other: Any) -> Any:
    return getattr(other, "data", other)


class InPlace:
    """The in-place operators and methods (mixed into ``Node``)."""

    __slots__ = ()

    def _update(self, how: Any, other: Any, name: str):
        _check(self, name)
        value = _operand(other)
        if isinstance(self.data, np.ndarray):
            if not self.data.flags.writeable:
                raise ValueError(f"{name}: this tensor's data is read-only (a reused or broadcast buffer)")
            try:
                _UFUNC[how](self.data, value, out=self.data, casting="same_kind")
            except ValueError:
                raise ValueError(f"{name}: a value of shape {np.shape(value)} cannot be written into "
                                 f"shape {self.data.shape}") from None
        else:
            self.data = float(how(self.data, float(value)))
        return self

    def _operator(self, how: Any, other: Any, name: str):
        """``+=`` and the like: in place, except on a Value of a recorded graph,
        where NotImplemented makes Python compute ``y = y + x`` instead."""
        if self._scalar_fast_path and not self.is_leaf and _GradMode.enabled:
            return NotImplemented
        return self._update(how, other, name)

    def __iadd__(self, other: Any):
        return self._operator(operator.iadd, other, "+=")

    def __isub__(self, other: Any):
        return self._operator(operator.isub, other, "-=")

    def __imul__(self, other: Any):
        return self._operator(operator.imul, other, "*=")

    def __itruediv__(self, other: Any):
        return self._operator(operator.itruediv, other, "/=")

    def add_(self, other: Any, alpha: float = 1.0):
        """self += alpha * other, in place."""
        return self._update(operator.iadd, _operand(other) * alpha if alpha != 1.0 else other, "add_")

    def sub_(self, other: Any, alpha: float = 1.0):
        """self -= alpha * other, in place."""
        return self._update(operator.isub, _operand(other) * alpha if alpha != 1.0 else other, "sub_")

    def mul_(self, other: Any):
        """self *= other, in place."""
        return self._update(operator.imul, other, "mul_")

    def div_(self, other: Any):
        """self /= other, in place."""
        return self._update(operator.itruediv, other, "div_")

    def fill_(self, value: Any):
        """Every element set to ``value``, in place."""
        _check(self, "fill_")
        if isinstance(self.data, np.ndarray):
            self.data[...] = _operand(value)
        else:
            self.data = float(_operand(value))
        return self

    def zero_(self):
        """Every element set to 0, in place."""
        return self.fill_(0)

    def copy_(self, src: Any):
        """The values of ``src`` (broadcast to this shape) written in place."""
        _check(self, "copy_")
        value = _operand(src)
        if isinstance(self.data, np.ndarray):
            try:
                np.copyto(self.data, value, casting="same_kind")
            except (ValueError, TypeError) as e:
                raise ValueError(f"copy_: cannot write shape {np.shape(value)} into {self.data.shape}: {e}") from None
        else:
            self.data = float(value)
        return self
