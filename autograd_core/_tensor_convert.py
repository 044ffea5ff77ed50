"""Tensor dtypes, conversions and PyTorch's conveniences (a mixin of ``Tensor``):
``to``, ``float``/``double``/``half``/``long``/``int``/``bool``, ``size()``,
``numel()``, ``dim()``, ``tolist()``, ``clone()``, ``requires_grad_()``,
``float(t)``/``int(t)``/``format(t, ".3f")`` for one element."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Optional, Union

import numpy as np

from . import _tensor as _T            # the Tensor module (names used at call time)
from . import gates as G
from .graph import _GradMode
from .node import Node

if TYPE_CHECKING:
    from ._tensor import Tensor

_DEVICES = ("cpu", None)


def _array(data: Any, dtype: Any) -> np.ndarray:
    """Validate and convert constructor input to a C-ordered ndarray of numbers
    (a copy: the Tensor owns its data)."""
    if isinstance(data, _T.Tensor):
        data = data.data
    elif isinstance(data, Node):
        raise TypeError("Tensor: got a Value; use Tensor(v.data) to make a Tensor of its number")
    from_array = isinstance(data, (np.ndarray, np.generic))     # numpy arrays and scalars keep their dtype
    try:
        arr = np.asarray(data)
    except (ValueError, TypeError) as e:
        raise TypeError(f"Tensor: could not convert {type(data).__name__} to an array of numbers: {e}") from None
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"Tensor: expected numbers, got {type(data).__name__} with dtype {arr.dtype} "
                        f"({np.array2string(arr, threshold=5)})")
    if dtype is not None:
        dt = np.dtype(dtype)
        if dt.kind not in "biuf":
            raise TypeError(f"Tensor: dtype must be a float, integer or bool type, got {dt}")
    elif from_array:
        dt = arr.dtype                       # an ndarray or np.float32(2) keeps its dtype (float32 stays float32)
    else:                                    # Python numbers: bool, int64, or float64
        dt = np.dtype(np.float64) if arr.dtype.kind == "f" else (
            np.dtype(np.int64) if arr.dtype.kind in "iu" else arr.dtype)
    return np.array(arr, dtype=dt, order="C")


def _check_grad_dtype(data: np.ndarray, where: str) -> None:
    if data.dtype.kind != "f":
        raise TypeError(f"{where}: only floating-point tensors can require gradients, got {data.dtype}; "
                        "use dtype=np.float64 (or .float()) for a tensor that takes a gradient")



class Conversions:
    """dtype conversions and the small conveniences a PyTorch user reaches for."""

    __slots__ = ()

    def to(self, *args: Any, dtype: Any = None, device: Optional[str] = None, copy: bool = False) -> "Tensor":
        """``to(dtype)``, ``to("cpu")`` or both. A float-to-float conversion keeps the
        graph (the gradient comes back in the input's dtype); to an integer or bool
        dtype the result takes no gradient. The CPU is the only device."""
        for a in args:
            if isinstance(a, str) and not _is_dtype_name(a):
                device = a
            else:
                dtype = a
        if device not in _DEVICES:
            raise ValueError(f"to: autograd-core computes on the CPU only; got device {device!r}")
        if dtype is None:
            return self.clone() if copy else self
        dt = np.dtype(dtype)
        if dt.kind not in "biuf":
            raise TypeError(f"to: dtype must be a float, integer or bool type, got {dt}")
        if dt == self.data.dtype and not copy:
            return self
        if dt.kind == "f" and self.data.dtype.kind == "f":
            return self._apply1(G.CAST, dt)
        return _T._make(self.data.astype(dt), None, None, None, False)

    def type(self, dtype: Any = None) -> Union[str, "Tensor"]:
        """With no argument, the dtype's name; else ``to(dtype)``."""
        return str(self.data.dtype) if dtype is None else self.to(dtype)

    def float(self) -> "Tensor":
        """``to(float32)``, as PyTorch's ``float()``."""
        return self.to(np.float32)

    def double(self) -> "Tensor":
        """``to(float64)``."""
        return self.to(np.float64)

    def half(self) -> "Tensor":
        """``to(float16)``."""
        return self.to(np.float16)

    def long(self) -> "Tensor":
        """``to(int64)``: no gradient."""
        return self.to(np.int64)

    def int(self) -> "Tensor":
        """``to(int32)``: no gradient."""
        return self.to(np.int32)

    def bool(self) -> "Tensor":
        """``to(bool)``: no gradient."""
        return self.to(np.bool_)

    def cpu(self) -> "Tensor":
        """The tensor itself: the CPU is the only device."""
        return self

    def size(self, dim: Optional[int] = None) -> Union[tuple, int]:
        """The shape, or its length along ``dim`` (PyTorch's ``size()``)."""
        return self.data.shape if dim is None else self.data.shape[self._dim(dim, "size")]

    def numel(self) -> int:
        """The number of elements."""
        return int(self.data.size)

    def dim(self) -> int:
        """The number of dimensions (``ndim``)."""
        return self.data.ndim

    def tolist(self) -> Any:
        """The data as (nested) Python lists of numbers."""
        return self.data.tolist()

    def clone(self) -> "Tensor":
        """A copy of the data that stays in the graph (the gradient passes through)."""
        if _GradMode.enabled and self.requires_grad:        # only float tensors take gradients
            return self * 1.0
        return _T._make(self.data.copy(), None, None, None, False)

    def requires_grad_(self, requires_grad: bool = True) -> "Tensor":
        """Set ``requires_grad`` on a leaf, in place; returns the tensor."""
        if not self.is_leaf and not requires_grad:
            raise RuntimeError("requires_grad_: only a leaf can stop requiring a gradient; use detach()")
        if requires_grad:
            _check_grad_dtype(self.data, "requires_grad_")
        self.requires_grad = bool(requires_grad)
        return self

    def _logical(self, other: Any, how: Any, name: str) -> "Tensor":
        a = self.data
        b = other.data if isinstance(other, _T.Tensor) else np.asarray(other)
        if a.dtype.kind not in "biu" or b.dtype.kind not in "biu":
            raise TypeError(f"{name}: needs bool or integer tensors, got {a.dtype} and {b.dtype}")
        return _T._make(how(a, b), None, None, None, False)

    def __and__(self, other: Any) -> "Tensor":
        """Elementwise and (bool or integer tensors; no gradient)."""
        return self._logical(other, np.bitwise_and, "&")

    def __or__(self, other: Any) -> "Tensor":
        """Elementwise or (bool or integer tensors; no gradient)."""
        return self._logical(other, np.bitwise_or, "|")

    def __xor__(self, other: Any) -> "Tensor":
        """Elementwise exclusive or (bool or integer tensors; no gradient)."""
        return self._logical(other, np.bitwise_xor, "^")

    # other & t (True & t, mask_array & t) and the rest: the three commute
    __rand__, __ror__, __rxor__ = __and__, __or__, __xor__

    def __invert__(self) -> "Tensor":
        """Elementwise not (a bool tensor) or bitwise not (an integer one)."""
        if self.data.dtype.kind not in "biu":
            raise TypeError(f"~: needs a bool or integer tensor, got {self.data.dtype}")
        return _T._make(~self.data, None, None, None, False)

    def _one_element(self, where: str) -> Any:
        """The single element as a Python number; ValueError otherwise (as PyTorch's float(t))."""
        if self.data.size != 1:
            raise ValueError(f"{where}: the tensor has {self.data.size} elements (shape {self.data.shape}); "
                             "only a one-element tensor converts to a Python number")
        return self.data.item()

    def __float__(self) -> float:
        return float(self._one_element("float()"))

    def __int__(self) -> int:
        return int(self._one_element("int()"))

    def __index__(self) -> int:
        if self.data.dtype.kind not in "iu" or self.data.size != 1:
            raise TypeError(f"only one-element integer tensors can be used as an index, got dtype "
                            f"{self.data.dtype} and shape {self.data.shape}")
        return int(self.data.item())

    def __format__(self, spec: str) -> str:
        if spec and self.data.size == 1:
            return format(self._one_element("format()"), spec)
        return format(repr(self), spec)


def _is_dtype_name(text: str) -> bool:
    try:
        np.dtype(text)
        return True
    except TypeError:
        return False
