"""The walk both tuned backward loops (``fast_backward.py``) start from: the
interior nodes a root depends on, parents first, each stamped on the way.

``toposort`` in ``graph.py`` stays the readable reference order that lessons
teach; this is the same depth-first search with the shortcuts a training step
needs (see ``_interior_postorder``).
"""
from __future__ import annotations

from typing import Any

from .graph import _EXIT, _EXIT_TUPLES, _emit_walked


class _Mark:
    """Stamped into ``.grad`` of the interior nodes one backward pass visits:
    "visited, nothing received yet" (a fresh one per pass, so a stamp left by
    another pass reads as unvisited)."""
    __slots__ = ()


def _interior_postorder(root, mark: _Mark, tuples: dict) -> list:
    """Interior nodes (those a gate made, constants included) that ``root``
    depends on, every node after its parents, each one's ``grad`` set to
    ``mark`` as it is visited: the stamp is the "seen" test, no set needed
    (for Values it also reads "nothing received yet"). ``toposort``'s
    iterative depth-first search, with five shortcuts: leaves are never
    pushed; a one- or two-input node whose parents are all done is emitted
    at once, without waiting on the stack (in a DAG a stamped parent is
    already emitted: a stamped parent still on the stack would close a
    cycle); so is a two-input parent whose own parents are done (``w * x``
    beside a chain of sums), before it is ever pushed; the walk goes
    straight on into the parent it would pop next, without pushing it; and
    the nodes such a descent passes through wait in a list of their own (a
    segment: each waits on the one entered after it), emitted last-first when
    the descent ends, instead of one stack entry each. A segment goes onto the
    stack, under an ``_EXIT`` marker, only when a descent must also push a
    node to visit later (then the segment waits on that node too).
    For each parent tuple of a two-tuple gate (dot), keyed by id, ``tuples``
    gets a record ``[data, gs, others, holders, partner length]`` (see
    ``backward_scalar``): how many nodes hold it, and the length of the tuple
    beside it (-1 when that length varies)."""
    order: list = []
    emit = order.append
    walked: set = set()         # ids of tuples whose members are all emitted (see toposort)

    stack = [root]
    push = stack.append
    pop = stack.pop
    seg: list = []                  # the current descent's nodes, each waiting on the next
    wait = seg.append
    while stack:
        v = pop()
        if v is _EXIT:              # a segment whose nodes were waiting on those above it
            done = pop()
            done.reverse()
            order += done
            continue
        if v is _EXIT_TUPLES:
            _emit_walked(pop(), emit, walked)
            continue
        if v.grad is mark:
            continue
        while v is not None:        # visit v, then go straight on into a parent that needs a visit
            v.grad = mark
            n = v._op.arity         # never None: leaves are not pushed
            nxt = None
            if n == 2:
                a = v._a
                b = v._b
                b_todo = b._op is not None and b.grad is not mark
                if b_todo and b._op.arity == 2:
                    p = b._a        # b's parents all done (w * x in a chain of sums): emit it now
                    q = b._b
                    if (p._op is None or p.grad is mark) and (q._op is None or q.grad is mark):
                        b.grad = mark
                        emit(b)
                        b_todo = False
                if a._op is not None and a.grad is not mark:
                    wait(v)
                    if b_todo:      # the segment waits on b too: onto the stack, under b
                        push(seg)
                        push(_EXIT)
                        push(b)
                        seg = []
                        wait = seg.append
                    nxt = a
                elif b_todo:
                    wait(v)
                    nxt = b
                else:
                    emit(v)
            elif n == 1:
                a = v._a
                if a._op is not None and a.grad is not mark:
                    wait(v)
                    nxt = a
                else:
                    emit(v)
            elif n == -1:
                wait(v)
                push(seg)
                push(_EXIT)
                seg = []
                wait = seg.append
                for p in v._a:
                    if p._op is not None and p.grad is not mark:
                        push(p)
            elif n == -2:           # two tuples, shared by many nodes: walked once when possible
                a = v._a
                b = v._b
                ka = id(a)
                kb = id(b)
                walk_a = ka not in walked
                walk_b = kb not in walked
                # each tuple's record (see backward_scalar), counted for a and then for b: written
                # out twice rather than looped, as this runs once per neuron node per sample
                r = tuples.get(ka)
                if r is None:
                    tuples[ka] = [None, [], [], 1, len(b)]
                else:
                    r[3] += 1
                    if r[4] != len(b):
                        r[4] = -1                   # held beside partners of two lengths
                r = tuples.get(kb)
                if r is None:
                    tuples[kb] = [None, [], [], 1, len(a)]
                else:
                    r[3] += 1
                    if r[4] != len(a):
                        r[4] = -1
                if not (walk_a or walk_b):
                    emit(v)         # both tuples' members are emitted already
                else:
                    depth = len(stack)
                    push(v)         # it walks a tuple: marks it walked when emitted (see toposort)
                    push(_EXIT_TUPLES)
                    if walk_a:
                        for p in a:
                            if p._op is not None and p.grad is not mark:
                                push(p)
                    if walk_b:
                        for p in b:
                            if p._op is not None and p.grad is not mark:
                                push(p)
                    if len(stack) == depth + 2:     # every member is done: no need to wait
                        del stack[-2:]
                        _emit_walked(v, emit, walked)
                    elif seg:                       # the segment waits on v: under it on the stack
                        stack[depth:depth] = (seg, _EXIT)
                        seg = []
                        wait = seg.append
            else:                   # a constant: no parents, no step, but its .grad is reset
                emit(v)
            v = nxt
        if seg:
            seg.reverse()
            order += seg
            seg.clear()
    return order


def _unstamp(order: list, empty: Any) -> None:
    """A gate raised in the middle of a pass: no interior node keeps the walk's
    stamp or a partial sum in ``.grad`` (leaves keep what they received)."""
    for v in order:
        v.grad = empty
