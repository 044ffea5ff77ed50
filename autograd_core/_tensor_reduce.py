"""Tensor reductions and the softmax family (a mixin of ``Tensor``): ``sum``,
``mean``, ``max``, ``min``, ``prod``, ``var``, ``std``, ``norm``,
``logsumexp``, ``argmax``, ``argmin``, ``cumsum``, ``softmax``,
``log_softmax``. Each takes numpy's ``axis=``/``keepdims=`` and PyTorch's
``dim=``/``keepdim=`` alike."""
from __future__ import annotations

from collections import namedtuple
from typing import TYPE_CHECKING, Any, Optional, Union

import numpy as np

from . import _tensor as _T            # the Tensor module (names used at call time)
from . import gates as G

if TYPE_CHECKING:
    from ._tensor import Tensor

Axis = Optional[Union[int, tuple]]
MaxMin = namedtuple("MaxMin", ["values", "indices"])      # what max(dim=...) returns, as PyTorch's


def _pick(axis: Any, dim: Any, keepdims: Any, keepdim: Any, where: str) -> tuple:
    """numpy's axis/keepdims or PyTorch's dim/keepdim, not both."""
    if dim is not None:
        if axis is not None:
            raise TypeError(f"{where}: give axis= or dim=, not both")
        axis = dim
    if keepdim is not None:
        keepdims = keepdim
    return axis, bool(keepdims)


