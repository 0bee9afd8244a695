"""The built-in ops, one module per family, and the numpy functions that dispatch to them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .activation import cross_entropy, log_softmax, softmax
from .arrangement import ARRANGEMENTS
from .elementwise import (
    abs_,
    add,
    astype,
    clip,
    divide,
    exp,
    log,
    maximum,
    minimum,
    multiply,
    negative,
    power,
    relu,
    sigmoid,
    sign,
    sqrt,
    subtract,
    tanh,
    where,
)
from .linalg import linear, matmul
from .logs_and_powers import (
    cbrt,
    exp2,
    expm1,
    log1p,
    log2,
    log10,
    reciprocal,
    square,
)
from .reduce import logsumexp, max_, mean, min_, sum_
from .rounding import ceil, floor, round_, trunc
from .shape import (
    add_at,
    broadcast_to,
    concatenate,
    expand_dims,
    getitem,
    reshape,
    squeeze,
    stack,
    transpose,
)
from .statistics import average, cumsum, nanmean, nansum, ptp, std, var
from .trigonometric import (
    arccos,
    arccosh,
    arcsin,
    arcsinh,
    arctan,
    arctanh,
    cos,
    cosh,
    deg2rad,
    rad2deg,
    sin,
    sinh,
    tan,
)
from .two_inputs import (
    arctan2,
    copysign,
    floor_divide,
    fmax,
    fmin,
    fmod,
    heaviside,
    hypot,
    logaddexp,
    logaddexp2,
    mod,
)


def concatenate_list(tensors: Any, axis: int = 0) -> Any:
    """Join tensors along an existing axis, as ``np.concatenate`` (which takes a list).

    >>> import autograd_lite as al
    >>> al.concatenate([al.tensor([1.0]), al.tensor([2.0, 3.0])]).shape
    (3,)
    """
    return concatenate(*tensors, axis=axis)


def stack_list(tensors: Any, axis: int = 0) -> Any:
    """Join tensors of one shape along a new axis, as ``np.stack`` (which takes a list).

    >>> import autograd_lite as al
    >>> al.stack([al.tensor([1.0, 2.0]), al.tensor([3.0, 4.0])]).shape
    (2, 2)
    """
    return stack(*tensors, axis=axis)


def _reshape(a: Any, shape: Any = None, order: str = "C", **kwargs: Any) -> Any:
    shape = kwargs.pop("newshape", shape)
    if order != "C" or kwargs:
        raise TypeError("reshape of a Tensor supports only order='C'")
    return reshape(a, shape=shape)


def _average(
    a: Any, axis: Any = None, weights: Any = None, returned: bool = False, **kw: Any
) -> Any:
    """``np.average`` on Tensors: the mean without weights, else the op ``average``."""
    if returned:
        raise TypeError(
            "np.average(..., returned=True) is not supported on Tensors; take the sum of "
            "the weights separately (al.sum(weights, axis=axis))"
        )
    return mean(a, axis=axis, **kw) if weights is None else average(a, weights, axis=axis, **kw)


# numpy ufuncs and functions that, given a Tensor, run the registered op instead
# (NEP 13 and NEP 18). This is what lets gradient rules written in plain numpy record
# a graph when they are handed Tensors.
NUMPY_TO_OP: dict[Any, Callable[..., Any]] = {
    np.add: add,
    np.subtract: subtract,
    np.multiply: multiply,
    np.divide: divide,
    np.negative: negative,
    np.power: power,
    np.matmul: matmul,
    np.exp: exp,
    np.log: log,
    np.sqrt: sqrt,
    np.tanh: tanh,
    np.sin: sin,
    np.cos: cos,
    np.tan: tan,
    np.arcsin: arcsin,
    np.arccos: arccos,
    np.arctan: arctan,
    np.sinh: sinh,
    np.cosh: cosh,
    np.arcsinh: arcsinh,
    np.arccosh: arccosh,
    np.arctanh: arctanh,
    np.exp2: exp2,
    np.expm1: expm1,
    np.log2: log2,
    np.log10: log10,
    np.log1p: log1p,
    np.square: square,
    np.reciprocal: reciprocal,
    np.cbrt: cbrt,
    np.floor: floor,
    np.ceil: ceil,
    np.trunc: trunc,
    np.round: round_,
    np.around: round_,
    np.rint: round_,
    np.deg2rad: deg2rad,
    np.radians: deg2rad,
    np.rad2deg: rad2deg,
    np.arctan2: arctan2,
    np.copysign: copysign,
    np.floor_divide: floor_divide,
    np.fmax: fmax,
    np.fmin: fmin,
    np.fmod: fmod,
    np.heaviside: heaviside,
    np.hypot: hypot,
    np.logaddexp: logaddexp,
    np.logaddexp2: logaddexp2,
    np.mod: mod,
    np.cumsum: cumsum,
    np.ptp: ptp,
    np.std: std,
    np.var: var,
    np.nansum: nansum,
    np.nanmean: nanmean,
    np.average: _average,
    np.degrees: rad2deg,
    np.absolute: abs_,
    np.sign: sign,
    np.maximum: maximum,
    np.minimum: minimum,
    np.where: where,
    np.clip: clip,
    np.sum: sum_,
    np.mean: mean,
    np.max: max_,
    np.min: min_,
    np.reshape: _reshape,
    np.transpose: transpose,
    np.broadcast_to: broadcast_to,
    np.expand_dims: expand_dims,
    np.squeeze: squeeze,
    np.concatenate: concatenate_list,
    np.stack: stack_list,
    **ARRANGEMENTS,
}

__all__ = [
    "NUMPY_TO_OP",
    "abs_",
    "add",
    "add_at",
    "arccos",
    "arccosh",
    "arcsin",
    "arcsinh",
    "arctan",
    "arctan2",
    "arctanh",
    "astype",
    "average",
    "broadcast_to",
    "cbrt",
    "ceil",
    "clip",
    "concatenate",
    "concatenate_list",
    "copysign",
    "cos",
    "cosh",
    "cross_entropy",
    "cumsum",
    "deg2rad",
    "divide",
    "exp",
    "exp2",
    "expand_dims",
    "expm1",
    "floor",
    "floor_divide",
    "fmax",
    "fmin",
    "fmod",
    "getitem",
    "heaviside",
    "hypot",
    "linear",
    "log",
    "log10",
    "log1p",
    "log2",
    "log_softmax",
    "logaddexp",
    "logaddexp2",
    "logsumexp",
    "matmul",
    "max_",
    "maximum",
    "mean",
    "min_",
    "minimum",
    "mod",
    "multiply",
    "nanmean",
    "nansum",
    "negative",
    "power",
    "ptp",
    "rad2deg",
    "reciprocal",
    "relu",
    "reshape",
    "round_",
    "sigmoid",
    "sign",
    "sin",
    "sinh",
    "softmax",
    "sqrt",
    "square",
    "squeeze",
    "stack",
    "stack_list",
    "std",
    "subtract",
    "sum_",
    "tan",
    "tanh",
    "transpose",
    "trunc",
    "var",
    "where",
]
