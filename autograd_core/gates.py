"""Every differentiation rule of the engine, one ``Gate`` per op.

A gate is data, not a closure: a name, the symbol a drawing shows, its arity,
a forward function and a vector-Jacobian product (``vjp``).  Nodes store the
gate and their ordered parents; the backward pass looks the rule up here.

Conventions
-----------
* ``fwd(x, y)`` computes the output from input data.  For a unary gate ``y``
  is the gate's parameter (an exponent, an axis, an index...) or ``None``.
  ``sfwd`` is the fast float path used by ``Value``; where plain operators
  serve floats and arrays alike, it is the same function as ``fwd``.
* ``vjp(g, out, x, y)`` receives the upstream gradient ``g``, the output and
  the inputs, and returns the gradient for ``x`` (unary) or the pair
  ``(gx, gy)`` (binary): the chain rule's *upstream x local* product.
  Gradients come back in the *output's* broadcast shape; reducing them to an
  input's shape (``sum_to``) is the node's job, so one rule serves floats and
  arrays.
* Every ``vjp`` is written with operators and the helpers below, which work
  on floats, ndarrays, ``Value`` and ``Tensor`` alike.  Called with node
  arguments, a rule builds graph, which is how ``grad(create_graph=True)``
  gives second and third derivatives without a second set of rules.
* No rule builds a Jacobian: all are vector-Jacobian products.
"""
from __future__ import annotations

import math
import operator
from itertools import repeat
from typing import Any, Callable, Optional

import numpy as np

__all__ = ["Gate", "GATES", "CrossEntropyTarget"]

_ndarray = np.ndarray


class Gate:
    """One differentiable op: ``name``, drawing ``symbol``, ``arity`` (0, 1, 2, or -1
    for a variadic gate whose parents are a tuple),
    forward functions and the vector-Jacobian product. ``formula`` is its math."""

    __slots__ = ("name", "symbol", "arity", "fwd", "sfwd", "vjp", "parts", "formula")

    def __init__(self, name: str, symbol: str, arity: int,
                 fwd: Optional[Callable], vjp: Optional[Callable], formula: str,
                 sfwd: Optional[Callable] = None, parts: Optional[tuple] = None) -> None:
        self.name = name
        self.symbol = symbol
        self.arity = arity
        self.fwd = fwd
        self.sfwd = sfwd if sfwd is not None else fwd
        # A binary gate whose two gradients are expensive may give them as two
        # functions (one per input): the backward pass then computes only the
        # ones an input needs, and ``vjp`` is derived from them.
        self.parts = parts
        if parts is not None and arity == 2:
            vjp = lambda g, out, x, y: (parts[0](g, out, x, y), parts[1](g, out, x, y))  # noqa: E731
        elif parts is not None:
            vjp = lambda g, out, xs, p: [f(g, out, xs, p) for f in parts[:len(xs)]]  # noqa: E731
        self.vjp = vjp
        self.formula = formula

    def __repr__(self) -> str:
        return f"Gate({self.name}: {self.formula})"


GATES: dict[str, Gate] = {}


def _gate(name: str, symbol: str, arity: int, fwd, vjp, formula: str, sfwd=None, parts=None) -> Gate:
    gate = Gate(name, symbol, arity, fwd, vjp, formula, sfwd, parts)
    GATES[name] = gate
    return gate


# --------------------------------------------------------------------------
# Helpers that work on floats, ndarrays and nodes (Value / Tensor) alike.
# --------------------------------------------------------------------------
def _is_plain(x: Any) -> bool:
    return type(x) is float or isinstance(x, (_ndarray, np.generic, int))


def _unary_any(gate: "Gate", x):
    """Apply a one-input gate's forward to a float, an ndarray or a node."""
    if type(x) is float:
        return gate.sfwd(x)
    if _is_plain(x):
        return gate.fwd(x)
    return getattr(x, gate.name)()


def exp(x):
    """e**x for a float, an ndarray or a node."""
    return _unary_any(EXP, x)


def log(x):
    """Natural log for a float, an ndarray or a node."""
    return _unary_any(LOG, x)


def data_of(x):
    """The raw number or array behind ``x`` (for masks, which are constants)."""
    return x if _is_plain(x) else x.data


