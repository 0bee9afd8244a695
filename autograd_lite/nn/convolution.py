"""Convolutions as im2col: ``conv2d``, ``conv1d`` and ``conv_transpose2d``.

Zero padding is ``add_at`` into a frame of zeros, the receptive fields are a strided view
(the registered op ``windows``, numpy's ``sliding_window_view``), and the sum over them is
one batched matmul with the flattened kernels: no Python loop over pixels or batch rows.
Layouts are torch's: images are (batch, channels, height, width), a convolution's weight
(out_channels, in_channels / groups, kh, kw).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..ops import add_at, matmul, reshape, transpose
from ..ops.windows import pair, windows

PER_IMAGE = 256  # output pixels from which conv2d multiplies image by image


def conv2d(
    input: Any,  # noqa: A002  (torch's name)
    weight: Any,
    bias: Any = None,
    stride: Any = 1,
    padding: Any = 0,
    dilation: Any = 1,
    groups: int = 1,
) -> Any:
    """A 2-d convolution (cross-correlation, as torch's): out[n, o, h, w] = bias[o] + sum over
    c, i, j of weight[o, c, i, j] x[n, g*C/G + c, h*stride + i*dilation - pad, ...].

    Written as im2col: zero padding, the input's windows (a strided view), then one matmul
    per group; padding may be "same" (stride 1) or "valid".
    """
    x_shape, w_shape = np.shape(input), np.shape(weight)
    if len(x_shape) != 4 or len(w_shape) != 4:
        raise ValueError(
            f"conv2d: input of shape {x_shape} and weight of shape {w_shape}: input is "
            "(batch, channels, height, width), weight (out_channels, in_channels / groups, kh, kw)"
        )
    n, c, h, w = x_shape
    o, c_per_group, kh, kw = w_shape
    if groups < 1 or c % groups or o % groups or c // groups != c_per_group:
        raise ValueError(
            f"conv2d: input of {c} channels, weight of shape {w_shape} and groups={groups}: "
            "groups must divide both channel counts, and weight's second axis be "
            "in_channels / groups"
        )
    if bias is not None and np.shape(bias) != (o,):
        raise ValueError(
            f"conv2d: bias of shape {np.shape(bias)} for a weight of shape {w_shape}: bias "
            f"holds one number per output channel, shape ({o},)"
        )
    stride, dilation = pair(stride, "conv2d: stride"), pair(dilation, "conv2d: dilation")
    pads = _padding(padding, (kh, kw), stride, dilation)
    x = zero_padded(input, pads)
    cols = windows(x, kernel=(kh, kw), stride=stride, dilation=dilation)  # n c oh ow kh kw
    oh, ow = cols.shape[2], cols.shape[3]
    # Views until one reshape copies the columns: per image, (n, g, patch, oh * ow), whose
    # product with the kernels is already the output's layout; for small images, whose
    # per-image products are too small to be quick, (g, patch, n * oh * ow), one product per
    # group for the whole batch and a transpose after (at batch 64, 16 -> 32 channels, 8x8
    # this took 9 ms against 13 per image; at 1 -> 32 channels, 28x28, 25 against 23).
    cols = reshape(cols, shape=(n, groups, c_per_group, oh, ow, kh, kw))
    patch = c_per_group * kh * kw
    kernel = reshape(weight, shape=(groups, o // groups, patch))
    if oh * ow >= PER_IMAGE:
        cols = reshape(transpose(cols, axes=(0, 1, 2, 5, 6, 3, 4)), shape=(n, groups, patch, -1))
        out = reshape(matmul(kernel, cols), shape=(n, o, oh, ow))
    else:
        cols = reshape(transpose(cols, axes=(1, 2, 5, 6, 0, 3, 4)), shape=(groups, patch, -1))
        out = reshape(matmul(kernel, cols), shape=(groups, o // groups, n, oh, ow))
        out = reshape(transpose(out, axes=(2, 0, 1, 3, 4)), shape=(n, o, oh, ow))
    if bias is not None:
        out = out + reshape(bias, shape=(1, o, 1, 1))
    return out


def conv1d(
    input: Any,  # noqa: A002
    weight: Any,
    bias: Any = None,
    stride: int = 1,
    padding: Any = 0,
    dilation: int = 1,
    groups: int = 1,
) -> Any:
    """A 1-d convolution of (batch, channels, length) by (out, in / groups, k): conv2d on a
    height of 1."""
    if np.ndim(input) != 3 or np.ndim(weight) != 3:
        raise ValueError(
            f"conv1d: input of shape {np.shape(input)} and weight of shape {np.shape(weight)}: "
            "input is (batch, channels, length), weight (out_channels, in_channels / groups, k)"
        )
    padding = padding if isinstance(padding, str) else (0, pair(padding, "padding", 0)[0])
    x = reshape(input, shape=(*np.shape(input)[:2], 1, np.shape(input)[2]))
    k = reshape(weight, shape=(*np.shape(weight)[:2], 1, np.shape(weight)[2]))
    out = conv2d(x, k, bias, (1, stride), padding, (1, dilation), groups)
    return reshape(out, shape=(out.shape[0], out.shape[1], out.shape[3]))


def _padding(
    padding: Any, kernel: tuple[int, int], stride: tuple[int, int], dilation: tuple[int, int]
) -> tuple[int, int, int, int]:
    """(top, bottom, left, right) zero padding from torch's int, pair, "valid" or "same"."""
    if padding == "valid":
        return (0, 0, 0, 0)
    if padding == "same":
        if stride != (1, 1):
            raise ValueError("conv2d: padding='same' needs stride 1, as in torch")
        spans = [d * (k - 1) for k, d in zip(kernel, dilation, strict=True)]
        return (spans[0] // 2, spans[0] - spans[0] // 2, spans[1] // 2, spans[1] - spans[1] // 2)
    ph, pw = pair(padding, "conv2d: padding", least=0)
    return (ph, ph, pw, pw)


def zero_padded(x: Any, pads: tuple[int, int, int, int]) -> Any:
    """x inside a frame of zeros: add_at with a slice, whose rule is a slice back."""
    if not any(pads):
        return x
    top, bottom, left, right = pads
    *rest, h, w = np.shape(x)
    index = (Ellipsis, slice(top, top + h), slice(left, left + w))
    return add_at(x, index=index, shape=(*rest, h + top + bottom, w + left + right))


def conv_transpose2d(
    input: Any,  # noqa: A002
    weight: Any,
    bias: Any = None,
    stride: Any = 1,
    padding: Any = 0,
    output_padding: Any = 0,
    groups: int = 1,
    dilation: Any = 1,
) -> Any:
    """The transposed convolution (the adjoint of conv2d in its input, torch's), with weight
    (in_channels, out_channels / groups, kh, kw): each input pixel adds weight times itself
    into the output at stride steps.

    Written as conv2d of the input spread out by ``stride`` (zeros between the pixels) and
    framed by dilation * (k - 1) - padding zeros (``output_padding`` more at the bottom and
    right), with the kernel flipped and its channel axes swapped.
    """
    x_shape, w_shape = np.shape(input), np.shape(weight)
    if len(x_shape) != 4 or len(w_shape) != 4 or x_shape[1] != w_shape[0]:
        raise ValueError(
            f"conv_transpose2d: input of shape {x_shape} and weight of shape {w_shape}: input "
            "is (batch, in_channels, h, w), weight (in_channels, out_channels / groups, kh, kw)"
        )
    c, o_per_group, kh, kw = w_shape
    if groups < 1 or c % groups:
        raise ValueError(f"conv_transpose2d: groups={groups} does not divide {c} in_channels")
    stride = pair(stride, "conv_transpose2d: stride")
    dilation = pair(dilation, "conv_transpose2d: dilation")
    padding = pair(padding, "conv_transpose2d: padding", least=0)
    extra = pair(output_padding, "conv_transpose2d: output_padding", least=0)
    for e, s, d in zip(extra, stride, dilation, strict=True):
        if e >= max(s, d):
            raise ValueError(
                f"conv_transpose2d: output_padding {output_padding} must be smaller than the "
                f"stride {stride} or the dilation {dilation}"
            )
    n, _, h, w = x_shape
    out_size = tuple(
        (size - 1) * s - 2 * p + d * (k - 1) + e + 1
        for size, s, p, d, k, e in zip(
            (h, w), stride, padding, dilation, (kh, kw), extra, strict=True
        )
    )
    if min(out_size) < 1:
        raise ValueError(
            f"conv_transpose2d: input of shape {x_shape}, kernel {(kh, kw)} and padding {padding} "
            f"give an output of {out_size}; use less padding"
        )
    spread_shape = (n, c, (h - 1) * stride[0] + 1, (w - 1) * stride[1] + 1)
    every = (Ellipsis, slice(None, None, stride[0]), slice(None, None, stride[1]))
    x = add_at(input, index=every, shape=spread_shape) if stride != (1, 1) else input
    frame = [d * (k - 1) - p for d, k, p in zip(dilation, (kh, kw), padding, strict=True)]
    x = _framed(x, (frame[0], frame[0] + extra[0], frame[1], frame[1] + extra[1]))
    kernel = reshape(weight, shape=(groups, c // groups, o_per_group, kh, kw))
    kernel = transpose(kernel, axes=(0, 2, 1, 3, 4))[..., ::-1, ::-1]
    kernel = reshape(kernel, shape=(groups * o_per_group, c // groups, kh, kw))
    return conv2d(x, kernel, bias, 1, 0, dilation, groups)


def _framed(x: Any, pads: tuple[int, int, int, int]) -> Any:
    """x with (top, bottom, left, right) zeros added, or rows and columns cut where negative."""
    top, bottom, left, right = pads
    h, w = np.shape(x)[-2:]
    if min(pads) < 0:
        rows = slice(max(-top, 0), h - max(-bottom, 0))
        cols = slice(max(-left, 0), w - max(-right, 0))
        x = x[..., rows, cols]
    return zero_padded(x, (max(top, 0), max(bottom, 0), max(left, 0), max(right, 0)))
