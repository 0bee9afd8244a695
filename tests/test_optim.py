"""Optimizers: each update against its formula written in numpy, in place and unrecorded."""

from __future__ import annotations

import numpy as np
import pytest

import autograd_lite as al
from autograd_lite import nn, optim


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


def test_sgd_nesterov_steps_by_the_gradient_plus_momentum_times_velocity():
    rng = np.random.default_rng(4)
    p = param(rng.normal(size=3))
    opt = optim.SGD([p], lr=0.1, momentum=0.5, nesterov=True)
    expected, velocity = p.data.copy(), np.zeros(3)
    for _ in range(3):
        g = rng.normal(size=3)
        p.grad = g.copy()
        opt.step()
        velocity = 0.5 * velocity + g
        expected = expected - 0.1 * (g + 0.5 * velocity)
    np.testing.assert_allclose(p.data, expected, rtol=1e-14)


def test_adamw_decays_the_weights_apart_from_the_moments():
    rng = np.random.default_rng(2)
    p = param(rng.normal(size=5))
    lr, (b1, b2), eps, wd = 0.01, (0.9, 0.999), 1e-8, 0.1
    opt = optim.AdamW([p], lr=lr, weight_decay=wd)
    expected, m, v = p.data.copy(), np.zeros(5), np.zeros(5)
    for t in range(1, 5):
        g = rng.normal(size=5)
        p.grad = g.copy()
        opt.step()
        expected = expected * (1 - lr * wd)  # decoupled: the moments see g alone
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        expected = expected - lr * (m / (1 - b1**t)) / (np.sqrt(v / (1 - b2**t)) + eps)
    np.testing.assert_allclose(p.data, expected, rtol=1e-13)
    assert optim.AdamW([param([1.0])]).decoupled_decay == 0.01  # torch's default


@pytest.mark.parametrize("momentum", [0.0, 0.9])
def test_rmsprop_follows_torchs_formula(momentum):
    rng = np.random.default_rng(3)
    p = param(rng.normal(size=4))
    opt = optim.RMSprop([p], lr=0.01, alpha=0.9, momentum=momentum, weight_decay=0.05)
    expected, v, b = p.data.copy(), np.zeros(4), np.zeros(4)
    for _ in range(4):
        g = rng.normal(size=4)
        p.grad = g.copy()
        opt.step()
        g = g + 0.05 * expected
        v = 0.9 * v + 0.1 * g * g
        step = g / (np.sqrt(v) + 1e-8)
        b = momentum * b + step
        expected = expected - 0.01 * (b if momentum else step)
    np.testing.assert_allclose(p.data, expected, rtol=1e-13)


def test_adam_first_step_moves_each_entry_by_about_lr():
    p = param([1.0, 1.0, 1.0])
    p.grad = np.array([1e-3, -5.0, 200.0])
    optim.Adam([p], lr=0.1).step()
    np.testing.assert_allclose(p.data, [0.9, 1.1, 0.9], rtol=1e-5)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Adam", 1.0 - 0.1 * 0.5 / (0.5 + 1e-8)),  # m_hat = g, v_hat = g^2: a step of about lr
        ("AdamW", (1.0 - 0.1 * 0.01) - 0.1 * 0.5 / (0.5 + 1e-8)),  # first p *= 1 - lr * wd
    ],
)
def test_adam_first_step_of_a_parameter_skipped_until_then_moves_it_by_about_lr(name, expected):
    """Each parameter counts its own steps, as torch's: ``b`` has no gradient for three steps,
    so the fourth is its first, bias-corrected by 1 - beta^1, not 1 - beta^4."""
    a, b = param([1.0]), param([1.0])
    opt = getattr(optim, name)([a, b], lr=0.1)
    for step in range(4):
        a.grad = np.array([0.5])
        b.grad = np.array([0.5]) if step == 3 else None
        opt.step()
    np.testing.assert_allclose(b.data, [expected], rtol=1e-12)  # torch: 0.9 and 0.899
    assert opt.t == [4, 1]


MAKERS = {
    "sgd": lambda ps: optim.SGD(ps, lr=0.1),
    "sgd-momentum": lambda ps: optim.SGD(ps, lr=0.1, momentum=0.9, weight_decay=0.01),
    "sgd-nesterov": lambda ps: optim.SGD(ps, lr=0.1, momentum=0.5, nesterov=True),
    "adam": lambda ps: optim.Adam(ps, lr=0.05, betas=(0.8, 0.95), weight_decay=0.1),
    "adamw": lambda ps: optim.AdamW(ps, lr=0.05, weight_decay=0.2),
    "rmsprop": lambda ps: optim.RMSprop(ps, lr=0.01, alpha=0.9, weight_decay=0.05),
    "rmsprop-momentum": lambda ps: optim.RMSprop(ps, lr=0.01, momentum=0.8),
}


