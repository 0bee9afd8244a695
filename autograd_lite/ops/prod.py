"""Products of many elements: prod and cumprod, with gradients exact where elements are 0.

Dividing the product by an element (the textbook rule) gives 0/0 at a zero; these rules
take the product of the other elements instead, as torch does, written without masks so
that second derivatives at zeros are right too.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.lib.array_utils import normalize_axis_tuple

from ..registry import register
from .reduce import kept_shape


@register("prod")
def prod(x, axis=None, keepdims=False):
    return np.prod(x, axis=axis, keepdims=keepdims)


@prod.vjp
def _prod(g, out, x, axis=None, keepdims=False):
    """d prod(x)/dx_i = the product of the other elements, as the product of those before
    and of those after x_i: no division, so exact at zeros (and so are its derivatives)."""
    g = g.reshape(kept_shape(x.shape, axis))
    if x.ndim == 0:
        return g
    if axis is None:
        return _prod(g.reshape(1), None, x.reshape(-1), 0).reshape(x.shape)
    axes = normalize_axis_tuple(axis, x.ndim)
    if not axes:  # over no axes: each element is its own product
        return g
    first, *rest = axes
    if rest:  # over several axes: prod over the first of the product over the others
        g = _prod(g, None, np.prod(x, axis=first, keepdims=True), tuple(rest), True)
    before = _exclusive_cumprod(x, first)
    after = np.flip(_exclusive_cumprod(np.flip(x, first), first), first)
    return g * (before * after)


def _exclusive_cumprod(x: Any, axis: int) -> Any:
    """prod_{j < i} x_j along ``axis`` (1 for the first element)."""
    n, at = x.shape[axis], (slice(None),) * axis
    ones = np.ones(x.shape[:axis] + (1,) + x.shape[axis + 1 :], dtype=x.dtype)
    shifted = np.concatenate([ones, x[at + (slice(0, max(n - 1, 0)),)]], axis=axis)
    return np.cumprod(shifted, axis=axis)[at + (slice(0, n),)]


@register("cumprod")
def cumprod(x, axis=None):
    return np.cumprod(x, axis=axis)


@cumprod.vjp
def _cumprod(g, out, x, axis=None):
    """d cumprod(x)_k/dx_i = prod_{j <= k, j != i} x_j for k >= i (flattened first when axis
    is None, as numpy's cumprod). Without zeros that is out_k / x_i; with them, the product
    of the x_j before i times t_i = g_i + x_{i+1} t_{i+1}, a running sum from the end."""
    if axis is None or x.ndim == 0:
        return _cumprod(g.reshape(-1), out.reshape(-1), x.reshape(-1), 0).reshape(x.shape)
    if not np.any(x == 0):
        return np.flip(np.cumsum(np.flip(g * out, axis), axis=axis), axis) / x
    g_last, x_last = np.moveaxis(g, axis, -1), np.moveaxis(x, axis, -1)
    n = x.shape[axis]
    t = g_last[..., n - 1]
    from_the_end = [t]
    for i in range(n - 2, -1, -1):
        t = g_last[..., i] + x_last[..., i + 1] * t
        from_the_end.append(t)
    running = np.stack(from_the_end[::-1], axis=-1)
    return np.moveaxis(_exclusive_cumprod(x_last, x_last.ndim - 1) * running, -1, axis)
