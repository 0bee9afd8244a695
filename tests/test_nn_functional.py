"""nn.functional's activations and losses: torch's formulas written out in numpy, torch's
derivatives at the kinks, gradients against central differences, and the stable forms."""

from __future__ import annotations

import math

import numpy as np
import pytest

import autograd_lite as al
from autograd_lite.nn import functional as F
from autograd_lite.nn.activations import SELU_ALPHA, SELU_SCALE

X = np.array([-4.0, -2.5, -0.7, 0.3, 1.1, 2.9, 5.0])  # away from every kink


def sig(x):
    return 1 / (1 + np.exp(-x))


ACTIVATIONS = [
    (F.silu, lambda x: x * sig(x)),
    (lambda x: F.leaky_relu(x, 0.1), lambda x: np.where(x > 0, x, 0.1 * x)),
    (lambda x: F.elu(x, 0.5), lambda x: np.where(x > 0, x, 0.5 * np.expm1(x))),
    (F.selu, lambda x: SELU_SCALE * np.where(x > 0, x, SELU_ALPHA * np.expm1(x))),
    (lambda x: F.celu(x, 2.0), lambda x: np.where(x > 0, x, 2.0 * np.expm1(x / 2))),
    (
        lambda x: F.softplus(x, 2.0, 5.0),
        lambda x: np.where(2 * x > 5, x, np.log1p(np.exp(2 * x)) / 2),
    ),
    (F.logsigmoid, lambda x: np.log(sig(x))),
    (lambda x: F.hardtanh(x, -2.0, 3.0), lambda x: np.clip(x, -2, 3)),
    (F.relu6, lambda x: np.clip(x, 0, 6)),
    (F.hardsigmoid, lambda x: np.clip(x + 3, 0, 6) / 6),
    (F.hardswish, lambda x: x * np.clip(x + 3, 0, 6) / 6),
    (F.mish, lambda x: x * np.tanh(np.log1p(np.exp(x)))),
    (F.softsign, lambda x: x / (1 + np.abs(x))),
    (lambda x: F.softmin(x, 0), lambda x: np.exp(-x) / np.exp(-x).sum()),
    (F.gelu, lambda x: 0.5 * x * (1 + np.vectorize(math.erf)(x / math.sqrt(2)))),
    (
        lambda x: F.gelu(x, approximate="tanh"),
        lambda x: 0.5 * x * (1 + np.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x**3))),
    ),
]


@pytest.mark.parametrize(("f", "formula"), ACTIVATIONS)
def test_activations_are_torchs_formulas_with_their_gradients(f, formula):
    np.testing.assert_allclose(f(al.tensor(X)).data, formula(X), rtol=1e-12, atol=1e-15)
    assert al.gradcheck(lambda x: (f(x) * np.arange(1.0, 8.0)).sum(), [X])
    assert al.gradgradcheck(lambda x: (f(x) ** 2).sum(), [X])


def gradient(f, values):
    x = al.tensor(np.asarray(values, dtype=float), requires_grad=True)
    f(x).sum().backward()
    return x.grad


def test_derivatives_at_the_kinks_are_torchs():
    assert gradient(lambda x: F.leaky_relu(x, 0.2), [0.0]).tolist() == [0.2]
    assert gradient(lambda x: F.elu(x, 0.5), [0.0]).tolist() == [0.5]
    assert gradient(F.relu6, [0.0, 6.0, 3.0]).tolist() == [0.0, 0.0, 1.0]
    assert gradient(F.hardtanh, [-1.0, 1.0]).tolist() == [0.0, 0.0]
    np.testing.assert_allclose(gradient(F.hardswish, [-3.0, 3.0]), [0.0, 1.0])
    np.testing.assert_allclose(gradient(F.hardsigmoid, [-3.0, 3.0, 0.0]), [0.0, 0.0, 1 / 6])


def test_exponential_branches_that_are_not_taken_do_not_overflow_into_nan():
    big = [800.0, -800.0]
    for f in (F.elu, F.selu, F.celu, F.softplus, F.logsigmoid, F.mish, F.silu):
        with np.errstate(over="raise"):
            g = gradient(f, big)
        assert np.all(np.isfinite(g)), f.__name__
    with pytest.raises(ValueError, match="approximate must be"):
        F.gelu(al.tensor(X), approximate="fast")


