"""Seeing inside backprop: the backward trace, local Jacobians, stability warnings."""

from __future__ import annotations

import sys
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd_lite as al
from autograd_lite.testing import SPECS, OpSpec


def diamond():
    x = al.tensor([0.5, -1.0], requires_grad=True, name="x")
    a = al.exp(x)
    a.name = "a"  # used twice: by multiply and by tanh
    return x, a, (a * 3 + al.tanh(a)).sum()


def test_trace_of_a_diamond_is_in_reverse_topological_order():
    x, a, loss = diamond()
    trace = al.trace_backward(loss)
    tensors = {label: t for t, label in trace.labels.items()}
    order = [tensors[step["node"]] for step in trace.steps]
    assert order[0] is loss and order[-1] is x and len(order) == 6
    position = {id(t): k for k, t in enumerate(order)}
    for t in order:  # every consumer of t was processed before t
        consumers = [u for u in order if any(i is t for i in u.inputs)]
        assert all(position[id(u)] < position[id(t)] for u in consumers)
    assert sum(1 for u in order if any(i is a for i in u.inputs)) == 2  # the diamond


def test_trace_shows_exactly_one_accumulation_and_the_same_gradients():
    x, a, loss = diamond()
    trace = al.trace_backward(loss)
    assert [e["node"] for e in trace.accumulations] == ["a"]
    x2, _, loss2 = diamond()
    loss2.backward()
    np.testing.assert_array_equal(x.grad, x2.grad)


def test_trace_names_each_rule_and_its_formula_and_prints_as_a_table():
    _, _, loss = diamond()
    trace = al.trace_backward(loss)
    exp_step = next(s for s in trace.steps if s["op"] == "exp")
    assert exp_step["sent"][0]["formula"] == "d exp(x)/dx = exp(x), written with the saved output."
    text = str(trace)
    assert "d tanh(x)/dx = 1 - tanh(x)^2" in text and "accumulate" in text
    assert "<table>" in trace._repr_html_()
    dicts = trace.to_dicts()
    assert dicts[0]["kind"] == "step" and dicts[0]["op"] == "sum"


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


LOGITS = np.array([1000.0, 0.0, -3.0])
TARGET = np.array([0.0, 1.0, 0.0])


def softmax_composed(z):
    e = al.exp(z)
    return e / e.sum()


PATTERNS = [
    (
        "log(softmax(x))",
        lambda z: al.log(al.softmax(z)),
        lambda z: al.log_softmax(z),
        "log_softmax",
    ),
    (
        "log(sigmoid(x))",
        lambda z: al.log(al.sigmoid(-z)),
        lambda z: al.minimum(-z, 0) - al.log(1 + al.exp(-al.abs(z))),
        "stable form",
    ),
    (
        "-sum(y * log(softmax(z)))",
        lambda z: -(TARGET * al.log(al.softmax(z))).sum(),
        lambda z: al.cross_entropy(z, TARGET),
        "cross_entropy",
    ),
    ("exp(x) / sum(exp(x))", softmax_composed, lambda z: al.softmax(z), "softmax"),
    (
        "log(sum(exp(x)))",
        lambda z: al.log(al.sum(al.exp(z))),
        lambda z: al.logsumexp(z),
        "logsumexp",
    ),
]


@pytest.mark.parametrize(
    ("pattern", "composed", "fused", "fix"), PATTERNS, ids=[p[0] for p in PATTERNS]
)
def test_each_unstable_pattern_warns_once_and_the_fused_form_is_exact(
    pattern, composed, fused, fix
):
    z = al.tensor(LOGITS, requires_grad=True)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("default")  # the standard filter: once per creation site
        warnings.simplefilter("ignore", RuntimeWarning)
        for _ in range(3):
            bad = composed(z)  # the same line three times: one warning
    ours = [
        w
        for w in caught
        if issubclass(w.category, al.NumericalStabilityWarning) and pattern in str(w.message)
    ]
    assert len(ours) == 1, [str(w.message) for w in caught]
    assert fix in str(ours[0].message) and ours[0].filename == __file__
    with warnings.catch_warnings():
        warnings.simplefilter("error", al.NumericalStabilityWarning)
        good = fused(z)  # fused forms do not warn
    assert np.isfinite(good.data).all()
    assert not np.allclose(bad.data, good.data, equal_nan=False)


def test_stability_warnings_can_be_silenced():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        warnings.simplefilter("ignore", al.NumericalStabilityWarning)
        al.log(al.softmax(al.tensor([1.0, 2.0], requires_grad=True)))


def test_a_large_graph_with_patterns_builds_and_runs_backward_without_recursion():
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(200)
    try:
        x = al.tensor([0.1, 0.2], requires_grad=True)
        y = x
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", al.NumericalStabilityWarning)
            for _ in range(25_000):  # 100,000 nodes: softmax, log, add, tanh
                y = al.tanh(al.log(al.softmax(y)) + y)
        y.sum().backward()
        assert np.isfinite(x.grad).all()
    finally:
        sys.setrecursionlimit(limit)
