"""``linalg.norm``: the 2-norm, 1-norm and max-norm (ord inf, or -inf for the smallest
magnitude) of the elements over ``axis``; a matrix's Frobenius norm is its elements' 2-norm.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numpy.lib.array_utils import normalize_axis_tuple

from ..registry import register
from .reduce import extremum_grad, kept_shape

ORDS = (2, 1, math.inf, -math.inf)


@register("norm")
def norm(x, ord=2, axis=None, keepdims=False):  # noqa: A002  (numpy's name for it)
    a = np.abs(x)
    if a.dtype.kind not in "fc":
        a = a.astype(np.float64)  # as numpy's norm: integers and booleans give float64
    if ord == 2:
        return np.sqrt(np.sum(a * a, axis=axis, keepdims=keepdims))
    if ord == 1:
        return np.sum(a, axis=axis, keepdims=keepdims)
    if ord in (math.inf, -math.inf):
        return (np.max if ord > 0 else np.min)(a, axis=axis, keepdims=keepdims)
    raise ValueError(f"norm: ord={ord!r} is not one of {ORDS}")


@norm.vjp
def _norm(g, out, x, ord=2, axis=None, keepdims=False):  # noqa: A002
    """d|x|_2/dx = x/|x|_2 (0 where the norm is 0, as torch); d|x|_1/dx = sign(x) (0 at 0);
    d|x|_inf/dx = sign(x) at the largest |x_i|, shared equally between ties (as torch)."""
    if ord == 2:
        n = out.reshape(kept_shape(x.shape, axis))
        return g.reshape(n.shape) * x / np.where(n == 0, 1.0, n)
    if ord == 1:
        return g.reshape(kept_shape(x.shape, axis)) * np.sign(x)
    return np.sign(x) * extremum_grad(g, out, np.abs(x), axis)


def numpy_norm(x: Any, ord: Any = None, axis: Any = None, keepdims: bool = False) -> Any:  # noqa: A002
    """``np.linalg.norm`` for vector ords 2, 1, inf and -inf, and a matrix's Frobenius norm;
    the other matrix norms (ord 1, 2, inf, 'nuc' over two axes) are refused."""
    ndim = np.ndim(x)
    axes = None if axis is None else normalize_axis_tuple(axis, ndim)
    matrix = len(axes) == 2 if axes is not None else ndim == 2
    if ord is None or (matrix and ord == "fro"):
        return norm(x, ord=2, axis=axes, keepdims=keepdims)
    if matrix:
        raise ValueError(
            f"norm: the matrix norm ord={ord!r} is not supported; use ord='fro' or None, "
            "or a vector ord over one axis"
        )
    if ord not in ORDS or (axes is None and ndim != 1) or (axes is not None and len(axes) > 1):
        raise ValueError(
            f"norm: ord={ord!r} over axis={axis!r} of a {ndim}-d input is not supported; "
            f"vector norms take ord in {ORDS} over one axis"
        )
    return norm(x, ord=ord, axis=axes, keepdims=keepdims)