RNG = np.random.default_rng(0)
A, B = RNG.standard_normal((3, 4)), RNG.standard_normal((3, 4))


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_regression_losses_are_their_formulas(reduction):
    d = A - B
    reduce = {"mean": np.mean, "sum": np.sum, "none": lambda v: v}[reduction]
    cases = [
        (F.mse_loss(A, B, reduction), d**2),
        (F.l1_loss(A, B, reduction), np.abs(d)),
        (
            F.smooth_l1_loss(A, B, reduction, beta=0.8),
            np.where(np.abs(d) < 0.8, 0.5 * d**2 / 0.8, np.abs(d) - 0.4),
        ),
        (
            F.huber_loss(A, B, reduction, delta=0.8),
            np.where(np.abs(d) < 0.8, 0.5 * d**2, 0.8 * (np.abs(d) - 0.4)),
        ),
    ]
    for got, elementwise in cases:
        np.testing.assert_allclose(got.data, reduce(elementwise), rtol=1e-12)
    for loss in (F.mse_loss, F.l1_loss, F.smooth_l1_loss, F.huber_loss):
        assert al.gradcheck(lambda a, b, loss=loss: loss(a, b, "sum"), [A, B])


def test_smooth_l1_with_beta_zero_is_l1_with_its_gradient():
    x = al.tensor([1.0, -2.0, 0.5], requires_grad=True)
    loss = F.smooth_l1_loss(x, np.array([0.0, 0.0, 0.5]), beta=0.0)
    assert loss.data == pytest.approx(1.0)  # (1 + 2 + 0) / 3
    loss.backward()
    np.testing.assert_array_equal(x.grad, [1 / 3, -1 / 3, 0.0])  # sign(d) / 3, as torch


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: F.smooth_l1_loss(A, B, beta=-1.0), "smooth_l1_loss: beta must be >= 0"),
        (lambda: F.smooth_l1_loss(A, B, beta=math.nan), "smooth_l1_loss: beta must be >= 0"),
        (lambda: F.huber_loss(A, B, delta=0.0), "huber_loss: delta must be > 0"),
        (lambda: F.huber_loss(A, B, delta=-0.5), "huber_loss: delta must be > 0"),
    ],
)
def test_a_beta_or_delta_outside_its_range_is_refused_as_torch(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_binary_cross_entropy_and_its_stable_logit_form():
    logits, t = np.array([-3.0, -0.2, 0.5, 2.0]), np.array([0.0, 1.0, 0.3, 1.0])
    p = sig(logits)
    expected = -(t * np.log(p) + (1 - t) * np.log(1 - p))
    np.testing.assert_allclose(F.binary_cross_entropy(p, t, reduction="none").data, expected)
    with_logits = F.binary_cross_entropy_with_logits(logits, t, reduction="none")
    np.testing.assert_allclose(with_logits.data, expected, rtol=1e-12)
    pw = np.array([2.0, 2.0, 3.0, 1.0])
    weighted = F.binary_cross_entropy_with_logits(logits, t, reduction="none", pos_weight=pw)
    expected_pw = -(pw * t * np.log(p) + (1 - t) * np.log(1 - p))
    np.testing.assert_allclose(weighted.data, expected_pw, rtol=1e-12)
    assert al.gradcheck(lambda x: F.binary_cross_entropy_with_logits(x, t), [logits])
    assert al.gradcheck(lambda q: F.binary_cross_entropy(q, t, weight=pw), [p])
    huge = al.tensor([1e4, -1e4, 1e4], requires_grad=True)
    loss = F.binary_cross_entropy_with_logits(huge, np.array([0.0, 0.0, 1.0]), reduction="sum")
    assert loss.data == 1e4  # log(1 + e^1e4) = 1e4 exactly in float64; the others 0
    loss.backward()
    np.testing.assert_array_equal(huge.grad, [1.0, 0.0, 0.0])  # sigmoid(x) - t
    edge = al.tensor([0.0, 1.0], requires_grad=True)
    clamped = F.binary_cross_entropy(edge, np.array([1.0, 0.0]), reduction="none")
    np.testing.assert_array_equal(clamped.data, [100.0, 100.0])  # torch's clamp at -100
    clamped.sum().backward()
    assert np.all(np.isfinite(edge.grad))


def test_nll_loss_weights_ignores_and_takes_classes_on_axis_1():
    logp = np.log(RNG.dirichlet(np.ones(3), size=(4, 2)).transpose(0, 2, 1))  # (N, C, d)
    target = np.array([[0, 2], [1, -100], [2, 2], [-100, 0]])
    w = np.array([1.0, 2.0, 0.5])
    picked = [(n, target[n, k], k) for n in range(4) for k in range(2) if target[n, k] != -100]
    total = sum(-logp[n, c, k] * w[c] for n, c, k in picked)
    expected = total / sum(w[c] for _, c, _ in picked)
    np.testing.assert_allclose(F.nll_loss(logp, target, weight=w).data, expected, rtol=1e-12)
    assert al.gradcheck(lambda x: F.nll_loss(x, target, weight=w), [logp])
    with pytest.raises(ValueError, match="outside the 3 classes"):
        F.nll_loss(logp, np.full((4, 2), 3))


@pytest.mark.parametrize(
    ("loss", "name"),
    [
        (lambda z, y, w: F.cross_entropy(z, y, weight=w), "cross_entropy"),
        (lambda z, y, w: F.nll_loss(al.log_softmax(z, axis=1), y, weight=w), "nll_loss"),
    ],
)
def test_a_class_weight_that_requires_grad_is_refused_as_torch(loss, name):
    z, y = al.tensor(RNG.standard_normal((2, 3)), requires_grad=True), np.array([0, 2])
    w = al.tensor([1.0, 2.0, 3.0], requires_grad=True)
    with pytest.raises(TypeError, match=f"{name}: weight requires grad.*weight.detach"):
        loss(z, y, w)
    constant = loss(z, y, w.detach()).data  # a constant weight, as an array would be
    np.testing.assert_allclose(constant, loss(z, y, np.array([1.0, 2.0, 3.0])).data)


def test_kl_div_is_zero_where_the_target_is_and_batchmean_divides_by_the_batch():
    logq = np.log(np.array([[0.2, 0.5, 0.3], [0.6, 0.1, 0.3]]))
    p = np.array([[0.0, 0.5, 0.5], [0.7, 0.3, 0.0]])
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(p > 0, p * (np.log(p) - logq), 0.0)
    np.testing.assert_allclose(F.kl_div(logq, p, reduction="batchmean").data, terms.sum() / 2)
    np.testing.assert_allclose(
        F.kl_div(logq, np.log(np.where(p > 0, p, 1e-300)), "sum", log_target=True).data,
        terms.sum(),
        rtol=1e-12,
    )
    assert al.gradcheck(lambda x: F.kl_div(x, p, "sum"), [logq])
    with pytest.raises(ValueError, match="reduction must be"):
        F.mse_loss(A, B, reduction="avg")
    with pytest.raises(ValueError, match="give them the same shape"):
        F.mse_loss(A, B[0])


@pytest.mark.parametrize(
    "loss",
    [
        lambda z, y: F.cross_entropy(z, y),
        lambda z, y: F.cross_entropy(z, y, label_smoothing=0.1),
        lambda z, y: F.cross_entropy(z, y, weight=np.array([1.0, 2.0, 3.0, 4.0])),
        lambda z, y: F.nll_loss(al.log_softmax(z, axis=1), y),
    ],
    ids=["cross_entropy", "smoothed", "weighted", "nll_loss"],
)
def test_a_batch_whose_targets_are_all_ignored_has_a_nan_mean_and_a_zero_gradient(loss):
    # as torch: the mean over no counted targets is NaN, and its gradient is 0 (it was NaN,
    # so one all-padding batch turned every parameter into NaN)
    z = al.tensor(np.random.default_rng(0).standard_normal((3, 4)), requires_grad=True)
    value = loss(z, np.full(3, -100))
    assert np.isnan(value.data)
    value.backward()
    np.testing.assert_array_equal(z.grad, np.zeros((3, 4)))
