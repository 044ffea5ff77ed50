"""Tensor indexing ops with PyTorch's names (a mixin of ``Tensor``): ``gather``,
``index_select``, ``scatter_add``, ``masked_fill``, ``tril``/``triu``,
``repeat``, ``split``, ``chunk``; and the functions ``one_hot``, ``pad``,
``cat``. Each is built from the indexing, broadcasting and arithmetic gates,
so its gradient needs no rule of its own: selected elements send their
gradient back to where they came from, repeats add up."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, List, Sequence, Union

import numpy as np

from . import _tensor as _T            # the Tensor module (names used at call time)

if TYPE_CHECKING:
    from ._tensor import Tensor


def _indices(index: Any, where: str) -> np.ndarray:
    a = np.asarray(index.data if isinstance(index, _T.Tensor) else index)
    if a.dtype.kind not in "iu":
        raise TypeError(f"{where}: the index must hold integers, got dtype {a.dtype}")
    return a.astype(np.intp, copy=False)


def _grid(idx: np.ndarray, d: int) -> tuple:
    """The index that picks [i][idx[i][j]] along axis ``d`` (the other axes' ranges, sparse)."""
    grid = list(np.indices(idx.shape, sparse=True))
    grid[d] = idx
    return tuple(grid)


class IndexOps:
    """Selecting, scattering and tiling elements."""

    __slots__ = ()

    def gather(self, dim: int, index: Any) -> "Tensor":
        """out[i][j] = self[i][index[i][j]] along ``dim`` (index has the output's shape)."""
        if self.ndim == 0:
            return self._as_1d(dim, "gather", lambda t: t.gather(0, np.reshape(_indices(index, "gather"), 1)))
        d = self._dim(dim, "gather")
        idx = _indices(index, "gather")
        if idx.ndim != self.ndim:
            raise ValueError(f"gather: index has {idx.ndim} dims, the tensor {self.ndim}")
        return self[_grid(idx, d)]

    def index_select(self, dim: int, index: Any) -> "Tensor":
        """The slices at ``index`` (1-D) along ``dim``."""
        if self.ndim == 0:
            return self._as_1d(dim, "index_select", lambda t: t.index_select(0, index))
        d = self._dim(dim, "index_select")
        idx = _indices(index, "index_select")
        if idx.ndim != 1:
            raise ValueError(f"index_select: index must be 1-D, got shape {idx.shape}")
        return self[(slice(None),) * d + (idx,)]

    def scatter_add(self, dim: int, index: Any, src: "Tensor") -> "Tensor":
        """A copy of self with src[i][j] added at [i][index[i][j]] along ``dim``; repeats add up."""
        d = self._dim(dim, "scatter_add")
        idx = _indices(index, "scatter_add")
        src = src if isinstance(src, _T.Tensor) else _T.Tensor(np.asarray(src, dtype=self.dtype))
        if idx.shape != src.shape:
            raise ValueError(f"scatter_add: index has shape {idx.shape}, src {src.shape}")
        return self + src._index_add(_grid(idx, d), self.shape)

    def masked_fill(self, mask: Any, value: float) -> "Tensor":
        """``value`` where ``mask`` is True, self elsewhere (no gradient through filled places)."""
        from .ops import where
        return where(mask, _T.Tensor(np.asarray(value, dtype=self.dtype)), self)

    def _triangle(self, keep: Any, diagonal: int, where: str) -> "Tensor":
        if self.ndim < 2:
            raise ValueError(f"{where}: needs at least 2 dims, got shape {self.shape}")
        from .ops import where
        rows, cols = self.shape[-2:]
        return where(keep(np.ones((rows, cols), dtype=bool), diagonal), self, 0)

    def tril(self, diagonal: int = 0) -> "Tensor":
        """The lower triangle of the last two axes: out[..., i, j] = x[..., i, j] where
        j - i <= ``diagonal``, else 0 (selected, not multiplied: inf and NaN outside
        become 0, as PyTorch). The gradient passes where the element is kept."""
        return self._triangle(np.tril, diagonal, "tril")

    def triu(self, diagonal: int = 0) -> "Tensor":
        """The upper triangle of the last two axes: x[..., i, j] where j - i >= ``diagonal``,
        else 0 (selected, as ``tril``)."""
        return self._triangle(np.triu, diagonal, "triu")

    def repeat(self, *sizes: Any) -> "Tensor":
        """Tile the tensor ``sizes`` times along each axis (PyTorch's ``repeat``, numpy's ``tile``)."""
        if len(sizes) == 1 and isinstance(sizes[0], (tuple, list)):
            sizes = tuple(sizes[0])
        if len(sizes) < self.ndim:
            raise ValueError(f"repeat: {len(sizes)} sizes for a tensor of {self.ndim} dims")
        x = self.reshape((1,) * (len(sizes) - self.ndim) + self.shape)
        spread = []
        for n in x.shape:
            spread += [1, n]
        tiled = []
        for r, n in zip(sizes, x.shape):
            tiled += [r, n]
        return x.reshape(spread).broadcast_to(tuple(tiled)).reshape(tuple(r * n for r, n in zip(sizes, x.shape)))

    def split(self, split_size_or_sections: Union[int, Sequence[int]], dim: int = 0) -> List["Tensor"]:
        """Pieces along ``dim``: of ``split_size`` each (the last may be shorter), or of the given sizes."""
        d = self._dim(dim, "split")
        n = self.shape[d]
        if isinstance(split_size_or_sections, (int, np.integer)):
            if split_size_or_sections < 1:
                raise ValueError(f"split: split_size must be >= 1, got {split_size_or_sections}")
            sizes = [min(split_size_or_sections, n - s) for s in range(0, n, split_size_or_sections)]
        else:
            sizes = list(split_size_or_sections)
            if sum(sizes) != n:
                raise ValueError(f"split: sections {sizes} do not add up to {n}")
        out, start = [], 0
        for size in sizes:
            out.append(self[(slice(None),) * d + (slice(start, start + size),)])
            start += size
        return out

    def chunk(self, chunks: int, dim: int = 0) -> List["Tensor"]:
        """``chunks`` pieces along ``dim`` of ceil(n / chunks) each (fewer if they run out), as PyTorch."""
        if chunks < 1:
            raise ValueError(f"chunk: chunks must be >= 1, got {chunks}")
        n = self.shape[self._dim(dim, "chunk")]
        return self.split(max(1, -(-n // chunks)), dim)


def one_hot(labels: Any, num_classes: int = -1) -> "Tensor":
    """Integer labels as one-hot rows (int64, as PyTorch): shape labels.shape + (num_classes,)."""
    idx = _indices(labels, "one_hot")
    if idx.size and idx.min() < 0:
        raise ValueError(f"one_hot: labels must be >= 0, got {idx.min()}")
    k = int(idx.max()) + 1 if num_classes == -1 and idx.size else num_classes
    if idx.size and idx.max() >= k:
        raise ValueError(f"one_hot: label {idx.max()} does not fit {k} classes")
    return _T.Tensor(np.eye(k, dtype=np.int64)[idx])


def pad(x: "Tensor", pad: Sequence[int], value: float = 0.0) -> "Tensor":
    """PyTorch's ``F.pad``: ``pad`` = (left, right) for the last axis, then
    (top, bottom) for the one before, ...; filled with ``value``."""
    if len(pad) % 2 or len(pad) // 2 > x.ndim or any(int(p) < 0 for p in pad):
        raise ValueError(f"pad: expected non-negative (before, after) pairs for at most {x.ndim} axes, got {pad}")
    widths = [(0, 0)] * x.ndim
    for k in range(len(pad) // 2):
        widths[x.ndim - 1 - k] = (int(pad[2 * k]), int(pad[2 * k + 1]))
    shape = tuple(n + a + b for n, (a, b) in zip(x.shape, widths))
    inside = tuple(slice(a, a + n) for n, (a, b) in zip(x.shape, widths))
    placed = x._index_add(inside, shape)
    if value != 0:
        fill = np.full(shape, value, dtype=x.dtype)
        fill[inside] = 0
        placed = placed + fill
    return placed


def cat(tensors: Sequence["Tensor"], dim: int = 0) -> "Tensor":
    """PyTorch's name for ``concatenate``."""
    from ._tensor_shape import concatenate
    return concatenate(tensors, dim)
