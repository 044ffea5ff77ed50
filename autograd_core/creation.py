"""Making tensors, with PyTorch's names: ``tensor``, ``zeros``, ``ones``,
``full``, ``empty``, the ``*_like`` forms, ``arange``, ``linspace``, ``eye``,
and the random ``rand``, ``randn``, ``randint``, which draw from the library's
generator (``manual_seed``).

Every function but ``from_numpy`` (which keeps the array, shared, as it is)
takes ``dtype``, and all but ``randint`` (integers take no gradient) and
``from_numpy`` ``requires_grad``; the random ones take ``generator=`` (a
Generator or a seed). Floating-point results
are float64 unless ``dtype`` says otherwise (PyTorch's default is float32:
pass ``dtype=np.float32`` for it); ``arange`` with integer arguments and
``randint`` give int64, as in PyTorch.
"""
from __future__ import annotations

from typing import Any, Optional, Sequence, Union

import numpy as np

from ._tensor import Tensor, _adopt
from .rng import generator_for

__all__ = ["from_numpy", "tensor", "zeros", "ones", "full", "empty", "zeros_like", "ones_like", "full_like",
           "arange", "linspace", "eye", "rand", "randn", "randint"]

Size = Union[int, Sequence[int]]


def _shape(size: tuple, where: str) -> tuple:
    """``f(2, 3)`` and ``f((2, 3))`` alike, each entry a non-negative int."""
    if len(size) == 1 and isinstance(size[0], (tuple, list)):
        size = tuple(size[0])
    for n in size:
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 0:
            raise ValueError(f"{where}: sizes must be non-negative integers, got {size!r}")
    return tuple(int(n) for n in size)


def from_numpy(array: np.ndarray) -> Tensor:
    """A Tensor that shares ``array``'s memory (no copy), as ``torch.from_numpy``:
    writing to one shows in the other. It keeps the array's dtype and takes no
    gradient (``requires_grad_()`` it for one)."""
    if not isinstance(array, np.ndarray):
        raise TypeError(f"from_numpy: expected an ndarray, got {type(array).__name__}")
    return _adopt(np.asarray(array), where="from_numpy")


def tensor(data: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """A new Tensor holding a copy of ``data`` (floats float64, ints int64, bools bool)."""
    return Tensor(data, requires_grad=requires_grad, dtype=dtype)


def zeros(*size: Size, dtype: Any = np.float64, requires_grad: bool = False) -> Tensor:
    """A tensor of zeros of the given shape."""
    return _adopt(np.zeros(_shape(size, "zeros"), dtype=dtype), requires_grad)


def ones(*size: Size, dtype: Any = np.float64, requires_grad: bool = False) -> Tensor:
    """A tensor of ones of the given shape."""
    return _adopt(np.ones(_shape(size, "ones"), dtype=dtype), requires_grad)


def full(size: Size, fill_value: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """A tensor of ``fill_value`` (its dtype unless ``dtype`` is given)."""
    shape = _shape((size,), "full")
    return _adopt(np.full(shape, fill_value, dtype=dtype), requires_grad)


def empty(*size: Size, dtype: Any = np.float64, requires_grad: bool = False) -> Tensor:
    """A tensor of the given shape whose values are not set (numpy's ``empty``)."""
    return _adopt(np.empty(_shape(size, "empty"), dtype=dtype), requires_grad)


def _like(t: Any, where: str) -> np.ndarray:
    if isinstance(t, Tensor):
        return t.data
    if isinstance(t, np.ndarray):
        return t
    raise TypeError(f"{where}: expected a Tensor or an ndarray, got {type(t).__name__}")


def zeros_like(t: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """Zeros of ``t``'s shape and dtype."""
    return _adopt(np.zeros_like(_like(t, "zeros_like"), dtype=dtype), requires_grad)


def ones_like(t: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """Ones of ``t``'s shape and dtype."""
    return _adopt(np.ones_like(_like(t, "ones_like"), dtype=dtype), requires_grad)


def full_like(t: Any, fill_value: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """``fill_value`` in ``t``'s shape and dtype."""
    return _adopt(np.full_like(_like(t, "full_like"), fill_value, dtype=dtype), requires_grad)


def arange(start: Any, end: Any = None, step: Any = 1, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """start, start + step, ... up to but not including ``end`` (``arange(n)``: 0..n-1)."""
    if end is None:
        start, end = 0, start
    if step == 0:
        raise ValueError("arange: step must not be zero")
    if dtype is None:
        dtype = np.int64 if all(isinstance(v, (int, np.integer)) for v in (start, end, step)) else np.float64
    return _adopt(np.arange(start, end, step, dtype=dtype), requires_grad)


def linspace(start: float, end: float, steps: int, dtype: Any = np.float64, requires_grad: bool = False) -> Tensor:
    """``steps`` evenly spaced values from ``start`` to ``end``, both included."""
    if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)) or steps < 0:
        raise ValueError(f"linspace: steps must be a non-negative integer, got {steps!r}")
    return _adopt(np.linspace(start, end, int(steps), dtype=dtype), requires_grad)


def eye(n: int, m: Optional[int] = None, dtype: Any = np.float64, requires_grad: bool = False) -> Tensor:
    """The n×m identity matrix (m = n by default)."""
    n, m = _shape((n, n if m is None else m), "eye")
    return _adopt(np.eye(n, m, dtype=dtype), requires_grad)


def rand(*size: Size, dtype: Any = np.float64, requires_grad: bool = False,
         generator: Union[None, int, np.random.Generator] = None) -> Tensor:
    """Uniform samples from [0, 1), drawn from the library's generator."""
    g = generator_for(generator)
    return _adopt(g.random(_shape(size, "rand")).astype(dtype, copy=False), requires_grad)


def randn(*size: Size, dtype: Any = np.float64, requires_grad: bool = False,
          generator: Union[None, int, np.random.Generator] = None) -> Tensor:
    """Standard normal samples, drawn from the library's generator."""
    g = generator_for(generator)
    return _adopt(g.standard_normal(_shape(size, "randn")).astype(dtype, copy=False), requires_grad)


def randint(*args: Any, size: Optional[Size] = None, dtype: Any = np.int64,
            generator: Union[None, int, np.random.Generator] = None) -> Tensor:
    """Integers uniform in [low, high), drawn from the library's generator, with
    PyTorch's signatures: ``randint(high, size)`` (low = 0) and
    ``randint(low, high, size)``; ``size`` may also be given as a keyword.
    Integer tensors take no gradient."""
    if size is None and args and isinstance(args[-1], (tuple, list)):
        *args, size = args
    if size is None or len(args) not in (1, 2):
        raise TypeError("randint: expected randint(high, size) or randint(low, high, size), "
                        f"got {len(args)} positional argument(s) and size={size!r}")
    low, high = (0, args[0]) if len(args) == 1 else args
    for name, v in (("low", low), ("high", high)):
        if isinstance(v, bool) or not isinstance(v, (int, np.integer)):
            raise TypeError(f"randint: {name} must be an integer, got {v!r}")
    if high <= low:
        raise ValueError(f"randint: high must be larger than low, got low={low}, high={high}")
    g = generator_for(generator)
    return _adopt(g.integers(low, high, _shape((size,), "randint")).astype(dtype, copy=False))