def broadcast_to(g, shape: tuple):
    """Broadcast ``g`` to ``shape`` (the adjoint of ``sum_to``)."""
    if _is_plain(g):
        return np.broadcast_to(g, shape)
    return g.broadcast_to(shape)


def sum_to(g, shape: tuple):
    """Sum ``g`` over the axes that broadcasting added or stretched, so that the
    result has ``shape``: the gradient rule of numpy broadcasting."""
    gshape = g.shape
    if gshape == shape:
        return g
    lead = len(gshape) - len(shape)
    stretched = tuple(i + lead for i, n in enumerate(shape) if n == 1 and gshape[i + lead] != 1)
    if not stretched:                      # only leading axes were added: one plain sum
        return g.sum(axis=tuple(range(lead)))
    return g.sum(axis=tuple(range(lead)) + stretched, keepdims=True).reshape(shape)


def index_add(g, index, shape: tuple):
    """Zeros of ``shape`` with ``g`` added at ``index`` (repeated indices add up)."""
    if _is_plain(g):
        return _index_add_fwd(g, (index, shape))
    return g._index_add(index, shape)


def _expand(g, shape: tuple, axis, keepdims: bool):
    """Put back the axes a reduction removed, then broadcast to ``shape``."""
    if not keepdims and axis is not None:
        kshape = list(shape)
        for a in (axis if isinstance(axis, tuple) else (axis,)):
            kshape[a] = 1
        g = g.reshape(tuple(kshape))
    return broadcast_to(g, shape)


def _swap(x):
    return x.swapaxes(-1, -2)


# --------------------------------------------------------------------------
# Float fast paths for Value (math module; IEEE results instead of exceptions
# where numpy would give inf, and clear errors where the math is undefined).
# --------------------------------------------------------------------------
def _sexp(x: float) -> float:
    try:
        return math.exp(x)
    except OverflowError:
        return math.inf


def _slog(x: float) -> float:
    if x > 0.0:
        return math.log(x)
    raise ValueError(f"log: input must be positive, got {x!r}")


def _ssigmoid(x: float) -> float:
    if x >= 0.0:
        return 1.0 / (1.0 + math.exp(-x))
    e = _sexp(x)
    return e / (1.0 + e)


def _asigmoid(x):
    # exp(-log(1 + exp(-x))): no overflow for any x, full relative precision.
    return np.exp(-np.logaddexp(0, -x))


def _srelu(x: float) -> float:
    return x if x > 0.0 else 0.0


def _spow(x: float, p: float) -> float:
    try:
        return math.pow(x, p)
    except (ValueError, ZeroDivisionError):
        raise ValueError(f"pow: {x!r} ** {p!r} is not a real number") from None
    except OverflowError:
        return math.inf


def _smax(x: float, y: float) -> float:
    return x if x >= y else y


# --------------------------------------------------------------------------
# Elementwise gates (Value and Tensor)
# --------------------------------------------------------------------------
def _add_vjp(g, out, x, y):
    return g, g


def _sub_vjp(g, out, x, y):
    return g, -g


def _mul_vjp(g, out, x, y):
    return g * y, g * x


def _div_vjp(g, out, x, y):
    gx = g / y
    return gx, -gx * out


def _pow_vjp(g, out, x, y):
    return g * y * x ** (y - 1), g * out * log(x)


def _powc_vjp(g, out, x, p):
    return g * p * x ** (p - 1)


def _neg_vjp(g, out, x, p):
    return -g


def _exp_vjp(g, out, x, p):
    return g * out


def _log_vjp(g, out, x, p):
    return g / x


def _tanh_vjp(g, out, x, p):
    return g * (1 - out * out)


def _sigmoid_vjp(g, out, x, p):
    return g * out * (1 - out)


def _relu_vjp(g, out, x, p):
    return g * (data_of(x) > 0)


def _max_vjp(g, out, x, y):
    xd = data_of(x)
    yd = data_of(y)
    return g * (xd >= yd), g * (xd < yd)


def _sumn_fwd(xs, p=None):
    return sum(xs[1:], xs[0])


def _sumn_vjp(g, out, xs, p):
    return [g] * len(xs)


def _dot_fwd(xs, n):
    # parents: w_0..w_n-1, x_0..x_n-1 and, when len(xs) is odd, a bias b
    z = sum(map(operator.mul, xs[:n], xs[n:2 * n]))
    return z + xs[-1] if len(xs) & 1 else z


