"""The table of every built-in op: how to draw its inputs and what numpy says it computes.

Each entry names an op, a numpy reference for its forward, a hypothesis strategy that
draws one call (see draws.py) and the op's fixed layouts (see layouts.py). The project's
property tests run over this table, and a test fails when a registered op has no entry or
an entry lacks a kind of layout, so no op can be added untested; ``check_op`` draws
built-in ops' inputs from it too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from hypothesis import strategies as st

from . import layouts as fixed
from .calls import Call
from .draws import (
    add_at_calls,
    along_axis,
    average_calls,
    away_from_zero,
    binary,
    broadcast_to_calls,
    clip_calls,
    concatenate_calls,
    cross_entropy_calls,
    expand_dims_calls,
    getitem_calls,
    lattice,
    linear_calls,
    matmul_calls,
    positive,
    reals,
    reduction,
    reshape_calls,
    squeeze_calls,
    stack_calls,
    transpose_calls,
    unary,
    where_calls,
)

# Divisors for the remainders: no multiple of one lies on the lattice 0.1 k + 0.03, |k| <= 20.
DIVISORS = [0.713, 1.3717, 2.1931, -0.713, -1.3717, -2.1931]


@dataclass(frozen=True)
class OpSpec:
    """An op's entry: its numpy reference, its random calls and its fixed layouts."""

    name: str
    reference: Callable[..., Any]
    calls: st.SearchStrategy[Call]
    layouts: list[Call] = field(default_factory=list)
    notes: str = field(default="")


# --- numpy references, written independently of the ops' forwards ------------------------
def ref_softmax(x: np.ndarray, axis: int = -1) -> np.ndarray:
    e = np.exp(x)
    return e / e.sum(axis=axis, keepdims=True)


def ref_logsumexp(x: np.ndarray, axis: Any = None, keepdims: bool = False) -> np.ndarray:
    return np.log(np.exp(x).sum(axis=axis, keepdims=keepdims))


def ref_cross_entropy(logits, target, axis=-1, reduction="mean"):
    logp = np.log(ref_softmax(logits, axis))
    if np.ndim(target) == logits.ndim - 1:
        onehot = np.moveaxis(np.eye(logits.shape[axis])[target], -1, axis)
        losses = -(onehot * logp).sum(axis=axis)
    else:
        losses = -(target * logp).sum(axis=axis)
    return {"mean": np.mean, "sum": np.sum, "none": lambda v: v}[reduction](losses)


def ref_spread(x: np.ndarray, axis: Any = None, ddof: int = 0, keepdims: bool = False) -> Any:
    """The standard deviation from its definition: sqrt(sum((x - mean)^2) / (n - ddof))."""
    if axis in (0, -1) and x.ndim == 0:
        axis = None
    centred = x - x.mean(axis=axis, keepdims=True)
    n = x.size // max(np.mean(x, axis=axis, keepdims=keepdims).size, 1) if x.size else 0
    return np.sqrt((centred**2).sum(axis=axis, keepdims=keepdims) / (n - ddof))


def ref_average(a: np.ndarray, w: np.ndarray, axis: Any = None, keepdims: bool = False) -> Any:
    """sum(w a) / sum(w), with 1-d weights laid along ``axis``."""
    if axis in (0, -1) and a.ndim == 0:
        axis = None
    if w.ndim != a.ndim:
        w = w.reshape([n if i == axis % a.ndim else 1 for i, n in enumerate(a.shape)])
    w = np.broadcast_to(w, a.shape)
    return (w * a).sum(axis=axis, keepdims=keepdims) / w.sum(axis=axis, keepdims=keepdims)


def ref_cumsum(x: np.ndarray, axis: Any = None) -> np.ndarray:
    """Running totals by adding the elements one at a time."""
    flat = x.reshape(-1) if axis is None or x.ndim == 0 else np.moveaxis(x, axis, -1)
    totals = np.zeros_like(flat)
    running = np.zeros(flat.shape[:-1])
    for k in range(flat.shape[-1]):
        running = running + flat[..., k]
        totals[..., k] = running
    return totals if axis is None or x.ndim == 0 else np.moveaxis(totals, -1, axis)


def ref_mean(x: np.ndarray, axis: Any = None, keepdims: bool = False) -> np.ndarray:
    if axis in (0, -1) and x.ndim == 0:
        axis = None  # numpy's other reductions allow this; np.mean does not
    return np.mean(x, axis=axis, keepdims=keepdims)


def ref_add_at(x, index=None, shape=()):
    out = np.zeros(shape)
    np.add.at(out, index, x)
    return out


