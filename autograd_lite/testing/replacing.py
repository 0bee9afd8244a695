"""Random calls and fixed layouts of the out-of-place writes: nan_to_num (NaN and infinite
elements among finite ones) and put_along_axis (distinct indices along each line)."""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st

from . import layouts as fixed
from .calls import Call, OpSpec
from .draws import arrays, axis_for, reals, shapes

NOT_FINITE = st.sampled_from([np.nan, np.inf, -np.inf])


@st.composite
def nan_to_num_calls(draw: Any) -> Call:
    x = draw(shapes().flatmap(lambda s: arrays(s, reals() | NOT_FINITE)))
    # finite replacements: numpy's default for inf, the largest float, would make the
    # checker's allowance for rounding (which scales with the output) infinite
    attrs = {"nan": draw(reals()), "posinf": draw(reals()), "neginf": draw(reals())}
    return Call((x,), attrs, (0,))


def not_finite(shape: tuple[int, ...]) -> np.ndarray:
    """Real values with NaN, inf and -inf at flat positions 1, 2 and 4."""
    x = fixed.reals(shape).reshape(-1)
    for i, v in zip((1, 2, 4), (np.nan, np.inf, -np.inf), strict=True):
        if i < x.size:
            x[i] = v
    return x.reshape(shape)


def first_of_permutations(keys: np.ndarray, k: int, axis: int) -> np.ndarray:
    """Distinct indices along ``axis``: the first k of each line's sorting permutation."""
    return np.take(np.argsort(keys, axis=axis, kind="stable"), np.arange(k), axis=axis)


@st.composite
def put_along_axis_calls(draw: Any) -> Call:
    shape = draw(shapes(min_dims=1))
    axis = draw(axis_for(len(shape))) % len(shape)
    k = draw(st.integers(0, shape[axis]))
    indices = first_of_permutations(draw(arrays(shape, reals())), k, axis)
    values_shape = tuple(1 if draw(st.booleans()) else n for n in indices.shape)
    arr, values = draw(arrays(shape, reals())), draw(arrays(values_shape, reals()))
    return Call((arr, values), {"indices": indices, "axis": axis}, (0, 1))


def put_along_axis_layouts() -> list[Call]:
    """A middle axis of 3 dims with values broadcast along the first, the last axis, an
    empty axis beside, length-1 lines, and writes to every slot of a line."""
    cases = [
        ((2, 3, 4), 1, 2, (1, 2, 4)),
        ((2, 3, 4), 2, 3, (2, 3, 3)),
        ((4,), 0, 2, (2,)),
        ((2, 0, 3), 2, 1, (2, 0, 1)),
        ((1, 4, 1), 1, 4, (1, 4, 1)),
        ((3, 1), 1, 1, (3, 1)),
    ]
    calls = []
    for shape, axis, k, values_shape in cases:
        indices = first_of_permutations(fixed.reals(shape), k, axis)
        args = (fixed.reals(shape), fixed.reals(values_shape) + 5)
        calls.append(Call(args, {"indices": indices, "axis": axis}, (0, 1)))
    return calls


def ref_put_along_axis(arr: np.ndarray, values: np.ndarray, indices: Any, axis: int) -> Any:
    out = arr.copy()
    np.put_along_axis(out, indices, values, axis)
    return out


REPLACING_SPECS = [
    OpSpec(
        "nan_to_num",
        lambda x, nan=0.0, posinf=None, neginf=None: np.nan_to_num(x, True, nan, posinf, neginf),
        nan_to_num_calls(),
        fixed.unary(not_finite, nan=0.0, posinf=9.0, neginf=-9.0),
    ),
    OpSpec("put_along_axis", ref_put_along_axis, put_along_axis_calls(), put_along_axis_layouts()),
]
