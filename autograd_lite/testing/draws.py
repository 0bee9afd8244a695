"""Random calls of the built-in ops: hypothesis strategies by kind of op.

Each strategy draws one :class:`Call`: float64 arrays inside the op's domain and away from
its kinks (or constants such as labels and masks), broadcastable shapes, and attributes.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from .calls import Call

MAX_DIMS = 4
MAX_SIDE = 3


# --- element strategies: each keeps inputs inside the domain and away from kinks ---------
def reals(lo: float = -3.0, hi: float = 3.0) -> st.SearchStrategy[float]:
    return st.floats(lo, hi, allow_nan=False, allow_infinity=False)


def positive() -> st.SearchStrategy[float]:
    return st.floats(0.2, 3.0)


def away_from_zero() -> st.SearchStrategy[float]:
    """|x| >= 0.5: denominators, and inputs of abs, relu and sign."""
    return st.floats(0.5, 3.0).flatmap(lambda v: st.sampled_from([v, -v]))


def lattice(offset: float) -> st.SearchStrategy[float]:
    """Multiples of 0.1 plus an offset: two lattices with different offsets never tie."""
    return st.integers(-20, 20).map(lambda k: round(0.1 * k + offset, 10))


def shapes(min_dims: int = 0) -> st.SearchStrategy[tuple[int, ...]]:
    return hnp.array_shapes(min_dims=min_dims, max_dims=MAX_DIMS, min_side=1, max_side=MAX_SIDE)


def arrays(shape: tuple[int, ...], elements: st.SearchStrategy[float]) -> st.SearchStrategy:
    return hnp.arrays(np.float64, shape, elements=elements)


def distinct(shape: tuple[int, ...]) -> st.SearchStrategy[np.ndarray]:
    """Values at least 0.05 apart, so max and min have no ties within a step of the check."""
    n = int(np.prod(shape))
    return st.permutations(range(-60, 60)).map(
        lambda p: np.array(p[:n], dtype=np.float64).reshape(shape) * 0.05
    )


def axis_for(ndim: int) -> st.SearchStrategy[int]:
    return st.integers(-ndim, ndim - 1)


def reduce_axes(ndim: int) -> st.SearchStrategy[Any]:
    if ndim == 0:
        return st.none()
    return st.one_of(st.none(), axis_for(ndim), hnp.valid_tuple_axes(ndim, min_size=1))


# --- call strategies by kind of op -------------------------------------------------------
def unary(elements: st.SearchStrategy[float]) -> st.SearchStrategy[Call]:
    return shapes().flatmap(lambda s: arrays(s, elements)).map(lambda x: Call((x,), {}, (0,)))


@st.composite
def binary(draw: Any, x_elems: Any, y_elems: Any) -> Call:
    shape_x, shape_y = draw(
        hnp.mutually_broadcastable_shapes(num_shapes=2, max_dims=MAX_DIMS, max_side=MAX_SIDE)
    ).input_shapes
    return Call((draw(arrays(shape_x, x_elems)), draw(arrays(shape_y, y_elems))), {}, (0, 1))


@st.composite
def reduction(draw: Any, distinct_values: bool = False) -> Call:
    shape = draw(shapes())
    x = draw(distinct(shape) if distinct_values else arrays(shape, reals()))
    attrs = {"axis": draw(reduce_axes(len(shape))), "keepdims": draw(st.booleans())}
    return Call((x,), attrs, (0,))


@st.composite
def average_calls(draw: Any) -> Call:
    """np.average's inputs: values, and positive weights of the same shape or (for one axis)
    of that axis's length."""
    shape = draw(shapes())
    axis = draw(reduce_axes(len(shape)))
    along = isinstance(axis, int) and draw(st.booleans())
    w_shape = (shape[axis],) if along else shape
    a, w = draw(arrays(shape, reals())), draw(arrays(w_shape, st.floats(0.5, 2.0)))
    return Call((a, w), {"axis": axis, "keepdims": draw(st.booleans())}, (0, 1))


@st.composite
def along_axis(draw: Any) -> Call:
    shape = draw(shapes(min_dims=1))
    return Call((draw(arrays(shape, reals(-5, 5))),), {"axis": draw(axis_for(len(shape)))}, (0,))


@st.composite
def matmul_calls(draw: Any) -> Call:
    m, k, n = (draw(st.integers(1, MAX_SIDE)) for _ in range(3))
    batch_a, batch_b = draw(
        hnp.mutually_broadcastable_shapes(num_shapes=2, max_dims=2, max_side=MAX_SIDE)
    ).input_shapes
    a_is_vector, b_is_vector = draw(st.booleans()), draw(st.booleans())
    shape_a = (k,) if a_is_vector else batch_a + (m, k)
    shape_b = (k,) if b_is_vector else batch_b + (k, n)
    return Call((draw(arrays(shape_a, reals())), draw(arrays(shape_b, reals()))), {}, (0, 1))


@st.composite
def linear_calls(draw: Any) -> Call:
    rows, n_in, n_out = (draw(st.integers(1, MAX_SIDE)) for _ in range(3))
    x_shape = draw(st.sampled_from([(n_in,), (rows, n_in), (2, rows, n_in)]))
    bias_shape = draw(st.sampled_from([(n_out,), (1, n_out), ()]))
    x, w = draw(arrays(x_shape, reals())), draw(arrays((n_in, n_out), reals()))
    return Call((x, w, draw(arrays(bias_shape, reals()))), {}, (0, 1, 2))


