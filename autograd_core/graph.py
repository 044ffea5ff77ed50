"""Every graph traversal of the engine: the iterative topological order,
``backward()``, ``grad()``, the step-by-step replay for lessons, the
depth-limited walk for drawing, and the grad-mode switch ``no_grad()``.

Nodes (``Value`` and ``Tensor``) are plain data: ``_op`` (a gate from
``gates/`` or ``None`` for a leaf), ``_a`` and ``_b`` (the ordered parents;
for a one-input gate ``_b`` holds the gate's parameter instead), ``data`` and
``grad``.  Nothing here recurses, so graphs of any depth work at Python's
default recursion limit, in time linear in the number of nodes.
"""
from __future__ import annotations

from contextlib import ContextDecorator
from operator import attrgetter
from typing import Any, Callable, Iterator, Optional, Sequence

import numpy as np

__all__ = ["no_grad", "enable_grad", "is_grad_enabled", "toposort", "backward", "grad", "iter_backward", "breadth_first"]


class _Modes:
    """The global modes: whether ops record graph, and how many
    ``detect_anomaly()`` blocks are open (anomaly.py). One instance,
    ``_GradMode``: reading a slot of an instance is faster than reading a class
    attribute, and every op reads ``enabled``."""
    __slots__ = ("enabled", "anomaly")

    def __init__(self) -> None:
        self.enabled = True
        self.anomaly = 0


_GradMode = _Modes()


def is_grad_enabled() -> bool:
    """True when operations record a graph (the default)."""
    return _GradMode.enabled


class _SetGradMode(ContextDecorator):
    """Set graph recording on or off inside a ``with`` block or a decorated
    function, and restore the previous mode on the way out (a class, not a
    generator: entering and leaving cost a fraction of a microsecond)."""

    __slots__ = ("_mode", "_previous")

    def __init__(self, mode: bool) -> None:
        self._mode = mode
        self._previous: list = []

    def __enter__(self) -> None:
        self._previous.append(_GradMode.enabled)
        _GradMode.enabled = self._mode

    def __exit__(self, *exc: Any) -> None:
        _GradMode.enabled = self._previous.pop()


def no_grad() -> _SetGradMode:
    """Context manager (and decorator) inside which no graph is recorded:
    results are leaves, as for evaluation or a parameter update."""
    return _SetGradMode(False)


def enable_grad() -> _SetGradMode:
    """Context manager (and decorator) that turns graph recording back on (inside ``no_grad``)."""
    return _SetGradMode(True)


_data = attrgetter("data")
_ndarray = np.ndarray
# stack marker: "everything the entry below me waits on is done" (toposort: a node;
# walk.py: a run of nodes, each waiting on the next)
_EXIT = object()
# the same for a node with two parent tuples (dot): its tuples' members are now all
# emitted, so a later holder of either tuple need not walk it again
_EXIT_TUPLES = object()


def _emit_walked(v, emit, walked: set) -> None:
    """Emit the dot node ``v`` whose tuples' members are all emitted, and mark
    both tuples walked (toposort and walk.py's walk share this step)."""
    emit(v)
    walked.add(id(v._a))
    walked.add(id(v._b))


def toposort(root) -> list:
    """All nodes ``root`` depends on, in reverse topological order: ``root``
    first, and every node before the nodes it was computed from.

    An iterative depth-first search (no recursion, each node and edge visited
    once).  Leaves (``_op is None``) and constants (arity 0) end a path.
    """
    order: list = []
    emit = order.append
    seen: set = set()
    mark = seen.add
    walked: set = set()
    stack = [root]
    pop = stack.pop
    push = stack.append
    while stack:
        v = pop()
        if v is _EXIT:
            emit(pop())
            continue
        if v is _EXIT_TUPLES:
            _emit_walked(pop(), emit, walked)
            continue
        if v in seen:
            continue
        mark(v)
        op = v._op
        if op is None or op.arity == 0:
            emit(v)
            continue
        n = op.arity
        push(v)
        if n != -2:
            push(_EXIT)
        elif id(v._a) not in walked or id(v._b) not in walked:
            push(_EXIT_TUPLES)      # it walks a tuple: marks it walked when emitted
        else:
            push(_EXIT)
        if n > 0:
            p = v._a
            if p not in seen:
                push(p)
            if n == 2:
                p = v._b
                if p not in seen:
                    push(p)
        elif n == -1:               # variadic: a tuple of parents
            for p in v._a:
                if p not in seen:
                    push(p)
        else:
            # arity -2: two tuples, usually shared by many nodes (a neuron's
            # weights, a layer's inputs). Once a holder is emitted, so are all
            # members of its tuples, and later holders skip them. A holder
            # entered before that (one reached through another's inputs)
            # walks the tuple itself: skipping it would emit the holder
            # before members that are still waiting on the stack.
            for t in (v._a, v._b):
                if id(t) in walked:
                    continue
                for p in t:
                    if p not in seen:
                        push(p)
    order.reverse()
    return order


