"""The shape of each op's result from its inputs' shapes and attributes, computed without
computing the op, so that :mod:`.cost` can price a whole expression before it runs.

Shape-only ops (reshape, transpose, indexing, ...) are applied by numpy itself to
*stand-ins*: arrays of the right shape whose strides are all zero, so they hold one element
whatever their shape and every view of them is free. The other ops have a rule here. A rule
raises ValueError (or numpy's own error) when the shapes do not fit; the estimate then stops
there and the op, when it runs, says why in its own words.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
from numpy.lib.array_utils import normalize_axis_index, normalize_axis_tuple

from ..ops.contraction import index_sizes
from ..ops.windows import window_count

Shape = tuple[int, ...]

ELEMENTWISE = frozenset(
    "abs add divide exp log maximum minimum multiply negative power relu sigmoid sign sqrt "
    "subtract tanh where clip astype sin cos tan arcsin arccos arctan sinh cosh arcsinh arccosh "
    "arctanh exp2 expm1 log2 log10 log1p square reciprocal cbrt floor ceil trunc round deg2rad "
    "rad2deg arctan2 copysign floor_divide fmax fmin fmod heaviside hypot logaddexp logaddexp2 "
    "xlogy mod sinc nan_to_num erf binary_cross_entropy".split()
)
REDUCTIONS = frozenset(
    "sum mean max min logsumexp var std ptp nansum nanmean average norm prod".split()
)
VIEWS = frozenset("reshape transpose squeeze expand_dims broadcast_to getitem".split())


def stand_in(shape: Sequence[int]) -> np.ndarray:
    """A read-only array of ``shape`` that holds one number: every stride is zero.

    >>> stand_in((1000, 1000, 1000)).transpose().shape
    (1000, 1000, 1000)
    """
    base = np.zeros(1)
    return np.lib.stride_tricks.as_strided(
        base, shape=tuple(shape), strides=(0,) * len(shape), writeable=False
    )


def room(shape: Sequence[int]) -> int:
    """The elements of ``shape`` if every empty dimension held one: what a reduction over the
    empty ones, or a product with another array, can make of it.

    >>> room((0, 250_000_000)), room((3, 4)), room(())
    (250000000, 12, 1)
    """
    return math.prod(max(int(d), 1) for d in shape)


def result_shape(name: str, shapes: Sequence[Shape], attrs: Mapping[str, Any]) -> Shape:
    """The shape of op ``name``'s result for inputs of ``shapes``.

    >>> result_shape("sum", [(0, 250_000_000)], {"axis": 0})
    (250000000,)
    >>> result_shape("matmul", [(600, 1, 1, 600), (1, 600, 600, 1)], {})
    (600, 600, 1, 1)
    """
    if name in ELEMENTWISE:
        return tuple(np.broadcast_shapes(*shapes))
    if name in REDUCTIONS:
        return _reduced(shapes[0], attrs.get("axis"), bool(attrs.get("keepdims", False)))
    if name in VIEWS:
        return tuple(_VIEW_RULES[name](stand_in(shapes[0]), attrs).shape)
    rule = _RULES.get(name)
    if rule is None:
        raise KeyError(f"no shape rule for the op {name}")
    return rule(shapes, attrs)


def _reduced(shape: Shape, axis: Any, keepdims: bool) -> Shape:
    if axis is None:
        return (1,) * len(shape) if keepdims else ()
    axes = normalize_axis_tuple(axis, len(shape)) if shape or axis not in (0, -1) else ()
    if keepdims:
        return tuple(1 if i in axes else d for i, d in enumerate(shape))
    return tuple(d for i, d in enumerate(shape) if i not in axes)


def _matmul(shapes: Sequence[Shape], attrs: Mapping[str, Any]) -> Shape:
    a, b = shapes[0], shapes[1]
    if not a or not b:
        raise ValueError("matmul needs arrays of 1 or more dimensions")
    k_a = a[-1]
    k_b = b[-2] if len(b) > 1 else b[0]
    if k_a != k_b:
        raise ValueError(f"matmul: {a} and {b} do not fit")
    batch = tuple(np.broadcast_shapes(a[:-2], b[:-2]))
    out = batch + a[-2:-1] + b[-1:] if len(b) > 1 else batch + a[-2:-1]
    if len(shapes) > 2:  # linear's bias
        out = tuple(np.broadcast_shapes(out, shapes[2]))
    return out


def _softmax(shapes: Sequence[Shape], attrs: Mapping[str, Any]) -> Shape:
    shape = shapes[0]
    if shape:
        normalize_axis_index(attrs.get("axis", -1), len(shape))
    return shape


def _cross_entropy(shapes: Sequence[Shape], attrs: Mapping[str, Any]) -> Shape:
    logits = shapes[0]
    if not logits:
        raise ValueError("cross_entropy needs logits of 1 or more dimensions")
    axis = normalize_axis_index(attrs.get("axis", -1), len(logits))
    if attrs.get("reduction", "mean") in ("mean", "sum"):
        return ()
    return logits[:axis] + logits[axis + 1 :]


def _joined(shapes: Sequence[Shape], attrs: Mapping[str, Any], new_axis: bool) -> Shape:
    if not shapes:
        raise ValueError("needs at least one input")
    first = shapes[0]
    if any(len(s) != len(first) for s in shapes):
        raise ValueError("the inputs have different numbers of dimensions")
    if new_axis:
        if any(s != first for s in shapes):
            raise ValueError("the inputs have different shapes")
        axis = normalize_axis_index(attrs.get("axis", 0), len(first) + 1)
        return first[:axis] + (len(shapes),) + first[axis:]
    axis = normalize_axis_index(attrs.get("axis", 0), len(first))
    if any(s[:axis] + s[axis + 1 :] != first[:axis] + first[axis + 1 :] for s in shapes):
        raise ValueError("the inputs differ outside the axis")
    return first[:axis] + (sum(s[axis] for s in shapes),) + first[axis + 1 :]


def _add_at(shapes: Sequence[Shape], attrs: Mapping[str, Any]) -> Shape:
    shape = attrs.get("shape", ())
    return tuple(shape) if isinstance(shape, tuple) else (int(shape),)


def _reshape(x: np.ndarray, attrs: Mapping[str, Any]) -> np.ndarray:
    return x.reshape(attrs.get("shape"))


def _transpose(x: np.ndarray, attrs: Mapping[str, Any]) -> np.ndarray:
    return x.transpose(attrs.get("axes"))


def _squeeze(x: np.ndarray, attrs: Mapping[str, Any]) -> np.ndarray:
    return x.squeeze(attrs.get("axis"))


def _expand_dims(x: np.ndarray, attrs: Mapping[str, Any]) -> np.ndarray:
    return np.expand_dims(x, attrs["axis"])  # no default: without one the op refuses


def _broadcast_to(x: np.ndarray, attrs: Mapping[str, Any]) -> np.ndarray:
    return np.broadcast_to(x, attrs["shape"])


def _getitem(x: np.ndarray, attrs: Mapping[str, Any]) -> np.ndarray:
    return x[attrs.get("index")]


def _concatenate(shapes: Sequence[Shape], attrs: Mapping[str, Any]) -> Shape:
    if "axis" in attrs and attrs["axis"] is None:  # numpy flattens each, then joins
        return (sum(math.prod(s) for s in shapes),)
    return _joined(shapes, attrs, new_axis=False)


def _stack(shapes: Sequence[Shape], attrs: Mapping[str, Any]) -> Shape:
    return _joined(shapes, attrs, new_axis=True)


def _cumsum(shapes: Sequence[Shape], attrs: Mapping[str, Any]) -> Shape:
    """The input's shape along an axis; flattened (as numpy) when axis is None or x is 0-d."""
    shape = tuple(shapes[0])
    if attrs.get("axis") is None or not shape:
        return (math.prod(shape),)
    return shape


