"""numpy's functions that only move, copy or pick elements (flip, roll, tile, hstack, split,
diagonal, ...), composed from the registered ops, so their gradients are those ops' rules.

A function that only moves elements is a gather: applied to the array of element numbers
(``arange(x.size).reshape(x.shape)``) it gives, for every output element, the input element
it came from. So ``rearranged`` runs numpy's own function on those numbers, and the result
is ``getitem`` of the flattened input at them: numpy's semantics exactly, and the gradient
is ``getitem``'s (a scatter-add, so copies accumulate). Functions of several arrays gather
from their concatenation; ``tril`` and ``triu`` multiply by a constant mask.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any, Literal

import numpy as np

from ..op_errors import op_error
from .elementwise import subtract, where
from .reduce import sum_
from .shape import concatenate, getitem, reshape


def _numbers(shape: tuple[int, ...], start: int = 0) -> np.ndarray:
    return np.arange(start, start + math.prod(shape)).reshape(shape)


def _on_numbers(
    func: Callable[..., Any], numbers: Any, *args: Any, name: str | None = None, **kwargs: Any
) -> Any:
    """numpy's ``func`` run on element numbers; its error led by its name and the shapes."""
    try:
        return func(numbers, *args, **kwargs)
    except (ValueError, TypeError, IndexError) as exc:
        arrays = numbers if isinstance(numbers, list) else [numbers]
        error = op_error(f"numpy.{name or func.__name__}", arrays, exc)
        if "equal division" in str(exc):
            raise ValueError(f"{error}; np.array_split cuts parts of unequal sizes") from None
        raise error from None


def rearranged(func: Callable[..., Any], x: Any, *args: Any, **kwargs: Any) -> Any:
    """``func(x, *args, **kwargs)`` for a numpy function that only moves or copies elements,
    as a gather from ``x`` (recorded as reshape and getitem)."""
    index = np.asarray(_on_numbers(func, _numbers(np.shape(x)), *args, **kwargs))
    return getitem(reshape(x, shape=(-1,)), index=index)


def _joined(
    func: Callable[..., Any], arrays: Sequence[Any], name: str | None = None, **kwargs: Any
) -> Any:
    """``func(arrays, ...)`` for a numpy function that joins arrays (hstack, append, ...)."""
    arrays = list(arrays)
    starts = np.cumsum([0] + [math.prod(np.shape(a)) for a in arrays])
    numbers = [_numbers(np.shape(a), int(s)) for a, s in zip(arrays, starts, strict=False)]
    index = np.asarray(_on_numbers(func, numbers, name=name, **kwargs))
    flat = concatenate(*[reshape(a, shape=(-1,)) for a in arrays], axis=0)
    return getitem(flat, index=index)


def _parts(func: Callable[..., Any], x: Any, *args: Any, **kwargs: Any) -> list[Any]:
    """``func(x, ...)`` for a numpy function that cuts an array into a list of parts."""
    parts = _on_numbers(func, _numbers(np.shape(x)), *args, **kwargs)
    flat = reshape(x, shape=(-1,))
    return [getitem(flat, index=np.asarray(p)) for p in parts]


def _each(func: Callable[..., Any], *arrays: Any) -> Any:
    """numpy's atleast_*: one result per array given (the result itself for one)."""
    results = [rearranged(func, a) for a in arrays]
    return results[0] if len(results) == 1 else tuple(results)


def broadcast_arrays(*arrays: Any) -> tuple[Any, ...]:
    """``np.broadcast_arrays``: each array broadcast to the shape they share."""
    shape = np.broadcast_shapes(*(np.shape(a) for a in arrays))
    return tuple(rearranged(np.broadcast_to, a, shape) for a in arrays)


def _masked(func: Callable[..., Any], m: Any, k: int = 0) -> Any:
    """tril and triu: the input where numpy's mask keeps it, else 0 of the input's dtype."""
    keep = func(np.ones(np.shape(m)[-2:], dtype=bool), k)
    dtype = m.dtype if hasattr(m, "dtype") else np.asarray(m).dtype
    return where(keep, m, np.zeros((), dtype))


def diff(a: Any, n: int = 1, axis: int = -1) -> Any:
    """``np.diff``: differences of neighbours along ``axis``, ``n`` times."""
    ndim = np.ndim(a)
    for _ in range(n):
        head: list[Any] = [slice(None)] * ndim
        tail: list[Any] = [slice(None)] * ndim
        head[axis], tail[axis] = slice(1, None), slice(None, -1)
        a = subtract(getitem(a, index=tuple(head)), getitem(a, index=tuple(tail)))
    return a


