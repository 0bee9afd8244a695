"""Random calls and fixed layouts of prod, cumprod and sort.

prod's and cumprod's elements include exact zeros (one or several in a row), where the
textbook rule divides 0 by 0; both are multilinear, so central differences are exact there
too. sort's elements are distinct: at a tie its derivative is a choice, not a number
finite differences can check.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st

from . import layouts as fixed
from .calls import Call, OpSpec
from .draws import arrays, axis_for, distinct, reduce_axes, shapes

# magnitudes near 1, so a product of many stays near 1; and exact zeros
FACTORS = st.floats(0.6, 1.4) | st.floats(-1.4, -0.6) | st.just(0.0)


def with_zeros(shape: tuple[int, ...]) -> np.ndarray:
    """Factors near 1 in magnitude, with zeros at flat positions 1, 5 and 6 (one or two to a
    row of most layouts)."""
    a = fixed.away_from_zero(shape)
    x = 0.2 * a + np.sign(a)  # 1.1 to 1.6 in magnitude
    flat = x.reshape(-1)
    flat[[i for i in (1, 5, 6) if i < flat.size]] = 0.0
    return flat.reshape(shape)


@st.composite
def prod_calls(draw: Any) -> Call:
    shape = draw(shapes())
    attrs = {"axis": draw(reduce_axes(len(shape))), "keepdims": draw(st.booleans())}
    return Call((draw(arrays(shape, FACTORS)),), attrs, (0,))


@st.composite
def cumprod_calls(draw: Any) -> Call:
    shape = draw(shapes())
    axis = draw(st.none() | axis_for(len(shape))) if shape else None
    return Call((draw(arrays(shape, FACTORS)),), {"axis": axis}, (0,))


@st.composite
def sort_calls(draw: Any) -> Call:
    shape = draw(shapes())
    axis = draw(st.none() | axis_for(len(shape))) if shape else None
    return Call((draw(distinct(shape)),), {"axis": axis}, (0,))


def sort_layouts() -> list[Call]:
    """Along each kind of axis (not 0-d's, which numpy's sort refuses), and flattened."""
    calls = [c for c in fixed.along_axis(fixed.distinct) if np.ndim(c.args[0])]
    return calls + [Call((fixed.distinct(s),), {"axis": None}, (0,)) for s in [(), (2, 3, 4)]]


PROD_AND_SORT_SPECS = [
    OpSpec(
        "prod",
        lambda x, axis=None, keepdims=False: np.prod(x, axis=axis, keepdims=keepdims),
        prod_calls(),
        fixed.reductions(with_zeros) + [Call((with_zeros((3, 4)),), {"axis": 1}, (0,))],
    ),
    OpSpec(
        "cumprod",
        lambda x, axis=None: np.cumprod(x, axis=axis),
        cumprod_calls(),
        fixed.along_axis(with_zeros) + fixed.unary(with_zeros, axis=None),
    ),
    OpSpec("sort", lambda x, axis=-1: np.sort(x, axis=axis), sort_calls(), sort_layouts()),
]
