"""Tensor reductions and the softmax family: ``sum``, ``mean``, ``max``,
``logsumexp``, ``softmax``, ``log_softmax`` (a mixin of ``Tensor``)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from typing import Optional, Union

from . import gates as G

if TYPE_CHECKING:
    from ._tensor import Tensor

Axis = Optional[Union[int, tuple]]


class Reductions:
    """Reductions over axes; ``axis``/``keepdims`` as numpy names them."""

    __slots__ = ()

    def sum(self, axis: Axis = None, keepdims: bool = False) -> "Tensor":
        """Σ over ``axis`` (all axes by default)."""
        return self._apply1(G.SUM, (self._axis(axis, "sum"), bool(keepdims)))

    def mean(self, axis: Axis = None, keepdims: bool = False) -> "Tensor":
        """Σ x / n over ``axis`` (all axes by default)."""
        return self._apply1(G.MEAN, (self._axis(axis, "mean"), bool(keepdims)))

    def max(self, axis: Axis = None, keepdims: bool = False) -> "Tensor":
        """Largest element over ``axis``; the gradient goes to the arg-max (ties share it)."""
        if self.data.size == 0:
            raise ValueError("max: the tensor is empty")
        return self._apply1(G.AMAX, (self._axis(axis, "max"), bool(keepdims)))

    def logsumexp(self, axis: int = -1) -> "Tensor":
        """ln Σ e^x along ``axis``, computed as m + ln Σ e^(x - m) with m = max x."""
        return self._apply1(G.LOGSUMEXP, self._single_axis(axis, "logsumexp"))

    def softmax(self, axis: int = -1) -> "Tensor":
        """e^x / Σ e^x along ``axis`` (the soft arg-max), shifted by the max for stability."""
        return self._apply1(G.SOFTMAX, self._single_axis(axis, "softmax"))

    def log_softmax(self, axis: int = -1) -> "Tensor":
        """x - logsumexp(x) along ``axis``, stable for any finite logits."""
        return self._apply1(G.LOG_SOFTMAX, self._single_axis(axis, "log_softmax"))

    def _single_axis(self, axis: int, where: str) -> int:
        if isinstance(axis, tuple):
            raise ValueError(f"{where}: axis must be one int, got {axis!r}")
        if self.ndim == 0:
            raise ValueError(f"{where}: needs at least one dimension, got a 0-d tensor")
        return self._axis(axis, where)
