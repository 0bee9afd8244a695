"""Every error path: the message names the op, the shapes, and what to do."""

from __future__ import annotations

import numpy as np
import pytest

import autograd_lite as al


def leaf(shape):
    return al.tensor(np.ones(shape), requires_grad=True)


def test_matmul_shape_mismatch_names_op_and_both_shapes():
    with pytest.raises(ValueError, match=r"matmul: inputs of shape \(2, 3\) and \(4, 5\)"):
        leaf((2, 3)) @ leaf((4, 5))


def test_broadcast_mismatch_names_op_and_both_shapes():
    with pytest.raises(ValueError, match=r"add: inputs of shape \(3,\) and \(4,\)"):
        leaf(3) + leaf(4)


def test_axis_out_of_range_names_axis_and_ndim():
    with pytest.raises(
        np.exceptions.AxisError, match=r"sum: .*axis 2 is out of bounds.*dimension 2"
    ):
        leaf((2, 3)).sum(axis=2)
    with pytest.raises(np.exceptions.AxisError, match="softmax"):
        al.softmax(leaf(3), axis=-2)


def test_backward_on_non_scalar_without_grad_names_the_shape():
    with pytest.raises(ValueError, match=r"shape \(2, 3\).*pass grad="):
        (leaf((2, 3)) * 2).backward()


def test_backward_with_a_grad_of_the_wrong_shape():
    with pytest.raises(ValueError, match=r"grad has shape \(3,\) but the output has shape \(2,\)"):
        (leaf(2) * 2).backward(np.ones(3))


@pytest.mark.parametrize(
    "grad", ["1.5", np.array(["1.5", "2"]), 1 + 2j, np.array([True, False]), None], ids=repr
)
def test_backward_refuses_a_grad_that_is_not_real_numbers(grad):
    # a numeric string was read as its number, and complex lost its imaginary part with only
    # numpy's ComplexWarning (torch refuses both)
    out = leaf(2) * 2
    grad = np.array([None, None]) if grad is None else grad
    with pytest.raises(TypeError, match=r"backward\(\): grad has dtype .*real numbers"):
        out.backward(grad)


def test_backward_on_a_tensor_that_does_not_require_grad():
    with pytest.raises(RuntimeError, match="does not require grad"):
        al.tensor([1.0]).sum().backward()


def test_missing_rule_names_the_op_and_the_input():
    @al.register("no_rule_for_test")
    def no_rule(x, y):
        return x * y

    @no_rule.vjp(argnum=0)
    def _(g, out, x, y):
        return g * y

    try:
        x, y = leaf(2), leaf(2)
        (no_rule(x, y)).sum().backward(retain_graph=True)  # noqa: B018
    except NotImplementedError as exc:
        assert "no_rule_for_test" in str(exc) and "input 1" in str(exc)
    else:
        pytest.fail("a missing rule must raise")
    finally:
        al.unregister("no_rule_for_test")


def test_rule_returning_the_wrong_shape_names_the_op():
    @al.register("bad_shape_for_test")
    def bad(x):
        return x * 2

    @bad.vjp
    def _(g, out, x):
        return np.ones(7)

    try:
        with pytest.raises(RuntimeError, match=r"bad_shape_for_test.*\(7,\).*\(3,\)"):
            bad(leaf(3)).sum().backward()
    finally:
        al.unregister("bad_shape_for_test")


def test_registering_a_name_twice_raises():
    with pytest.raises(ValueError, match="already registered"):
        al.register("add")(lambda x, y: x + y)


def test_rule_for_an_input_the_op_does_not_have():
    with pytest.raises(ValueError, match="no input at argnum=1"):
        al.get_op("exp").vjp(argnum=1)(lambda g, out, x: g)


def test_unknown_op_name_lists_the_known_ones():
    with pytest.raises(KeyError, match="no op named 'nope'.*softmax"):
        al.get_op("nope")


def test_too_many_positional_arguments():
    with pytest.raises(TypeError, match="exp\\(\\) takes 1 input"):
        al.exp(leaf(2), 1, 2)


def test_bad_constant_operand_names_the_op():
    with pytest.raises(TypeError, match="multiply"):
        leaf(2) * "a"


def test_cross_entropy_label_errors():
    logits = leaf((2, 3))
    with pytest.raises(ValueError, match=r"labels must lie in \[0, 3\)"):
        al.cross_entropy(logits, np.array([0, 3]))
    with pytest.raises(TypeError, match="labels must be integers"):
        al.cross_entropy(logits, np.array([0.0, 1.0]))
    with pytest.raises(ValueError, match=r"target of shape \(5,\)"):
        al.cross_entropy(logits, np.zeros(5))
    with pytest.raises(ValueError, match="reduction must be"):
        al.cross_entropy(logits, np.array([0, 1]), reduction="avg")
