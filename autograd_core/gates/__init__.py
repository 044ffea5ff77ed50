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
from .arrays import (BROADCAST, CAST, CONCAT, FLIP, GETITEM, INDEX_ADD, LOG_SOFTMAX, MATMUL, RESHAPE, SOFTMAX, STACK,
                     TRANSPOSE, index_add)
from .reductions import AMAX, AMIN, CUMSUM, LOGSUMEXP, MEAN, PROD, SUM
from .activations import ELU, GELU, LEAKY_RELU, SILU, SOFTPLUS
from .core import GATES, Gate, define_gate, _is_plain, broadcast_to, data_of, exp, log, sum_to  # noqa: F401
from .elementwise import (ADD, CONST, DIV, DIVC, DOT, DOT_ACTIVATION, DOT_WITH, EXP, LOG, MAX, MUL, NEG, POW, POWC,
                          RDIVC, RELU, RPOWC, RSUBC, SCALE, SHIFT, SIGMOID, SUB, SUBC, SUMN, TANH, dot_input_shares,
                          dot_shares_summed, dot_weight_shares)
from .math import ABS, CLAMP, COS, EXPM1, LOG1P, MIN, SIGN, SIN, SQRT, WHERE
from .layers import BCE, CONV2D, CONV_TRANSPOSE2D, LINEAR, SOFTMAX_CE, CrossEntropyTarget

__all__ = ["Gate", "GATES", "define_gate", "CrossEntropyTarget", "exp", "log", "data_of", "broadcast_to", "sum_to",
           "dot_weight_shares", "dot_input_shares", "dot_shares_summed",
           "index_add", "CONST", "ADD", "SUB", "MUL", "DIV", "POW", "POWC", "SCALE", "SHIFT", "SUBC", "RSUBC",
           "DIVC", "RDIVC", "RPOWC", "NEG", "EXP", "LOG", "TANH",
           "SIGMOID", "RELU", "MAX", "LEAKY_RELU", "ELU", "SOFTPLUS", "GELU", "SILU",
           "ABS", "SQRT", "SIN", "COS", "LOG1P", "EXPM1", "SIGN", "CLAMP", "MIN", "WHERE", "SUMN", "DOT", "DOT_WITH", "DOT_ACTIVATION", "MATMUL", "SUM", "MEAN", "AMAX", "RESHAPE", "TRANSPOSE",
           "BROADCAST", "GETITEM", "INDEX_ADD", "STACK", "CONCAT", "LOGSUMEXP", "SOFTMAX", "LOG_SOFTMAX",
           "LINEAR", "CONV2D", "CONV_TRANSPOSE2D", "SOFTMAX_CE", "BCE", "CAST", "AMIN", "PROD", "CUMSUM", "FLIP"]
