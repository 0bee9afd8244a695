"""nn.functional.conv2d and conv1d: against a loop over every output element written from
the definition, first and second derivatives against central differences, clear errors."""

from __future__ import annotations

import numpy as np
import pytest

import autograd_lite as al
from autograd_lite.nn import functional as F
from autograd_lite.nn.convolution import PER_IMAGE

RNG = np.random.default_rng(0)


def loop_conv2d(x, w, b, stride, pads, dilation, groups):
    """out[n, o, h, w] from the definition; pads = (top, bottom, left, right)."""
    n, _, _, _ = x.shape
    o, c_per_group, kh, kw = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), pads[:2], pads[2:]))
    oh = (xp.shape[2] - dilation[0] * (kh - 1) - 1) // stride[0] + 1
    ow = (xp.shape[3] - dilation[1] * (kw - 1) - 1) // stride[1] + 1
    out = np.zeros((n, o, oh, ow))
    for index in np.ndindex(n, o, oh, ow, c_per_group, kh, kw):
        i_n, i_o, h, v, c, i, j = index
        group = i_o // (o // groups)
        row, col = h * stride[0] + i * dilation[0], v * stride[1] + j * dilation[1]
        out[i_n, i_o, h, v] += w[i_o, c, i, j] * xp[i_n, group * c_per_group + c, row, col]
    return out if b is None else out + b[None, :, None, None]


CASES = [
    # x shape, w shape, bias, stride, padding, dilation, groups, the padding as (t, b, l, r)
    ((2, 3, 5, 5), (4, 3, 3, 3), True, 1, 0, 1, 1, (0, 0, 0, 0)),
    ((1, 2, 6, 5), (2, 2, 2, 3), False, (2, 1), (1, 2), 1, 1, (1, 1, 2, 2)),
    ((2, 4, 7, 6), (6, 2, 3, 2), True, 1, 1, (1, 2), 2, (1, 1, 1, 1)),
    ((1, 3, 5, 4), (3, 1, 3, 3), True, 1, "same", 1, 3, (1, 1, 1, 1)),  # depthwise
    ((1, 1, 6, 6), (1, 1, 2, 2), False, 1, "same", 2, 1, (1, 1, 1, 1)),
    ((1, 1, 5, 5), (2, 1, 2, 2), True, 1, "same", 1, 1, (0, 1, 0, 1)),  # even kernel: torch's
    ((0, 2, 4, 4), (1, 2, 3, 3), True, 1, "valid", 1, 1, (0, 0, 0, 0)),  # an empty batch
    ((2, 1, 1, 1), (3, 1, 1, 1), True, 1, 0, 1, 1, (0, 0, 0, 0)),
    # 272 output pixels: the image-by-image product (PER_IMAGE), with groups
    ((2, 4, 17, 16), (2, 2, 3, 3), True, 1, 1, 1, 2, (1, 1, 1, 1)),
]


def test_both_layouts_of_the_product_are_in_the_cases():
    pixels = [x[2] * x[3] for x, *_ in CASES]  # padding 1 or "same" keeps the size here
    assert min(pixels) < PER_IMAGE <= max(pixels)


