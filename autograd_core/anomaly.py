"""Anomaly mode: find the gate where a NaN or an infinity is born.

    with detect_anomaly():                 # or @detect_anomaly() on a function
        loss = model(x)
        loss.backward()

Inside the block every gate output is checked as it is made, and every share
the backward pass sends; the first one that is not finite raises
``AnomalyError`` naming the gate, a summary of its inputs, and the line of
your code that created the node. Nothing of this costs anything outside the
block: entering it installs checking versions of the node constructors and
leaving the last open block puts the plain ones back; ``backward()`` and
``grad()`` look at one flag.
"""
from __future__ import annotations

import math
import os
import sys
from contextlib import ContextDecorator
from typing import Any, Callable, Dict, List

import numpy as np

from . import _tensor
from .buffers import is_released
from . import value as _value
from .graph import _GradMode, _propagate, toposort

__all__ = ["detect_anomaly", "is_anomaly_enabled", "AnomalyError"]

_PACKAGES = tuple(os.path.dirname(os.path.abspath(m.__file__)) + os.sep for m in (_value,))
_NN = os.path.join(os.path.dirname(_PACKAGES[0].rstrip(os.sep)), "nn") + os.sep
_SITES: Dict[int, str] = {}         # id(node) -> where it was made (only while the mode is on)
_SAVED: List[tuple] = []            # (owner, name, plain version) put back on leaving


class AnomalyError(RuntimeError):
    """A gate produced a value or a gradient that is not finite (anomaly mode)."""


def is_anomaly_enabled() -> bool:
    """True inside ``detect_anomaly()``."""
    return _GradMode.anomaly > 0


class detect_anomaly(ContextDecorator):
    """Context manager and decorator: raise at the first gate whose output or
    whose backward share is NaN or infinite, naming the gate, its inputs and
    the line of user code that made it."""

    def __enter__(self) -> "detect_anomaly":
        if _GradMode.anomaly == 0:
            _install()
        _GradMode.anomaly += 1
        return self

    def __exit__(self, *exc: Any) -> None:
        _GradMode.anomaly -= 1
        if _GradMode.anomaly == 0:
            _uninstall()


# -- where a node was made, what it was made from -------------------------------------
def _user_site() -> str:
    """``file:line in function: code`` of the innermost caller outside the library."""
    frame = sys._getframe(2)
    while frame is not None:
        path = os.path.abspath(frame.f_code.co_filename)
        if not (path.startswith(_PACKAGES) or path.startswith(_NN)):
            import linecache
            code = linecache.getline(path, frame.f_lineno).strip()
            return f"{path}:{frame.f_lineno} in {frame.f_code.co_name}: {code}"
        frame = frame.f_back
    return "(no caller outside autograd_core)"


def _finite(x: Any) -> bool:
    x = getattr(x, "data", x)
    if type(x) is float:
        return math.isfinite(x)
    return bool(np.all(np.isfinite(x)))


def _summary(x: Any) -> str:
    x = getattr(x, "data", x)
    if is_released(x):
        return "(its buffer was reused by the next op)"
    if type(x) is float or np.ndim(x) == 0:
        return f"{float(x):.6g}"
    a = np.asarray(x)
    if a.size <= 6:
        return np.array2string(a, precision=4, separator=", ")
    bad = a.size - int(np.isfinite(a).sum())
    return (f"shape {a.shape}, min {np.nanmin(a) if bad < a.size else float('nan'):.4g}, "
            f"max {np.nanmax(a) if bad < a.size else float('nan'):.4g}, {bad} not finite")


def _inputs(node: Any) -> str:
    parts = [f"input {i + 1} = {_summary(p)}" for i, p in enumerate(node.parents)]
    if node._op.arity == 1 and node.param is not None and not isinstance(node.param, tuple):
        parts.append(f"parameter {node.param!r}")
    return "; ".join(parts) or "no inputs"


def _made_at(node: Any) -> str:
    site = _SITES.get(id(node))
    return site if site is not None else "(made outside detect_anomaly())"


# -- forward: check each gate output as it is made ------------------------------------
def _check_output(out: Any) -> Any:
    op = out._op
    if op is None or op.arity == 0:
        return out
    site = _user_site()
    _SITES[id(out)] = site
    if not _finite(out.data):
        raise AnomalyError(f"{op.name} made a value that is not finite: {_summary(out)}\n"
                           f"  from {_inputs(out)}\n  at {site}")
    return out


def _checking(method: Callable) -> Callable:
    def checked(*args: Any) -> Any:
        return _check_output(method(*args))
    checked.__doc__ = method.__doc__
    return checked


def _install() -> None:
    # every Value method that builds its node without _record (operators, max, min...)
    inline = [n for n, f in vars(_value.Value).items() if getattr(f, "_records_inline", False)]
    for owner, name in [(_value.Value, n) for n in inline]:
        plain = owner.__dict__[name]
        _SAVED.append((owner, name, plain))
        setattr(owner, name, _checking(plain))
    for module, name in ((_value, "_record"), (_tensor, "_make")):   # every other gate output
        plain = getattr(module, name)
        _SAVED.append((module, name, plain))
        setattr(module, name, _checking(plain))


def _uninstall() -> None:
    while _SAVED:
        owner, name, plain = _SAVED.pop()
        setattr(owner, name, plain)
    _SITES.clear()


# -- backward: check every share ----------------------------------------------------------
def check_step(node: Any, upstream: Any, shares: list) -> None:
    """Raise at a backward step that turned a finite upstream gradient into a
    share that is not finite."""
    for parent, share in shares:
        if not _finite(share):
            i = next(k for k, p in enumerate(node.parents) if p is parent) + 1
            raise AnomalyError(
                f"{node._op.name} backward sent input {i} a gradient that is not finite: {_summary(share)}\n"
                f"  upstream gradient {_summary(upstream)}; output {_summary(node)}; {_inputs(node)}\n"
                f"  the node was made at {_made_at(node)}")


def checked_backward(root: Any, seed: Any) -> None:
    """``backward()`` in anomaly mode: the generic pass, every step checked."""
    if not _finite(seed):
        raise AnomalyError(f"backward: the gradient given for the output is not finite: {_summary(seed)}")
    _propagate(toposort(root), seed, False, store=True, check=check_step)
