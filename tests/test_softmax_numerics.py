"""softmax, log_softmax, logsumexp and cross_entropy stay finite where naive formulas do not."""

from __future__ import annotations

import numpy as np
import pytest

import autograd_lite as al

HUGE = np.array([[1e4, -1e4, 0.0], [-1e4, 1e4, 1e4]])
WITH_INF = np.array([[-np.inf, 1.0, 2.0], [3.0, -np.inf, -np.inf]])


@pytest.mark.parametrize("logits", [HUGE, WITH_INF], ids=["1e4", "-inf"])
@pytest.mark.parametrize(
    "loss",
    [
        lambda z: (al.softmax(z) * np.array([1.0, 2.0, 3.0])).sum(),
        lambda z: al.where(np.isfinite(z.data), al.log_softmax(z), 0.0).sum(),
        lambda z: al.logsumexp(z, axis=1).sum(),
        lambda z: al.cross_entropy(z, np.array([2, 0])),
    ],
    ids=["softmax", "log_softmax", "logsumexp", "cross_entropy"],
)
def test_values_and_gradients_are_finite(logits, loss):
    z = al.tensor(logits, requires_grad=True)
    value = loss(z)
    value.backward()
    assert np.isfinite(value.data).all()
    assert np.isfinite(z.grad).all()


def test_softmax_with_inf_entries_gives_zero_probability_there():
    s = al.softmax(al.tensor(WITH_INF)).data
    np.testing.assert_allclose(s[1], [1.0, 0.0, 0.0])
    np.testing.assert_allclose(s[0, 0], 0.0)


def test_logsumexp_of_huge_logits_is_exact():
    np.testing.assert_allclose(al.logsumexp(al.tensor(HUGE), axis=1).data, [1e4, 1e4 + np.log(2)])


def test_cross_entropy_gradient_is_softmax_minus_target():
    z = al.tensor(np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 5.0]]), requires_grad=True)
    al.cross_entropy(z, np.array([2, 0]), reduction="sum").backward()
    expected = al.softmax(al.tensor(z.data)).data - np.eye(3)[[2, 0]]
    np.testing.assert_allclose(z.grad, expected)


def test_cross_entropy_with_labels_equals_with_one_hot_rows():
    rng = np.random.default_rng(0)
    logits = rng.standard_normal((4, 5))
    labels = np.array([0, 4, 2, 2])
    a = al.cross_entropy(al.tensor(logits), labels)
    b = al.cross_entropy(al.tensor(logits), np.eye(5)[labels])
    np.testing.assert_allclose(a.data, b.data)


def test_cross_entropy_with_soft_targets_and_neg_inf_logit_is_finite():
    z = al.tensor(np.array([[-np.inf, 0.0, 1.0]]), requires_grad=True)
    target = np.array([[0.0, 0.5, 0.5]])
    loss = al.cross_entropy(z, target)
    loss.backward()
    assert np.isfinite(loss.data) and np.isfinite(z.grad).all()


def test_sigmoid_is_exact_for_large_inputs():
    s = al.sigmoid(al.tensor([-800.0, 800.0])).data
    np.testing.assert_array_equal(s, [0.0, 1.0])