def _sort(shapes: Sequence[Shape], attrs: Mapping[str, Any]) -> Shape:
    """The input's shape; flattened when axis is None; a 0-d input has no axis to sort."""
    shape, axis = tuple(shapes[0]), attrs.get("axis", -1)
    if axis is None:
        return (math.prod(shape),)
    normalize_axis_index(axis, len(shape))
    return shape


def _windows(shapes: Sequence[Shape], attrs: Mapping[str, Any]) -> Shape:
    """The windows' counts along the last two axes, then the kernel's shape."""
    shape = tuple(shapes[0])
    kernel, stride, dilation = (attrs.get(a, (1, 1)) for a in ("kernel", "stride", "dilation"))
    if len(shape) < 2:
        raise ValueError(f"windows: {shape} has no two axes to slide over")
    counts = tuple(
        window_count(*args) for args in zip(shape[-2:], kernel, stride, dilation, strict=True)
    )
    if 0 in counts:
        raise ValueError(f"windows: a kernel of {kernel} does not fit {shape[-2:]}")
    return shape[:-2] + counts + tuple(kernel)


def _einsum(shapes: Sequence[Shape], attrs: Mapping[str, Any]) -> Shape:
    """The output indices' sizes, from the spelled-out subscripts the op records."""
    inputs, _, output = str(attrs.get("subscripts", "")).partition("->")
    sizes = index_sizes(inputs.split(","), shapes)
    return tuple(sizes[c] for c in output)


