"""Random calls and fixed layouts of the products: einsum (any explicit subscripts, repeated
indices included) and cross."""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from . import layouts as fixed
from .calls import Call
from .draws import MAX_SIDE, arrays, reals

INDICES = "abcd"


@st.composite
def einsum_calls(draw: Any) -> Call:
    """One to three operands of up to three indices each (repeats allowed: traces and
    diagonals), and an output of some of the indices in any order (the others summed)."""
    sizes = {c: draw(st.integers(1, MAX_SIDE)) for c in INDICES}
    n = draw(st.integers(1, 3))
    terms = ["".join(draw(st.lists(st.sampled_from(INDICES), max_size=3))) for _ in range(n)]
    used = sorted(set("".join(terms)))
    output = "".join(draw(st.permutations(used))[: draw(st.integers(0, len(used)))])
    operands = tuple(draw(arrays(tuple(sizes[c] for c in t), reals())) for t in terms)
    return Call(operands, {"subscripts": ",".join(terms) + "->" + output}, tuple(range(n)))


def einsum_layouts() -> list[Call]:
    cases: list[tuple[str, list[tuple[int, ...]]]] = [
        ("ij,jk->ik", [(2, 3), (3, 4)]),
        ("bij,bjk->bik", [(2, 2, 3), (2, 3, 2)]),
        ("ii->i", [(3, 3)]),  # a diagonal
        ("ii->", [(3, 3)]),  # a trace
        ("iij->ji", [(2, 2, 3)]),
        ("abij,bjk->abik", [(2, 1, 3, 4), (5, 4, 2)]),  # a size-1 axis broadcast
        ("i,i->", [(0,), (0,)]),
        ("ij,jk->ik", [(2, 0), (0, 3)]),
        (",ij->ij", [(), (2, 3)]),
        ("i->", [(1,)]),
        ("ijk->kji", [(2, 3, 4)]),
        ("ij,j,jk->ik", [(2, 3), (3,), (3, 2)]),
    ]
    return [
        Call(tuple(fixed.reals(s) for s in shapes), {"subscripts": spec}, tuple(range(len(shapes))))
        for spec, shapes in cases
    ]


@st.composite
def cross_calls(draw: Any) -> Call:
    """Two arrays of 3-component vectors along one axis, with broadcastable other axes."""
    a_rest, b_rest = draw(
        hnp.mutually_broadcastable_shapes(num_shapes=2, max_dims=2, max_side=MAX_SIDE)
    ).input_shapes
    ndim = max(len(a_rest), len(b_rest))
    at = draw(st.integers(0, ndim))  # where the vectors' axis goes, counted from the end
    a_rest = (1,) * (ndim - len(a_rest)) + a_rest
    b_rest = (1,) * (ndim - len(b_rest)) + b_rest
    a_shape = a_rest[: ndim - at] + (3,) + a_rest[ndim - at :]
    b_shape = b_rest[: ndim - at] + (3,) + b_rest[ndim - at :]
    a, b = draw(arrays(a_shape, reals())), draw(arrays(b_shape, reals()))
    return Call((a, b), {"axis": -1 - at}, (0, 1))


def cross_layouts() -> list[Call]:
    cases = [
        ((3,), (3,), -1),
        ((4, 3), (3,), -1),
        ((3, 2, 2), (3, 2, 2), 0),  # a non-last axis of 3 dims
        ((2, 3, 1), (2, 3, 4), 1),
        ((0, 3), (0, 3), -1),
        ((1, 3), (1, 3), -1),
    ]
    return [Call((fixed.reals(a), fixed.reals(b)), {"axis": axis}, (0, 1)) for a, b, axis in cases]


def ref_einsum(*operands: np.ndarray, subscripts: str, optimize: Any = False) -> np.ndarray:
    return np.einsum(subscripts, *operands)
