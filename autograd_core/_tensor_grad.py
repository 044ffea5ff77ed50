"""What ``backward()`` asks of a Tensor (``graph.py`` and ``fast_backward.py``):
its seed, a gradient fitted to its shape, a zero, a leaf's gradient stored,
and the user's side of it, ``zero_grad`` and ``retain_grad``."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Optional

import numpy as np

from . import _tensor as _T            # the Tensor module (names used at call time)
from . import gates as G

if TYPE_CHECKING:
    from ._tensor import Tensor

_ndarray = np.ndarray


class GradHooks:
    """The gradient side of ``Tensor`` (a mixin: no state of its own)."""

    __slots__ = ()

    def _fit(self, g: Any) -> Any:
        shape = self.data.shape
        if g.shape != shape:
            g = G.sum_to(g, shape)
        return g if type(g) is np.ndarray or not G._is_plain(g) else np.asarray(g)

    def _seed(self, grad_output: Any, as_node: bool):
        if not self.requires_grad:
            raise RuntimeError("backward: this tensor has no graph (no input has requires_grad=True, "
                               "or it was computed under no_grad())")
        if grad_output is None:
            if self.data.size != 1:
                raise ValueError(
                    f"backward: the output has shape {self.shape}, so pass grad=<array of that shape> "
                    "(d(loss)/d(output)); only a one-element output has an implicit gradient of 1")
            dt = self.data.dtype                # fresh each time: it may become a retained root's .grad
            seed = np.array(1, dt) if self.data.ndim == 0 else np.ones(self.data.shape, dt)
        elif as_node and isinstance(grad_output, _T.Tensor) and grad_output.requires_grad:
            if grad_output.shape != self.data.shape:      # a node seed: the gradient stays differentiable in it
                raise ValueError(f"backward: grad has shape {grad_output.shape}, the output has shape {self.shape}")
            return grad_output
        else:
            seed = grad_output.data if isinstance(grad_output, _T.Tensor) else grad_output
            try:
                raw = np.asarray(seed)
            except (ValueError, TypeError):
                raw = np.asarray(None)
            if raw.dtype.kind not in "biuf":
                raise TypeError(f"backward: grad must be real numbers of shape {self.shape}, got "
                                f"{type(grad_output).__name__} with dtype {raw.dtype}")
            seed = raw.astype(self.data.dtype, copy=False)
            if seed.shape != self.data.shape:
                raise ValueError(f"backward: grad has shape {seed.shape}, the output has shape {self.shape}")
        return _T._make(seed, None, None, None, False) if as_node else seed

    def _zero_grad(self, as_node: bool):
        z = np.zeros(self.data.shape, self.data.dtype)
        return _T._make(z, None, None, None, False) if as_node else z

    def _store_grad(self, g: Optional[np.ndarray], shared: bool) -> None:
        """Add ``g`` into a leaf's ``.grad``, which owns its (writable) array."""
        if g is None:
            return
        held = self.grad
        if held is None:                # the common case in training: .grad was reset to None
            dt = g.dtype
            if not shared and (dt is self.data.dtype or dt == self.data.dtype):     # identity first: == is slow
                f = g.flags
                if f.owndata and f.writeable:   # an array of backward's own: adopt it
                    self.grad = g
                    return
            self.grad = np.array(g, dtype=self.data.dtype)
        elif held.__class__ is _ndarray:
            held += g
        else:                           # a node (backward(create_graph=True)): added out of place, as PyTorch
            self.grad = held + g

    def zero_grad(self) -> None:
        """Forget the accumulated gradient (``.grad = None``)."""
        self.grad = None

    def retain_grad(self) -> "Tensor":
        """Keep this interior node's gradient in ``.grad`` after ``backward()``
        (leaves always keep theirs), as PyTorch's ``retain_grad``. Returns self."""
        if not self.requires_grad:
            raise RuntimeError("retain_grad: this tensor does not require a gradient")
        self.retains_grad = True
        return self
