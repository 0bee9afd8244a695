"""softmax, log_softmax, logsumexp and cross_entropy stay finite where naive formulas do not;
sigmoid is accurate to a few ulps in both tails."""

from __future__ import annotations

import decimal

import numpy as np
import pytest

import autograd_lite as al
from autograd_lite.nn import functional as F

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


def exact_sigmoid(x: float) -> float:
    """1 / (1 + e^-x) in 50-digit decimal arithmetic, rounded once to a float."""
    with decimal.localcontext(prec=50):
        return float(1 / (1 + (-decimal.Decimal(float(x))).exp()))


# down to where sigmoid is the smallest subnormal of each dtype, and up to where it rounds to 1
TAILS = {
    np.float64: [-745, -700, -100, -40, -30, -20, -10, -1, -1e-3, 0, 1e-3, 1, 10, 20, 40, 700],
    np.float32: [-103, -87, -50, -30, -20, -10, -1, -1e-3, 0, 1e-3, 1, 10, 17, 20, 100],
}


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_sigmoid_is_within_a_few_ulps_of_the_exact_value_in_both_tails(dtype):
    x = np.array(TAILS[dtype], dtype)
    s = al.sigmoid(al.tensor(x)).data
    exact = np.array([exact_sigmoid(v) for v in x]).astype(dtype)
    assert s.dtype == dtype
    ulps = np.abs(s.astype(np.float64) - exact) / np.spacing(exact).astype(np.float64)
    assert ulps.max() <= 4, dict(zip(x.tolist(), ulps.tolist(), strict=True))


def test_sigmoid_keeps_the_dtype_the_shape_and_the_limits():
    for dtype in (np.float32, np.float64):
        s = al.sigmoid(al.tensor(np.array([-np.inf, np.inf, np.nan, 0.0], dtype))).data
        assert s.dtype == dtype
        np.testing.assert_array_equal(s, [0.0, 1.0, np.nan, 0.5])
        scalar = al.sigmoid(al.tensor(np.array(-3.0, dtype)))
        assert scalar.shape == () and scalar.dtype == dtype
        assert al.sigmoid(al.tensor(np.zeros((2, 0), dtype))).shape == (2, 0)


@pytest.mark.filterwarnings("ignore::autograd_lite.NumericalStabilityWarning")
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_log_of_sigmoid_and_its_gradient_stay_finite_in_the_negative_tail(dtype):
    x = al.tensor(np.array([-20.0, -40.0, -80.0], dtype), requires_grad=True)
    y = al.log(al.sigmoid(x))
    y.sum().backward()
    # log(sigmoid(x)) = x - log(1 + e^x) and d/dx = 1 - sigmoid(x): x and 1 within e^x < 3e-9
    np.testing.assert_allclose(y.data, x.data, rtol=1e-6)
    np.testing.assert_allclose(x.grad, [1.0, 1.0, 1.0], rtol=1e-6)


def test_silu_inherits_the_accurate_sigmoid():
    x = np.array([-40.0, -30.0, 30.0])
    expected = [v * exact_sigmoid(v) for v in x]
    np.testing.assert_allclose(F.silu(al.tensor(x)).data, expected, rtol=1e-14)