SPECS: list[OpSpec] = [
    OpSpec("add", np.add, binary(reals(), reals()), fixed.binary(fixed.reals, fixed.reals)),
    OpSpec(
        "subtract", np.subtract, binary(reals(), reals()), fixed.binary(fixed.reals, fixed.reals)
    ),
    OpSpec(
        "multiply", np.multiply, binary(reals(), reals()), fixed.binary(fixed.reals, fixed.reals)
    ),
    OpSpec(
        "divide",
        np.divide,
        binary(reals(), away_from_zero()),
        fixed.binary(fixed.reals, fixed.away_from_zero),
    ),
    OpSpec("negative", np.negative, unary(reals()), fixed.unary(fixed.reals)),
    OpSpec(
        "power",
        np.power,
        binary(st.floats(0.5, 2.0), reals(-2, 2)),
        fixed.binary(fixed.between(0.5, 2.0), fixed.between(-2, 2)),
    ),
    OpSpec("matmul", np.matmul, matmul_calls(), fixed.matmul()),
    OpSpec("linear", lambda x, w, b: x @ w + b, linear_calls(), fixed.linear()),
    OpSpec("exp", np.exp, unary(reals()), fixed.unary(fixed.reals)),
    OpSpec("log", np.log, unary(positive()), fixed.unary(fixed.positive)),
    OpSpec("sqrt", np.sqrt, unary(positive()), fixed.unary(fixed.positive)),
    OpSpec("tanh", np.tanh, unary(reals()), fixed.unary(fixed.reals)),
    OpSpec("exp2", np.exp2, unary(reals()), fixed.unary(fixed.reals)),
    OpSpec("expm1", lambda x: np.exp(x) - 1, unary(reals()), fixed.unary(fixed.reals)),
    OpSpec("log2", lambda x: np.log(x) / np.log(2), unary(positive()), fixed.unary(fixed.positive)),
    OpSpec(
        "log10", lambda x: np.log(x) / np.log(10), unary(positive()), fixed.unary(fixed.positive)
    ),
    OpSpec(
        "log1p",
        lambda x: np.log(1 + x),
        unary(reals(-0.5, 3)),
        fixed.unary(fixed.between(-0.5, 3)),
    ),
    OpSpec("square", lambda x: x * x, unary(reals()), fixed.unary(fixed.reals)),
    OpSpec(
        "reciprocal", lambda x: 1 / x, unary(away_from_zero()), fixed.unary(fixed.away_from_zero)
    ),
    OpSpec(
        "cbrt",
        lambda x: np.sign(x) * np.abs(x) ** (1 / 3),
        unary(away_from_zero()),
        fixed.unary(fixed.away_from_zero),
    ),
    # Rounding: flat between the jumps, so drawn on a lattice that avoids the integers and
    # the half-way points.
    OpSpec("floor", np.floor, unary(lattice(0.05)), fixed.unary(fixed.lattice(0.05))),
    OpSpec("ceil", np.ceil, unary(lattice(0.05)), fixed.unary(fixed.lattice(0.05))),
    OpSpec("trunc", np.trunc, unary(lattice(0.05)), fixed.unary(fixed.lattice(0.05))),
    OpSpec("round", np.round, unary(lattice(0.05)), fixed.unary(fixed.lattice(0.05))),
    OpSpec("deg2rad", lambda x: x * np.pi / 180, unary(reals()), fixed.unary(fixed.reals)),
    OpSpec("rad2deg", lambda x: x * 180 / np.pi, unary(reals()), fixed.unary(fixed.reals)),
    OpSpec(
        "hypot",
        lambda x, y: np.sqrt(x * x + y * y),
        binary(away_from_zero(), away_from_zero()),
        fixed.binary(fixed.away_from_zero, fixed.away_from_zero),
    ),
    OpSpec(
        "arctan2",
        lambda y, x: np.angle(x + 1j * y),
        binary(away_from_zero(), reals()),  # y != 0: away from the cut along x < 0
        fixed.binary(fixed.away_from_zero, fixed.reals),
    ),
    OpSpec(
        "logaddexp",
        lambda x, y: np.log(np.exp(x) + np.exp(y)),
        binary(reals(), reals()),
        fixed.binary(fixed.reals, fixed.reals),
    ),
    OpSpec(
        "logaddexp2",
        lambda x, y: np.log2(2**x + 2**y),
        binary(reals(), reals()),
        fixed.binary(fixed.reals, fixed.reals),
    ),
    OpSpec(
        "copysign",
        lambda x, y: np.abs(x) * np.sign(y),
        binary(away_from_zero(), away_from_zero()),
        fixed.binary(fixed.away_from_zero, fixed.away_from_zero),
    ),
    OpSpec(
        "fmax",
        lambda x, y: np.where(x >= y, x, y),
        binary(lattice(0.03), lattice(0.07)),
        fixed.binary(fixed.lattice(0.03), fixed.lattice(0.07)),
    ),
    OpSpec(
        "fmin",
        lambda x, y: np.where(x <= y, x, y),
        binary(lattice(0.03), lattice(0.07)),
        fixed.binary(fixed.lattice(0.03), fixed.lattice(0.07)),
    ),
    # The remainders jump where x / y is an integer: x on a lattice, y from divisors
    # whose ratios to it never are.
    OpSpec(
        "fmod",
        lambda x, y: x - np.trunc(x / y) * y,
        binary(lattice(0.03), st.sampled_from(DIVISORS)),
        fixed.binary(fixed.lattice(0.03), fixed.sampled(DIVISORS)),
    ),
    OpSpec(
        "mod",
        lambda x, y: x - np.floor(x / y) * y,
        binary(lattice(0.03), st.sampled_from(DIVISORS)),
        fixed.binary(fixed.lattice(0.03), fixed.sampled(DIVISORS)),
    ),
    OpSpec(
        "floor_divide",
        lambda x, y: np.floor(x / y),
        binary(lattice(0.03), st.sampled_from(DIVISORS)),
        fixed.binary(fixed.lattice(0.03), fixed.sampled(DIVISORS)),
    ),
    OpSpec(
        "heaviside",
        lambda x, h0: np.where(x > 0, 1.0, np.where(x < 0, 0.0, h0)),
        binary(away_from_zero(), reals()),
        fixed.binary(fixed.away_from_zero, fixed.reals),
    ),
    OpSpec("sin", np.sin, unary(reals()), fixed.unary(fixed.reals)),
    OpSpec("cos", np.cos, unary(reals()), fixed.unary(fixed.reals)),
    OpSpec("tan", np.tan, unary(reals(-1.2, 1.2)), fixed.unary(fixed.between(-1.2, 1.2))),
    OpSpec("arcsin", np.arcsin, unary(reals(-0.9, 0.9)), fixed.unary(fixed.between(-0.9, 0.9))),
    OpSpec("arccos", np.arccos, unary(reals(-0.9, 0.9)), fixed.unary(fixed.between(-0.9, 0.9))),
    OpSpec("arctan", np.arctan, unary(reals()), fixed.unary(fixed.reals)),
    OpSpec("sinh", np.sinh, unary(reals()), fixed.unary(fixed.reals)),
    OpSpec("cosh", np.cosh, unary(reals()), fixed.unary(fixed.reals)),
    OpSpec("arcsinh", np.arcsinh, unary(reals()), fixed.unary(fixed.reals)),
    OpSpec("arccosh", np.arccosh, unary(reals(1.2, 4.0)), fixed.unary(fixed.between(1.2, 4.0))),
    OpSpec("arctanh", np.arctanh, unary(reals(-0.9, 0.9)), fixed.unary(fixed.between(-0.9, 0.9))),
    OpSpec(
        "sigmoid", lambda x: 1 / (1 + np.exp(-x)), unary(reals(-6, 6)), fixed.unary(fixed.reals)
    ),
    OpSpec(
        "relu",
        lambda x: np.where(x > 0, x, 0.0),
        unary(away_from_zero()),
        fixed.unary(fixed.away_from_zero),
    ),
    OpSpec("abs", np.abs, unary(away_from_zero()), fixed.unary(fixed.away_from_zero)),
    OpSpec("sign", np.sign, unary(away_from_zero()), fixed.unary(fixed.away_from_zero)),
    OpSpec(
        "maximum",
        np.maximum,
        binary(lattice(0.03), lattice(0.07)),
        fixed.binary(fixed.lattice(0.03), fixed.lattice(0.07)),
    ),
    OpSpec(
        "minimum",
        np.minimum,
        binary(lattice(0.03), lattice(0.07)),
        fixed.binary(fixed.lattice(0.03), fixed.lattice(0.07)),
    ),
    OpSpec("where", np.where, where_calls(), fixed.where()),
    OpSpec("clip", lambda x, a_min, a_max: np.clip(x, a_min, a_max), clip_calls(), fixed.clip()),
    OpSpec(
        "astype",
        lambda x, dtype=np.float64: x.astype(dtype),
        unary(reals()),
        fixed.unary(fixed.reals),
    ),
    OpSpec("sum", np.sum, reduction(), fixed.reductions(fixed.reals)),
    OpSpec("mean", ref_mean, reduction(), fixed.reductions(fixed.reals)),
    OpSpec("max", np.max, reduction(distinct_values=True), fixed.reductions(fixed.distinct, False)),
    OpSpec(
        "var",
        lambda x, axis=None, ddof=0, keepdims=False: ref_spread(x, axis, ddof, keepdims) ** 2,
        reduction(),
        fixed.reductions(fixed.reals, False) + fixed.with_ddof(fixed.reals),
    ),
    OpSpec(
        "std",
        ref_spread,
        reduction(distinct_values=True),  # away from a spread of 0, where std has a kink
        fixed.reductions(fixed.distinct, False) + fixed.with_ddof(fixed.distinct),
    ),
    OpSpec("nansum", np.sum, reduction(), fixed.reductions(fixed.reals)),
    OpSpec("nanmean", ref_mean, reduction(), fixed.reductions(fixed.reals, False)),
    OpSpec(
        "average",
        ref_average,
        average_calls(),
        fixed.average(),
    ),
    OpSpec(
        "ptp",
        lambda x, axis=None, keepdims=False: (
            np.max(x, axis, keepdims=keepdims) - np.min(x, axis, keepdims=keepdims)
        ),
        reduction(distinct_values=True),
        fixed.reductions(fixed.distinct, False),
    ),
    OpSpec(
        "cumsum",
        ref_cumsum,
        st.one_of(along_axis(), unary(reals())),
        fixed.along_axis(fixed.reals) + fixed.unary(fixed.reals),
    ),
    OpSpec("min", np.min, reduction(distinct_values=True), fixed.reductions(fixed.distinct, False)),
    OpSpec("logsumexp", ref_logsumexp, reduction(), fixed.reductions(fixed.reals)),
    OpSpec("softmax", ref_softmax, along_axis(), fixed.along_axis(fixed.reals)),
    OpSpec(
        "log_softmax",
        lambda x, axis=-1: np.log(ref_softmax(x, axis)),
        along_axis(),
        fixed.along_axis(fixed.reals),
    ),
    OpSpec("cross_entropy", ref_cross_entropy, cross_entropy_calls(), fixed.cross_entropy()),
    OpSpec(
        "reshape",
        lambda x, shape: np.reshape(x, shape),
        reshape_calls(),
        fixed.with_attr(
            "shape",
            [((2, 3, 4), (4, 6)), ((), (1,)), ((1,), ()), ((0, 3), (3, 0)), ((2, 3, 4), (-1,))],
        ),
    ),
    OpSpec(
        "transpose",
        lambda x, axes=None: np.transpose(x, axes),
        transpose_calls(),
        fixed.with_attr(
            "axes",
            [
                ((2, 3, 4), (2, 0, 1)),
                ((2, 3, 4), None),
                ((2, 3, 4), (-1, 0, 1)),
                ((), None),
                ((), ()),
                ((0, 3), None),
                ((1, 3, 1), (2, 1, 0)),
            ],
        ),
    ),
    OpSpec(
        "broadcast_to",
        lambda x, shape: np.broadcast_to(x, shape),
        broadcast_to_calls(),
        fixed.with_attr(
            "shape",
            [
                ((), (2, 3)),
                ((3, 1), (2, 3, 4)),
                ((2, 1, 4), (2, 3, 4)),
                ((0, 1), (0, 3)),
                ((1,), (0,)),
                ((1,), (1, 1)),
            ],
        ),
    ),
    OpSpec(
        "expand_dims",
        lambda x, axis: np.expand_dims(x, axis),
        expand_dims_calls(),
        fixed.with_attr(
            "axis",
            [((), 0), ((), -1), ((2, 3, 4), 1), ((2, 3, 4), -1), ((0, 3), 0), ((1, 4, 1), 0)],
        ),
    ),
    OpSpec(
        "squeeze",
        lambda x, axis=None: np.squeeze(x, axis),
        squeeze_calls(),
        fixed.with_attr(
            "axis",
            [
                ((1, 3, 1), None),
                ((1, 3, 1), 0),
                ((1, 3, 1), -1),
                ((1,), None),
                ((1, 0), 0),
                ((), None),
            ],
        ),
    ),
    OpSpec(
        "concatenate",
        lambda *xs, axis=0: np.concatenate(xs, axis),
        concatenate_calls(),
        fixed.concatenate(),
    ),
    OpSpec("stack", lambda *xs, axis=0: np.stack(xs, axis), stack_calls(), fixed.stack()),
    OpSpec("getitem", lambda x, index: x[index], getitem_calls(), fixed.getitem()),
    OpSpec("add_at", ref_add_at, add_at_calls(), fixed.add_at()),
]

SPEC_BY_NAME = {spec.name: spec for spec in SPECS}