@pytest.mark.parametrize("name", MAKERS)
def test_a_parameter_skipped_at_first_then_moves_as_a_fresh_optimizers_would(name):
    """No state of a parameter advances on a step it has no gradient: after three skipped
    steps it takes, bit for bit, the steps a new optimizer of it alone takes."""
    rng = np.random.default_rng(5)
    a, b, alone = param(rng.normal(size=3)), param([1.0, -2.0]), param([1.0, -2.0])
    opt, fresh = MAKERS[name]([a, b]), MAKERS[name]([alone])
    for step in range(6):
        a.grad = rng.normal(size=3)
        b.grad = None if step < 3 else rng.normal(size=2)
        opt.step()
        if b.grad is not None:
            alone.grad = b.grad.copy()
            fresh.step()
        np.testing.assert_array_equal(b.data, alone.data)
    assert not np.array_equal(b.data, [1.0, -2.0])


@pytest.mark.parametrize(
    "make",
    [
        lambda ps: optim.SGD(ps, lr=0.1),
        lambda ps: optim.Adam(ps),
        lambda ps: optim.AdamW(ps),
        lambda ps: optim.RMSprop(ps),
    ],
)
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
        (lambda: optim.SGD([param([1.0])], lr=0.0), "learning rate must be > 0"),
        (lambda: optim.SGD([param([1.0])], lr=0.1, momentum=1.0), "momentum"),
        (lambda: optim.Adam([param([1.0])], lr=-1.0), "learning rate must be > 0"),
        (lambda: optim.Adam([param([1.0])], betas=(0.9, 1.0)), "betas"),
        (lambda: optim.Adam([param([1.0])], weight_decay=-1), "weight_decay"),
        (lambda: optim.SGD([param([1.0])], lr=0.1, nesterov=True), "needs a momentum"),
        (lambda: optim.AdamW([param([1.0])], weight_decay=-1), "weight_decay"),
        (lambda: optim.RMSprop([param([1.0])], alpha=1.0), "alpha must lie in"),
        (lambda: optim.RMSprop([param([1.0])], momentum=1.0), "momentum must lie in"),
    ],
)
def test_bad_settings_are_refused(make, message):
    with pytest.raises(ValueError, match=message):
        make()


@pytest.mark.parametrize("make", [optim.SGD, optim.Adam, optim.AdamW, optim.RMSprop])
def test_a_frozen_parameter_is_accepted_and_left_as_it_is(make):
    net = nn.Sequential(nn.Linear(3, 4, rng=0), nn.Tanh(), nn.Linear(4, 2, rng=1))
    net[0].weight.requires_grad_(False)
    frozen, trained = net[0].weight.data.copy(), net[2].weight.data.copy()
    opt = make(net.parameters(), lr=0.1)
    al.cross_entropy(net(np.ones((2, 3))), np.array([0, 1])).backward()
    opt.step()
    assert net[0].weight.grad is None
    np.testing.assert_array_equal(net[0].weight.data, frozen)
    assert not np.array_equal(net[2].weight.data, trained)
    optim.SGD([al.tensor([1.0])], lr=0.1).step()  # a tensor that never required grad too


@pytest.mark.parametrize("make", [optim.SGD, optim.Adam, optim.AdamW, optim.RMSprop])
def test_a_parameter_given_twice_is_refused_naming_both_positions(make):
    w, other = param([1.0, -2.0]), param([3.0])
    w.name = "w"
    with pytest.raises(ValueError, match=r"parameters 0 and 2 are the same Tensor \('w'\)"):
        make([w, other, w], lr=0.1)


@pytest.mark.parametrize(
    ("params", "error", "message"),
    [
        ([np.ones(2)], TypeError, "parameter 0 is a ndarray, not a Tensor"),
        ([param([1.0]), 1.0], TypeError, "parameter 1 is a float, not a Tensor"),
        ([param([1.0]) * 2], ValueError, "op 'multiply', not a leaf Tensor"),
        # a hand-set float .grad would have been truncated into an integer tensor
        ([al.tensor(np.array([1, 2]))], TypeError, "parameter 0 is int64; parameters are float"),
    ],
)
def test_what_is_not_a_leaf_tensor_is_refused(params, error, message):
    with pytest.raises(error, match=message):
        optim.SGD(params, lr=0.1)


def test_the_package_exports_the_optimizers_and_the_schedulers():
    from autograd_lite.optim import SGD, Adam, AdamW, Optimizer, RMSprop

    assert all(issubclass(c, Optimizer) for c in (SGD, Adam, AdamW, RMSprop))
    assert {"StepLR", "MultiStepLR", "ExponentialLR", "CosineWithWarmup", "OneCycleLR"} <= set(
        optim.__all__
    )
    assert all(hasattr(optim, name) for name in optim.__all__)
