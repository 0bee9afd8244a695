"""Second derivatives of every registered op, from the same table as the first derivatives."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd_lite as al
from autograd_lite.testing import ATOL_2, RTOL_2, SPECS, OpSpec


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.name)
@settings(max_examples=8)
@given(data=st.data())
def test_second_derivatives_match_finite_differences(spec: OpSpec, data: st.DataObject) -> None:
    op = al.get_op(spec.name)
    call = data.draw(spec.calls)
    diff = set(call.diff)
    constants = {i: a for i, a in enumerate(call.args) if i not in diff}
    order = sorted(diff)

    def f(*xs):
        args = [
            constants[i] if i in constants else xs[order.index(i)] for i in range(len(call.args))
        ]
        return op(*args, **call.attrs)

    assert al.gradgradcheck(f, [call.args[i] for i in order], atol=ATOL_2, rtol=RTOL_2)
