"""Activation gates with a parameter or a kink, shared by ``Value`` (float
paths, ``sfwd``) and ``Tensor`` (numpy, ``fwd``). At a kink each takes the
derivative PyTorch takes, so a zero-initialised model steps the same way:
leaky_relu'(0) = slope, elu'(0) = alpha."""
from __future__ import annotations

import math

import numpy as np

from .core import _gate, data_of


def _leaky_fwd(x, slope):
    return np.where(x > 0, x, x * slope)


def _sleaky(x: float, slope: float) -> float:
    return x if x > 0.0 else x * slope


def _leaky_vjp(g, out, x, slope):
    xd = data_of(x)
    if type(xd) is float:
        return g * (1.0 if xd > 0.0 else slope)
    return g * np.where(xd > 0, 1.0, slope).astype(xd.dtype, copy=False)


LEAKY_RELU = _gate("leaky_relu", "leaky_relu", 1, _leaky_fwd, _leaky_vjp,
                   "z = x if x > 0 else s x; dz/dx = 1 if x > 0 else s (s at 0, as PyTorch)", sfwd=_sleaky)


def _elu_fwd(x, alpha):
    with np.errstate(over="ignore"):
        return np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0)))


def _selu(x: float, alpha: float) -> float:
    return x if x > 0.0 else alpha * math.expm1(x)


def _elu_vjp(g, out, x, alpha):
    # for x <= 0, d/dx alpha (e^x - 1) = alpha e^x = z + alpha; at x = 0 that is alpha
    xd = data_of(x)
    if type(xd) is float and type(out) is float:
        return g * (1.0 if xd > 0.0 else out + alpha)
    if type(out) is np.ndarray:
        return g * np.where(xd > 0, 1.0, out + alpha).astype(xd.dtype, copy=False)
    above = (1.0 if xd > 0.0 else 0.0) if type(xd) is float else (xd > 0).astype(xd.dtype)
    # on nodes: z + a stays differentiable
    return g * ((out + alpha) * (1.0 - above) + above)


ELU = _gate("elu", "elu", 1, _elu_fwd, _elu_vjp,
            "z = x if x > 0 else a (e^x - 1); dz/dx = 1 if x > 0 else z + a (a at 0, as PyTorch)", sfwd=_selu)


def _softplus_fwd(x, p=None):
    return np.logaddexp(0, x)                        # ln(1 + e^x), finite for every finite x


def _ssoftplus(x: float, p=None) -> float:
    return x + math.log1p(math.exp(-x)) if x > 0.0 else math.log1p(math.exp(x))


def _softplus_vjp(g, out, x, p):
    if type(x) is float:
        return g * (1.0 / (1.0 + math.exp(-x)) if x >= 0.0 else math.exp(x) / (1.0 + math.exp(x)))
    if type(x) is np.ndarray:
        return g * np.exp(-np.logaddexp(0, -x)).astype(x.dtype, copy=False)   # sigmoid(x), stable
    return g * x.sigmoid()                          # on nodes: differentiable again


SOFTPLUS = _gate("softplus", "softplus", 1, _softplus_fwd, _softplus_vjp,
                 "z = ln(1 + e^x); dz/dx = sigmoid(x)", sfwd=_ssoftplus)


_SQRT_2PI = math.sqrt(2.0 * math.pi)
_erf = np.frompyfunc(math.erf, 1, 1)


def _phi_cdf(x):
    """Φ(x) = (1 + erf(x/√2)) / 2 for a float or an array (math.erf element by element:
    numpy has no erf, and an approximation would not be exact to float64)."""
    if type(x) is float:
        return 0.5 * (1.0 + math.erf(x / math.sqrt(2.0)))
    return 0.5 * (1.0 + np.asarray(_erf(x / math.sqrt(2.0)), dtype=x.dtype))


def _gelu_fwd(x, approximate="none"):
    if approximate == "tanh":
        inner = math.sqrt(2.0 / math.pi) * (x + 0.044715 * x ** 3)
        return 0.5 * x * (1.0 + (math.tanh(inner) if type(x) is float else np.tanh(inner)))
    return x * _phi_cdf(x)


def _gelu_vjp(g, out, x, approximate="none"):
    xd = data_of(x)
    if approximate == "tanh":
        c = math.sqrt(2.0 / math.pi)
        inner = c * (xd + 0.044715 * xd ** 3)
        t = math.tanh(inner) if type(xd) is float else np.tanh(inner)
        d = 0.5 * (1.0 + t) + 0.5 * xd * (1.0 - t * t) * c * (1.0 + 3 * 0.044715 * xd * xd)
    else:
        pdf = (math.exp(-0.5 * xd * xd) if type(xd) is float else np.exp(-0.5 * xd * xd)) / _SQRT_2PI
        d = _phi_cdf(xd) + xd * pdf
    return g * d


GELU = _gate("gelu", "gelu", 1, _gelu_fwd, _gelu_vjp,
             "z = x Φ(x) (Φ the normal CDF; 'tanh' approximates it); dz/dx = Φ(x) + x φ(x)")


def _sigmoid_plain(x):
    if type(x) is float:
        return 1.0 / (1.0 + math.exp(-x)) if x >= 0.0 else math.exp(x) / (1.0 + math.exp(x))
    return np.exp(-np.logaddexp(0, -x)).astype(x.dtype, copy=False)


def _silu_fwd(x, p=None):
    return x * _sigmoid_plain(x)


def _silu_vjp(g, out, x, p):
    if not (type(x) is float or type(x) is np.ndarray):
        s = x.sigmoid()                               # on nodes: differentiable again
        return g * (s * (1.0 + x * (1.0 - s)))
    s = _sigmoid_plain(x)
    return g * (s * (1.0 + x * (1.0 - s)))


SILU = _gate("silu", "silu", 1, _silu_fwd, _silu_vjp,
             "z = x sigmoid(x); dz/dx = s (1 + x (1 - s)), s = sigmoid(x)")
