"""Tensor shapes and indexing: ``reshape``, ``transpose``/``permute``, ``T``,
``swapaxes``, ``broadcast_to``, ``[ ]`` (a mixin of ``Tensor``)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from typing import Any

import numpy as np

from . import _tensor as _T            # the Tensor module (imported first; names used at call time)
from . import gates as G

if TYPE_CHECKING:
    from ._tensor import Tensor
from .graph import _GradMode


class ShapeOps:
    """Operations that move or select elements; each gradient puts them back."""

    __slots__ = ()

    def reshape(self, *shape: Any) -> "Tensor":
        """Same elements, new shape (one entry may be -1)."""
        if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
            shape = tuple(shape[0])
        try:
            data = self.data.reshape(shape)
        except (ValueError, TypeError) as e:
            raise ValueError(f"reshape: cannot reshape shape {self.shape} into {shape}: {e}") from None
        if _GradMode.enabled and self.requires_grad:
            return _T._make(data, G.RESHAPE, self, data.shape, True)
        return _T._make(data, None, None, None, False)

    def view(self, *shape: Any) -> "Tensor":
        """PyTorch's name for ``reshape`` (the data is shared where numpy can share it)."""
        return self.reshape(*shape)

    def flatten(self, start_dim: int = 0, end_dim: int = -1) -> "Tensor":
        """The axes from ``start_dim`` to ``end_dim`` (both included) merged into one."""
        if self.ndim == 0:
            return self.reshape(1)
        a, b = self._dim(start_dim, "flatten"), self._dim(end_dim, "flatten")
        if a > b:
            raise ValueError(f"flatten: start_dim {start_dim} comes after end_dim {end_dim}")
        s = self.shape
        return self.reshape(s[:a] + (int(np.prod(s[a:b + 1])),) + s[b + 1:])

    def squeeze(self, dim: Any = None) -> "Tensor":
        """Drop length-1 axes (all of them, or ``dim`` if it has length 1, as PyTorch)."""
        s = self.shape
        if dim is None:
            return self.reshape(tuple(n for n in s if n != 1))
        dims = {self._dim(d, "squeeze") for d in (dim if isinstance(dim, tuple) else (dim,))}
        return self.reshape(tuple(n for i, n in enumerate(s) if not (i in dims and n == 1)))

    def unsqueeze(self, dim: int) -> "Tensor":
        """A new length-1 axis at ``dim`` (-ndim-1 <= dim <= ndim)."""
        d = _T._check_dim(dim, self.ndim + 1, "unsqueeze", f"a result of {self.ndim + 1} dims")
        return self.reshape(self.shape[:d] + (1,) + self.shape[d:])

    def expand(self, *sizes: Any) -> "Tensor":
        """Broadcast to ``sizes`` (-1 keeps an axis), as PyTorch's ``expand``; the
        gradient sums the copies back."""
        if len(sizes) == 1 and isinstance(sizes[0], (tuple, list)):
            sizes = tuple(sizes[0])
        lead = len(sizes) - self.ndim
        if lead < 0:
            raise ValueError(f"expand: {len(sizes)} sizes for a tensor of {self.ndim} dims")
        shape = tuple(self.shape[i - lead] if n == -1 and i >= lead else n for i, n in enumerate(sizes))
        return self.broadcast_to(shape)

    def flip(self, dims: Any) -> "Tensor":
        """The elements in reverse order along ``dims``; the gradient flips back."""
        axes = tuple(self._dim(d, "flip") for d in (dims if isinstance(dims, (tuple, list)) else (dims,)))
        return self._apply1(G.FLIP, axes if self.ndim else ())      # a 0-d tensor: itself, as PyTorch

    def transpose(self, *dims: Any) -> "Tensor":
        """``transpose(d0, d1)`` swaps two axes, as PyTorch's does; ``transpose()``
        reverses all of them, and a tuple (or one int per axis) permutes them as
        numpy's does (see ``permute``)."""
        if len(dims) == 1 and isinstance(dims[0], (tuple, list)):
            return self.permute(*dims[0])
        if not dims:
            return self.permute(*range(self.ndim - 1, -1, -1))
        if len(dims) == 2:
            d0, d1 = self._dim(dims[0], "transpose"), self._dim(dims[1], "transpose")
            if self.ndim == 0:                               # dims 0 and -1 of a 0-d tensor: itself
                return self._apply1(G.TRANSPOSE, ())
            perm = list(range(self.ndim))
            perm[d0], perm[d1] = perm[d1], perm[d0]
            return self._apply1(G.TRANSPOSE, tuple(perm))
        return self.permute(*dims)

    def permute(self, *dims: Any) -> "Tensor":
        """Reorder the axes: output axis i is input axis ``dims[i]`` (numpy's transpose(axes))."""
        if len(dims) == 1 and isinstance(dims[0], (tuple, list)):
            dims = tuple(dims[0])
        perm = tuple(self._dim(d, "permute") for d in dims)
        if sorted(perm) != list(range(self.ndim)):
            raise _T.AxisError(f"permute: {dims} is not a permutation of the {self.ndim} axes of shape {self.shape}")
        return self._apply1(G.TRANSPOSE, perm)

    @property
    def T(self) -> "Tensor":
        """The transpose (axes reversed)."""
        return self.transpose()

    def swapaxes(self, a1: int, a2: int) -> "Tensor":
        """Exchange two axes (the same as ``transpose(a1, a2)``)."""
        return self.transpose(a1, a2)

    def broadcast_to(self, shape: tuple) -> "Tensor":
        """Repeat along new or length-1 axes to ``shape``; the gradient sums them back."""
        shape = tuple(shape)
        try:
            ok = np.broadcast_shapes(self.shape, shape) == shape
        except ValueError:
            ok = False
        if not ok:
            raise ValueError(f"broadcast_to: shape {self.shape} cannot be broadcast to {shape}")
        return self._apply1(G.BROADCAST, shape)

    def __getitem__(self, index: Any) -> "Tensor":
        """Basic slicing and integer-array indexing; the gradient scatters back
        to the indexed positions, and repeated indices add up."""
        index = _index(index)
        try:
            data = self.data[index]
        except IndexError as e:
            raise IndexError(f"getitem: {e} (tensor shape {self.shape})") from None
        if _GradMode.enabled and self.requires_grad:
            return _T._make(data, G.GETITEM, self, index, True)
        return _T._make(data, None, None, None, False)