def breadth_first(root, depth: Optional[int] = None, limit: Optional[int] = None) -> tuple:
    """The nodes ``root`` depends on, nearest first, at most ``depth`` gates
    back and at most ``limit`` nodes. Returns ``(nodes, cut, complete)``:
    ``cut`` holds the listed nodes whose inputs lie beyond ``depth``, and
    ``complete`` is False when ``limit`` stopped the walk early (so a huge
    graph is never walked whole just to be refused)."""
    seen = {root}
    nodes = [root]
    cut: set = set()
    frontier = [root]
    level = 0
    while frontier:
        if depth is not None and level >= depth:
            cut.update(v for v in frontier if v.parents)
            break
        following = []
        for v in frontier:
            for p in v.parents:
                if p not in seen:
                    seen.add(p)
                    nodes.append(p)
                    following.append(p)
                    if limit is not None and len(nodes) > limit:
                        return nodes, cut, False
        frontier = following
        level += 1
    return nodes, cut, True


def _step(v, g, grads: dict, create_graph: bool, shares: Optional[list] = None) -> None:
    """Apply the gate of ``v`` to its upstream gradient ``g``: add each
    parent's share (upstream x local) into ``grads``, and append the
    (parent, share) pairs to ``shares`` when given.  One step of the backward pass."""
    op = v._op
    n = op.arity
    a = v._a
    if n == 1:
        if not a.requires_grad:
            return
        pairs = ((a, op.vjp(g, v, a, v._b) if create_graph else op.vjp(g, v.data, a.data, v._b)),)
    else:
        b = v._b
        parents = (a, b) if n == 2 else a if n == -1 else a + b
        if create_graph:
            args = (g, v, a, b)
        elif n == 2:
            args = (g, v.data, a.data, b.data)
        elif n == -1:
            args = (g, v.data, list(map(_data, a)), b)
        else:
            args = (g, v.data, list(map(_data, a)), list(map(_data, b)))
        parts = op.parts
        if parts is None:
            gs = op.vjp(*args)
        else:                           # compute only the gradients an input needs
            gs = [f(*args) if p.requires_grad else None for f, p in zip(parts, parents)]
        pairs = zip(parents, gs)
    get = grads.get
    for p, gp in pairs:
        if not p.requires_grad:
            continue
        if gp.__class__ is not _ndarray or gp.shape != p.data.shape:   # skip the call when it fits
            gp = p._fit(gp)
        prev = get(p)
        grads[p] = gp if prev is None else prev + gp
        if shares is not None:
            shares.append((p, gp))


def _propagate(order: list, seed: Any, create_graph: bool, store: bool = False,
               check: Optional[Callable] = None) -> dict:
    """Backpropagate ``seed`` from ``order[0]``; return {node: gradient}.

    With ``create_graph`` the rules run on the nodes themselves, so the
    gradients are graph nodes that can be differentiated again.  Otherwise
    they run on raw data (floats or ndarrays).  With ``store`` the gradients
    go into ``.grad``: an interior node shows this pass only (a Tensor only
    after ``retain_grad()``), leaves accumulate, stored last, as the fast
    loops do, so that a leaf never keeps a gradient a retained node keeps
    too. ``check(v, g, shares)`` sees every step (anomaly mode).
    """
    grads = {order[0]: seed}
    get = grads.get
    # a gradient a node already holds is copied for the next one; the seed (maybe the
    # caller's own array) is never kept as it is
    held: set = {id(seed)}
    for v in order:
        op = v._op
        g = get(v)
        if g is None or op is None:
            continue
        if store and v.retains_grad:
            v.grad = g
            held.add(id(g))
        if op.arity != 0:
            if check is None:
                _step(v, g, grads, create_graph)
            else:
                shares: list = []
                _step(v, g, grads, create_graph, shares)
                check(v, g, shares)
    if store:
        for v, g in grads.items():
            if v._op is None and v.requires_grad:
                key = id(g)
                if create_graph:
                    _store_node(v, g, key in held)
                else:
                    v._store_grad(g, key in held)
                held.add(key)
    return grads


