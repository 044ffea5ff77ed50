"""Activation gates with a parameter or a kink, shared by ``Value`` (float
paths, ``sfwd``) and ``Tensor`` (numpy, ``fwd``). At a kink each takes the
derivative PyTorch takes, so a zero-initialised model steps the same way:
leaky_relu'(0) = slope, elu'(0) = alpha."""
from __future__ import annotations

import math

import numpy as np

from .core import _gate, _unary_any, data_of, exp
from .elementwise import SIGMOID, TANH


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
    return g * _unary_any(SIGMOID, x)


SOFTPLUS = _gate("softplus", "softplus", 1, _softplus_fwd, _softplus_vjp,
                 "z = ln(1 + e^x); dz/dx = sigmoid(x)", sfwd=_ssoftplus)


_SQRT_2PI = math.sqrt(2.0 * math.pi)
_erf = np.frompyfunc(math.erf, 1, 1)


def _phi_cdf(x, p=None):
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


def _normal_pdf(x):
    """φ(x) = e^(-x²/2)/√(2π), for a float, an array or a node."""
    return exp(-0.5 * x * x) * (1.0 / _SQRT_2PI)


def _normal_cdf_vjp(g, out, x, p):
    return g * _normal_pdf(x)


# Φ as a gate of its own, so that GELU's derivative (which contains Φ) is a graph
# under create_graph and can be differentiated again
NORMAL_CDF = _gate("normal_cdf", "Φ", 1, _phi_cdf, _normal_cdf_vjp,
                   "z = Φ(x) = (1 + erf(x/√2))/2; dz/dx = φ(x) = e^(-x²/2)/√(2π)", sfwd=_phi_cdf)


def _gelu_vjp(g, out, x, approximate="none"):
    # written once for floats, arrays and nodes (create_graph: differentiable again)
    if approximate == "tanh":
        c = math.sqrt(2.0 / math.pi)
        t = _unary_any(TANH, c * (x + 0.044715 * x * x * x))
        return g * (0.5 * (1.0 + t) + 0.5 * x * (1.0 - t * t) * c * (1.0 + 3 * 0.044715 * x * x))
    return g * (_unary_any(NORMAL_CDF, x) + x * _normal_pdf(x))


GELU = _gate("gelu", "gelu", 1, _gelu_fwd, _gelu_vjp,
             "z = x Φ(x) (Φ the normal CDF; 'tanh' approximates it); dz/dx = Φ(x) + x φ(x)")


def _silu_fwd(x, p=None):
    return x * _unary_any(SIGMOID, x)


def _silu_vjp(g, out, x, p):
    s = _unary_any(SIGMOID, x)
    return g * (s * (1.0 + x * (1.0 - s)))


SILU = _gate("silu", "silu", 1, _silu_fwd, _silu_vjp,
             "z = x sigmoid(x); dz/dx = s (1 + x (1 - s)), s = sigmoid(x)")