@st.composite
def where_calls(draw: Any) -> Call:
    sc, sx, sy = draw(
        hnp.mutually_broadcastable_shapes(num_shapes=3, max_dims=MAX_DIMS, max_side=MAX_SIDE)
    ).input_shapes
    condition = draw(hnp.arrays(np.bool_, sc))
    return Call((condition, draw(arrays(sx, reals())), draw(arrays(sy, reals()))), {}, (1, 2))


@st.composite
def clip_calls(draw: Any) -> Call:
    x = draw(shapes().flatmap(lambda s: arrays(s, lattice(0.05))))
    bounds = draw(st.sampled_from([(-1.0, 1.0), (None, 0.5), (-0.5, None)]))
    return Call((x,), {"a_min": bounds[0], "a_max": bounds[1]}, (0,))


@st.composite
def cross_entropy_calls(draw: Any) -> Call:
    shape = draw(shapes(min_dims=1))
    axis = draw(axis_for(len(shape)))
    logits = draw(arrays(shape, reals(-5, 5)))
    reduction_ = draw(st.sampled_from(["mean", "sum", "none"]))
    if draw(st.booleans()):
        label_shape = shape[: axis % len(shape)] + shape[axis % len(shape) + 1 :]
        labels = draw(hnp.arrays(np.int64, label_shape, elements=st.integers(0, shape[axis] - 1)))
        return Call((logits, labels), {"axis": axis, "reduction": reduction_}, (0,))
    raw = draw(arrays(shape, st.floats(0.1, 1.0)))
    if draw(st.booleans()):  # rows of probabilities; or any weights, which need not sum to 1
        raw = raw / raw.sum(axis=axis, keepdims=True)
    return Call((logits, raw), {"axis": axis, "reduction": reduction_}, (0, 1))


@st.composite
def reshape_calls(draw: Any) -> Call:
    shape = draw(shapes())
    size = int(np.prod(shape))
    new = draw(st.sampled_from([(size,), shape[::-1], (1, *shape), (*shape, 1), (-1,)]))
    return Call((draw(arrays(shape, reals())),), {"shape": new}, (0,))


@st.composite
def transpose_calls(draw: Any) -> Call:
    shape = draw(shapes())
    axes = draw(st.one_of(st.none(), st.permutations(range(len(shape))).map(tuple)))
    if axes is not None and axes and draw(st.booleans()):
        axes = tuple(a - len(shape) for a in axes)  # negative axes too
    return Call((draw(arrays(shape, reals())),), {"axes": axes}, (0,))


@st.composite
def broadcast_to_calls(draw: Any) -> Call:
    target = draw(shapes())
    keep = draw(st.integers(0, len(target)))
    shape = tuple(n if draw(st.booleans()) else 1 for n in target[len(target) - keep :])
    return Call((draw(arrays(shape, reals())),), {"shape": target}, (0,))


@st.composite
def expand_dims_calls(draw: Any) -> Call:
    shape = draw(shapes(min_dims=0))
    axis = draw(st.integers(-(len(shape) + 1), len(shape)))
    return Call((draw(arrays(shape, reals())),), {"axis": axis}, (0,))


@st.composite
def squeeze_calls(draw: Any) -> Call:
    shape = draw(hnp.array_shapes(min_dims=1, max_dims=MAX_DIMS, min_side=1, max_side=2))
    ones = [i for i, n in enumerate(shape) if n == 1]
    axis = draw(st.one_of(st.none(), st.sampled_from(ones))) if ones else None
    return Call((draw(arrays(shape, reals())),), {"axis": axis}, (0,))


@st.composite
def concatenate_calls(draw: Any) -> Call:
    shape = draw(shapes(min_dims=1))
    axis = draw(axis_for(len(shape)))
    count = draw(st.integers(1, 3))
    parts = []
    for _ in range(count):
        part_shape = list(shape)
        part_shape[axis] = draw(st.integers(1, MAX_SIDE))
        parts.append(draw(arrays(tuple(part_shape), reals())))
    return Call(tuple(parts), {"axis": axis}, tuple(range(count)))


@st.composite
def stack_calls(draw: Any) -> Call:
    shape = draw(shapes())
    axis = draw(st.integers(-(len(shape) + 1), len(shape)))
    count = draw(st.integers(1, 3))
    parts = tuple(draw(arrays(shape, reals())) for _ in range(count))
    return Call(parts, {"axis": axis}, tuple(range(count)))


@st.composite
def indices(draw: Any, shape: tuple[int, ...]) -> Any:
    """A basic slice, an int, an integer array with repeats, a boolean mask, or a tuple."""
    n = shape[0]
    kind = draw(st.sampled_from(["slice", "int", "ints", "mask", "tuple"]))
    if kind == "slice":
        start = draw(st.integers(-n, n - 1))
        return slice(start, None, draw(st.sampled_from([1, 2, -1])))
    if kind == "int":
        return draw(st.integers(-n, n - 1))
    if kind == "ints":
        return np.array(draw(st.lists(st.integers(-n, n - 1), min_size=1, max_size=5)))
    if kind == "mask":
        return draw(hnp.arrays(np.bool_, shape))
    return (draw(st.integers(-n, n - 1)), Ellipsis)


@st.composite
def getitem_calls(draw: Any) -> Call:
    shape = draw(shapes(min_dims=1))
    return Call((draw(arrays(shape, reals())),), {"index": draw(indices(shape))}, (0,))


@st.composite
def add_at_calls(draw: Any) -> Call:
    shape = draw(shapes(min_dims=1))
    index = draw(indices(shape))
    values = draw(arrays(np.zeros(shape)[index].shape, reals()))
    return Call((values,), {"index": index, "shape": shape}, (0,))
