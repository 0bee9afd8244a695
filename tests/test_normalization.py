"""layer_norm, batch_norm and group_norm against numpy's formulas, their first and second
derivatives against central differences, and batch norm's running statistics as torch keeps
them (momentum, the unbiased variance, evaluation on the running values)."""

import numpy as np
import pytest

import autograd_lite as al
from autograd_lite.nn import functional as F

RNG = np.random.default_rng(3)


def reference(x, axes, eps=1e-5):
    centred = x - x.mean(axis=axes, keepdims=True)
    return centred / np.sqrt(centred.var(axis=axes, keepdims=True) + eps)


def test_layer_norm_normalises_the_last_axes_then_scales_and_shifts():
    x = RNG.normal(size=(2, 3, 4, 5))
    w, b = RNG.normal(size=(4, 5)), RNG.normal(size=(4, 5))
    y = F.layer_norm(al.tensor(x), (4, 5), w, b, eps=1e-3)
    np.testing.assert_allclose(y.data, reference(x, (2, 3), 1e-3) * w + b, rtol=1e-12)
    assert F.layer_norm(al.tensor(x), 5).data.mean(axis=-1) == pytest.approx(np.zeros((2, 3, 4)))


def test_group_norm_normalises_each_group_of_each_sample():
    x = RNG.normal(size=(2, 6, 3, 3))
    w, b = RNG.normal(size=6), RNG.normal(size=6)
    grouped = reference(x.reshape(2, 3, 2, 3, 3), (2, 3, 4)).reshape(x.shape)
    expected = grouped * w[:, None, None] + b[:, None, None]
    np.testing.assert_allclose(F.group_norm(al.tensor(x), 3, w, b).data, expected, rtol=1e-12)
    # one group per channel is instance norm; one group for all is layer norm over (C, H, W)
    np.testing.assert_allclose(
        F.group_norm(al.tensor(x), 1).data,
        F.layer_norm(al.tensor(x), (6, 3, 3)).data,
        rtol=1e-12,
        atol=1e-15,
    )


def test_batch_norm_in_training_uses_the_batch_and_moves_the_running_statistics():
    x = RNG.normal(loc=2.0, scale=3.0, size=(4, 3, 2, 2))
    mean, var = np.zeros(3), np.ones(3)
    w, b = RNG.normal(size=3), RNG.normal(size=3)
    y = F.batch_norm(al.tensor(x), mean, var, w, b, training=True, momentum=0.2)
    expected = reference(x, (0, 2, 3)) * w[:, None, None] + b[:, None, None]
    np.testing.assert_allclose(y.data, expected, rtol=1e-12)
    n = 4 * 2 * 2
    np.testing.assert_allclose(mean, 0.2 * x.mean(axis=(0, 2, 3)), rtol=1e-12)
    unbiased = x.var(axis=(0, 2, 3)) * n / (n - 1)
    np.testing.assert_allclose(var, 0.8 + 0.2 * unbiased, rtol=1e-12)


def test_batch_norm_in_evaluation_uses_the_running_statistics_and_leaves_them():
    x = RNG.normal(size=(5, 3))
    mean, var = np.array([0.5, -1.0, 2.0]), np.array([4.0, 0.25, 1.0])
    y = F.batch_norm(al.tensor(x), mean, var, training=False, eps=0.0)
    np.testing.assert_allclose(y.data, (x - mean) / np.sqrt(var), rtol=1e-12)
    assert mean.tolist() == [0.5, -1.0, 2.0] and var.tolist() == [4.0, 0.25, 1.0]


@pytest.mark.parametrize(
    "f",
    [
        lambda x, w, b: F.layer_norm(x, (3, 4), w, b),
        lambda x, w, b: F.group_norm(x.reshape(2, 6, 2), 2, w.reshape(-1)[:6], b.reshape(-1)[:6]),
        lambda x, w, b: F.batch_norm(
            x, None, None, w.reshape(-1)[:3], b.reshape(-1)[:3], training=True
        ),
        lambda x, w, b: F.batch_norm(
            x, np.zeros(3), np.full(3, 2.0), w.reshape(-1)[:3], b.reshape(-1)[:3]
        ),
    ],
    ids=["layer_norm", "group_norm", "batch_norm_training", "batch_norm_eval"],
)
def test_gradients_and_second_derivatives_match_central_differences(f):
    x, w, b = RNG.normal(size=(2, 3, 4)), RNG.normal(size=(3, 4)), RNG.normal(size=(3, 4))
    g = RNG.normal(size=f(al.tensor(x), al.tensor(w), al.tensor(b)).shape)
    assert al.gradcheck(lambda x, w, b: (f(x, w, b) * g).sum(), [x, w, b])
    assert al.gradgradcheck(lambda x, w, b: (f(x, w, b) ** 2 * g).sum(), [x, w, b])


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda x: F.layer_norm(x, (4,)), "does not end in normalized_shape"),
        (lambda x: F.layer_norm(x, 3, weight=np.ones(4)), "weight of shape"),
        (lambda x: F.group_norm(x, 2), "divisible by num_groups"),
        (lambda x: F.batch_norm(x, np.zeros(2), None, training=True), "one value per channel"),
        (lambda x: F.batch_norm(x[:1, :, :1], None, None, training=True), "more than 1"),
        (lambda x: F.batch_norm(x, None, None), "needs running_mean"),
    ],
)
def test_misfits_are_refused_naming_the_function_and_shapes(call, message):
    with pytest.raises(ValueError, match=message):
        call(al.tensor(RNG.normal(size=(2, 3, 3))))