def _cross(shapes: Sequence[Shape], attrs: Mapping[str, Any]) -> Shape:
    a, b = shapes[0], shapes[1]
    axis = attrs.get("axis", -1)
    if not a or not b or a[axis] != 3 or b[axis] != 3:
        raise ValueError("cross needs vectors of 3 components along the axis")
    return tuple(np.broadcast_shapes(a, b))


def _square(shape: Shape) -> Shape:
    """A stack of square matrices' shape; a ValueError for any other."""
    if len(shape) < 2 or shape[-1] != shape[-2]:
        raise ValueError(f"{shape} is not a square matrix or a stack of them")
    return shape


def _solve(shapes: Sequence[Shape], attrs: Mapping[str, Any]) -> Shape:
    a, b = _square(shapes[0]), shapes[1]
    if len(b) == 1:  # one column
        if b[0] != a[-1]:
            raise ValueError(f"solve: {a} and {b} do not fit")
        return a[:-1]
    if len(b) < 2 or b[-2] != a[-1]:
        raise ValueError(f"solve: {a} and {b} do not fit")
    return tuple(np.broadcast_shapes(a[:-2], b[:-2])) + b[-2:]


def _eigh(shapes: Sequence[Shape], attrs: Mapping[str, Any]) -> Shape:
    a = _square(shapes[0])
    return a[:-2] + (a[-1] + 1, a[-1])  # the eigenvalues' row above the eigenvectors


_VIEW_RULES: dict[str, Callable[[np.ndarray, Mapping[str, Any]], np.ndarray]] = {
    "reshape": _reshape,
    "transpose": _transpose,
    "squeeze": _squeeze,
    "expand_dims": _expand_dims,
    "broadcast_to": _broadcast_to,
    "getitem": _getitem,
}
_RULES: dict[str, Callable[[Sequence[Shape], Mapping[str, Any]], Shape]] = {
    "matmul": _matmul,
    "linear": _matmul,
    "softmax": _softmax,
    "log_softmax": _softmax,
    "cross_entropy": _cross_entropy,
    "concatenate": _concatenate,
    "stack": _stack,
    "add_at": _add_at,
    "cumsum": _cumsum,
    "cumprod": _cumsum,
    "put_along_axis": lambda shapes, attrs: tuple(shapes[0]),
    "sort": _sort,
    "windows": _windows,
    "einsum": _einsum,
    "cross": _cross,
    "inv": lambda shapes, attrs: _square(shapes[0]),
    "cholesky": lambda shapes, attrs: _square(shapes[0]),
    "det": lambda shapes, attrs: _square(shapes[0])[:-2],
    "logabsdet": lambda shapes, attrs: _square(shapes[0])[:-2],
    "solve": _solve,
    "eigh": _eigh,
}
