"""max_pool2d, avg_pool2d and adaptive_avg_pool2d against loops over the windows, with
torch's conventions at ties and padding, and their gradients against central differences."""

from __future__ import annotations

import numpy as np
import pytest

import autograd_lite as al
from autograd_lite.nn import functional as F

RNG = np.random.default_rng(1)


def loop_pool(x, reduce, k, s, p, fill):
    xp = np.pad(x, ((0, 0), (0, 0), (p, p), (p, p)), constant_values=fill)
    oh, ow = (xp.shape[2] - k) // s + 1, (xp.shape[3] - k) // s + 1
    out = np.empty((*x.shape[:2], oh, ow))
    for h, w in np.ndindex(oh, ow):
        out[:, :, h, w] = reduce(xp[:, :, h * s : h * s + k, w * s : w * s + k], axis=(2, 3))
    return out


@pytest.mark.parametrize(("k", "s", "p"), [(2, None, 0), (3, 2, 1), (3, 1, 0), (1, 1, 0)])
def test_max_and_avg_pool_are_the_loops(k, s, p):
    x = RNG.standard_normal((2, 3, 7, 6))
    stride = k if s is None else s
    np.testing.assert_array_equal(
        F.max_pool2d(x, k, s, p).data, loop_pool(x, np.max, k, stride, p, -np.inf)
    )
    np.testing.assert_allclose(
        F.avg_pool2d(x, k, s, p).data, loop_pool(x, np.mean, k, stride, p, 0.0), rtol=1e-12
    )
    assert al.gradcheck(lambda x: (F.max_pool2d(x, k, s, p) ** 2).sum(), [x[:1, :2]])
    assert al.gradcheck(lambda x: (F.avg_pool2d(x, k, s, p) ** 2).sum(), [x[:1, :2]])


def test_max_pool_sends_a_tie_to_the_first_maximum_of_each_window_as_torch():
    x = al.tensor([[[[1.0, 3.0, 2.0, 2.0], [3.0, 0.0, 2.0, 2.0]]]], requires_grad=True)
    F.max_pool2d(x, 2).sum().backward()
    np.testing.assert_array_equal(x.grad, [[[[0.0, 1.0, 1.0, 0.0], [0.0, 0.0, 0.0, 0.0]]]])


@pytest.mark.parametrize(("size", "out"), [((7, 6), (3, 4)), ((4, 4), (1, 1)), ((5, 3), (5, 3))])
def test_adaptive_avg_pool_averages_torchs_bins(size, out):
    x = RNG.standard_normal((2, 3, *size))
    got = F.adaptive_avg_pool2d(x, out).data
    for i, j in np.ndindex(*out):
        rows = slice(i * size[0] // out[0], -(-(i + 1) * size[0] // out[0]))
        cols = slice(j * size[1] // out[1], -(-(j + 1) * size[1] // out[1]))
        np.testing.assert_allclose(got[..., i, j], x[..., rows, cols].mean(axis=(-2, -1)))
    assert al.gradcheck(lambda x: (F.adaptive_avg_pool2d(x, out) ** 2).sum(), [x[:1]])


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda x: F.max_pool2d(x[0, 0], 2), "give \\(batch, channels, height, width\\)"),
        (lambda x: F.max_pool2d(x, 2, padding=2), "more than half the kernel"),
        (lambda x: F.avg_pool2d(x, 0), "kernel_size must be an int >= 1"),
    ],
)
def test_pools_refuse_what_does_not_fit(call, message):
    with pytest.raises(ValueError, match=message):
        call(al.tensor(np.ones((1, 1, 4, 4)), requires_grad=True))


def test_max_pool_propagates_a_nan_and_sends_it_the_gradient_as_numpys_argmax():
    x = al.tensor(np.array([[[[1.0, np.nan], [3.0, 2.0]]]]), requires_grad=True)
    out = F.max_pool2d(x, 2)
    assert np.isnan(out.item())
    out.sum().backward()
    assert x.grad.tolist() == [[[[0.0, 1.0], [0.0, 0.0]]]]


def test_max_pool_of_windows_that_overlap_sends_each_its_own_maximum():
    x = al.tensor(np.array([[[[1.0, 5.0, 2.0, 5.0]]]]), requires_grad=True)
    out = F.max_pool2d(x, (1, 2), stride=1)  # windows (1, 5), (5, 2), (2, 5)
    assert out.data.ravel().tolist() == [5.0, 5.0, 5.0]
    (out * np.array([1.0, 10.0, 100.0])).sum().backward()
    assert x.grad.ravel().tolist() == [0.0, 11.0, 0.0, 100.0]


def test_pools_second_derivatives_match_central_differences():
    x = np.random.default_rng(4).standard_normal((1, 2, 4, 5))
    for pool in (F.max_pool2d, F.avg_pool2d):
        assert al.gradgradcheck(lambda x, pool=pool: (pool(x, 2, 1, 1) ** 3).sum(), [x])


@pytest.mark.parametrize(
    "pool",
    [
        lambda x: F.max_pool2d(x, 2, padding=1),
        lambda x: F.avg_pool2d(x, 3, 1, 1),
        lambda x: F.adaptive_avg_pool2d(x, 2),
        lambda x: F.adaptive_avg_pool2d(x, (3, 1)),
    ],
    ids=["max padded", "avg padded", "adaptive", "adaptive 3x1"],
)
@pytest.mark.parametrize("dtype", [np.float32, np.float16])
def test_pooling_keeps_the_input_dtype_and_so_does_its_gradient(pool, dtype):
    # padded max pooling and adaptive pooling once gave float64 for float32 input
    x = al.tensor(RNG.standard_normal((2, 1, 5, 4)).astype(dtype), requires_grad=True)
    y = pool(x)
    assert y.dtype == dtype
    np.testing.assert_allclose(y.data, pool(x.data.astype(np.float64)).data, rtol=2e-3, atol=2e-3)
    y.sum().backward()
    assert x.grad.dtype == dtype
