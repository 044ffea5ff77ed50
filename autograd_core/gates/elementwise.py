"""Elementwise gates, shared by ``Value`` (float fast paths, ``sfwd``) and
``Tensor`` (numpy, ``fwd``), and the variadic scalar gates ``sumn`` and ``dot``."""
from __future__ import annotations

import math
import operator
from itertools import islice, repeat

import numpy as np

from .core import _gate, _is_plain, data_of, log

_data = operator.attrgetter("data")


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
    return 0.0 if x <= 0.0 else x           # NaN is not <= 0: it passes through, as in numpy


def _fpow(x: float, e: float) -> float:
    """x ** e for floats as IEEE (and numpy, and PyTorch) define it: 0 ** -1 = inf,
    (-8) ** (1/3) = nan, never a complex number or an exception."""
    try:
        return math.pow(x, e)
    except (ValueError, ZeroDivisionError, OverflowError):
        with np.errstate(all="ignore"):
            return float(np.power(x, e))


def _spow(x: float, p: float) -> float:
    """A Value's x ** p: as ``_fpow``, except that a negative base with a
    fractional exponent, which has no real value, is an error."""
    if x < 0.0 and p != int(p):
        raise ValueError(f"pow: {x!r} ** {p!r} is not a real number")
    return _fpow(x, p)


def _plain_pow(x, e):
    """x ** e for floats or arrays, IEEE style and without numpy's warnings."""
    if type(x) is float and type(e) is float:
        return _fpow(x, e)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        return np.power(x, e)