@pytest.mark.parametrize("case", CASES)
def test_conv2d_is_the_definition(case):
    x_shape, w_shape, with_bias, stride, padding, dilation, groups, pads = case
    x, w = RNG.standard_normal(x_shape), RNG.standard_normal(w_shape)
    b = RNG.standard_normal(w_shape[0]) if with_bias else None
    got = F.conv2d(x, w, b, stride, padding, dilation, groups)
    pair = lambda v: (v, v) if isinstance(v, int) else v  # noqa: E731
    expected = loop_conv2d(x, w, b, pair(stride), pads, pair(dilation), groups)
    assert got.shape == expected.shape
    np.testing.assert_allclose(got.data, expected, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("case", [CASES[1], CASES[2], CASES[5], CASES[8]])
def test_conv2d_first_and_second_derivatives_match_finite_differences(case):
    x_shape, w_shape, with_bias, stride, padding, dilation, groups, _ = case
    x = RNG.standard_normal((1, *x_shape[1:]))
    w, b = RNG.standard_normal(w_shape), RNG.standard_normal(w_shape[0])

    def f(x, w, b):
        out = F.conv2d(x, w, b if with_bias else None, stride, padding, dilation, groups)
        weights = np.arange(1.0, out.size + 1).reshape(out.shape) / out.size  # in (0, 1]
        return (out * weights).sum()

    assert al.gradcheck(f, [x, w, b])
    assert al.gradgradcheck(lambda *a: f(*a) ** 2, [x, w, b])


def test_conv1d_is_np_correlate_per_channel_pair():
    x, w, b = RNG.standard_normal((2, 3, 9)), RNG.standard_normal((2, 3, 4)), np.array([0.5, -1])
    got = F.conv1d(x, w, b, stride=2, padding=1)
    xp = np.pad(x, ((0, 0), (0, 0), (1, 1)))
    full = np.array(
        [
            [sum(np.correlate(xp[n, c], w[o, c]) for c in range(3)) for o in range(2)]
            for n in range(2)
        ]
    )
    np.testing.assert_allclose(got.data, full[..., ::2] + b[None, :, None], rtol=1e-12)
    assert al.gradcheck(lambda x, w: (F.conv1d(x, w, padding="same") ** 2).sum(), [x, w])


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda x, w: F.conv2d(x[0], w), "input is \\(batch, channels, height, width\\)"),
        (lambda x, w: F.conv2d(x, w, groups=2), "groups must divide"),
        (lambda x, w: F.conv2d(x, w, stride=0), "stride must be an int >= 1"),
        (lambda x, w: F.conv2d(x, w, stride=2, padding="same"), "needs stride 1"),
        (lambda x, w: F.conv2d(x[:, :, :1], w), "spans \\(3, 3\\), more than"),
    ],
)
def test_conv2d_refuses_what_does_not_fit_naming_the_shapes(call, message):
    x = al.tensor(RNG.standard_normal((1, 3, 4, 4)), requires_grad=True)
    w = al.tensor(RNG.standard_normal((2, 3, 3, 3)), requires_grad=True)
    with pytest.raises(ValueError, match=message):
        call(x, w)


@pytest.mark.parametrize(
    ("call", "words"),
    [
        (lambda x, w: F.conv2d(x, w, stride=1.5), "stride must be an int >= 1 .* not 1.5"),
        (lambda x, w: F.conv2d(x, w, dilation=True), "dilation must be an int >= 1 .* not True"),
        (lambda x, w: F.max_pool2d(x, 2.0), "kernel_size must be an int >= 1 .* not 2.0"),
        (lambda x, w: F.conv2d(x, w, padding=(1, "1")), r"padding must be an int >= 0"),
        (lambda x, w: F.conv2d(x, w, stride=(1, True)), r"stride must be .* not \(1, True\)"),
        (lambda x, w: F.conv2d(x, w, bias=np.ones(2)), r"bias of shape \(2,\) .* shape \(1,\)"),
    ],
)
def test_bad_window_arguments_and_bias_are_named(call, words):
    # a float raised "'float' object is not iterable", True was read as 1, and a bias of
    # the wrong length failed in a reshape that did not name it
    x, w = al.tensor(np.ones((1, 1, 5, 5)), requires_grad=True), np.ones((1, 1, 3, 3))
    with pytest.raises(ValueError, match=words):
        call(x, w)


def test_window_arguments_may_be_numpy_integers_and_arrays_of_them():
    x, w = np.ones((1, 1, 6, 6)), np.ones((1, 1, 3, 3))
    expected = F.conv2d(x, w, stride=2).data
    for stride in (np.int64(2), np.array(2), np.array([2, 2]), [2, 2]):
        np.testing.assert_array_equal(F.conv2d(x, w, stride=stride).data, expected)
