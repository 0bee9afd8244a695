"""Shape ops: reshape, transpose, broadcast_to, expand_dims, squeeze, concatenate, stack,
indexing (getitem) and its adjoint add_at.

These move elements without changing them, so each rule moves ``g`` back: reshape back,
transpose by the inverse permutation, slice out each input's part, or scatter-add into
zeros for indexing (repeated indices add up).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.lib.array_utils import normalize_axis_index

from ..registry import register


@register("reshape", reads=())
def reshape(x, shape=None):
    if shape is None:
        raise TypeError("reshape needs a shape")
    return np.reshape(x, shape)


@reshape.vjp
def _reshape(g, out, x, shape=None):
    """d reshape(x)/dx: g reshaped back to x's shape."""
    return g.reshape(x.shape)


@register("transpose", reads=())
def transpose(x, axes=None):
    return np.transpose(x, axes)


@transpose.vjp
def _transpose(g, out, x, axes=None):
    """d transpose(x)/dx: g transposed by the inverse permutation."""
    if axes is None:
        return g.transpose()
    return g.transpose(tuple(np.argsort([normalize_axis_index(a, x.ndim) for a in axes])))


@register("broadcast_to", reads=())
def broadcast_to(x, shape=None):
    if shape is None:
        raise TypeError("broadcast_to needs a shape")
    return np.broadcast_to(x, shape)


@broadcast_to.vjp
def _broadcast_to(g, out, x, shape=None):
    """d broadcast_to(x)/dx: g summed over the broadcast axes (done by the engine)."""
    return g


@register("expand_dims", reads=())
def expand_dims(x, axis=None):
    if axis is None:
        raise TypeError("expand_dims needs an axis")
    return np.expand_dims(x, axis)


@expand_dims.vjp
def _expand_dims(g, out, x, axis=None):
    """d expand_dims(x)/dx: g reshaped back to x's shape."""
    return g.reshape(x.shape)


@register("squeeze", reads=())
def squeeze(x, axis=None):
    return np.squeeze(x, axis=axis)


@squeeze.vjp
def _squeeze(g, out, x, axis=None):
    """d squeeze(x)/dx: g reshaped back to x's shape."""
    return g.reshape(x.shape)


@register("concatenate", reads=())
def concatenate(*xs, axis=0):
    return np.concatenate(xs, axis=axis)


@concatenate.vjp
def _concatenate(g, out, *xs, argnum, axis=0):
    """d concatenate(xs)/dx_k: the slice of g that x_k filled (with axis=None, of the
    flattened inputs joined, reshaped back to x_k's shape)."""
    if axis is None:
        start = sum(x.size for x in xs[:argnum])
        return g[start : start + xs[argnum].size].reshape(xs[argnum].shape)
    axis = normalize_axis_index(axis, out.ndim)
    start = sum(x.shape[axis] for x in xs[:argnum])
    index = [slice(None)] * out.ndim
    index[axis] = slice(start, start + xs[argnum].shape[axis])
    return g[tuple(index)]


@register("stack", reads=())
def stack(*xs, axis=0):
    return np.stack(xs, axis=axis)


@stack.vjp
def _stack(g, out, *xs, argnum, axis=0):
    """d stack(xs)/dx_k: the k-th slice of g along the new axis."""
    index: list[Any] = [slice(None)] * out.ndim
    index[normalize_axis_index(axis, out.ndim)] = argnum
    return g[tuple(index)]


@register("getitem", reads=())
def getitem(x, index=None):
    return x[index]


@getitem.vjp
def _getitem(g, out, x, index=None):
    """d x[index]/dx: g added into zeros at index (repeated indices accumulate)."""
    return add_at.in_rule(g, index=index, shape=x.shape)


@register("add_at", reads=())
def add_at(x, index=None, shape=()):
    """Zeros of ``shape`` with ``x`` added at ``index``: the adjoint of indexing."""
    x = np.asarray(x)
    out = np.zeros(shape, dtype=x.dtype if x.dtype.kind == "f" else np.float64)
    if _is_basic(index):
        out[index] = x  # a basic index names each element once: no sums needed
    else:
        np.add.at(out, index, x)
    return out


@add_at.vjp
def _add_at(g, out, x, index=None, shape=()):
    """d add_at(x)/dx = g[index]."""
    return g[index]


def _is_basic(index: Any) -> bool:
    """True for an index of ints, slices, None and Ellipsis only (numpy's basic indexing)."""
    parts = index if isinstance(index, tuple) else (index,)
    return all(p is None or p is Ellipsis or isinstance(p, (int, slice)) for p in parts)


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


def numpy_reshape(a: Any, shape: Any = None, order: str = "C", **kwargs: Any) -> Any:
    """``np.reshape`` on Tensors (numpy's older ``newshape=`` too), C order only. ``copy=True``
    changes nothing: an op's output is a new node, read-only, whether or not it is a view."""
    shape = kwargs.pop("newshape", shape)
    if kwargs.get("copy", None) in (None, True):
        kwargs.pop("copy", None)
    if order != "C" or kwargs:
        given = [f"order={order!r}"] if order != "C" else []
        given += [f"{k}={v!r}" for k, v in kwargs.items()]
        raise TypeError(
            f"np.reshape of a Tensor: {', '.join(given)} is not supported; it takes order='C' "
            "and copy=None or True"
        )
    return reshape(a, shape=shape)
