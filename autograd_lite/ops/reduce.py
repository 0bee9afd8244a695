"""Reductions: sum, mean, max, min and logsumexp over ``axis`` (None, int or tuple).

Each rule first puts ``g`` back in the ``keepdims=True`` shape, so that it broadcasts
against the input along the reduced axes.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numpy.lib.array_utils import normalize_axis_tuple

from ..registry import register
from ..stability import check_sum


def kept_shape(shape: tuple[int, ...], axis: Any) -> tuple[int, ...]:
    """The shape a reduction over ``axis`` gives with ``keepdims=True``.

    A 0-d array stays 0-d: numpy lets it be reduced over axis 0 or -1.
    """
    if axis is None or not shape:
        return (1,) * len(shape)
    axes = normalize_axis_tuple(axis, len(shape))
    return tuple(1 if i in axes else n for i, n in enumerate(shape))


def whole_if_zero_d(x: Any, axis: Any) -> Any:
    """Axis 0 or -1 of a 0-d array means all of it, as np.sum allows (np.mean, np.var and
    np.std do not)."""
    return None if axis in (0, -1) and np.ndim(x) == 0 else axis


def reduced_count(shape: tuple[int, ...], axis: Any) -> int:
    """How many elements each result of a reduction over ``axis`` reads."""
    return math.prod(shape) // max(math.prod(kept_shape(shape, axis)), 1)


@register("sum", check=check_sum, reads=())
def sum_(x, axis=None, keepdims=False):
    return np.sum(x, axis=axis, keepdims=keepdims)


@sum_.vjp
def _sum(g, out, x, axis=None, keepdims=False):
    """d sum(x)/dx_i = 1: g is copied along the reduced axes."""
    return np.broadcast_to(g.reshape(kept_shape(x.shape, axis)), x.shape)


@register("mean", reads=())
def mean(x, axis=None, keepdims=False):
    return np.mean(x, axis=whole_if_zero_d(x, axis), keepdims=keepdims)


@mean.vjp
def _mean(g, out, x, axis=None, keepdims=False):
    """d mean(x)/dx_i = 1/n, n the number of elements averaged."""
    kept = kept_shape(x.shape, axis)
    return np.broadcast_to(g.reshape(kept), x.shape) / max(reduced_count(x.shape, axis), 1)


@register("max")
def max_(x, axis=None, keepdims=False):
    return np.max(x, axis=axis, keepdims=keepdims)


@max_.vjp
def _max(g, out, x, axis=None, keepdims=False):
    """d max(x)/dx_i = 1 at the maximum (shared equally between ties, or NaNs), else 0."""
    return extremum_grad(g, out, x, axis)


@register("min")
def min_(x, axis=None, keepdims=False):
    return np.min(x, axis=axis, keepdims=keepdims)


@min_.vjp
def _min(g, out, x, axis=None, keepdims=False):
    """d min(x)/dx_i = 1 at the minimum (shared equally between ties, or NaNs), else 0."""
    return extremum_grad(g, out, x, axis)


def extremum_grad(g: Any, out: Any, x: Any, axis: Any) -> Any:
    """g shared equally between the elements equal to the extremum ``out``; where ``out``
    is NaN (its slice holds one, as numpy's max and min say), between the NaNs of that
    slice, whole or along ``axis`` alike. torch.max does so over a whole tensor and
    torch.max(x, dim) gives the first NaN all of it; torch.amax gives the slice NaN."""
    kept = kept_shape(x.shape, axis)
    out = out.reshape(kept)
    hits = x == out
    if np.isnan(out).any():  # NaN == NaN is never true
        hits = hits | (np.isnan(x) & np.isnan(out))
    # picked, not multiplied by 0: a NaN g (as from max(x) ** 2 at NaN) stays at the hits
    return np.where(hits, g.reshape(kept) / hits.sum(axis=axis, keepdims=True), 0)


@register("logsumexp")
def logsumexp(x, axis=None, keepdims=False):
    # Shift by the maximum so exp never overflows; where the maximum is not finite shift
    # by 0 instead, so that a row of all -inf (or an empty row) gives -inf.
    x = np.asarray(x)
    m: Any = 0  # nothing to shift in an empty array
    if x.size:
        m = np.asarray(x.max(axis=axis, keepdims=True))
        m[~np.isfinite(m)] = 0
    with np.errstate(divide="ignore"):  # log(0) = -inf is the answer for an empty row
        out = np.log(np.exp(x - m).sum(axis=axis, keepdims=True)) + m
    if keepdims:
        return out
    return out.reshape(()) if axis is None else out.squeeze(axis=axis)


@logsumexp.vjp
def _logsumexp(g, out, x, axis=None, keepdims=False):
    """d logsumexp(x)/dx_i = exp(x_i - logsumexp(x)) = softmax(x)_i."""
    kept = kept_shape(x.shape, axis)
    return g.reshape(kept) * np.exp(x - out.reshape(kept))
