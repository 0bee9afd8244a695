"""The hypothesis helpers of autograd_lite.testing take a user's ``elements=`` strategy
without warnings (a strategy used as a bool makes hypothesis warn)."""

from __future__ import annotations

import warnings
from collections.abc import Callable

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd_lite as al
from autograd_lite.testing import check_op
from autograd_lite.testing.strategies import broadcastable_pairs, tensors


def _draw_without_warnings(make: Callable[[], st.SearchStrategy]) -> list:
    """Values drawn from the strategy ``make()`` builds, any warning (while building it or
    drawing from it) raised as an error."""
    drawn = []
    with warnings.catch_warnings():
        warnings.simplefilter("error")

        @settings(max_examples=10, deadline=None, database=None)
        @given(make())
        def collect(value):
            drawn.append(value)

        collect()
    return drawn


def test_tensors_with_elements_draws_from_them_without_warnings():
    drawn = _draw_without_warnings(lambda: tensors(shape=(3,), elements=st.floats(5.0, 6.0)))
    assert drawn and all(((t.data >= 5.0) & (t.data <= 6.0)).all() for t in drawn)


def test_tensors_of_an_integer_dtype_draw_integers():
    # hypothesis refused: the default float elements (1.5) are not int64
    drawn = _draw_without_warnings(lambda: tensors(shape=(3,), dtype=np.int64, requires_grad=False))
    assert drawn and all(t.dtype == np.int64 and (np.abs(t.data) <= 2).all() for t in drawn)
    drawn = _draw_without_warnings(lambda: tensors(shape=(2,), dtype=bool, requires_grad=False))
    assert drawn and all(t.dtype == np.bool_ for t in drawn)


def test_broadcastable_pairs_with_elements_draws_from_them_without_warnings():
    drawn = _draw_without_warnings(lambda: broadcastable_pairs(elements=st.floats(-9.0, -8.0)))
    assert drawn and all(((a >= -9.0) & (a <= -8.0)).all() for pair in drawn for a in pair)


def test_check_op_with_elements_runs_without_warnings():
    @al.register("cube_for_strategies")
    def cube(x):
        return x**3

    @cube.vjp
    def _(g, out, x):
        """d x^3/dx = 3 x^2."""
        return (g * 3 * x**2,)

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            check_op("cube_for_strategies", elements=st.floats(0.5, 1.5), max_examples=5)
    finally:
        al.unregister("cube_for_strategies")
    np.testing.assert_allclose(cube(al.tensor(2.0)).data, 8.0)
