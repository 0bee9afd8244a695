"""nn.functional.conv_transpose2d: against a scatter loop written from the definition, as
the adjoint of conv2d, first and second derivatives against central differences."""

from __future__ import annotations

import numpy as np
import pytest

import autograd_lite as al
from autograd_lite.nn import functional as F

RNG = np.random.default_rng(11)


def loop_conv_transpose2d(x, w, b, stride, padding, output_padding, groups, dilation):
    """Each input pixel adds weight * itself into the output, at stride steps."""
    n, c, h, v = x.shape
    _, o_per_group, kh, kw = w.shape
    oh = (h - 1) * stride[0] - 2 * padding[0] + dilation[0] * (kh - 1) + output_padding[0] + 1
    ow = (v - 1) * stride[1] - 2 * padding[1] + dilation[1] * (kw - 1) + output_padding[1] + 1
    out = np.zeros((n, o_per_group * groups, oh, ow))
    for i_n, i_c, i, j, o, a, bb in np.ndindex(n, c, h, v, o_per_group, kh, kw):
        row = i * stride[0] - padding[0] + a * dilation[0]
        col = j * stride[1] - padding[1] + bb * dilation[1]
        if 0 <= row < oh and 0 <= col < ow:
            group = i_c // (c // groups)
            out[i_n, group * o_per_group + o, row, col] += x[i_n, i_c, i, j] * w[i_c, o, a, bb]
    return out if b is None else out + b[None, :, None, None]


CASES = [
    # x shape, w shape, bias, stride, padding, output_padding, groups, dilation
    ((2, 3, 4, 4), (3, 2, 3, 3), True, (1, 1), (0, 0), (0, 0), 1, (1, 1)),
    ((1, 2, 3, 4), (2, 3, 3, 2), False, (2, 3), (1, 0), (1, 2), 1, (1, 1)),
    ((1, 4, 3, 3), (4, 1, 2, 2), True, (2, 2), (1, 1), (0, 0), 2, (2, 1)),
    ((2, 1, 6, 5), (1, 1, 3, 3), True, (1, 1), (3, 2), (0, 0), 1, (1, 1)),  # frame cut
    ((0, 2, 3, 3), (2, 1, 2, 2), False, (1, 1), (0, 0), (0, 0), 1, (1, 1)),  # empty batch
    ((1, 1, 1, 1), (1, 2, 1, 1), True, (1, 1), (0, 0), (0, 0), 1, (1, 1)),
]


@pytest.mark.parametrize("case", CASES)
def test_conv_transpose2d_is_the_definition(case):
    x_shape, w_shape, with_bias, stride, padding, output_padding, groups, dilation = case
    x, w = RNG.standard_normal(x_shape), RNG.standard_normal(w_shape)
    b = RNG.standard_normal(w_shape[1] * groups) if with_bias else None
    got = F.conv_transpose2d(x, w, b, stride, padding, output_padding, groups, dilation)
    expected = loop_conv_transpose2d(x, w, b, stride, padding, output_padding, groups, dilation)
    assert got.shape == expected.shape
    np.testing.assert_allclose(got.data, expected, rtol=1e-12, atol=1e-12)


def test_conv_transpose2d_is_the_adjoint_of_conv2d():
    # <conv2d(x, w), y> = <x, conv_transpose2d(y, w)> for the same stride, padding, dilation
    x, w = RNG.standard_normal((2, 3, 7, 6)), RNG.standard_normal((4, 3, 3, 2))
    y_shape = F.conv2d(x, w, stride=2, padding=1, dilation=(1, 2)).shape
    y = RNG.standard_normal(y_shape)
    back = F.conv_transpose2d(y, w, stride=2, padding=1, output_padding=(0, 1), dilation=(1, 2))
    assert back.shape == x.shape
    left = np.sum(F.conv2d(x, w, stride=2, padding=1, dilation=(1, 2)).data * y)
    assert left == pytest.approx(np.sum(x * back.data), rel=1e-12)


@pytest.mark.parametrize("case", [CASES[1], CASES[2], CASES[3]])
def test_conv_transpose2d_derivatives_match_finite_differences(case):
    x_shape, w_shape, _, stride, padding, output_padding, groups, dilation = case
    x, w = RNG.standard_normal(x_shape), RNG.standard_normal(w_shape)
    b = RNG.standard_normal(w_shape[1] * groups)

    def f(x, w, b):
        return F.conv_transpose2d(x, w, b, stride, padding, output_padding, groups, dilation)

    g = RNG.standard_normal(f(x, w, b).shape)
    assert al.gradcheck(lambda x, w, b: (f(x, w, b) * g).sum(), [x, w, b])
    assert al.gradgradcheck(lambda x, w, b: (f(x, w, b) ** 2 * g).sum(), [x, w, b])


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: F.conv_transpose2d(np.ones((1, 2, 3, 3)), np.ones((3, 1, 2, 2))), "in_channels"),
        (lambda: F.conv_transpose2d(np.ones((2, 3, 3)), np.ones((2, 1, 2, 2))), "batch"),
        (
            lambda: F.conv_transpose2d(np.ones((1, 3, 3, 3)), np.ones((3, 1, 2, 2)), groups=2),
            "does not divide",
        ),
        (
            lambda: F.conv_transpose2d(
                np.ones((1, 1, 3, 3)), np.ones((1, 1, 2, 2)), stride=2, output_padding=2
            ),
            "output_padding",
        ),
        (
            lambda: F.conv_transpose2d(np.ones((1, 1, 2, 2)), np.ones((1, 1, 3, 3)), padding=2),
            r"output of \(0, 0\)",
        ),
    ],
)
def test_conv_transpose2d_refuses_what_does_not_fit(call, message):
    with pytest.raises(ValueError, match=message):
        call()
