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


@pytest.fixture
def exp_writing_into(request):
    """exp whose rule writes into g or into out (a red team's find: check_op passed it)."""

    @al.register("exp_writing_into")
    def exp_w(x):
        return np.exp(x)

    @exp_w.vjp
    def _(g, out, x):
        if request.param == "g":
            g *= out
            return g
        out *= g
        return out

    yield exp_w
    al.unregister("exp_writing_into")


@pytest.mark.parametrize("exp_writing_into", ["g", "out"], indirect=True)
def test_check_op_fails_a_rule_that_writes_into_what_it_is_given(exp_writing_into):
    # in (exp_w(x) + sin(y)) * w, add gives its one g to both rules: y.grad came out wrong
    with pytest.raises(RuntimeError, match="exp_writing_into' for input 0 wrote into an array"):
        alt.check_op(exp_writing_into, max_examples=5)


def test_check_op_and_assert_gradients_close_fail_a_rule_wrong_only_in_float32(
    tanh_wrong_in_float32,
):
    alt.assert_gradients_close(tanh_wrong_in_float32, [0.5, -1.0])
    float32 = np.array([0.5, -1.0], dtype=np.float32)
    with pytest.raises(AssertionError, match="float32 input 0 .* in float64"):
        alt.assert_gradients_close(tanh_wrong_in_float32, float32)
    with pytest.raises(AssertionError, match="check_op of tanh_wrong_in_float32"):
        alt.check_op(tanh_wrong_in_float32, max_examples=5)


def test_assert_gradients_close_refuses_integer_inputs():
    with pytest.raises(ValueError, match="no floating-point input to check \\(inputs: int64\\)"):
        alt.assert_gradients_close(lambda x: x**2, [1, -2])


def test_assert_gradients_close_takes_zero_tolerances_as_given():
    # atol=0 and rtol=0 were read as "the defaults" (``atol or ATOL``)
    @al.register("tanh_off_by_1e7")
    def tanh_off(x):
        return np.tanh(x)

    @tanh_off.vjp
    def _(g, out, x):
        return g * (1 - out**2) * (1 + 1e-7)

    try:
        alt.assert_gradients_close(tanh_off, [0.3, -0.6])  # within the default rtol of 1e-5
        with pytest.raises(AssertionError, match="gradient of input 0"):
            alt.assert_gradients_close(tanh_off, [0.3, -0.6], atol=0.0, rtol=0.0)
    finally:
        al.unregister("tanh_off_by_1e7")


def test_check_op_tries_non_contiguous_inputs_of_a_users_op():
    # a rule wrong only for a non-contiguous x passed 50 contiguous examples
    @al.register("square_wrong_when_strided")
    def square(x):
        return x * x

    @square.vjp
    def _(g, out, x):
        return 2 * g * x * (1 if x.flags.c_contiguous else -1)

    try:
        with pytest.raises(AssertionError, match="gradient of input 0"):
            alt.check_op("square_wrong_when_strided", max_examples=30)
    finally:
        al.unregister("square_wrong_when_strided")


def test_a_sign_flipped_rule_of_an_op_with_a_large_output_is_caught():
    # the rounding allowance summed |g out| over the whole output (27 elements of 1e9 here),
    # though each element moves one output: it passed a rule of -g for x + 1e9
    @al.register("offset_sign_flipped")
    def offset(x):
        return x + 1e9

    @offset.vjp
    def _(g, out, x):
        return -g

    try:
        with pytest.raises(AssertionError, match="gradient of input 0"):
            alt.assert_gradients_close(offset, np.linspace(-1, 1, 27).reshape(3, 3, 3))
    finally:
        al.unregister("offset_sign_flipped")
