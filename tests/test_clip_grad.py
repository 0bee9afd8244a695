"""Gradient clipping: totals and scaled gradients against values worked by hand, in place,
parameters without a gradient skipped (torch, where installed, as a second oracle)."""

from __future__ import annotations

import math

import numpy as np
import pytest

import autograd_lite as al
from autograd_lite import nn
from autograd_lite.nn.utils import clip_grad_norm_, clip_grad_value_


def with_grad(grad) -> al.Tensor:
    g = np.asarray(grad, dtype=np.float64)
    p = al.tensor(np.zeros(g.shape), requires_grad=True)
    p.grad = g.copy()
    return p


def test_the_total_two_norm_spans_all_gradients_and_scales_them_in_place():
    a, b = with_grad([3.0, 4.0]), with_grad([[12.0]])
    arrays = a.grad, b.grad
    total = clip_grad_norm_([a, b], max_norm=1.0)
    assert total == 13.0  # sqrt(9 + 16 + 144)
    scale = 1.0 / (13.0 + 1e-6)
    np.testing.assert_array_equal(a.grad, np.array([3.0, 4.0]) * scale)
    np.testing.assert_array_equal(b.grad, np.array([[12.0]]) * scale)
    assert a.grad is arrays[0] and b.grad is arrays[1]  # the same arrays, changed in place
    assert math.sqrt((a.grad**2).sum() + (b.grad**2).sum()) == pytest.approx(1 - 1e-6 / 13)


def test_gradients_under_the_limit_are_left_as_they_are():
    a = with_grad([0.3, -0.4])
    assert clip_grad_norm_(a, max_norm=0.6) == pytest.approx(0.5)
    np.testing.assert_array_equal(a.grad, [0.3, -0.4])


@pytest.mark.parametrize("inf", [math.inf, "inf"])
def test_the_infinity_norm_is_the_largest_magnitude(inf):
    a, b = with_grad([1.0, -7.0]), with_grad([3.0])
    assert clip_grad_norm_([a, b], max_norm=3.5, norm_type=inf) == 7.0
    scale = 3.5 / (7.0 + 1e-6)
    np.testing.assert_allclose(a.grad, [scale, -7 * scale], rtol=1e-15)
    np.testing.assert_allclose(b.grad, [3 * scale], rtol=1e-15)


@pytest.mark.parametrize(("norm_type", "total"), [(1.0, 5.0), (3.0, 17.0 ** (1 / 3)), (2.0, 3.0)])
def test_other_orders_follow_their_formula(norm_type, total):
    # |1| + |-2| + |2| = 5; 1 + 8 + 8 = 17; sqrt(1 + 4 + 4) = 3
    a, b = with_grad([1.0, -2.0]), with_grad([2.0])
    assert clip_grad_norm_([a, b], max_norm=1.0, norm_type=norm_type) == pytest.approx(total)
    np.testing.assert_allclose(b.grad, [2.0 / (total + 1e-6)], rtol=1e-14)


def test_parameters_without_a_gradient_are_skipped():
    a, none = with_grad([6.0, 8.0]), al.tensor([5.0, 5.0], requires_grad=True)
    assert clip_grad_norm_([a, none], max_norm=5.0) == 10.0
    assert none.grad is None
    np.testing.assert_allclose(a.grad, [3.0, 4.0], rtol=1e-6)
    assert clip_grad_norm_([none], max_norm=1.0) == 0.0
    clip_grad_value_([none], 1.0)
    assert none.grad is None


def test_a_module_after_backward_is_clipped_through_its_parameters():
    net = nn.Linear(3, 2, rng=0)
    (net(np.full((4, 3), 10.0)) ** 2).sum().backward()
    before = [p.grad.copy() for p in net.parameters()]
    expected = math.sqrt(sum((g**2).sum() for g in before))
    assert nn.utils.clip_grad_norm_(net.parameters(), max_norm=0.5) == pytest.approx(expected)
    for p, g in zip(net.parameters(), before, strict=True):
        np.testing.assert_allclose(p.grad, g * 0.5 / (expected + 1e-6), rtol=1e-13)


