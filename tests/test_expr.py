"""The expression language of ``autograd-lite graph``: what it accepts, refuses and computes."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import autograd_lite as al
from autograd_lite.expr import ExpressionError, check, cost, evaluate, shapes
from autograd_lite.testing import SPECS

OPS = {name: al.get_op(name) for name in al.list_ops()}


def run(text, **inputs):
    return evaluate(check(text, OPS), {k: al.tensor(v) for k, v in inputs.items()})


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("x + 2 * y - y / 4", lambda x, y: x + 2 * y - y / 4),
        ("-x ** 2", lambda x, y: -(x**2)),
        ("+x @ y", lambda x, y: x @ y),
        ("x[1:] * y[:-1]", lambda x, y: x[1:] * y[:-1]),
        ("x[None, ..., -1]", lambda x, y: x[None, ..., -1]),
        ("sum(softmax(x, axis=-1) * y, keepdims=True)", None),
        ("sum(x, 0)", lambda x, y: np.sum(x, 0)),
        ("maximum(x, y) ** (1 / 2)", lambda x, y: np.maximum(x, y) ** 0.5),
        ("concatenate(x, y, axis=0)", lambda x, y: np.concatenate([x, y])),
        ("2 ** 3 * x", lambda x, y: 8 * x),
        ("x + softmax(2) + exp(1)", lambda x, y: x + 1 + np.e),
    ],
)
def test_accepted_expressions_compute_what_numpy_computes(text, expected):
    x, y = np.array([1.0, 2.0, 3.0]), np.array([0.5, 4.0, 2.0])
    value = run(text, x=x, y=y)
    if expected is None:
        s = np.exp(x) / np.exp(x).sum()
        np.testing.assert_allclose(value.data, [np.sum(s * y)])
    else:
        np.testing.assert_allclose(value.data, expected(x, y))


def test_names_are_the_inputs_in_order_of_first_appearance():
    assert check("b + sum(W @ x) * b", OPS).names == ["b", "W", "x"]


def test_number_parts_are_folded_while_checking():
    program = check("x * (2 ** 10 - 24)", OPS)
    assert program.constants[program.body.right] == 1000


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('__import__("os").system("true")', "attribute access is not allowed, at column 1: "),
        ("().__class__", "attribute access is not allowed, at column 1: ().__class__"),
        ("[x for x in y]", "a comprehension is not allowed, at column 1"),
        ("lambda: 0", "a lambda is not allowed, at column 1"),
        ("x.data", "attribute access is not allowed, at column 1: x.data"),
        ("9**9**9", "the exponent 387,420,489 is too large (at most 100), at column 4: 9**9"),
        ("x ** 1000", "the exponent 1,000 is too large (at most 100), at column 6: 1000"),
        ("(2 ** 100) ** 11", "the number is too large, at column 1: (2 ** 100) ** 11"),
        ("1e400 * x", "the number is too large, at column 1: 1e400"),
        ("x + 'a'", "a string is not allowed, at column 5: 'a'"),
        ("__x + 1", "a double-underscore name is not allowed"),
        ("open('f')", "open is not a registered op"),
        ("sofmax(x)", "sofmax is not a registered op (did you mean softmax"),
        ("sum", "sum is an op: call it"),
        ("x[y]", "an index must be a constant integer, a slice of them, None or ..., at column 3"),
        ("sum(x, axis='a')", "axis= must be a constant"),
        ("softmax(x, dim=1)", "softmax has no attribute dim (its attributes: axis), at column 12"),
        ("sum(*x)", "unpacking with * is not allowed"),
        ("sum(**x)", "unpacking with ** is not allowed"),
        ("add(x)", "add takes 2 input(s) (x, y)"),
        ("x // 2", "the operator // is not allowed"),
        ("x if y else 1", "if-else is not allowed"),
        ("x == y", "a comparison is not allowed"),
        ("1 / 0 + x", "division by zero, at column 1: 1 / 0"),
        ("(-8) ** 0.5", "the result is a complex number"),
        ("reshape(x, shape=(100000, 100000))", "shape= of 10,000,000,000 elements"),
        ("broadcast_to(x, (5000, 5000))", "shape= of 25,000,000 elements"),
        ("3[0]", "only an input can be indexed"),
        ("x; import os", "not an expression: invalid syntax"),
        ("x\0", "not an expression"),
        ("(" * 300 + "x" + ")" * 300, "not an expression: too many nested parentheses"),
        ("x" + " + x" * 1000, "the expression has 4,001 characters; at most 2,000"),
        ("é + x.y", "attribute access is not allowed, at column 5: x.y"),
    ],
)
def test_refused_expressions_name_the_offending_part(text, message):
    with pytest.raises(ExpressionError) as info:
        check(text, OPS)
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_a_result_over_the_size_limit_is_refused_before_the_op_runs(monkeypatch):
    calls = []
    matmul = OPS["matmul"]
    ops = {**OPS, "matmul": lambda *a, **k: calls.append(a) or matmul(*a, **k)}
    program = check("exp(a) @ b", ops)
    a, b = al.tensor(np.ones((4000, 1))), al.tensor(np.ones((1, 4000)))
    with pytest.raises(ExpressionError, match=r"matmul would make 16,000,000 elements"):
        evaluate(program, {"a": a, "b": b})
    assert calls == []


def test_all_the_arrays_together_are_held_to_a_budget(monkeypatch):
    monkeypatch.setattr(cost, "MAX_TOTAL_ELEMENTS", 100)
    program = check("x + x + x", OPS)
    x = al.tensor(np.ones(40))  # 40 held; the first sum makes 80, a second would make 120
    with pytest.raises(
        ExpressionError,
        match="add would take the arrays .* to 120 elements together .*limit of 100",
    ):
        evaluate(program, {"x": x})


def test_evaluation_is_iterative_for_deep_expressions():
    value = run("-" * 1001 + "x", x=np.array(2.0))
    assert value.item() == -2.0


@pytest.mark.parametrize("spec", SPECS, ids=lambda spec: spec.name)
def test_each_shape_rule_gives_the_forwards_shape_on_every_fixed_layout(spec):
    # the rules price an expression before it runs; a layout they miss would misprice it
    for call in spec.layouts:
        with np.errstate(all="ignore"), warnings.catch_warnings():  # only shapes count here
            warnings.simplefilter("ignore", RuntimeWarning)  # the mean of an empty slice
            expected = np.shape(al.get_op(spec.name)(*call.args, **call.attrs))
        in_shapes = [np.shape(a) for a in call.args]
        assert shapes.result_shape(spec.name, in_shapes, call.attrs) == expected, call
