"""The table of every built-in op: how to draw its inputs and what numpy says it computes.

Each entry names an op, a numpy reference for its forward, a hypothesis strategy that
draws one call (see draws.py) and the op's fixed layouts (see layouts.py). The project's
property tests run over this table, and a test fails when a registered op has no entry or
an entry lacks a kind of layout, so no op can be added untested; ``check_op`` draws
built-in ops' inputs from it too. The references are in references.py, and the entries of
numpy's elementwise mathematical functions in math_specs.py.
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from . import layouts as fixed
from .calls import OpSpec
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
from .math_specs import MATH_SPECS
from .matrices import MATRIX_SPECS
from .prod_and_sort import PROD_AND_SORT_SPECS
from .products import cross_calls, cross_layouts, einsum_calls, einsum_layouts, ref_einsum
from .references import (
    ref_add_at,
    ref_average,
    ref_cross_entropy,
    ref_cumsum,
    ref_logsumexp,
    ref_mean,
    ref_softmax,
    ref_spread,
)
from .replacing import REPLACING_SPECS
from .windows import WINDOWS_SPECS

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
        "binary_cross_entropy",
        lambda p, t: -(t * np.log(p) + (1 - t) * np.log1p(-p)),
        binary(st.floats(0.05, 0.95), st.floats(0.0, 1.0)),
        fixed.binary(fixed.between(0.05, 0.95), fixed.between(0.0, 1.0)),
    ),
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
    OpSpec("einsum", ref_einsum, einsum_calls(), einsum_layouts()),
    OpSpec(
        "cross", lambda a, b, axis=-1: np.cross(a, b, axis=axis), cross_calls(), cross_layouts()
    ),
]

SPECS += MATH_SPECS + MATRIX_SPECS + PROD_AND_SORT_SPECS + REPLACING_SPECS + WINDOWS_SPECS
SPEC_BY_NAME = {spec.name: spec for spec in SPECS}
