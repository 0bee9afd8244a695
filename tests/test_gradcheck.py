"""gradcheck and gradgradcheck: analytic derivatives against central finite differences."""

from __future__ import annotations

import numpy as np
import pytest

import autograd_lite as al


def test_gradcheck_catches_a_wrong_rule_and_names_the_op_and_index():
    @al.register("wrong_tanh_for_test")
    def wrong_tanh(x):
        return np.tanh(x)

    @wrong_tanh.vjp
    def _(g, out, x):
        return g * (1 - x * x)  # the input where the output belongs: the asker's bug

    try:
        with pytest.raises(
            al.GradcheckError, match=r"wrong_tanh_for_test.*input 0 at index \(1,\)"
        ):
            al.gradcheck(wrong_tanh, [np.array([0.0, 0.7])])
    finally:
        al.unregister("wrong_tanh_for_test")


def test_gradcheck_passes_for_a_correct_function_and_warns_for_float32():
    assert al.gradcheck(lambda x, y: al.cross_entropy(x, y), [np.ones((2, 3)), np.array([0, 2])])
    with pytest.warns(UserWarning, match="float32"):
        assert al.gradcheck(al.tanh, [np.array([0.5], dtype=np.float32)])
