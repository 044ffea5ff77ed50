"""The two tuned loops behind ``backward()``: one for graphs of ``Value``
(floats), one for graphs of ``Tensor`` (ndarrays).

They compute what ``graph._propagate`` computes, gate by gate in reverse
topological order, with the bookkeeping cut to what a training step needs.
``toposort`` in ``graph.py`` stays the readable reference order that lessons
teach; both loops start from ``walk.py``'s walk (``_interior_postorder``), stamping
each interior node's ``.grad`` on the way (the stamp is both the "seen" test and
"nothing received yet"), and skip leaves, which need no step of their own.
"""
from __future__ import annotations

import sys
from operator import attrgetter
from typing import Any

import numpy as np

from . import gates as G
from .buffers import REUSE
from .graph import _step
from .walk import _interior_postorder, _Mark, _unstamp

_data = attrgetter("data")
_dot_summed, _dot_w, _dot_x = G.dot_shares_summed, G.dot_weight_shares, G.dot_input_shares
_ndarray = np.ndarray
_rc = sys.getrefcount
# references to a gradient held by nothing but ``backward_arrays``'s local ``g``; where
# buffers.py could not calibrate reference counts (not CPython 3.11-3.13), never reuse
_G_ALONE = 2 if REUSE else -1
_ADD, _SUB, _MUL, _RELU, _SCALE, _SHIFT = G.ADD, G.SUB, G.MUL, G.RELU, G.SCALE, G.SHIFT
_DOT_ACTIVATION = G.DOT_ACTIVATION        # the dot gates (plain, or with an activation folded in)


def backward_scalar(root, seed: float) -> None:
    """``backward()`` for Values: floats only, gradients written into ``.grad``.

    A parent's gradient is the sum of the shares its consumers send. An
    interior node, stamped "nothing received yet" by the walk, takes its first
    share as it is (a float is immutable, so sharing the object is safe and
    saves an addition and 24 bytes); a leaf adds to what it holds. The add,
    mul, relu, scale, shift and sub rules of ``gates/elementwise.py`` are
    applied inline for floats (they are most of any scalar graph); the dot
    gate's shares are summed per shared tuple (``settle``); every other gate
    goes through its ``vjp``.
    """
    if root._op is None or root._op.arity == 0:
        root.grad += seed
        return
    mark = _Mark()
    tuples: dict = {}
    order = _interior_postorder(root, mark, tuples)
    root.grad = seed
    try:
        _scalar_steps(order, mark, tuples)
    except BaseException:
        _unstamp(order, 0.0)
        raise


def _scalar_steps(order: list, mark: _Mark, tuples: dict) -> None:
    """``backward_scalar``'s loop: every gate of ``order``, last first."""
    def settle(t: tuple, r: list) -> None:
        """The last node holding ``t`` is done: sum the shares its holders
        noted (upstream ``gs``, the data of the tuple beside ``t``), column by
        column in C, and hand them to ``t``'s members. Every holder comes
        before any member in the order, so a member's gradient is complete
        before it is processed."""
        others = r[2]
        n = len(t) if len(others[0]) >= len(t) else len(others[0])
        share(t, _dot_summed(r[1], others, n, len(t) > n))
        r[1] = r[2] = None

    def share(parents, gs) -> None:             # add each parent's share into its .grad
        for p, gp in zip(parents, gs):
            prev = p.grad
            p.grad = gp if prev is mark else prev + gp

    for v in reversed(order):
        g = v.grad
        op = v._op
        if op is _MUL:                              # dz/dx = y, dz/dy = x
            a = v._a
            b = v._b
            ga = g * b.data
            gb = g * a.data
            prev = a.grad
            a.grad = ga if prev is mark else prev + ga
            prev = b.grad
            b.grad = gb if prev is mark else prev + gb
        elif op is _ADD:                            # dz/dx = dz/dy = 1
            a = v._a
            b = v._b
            prev = a.grad
            a.grad = g if prev is mark else prev + g
            prev = b.grad
            b.grad = g if prev is mark else prev + g
        elif op is _RELU:                           # dz/dx = 1 where z > 0
            a = v._a
            ga = g if v.data > 0.0 else 0.0         # not g * False: that is -0.0 for a negative g
            prev = a.grad
            a.grad = ga if prev is mark else prev + ga
        elif op is _SCALE:                          # z = a x: dz/dx = a
            a = v._a
            ga = g * v._b
            prev = a.grad
            a.grad = ga if prev is mark else prev + ga
        elif op is _SHIFT:                          # z = x + c: dz/dx = 1
            a = v._a
            prev = a.grad
            a.grad = g if prev is mark else prev + g
        elif op is _SUB:                            # dz/dx = 1, dz/dy = -1
            a = v._a
            b = v._b
            prev = a.grad
            a.grad = g if prev is mark else prev + g
            gb = -g
            prev = b.grad
            b.grad = gb if prev is mark else prev + gb
        elif op in _DOT_ACTIVATION:                 # dz/dw_i = x_i, dz/dx_i = w_i, dz/db = 1
            act = _DOT_ACTIVATION[op]               # a neuron's activation folded in: its rule first
            if act is _RELU:
                if not v.data > 0.0:                # relu's float rule, inline as in the relu branch
                    g = 0.0
            elif act is not None:
                g = act.vjp(g, v.data, None, None)
            # A tuple's record: [its members' data (read once per pass), the
            # upstream g of each holder so far, the data of the tuple beside it
            # in each, holders still to come, -1 when its partners' lengths vary]
            ws = v._a
            xs = v._b
            rw = tuples[id(ws)]
            rx = tuples[id(xs)]
            wd = rw[0]
            if wd is None:
                wd = rw[0] = list(map(_data, ws))
            xd = rx[0]
            if xd is None:
                xd = rx[0] = list(map(_data, xs))
            # the weights' shares, then the inputs' (written out twice, not looped: once per neuron node)
            if rw[4] < 0:
                share(ws, _dot_w(g, wd, xd))
            else:
                rw[1].append(g)
                rw[2].append(xd)
                rw[3] -= 1
                if not rw[3]:
                    settle(ws, rw)
            if rx[4] < 0:
                share(xs, _dot_x(g, wd, xd))
            else:
                rx[1].append(g)
                rx[2].append(wd)
                rx[3] -= 1
                if not rx[3]:
                    settle(xs, rx)
        else:
            n = op.arity
            if n == 2:
                a = v._a
                b = v._b
                share((a, b), op.vjp(g, v.data, a.data, b.data))
            elif n == 1:
                a = v._a
                ga = op.vjp(g, v.data, a.data, v._b)
                prev = a.grad
                a.grad = ga if prev is mark else prev + ga
            elif n == -1:
                ps = v._a
                share(ps, op.vjp(g, v.data, list(map(_data, ps)), v._b))
            # a constant (n == 0) has no step; every two-tuple gate (n == -2) is a dot gate, above


