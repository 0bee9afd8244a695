"""gradcheck and gradgradcheck: analytic derivatives against central finite differences."""

from __future__ import annotations

import numpy as np
import pytest

import autograd_lite as al
from autograd_lite.testing import assert_gradients_close


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


def test_gradcheck_passes_for_a_correct_function_in_float64_and_float32():
    assert al.gradcheck(lambda x, y: al.cross_entropy(x, y), [np.ones((2, 3)), np.array([0, 2])])
    assert al.gradcheck(al.tanh, [np.array([0.5, -1.0], dtype=np.float32)])
    assert al.gradcheck(al.softmax, [np.array([[0.5, -1.0, 2.0]], dtype=np.float32)])


def test_a_rule_wrong_only_in_float32_fails_gradcheck(tanh_wrong_in_float32):
    # finite differences are taken in float64, so before the float32 gradient was never seen
    assert al.gradcheck(tanh_wrong_in_float32, [np.array([0.5, -1.0])])
    with pytest.raises(al.GradcheckError, match=r"float32 input 0 at index \(0,\).*in float64"):
        al.gradcheck(tanh_wrong_in_float32, [np.array([0.5, -1.0], dtype=np.float32)])


@pytest.mark.parametrize("check", [al.gradcheck, al.gradgradcheck])
@pytest.mark.parametrize("inputs", [[[1, -2]], [np.array([True])], []], ids=["int", "bool", "none"])
def test_gradcheck_refuses_inputs_with_nothing_to_check(check, inputs):
    # it returned True for a rule wrong by 3.5x: integer inputs are passed, not checked
    with pytest.raises(ValueError, match="no floating-point input to check.*as floats"):
        check(lambda *xs: xs[0] ** 2 if xs else al.tensor(0.0), inputs)


@pytest.mark.parametrize(
    "wrong_rule",
    [
        lambda g, out, x: np.maximum(g, 0) * (x > 0),  # rectifies g
        lambda g, out, x: np.abs(g) * (x > 0),  # loses g's sign
        lambda g, out, x: g * g * (x > 0),  # squares it
    ],
)
def test_gradcheck_and_gradgradcheck_catch_a_rule_that_is_not_linear_in_g(wrong_rule):
    # one-hot upstream gradients alone agree with these rules: gradcheck passed them
    name = "relu_nonlinear_in_g"
    op = al.register(name)(lambda x: np.maximum(x, 0))
    op.vjp(wrong_rule)
    try:
        x = np.array([0.5, -1.0, 2.0, 1.5])
        with pytest.raises(al.GradcheckError, match="is the rule linear in g"):
            al.gradcheck(op, [x])
        with pytest.raises(al.GradcheckError):
            al.gradgradcheck(lambda t: op(t) * t, [x])
    finally:
        al.unregister(name)


def test_gradcheck_of_a_function_closing_over_a_parameter_compares_values():
    # its transforms give Tensors of the parameter's graph there, which it read as arrays
    W = al.tensor([[1.0, -2.0], [0.5, 3.0]], requires_grad=True)
    assert al.gradcheck(lambda x: al.tanh(W @ x), [np.array([0.3, -0.7])])
    assert al.gradgradcheck(lambda x: al.tanh(W @ x), [np.array([0.3, -0.7])])


def test_the_checkers_leave_no_gradient_in_the_parameters_a_function_closes_over():
    # checking a loss mid-training left its gradients in W.grad, for the next step to apply
    W = al.tensor(np.float32([[1.0, -2.0], [0.5, 3.0]]), requires_grad=True)
    h = W * 2.0  # an intermediate of the user's graph, closed over too
    loss = lambda x: al.tanh(h @ x)  # noqa: E731
    assert al.gradcheck(loss, [np.float32([0.3, -0.7])])  # float32: check_float32 runs too
    assert_gradients_close(loss, np.array([0.3, -0.7]), order=2)
    assert W.grad is None
    h.sum().backward()  # the user's graph was kept for the user's own backward
    np.testing.assert_array_equal(W.grad, np.full((2, 2), 2.0))
