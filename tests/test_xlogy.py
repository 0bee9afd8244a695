"""xlogy (x log y, 0 where x is 0) at the points its formula cannot say, and kl_div, which is
built on it: values as torch.xlogy's, derivatives as one-sided limits where torch's are NaN."""

from __future__ import annotations

import numpy as np
import pytest

import autograd_lite as al
import autograd_lite.nn.functional as F


def test_xlogy_is_0_where_x_is_0_even_at_y_0_but_not_at_a_nan_y():
    x = np.array([0.0, 0.0, 0.0, 2.0, 2.0])
    y = np.array([0.0, 3.0, np.nan, 0.0, 3.0])
    out = al.xlogy(x, y).data
    np.testing.assert_array_equal(out[:2], [0.0, 0.0])
    assert np.isnan(out[2]) and out[3] == -np.inf and out[4] == pytest.approx(2 * np.log(3))


def test_xlogy_keeps_float32_and_makes_integers_float64():
    assert al.xlogy(np.float32([1, 2]), np.float32([3, 4])).dtype == np.float32
    assert al.xlogy(np.array([1, 0]), np.array([3, 0])).dtype == np.float64


def test_xlogy_gradients_at_x_0():
    x = al.tensor([0.0, 0.0, 1.5], requires_grad=True)
    y = al.tensor([2.0, 0.0, 0.5], requires_grad=True)
    with np.errstate(divide="raise", invalid="raise"):  # the rules warn of nothing
        al.xlogy(x, y).sum().backward()
    np.testing.assert_allclose(x.grad, [np.log(2.0), -np.inf, np.log(0.5)])
    np.testing.assert_allclose(y.grad, [0.0, 0.0, 3.0])  # along x = 0, xlogy is 0 for all y


def test_kl_div_gradient_for_a_target_of_0_is_the_one_sided_minus_inf():
    log_q = np.log(np.array([[0.2, 0.3, 0.5]]))
    p = al.tensor([[0.0, 0.4, 0.6]], requires_grad=True)
    F.kl_div(al.tensor(log_q), p, reduction="sum").backward()
    # d/dt t (log t - log q) = log t + 1 - log q: -inf at t = 0 (it was 0; torch gives NaN)
    assert p.grad[0, 0] == -np.inf
    np.testing.assert_allclose(p.grad[0, 1:], np.log(p.data[0, 1:]) + 1 - log_q[0, 1:])
    right = 1e-12  # a step to the right: the difference quotient heads to -inf
    shifted = p.data.copy()
    shifted[0, 0] = right
    rise = F.kl_div(al.tensor(log_q), shifted, reduction="sum").item()
    assert (rise - F.kl_div(al.tensor(log_q), p.data, reduction="sum").item()) / right < -20


def test_kl_div_values_are_torchs_formula():
    log_q = np.log(np.array([[0.2, 0.3, 0.5], [0.6, 0.2, 0.2]]))
    p = np.array([[0.0, 0.4, 0.6], [0.5, 0.5, 0.0]])
    terms = np.where(p > 0, p * (np.log(np.where(p > 0, p, 1)) - log_q), 0.0)
    loss = F.kl_div(al.tensor(log_q, requires_grad=True), p, reduction="batchmean")
    assert loss.item() == pytest.approx(terms.sum() / 2, rel=1e-14)
    assert al.gradcheck(lambda lq: F.kl_div(lq, p, reduction="sum"), [log_q])