def _store_node(leaf, g, shared: bool) -> None:
    """``backward(create_graph=True)``: the leaf's ``.grad`` becomes the graph node ``g``
    added to what it held (as PyTorch, out of place). A node another one holds, or
    whose array is a read-only view (a broadcast seed), is copied first (``+ 0.0``, a
    differentiable copy), so each leaf owns a gradient it may change in place."""
    data = g.data
    if shared or (type(data) is _ndarray and not (data.flags.owndata and data.flags.writeable)):
        g = g + 0.0
    before = leaf.grad
    leaf.grad = g if before is None or (type(before) is float and before == 0.0) else before + g


def iter_backward(root, grad_output: Any = None) -> Iterator[tuple]:
    """The backward pass one gate at a time, for watching it: yields
    ``(node, shares, grads)`` after each gate, where ``node`` is the gate's
    output, ``shares`` the (parent, upstream x local) pairs it just sent and
    ``grads`` the gradients known so far.  Touches no ``.grad``."""
    order = toposort(root)
    grads = {root: root._seed(grad_output, False)}
    for v in order:
        op = v._op
        if op is None or op.arity == 0:
            continue
        g = grads.get(v)
        shares: list = []
        if g is not None:
            _step(v, g, grads, False, shares)
        yield v, shares, grads


def backward(root, grad_output: Any = None, create_graph: bool = False) -> None:
    """Fill ``.grad`` with d(root)/d(node) for the nodes ``root`` depends on.

    Leaf gradients add up across calls (so minibatch gradients accumulate,
    as in PyTorch; call ``zero_grad`` between steps). Interior ``Value``
    gradients are overwritten, so a scalar graph drawn after ``backward``
    shows one pass; an interior ``Tensor`` keeps its gradient only after
    ``t.retain_grad()``, as in PyTorch. With ``create_graph`` each leaf's
    ``.grad`` is itself a graph node (added to what it held), so it can be
    differentiated again, as in PyTorch and DeZero.
    """
    if create_graph:
        with enable_grad():
            _propagate(toposort(root), root._seed(grad_output, True), True, store=True,
                       check=_anomaly_check())
        return
    seed = root._seed(grad_output, False)
    if _GradMode.anomaly:
        from .anomaly import checked_backward
        checked_backward(root, seed)
    elif root._scalar_fast_path:
        backward_scalar(root, seed)
    else:
        backward_arrays(root, seed)


def _anomaly_check() -> Optional[Callable]:
    if not _GradMode.anomaly:
        return None
    from .anomaly import check_step
    return check_step


def grad(output, inputs, grad_output: Any = None, create_graph: bool = False):
    """Gradients of ``output`` with respect to ``inputs``, without touching ``.grad``.

    ``inputs`` is one node or a sequence of nodes; the result is one gradient
    or a list in the same order.  Without ``create_graph`` a gradient is a
    float (for a ``Value``) or an ndarray (for a ``Tensor``).  With
    ``create_graph=True`` each gradient is itself a graph node whose own
    gradient can be taken: second and third derivatives, Hessian-vector
    products.  An input that ``output`` does not depend on gets zero.
    """
    if not hasattr(output, "_scalar_fast_path"):
        raise TypeError(f"grad: output must be a Value or a Tensor, got {type(output).__name__}")
    single = not isinstance(inputs, (list, tuple))
    wanted: Sequence = [inputs] if single else inputs
    for i, x in enumerate(wanted):
        if getattr(x, "_scalar_fast_path", None) is not output._scalar_fast_path:
            raise TypeError(
                f"grad: input {i} is a {type(x).__name__}, output is a {type(output).__name__}; "
                "inputs and output must be nodes of the same kind (all Values or all Tensors)")
    order = toposort(output)
    check = _anomaly_check()
    seed = output._seed(grad_output, create_graph)
    if create_graph:
        with enable_grad():
            grads = _propagate(order, seed, True, check=check)
    else:
        grads = _propagate(order, seed, False, check=check)
    result = []
    for x in wanted:
        g = grads.get(x)
        if g is None:
            g = x._zero_grad(create_graph)
        elif isinstance(g, np.ndarray) and (g is seed or not g.flags.writeable):
            g = g.copy()        # the seed (maybe the caller's array) or a broadcast view: the caller's own
        result.append(g)
    return result[0] if single else result


from .fast_backward import backward_arrays, backward_scalar  # noqa: E402  (it builds on the names above)