def _dot_vjp(g, out, xs, n):
    gs = list(map(operator.mul, repeat(g, 2 * n), xs[:2 * n]))   # g * each w and x
    gs = gs[n:] + gs[:n]                                         # dz/dw_i = x_i, dz/dx_i = w_i
    if len(xs) & 1:
        gs.append(g)                                             # dz/db = 1
    return gs


CONST = _gate("const", "const", 0, None, None, "c: a number lifted into the graph; no gradient")
ADD = _gate("add", "+", 2, operator.add, _add_vjp, "z = x + y; dz/dx = 1, dz/dy = 1 (gradient distributor)")
SUB = _gate("sub", "-", 2, operator.sub, _sub_vjp, "z = x - y; dz/dx = 1, dz/dy = -1")
MUL = _gate("mul", "*", 2, operator.mul, _mul_vjp, "z = x * y; dz/dx = y, dz/dy = x (swap multiplier)")
DIV = _gate("div", "/", 2, operator.truediv, _div_vjp, "z = x / y; dz/dx = 1/y, dz/dy = -x/y^2 = -z/y")
POW = _gate("pow", "**", 2, operator.pow, _pow_vjp, "z = x^y; dz/dx = y x^(y-1), dz/dy = z ln x",
            sfwd=_spow)
POWC = _gate("powc", "**", 1, operator.pow, _powc_vjp, "z = x^p (p a number); dz/dx = p x^(p-1)",
             sfwd=_spow)
NEG = _gate("neg", "-", 1, np.negative, _neg_vjp, "z = -x; dz/dx = -1",
            sfwd=operator.neg)
EXP = _gate("exp", "exp", 1, np.exp, _exp_vjp, "z = e^x; dz/dx = e^x = z", sfwd=_sexp)
LOG = _gate("log", "log", 1, np.log, _log_vjp, "z = ln x; dz/dx = 1/x", sfwd=_slog)
TANH = _gate("tanh", "tanh", 1, np.tanh, _tanh_vjp, "z = tanh x; dz/dx = 1 - z^2", sfwd=math.tanh)
SIGMOID = _gate("sigmoid", "sigmoid", 1, _asigmoid, _sigmoid_vjp,
                "z = 1/(1+e^-x); dz/dx = z (1 - z)", sfwd=_ssigmoid)
RELU = _gate("relu", "relu", 1, lambda x: np.maximum(x, 0), _relu_vjp,
             "z = max(0, x); dz/dx = 1 if x > 0 else 0", sfwd=_srelu)
MAX = _gate("max", "max", 2, np.maximum, _max_vjp,
            "z = max(x, y); the gradient goes to the larger input (x on a tie): gradient router",
            sfwd=_smax)


# Variadic gates (arity -1): the parents are a tuple in ``_a``, the vjp gets
# their data as a list and returns one gradient per parent.  They let a scalar
# neuron be one node instead of 2n, which is what makes a Value MLP fast.
def _linear_fwd(xs, p=None):
    x, w = xs[0], xs[1]
    z = x @ w.T
    return z + xs[2] if len(xs) == 3 else z


def _linear_vjp_x(g, out, xs, p):
    return g @ xs[1]


def _linear_vjp_w(g, out, xs, p):
    x = xs[0]
    if x.ndim == 2:
        return g.T @ x
    if x.ndim == 1:
        return g.reshape((-1, 1)) * x.reshape((1, -1))
    return g.reshape((-1, g.shape[-1])).T @ x.reshape((-1, x.shape[-1]))


def _linear_vjp_b(g, out, xs, p):
    return g.sum(axis=0) if g.ndim == 2 else sum_to(g, xs[2].shape)


LINEAR = _gate("linear", "linear", -1, _linear_fwd, None,
               "z = x W^T + b; dL/dx = G W, dL/dW = G^T x, dL/db = Σ_batch G",
               parts=(_linear_vjp_x, _linear_vjp_w, _linear_vjp_b))
def _stack_fwd(xs, axis):
    return np.stack(xs, axis=axis)


def _stack_vjp(g, out, xs, axis):
    lead = (slice(None),) * axis
    return [g[lead + (i,)] for i in range(len(xs))]


def _concat_fwd(xs, axis):
    return np.concatenate(xs, axis=axis)


