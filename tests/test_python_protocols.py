"""Python's protocols on a Tensor read its data as numpy's (and PyTorch's) do: ``x in t``,
``f"{t:.2f}"`` and ``operator.index(t)``."""

from __future__ import annotations

import operator

import numpy as np
import pytest

import autograd_lite as al


def test_in_is_true_when_some_element_equals_the_value_as_numpys():
    t = al.tensor([[1.0, 2.0], [3.0, np.nan]], requires_grad=True)
    assert 2.0 in t and 3 in t
    assert 5.0 not in t
    assert np.nan not in t  # NaN equals nothing, in numpy too
    assert al.tensor(3.0) in t  # a Tensor is read as its value
    assert (1.0 in t) == (1.0 in t.data)


def test_format_spec_of_a_0d_tensor_formats_its_number():
    assert f"{al.tensor(2.5):.2f}" == "2.50"
    assert f"{al.tensor(7, dtype=np.int64):03d}" == "007"
    assert f"{al.tensor(1.0, requires_grad=True) * 3:>6.1f}" == "   3.0"


def test_format_without_a_spec_is_the_repr_and_a_spec_on_an_array_is_refused():
    t = al.tensor([1.0, 2.0])
    assert f"{t}" == str(t) == repr(t)
    with pytest.raises(TypeError, match="format"):
        f"{t:.2f}"


def test_an_integer_0d_tensor_is_an_index():
    i = al.tensor(2, dtype=np.int64)
    assert operator.index(i) == 2
    assert [10, 20, 30][i] == 30
    assert list(range(i)) == [0, 1]
    np.testing.assert_array_equal(np.arange(5)[i], 2)


@pytest.mark.parametrize(
    "t", [al.tensor(2.0), al.tensor([1, 2], dtype=np.int64), al.tensor(1.0, requires_grad=True)]
)
def test_a_float_or_an_array_tensor_is_not_an_index(t):
    with pytest.raises(TypeError, match="index"):
        operator.index(t)
