"""Optimizers: each update against its formula written in numpy, in place and unrecorded."""

from __future__ import annotations

import numpy as np
import pytest

import autograd_lite as al
from autograd_lite import optim


def param(values) -> al.Tensor:
    return al.tensor(np.asarray(values, dtype=np.float64), requires_grad=True)


def test_sgd_step_is_p_minus_lr_g_in_place():
    p = param([1.0, -2.0, 3.0])
    data = p.data
    p.grad = np.array([0.5, 0.25, -1.0])
    optim.SGD([p], lr=0.1).step()
    np.testing.assert_allclose(p.data, [0.95, -2.025, 3.1])
    assert p.data is data  # updated in place
    assert p.is_leaf and p.op is None  # not recorded


def test_sgd_momentum_and_weight_decay_follow_the_formula():
    rng = np.random.default_rng(0)
    p = param(rng.normal(size=4))
    opt = optim.SGD([p], lr=0.05, momentum=0.9, weight_decay=0.01)
    expected, velocity = p.data.copy(), np.zeros(4)
    for _ in range(3):
        g = rng.normal(size=4)
        p.grad = g.copy()
        opt.step()
        velocity = 0.9 * velocity + (g + 0.01 * expected)
        expected = expected - 0.05 * velocity
    np.testing.assert_allclose(p.data, expected, rtol=1e-14)


def test_adam_follows_the_formula_with_bias_correction():
    rng = np.random.default_rng(1)
    p = param(rng.normal(size=(2, 3)))
    lr, (b1, b2), eps, wd = 0.01, (0.8, 0.95), 1e-6, 0.1
    opt = optim.Adam([p], lr=lr, betas=(b1, b2), eps=eps, weight_decay=wd)
    expected, m, v = p.data.copy(), np.zeros((2, 3)), np.zeros((2, 3))
    for t in range(1, 5):
        g = rng.normal(size=(2, 3))
        p.grad = g.copy()
        opt.step()
        g = g + wd * expected
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        expected = expected - lr * (m / (1 - b1**t)) / (np.sqrt(v / (1 - b2**t)) + eps)
    np.testing.assert_allclose(p.data, expected, rtol=1e-13)


def test_adam_first_step_moves_each_entry_by_about_lr():
    p = param([1.0, 1.0, 1.0])
    p.grad = np.array([1e-3, -5.0, 200.0])
    optim.Adam([p], lr=0.1).step()
    np.testing.assert_allclose(p.data, [0.9, 1.1, 0.9], rtol=1e-5)


@pytest.mark.parametrize("make", [lambda ps: optim.SGD(ps, lr=0.1), lambda ps: optim.Adam(ps)])
def test_step_skips_parameters_without_gradient_and_zero_grad_clears(make):
    with_grad, without = param([1.0]), param([2.0])
    opt = make([with_grad, without])
    (with_grad * 3).sum().backward()
    opt.step()
    assert with_grad.data[0] != 1.0 and without.data[0] == 2.0
    opt.zero_grad()
    assert with_grad.grad is None and without.grad is None


def test_step_does_not_record_even_when_grad_mode_is_on():
    p = param([1.0, 2.0])
    (p * p).sum().backward()
    assert al.is_grad_enabled()
    optim.SGD([p], lr=0.1, momentum=0.5).step()
    assert p.is_leaf and p.requires_grad and al.is_grad_enabled()


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: optim.SGD([], lr=0.1), "no parameters"),
        (lambda: optim.SGD([al.tensor([1.0])], lr=0.1), "requires_grad=True"),
        (lambda: optim.SGD([param([1.0])], lr=0.0), "learning rate must be > 0"),
        (lambda: optim.SGD([param([1.0])], lr=0.1, momentum=1.0), "momentum"),
        (lambda: optim.Adam([param([1.0])], lr=-1.0), "learning rate must be > 0"),
        (lambda: optim.Adam([param([1.0])], betas=(0.9, 1.0)), "betas"),
        (lambda: optim.Adam([param([1.0])], weight_decay=-1), "weight_decay"),
    ],
)
def test_bad_settings_are_refused(make, message):
    with pytest.raises(ValueError, match=message):
        make()