def stack(tensors: Any, axis: int = 0) -> "_T.Tensor":
    """Join equally shaped tensors along a new ``axis`` (as ``np.stack``)."""
    ts = tuple(tensors)
    if not ts:
        raise ValueError("stack: got no tensors")
    shapes = {t.shape for t in ts if isinstance(t, _T.Tensor)}
    if len(shapes) > 1:
        raise ValueError(f"stack: all tensors need the same shape, got {sorted(shapes)}")
    nd = ts[0].ndim + 1
    return _T.Tensor._variadic(G.STACK, ts, _T._check_dim(axis, nd, "stack", f"a {nd}-d result"))


def concatenate(tensors: Any, axis: int = 0) -> "_T.Tensor":
    """Join tensors along an existing ``axis`` (as ``np.concatenate``)."""
    ts = tuple(tensors)
    if not ts:
        raise ValueError("concatenate: got no tensors")
    if ts[0].ndim == 0:
        raise ValueError("concatenate: 0-d tensors cannot be concatenated (stack them)")
    axis = _T._check_dim(axis, ts[0].ndim, "concatenate", f"shape {ts[0].shape}")
    others = {t.shape[:axis] + t.shape[axis + 1:] for t in ts}
    if len(others) > 1:
        raise ValueError(f"concatenate: shapes {[t.shape for t in ts]} differ off axis {axis}")
    return _T.Tensor._variadic(G.CONCAT, ts, axis)


def _index(index: Any) -> Any:
    """Turn Tensors and lists inside an index into integer arrays."""
    if isinstance(index, tuple):
        return tuple(_index(i) for i in index)
    if isinstance(index, _T.Tensor):
        index = index.data
    if isinstance(index, list):
        index = np.asarray(index)
    if isinstance(index, np.ndarray) and index.dtype.kind not in "biu":
        if index.dtype.kind == "f" and np.all(index == np.round(index)):
            return index.astype(np.intp)
        raise IndexError(f"getitem: index arrays must hold integers or booleans, got dtype {index.dtype}")
    return index
