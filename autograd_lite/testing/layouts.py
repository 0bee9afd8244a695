"""Fixed layouts that every op's entry runs besides its random draws.

A wrong gradient once hid in one layout (labels on a middle axis of 3-d logits) behind 30
random examples, so each op also gets explicit calls: a non-last axis, inputs of 3 or more
dims, 0-d inputs (with axis 0 and -1 where the op takes an axis), size-0 and size-1 dims.
The tests run each call twice: as it is, and with every array replaced by a non-contiguous
view of the same values (:func:`strided`). Values are deterministic and inside each op's
domain, as the random draws are.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .calls import Call

Values = Callable[[tuple[int, ...]], np.ndarray]


def _rng(shape: tuple[int, ...]) -> np.random.Generator:
    return np.random.default_rng(abs(hash(shape)) % 2**32)


def between(lo: float, hi: float) -> Values:
    """Uniform values in [lo, hi]."""
    return lambda shape: np.asarray(_rng(shape).uniform(lo, hi, shape))


reals = between(-3, 3)
positive = between(0.2, 3)


def away_from_zero(shape: tuple[int, ...]) -> np.ndarray:
    """|x| >= 0.5: denominators, and inputs of abs, relu and sign."""
    rng = _rng(shape)
    return np.asarray(rng.uniform(0.5, 3, shape) * rng.choice([-1.0, 1.0], shape))


def sampled(values: list[float]) -> Values:
    """Values drawn from a short list (divisors whose ratios to a lattice avoid integers)."""
    return lambda shape: np.asarray(_rng(shape).choice(values, shape))


def lattice(offset: float) -> Values:
    """Multiples of 0.1 plus an offset (two offsets never tie), as the random draws."""
    return lambda shape: np.asarray(
        np.round(_rng(shape).integers(-20, 21, shape) * 0.1 + offset, 10)
    )


def distinct(shape: tuple[int, ...]) -> np.ndarray:
    """Values 0.05 apart, so max and min have no ties."""
    n = int(np.prod(shape))
    return (_rng(shape).permutation(np.arange(-n, n))[:n] * 0.05).reshape(shape)


def strided(a: Any) -> Any:
    """The same values as a non-contiguous view (every second element of a wider array)."""
    if not isinstance(a, np.ndarray) or a.size < 2:
        return a
    wide = np.zeros((*a.shape, 2), dtype=a.dtype)
    wide[..., 1] = a
    return wide[..., 1]


# --- layouts by kind of op ------------------------------------------------------------------
UNARY_SHAPES = [(), (0,), (1,), (1, 1), (3,), (2, 3, 4), (2, 0, 3), (1, 4, 1)]
BINARY_SHAPES = [
    ((), ()),
    ((2, 3, 4), (2, 3, 4)),
    ((2, 3, 4), (3, 1)),
    ((2, 1, 4), (3, 1)),
    ((), (2, 3)),
    ((2, 3), ()),
    ((0, 3), (3,)),
    ((1,), (2, 0)),
    ((1, 1), (1,)),
]


def unary(values: Values, **attrs: Any) -> list[Call]:
    return [Call((values(s),), dict(attrs), (0,)) for s in UNARY_SHAPES]


def binary(x_values: Values, y_values: Values) -> list[Call]:
    return [Call((x_values(a), y_values(b)), {}, (0, 1)) for a, b in BINARY_SHAPES]


def reductions(values: Values, empty: bool = True) -> list[Call]:
    """Over None, one axis (a middle one too), a tuple of axes, no axes (``()``: numpy's
    identity); 0-d over axis 0 and -1; with and without keepdims; over an axis next to a
    size-0 one, and (``empty``) over an empty one."""
    cases: list[tuple[tuple[int, ...], Any]] = [
        ((2, 3), ()),
        ((), None),
        ((), 0),
        ((), -1),
        ((3,), 0),
        ((2, 3, 4), 1),
        ((2, 3, 4), (0, 2)),
        ((2, 3, 4), -1),
        ((2, 3, 4), None),
        ((2, 0, 3), 2),
        ((1, 4, 1), 0),
        ((3, 1), 1),
    ]
    if empty:
        cases += [((2, 0, 3), 1), ((0,), None)]
    return [
        Call((values(shape),), {"axis": axis, "keepdims": keepdims}, (0,))
        for shape, axis in cases
        for keepdims in (False, True)
    ]


ALONG_AXIS = [
    ((), 0),
    ((), -1),
    ((3,), 0),
    ((2, 3, 4), 0),
    ((2, 3, 4), 1),
    ((2, 3, 4), -1),
    ((2, 0, 3), 1),
    ((2, 0, 3), 2),
    ((1, 4, 1), 0),
    ((1, 4, 1), -1),
]


def average() -> list[Call]:
    """Weighted averages: weights of the input's shape over the reductions' layouts, and 1-d
    weights along a middle axis and along an axis of length 1."""
    weights = between(0.5, 2.0)
    calls = [
        Call((c.args[0], weights(c.args[0].shape)), c.attrs, (0, 1))
        for c in reductions(reals, empty=False)
    ]
    calls += [
        Call((reals((2, 3, 4)), weights((3,))), {"axis": 1, "keepdims": False}, (0, 1)),
        Call((reals((2, 1)), weights((1,))), {"axis": -1, "keepdims": True}, (0, 1)),
    ]
    return calls


def with_ddof(values: Values) -> list[Call]:
    """Spreads with ddof=1 over reductions of at least two elements."""
    cases = [((2, 3, 4), 1, False), ((3, 5), None, True), ((4, 2), (0, 1), False)]
    return [
        Call((values(shape),), {"axis": axis, "ddof": 1, "keepdims": keepdims}, (0,))
        for shape, axis, keepdims in cases
    ]


def along_axis(values: Values) -> list[Call]:
    return [Call((values(shape),), {"axis": axis}, (0,)) for shape, axis in ALONG_AXIS]


def cross_entropy() -> list[Call]:
    """Labels and probability rows (normalised and not), on every axis of 1-, 2- and 3-d
    logits, each reduction; zero rows; a single class."""
    calls = []
    reductions_ = ["mean", "sum", "none"]
    k = 0
    for shape in [(3,), (2, 3), (2, 3, 4), (0, 3), (2, 0, 3), (2, 1)]:
        for axis in range(-len(shape), len(shape)):
            if shape[axis] == 0:
                continue
            reduction = reductions_[k % 3]
            k += 1
            logits = reals(shape)
            rng = _rng((*shape, axis))
            label_shape = shape[: axis % len(shape)] + shape[axis % len(shape) + 1 :]
            labels = rng.integers(0, shape[axis], label_shape)
            raw = rng.uniform(0.1, 1.0, shape)
            normalised = raw / raw.sum(axis=axis, keepdims=True)
            attrs = {"axis": axis, "reduction": reduction}
            calls.append(Call((logits, labels), attrs, (0,)))
            calls.append(Call((logits, normalised), attrs, (0, 1)))
            calls.append(Call((logits, raw * 1.7), attrs, (0, 1)))
    return calls


def matmul() -> list[Call]:
    pairs = [
        ((3,), (3,)),
        ((3,), (2, 3, 4)),
        ((2, 3, 4), (4,)),
        ((2, 3, 4), (2, 4, 2)),
        ((1, 3, 4), (2, 4, 5)),
        ((2, 1, 3, 4), (3, 4, 2)),
        ((2, 0), (0, 3)),
        ((0, 3), (3, 2)),
        ((1, 1), (1, 1)),
    ]
    return [Call((reals(a), reals(b)), {}, (0, 1)) for a, b in pairs]


def linear() -> list[Call]:
    shapes = [
        ((3,), (3, 2), (2,)),
        ((4, 3), (3, 2), ()),
        ((2, 4, 3), (3, 2), (1, 2)),
        ((0, 3), (3, 2), (2,)),
        ((4, 0), (0, 2), (2,)),
        ((1, 1), (1, 1), (1,)),
    ]
    return [Call(tuple(reals(s) for s in three), {}, (0, 1, 2)) for three in shapes]


def where() -> list[Call]:
    shapes = [
        ((2, 3, 4), (2, 3, 4), (2, 3, 4)),
        ((3, 1), (2, 1, 4), ()),
        ((), (2, 3), (3,)),
        ((0, 3), (3,), (1, 3)),
        ((1,), (1, 1), ()),
    ]
    return [Call((reals(c) > 0, reals(x), reals(y)), {}, (1, 2)) for c, x, y in shapes]


def clip() -> list[Call]:
    bounds = [(-1.0, 1.0), (None, 0.5), (-0.5, None)]
    return [
        Call((lattice(0.05)(s),), {"a_min": lo, "a_max": hi}, (0,))
        for i, s in enumerate(UNARY_SHAPES)
        for lo, hi in [bounds[i % 3]]
    ]


def with_attr(name: str, cases: list[tuple[tuple[int, ...], Any]]) -> list[Call]:
    """One-input calls of real values, each shape with its value of attribute ``name``."""
    return [Call((reals(shape),), {name: value}, (0,)) for shape, value in cases]


def concatenate() -> list[Call]:
    cases: list[tuple[list[tuple[int, ...]], int | None]] = [
        ([(2, 3, 4), (2, 1, 4)], 1),
        ([(2, 3), (2, 2)], -1),
        ([(0, 3), (2, 3)], 0),
        ([(3,), (0,), (2,)], 0),
        ([(2, 3, 4)], 2),
        ([(2, 2), (3,), ()], None),  # numpy flattens each, then joins
    ]
    return [
        Call(tuple(reals(s) for s in shapes), {"axis": axis}, tuple(range(len(shapes))))
        for shapes, axis in cases
    ]


def stack() -> list[Call]:
    cases: list[tuple[list[tuple[int, ...]], int]] = [
        ([(), ()], 0),
        ([(), ()], -1),
        ([(2, 3, 4)] * 2, 1),
        ([(0, 3)] * 2, -1),
        ([(3,)], 0),
        ([(1, 2)] * 3, 2),
    ]
    return [
        Call(
            tuple(reals(s) for s in shapes),
            {"axis": axis},
            tuple(range(len(shapes))),
        )
        for shapes, axis in cases
    ]


INDEXES: list[tuple[tuple[int, ...], Any]] = [
    ((2, 3, 4), (slice(None), 1)),
    ((2, 3, 4), (Ellipsis, slice(None, None, -1))),
    ((2, 3, 4), (slice(None), np.array([0, 2, 0]))),
    ((2, 3, 4), reals((2, 3, 4)) > 0),
    ((0, 3), (slice(None), 1)),
    ((), ()),
    ((), Ellipsis),
    ((1, 4, 1), (0, slice(1, 3))),
]


def getitem() -> list[Call]:
    return [Call((reals(shape),), {"index": index}, (0,)) for shape, index in INDEXES]


def add_at() -> list[Call]:
    return [
        Call((reals(np.zeros(shape)[index].shape),), {"index": index, "shape": shape}, (0,))
        for shape, index in INDEXES
    ]