def _concat_vjp(g, out, xs, axis):
    lead = (slice(None),) * axis
    bounds = np.cumsum([0] + [x.shape[axis] for x in xs])
    return [g[lead + (slice(int(a), int(b)),)] for a, b in zip(bounds[:-1], bounds[1:])]


STACK = _gate("stack", "stack", -1, _stack_fwd, _stack_vjp,
              "z = [x_0, x_1, ...] along a new axis; dL/dx_i = G[..., i, ...]")
CONCAT = _gate("concatenate", "concat", -1, _concat_fwd, _concat_vjp,
               "z = x_0 ++ x_1 ++ ... along an axis; dL/dx_i = the slice of G that x_i filled")
def _conv_windows(x, kh, kw, stride, padding):
    """(N, C, Ho, Wo, kh, kw) view of every kernel-sized window of the padded input."""
    if padding:
        x = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    win = np.lib.stride_tricks.sliding_window_view(x, (kh, kw), axis=(2, 3))
    return win[:, :, ::stride, ::stride]


def _conv2d_fwd(xs, p):
    x, w = xs[0], xs[1]
    stride, padding = p
    win = _conv_windows(x, w.shape[2], w.shape[3], stride, padding)
    out = np.tensordot(win, w, axes=([1, 4, 5], [1, 2, 3])).transpose(0, 3, 1, 2)
    if len(xs) == 3:
        out = out + xs[2].reshape(1, -1, 1, 1)
    return np.ascontiguousarray(out)


def _plain_only(g, name: str) -> None:
    if not _is_plain(g):
        raise NotImplementedError(f"{name}: gradients of gradients (create_graph=True) are not supported")


def _conv2d_vjp_x(g, out, xs, p):
    _plain_only(g, "conv2d")
    x, w = xs[0], xs[1]
    stride, padding = p
    n, c, h, wd = x.shape
    kh, kw = w.shape[2], w.shape[3]
    ho, wo = g.shape[2], g.shape[3]
    gp = np.zeros((n, c, h + 2 * padding, wd + 2 * padding), dtype=g.dtype)
    for i in range(kh):          # dL/dx[b, c, i'+i, j'+j] += Σ_o G[b, o, i', j'] w[o, c, i, j]
        for j in range(kw):
            contrib = np.tensordot(g, w[:, :, i, j], axes=([1], [0])).transpose(0, 3, 1, 2)
            gp[:, :, i:i + stride * ho:stride, j:j + stride * wo:stride] += contrib
    return gp[:, :, padding:padding + h, padding:padding + wd]


def _conv2d_vjp_w(g, out, xs, p):
    _plain_only(g, "conv2d")
    x, w = xs[0], xs[1]
    win = _conv_windows(x, w.shape[2], w.shape[3], *p)
    return np.tensordot(g, win, axes=([0, 2, 3], [0, 2, 3]))    # Σ_b,i,j G[b,o,i,j] x[b,c,i+i',j+j']


def _conv2d_vjp_b(g, out, xs, p):
    return g.sum(axis=(0, 2, 3))


CONV2D = _gate("conv2d", "conv2d", -1, _conv2d_fwd, None,
               "y[b,o,i,j] = Σ_c,i',j' w[o,c,i',j'] x[b,c,s·i+i',s·j+j'] + b[o]; "
               "dL/dw = Σ_b,i,j G x-window, dL/dx scatters G·w back to each window",
               parts=(_conv2d_vjp_x, _conv2d_vjp_w, _conv2d_vjp_b))
SUMN = _gate("sumn", "sum", -1, _sumn_fwd, _sumn_vjp, "z = Σ_i x_i; dz/dx_i = 1 (distributor)")
DOT = _gate("dot", "dot", -1, _dot_fwd, _dot_vjp,
            "z = Σ_i w_i x_i (+ b) over parents (w_0..w_n-1, x_0..x_n-1[, b]); "
            "dz/dw_i = x_i, dz/dx_i = w_i, dz/db = 1")


# --------------------------------------------------------------------------
# Tensor gates: linear algebra, reductions, shapes, indexing, softmax family.
# The parameter of a unary gate (axis, shape, index) arrives as ``p``.
# --------------------------------------------------------------------------
def _as_matrices(g, x, y):
    """View 1-D operands as a row (x) or a column (y), as np.matmul does, and
    give ``g`` the matching (batch..., n, m) shape."""
    x2 = x.reshape((1, x.shape[0])) if x.ndim == 1 else x
    y2 = y.reshape((y.shape[0], 1)) if y.ndim == 1 else y
    batch = np.broadcast_shapes(x2.shape[:-2], y2.shape[:-2])
    return g.reshape(batch + (x2.shape[-2], y2.shape[-1])), x2, y2


