"""Writes made out of place: nan_to_num, put_along_axis and index_add each return a new
array with some elements replaced or added to, since a Tensor's data never changes under
its graph. A replaced element gets no gradient; what replaced it gets its slot's.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.lib.array_utils import normalize_axis_index

from ..registry import register
from .shape import add_at


@register("nan_to_num")
def nan_to_num(x, nan=0.0, posinf=None, neginf=None):
    return np.nan_to_num(x, nan=nan, posinf=posinf, neginf=neginf)


@nan_to_num.vjp
def _nan_to_num(g, out, x, nan=0.0, posinf=None, neginf=None):
    """d nan_to_num(x)/dx = 1 where x is finite, 0 where a NaN or an inf was replaced (as
    torch)."""
    return np.where(np.isfinite(x), g, 0.0)


def numpy_nan_to_num(
    x: Any, copy: bool = True, nan: float = 0.0, posinf: Any = None, neginf: Any = None
) -> Any:
    """``np.nan_to_num``: always a new Tensor, whatever ``copy`` says."""
    return nan_to_num(x, nan=nan, posinf=posinf, neginf=neginf)


@register("put_along_axis")
def put(arr, values, indices=None, axis=0):
    out = np.array(arr, copy=True)
    np.put_along_axis(out, indices, values, axis)
    return out


@put.vjp(argnum=0)
def _put_arr(g, out, arr, values, indices=None, axis=0):
    """d out/d arr = 1 where nothing was written, else 0."""
    written = np.zeros(np.shape(arr), dtype=bool)
    np.put_along_axis(written, indices, True, axis)
    return np.where(written, 0.0, g)


@put.vjp(argnum=1)
def _put_values(g, out, arr, values, indices=None, axis=0):
    """d out/d values = 1 at the slot each value was written to: g read at the indices."""
    return np.take_along_axis(g, indices, axis)


def put_along_axis(arr: Any, indices: Any, values: Any, axis: int | None) -> Any:
    """``np.put_along_axis`` out of place: a copy of ``arr`` with ``values`` written at
    ``indices`` along ``axis`` (numpy's writes into arr and returns None). Repeated indices
    are refused: which write wins is not a choice a gradient should hang on."""
    shape = np.shape(arr)
    if axis is None:
        return put_along_axis(np.reshape(arr, -1), indices, values, 0).reshape(shape)
    indices = np.asarray(indices)
    if indices.dtype.kind not in "iu" or indices.ndim != len(shape):
        raise IndexError(
            f"put_along_axis: indices of dtype {indices.dtype} and shape {indices.shape} for "
            f"arr of shape {shape}: give integers with as many dims as arr"
        )
    axis = normalize_axis_index(axis, len(shape))
    lines = np.broadcast_to(indices % max(shape[axis], 1), _along(shape, indices.shape, axis))
    ordered = np.sort(lines, axis=axis)
    if np.any(np.diff(ordered, axis=axis) == 0):
        raise ValueError(
            "put_along_axis: an index repeats along the axis, so one write would overwrite "
            "another; use index_add to add the values up instead"
        )
    return put(arr, values, indices=indices, axis=axis)


def _along(shape: tuple[int, ...], index_shape: tuple[int, ...], axis: int) -> tuple[int, ...]:
    """The indices' shape once broadcast against arr's other axes."""
    others = np.broadcast_shapes(
        tuple(n for i, n in enumerate(shape) if i != axis),
        tuple(n for i, n in enumerate(index_shape) if i != axis),
    )
    return (*others[:axis], index_shape[axis], *others[axis:])


def index_add(x: Any, axis: int, index: Any, source: Any) -> Any:
    """torch's ``x.index_add(axis, index, source)`` out of place: x with source[..., i, ...]
    added to x[..., index[i], ...] along ``axis``; repeated indices add up."""
    shape, index = np.shape(x), np.asarray(index)
    axis = normalize_axis_index(axis, len(shape))
    wanted = shape[:axis] + (len(index),) + shape[axis + 1 :] if index.ndim == 1 else None
    if wanted is None or index.dtype.kind not in "iu" or np.shape(source) != wanted:
        raise ValueError(
            f"index_add: x of shape {shape}, index of shape {index.shape} and source of shape "
            f"{np.shape(source)}: index must be 1-d integers, and source of x's shape with "
            f"axis {axis} as long as index"
        )
    return x + add_at(source, index=(slice(None),) * axis + (index,), shape=shape)
