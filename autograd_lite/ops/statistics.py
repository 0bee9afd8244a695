"""Spread and running totals: var, std, ptp and cumsum, with numpy's arguments.

As the reductions (reduce.py), each rule first puts ``g`` back in the ``keepdims=True``
shape, so that it broadcasts against the input along the reduced axes.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..registry import register
from .reduce import extremum_grad, kept_shape, mean, reduced_count, whole_if_zero_d


@register("var")
def var(x, axis=None, ddof=0, keepdims=False):
    return np.var(x, axis=whole_if_zero_d(x, axis), ddof=ddof, keepdims=keepdims)


@var.vjp
def _var(g, out, x, axis=None, ddof=0, keepdims=False):
    """d var(x)/dx_i = 2 (x_i - mean(x)) / (n - ddof)."""
    axis = whole_if_zero_d(x, axis)
    n = reduced_count(x.shape, axis)
    centred = x - np.mean(x, axis=axis, keepdims=True)
    return g.reshape(kept_shape(x.shape, axis)) * centred * _over(2.0, n - ddof)


@register("std")
def std(x, axis=None, ddof=0, keepdims=False):
    return np.std(x, axis=whole_if_zero_d(x, axis), ddof=ddof, keepdims=keepdims)


@std.vjp
def _std(g, out, x, axis=None, ddof=0, keepdims=False):
    """d std(x)/dx_i = d var(x)/dx_i / (2 std(x)) = (x_i - mean(x)) / ((n - ddof) std(x));
    0 where std(x) == 0 (a row of one element, whose std is 0 whatever it holds; PyTorch
    gives NaN there)."""
    flat = out == 0
    g_var = np.where(flat, 0.0, g / (2 * np.where(flat, 1.0, out)))
    return _var(g_var, None, x, axis, ddof, keepdims)


def _over(a: float, b: int) -> float:
    """a / b, and NaN for b <= 0 (ddof at least the count: numpy's var is NaN or inf then)."""
    return a / b if b > 0 else math.nan


@register("ptp")
def ptp(x, axis=None, keepdims=False):
    return np.ptp(x, axis=axis, keepdims=keepdims)


@ptp.vjp
def _ptp(g, out, x, axis=None, keepdims=False):
    """d (max(x) - min(x))/dx_i = 1 at the maximum, -1 at the minimum (ties share)."""
    axis = whole_if_zero_d(x, axis)
    top = np.max(x, axis=axis, keepdims=True)
    bottom = np.min(x, axis=axis, keepdims=True)
    return extremum_grad(g, top, x, axis) - extremum_grad(g, bottom, x, axis)


@register("cumsum", reads=())
def cumsum(x, axis=None):
    return np.cumsum(x, axis=axis)


@cumsum.vjp
def _cumsum(g, out, x, axis=None):
    """d cumsum(x)_j/dx_i = 1 for j >= i: the reversed cumulative sum of g (flattened first
    when axis is None, as numpy's cumsum)."""
    if axis is None:
        reverse = (slice(None, None, -1),)
        return np.cumsum(g[reverse], axis=0)[reverse].reshape(x.shape)
    at = axis % max(len(x.shape), 1)
    reverse = (slice(None),) * at + (slice(None, None, -1),)
    return np.cumsum(g[reverse], axis=axis)[reverse]


@register("nansum")
def nansum(x, axis=None, keepdims=False):
    return np.nansum(x, axis=whole_if_zero_d(x, axis), keepdims=keepdims)


@nansum.vjp
def _nansum(g, out, x, axis=None, keepdims=False):
    """d nansum(x)/dx_i = 1 where x_i is a number, 0 where it is NaN (as torch)."""
    axis = whole_if_zero_d(x, axis)
    return np.where(np.isnan(x), 0.0, g.reshape(kept_shape(x.shape, axis)))


@register("nanmean")
def nanmean(x, axis=None, keepdims=False):
    return np.nanmean(x, axis=whole_if_zero_d(x, axis), keepdims=keepdims)


@nanmean.vjp
def _nanmean(g, out, x, axis=None, keepdims=False):
    """d nanmean(x)/dx_i = 1/m where x_i is a number (m the numbers averaged), 0 at NaN."""
    axis = whole_if_zero_d(x, axis)
    numbers = ~np.isnan(x)
    m = np.sum(numbers, axis=axis, keepdims=True)
    return np.where(numbers, g.reshape(kept_shape(x.shape, axis)) / m, 0.0)


@register("average")
def average(a, weights, axis=None, keepdims=False):
    axis = whole_if_zero_d(a, axis)
    w = np.broadcast_to(weights, np.shape(a)) if np.ndim(weights) == np.ndim(a) else weights
    return np.average(a, axis=axis, weights=w, keepdims=keepdims)


@average.vjp(argnum=0)
def _average_a(g, out, a, weights, axis=None, keepdims=False):
    """d (sum(w a) / sum(w))/da_i = w_i / sum(w)."""
    axis = whole_if_zero_d(a, axis)
    w = _weights_like(weights, a, axis)
    return g.reshape(kept_shape(a.shape, axis)) * w / np.sum(w, axis=axis, keepdims=True)


@average.vjp(argnum=1)
def _average_weights(g, out, a, weights, axis=None, keepdims=False):
    """d (sum(w a) / sum(w))/dw_i = (a_i - average) / sum(w), summed over the other axes
    for 1-d weights along ``axis``."""
    axis = whole_if_zero_d(a, axis)
    w = _weights_like(weights, a, axis)
    kept = kept_shape(a.shape, axis)
    full = g.reshape(kept) * (a - out.reshape(kept)) / np.sum(w, axis=axis, keepdims=True)
    if np.ndim(weights) == np.ndim(a) or axis is None:
        return full
    others = tuple(i for i in range(np.ndim(a)) if i != axis % np.ndim(a))
    return np.sum(full, axis=others)


def _weights_like(weights: Any, a: Any, axis: Any) -> Any:
    """The weights in a shape that broadcasts against ``a``: numpy also takes 1-d weights
    along a single ``axis``."""
    if np.ndim(weights) == np.ndim(a) or axis is None:
        return weights
    shape = [1] * np.ndim(a)
    shape[axis] = np.shape(a)[axis]
    return np.reshape(weights, shape)


def numpy_average(
    a: Any, axis: Any = None, weights: Any = None, returned: bool = False, **kw: Any
) -> Any:
    """``np.average`` on Tensors: the mean without weights, else the op ``average``."""
    if returned:
        raise TypeError(
            "np.average(..., returned=True) is not supported on Tensors; take the sum of "
            "the weights separately (al.sum(weights, axis=axis))"
        )
    return mean(a, axis=axis, **kw) if weights is None else average(a, weights, axis=axis, **kw)
