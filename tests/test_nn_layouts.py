"""nn.functional on inputs laid out as the op table's fixed layouts ask: a non-contiguous view
gives the values and gradients of its contiguous copy, and size-1 axes work."""

import numpy as np
import pytest

import autograd_lite as al
from autograd_lite.nn import functional as F

RNG = np.random.default_rng(21)

# name: (function of one input, shape of that input)
FUNCTIONS = {
    "conv2d": (lambda x: F.conv2d(x, np.ones((2, 3, 2, 2)), padding=1), (2, 3, 5, 4)),
    "conv2d large": (lambda x: F.conv2d(x, np.ones((2, 3, 3, 3)), padding=1), (1, 3, 17, 16)),
    "conv1d": (lambda x: F.conv1d(x, np.ones((2, 3, 2)), stride=2), (2, 3, 7)),
    "conv_transpose2d": (
        lambda x: F.conv_transpose2d(x, np.ones((3, 2, 2, 2)), stride=2), (2, 3, 3, 4)
    ),
    "max_pool2d": (lambda x: F.max_pool2d(x, 2, 1, 1), (2, 3, 4, 5)),
    "avg_pool2d": (lambda x: F.avg_pool2d(x, 2), (2, 3, 4, 6)),
    "adaptive_avg_pool2d": (lambda x: F.adaptive_avg_pool2d(x, (2, 3)), (2, 3, 5, 7)),
    "layer_norm": (lambda x: F.layer_norm(x, (4, 5)), (3, 4, 5)),
    "group_norm": (lambda x: F.group_norm(x, 3, np.ones(6), np.zeros(6)), (2, 6, 3)),
    "batch_norm": (lambda x: F.batch_norm(x, None, None, training=True), (4, 3, 5)),
    "attention": (lambda x: F.scaled_dot_product_attention(x, x, x, is_causal=True), (2, 4, 3)),
    "cross_entropy smoothed": (
        lambda x: F.cross_entropy(x, np.arange(4) % 3, label_smoothing=0.1), (4, 3)
    ),
    "softplus": (lambda x: F.softplus(x, 2.0), (3, 4, 2)),
    "embedding": (lambda w: F.embedding(np.array([[2, 0], [1, 1]]), w), (3, 4)),
}  # fmt: skip


def values_and_gradient(f, x):
    t = al.tensor(x, requires_grad=True)
    out = f(t)
    g = np.linspace(-1.0, 2.0, out.size).reshape(out.shape)  # not all ones
    (out * g).sum().backward()
    return out.data, t.grad


@pytest.mark.parametrize("name", FUNCTIONS)
def test_a_non_contiguous_view_gives_the_numbers_of_its_copy(name):
    f, shape = FUNCTIONS[name]
    wide = RNG.standard_normal((*shape[:-1], 2 * shape[-1]))
    view = wide[..., ::2]  # every other element along the last axis
    assert not view.flags.c_contiguous
    out, grad = values_and_gradient(f, view)
    out_copy, grad_copy = values_and_gradient(f, np.ascontiguousarray(view))
    np.testing.assert_allclose(out, out_copy, rtol=1e-13, atol=1e-13)
    np.testing.assert_allclose(grad, grad_copy, rtol=1e-13, atol=1e-13)
    transposed = np.ascontiguousarray(np.swapaxes(view, 0, -1))
    out_t, grad_t = values_and_gradient(f, np.swapaxes(transposed, 0, -1))  # a strided view
    np.testing.assert_allclose(out_t, out_copy, rtol=1e-13, atol=1e-13)
    np.testing.assert_allclose(grad_t, grad_copy, rtol=1e-13, atol=1e-13)


@pytest.mark.parametrize(
    ("f", "shape"),
    [
        (lambda x: F.conv2d(x, np.ones((1, 1, 1, 1))), (1, 1, 1, 1)),
        (lambda x: F.max_pool2d(x, 1), (1, 1, 1, 1)),
        (lambda x: F.layer_norm(x, 1), (2, 1)),  # one element: 0 after normalising
        (lambda x: F.group_norm(x, 1), (1, 1, 3)),
        (lambda x: F.scaled_dot_product_attention(x, x, x), (1, 1)),
        (lambda x: F.conv_transpose2d(x, np.ones((1, 1, 1, 1))), (1, 1, 1, 1)),
    ],
)
def test_size_one_axes_match_central_differences(f, shape):
    x = RNG.standard_normal(shape)
    g = RNG.standard_normal(f(al.tensor(x)).shape)
    assert al.gradcheck(lambda x: (f(x) * g).sum(), [x])