def backward_arrays(root, seed: Any) -> None:
    """``backward()`` for Tensors: ``_propagate`` with ``store``, with the
    one- and two-input gates inlined and each gradient dropped as soon as its
    node is done. As in PyTorch, an interior node keeps its gradient in
    ``.grad`` only if ``retain_grad()`` was called on it, so a training step
    holds no more arrays than hand-written code does. A one-input gate with a
    ``vjp_inplace`` (ReLU) writes into ``g`` when nothing else refers to it.
    An interior node collects what it receives in its own ``.grad`` (stamped
    "nothing yet" by the walk), as the scalar loop does; leaves are not
    walked: what they receive waits in a table, and is stored once every
    gate is done."""
    if root._op is None:
        root._store_grad(seed, True)        # the seed may be the caller's array: never adopt it
        return
    mark = _Mark()
    order = _interior_postorder(root, mark, {})     # stamps each interior .grad on the way
    root.grad = seed
    try:
        _array_steps(order, mark, seed)
    except BaseException:
        _unstamp(order, None)
        raise


def _array_steps(order: list, mark: _Mark, seed: Any) -> None:
    """``backward_arrays``'s loop: every gate of ``order``, last first, then the leaves."""
    leaves: dict = {}
    get = leaves.get
    # ids of arrays a leaf must copy rather than keep: some node's .grad, and the seed
    # (the caller's own array when backward(grad) was given one)
    stored: set = {id(seed)}

    def send(p, gp) -> None:    # add a share into p's gradient, reduced to p's shape
        if gp.__class__ is not _ndarray or gp.shape != p.data.shape:
            gp = p._fit(gp)
        if p._op is None:
            prev = get(p)
            leaves[p] = gp if prev is None else prev + gp
        else:
            prev = p.grad
            p.grad = gp if prev is mark else prev + gp

    for v in reversed(order):
        g = v.grad
        if g is mark:               # nothing reached it
            v.grad = None
            continue
        if v.retains_grad:          # its .grad, as a leaf's, is an array of its own that it may change
            f = g.flags
            if id(g) in stored or not (f.owndata and f.writeable):    # another's, or a view: a copy
                v.grad = g.copy()
                stored.add(id(v.grad))
            else:
                stored.add(id(g))
            f = None
        else:
            v.grad = None
        op = v._op
        if op is _ADD:                              # dz/dx = dz/dy = 1: g itself to both
            a = v._a
            b = v._b
            if a.requires_grad:
                send(a, g)
            if b.requires_grad:
                send(b, g)
            continue
        n = op.arity
        if n == 1:
            a = v._a
            if not a.requires_grad:
                continue
            if op.vjp_inplace is not None and _rc(g) <= _G_ALONE:
                f = g.flags                         # (a flags object holds its array: dropped below)
                if f.owndata and f.writeable:       # g is this loop's alone: reuse it
                    f = None
                    send(a, op.vjp_inplace(g, v.data, a.data, v._b))
                    continue
                f = None
            send(a, op.vjp(g, v.data, a.data, v._b))
        elif n == 2:
            a = v._a
            b = v._b
            parts = op.parts
            if parts is None:
                ga, gb = op.vjp(g, v.data, a.data, b.data)
                if a.requires_grad:
                    send(a, ga)
                if b.requires_grad:
                    send(b, gb)
                ga = gb = None      # no stale reference: it would deny a later in-place step
            else:
                if a.requires_grad:
                    send(a, parts[0](g, v.data, a.data, b.data))
                if b.requires_grad:
                    send(b, parts[1](g, v.data, a.data, b.data))
        elif n == -1 and op.parts is not None:      # fused layers: one vjp part per input
            ps = v._a
            datas = [p.data for p in ps]
            for p, part in zip(ps, op.parts):
                if p.requires_grad:
                    send(p, part(g, v.data, datas, v._b))
        elif n != 0:
            shares: dict = {}
            _step(v, g, shares, False)
            for p, gp in shares.items():
                send(p, gp)
            shares = gp = None      # no stale reference into the next step (see ga, gb)
    for leaf, g in leaves.items():
        key = id(g)
        leaf._store_grad(g, key in stored)
        stored.add(key)
