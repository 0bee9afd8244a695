"""autograd_lite: a readable reverse-mode automatic-differentiation engine on numpy.

>>> import autograd_lite as al
>>> z = al.tensor([1.0, 2.0, 3.0], requires_grad=True)
>>> loss = al.cross_entropy(z, 2)
>>> loss.backward()
>>> z.grad.round(3)  # softmax(z) - onehot(2)
array([ 0.09 ,  0.245, -0.335])
"""

from __future__ import annotations

from importlib import metadata as _metadata

from .anomaly import AnomalyError, detect_anomaly
from .explorer import explore
from .functional import grad, hessian, jacobian, jvp, value_and_grad, vjp
from .gradcheck import GradcheckError, gradcheck, gradgradcheck
from .jacobians import check_local, local_jacobian
from .ops import abs_ as abs
from .ops import (
    add,
    add_at,
    arccos,
    arccosh,
    arcsin,
    arcsinh,
    arctan,
    arctan2,
    arctanh,
    astype,
    average,
    broadcast_to,
    cbrt,
    ceil,
    clip,
    copysign,
    cos,
    cosh,
    cross_entropy,
    cumsum,
    deg2rad,
    divide,
    exp,
    exp2,
    expand_dims,
    expm1,
    floor,
    floor_divide,
    fmax,
    fmin,
    fmod,
    getitem,
    heaviside,
    hypot,
    linear,
    log,
    log1p,
    log2,
    log10,
    log_softmax,
    logaddexp,
    logaddexp2,
    logsumexp,
    matmul,
    maximum,
    mean,
    minimum,
    mod,
    multiply,
    nanmean,
    nansum,
    negative,
    power,
    ptp,
    rad2deg,
    reciprocal,
    relu,
    reshape,
    sigmoid,
    sign,
    sin,
    sinh,
    softmax,
    sqrt,
    square,
    squeeze,
    std,
    subtract,
    tan,
    tanh,
    transpose,
    trunc,
    var,
    where,
    xlogy,
)
from .ops import concatenate_list as concatenate
from .ops import max_ as max
from .ops import min_ as min
from .ops import mod as remainder
from .ops import numpy_sort as sort
from .ops import round_ as round
from .ops import stack_list as stack
from .ops import sum_ as sum
from .ops.contraction import dot, inner, kron, outer, tensordot, vdot
from .ops.contraction import numpy_cross as cross
from .ops.contraction import numpy_einsum as einsum
from .ops.creation import (
    arange,
    eye,
    full,
    full_like,
    linspace,
    ones,
    ones_like,
    rand,
    randn,
    zeros,
    zeros_like,
)
from .ops.order import median, partition, percentile, quantile
from .ops.prod import cumprod, prod
from .ops.replacing import index_add, put_along_axis
from .ops.replacing import numpy_nan_to_num as nan_to_num
from .ops.special import erf
from .ops.trigonometric import sinc
from .registry import Op, get_op, list_ops, register, unregister
from .stability import NumericalStabilityWarning
from .switches import enable_grad, is_grad_enabled, no_grad, set_grad_enabled
from .tensor import Tensor, tensor
from .trace import BackwardTrace, trace_backward
from .viz import draw_graph, graph_to_json

try:
    __version__ = _metadata.version("autograd-lite")  # the one source: pyproject.toml's version
except _metadata.PackageNotFoundError:  # imported from a source tree that was never installed
    __version__ = "0+unknown"

# isort: off
from . import data, linalg, nn, optim  # these build on the engine above, so they come last
# isort: on


__all__ = [
    "__version__",
    "data",
    "linalg",
    "nn",
    "optim",
    "check_local",
    "local_jacobian",
    "BackwardTrace",
    "trace_backward",
    "NumericalStabilityWarning",
    "AnomalyError",
    "detect_anomaly",
    "GradcheckError",
    "gradcheck",
    "gradgradcheck",
    "grad",
    "hessian",
    "jacobian",
    "jvp",
    "value_and_grad",
    "vjp",
    "Op",
    "Tensor",
    "abs",
    "add",
    "add_at",
    "astype",
    "broadcast_to",
    "clip",
    "concatenate",
    "cross_entropy",
    "divide",
    "draw_graph",
    "explore",
    "enable_grad",
    "exp",
    "expand_dims",
    "get_op",
    "getitem",
    "graph_to_json",
    "linear",
    "is_grad_enabled",
    "list_ops",
    "log",
    "log_softmax",
    "logsumexp",
    "matmul",
    "max",
    "maximum",
    "mean",
    "min",
    "minimum",
    "multiply",
    "negative",
    "no_grad",
    "power",
    "register",
    "relu",
    "reshape",
    "set_grad_enabled",
    "sigmoid",
    "sign",
    "softmax",
    "sqrt",
    "squeeze",
    "stack",
    "subtract",
    "sum",
    "tanh",
    "sin",
    "cos",
    "tan",
    "arcsin",
    "arccos",
    "arctan",
    "sinh",
    "cosh",
    "arcsinh",
    "arccosh",
    "arctanh",
    "exp2",
    "expm1",
    "log2",
    "log10",
    "log1p",
    "square",
    "reciprocal",
    "cbrt",
    "ceil",
    "floor",
    "trunc",
    "deg2rad",
    "rad2deg",
    "round",
    "average",
    "nansum",
    "nanmean",
    "cumsum",
    "ptp",
    "std",
    "var",
    "remainder",
    "arctan2",
    "copysign",
    "floor_divide",
    "fmax",
    "fmin",
    "fmod",
    "heaviside",
    "hypot",
    "logaddexp",
    "logaddexp2",
    "xlogy",
    "mod",
    "cross",
    "dot",
    "einsum",
    "inner",
    "kron",
    "outer",
    "tensordot",
    "vdot",
    "cumprod",
    "median",
    "partition",
    "percentile",
    "prod",
    "quantile",
    "sort",
    "index_add",
    "nan_to_num",
    "put_along_axis",
    "sinc",
    "erf",
    "arange",
    "eye",
    "full",
    "full_like",
    "linspace",
    "ones",
    "ones_like",
    "rand",
    "randn",
    "zeros",
    "zeros_like",
    "tensor",
    "transpose",
    "unregister",
    "where",
]
