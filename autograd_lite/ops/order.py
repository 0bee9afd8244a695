"""Functions of the elements' order: sort, whose gradient goes back through the
permutation it applied, and median, quantile, percentile and partition built on it.

Where elements tie, the permutation is numpy's stable one, so each tied element gets the
gradient of the slot it was sorted into (torch's sort does the same). A median or quantile
sends its gradient to the one or two elements it selects, weighted as it interpolates; of a
slice holding NaN it is NaN, and its gradient goes to that slice's last NaN (torch's choice).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.lib.array_utils import normalize_axis_tuple

from ..node import data_of
from ..registry import register
from ..tensor import Tensor
from .elementwise import where


@register("sort")
def sort(x, axis=-1):
    return np.sort(x, axis=axis)


@sort.vjp
def _sort(g, out, x, axis=-1):
    """d sort(x)_k/dx_i = 1 where x_i went to slot k: g read back in the input's order."""
    if axis is None:
        return _sort(g, out, x.reshape(-1), 0).reshape(x.shape)
    data = x.data if isinstance(x, Tensor) else x
    slot = np.argsort(np.argsort(data, axis=axis, kind="stable"), axis=axis)
    return np.take_along_axis(g, slot, axis=axis)


def numpy_sort(
    a: Any, axis: Any = -1, kind: Any = None, order: Any = None, *, stable: Any = None
) -> Any:
    """``np.sort``: every ``kind`` gives the same values; ``order`` (fields) is refused."""
    if order is not None:
        raise TypeError("sort: order= sorts structured arrays' fields; a Tensor has none")
    return sort(a, axis=axis)


def partition(a: Any, kth: Any, axis: Any = -1, kind: Any = None, order: Any = None) -> Any:
    """``np.partition``: the sorted array is one of the partitions numpy may return (the
    kth element in its sorted place, no larger one before it, no smaller one after)."""
    return numpy_sort(a, axis=axis, order=order)


def quantile(
    a: Any, q: Any, axis: Any = None, keepdims: bool = False, method: str = "linear", **kw: Any
) -> Any:
    """``np.quantile`` by numpy's default "linear" method: between the sorted elements at
    positions floor and ceil of q (n - 1), weighted by the fraction; an integer q (0 or 1)
    picks the element, in a's dtype. q is a constant in [0, 1]; the result has q's dims
    first, then the reduced ones. A slice holding NaN gives NaN, as numpy's, and sends the
    gradient to its last NaN (the one sorted last), as torch.quantile does."""
    if method != "linear" or kw:
        extra = f"method={method!r}" if method != "linear" else ", ".join(kw)
        raise TypeError(f"quantile: {extra} is not supported; the linear method is")
    if isinstance(q, Tensor) and q.requires_grad:
        raise TypeError("quantile: q is a constant here; pass q.data")
    q, weak = data_of(q), type(q) in (int, float)  # numpy's test: a Python number is weak
    picks = np.asarray(q).dtype.kind in "biu"  # an integer q (0 or 1) needs no interpolation
    # numpy's result type: a's own for an integer q; else a (float64 if integer) promoted
    # with q, a Python number weakly (not a numpy scalar: np.float32(0.3) counts as float32)
    a_dtype = np.asarray(data_of(a)).dtype
    dtype = a_dtype if picks else np.result_type(a_dtype, q if weak else np.asarray(q), 0.5)
    q = np.asarray(q)
    if q.size and not (np.all(q >= 0) and np.all(q <= 1)):
        raise ValueError(f"quantile: q must be in [0, 1], not {q.tolist()}")
    rows, kept = _last_axis(a, axis)
    n = rows.shape[-1]
    if n == 0:
        raise ValueError(f"quantile: of no elements (a of shape {np.shape(a)}, axis={axis!r})")
    s = sort(rows)
    position = q * (n - 1)
    below = np.floor(position).astype(np.intp)
    above = np.minimum(below + 1, n - 1)
    frac = (position - below).astype(dtype)
    result: Any
    if picks:
        result = s[..., below]
    else:
        result = s[..., below] * (1 - frac) + s[..., above] * frac  # shape rest + q.shape
    if a_dtype.kind == "f":
        result = _nan_where_held(s, result, q.ndim)
    if q.ndim:
        result = np.moveaxis(result, tuple(range(-q.ndim, 0)), tuple(range(q.ndim)))
    return result.reshape(q.shape + kept) if keepdims else result


def _nan_where_held(s: Any, result: Any, q_ndim: int) -> Any:
    """``result`` (shape rest + q's), NaN where the sorted rows ``s`` hold NaN: taken from
    their last element, where np.sort puts NaN, so that the gradient goes to it."""
    last = s[..., -1]
    nans = np.isnan(data_of(last))
    if not np.any(nans):
        return result
    ends = (1,) * q_ndim
    return where(nans.reshape(nans.shape + ends), np.reshape(last, last.shape + ends), result)


def percentile(a: Any, q: Any, axis: Any = None, keepdims: bool = False, **kw: Any) -> Any:
    """``np.percentile``: the quantile at q / 100."""
    q = q / 100 if type(q) in (int, float) else np.true_divide(q, 100)  # as numpy
    return quantile(a, q, axis=axis, keepdims=keepdims, **kw)


def median(a: Any, axis: Any = None, keepdims: bool = False, **kw: Any) -> Any:
    """``np.median``: the middle element, or the mean of the middle two, sorted (not the
    quantile's interpolation, whose zero weight on an infinite neighbour would give NaN:
    median([1, 2, inf]) is 2); NaN where a slice holds NaN, and over no elements."""
    if kw:
        raise TypeError(f"median: {', '.join(kw)} is not supported; axis= and keepdims= are")
    shape = np.shape(a)
    axes = range(len(shape)) if axis is None else normalize_axis_tuple(axis, len(shape))
    if any(shape[i] == 0 for i in axes):
        return np.mean(a, axis=axis, keepdims=keepdims)
    rows, kept = _last_axis(a, axis)
    s, mid = sort(rows), rows.shape[-1] // 2
    result: Any = (s[..., mid - 1] + s[..., mid]) / 2 if rows.shape[-1] % 2 == 0 else s[..., mid]
    if np.asarray(data_of(a)).dtype.kind == "f":
        result = _nan_where_held(s, result, 0)
    else:
        result = np.true_divide(result, 1)  # numpy's median of integers is a float
    return np.reshape(result, kept) if keepdims else result


def _last_axis(a: Any, axis: Any) -> tuple[Any, tuple[int, ...]]:
    """``a`` with the axes to reduce merged into one last axis, and the keepdims shape."""
    shape = np.shape(a)
    axes = tuple(range(len(shape))) if axis is None else normalize_axis_tuple(axis, len(shape))
    rest = [i for i in range(len(shape)) if i not in axes]
    kept = tuple(1 if i in axes else n for i, n in enumerate(shape))
    moved = np.transpose(a, rest + list(axes)) if axes != tuple(range(len(shape))) else a
    rows = np.reshape(moved, tuple(shape[i] for i in rest) + (math.prod(shape[i] for i in axes),))
    return rows, kept


ORDERS: dict[Any, Callable[..., Any]] = {
    np.sort: numpy_sort,
    np.partition: partition,
    np.quantile: quantile,
    np.percentile: percentile,
    np.median: median,
}