def diag(v: Any, k: int = 0) -> Any:
    """``np.diag``: a 1-d input's elements on the k-th diagonal of a matrix of zeros, or a
    2-d input's k-th diagonal. Gathered from [0, v...]: numbers shifted by 1, 0 the zero."""
    index = np.diag(_numbers(np.shape(v)) + 1, k)
    dtype = v.dtype if hasattr(v, "dtype") else np.asarray(v).dtype
    return getitem(concatenate(np.zeros(1, dtype), reshape(v, shape=(-1,)), axis=0), index=index)


def trace(a: Any, offset: int = 0, axis1: int = 0, axis2: int = 1) -> Any:
    """``np.trace``: the sum of the diagonal."""
    return sum_(rearranged(np.diagonal, a, offset, axis1, axis2), axis=-1)


def append(arr: Any, values: Any, axis: Any = None) -> Any:
    """``np.append``: ``values`` after ``arr`` (both flattened when axis is None)."""
    return _joined(lambda n: np.append(n[0], n[1], axis=axis), [arr, values], name="append")


def meshgrid(
    *xi: Any, copy: bool = True, sparse: bool = False, indexing: Literal["xy", "ij"] = "xy"
) -> Any:
    """``np.meshgrid``: each array spread along its own axis of the grid."""
    numbers = [_numbers(np.shape(x)) for x in xi]
    grids = np.meshgrid(*numbers, sparse=sparse, indexing=indexing)
    return tuple(getitem(reshape(x, shape=(-1,)), index=g) for x, g in zip(xi, grids, strict=True))


GATHER_PADS = ("edge", "reflect", "symmetric", "wrap")


def pad(array: Any, pad_width: Any, mode: Any = "constant", **kwargs: Any) -> Any:
    """``np.pad`` in the modes that copy elements (edge, reflect, symmetric, wrap: gathers
    of numpy's own padding of the element numbers) and with constants ("constant"); the
    modes that compute new values (mean, linear_ramp, ...) are refused."""
    shape = np.shape(array)
    if mode == "constant":
        dtype = array.dtype if hasattr(array, "dtype") else np.asarray(array).dtype
        values = np.asarray(kwargs.pop("constant_values", 0), dtype=dtype)  # as numpy casts
        constants = np.broadcast_to(values, (len(shape), 2))
        if kwargs:
            raise TypeError(f"pad: mode 'constant' takes constant_values, not {sorted(kwargs)}")
        n = math.prod(shape)  # the constants are numbered after the elements
        slots = n + np.arange(2 * len(shape)).reshape(len(shape), 2)
        index = np.pad(_numbers(shape), pad_width, "constant", constant_values=slots)
        flat = concatenate(reshape(array, shape=(-1,)), constants.reshape(-1), axis=0)
        return getitem(flat, index=index)
    if mode not in GATHER_PADS or kwargs.get("reflect_type", "even") != "even":
        raise ValueError(
            f"pad: mode={mode!r} with {kwargs or 'no options'} is not supported; the modes "
            f"are 'constant' and {GATHER_PADS} (reflect_type 'even')"
        )
    return rearranged(np.pad, array, pad_width, mode, **kwargs)


GATHERS = (
    np.ravel, np.moveaxis, np.swapaxes, np.flip, np.fliplr, np.flipud, np.rot90, np.roll,
    np.repeat, np.tile, np.diagonal, np.take, np.take_along_axis, np.copy,
)  # fmt: skip
JOINS = (np.hstack, np.vstack, np.dstack, np.column_stack)
SPLITS = (np.split, np.array_split, np.hsplit, np.vsplit, np.dsplit)

# numpy function -> its version on Tensors
ARRANGEMENTS: dict[Any, Callable[..., Any]] = {
    **{f: partial(rearranged, f) for f in GATHERS},
    **{f: partial(_joined, f) for f in JOINS},
    **{f: partial(_parts, f) for f in SPLITS},
    **{f: partial(_each, f) for f in (np.atleast_1d, np.atleast_2d, np.atleast_3d)},
    np.broadcast_arrays: broadcast_arrays,
    np.tril: partial(_masked, np.tril),
    np.triu: partial(_masked, np.triu),
    np.diff: diff,
    np.trace: trace,
    np.diag: diag,
    np.append: append,
    np.meshgrid: meshgrid,
    np.pad: pad,
}