def _matmul_vjp_x(g, out, x, y):
    if x.ndim == 2 and y.ndim == 2:
        return g @ _swap(y)
    g2, x2, y2 = _as_matrices(g, x, y)
    return sum_to(g2 @ _swap(y2), x2.shape).reshape(x.shape)


def _matmul_vjp_y(g, out, x, y):
    if x.ndim == 2 and y.ndim == 2:
        return _swap(x) @ g
    g2, x2, y2 = _as_matrices(g, x, y)
    return sum_to(_swap(x2) @ g2, y2.shape).reshape(y.shape)


def _sum_fwd(x, p):
    return x.sum(axis=p[0], keepdims=p[1])


def _sum_vjp(g, out, x, p):
    return _expand(g, x.shape, p[0], p[1])


def _mean_fwd(x, p):
    return x.mean(axis=p[0], keepdims=p[1])


def _mean_vjp(g, out, x, p):
    n = x.size // max(out.size, 1)
    return _expand(g, x.shape, p[0], p[1]) * (1.0 / n)


def _amax_fwd(x, p):
    return x.max(axis=p[0], keepdims=p[1])


def _amax_vjp(g, out, x, p):
    axis, keepdims = p
    xd = data_of(x)
    hit = xd == _expand(data_of(out), xd.shape, axis, keepdims)
    share = hit / hit.sum(axis=axis, keepdims=True)   # ties split the gradient evenly
    return _expand(g, x.shape, axis, keepdims) * share.astype(xd.dtype, copy=False)


def _reshape_vjp(g, out, x, p):
    return g.reshape(x.shape)


def _transpose_fwd(x, axes):
    return x.transpose(axes)


def _transpose_vjp(g, out, x, axes):
    return g.transpose(tuple(np.argsort(axes)))


def _broadcast_fwd(x, shape):
    return np.broadcast_to(x, shape)


def _broadcast_vjp(g, out, x, shape):
    return sum_to(g, x.shape)


def _getitem_fwd(x, index):
    return x[index]


def _getitem_vjp(g, out, x, index):
    return index_add(g, index, x.shape)


def _is_basic(index) -> bool:
    """True for an index of ints, slices, None and Ellipsis only: it cannot repeat a position."""
    parts = index if isinstance(index, tuple) else (index,)
    return all(isinstance(i, (int, np.integer, slice)) or i is None or i is Ellipsis for i in parts)


def _index_add_fwd(g, p):
    index, shape = p
    z = np.zeros(shape, dtype=g.dtype if hasattr(g, "dtype") else np.float64)
    if _is_basic(index):
        z[index] = g                 # basic indexing never repeats a position
    else:
        np.add.at(z, index, g)       # integer arrays may: repeated indices add up
    return z


def _index_add_vjp(g, out, x, p):
    return g[p[0]]


def _logsumexp_fwd(x, axis):
    m = x.max(axis=axis, keepdims=True)
    m = np.where(np.isfinite(m), m, 0)
    return np.squeeze(m, axis) + np.log(np.exp(x - m).sum(axis=axis))


def _logsumexp_vjp(g, out, x, axis):
    return _expand(g, x.shape, axis, False) * exp(x - _expand(out, x.shape, axis, False))


def _softmax_fwd(x, axis):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def _softmax_vjp(g, out, x, axis):
    return out * (g - (g * out).sum(axis=axis, keepdims=True))


def _log_softmax_fwd(x, axis):
    s = x - x.max(axis=axis, keepdims=True)
    return s - np.log(np.exp(s).sum(axis=axis, keepdims=True))


def _log_softmax_vjp(g, out, x, axis):
    return g - exp(out) * g.sum(axis=axis, keepdims=True)


