"""The creation helpers: numpy's values and dtypes, leaves that take gradients when asked."""

from __future__ import annotations

import numpy as np
import pytest

import autograd_lite as al

BASE = np.arange(6.0).reshape(2, 3).astype(np.float32)


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda: al.zeros((2, 3)), np.zeros((2, 3))),
        (lambda: al.ones(4, dtype=np.float32), np.ones(4, dtype=np.float32)),
        (lambda: al.full((2, 2), 7), np.full((2, 2), 7)),  # an integer fill: integers
        (lambda: al.eye(3, 4, k=1), np.eye(3, 4, k=1)),
        (lambda: al.arange(5), np.arange(5)),
        (lambda: al.arange(1, 2, 0.25), np.arange(1, 2, 0.25)),
        (lambda: al.linspace(0, 1, 5, endpoint=False), np.linspace(0, 1, 5, endpoint=False)),
        (lambda: al.zeros_like(al.tensor(BASE)), np.zeros_like(BASE)),
        (lambda: al.ones_like(BASE, shape=(4,)), np.ones_like(BASE, shape=(4,))),
        (lambda: al.full_like(al.tensor(BASE), 0.5), np.full_like(BASE, 0.5)),
        (lambda: al.zeros(()), np.zeros(())),
        (lambda: al.ones((0, 3)), np.ones((0, 3))),
    ],
)
def test_values_shapes_and_dtypes_are_numpys(make, expected):
    t = make()
    assert isinstance(t, al.Tensor) and not t.requires_grad and t.is_leaf
    assert t.dtype == expected.dtype and t.shape == expected.shape
    np.testing.assert_array_equal(t.data, expected)


def test_rand_and_randn_draw_from_the_generator_given():
    u = al.rand(2, 3, rng=np.random.default_rng(7))
    np.testing.assert_array_equal(u.data, np.random.default_rng(7).random((2, 3)))
    z = al.randn((4,), rng=np.random.default_rng(7), dtype=np.float32)
    expected = np.random.default_rng(7).standard_normal(4, dtype=np.float32)
    np.testing.assert_array_equal(z.data, expected)
    assert al.rand(3).shape == (3,) and np.all((0 <= al.rand(3).data) & (al.rand(3).data < 1))


def test_requires_grad_makes_a_leaf_that_collects_gradients():
    w = al.arange(3, requires_grad=True)  # integers become float64, as al.tensor does
    assert w.dtype == np.float64 and w.is_leaf
    (w * w).sum().backward()
    np.testing.assert_array_equal(w.grad, [0.0, 2.0, 4.0])


def test_numpy_like_functions_of_a_tensor_give_constants():
    t = al.tensor([1.0, 2.0], requires_grad=True)
    for made in (np.zeros_like(t), np.ones_like(t), np.full_like(t, 3.0)):
        assert isinstance(made, al.Tensor) and not made.requires_grad
    np.testing.assert_array_equal(np.full_like(t, 3.0).data, [3.0, 3.0])
