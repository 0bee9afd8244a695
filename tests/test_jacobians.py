"""The local Jacobian of one node (al.local_jacobian) and its check (al.check_local)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd_lite as al
from autograd_lite.testing import SPECS, OpSpec


def test_local_jacobian_of_softmax_is_diag_s_minus_s_s_transposed():
    s = al.softmax(al.tensor([0.3, -1.0, 2.0], requires_grad=True))
    (jacobian,) = al.local_jacobian(s)
    np.testing.assert_allclose(jacobian, np.diag(s.data) - np.outer(s.data, s.data), atol=1e-15)


def test_local_jacobian_of_matmul_has_the_kronecker_form():
    rng = np.random.default_rng(0)
    a = al.tensor(rng.standard_normal((2, 3)), requires_grad=True)
    b = al.tensor(rng.standard_normal((3, 4)), requires_grad=True)
    ja, jb = al.local_jacobian(a @ b)
    np.testing.assert_allclose(ja.reshape(8, 6), np.kron(np.eye(2), b.data.T))
    np.testing.assert_allclose(jb.reshape(8, 12), np.kron(a.data, np.eye(4)))


def test_local_jacobian_of_a_broadcast_add_shows_the_summation():
    x = al.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = al.tensor(np.zeros((2, 3)), requires_grad=True)
    jx, jy = al.local_jacobian(x + y)
    assert jx.shape == (2, 3, 3)
    np.testing.assert_array_equal(jx, np.stack([np.eye(3), np.eye(3)]))  # each row uses x
    np.testing.assert_array_equal(jy.reshape(6, 6), np.eye(6))


def test_local_jacobian_refuses_a_huge_jacobian_naming_the_sizes():
    x = al.tensor(np.ones(2000), requires_grad=True)
    with pytest.raises(ValueError, match="2000 x 2000 = 4000000 entries"):
        al.local_jacobian(al.tanh(x))


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.name)
@settings(max_examples=10)
@given(data=st.data())
def test_check_local_passes_for_every_op(spec: OpSpec, data: st.DataObject) -> None:
    call = data.draw(spec.calls)
    args = [
        al.tensor(a, requires_grad=True) if i in call.diff else a for i, a in enumerate(call.args)
    ]
    assert al.check_local(al.get_op(spec.name)(*args, **call.attrs))


def test_check_local_fails_for_a_broken_rule():
    @al.register("broken_softmax_for_test")
    def broken(x):
        e = np.exp(x - x.max())
        return e / e.sum()

    @broken.vjp
    def _(g, out, x):
        return g * out * (1 - x)  # the asker's bug: the input where the output belongs

    try:
        with pytest.raises(al.GradcheckError, match="broken_softmax_for_test"):
            al.check_local(broken(al.tensor([1.0, 2.0, 0.5], requires_grad=True)))
    finally:
        al.unregister("broken_softmax_for_test")