class Reductions:
    """Reductions over axes (one, several, or all)."""

    __slots__ = ()

    def _reduce(self, gate: G.Gate, axis: Axis, keepdims: bool, where: str) -> "Tensor":
        return self._apply1(gate, (self._axis(axis, where), keepdims))

    def sum(self, axis: Axis = None, keepdims: bool = False, *, dim: Axis = None,
            keepdim: Optional[bool] = None) -> "Tensor":
        """Σ over ``axis`` (all axes by default)."""
        return self._reduce(G.SUM, *_pick(axis, dim, keepdims, keepdim, "sum"), "sum")

    def mean(self, axis: Axis = None, keepdims: bool = False, *, dim: Axis = None,
             keepdim: Optional[bool] = None) -> "Tensor":
        """Σ x / n over ``axis`` (all axes by default)."""
        self._needs_float("mean")
        return self._reduce(G.MEAN, *_pick(axis, dim, keepdims, keepdim, "mean"), "mean")

    def prod(self, axis: Axis = None, keepdims: bool = False, *, dim: Axis = None,
             keepdim: Optional[bool] = None) -> "Tensor":
        """Π over one axis or all; dΠ/dx_i = the product of the others (exact at zeros)."""
        axis, keepdims = _pick(axis, dim, keepdims, keepdim, "prod")
        if isinstance(axis, tuple):
            raise ValueError(f"prod: one axis or all, got {axis!r}")
        return self._reduce(G.PROD, axis, keepdims, "prod")

    def _extreme(self, gate: G.Gate, arg: Any, name: str, dim: Any, keepdim: Optional[bool], axis: Axis,
                 keepdims: Optional[bool]) -> Any:
        if isinstance(dim, _T.Tensor):                           # x.max(y): PyTorch's elementwise form
            return self.maximum(dim) if gate is G.AMAX else self.minimum(dim)
        if self.data.size == 0:
            raise ValueError(f"{name}: the tensor is empty")
        if dim is None:                                          # all axes, or numpy's axis=: values only
            if keepdim is not None and axis is None:
                raise TypeError(f"{name}: keepdim needs dim (x.{name}(dim, keepdim=True))")
            return self._reduce(gate, axis, bool(keepdims), name)
        if axis is not None or keepdims is not None:
            raise TypeError(f"{name}: give dim/keepdim (PyTorch, values and indices) or axis=/keepdims= "
                            "(numpy, values only), not both")
        if isinstance(dim, tuple):
            raise TypeError(f"{name}: dim must be one int, got {dim!r}; axis={dim!r} reduces several "
                            "axes (values only)")
        keep = bool(keepdim)
        if self.ndim == 0:
            self._dim(dim, name)
            return MaxMin(self.reshape(()), _T._make(np.zeros((), np.int64), None, None, None, False))
        d = self._dim(dim, name)
        index = arg(self.data, axis=d, keepdims=True)          # computed once; the gradient goes to it
        values = self.gather(d, index)
        if not keep:
            values, index = values.reshape(values.shape[:d] + values.shape[d + 1:]), index.squeeze(d)
        return MaxMin(values, _T._make(index, None, None, None, False))

    def max(self, dim: Any = None, keepdim: Optional[bool] = None, *, axis: Axis = None,
            keepdims: Optional[bool] = None) -> Any:
        """As PyTorch's: ``x.max()`` the largest element (tied maxima share the
        gradient equally); ``x.max(dim)`` / ``x.max(dim, keepdim)`` the pair
        (values, indices) = (max_j x[..., j, ...], argmax_j), the gradient going to
        the returned index; ``x.max(y)`` with a tensor is ``maximum``. numpy's
        ``axis=`` (one or several axes) / ``keepdims=`` give the values only, ties
        sharing the gradient as ``amax``."""
        return self._extreme(G.AMAX, np.argmax, "max", dim, keepdim, axis, keepdims)

    def min(self, dim: Any = None, keepdim: Optional[bool] = None, *, axis: Axis = None,
            keepdims: Optional[bool] = None) -> Any:
        """The smallest element; with ``dim`` the pair (values, indices) = (min, argmin),
        the gradient going to the index; numpy's ``axis=`` the values only (as ``max``)."""
        return self._extreme(G.AMIN, np.argmin, "min", dim, keepdim, axis, keepdims)

    def _arg(self, fn: Any, name: str, axis: Any, dim: Any, keepdims: Any, keepdim: Any) -> "Tensor":
        axis, keepdims = _pick(axis, dim, keepdims, keepdim, name)
        if self.data.size == 0:
            raise ValueError(f"{name}: the tensor is empty")
        a = None if axis is None else self._dim(axis, name)
        return _T._make(np.asarray(fn(self.data, axis=a, keepdims=keepdims)), None, None, None, False)

    def argmax(self, axis: Optional[int] = None, keepdims: bool = False, *, dim: Optional[int] = None,
               keepdim: Optional[bool] = None) -> "Tensor":
        """Index of the largest element (of the flattened tensor, or along ``axis``): int64, no gradient."""
        return self._arg(np.argmax, "argmax", axis, dim, keepdims, keepdim)

    def argmin(self, axis: Optional[int] = None, keepdims: bool = False, *, dim: Optional[int] = None,
               keepdim: Optional[bool] = None) -> "Tensor":
        """Index of the smallest element: int64, no gradient."""
        return self._arg(np.argmin, "argmin", axis, dim, keepdims, keepdim)

    def var(self, axis: Axis = None, correction: Optional[float] = None, keepdims: bool = False, *,
            dim: Axis = None, keepdim: Optional[bool] = None, unbiased: Optional[bool] = None) -> "Tensor":
        """Σ (x - mean)² / (n - correction); ``correction`` 1 by default (Bessel's, as
        PyTorch), 0 with ``unbiased=False``."""
        axis, keepdims = _pick(axis, dim, keepdims, keepdim, "var")
        if correction is None:
            correction = 0 if unbiased is False else 1
        ax = self._axis(axis, "var")
        n = self.data.size if ax is None else int(np.prod([self.shape[a] for a in (ax if isinstance(ax, tuple) else (ax,))]))
        centred = self - self.mean(axis=ax, keepdims=True)
        denominator = n - correction
        return (centred * centred).sum(axis=ax, keepdims=keepdims) * (1.0 / denominator if denominator > 0 else np.nan)

    def std(self, axis: Axis = None, correction: Optional[float] = None, keepdims: bool = False, *,
            dim: Axis = None, keepdim: Optional[bool] = None, unbiased: Optional[bool] = None) -> "Tensor":
        """√var (same options)."""
        return self.var(axis, correction, keepdims, dim=dim, keepdim=keepdim, unbiased=unbiased).sqrt()

    def norm(self, p: Union[float, str] = 2, axis: Axis = None, keepdims: bool = False, *, dim: Axis = None,
             keepdim: Optional[bool] = None) -> "Tensor":
        """The vector p-norm over ``axis`` (all by default), as ``torch.linalg.vector_norm``:
        (Σ |x|^p)^(1/p); p = 2 (or "fro") the Euclidean norm, p = inf max |x|,
        p = -inf min |x| (ties share the gradient), p = 0 the number of nonzero
        elements (a count: no gradient). At a zero vector the gradient is 0, as PyTorch's."""
        axis, keepdims = _pick(axis, dim, keepdims, keepdim, "norm")
        self._needs_float("norm")
        if p == "fro":
            p = 2
        if isinstance(p, (str, bool)) or not isinstance(p, (int, float, np.integer, np.floating)):
            raise TypeError(f"norm: p must be a number (or 'fro'), got {p!r}")
        ax = self._axis(axis, "norm")
        if p == float("inf"):
            return self.abs()._reduce(G.AMAX, ax, keepdims, "norm")
        if p == float("-inf"):
            return self.abs()._reduce(G.AMIN, ax, keepdims, "norm")
        if p == 0:
            count = np.count_nonzero(self.data, axis=ax, keepdims=keepdims)
            return _T._make(np.asarray(count, dtype=self.dtype), None, None, None, False)
        if p == 1:
            return self.abs().sum(axis=ax, keepdims=keepdims)
        if p < 0:                                    # |0|^p = inf: the norm is 0, as PyTorch's
            return _zero_safe(self.abs(), lambda t: t ** p, np.inf).sum(axis=ax, keepdims=keepdims) ** (1.0 / p)
        powered = self * self if p == 2 else _zero_safe(self.abs(), lambda t: t ** p)
        return _zero_safe(powered.sum(axis=ax, keepdims=keepdims), (lambda t: t.sqrt()) if p == 2 else
                          (lambda t: t ** (1.0 / p)))

    def logsumexp(self, axis: Axis = -1, keepdims: bool = False, *, dim: Axis = None,
                  keepdim: Optional[bool] = None) -> "Tensor":
        """ln Σ e^x over ``axis`` (one, several, or None for all), computed as
        m + ln Σ e^(x - m) with m = max x; its gradient is softargmax(x)."""
        if dim is not None and axis == -1:
            axis = None                                          # the default: dim= given instead
        axis, keepdims = _pick(axis, dim, keepdims, keepdim, "logsumexp")
        return self._reduce(G.LOGSUMEXP, axis, keepdims, "logsumexp")

    def cumsum(self, axis: Optional[int] = None, *, dim: Optional[int] = None) -> "Tensor":
        """Running sum along one axis (PyTorch requires it: ``cumsum(dim)``)."""
        axis = dim if dim is not None else axis
        if axis is None:
            raise TypeError("cumsum: give the axis (cumsum(dim))")
        if self.ndim == 0:
            return self._as_1d(axis, "cumsum", lambda t: t.cumsum(0))
        return self._apply1(G.CUMSUM, self._dim(axis, "cumsum"))

    def softmax(self, axis: Optional[int] = None, *, dim: Optional[int] = None) -> "Tensor":
        """e^x / Σ e^x along ``axis`` (the soft arg-max), shifted by the max for stability
        (the last axis by default; a 0-d tensor needs dim=0 or -1 given, as PyTorch's)."""
        return self._along(G.SOFTMAX, axis, dim)

    def log_softmax(self, axis: Optional[int] = None, *, dim: Optional[int] = None) -> "Tensor":
        """x - logsumexp(x) along ``axis``, stable for any finite logits
        (the last axis by default; a 0-d tensor needs dim=0 or -1 given, as PyTorch's)."""
        return self._along(G.LOG_SOFTMAX, axis, dim)

    def _along(self, gate: G.Gate, axis: Optional[int], dim: Optional[int]) -> "Tensor":
        """``gate`` (softmax, log_softmax) along one axis, the last by default
        (``_axis`` checks it, a 0-d tensor's 0 or -1 included)."""
        name = gate.name
        d = _pick(axis, dim, False, None, name)[0]
        if d is None:
            if self.ndim == 0:
                raise ValueError(f"{name}: needs at least one dimension, got a 0-d tensor (give dim=0 for "
                                 "PyTorch's 0-d result)")
            d = -1
        if isinstance(d, tuple):
            raise ValueError(f"{name}: axis must be one int, got {d!r}")
        return self._apply1(gate, self._axis(d, name))

    def _needs_float(self, where: str) -> None:
        if self.data.dtype.kind not in "f":
            raise TypeError(f"{where}: needs a floating-point tensor, got {self.data.dtype}; use .double()")


def _zero_safe(t: "Tensor", f: Any, at_zero: float = 0.0) -> "Tensor":
    """f(t) for t >= 0 (``at_zero`` = f(0)), with gradient 0 where t = 0: the
    p-norm's powers have an infinite derivative at 0 (|x|^p for p < 1,
    s^(1/p)), which times the 0 that the chain brings there gives NaN;
    PyTorch gives 0."""
    positive = t.data > 0
    if positive.all():
        return f(t)
    from .ops import where
    return where(positive, f(where(positive, t, 1.0)), at_zero)
