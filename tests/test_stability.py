"""Warnings for numerically unstable compositions (stability.py), each naming the fused op."""

from __future__ import annotations

import sys
import warnings

import numpy as np
import pytest

import autograd_lite as al

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


def test_the_hand_written_shift_by_the_maximum_is_stable_and_does_not_warn():
    z = al.tensor(LOGITS, requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error", al.NumericalStabilityWarning)
        shifted = z - z.max()
        e = al.exp(shifted)
        s = e / e.sum()
        lse = al.log(al.sum(al.exp(shifted))) + z.max()
    np.testing.assert_allclose(s.data, al.softmax(z).data, rtol=1e-15)
    np.testing.assert_allclose(lse.data, al.logsumexp(z).data, rtol=1e-15)
    with pytest.warns(al.NumericalStabilityWarning), np.errstate(over="ignore", invalid="ignore"):
        e = al.exp(z - z.min())  # shifted by something else: it overflows, and warns
        e / e.sum()


def test_stability_warnings_can_be_silenced():
    x = al.tensor([1.0, 2.0], requires_grad=True)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        al.log(al.softmax(x))  # warns
        warnings.simplefilter("ignore", al.NumericalStabilityWarning)
        al.log(al.softmax(x))  # silenced by the filter
    assert [w.category for w in caught] == [al.NumericalStabilityWarning]


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
