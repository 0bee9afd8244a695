"""numpy's functions that are compositions of registered ops, on Tensors: those that only
move, copy or pick elements (ops/arrangement.py) and the products written as einsums
(ops/contraction.py).

They are not ops, so the op table does not cover them; this table does, with the same bar:
for every function, numpy's own result, then first and second derivatives against central
differences in float64, over fixed layouts (a non-last axis, 3 dimensions, 0-d and
size-0/size-1 dimensions where numpy allows them), and the same gradient from a
non-contiguous input. A function added to ARRANGEMENTS or CONTRACTIONS without an entry
here fails ``test_every_composition_has_an_entry``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import autograd_lite as al
from autograd_lite.ops.arrangement import ARRANGEMENTS
from autograd_lite.ops.contraction import CONTRACTIONS, explicit_subscripts
from autograd_lite.ops.matrices import MATRICES
from autograd_lite.ops.order import ORDERS
from autograd_lite.testing.layouts import strided

RNG = np.random.default_rng(0)


def values(*shape: int) -> np.ndarray:
    return RNG.uniform(-2, 2, shape)


def invertible(*shape: int) -> np.ndarray:
    """A stack of well-conditioned matrices, some with a negative determinant."""
    return values(*shape) + 3 * np.eye(shape[-1]) * np.sign(values(shape[-1]))


def symmetric(*shape: int) -> np.ndarray:
    """Positive definite matrices, with other values in the triangle cholesky does not read."""
    m = values(*shape)
    return np.tril(m @ np.swapaxes(m, -1, -2) + np.eye(shape[-1])) + np.triu(values(*shape), 1)


# numpy function -> calls: (inputs, a function of the inputs that calls it)
TABLE: dict[Any, list[tuple[list[np.ndarray], Callable[..., Any]]]] = {
    np.ravel: [([values(2, 3, 4)], np.ravel), ([values()], np.ravel)],
    np.moveaxis: [([values(2, 3, 4)], lambda x: np.moveaxis(x, 0, -1))],
    np.swapaxes: [([values(2, 3, 4)], lambda x: np.swapaxes(x, 0, 2))],
    np.flip: [
        ([values(2, 3, 4)], lambda x: np.flip(x, 1)),
        ([values(2, 0, 3)], lambda x: np.flip(x, 2)),
        ([values()], np.flip),
    ],
    np.fliplr: [([values(3, 4)], np.fliplr)],
    np.flipud: [([values(3, 1, 2)], np.flipud)],
    np.rot90: [([values(2, 3, 4)], lambda x: np.rot90(x, 1, (0, 2)))],
    np.roll: [
        ([values(2, 3, 4)], lambda x: np.roll(x, 2, axis=1)),
        ([values(5)], lambda x: np.roll(x, -1)),
    ],
    np.repeat: [
        ([values(2, 3, 4)], lambda x: np.repeat(x, 2, axis=1)),  # copies: gradients add up
        ([values(3)], lambda x: np.repeat(x, [1, 0, 3])),
        ([values()], lambda x: np.repeat(x, 3)),
    ],
    np.tile: [
        ([values(2, 3)], lambda x: np.tile(x, (2, 1, 2))),
        ([values()], lambda x: np.tile(x, 2)),
    ],
    np.pad: [
        ([values(2, 3, 4)], lambda x: np.pad(x, ((0, 1), (2, 0), (1, 1)))),
        ([values(2, 2)], lambda x: np.pad(x, 1, constant_values=((1, 2), (3, 4)))),
        ([values(0, 3)], lambda x: np.pad(x, ((0, 0), (1, 1)), constant_values=2.5)),
        ([values(3, 4)], lambda x: np.pad(x, 2, "reflect")),
        ([values(2, 3)], lambda x: np.pad(x, ((1, 0), (5, 5)), "symmetric")),  # past the edge
        ([values(3)], lambda x: np.pad(x, (4, 1), "wrap")),
        ([values(2, 1)], lambda x: np.pad(x, 1, "edge")),
    ],
    np.meshgrid: [
        ([values(3), values(2)], lambda a, b: list(np.meshgrid(a, b))),
        ([values(2), values(3), values(1)], lambda *xs: list(np.meshgrid(*xs, indexing="ij"))),
        ([values(2), values(2, 2)], lambda a, b: list(np.meshgrid(a, b, sparse=True))),
    ],
    np.copy: [([values(2, 3)], np.copy), ([values()], np.copy)],
    np.diag: [
        ([values(3)], np.diag),
        ([values(2)], lambda v: np.diag(v, -2)),
        ([values(3, 4)], lambda m: np.diag(m, 1)),
        ([values(0)], np.diag),
    ],
    np.diagonal: [([values(3, 4, 2)], lambda x: np.diagonal(x, 1, 0, 1))],
    np.take: [([values(2, 3, 4)], lambda x: np.take(x, [2, 0, 2], axis=1))],
    np.take_along_axis: [
        ([values(2, 3)], lambda x: np.take_along_axis(x, np.array([[2, 0], [1, 1]]), axis=1))
    ],
    np.hstack: [([values(2, 3), values(2, 1)], lambda a, b: np.hstack([a, b]))],
    np.vstack: [([values(3), values(2, 3)], lambda a, b: np.vstack([a, b]))],
    np.dstack: [([values(2, 3), values(2, 3, 2)], lambda a, b: np.dstack([a, b]))],
    np.column_stack: [([values(3), values(3, 2)], lambda a, b: np.column_stack([a, b]))],
    np.append: [
        ([values(2, 3), values(2, 1)], lambda a, b: np.append(a, b, axis=1)),
        ([values(2, 2), values(3)], np.append),
    ],
    np.split: [([values(4, 3, 2)], lambda x: np.split(x, [1, 3], axis=0))],
    np.array_split: [([values(2, 5)], lambda x: np.array_split(x, 3, axis=1))],
    np.hsplit: [([values(2, 4)], lambda x: np.hsplit(x, 2))],
    np.vsplit: [([values(4, 2)], lambda x: np.vsplit(x, [1]))],
    np.dsplit: [([values(1, 2, 4)], lambda x: np.dsplit(x, 2))],
    np.atleast_1d: [([values()], np.atleast_1d)],
    np.atleast_2d: [([values(3)], np.atleast_2d)],
    np.atleast_3d: [([values(2, 3)], np.atleast_3d)],
    np.broadcast_arrays: [([values(3, 1), values(4)], np.broadcast_arrays)],
    np.tril: [([values(2, 3, 4)], lambda x: np.tril(x, -1))],
    np.triu: [([values(3, 3)], lambda x: np.triu(x, 1))],
    np.diff: [
        ([values(2, 5, 3)], lambda x: np.diff(x, 2, axis=1)),
        ([values(1)], np.diff),  # size 1: an empty result
    ],
    np.trace: [([values(3, 3, 2)], np.trace)],
    np.einsum: [
        ([values(2, 3), values(3, 4)], lambda a, b: np.einsum("ij,jk", a, b)),
        ([values(2, 1, 3, 4), values(5, 4, 2)], lambda a, b: np.einsum("...ij,...jk", a, b)),
        ([values(3, 3, 2)], lambda x: np.einsum("ii...->i...", x)),
        ([values(2, 3), values(3)], lambda a, b: np.einsum(a, [0, 1], b, [1], [0])),
        ([values(0, 3), values(3)], lambda a, b: np.einsum("ij,j", a, b)),
        ([values(), values(2)], lambda a, b: np.einsum(",i", a, b)),
    ],
    np.tensordot: [
        ([values(2, 3, 4), values(3, 4, 2)], np.tensordot),
        ([values(3, 4, 2), values(4, 3)], lambda a, b: np.tensordot(a, b, ([1, 0], [0, 1]))),
        ([values(2), values(3)], lambda a, b: np.tensordot(a, b, 0)),
    ],
    np.dot: [
        ([values(3), values(3)], np.dot),
        ([values(2, 3, 4), values(5, 4, 2)], np.dot),
        ([values(2, 3), values(3)], np.dot),
        ([values(), values(2, 3)], np.dot),
        ([values(0, 3), values(3, 1)], np.dot),
    ],
    np.inner: [([values(2, 3), values(4, 1, 3)], np.inner), ([values(3), values()], np.inner)],
    np.outer: [([values(2, 2), values(3)], np.outer), ([values(), values(0)], np.outer)],
    np.vdot: [([values(2, 2), values(4)], np.vdot)],
    np.kron: [([values(2, 3), values(2, 2)], np.kron), ([values(3), values(1, 2, 2)], np.kron)],
    np.cross: [
        ([values(4, 3), values(3)], np.cross),
        ([values(3, 2), values(3, 2)], lambda a, b: np.cross(a, b, axis=0)),
        ([values(2, 3), values(3, 2)], lambda a, b: np.cross(a, b, axisa=1, axisb=0, axisc=1)),
    ],
    # np.linalg: its functions that are ops, through numpy's names; then the compositions
    np.linalg.inv: [([invertible(2, 3, 3)], np.linalg.inv)],
    np.linalg.det: [([invertible(3, 3)], np.linalg.det)],
    np.linalg.solve: [([invertible(2, 3, 3), values(3)], np.linalg.solve)],
    np.linalg.cholesky: [([symmetric(2, 3, 3)], np.linalg.cholesky)],
    np.linalg.slogdet: [
        ([invertible(4, 3, 3)], lambda a: (lambda r: r.sign * r.logabsdet)(np.linalg.slogdet(a)))
    ],
    np.linalg.eigh: [
        ([symmetric(2, 3, 3)], lambda a: list(np.linalg.eigh(a))),
        ([symmetric(3, 3)], lambda a: list(np.linalg.eigh(a, UPLO="U"))),
    ],
    np.linalg.eigvalsh: [([symmetric(2, 3, 3)], np.linalg.eigvalsh)],
    np.linalg.matrix_power: [
        ([invertible(2, 3, 3)], lambda a: np.linalg.matrix_power(a, 5)),
        ([invertible(3, 3)], lambda a: np.linalg.matrix_power(a, -2)),
        ([invertible(1, 1)], lambda a: np.linalg.matrix_power(a, 1)),
    ],
    np.linalg.norm: [
        ([values(3, 4)], np.linalg.norm),  # Frobenius
        ([values(2, 3, 4)], lambda x: np.linalg.norm(x, axis=(0, 2), keepdims=True)),
        ([values(2, 3, 4)], lambda x: np.linalg.norm(x, 1, axis=1)),
        ([values(5)], lambda x: np.linalg.norm(x, np.inf)),
        ([values(2, 3)], lambda x: np.linalg.norm(x, -np.inf, axis=0)),
        ([values(0, 3)], lambda x: np.linalg.norm(x, axis=0)),
        ([values()], np.linalg.norm),
    ],
    # the functions of the elements' order; values are distinct (ties have no derivative)
    np.sort: [
        ([values(2, 3, 4)], lambda x: np.sort(x, axis=1, kind="stable")),
        ([values(2, 3)], lambda x: np.sort(x, axis=None)),
    ],
    np.partition: [([values(2, 5)], lambda x: np.sort(np.partition(x, 2, axis=1)[:, 2:]))],
    np.median: [
        ([values(2, 3, 4)], lambda x: np.median(x, axis=1)),  # the middle one of 3
        ([values(2, 3, 4)], lambda x: np.median(x, axis=(0, 2), keepdims=True)),  # of 8
        ([values(5)], np.median),
        ([values(2, 0)], lambda x: np.median(x, axis=0)),
    ],
    np.quantile: [
        ([values(2, 5)], lambda x: np.quantile(x, 0.3, axis=1)),
        ([values(3, 4)], lambda x: np.quantile(x, [[0.0, 0.25], [0.9, 1.0]], axis=0)),
        ([values(2, 3, 4)], lambda x: np.quantile(x, [0.5, 0.7], axis=(0, 2), keepdims=True)),
    ],
    np.percentile: [([values(4, 3)], lambda x: np.percentile(x, [10, 60], axis=0))],
}
CALLS = [
    pytest.param(inputs, f, id=f"{func.__name__}-{k}")
    for func, calls in TABLE.items()
    for k, (inputs, f) in enumerate(calls)
]


# the calls of functions that only move elements
MOVES_ONLY = {f for func in ARRANGEMENTS for _, f in TABLE[func]}


def _sum_all(out: Any) -> Any:
    """One number from a result that may be a list of Tensors, weighted so that a wrong
    permutation of the gradient shows."""
    parts = out if isinstance(out, (list, tuple)) else [out]
    total = 0.0
    for p in parts:
        weights = np.arange(1.0, p.size + 1).reshape(p.shape)
        total = total + (p * weights).sum()
    return total


def test_every_composition_has_an_entry():
    compositions = (
        set(ARRANGEMENTS) | set(CONTRACTIONS) | set(MATRICES) | set(ORDERS) | {np.linalg.norm}
    )
    assert compositions == set(TABLE)


@pytest.mark.parametrize(("inputs", "f"), CALLS)
def test_the_result_is_numpys(inputs, f):
    expected = f(*inputs)
    got = f(*[al.tensor(a, requires_grad=True) for a in inputs])
    for e, g in zip(
        expected if isinstance(expected, (list, tuple)) else [expected],
        got if isinstance(got, (list, tuple)) else [got],
        strict=True,
    ):
        assert isinstance(g, al.Tensor) and g.requires_grad
        assert g.shape == np.shape(e)
        if f in MOVES_ONLY:  # the same elements: exactly numpy's
            np.testing.assert_array_equal(g.data, e)
        else:  # the products sum in einsum's order, numpy's own functions in BLAS's
            np.testing.assert_allclose(g.data, e, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize(("inputs", "f"), CALLS)
def test_first_and_second_derivatives_match_finite_differences(inputs, f):
    if any(a.size == 0 for a in inputs):  # nothing to differentiate: an empty gradient
        xs = [al.tensor(a, requires_grad=True) for a in inputs]
        _sum_all(f(*xs)).backward()
        assert all(x.grad.shape == x.shape for x in xs)
        return
    assert al.gradcheck(lambda *xs: _sum_all(f(*xs)), inputs)
    assert al.gradgradcheck(lambda *xs: _sum_all(f(*xs)) ** 2, inputs)


@pytest.mark.parametrize(("inputs", "f"), CALLS)
def test_a_non_contiguous_input_gets_the_same_gradient(inputs, f):
    def gradients(arrays: list[np.ndarray]) -> list[np.ndarray]:
        xs = [al.tensor(a, requires_grad=True) for a in arrays]
        for x, a in zip(xs, arrays, strict=True):
            x.data = a  # keep the view itself, not a copy
        _sum_all(f(*xs)).backward()
        return [x.grad for x in xs]

    views = [strided(a) for a in inputs]
    assert any(not v.flags.c_contiguous for v in views if v.size > 1) or all(
        v.size < 2 for v in views
    )
    for g_view, g_plain in zip(gradients(views), gradients(inputs), strict=True):
        if f in MOVES_ONLY:
            np.testing.assert_array_equal(g_view, g_plain)
        else:  # a product may sum in another order over a view: a last bit may differ
            np.testing.assert_allclose(g_view, g_plain, rtol=1e-14, atol=1e-15)


@pytest.mark.parametrize(
    ("subscripts", "shapes"),
    [
        ("ij,jk", [(2, 3), (3, 4)]),
        ("ba", [(2, 3)]),
        ("aB", [(2, 3)]),  # implicit outputs sort by character code: B before a
        ("ii", [(3, 3)]),
        ("...j,j", [(4, 2, 3), (3,)]),
        ("j...,j", [(3, 4, 2), (3,)]),
        ("...ij,...jk->...ik", [(2, 1, 3, 4), (5, 4, 2)]),
        ("...,...", [(2, 1), (3,)]),
        (" i j , j k -> i k ", [(2, 3), (3, 4)]),
        ("ij,jk->", [(2, 3), (3, 4)]),
        ("...ii->...i", [(2, 3, 3)]),
    ],
)
def test_spelled_out_subscripts_mean_what_numpy_reads(subscripts, shapes):
    arrays = [values(*s) for s in shapes]
    explicit = explicit_subscripts(subscripts, [len(s) for s in shapes])
    assert "..." not in explicit and "->" in explicit
    np.testing.assert_allclose(
        np.einsum(explicit, *arrays), np.einsum(subscripts, *arrays), rtol=1e-12
    )


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda t: np.einsum("ij,jk", t), "name 2 operand"),
        (lambda t: np.einsum("ijk", t), "do not fit operands of \\[2\\] dims"),
        (lambda t: np.einsum("i1", t), "use letters"),
        (lambda t: np.einsum("ij", t, dtype=np.float32), "not \\['dtype'\\]"),
        (lambda t: np.cross(t, t), "3 components"),
        (lambda t: np.pad(t, 1, "mean"), "mode='mean'"),
        (lambda t: np.pad(t, 1, "reflect", reflect_type="odd"), "reflect_type"),
        (lambda t: np.pad(t, 1, end_values=2), "takes constant_values"),
    ],
)
def test_products_refuse_what_they_cannot_do_naming_it(call, message):
    t = al.tensor(values(2, 2), requires_grad=True)
    with pytest.raises((ValueError, TypeError), match=message):
        call(t)
