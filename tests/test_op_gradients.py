"""Every registered op, from the table: forward against numpy, VJP against finite differences."""

from __future__ import annotations

import copy

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import autograd_lite as al
from autograd_lite.gradcheck import numeric_vjp
from autograd_lite.testing import ATOL, EPS, RTOL, SPECS, OpSpec

BUILTIN_OPS = set(al.list_ops())


def test_table_covers_every_registered_op():
    missing = BUILTIN_OPS - {spec.name for spec in SPECS}
    assert not missing, (
        f"ops without an entry in autograd_lite/testing/op_specs.py: {sorted(missing)}"
    )


def test_table_names_only_registered_ops():
    unknown = {spec.name for spec in SPECS} - BUILTIN_OPS
    assert not unknown, f"table entries for unregistered ops: {sorted(unknown)}"


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.name)
@given(data=st.data())
def test_forward_matches_numpy_reference(spec: OpSpec, data: st.DataObject) -> None:
    call = data.draw(spec.calls)
    out = al.get_op(spec.name)(*call.args, **call.attrs)
    expected = spec.reference(*call.args, **call.attrs)
    assert isinstance(out.data, np.ndarray)
    assert out.shape == np.shape(expected)
    np.testing.assert_allclose(out.data, expected, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.name)
@given(data=st.data(), seed=st.integers(0, 2**32 - 1))
def test_vjp_matches_finite_differences(spec: OpSpec, data: st.DataObject, seed: int) -> None:
    op = al.get_op(spec.name)
    call = data.draw(spec.calls)
    saved_args = copy.deepcopy(call.args)
    tensors = tuple(
        al.tensor(a, requires_grad=True) if i in call.diff else a for i, a in enumerate(call.args)
    )
    out = op(*tensors, **call.attrs)
    g = np.random.default_rng(seed).standard_normal(out.shape)  # never all ones
    saved_g = g.copy()
    out.backward(g)

    def forward(*args):
        return op(*args, **call.attrs).data

    for i in call.diff:
        expected = numeric_vjp(forward, call.args, i, g, EPS)
        assert tensors[i].grad.dtype == np.float64
        np.testing.assert_allclose(
            tensors[i].grad, expected, rtol=RTOL, atol=ATOL, err_msg=f"{spec.name}: input {i}"
        )
    for before, after in zip(saved_args, call.args, strict=True):
        np.testing.assert_array_equal(before, after, err_msg=f"{spec.name} mutated an input")
    np.testing.assert_array_equal(g, saved_g, err_msg=f"{spec.name} mutated the gradient")