def _plain_log(x):
    """ln x for floats or arrays: -inf at 0, nan below, no warning or exception."""
    if type(x) is float:
        return math.log(x) if x > 0.0 else (-math.inf if x == 0.0 else math.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.log(x)


def _smax(x: float, y: float) -> float:
    return x if (x >= y or x != x) else y   # x != x: a NaN propagates, as in numpy


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
    # PyTorch's rule at the edges: dz/dx = 0 where y = 0 (even at x = 0), and
    # dz/dy = 0 where x = 0 and y >= 0 (0^y is flat in y there), not 0 * inf.
    if not (_is_plain(x) and _is_plain(y)):          # on nodes (create_graph): the plain formula
        return g * y * x ** (y - 1), g * out * log(x)
    if type(x) is float and type(y) is float:
        gx = 0.0 if y == 0.0 else g * y * _fpow(x, y - 1.0)
        gy = 0.0 if (x == 0.0 and y >= 0.0) else g * out * _plain_log(x)
        return gx, gy
    with np.errstate(invalid="ignore", over="ignore"):
        gx = np.where(y == 0, 0.0, g * y * _plain_pow(x, y - 1))
        gy = np.where((x == 0) & (y >= 0), 0.0, g * out * _plain_log(x))
    return gx, gy


def _powc_vjp(g, out, x, p):
    if p == 0:                                       # x^0 = 1 everywhere: flat, also at x = 0
        return g * 0.0 if not _is_plain(x) else (0.0 if type(x) is float else np.zeros_like(x))
    if _is_plain(x):
        return g * (p * _plain_pow(x, p - 1))        # 0 ** -0.5 = inf, as PyTorch
    return g * p * x ** (p - 1)


# -- gates with a number folded in (seed 002's f_a(x) = a x and f_c(x) = c + x) --
def _scale_vjp(g, out, x, a):
    return g * a


def _shift_vjp(g, out, x, c):
    return g


def _rsubc_vjp(g, out, x, c):
    return -g


def _divc_vjp(g, out, x, c):
    return g / c


def _rdivc_vjp(g, out, x, c):
    return -g * out / x


def _rpowc_vjp(g, out, x, c):
    if not _is_plain(x):
        return g * out * _plain_log(float(c))
    with np.errstate(invalid="ignore"):
        share = g * out * _plain_log(float(c))
    if c == 0:                                       # 0^x is flat for x >= 0: 0, not 0 * -inf
        return (0.0 if x >= 0 else share) if type(x) is float else np.where(x >= 0, 0.0, share)
    return share


def _rsub(x, c):
    return c - x


def _rdiv(x, c):
    return c / x


def _rpow(x, c):
    return c ** x


def _srpow(x: float, c: float) -> float:
    return _spow(c, x)


def _rsub_inplace(x, c, out):
    return np.subtract(c, x, out=out)


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


# the signed integer of each float's width: its bits, to keep or clear in one AND
_BITS = {np.dtype(f): np.dtype(i) for f, i in ((np.float16, np.int16), (np.float32, np.int32), (np.float64, np.int64))}


def _select(g: np.ndarray, keep: np.ndarray, into_g: bool) -> np.ndarray:
    """``g`` where ``keep``, +0.0 elsewhere: a select, as PyTorch's ReLU
    backward (an inf or nan where ``keep`` is off gives 0, never inf * 0 = nan;
    a negative g gives +0.0, not -0.0). Done as g's bits AND-ed with a mask of
    all ones or all zeros, which costs what ``g * keep`` does; written into
    ``g`` itself when ``into_g``."""
    bits = _BITS.get(g.dtype)
    if bits is None or g.shape != keep.shape or not g.ndim:    # long double, broadcast or 0-d: numpy's select
        share = np.where(keep, g, g.dtype.type(0))
        if into_g:
            g[...] = share
            return g
        return share
    mask = keep.astype(bits)
    np.negative(mask, out=mask)                    # True -> -1, all ones; False -> 0
    if into_g:
        g.view(bits).__iand__(mask)
        return g
    np.bitwise_and(g.view(bits), mask, out=mask)
    return mask.view(g.dtype)


def _relu_vjp(g, out, x, p):
    # the mask is read off the output (out > 0 exactly where x > 0), so the
    # input's buffer is free to be reused
    if type(g) is float:           # a Value: select, as the backward loop does (inf * 0 would be nan)
        return g if out > 0.0 else 0.0
    if type(g) is np.ndarray:
        return _select(g, out > 0, False)
    return g * (data_of(out) > 0) + 0.0    # on nodes (create_graph): differentiable again


def _relu_vjp_inplace(g, out, x, p):
    return _select(g, out > 0, True)


def _relu_inplace(x, out):
    return np.maximum(x, 0, out=out)


def _max_vjp(g, out, x, y):
    # PyTorch's rule for maximum: the larger input takes the gradient, a tie splits it in half
    xd = data_of(x)
    yd = data_of(y)
    if type(xd) is float and type(yd) is float:
        w = 1.0 if xd > yd else (0.5 if xd == yd else 0.0)
        return g * w, g * (1.0 - w)
    w = ((xd > yd) + 0.5 * (xd == yd)).astype(data_of(out).dtype, copy=False)
    return g * w, g * (1 - w)


CONST = _gate("const", "const", 0, None, None, "c: a number lifted into the graph; no gradient")


ADD = _gate("add", "+", 2, operator.add, _add_vjp, "z = x + y; dz/dx = 1, dz/dy = 1 (gradient distributor)",
            needs_out=False, inplace=np.add)


SUB = _gate("sub", "-", 2, operator.sub, _sub_vjp, "z = x - y; dz/dx = 1, dz/dy = -1",
            needs_out=False, inplace=np.subtract)


MUL = _gate("mul", "*", 2, operator.mul, _mul_vjp, "z = x * y; dz/dx = y, dz/dy = x (swap multiplier)",
            needs_out=False)


DIV = _gate("div", "/", 2, operator.truediv, _div_vjp, "z = x / y; dz/dx = 1/y, dz/dy = -x/y^2 = -z/y")


POW = _gate("pow", "**", 2, operator.pow, _pow_vjp, "z = x^y; dz/dx = y x^(y-1), dz/dy = z ln x",
            sfwd=_spow)


POWC = _gate("powc", "**", 1, operator.pow, _powc_vjp, "z = x^p (p a number); dz/dx = p x^(p-1)",
             sfwd=_spow)


SCALE = _gate("scale", "*", 1, operator.mul, _scale_vjp, "z = a x (a a number); dz/dx = a",
              needs_out=False, inplace=np.multiply)


SHIFT = _gate("shift", "+", 1, operator.add, _shift_vjp, "z = x + c (c a number); dz/dx = 1",
              needs_out=False, inplace=np.add)


SUBC = _gate("subc", "-", 1, operator.sub, _shift_vjp, "z = x - c (c a number); dz/dx = 1",
             needs_out=False, inplace=np.subtract)


RSUBC = _gate("rsubc", "-", 1, _rsub, _rsubc_vjp, "z = c - x (c a number); dz/dx = -1",
              needs_out=False, inplace=_rsub_inplace)


DIVC = _gate("divc", "/", 1, operator.truediv, _divc_vjp, "z = x / c (c a number); dz/dx = 1/c",
             needs_out=False, inplace=np.divide)


RDIVC = _gate("rdivc", "/", 1, _rdiv, _rdivc_vjp, "z = c / x (c a number); dz/dx = -c/x^2 = -z/x")


RPOWC = _gate("rpowc", "**", 1, _rpow, _rpowc_vjp, "z = c^x (c a number); dz/dx = z ln c", sfwd=_srpow)


NEG = _gate("neg", "-", 1, np.negative, _neg_vjp, "z = -x; dz/dx = -1",
            sfwd=operator.neg, needs_out=False, inplace=np.negative)


EXP = _gate("exp", "exp", 1, np.exp, _exp_vjp, "z = e^x; dz/dx = e^x = z", sfwd=_sexp)


LOG = _gate("log", "log", 1, np.log, _log_vjp, "z = ln x; dz/dx = 1/x", sfwd=_slog)


TANH = _gate("tanh", "tanh", 1, np.tanh, _tanh_vjp, "z = tanh x; dz/dx = 1 - z^2", sfwd=math.tanh)


SIGMOID = _gate("sigmoid", "sigmoid", 1, _asigmoid, _sigmoid_vjp,
                "z = 1/(1+e^-x); dz/dx = z (1 - z)", sfwd=_ssigmoid)


RELU = _gate("relu", "relu", 1, lambda x: np.maximum(x, 0), _relu_vjp,
             "z = max(0, x); dz/dx = 1 if x > 0 else 0", sfwd=_srelu, inplace=_relu_inplace,
             vjp_inplace=_relu_vjp_inplace)


MAX = _gate("max", "max", 2, np.maximum, _max_vjp,
            "z = max(x, y); the gradient goes to the larger input, a tie splits it: gradient router",
            sfwd=_smax)


def _sumn_fwd(xs, p=None):
    return sum(xs[1:], xs[0])


def _sumn_vjp(g, out, xs, p):
    return [g] * len(xs)


def _dot_fwd(ws: tuple, xs: list) -> float:
    """Σ_i w_i x_i (+ b), read straight off the weight nodes ``ws`` (w_0..w_n-1
    and, when one longer than ``xs``, a bias b: their ``.data``) with the
    inputs' data ``xs``, copying no list (``Value._dots`` runs it for every
    neuron of a layer)."""
    z = sum(map(operator.mul, map(_data, ws), xs))
    return z + ws[-1].data if len(ws) > len(xs) else z


def dot_weight_shares(g, ws, xs) -> list:
    """The dot gate's shares for its weights (and bias): g x_i (and g)."""
    gw = list(map(operator.mul, repeat(g, len(xs)), xs))        # dz/dw_i = x_i
    if len(ws) > len(xs):
        gw.append(g)                                             # dz/db = 1
    return gw


def dot_input_shares(g, ws, xs) -> list:
    """The dot gate's shares for its inputs: g w_i."""
    return list(map(operator.mul, repeat(g, len(xs)), ws))      # dz/dx_i = w_i


def dot_shares_summed(gs: list, others: list, n_inputs: int, with_bias: bool) -> list:
    """The dot rule for every node that shares one parent tuple, summed: the
    nodes' upstream gradients ``gs`` and the data of their other tuple
    (``others``: inputs when the shared tuple holds weights, weights when it
    holds inputs). Member i gets Σ_k g_k other_k[i]; a bias gets Σ_k g_k."""
    shares = [sum(map(operator.mul, gs, column))                # a weight tuple's bias column: no input
              for column in islice(zip(*others), n_inputs)]
    if with_bias:
        shares.append(sum(gs))
    return shares


def _dot_vjp(g, out, ws, xs):
    return dot_weight_shares(g, ws, xs) + dot_input_shares(g, ws, xs)


SUMN = _gate("sumn", "sum", -1, _sumn_fwd, _sumn_vjp, "z = Σ_i x_i; dz/dx_i = 1 (distributor)")


DOT = _gate("dot", "dot", -2, _dot_fwd, _dot_vjp,
            "z = Σ_i w_i x_i (+ b), parents (w_0..w_n-1[, b]) and (x_0..x_n-1); "
            "dz/dw_i = x_i, dz/dx_i = w_i, dz/db = 1")


def _dot_then(act):
    """The gate ``act(Σ_i w_i x_i + b)``: a whole neuron as one node. Its rules
    are the two gates' own, composed: ``act``'s backward (which reads only the
    output, as relu's, tanh's and sigmoid's do) turns the upstream gradient
    into the dot's, then the dot rule shares it out."""
    f, act_vjp = act.sfwd, act.vjp

    def fwd(ws, xs):
        return f(_dot_fwd(ws, xs))

    def vjp(g, out, ws, xs):
        return _dot_vjp(act_vjp(g, out, None, None), out, ws, xs)

    return _gate(f"dot_{act.name}", f"{act.symbol}(dot)", -2, fwd, vjp,
                 f"z = {act.name}(Σ_i w_i x_i (+ b)), a neuron; the upstream gradient passes {act.name}'s rule "
                 f"({act.formula.split('; ', 1)[-1]}), then dot's: dz/dw_i = x_i, dz/dx_i = w_i, dz/db = 1")


# The dot gate with each activation a neuron may have folded in (``Value.dot(...,
# activation=)``), and the reverse map the backward loop reads: gate -> activation gate.
_NEURON_ACTIVATIONS = {act.name: act for act in (RELU, TANH, SIGMOID)}
DOT_WITH = {None: DOT, **{name: _dot_then(act) for name, act in _NEURON_ACTIVATIONS.items()}}
DOT_ACTIVATION = {gate: _NEURON_ACTIVATIONS.get(name) for name, gate in DOT_WITH.items()}