def test_a_nonfinite_total_raises_when_asked_and_otherwise_scales_as_torch():
    a, b = with_grad([math.inf, 1.0]), with_grad([2.0])
    with pytest.raises(RuntimeError, match="total norm of order 2.0 of the gradients is inf"):
        clip_grad_norm_([a, b], max_norm=1.0, error_if_nonfinite=True)
    np.testing.assert_array_equal(a.grad, [math.inf, 1.0])  # unchanged when it raises
    assert clip_grad_norm_([a, b], max_norm=1.0) == math.inf
    np.testing.assert_array_equal(a.grad, [math.nan, 0.0])  # scaled by 1 / inf = 0
    np.testing.assert_array_equal(b.grad, [0.0])
    c = with_grad([math.nan, 1.0])
    assert math.isnan(clip_grad_norm_(c, max_norm=1.0))
    assert np.isnan(c.grad).all()


def test_an_array_two_parameters_share_is_scaled_once_and_a_read_only_one_is_copied():
    a, b = with_grad([3.0, 4.0]), al.tensor([0.0, 0.0], requires_grad=True)
    b.grad = a.grad
    clip_grad_norm_([a, b], max_norm=1.0)
    np.testing.assert_allclose(a.grad, [0.6, 0.8], rtol=1e-6)
    frozen = np.array([3.0, 4.0])
    frozen.flags.writeable = False
    a.grad = frozen
    clip_grad_norm_(a, max_norm=1.0)
    np.testing.assert_allclose(a.grad, [0.6, 0.8], rtol=1e-6)
    np.testing.assert_array_equal(frozen, [3.0, 4.0])


def test_clip_grad_value_clamps_each_entry_in_place():
    a, b = with_grad([[-3.0, 0.25], [0.5, math.nan]]), with_grad([2.0, -0.1])
    array = a.grad
    assert clip_grad_value_([a, b], clip_value=0.5) is None
    np.testing.assert_array_equal(a.grad, [[-0.5, 0.25], [0.5, math.nan]])
    np.testing.assert_array_equal(b.grad, [0.5, -0.1])
    assert a.grad is array


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda p: clip_grad_norm_(p, -1.0), ValueError, "max_norm must be >= 0, got -1.0"),
        (lambda p: clip_grad_norm_(p, math.nan), ValueError, "max_norm must be >= 0"),
        (lambda p: clip_grad_value_(p, -0.1), ValueError, "clip_value must be >= 0, got -0.1"),
        (lambda p: clip_grad_norm_([p, 3.0], 1.0), TypeError, "parameter 1 is a float"),
    ],
)
def test_bad_arguments_are_refused(call, error, message):
    p = with_grad([3.0, 4.0])
    with pytest.raises(error, match=message):
        call(p)
    np.testing.assert_array_equal(p.grad, [3.0, 4.0])


def test_a_gradient_with_a_graph_is_refused():
    w = al.tensor([1.0, 2.0], requires_grad=True)
    (w * w).sum().backward(create_graph=True)
    with pytest.raises(TypeError, match=r"parameter 0's .grad is a Tensor .*create_graph=True"):
        clip_grad_norm_([w], max_norm=1.0)


@pytest.mark.parametrize("norm_type", [2.0, 1.0, math.inf])
def test_clipping_matches_torch_where_it_is_installed(norm_type):
    torch = pytest.importorskip("torch", reason="optional oracle, not installed")
    rng = np.random.default_rng(0)
    grads = [rng.normal(size=(3, 4)), rng.normal(size=5)]
    ours = [with_grad(g) for g in grads]
    theirs = [torch.zeros(g.shape, dtype=torch.float64, requires_grad=True) for g in grads]
    for t, g in zip(theirs, grads, strict=True):
        t.grad = torch.from_numpy(g.copy())
    total = torch.nn.utils.clip_grad_norm_(theirs, max_norm=0.7, norm_type=norm_type)
    assert clip_grad_norm_(ours, max_norm=0.7, norm_type=norm_type) == pytest.approx(
        float(total), rel=1e-14
    )
    for p, t in zip(ours, theirs, strict=True):
        np.testing.assert_allclose(p.grad, t.grad.numpy(), rtol=1e-13)