class CrossEntropyTarget:
    """Parameter of the fused softmax cross-entropy gate: integer ``labels`` (N,)
    or a target distribution ``t`` (N, C) with its row sums (None when every
    row sums to 1), plus the softmax the forward pass computed, which backward reuses."""

    __slots__ = ("labels", "t", "row_sums", "probs")

    def __init__(self, labels: Optional[np.ndarray] = None, t: Optional[np.ndarray] = None,
                 row_sums: Optional[np.ndarray] = None) -> None:
        self.labels = labels
        self.t = t
        self.row_sums = row_sums
        self.probs: Optional[np.ndarray] = None

    def dense(self, n_classes: int, dtype: Any) -> np.ndarray:
        """The target as an (N, C) array (one-hot rows for labels)."""
        if self.t is None:
            self.t = np.eye(n_classes, dtype=dtype)[self.labels]
        return self.t


def _softmax_ce_fwd(z, p: CrossEntropyTarget):
    n = z.shape[0]
    s = z - z.max(axis=-1, keepdims=True)
    e = np.exp(s)
    se = e.sum(axis=-1, keepdims=True)
    p.probs = e / se
    if p.labels is not None:
        return (np.log(se[:, 0]) - s[np.arange(n), p.labels]).sum() / n
    return -(p.t * (s - np.log(se))).sum() / n


def _softmax_ce_vjp(g, out, z, p: CrossEntropyTarget):
    n = z.shape[0]
    if _is_plain(z):
        d = p.probs                     # used up here: a second backward recomputes it
        p.probs = None
        if d is None:
            d = _softmax_fwd(z, -1)
        if p.row_sums is not None:
            d = d * p.row_sums
        if p.labels is not None:
            d[np.arange(n), p.labels] -= 1
        else:
            d -= p.t
        d *= g * (1.0 / n)
        return d
    probs = z.softmax(axis=-1)                      # on nodes: differentiable again
    if p.row_sums is not None:
        probs = probs * p.row_sums
    return (probs - p.dense(z.shape[1], z.dtype)) * (g * (1.0 / n))


MATMUL = _gate("matmul", "@", 2, np.matmul, None,
               "Z = X @ Y; dL/dX = G @ Y^T, dL/dY = X^T @ G", parts=(_matmul_vjp_x, _matmul_vjp_y))
SUM = _gate("sum", "sum", 1, _sum_fwd, _sum_vjp, "z = Σ x; dz/dx_i = 1 (g broadcast back)")
MEAN = _gate("mean", "mean", 1, _mean_fwd, _mean_vjp, "z = Σ x / n; dz/dx_i = 1/n")
AMAX = _gate("amax", "max", 1, _amax_fwd, _amax_vjp,
             "z = max_i x_i; dz/dx_i = 1 at the arg-max (ties share), else 0")
RESHAPE = _gate("reshape", "reshape", 1, np.reshape, _reshape_vjp, "same numbers, new shape")
TRANSPOSE = _gate("transpose", "transpose", 1, _transpose_fwd, _transpose_vjp,
                  "permute axes; the gradient permutes back")
BROADCAST = _gate("broadcast_to", "broadcast", 1, _broadcast_fwd, _broadcast_vjp,
                  "repeat along broadcast axes; the gradient sums them")
GETITEM = _gate("getitem", "[ ]", 1, _getitem_fwd, _getitem_vjp,
                "z = x[i]; the gradient scatters back to i (repeats add up)")
INDEX_ADD = _gate("index_add", "index_add", 1, _index_add_fwd, _index_add_vjp,
                  "z = zeros, z[i] += x; the gradient gathers g[i]")
LOGSUMEXP = _gate("logsumexp", "logsumexp", 1, _logsumexp_fwd, _logsumexp_vjp,
                  "z = m + ln Σ e^(x-m), m = max x; dz/dx = softargmax(x)")
SOFTMAX = _gate("softmax", "softmax", 1, _softmax_fwd, _softmax_vjp,
                "p = e^x / Σ e^x; dL/dx = p (g - Σ g p)  (p_i(δ_ij - p_j) applied to g)")
SOFTMAX_CE = _gate("softmax_cross_entropy", "softmax CE", 1, _softmax_ce_fwd, _softmax_ce_vjp,
                   "L = -(1/N) Σ_n Σ_c t_nc ln softargmax(z_n)_c; dL/dz = (softargmax(z) - t)/N "
                   "(t rows summing to 1), computed shifted by the max: finite for any finite logits")
LOG_SOFTMAX = _gate("log_softmax", "log_softmax", 1, _log_softmax_fwd, _log_softmax_vjp,
                    "z = x - logsumexp(x); dL/dx = g - softargmax(x) Σ g")
