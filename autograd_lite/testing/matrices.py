"""Random calls and fixed layouts of the matrix functions (inv, det, log|det|, solve,
cholesky, eigh) and of norm.

The matrices stay far from where the functions have no derivative: invertible ones are
diagonally dominant, cholesky's are positive definite, eigh's have eigenvalues at least 1
apart; the triangle cholesky and eigh do not read holds other values, which must get no
gradient. norm's elements are away from 0 with distinct magnitudes (the max-norm's ties).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from hypothesis import strategies as st

from . import layouts as fixed
from .calls import Call, OpSpec
from .draws import MAX_SIDE, arrays, reals, reduce_axes, shapes

STACKS = [(), (1,), (2,), (2, 1)]
LAYOUT_STACKS = [((), 3), ((2,), 2), ((2, 1), 3), ((0,), 2), ((1,), 1), ((3,), 0)]


def invertible(m: np.ndarray) -> np.ndarray:
    """Entries in [-1, 1] plus n + 1 on the diagonal: diagonally dominant, so invertible."""
    n = m.shape[-1]
    return m + (n + 1) * np.eye(n)


def positive_definite(m: np.ndarray, junk: np.ndarray, upper: bool = False) -> np.ndarray:
    """m m^T + I in the triangle that is read; ``junk`` in the other one."""
    n = m.shape[-1]
    spd = m @ np.swapaxes(m, -1, -2) + np.eye(n)
    read = np.triu(np.ones((n, n), bool)) if upper else np.tril(np.ones((n, n), bool))
    return np.where(read, spd, junk)


def separated(off: np.ndarray, junk: np.ndarray, upper: bool = False) -> np.ndarray:
    """Eigenvalues 0, 2, 4, ... on the diagonal plus symmetric entries off it taken from
    ``off`` (|off| in [0.1, 0.3]; by Gershgorin's circles the eigenvalues stay at least 0.8
    apart for n <= 3). An off-diagonal 0 is avoided: there LAPACK's eigenvectors change sign
    under any perturbation, so finite differences see a jump the derivative does not have."""
    n = off.shape[-1]
    below = np.tril(off, -1)
    sym = below + np.swapaxes(below, -1, -2) + np.diag(2.0 * np.arange(n))
    read = np.triu(np.ones((n, n), bool)) if upper else np.tril(np.ones((n, n), bool))
    return np.where(read, sym, junk)


def _matrices(draw: Any, n: int, stack: tuple[int, ...]) -> np.ndarray:
    return draw(arrays((*stack, n, n), reals(-1, 1)))


@st.composite
def square_calls(draw: Any) -> Call:
    """One stack of invertible matrices (inv, det, log|det|)."""
    n, stack = draw(st.integers(1, MAX_SIDE)), draw(st.sampled_from(STACKS))
    return Call((invertible(_matrices(draw, n, stack)),), {}, (0,))


def square_layouts() -> list[Call]:
    return [Call((invertible(fixed.reals((*s, n, n)) / 3),), {}, (0,)) for s, n in LAYOUT_STACKS]


@st.composite
def solve_calls(draw: Any) -> Call:
    """a (a stack of invertible matrices) and b: one column, or columns with broadcast stacks."""
    n, stack = draw(st.integers(1, MAX_SIDE)), draw(st.sampled_from(STACKS))
    a = invertible(_matrices(draw, n, stack))
    if draw(st.booleans()) and not stack:
        b = draw(arrays((n,), reals()))
    else:
        b_stack = draw(st.sampled_from([stack, stack[1:], (1,) * len(stack)]))
        b = draw(arrays((*b_stack, n, draw(st.integers(1, MAX_SIDE))), reals()))
    return Call((a, b), {}, (0, 1))


def solve_layouts() -> list[Call]:
    cases = [
        ((3, 3), (3,)),
        ((2, 3, 3), (2, 3, 2)),
        ((2, 1, 2, 2), (3, 2, 1)),
        ((0, 2, 2), (0, 2, 3)),
    ]
    cases += [((1, 1), (1, 1)), ((2, 2), (2, 0)), ((2, 2, 2), (1, 2, 4))]
    return [Call((invertible(fixed.reals(a) / 3), fixed.reals(b)), {}, (0, 1)) for a, b in cases]


@st.composite
def cholesky_calls(draw: Any) -> Call:
    n, stack, upper = (
        draw(st.integers(1, MAX_SIDE)),
        draw(st.sampled_from(STACKS)),
        draw(st.booleans()),
    )
    m, junk = _matrices(draw, n, stack), _matrices(draw, n, stack)
    return Call((positive_definite(m, junk, upper),), {"upper": upper}, (0,))


@st.composite
def eigh_calls(draw: Any) -> Call:
    n, stack = draw(st.integers(1, MAX_SIDE)), draw(st.sampled_from(STACKS))
    uplo = draw(st.sampled_from("LU"))
    off = draw(arrays((*stack, n, n), st.floats(0.1, 0.3) | st.floats(-0.3, -0.1)))
    junk = _matrices(draw, n, stack)
    return Call((separated(off, junk, uplo == "U"),), {"UPLO": uplo}, (0,))


def triangle_layouts(build: Any, attr: str, values: tuple[Any, Any]) -> list[Call]:
    """cholesky's or eigh's layouts, reading each triangle in turn."""
    calls = []
    for i, (s, n) in enumerate(LAYOUT_STACKS):
        value = values[i % 2]
        m, junk = fixed.away_from_zero((*s, n, n)) / 10, 10 + fixed.reals((*s, n, n))
        calls.append(Call((build(m, junk, value in (True, "U")),), {attr: value}, (0,)))
    return calls


# --- norm ------------------------------------------------------------------------------------
def magnitudes(shape: tuple[int, ...], signs: np.ndarray) -> np.ndarray:
    """Distinct magnitudes from 0.3 up, 0.05 apart, with the given signs."""
    n = math.prod(shape)
    return (0.3 + 0.05 * np.arange(n)).reshape(shape) * signs


@st.composite
def norm_calls(draw: Any) -> Call:
    shape = draw(shapes())
    order = draw(st.permutations(range(math.prod(shape))))
    signs = draw(arrays(shape, st.sampled_from([-1.0, 1.0])))
    x = magnitudes(shape, signs).reshape(-1)[np.argsort(order)].reshape(shape)
    attrs = {
        "ord": draw(st.sampled_from([2, 1, math.inf, -math.inf])),
        "axis": draw(reduce_axes(len(shape))),
        "keepdims": draw(st.booleans()),
    }
    return Call((x,), attrs, (0,))


def norm_layouts() -> list[Call]:
    calls = []
    for call in fixed.reductions(fixed.away_from_zero):
        x = call.args[0]
        if x.size:
            x = magnitudes(x.shape, np.sign(x)).reshape(-1)[fixed.distinct(x.shape).argsort(None)]
            x = x.reshape(call.args[0].shape)
        empty = any(x.shape[a] == 0 for a in _axes(call.attrs["axis"], x.ndim))
        for ord_ in (2, 1) if empty else (2, 1, math.inf, -math.inf):
            calls.append(Call((x,), {**call.attrs, "ord": ord_}, (0,)))
    return calls


def _axes(axis: Any, ndim: int) -> tuple[int, ...]:
    if ndim == 0:
        return ()
    if axis is None:
        return tuple(range(ndim))
    return tuple(a % ndim for a in np.atleast_1d(axis))


def ref_norm(
    x: np.ndarray,
    ord: Any = 2,  # noqa: A002
    axis: Any = None,
    keepdims: bool = False,
) -> Any:
    a = np.abs(x)
    if ord == 2:
        return np.sqrt(np.sum(a**2, axis=axis, keepdims=keepdims))
    if ord == 1:
        return np.sum(a, axis=axis, keepdims=keepdims)
    return (np.max if ord > 0 else np.min)(a, axis=axis, keepdims=keepdims)


def ref_eigh(a: np.ndarray, UPLO: Any = "L") -> np.ndarray:
    w, v = np.linalg.eigh(a, UPLO=UPLO)
    return np.concatenate([w[..., None, :], v], axis=-2)


MATRIX_SPECS = [
    OpSpec("inv", np.linalg.inv, square_calls(), square_layouts()),
    OpSpec("det", np.linalg.det, square_calls(), square_layouts()),
    OpSpec("logabsdet", lambda a: np.linalg.slogdet(a)[1], square_calls(), square_layouts()),
    OpSpec("solve", np.linalg.solve, solve_calls(), solve_layouts()),
    OpSpec(
        "cholesky",
        lambda a, upper=False: np.linalg.cholesky(a, upper=upper),
        cholesky_calls(),
        triangle_layouts(positive_definite, "upper", (False, True)),
    ),
    OpSpec("eigh", ref_eigh, eigh_calls(), triangle_layouts(separated, "UPLO", ("L", "U"))),
    OpSpec("norm", ref_norm, norm_calls(), norm_layouts()),
]
