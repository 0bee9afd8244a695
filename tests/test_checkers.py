"""The gradient checkers call the user's function with Tensors in both passes.

The numeric pass (central differences) wraps each floating-point input in a Tensor under
no_grad, as the analytic pass does without it, so any Tensor method works in the function.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import strategies as st

import autograd_lite as al
import autograd_lite.testing as alt
from autograd_lite.testing.calls import Call
from autograd_lite.testing.draws import arrays


def tensor_api_function(v):
    """Uses .detach(), .T, .reshape and an al op; the detached factor is a constant."""
    m = v.reshape(2, 3)
    return al.tanh(m.T @ m.detach()).sum() + (v.detach() * v).sum()


def tensor_api_function_right(v):
    """The same methods, the detached copy only choosing where (a mask with no gradient)."""
    m = al.where(v.detach() > 100, 0.0, v).reshape(2, 3)
    return al.tanh(m.T @ m) * 0.5


X = np.linspace(-1, 1, 6)


def test_the_reported_snippet_raises_the_checkers_message_not_an_attribute_error():
    x = np.linspace(-1, 1, 5)
    with pytest.raises(AssertionError, match=r"gradient of input 0 at index .*analytic .*numeric"):
        alt.assert_gradients_close(lambda v: (v.detach() * v).sum(), x)


def test_assert_gradients_close_runs_a_tensor_api_function():
    alt.assert_gradients_close(tensor_api_function_right, X, order=2)
    with pytest.raises(AssertionError, match="gradient of input 0"):
        alt.assert_gradients_close(tensor_api_function, X)  # detach() halves a path


def test_gradcheck_and_gradgradcheck_run_a_tensor_api_function():
    assert al.gradcheck(tensor_api_function_right, [X])
    assert al.gradgradcheck(tensor_api_function_right, [X])
    with pytest.raises(al.GradcheckError, match="first derivative"):
        al.gradcheck(tensor_api_function, [X])
    with pytest.raises(al.GradcheckError, match="second derivative"):
        al.gradgradcheck(lambda v: (v.detach() * v**2).sum(), [X])


def six_vectors():
    return st.builds(lambda x: Call((x,), {}, (0,)), arrays((6,), st.floats(-1, 1)))


def test_check_op_runs_a_tensor_api_function():
    alt.check_op(tensor_api_function_right, calls=six_vectors(), order=2, max_examples=5)
    with pytest.raises(AssertionError, match="gradient of input 0"):
        alt.check_op(tensor_api_function, calls=six_vectors(), max_examples=5)


def test_a_nan_gradient_against_a_finite_difference_is_a_mismatch():
    # a comparison with NaN is never "greater": the checkers let a NaN gradient pass
    @al.register("nan_rule_example")
    def nan_rule(x):
        return x * 2

    @nan_rule.vjp
    def _(g, out, x):
        """A wrong rule: NaN where the derivative is 2."""
        return g * np.nan

    try:
        with pytest.raises(AssertionError, match="analytic np.float64\\(nan\\)"):
            alt.assert_gradients_close(nan_rule, [1.0, 2.0])
        with pytest.raises(al.GradcheckError, match="analytic nan"):
            al.gradcheck(nan_rule, [[1.0, 2.0]])
    finally:
        al.unregister("nan_rule_example")
