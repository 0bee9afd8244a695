"""``autograd_lite.nn.functional``: the functions of ``torch.nn.functional``, as compositions
of registered ops, so their gradients (and second derivatives) come from those ops' rules.

Layouts are torch's: images are (batch, channels, height, width) and a convolution's
weight is (out_channels, in_channels / groups, kh, kw).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..ops import matmul, mean, reshape, transpose
from ..ops.arrangement import rearranged
from ..ops.shape import add_at
from ..ops.windows import pair, windows
from .activations import (
    celu,
    elu,
    gelu,
    hardsigmoid,
    hardswish,
    hardtanh,
    leaky_relu,
    logsigmoid,
    mish,
    relu6,
    selu,
    silu,
    softmin,
    softplus,
    softsign,
)
from .embedding import embedding, one_hot
from .losses import (
    binary_cross_entropy,
    binary_cross_entropy_with_logits,
    cross_entropy,
    huber_loss,
    kl_div,
    l1_loss,
    mse_loss,
    nll_loss,
    smooth_l1_loss,
)
from .normalization import batch_norm, group_norm, layer_norm


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
    stride, dilation = pair(stride, "conv2d: stride"), pair(dilation, "conv2d: dilation")
    pads = _padding(padding, (kh, kw), stride, dilation)
    x = _zero_padded(input, pads)
    cols = windows(x, kernel=(kh, kw), stride=stride, dilation=dilation)  # n c oh ow kh kw
    oh, ow = cols.shape[2], cols.shape[3]
    cols = reshape(cols, shape=(n, groups, c_per_group, oh * ow, kh * kw))
    patch = c_per_group * kh * kw
    cols = reshape(transpose(cols, axes=(0, 1, 3, 2, 4)), shape=(n, groups, oh * ow, patch))
    kernel = reshape(weight, shape=(groups, o // groups, patch))
    out = matmul(cols, transpose(kernel, axes=(0, 2, 1)))  # n g (oh ow) o/g
    out = reshape(transpose(out, axes=(0, 1, 3, 2)), shape=(n, o, oh, ow))
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


def max_pool2d(
    input: Any,  # noqa: A002
    kernel_size: Any,
    stride: Any = None,
    padding: Any = 0,
    dilation: Any = 1,
) -> Any:
    """The largest element of each window (padding counts as -inf); its gradient goes to
    that element, the first in the window's row-major order where several tie, as torch."""
    cols = _pool_windows("max_pool2d", input, kernel_size, stride, padding, dilation, -np.inf)
    flat = reshape(cols, shape=(*cols.shape[:-2], cols.shape[-2] * cols.shape[-1]))
    first = np.argmax(flat.data, axis=-1)[..., None]
    return rearranged(np.take_along_axis, flat, first, axis=-1)[..., 0]


def avg_pool2d(
    input: Any,  # noqa: A002
    kernel_size: Any,
    stride: Any = None,
    padding: Any = 0,
) -> Any:
    """The mean of each window; padded zeros count (torch's count_include_pad=True)."""
    cols = _pool_windows("avg_pool2d", input, kernel_size, stride, padding, 1, 0.0)
    return mean(cols, axis=(-2, -1))


def adaptive_avg_pool2d(input: Any, output_size: Any) -> Any:  # noqa: A002
    """Means over torch's bins: bin i of an axis of n covers floor(i n / m) to
    ceil((i + 1) n / m), for an output of m; written as two averaging matrices."""
    *_, h, w = np.shape(input)
    m_h, m_w = pair(output_size, "adaptive_avg_pool2d: output_size")
    return matmul(matmul(_bins(h, m_h), input), _bins(w, m_w).T)


def _bins(n: int, m: int) -> np.ndarray:
    """The (m, n) matrix averaging each of torch's adaptive bins."""
    average = np.zeros((m, n))
    for i in range(m):
        start, end = (i * n) // m, -((-(i + 1) * n) // m)
        average[i, start:end] = 1.0 / (end - start)
    return average


def _pool_windows(
    name: str, x: Any, kernel: Any, stride: Any, padding: Any, dilation: Any, fill: float
) -> Any:
    if np.ndim(x) not in (3, 4):
        raise ValueError(
            f"{name}: input of shape {np.shape(x)}: give (batch, channels, height, width) "
            "or (channels, height, width)"
        )
    kernel = pair(kernel, f"{name}: kernel_size")
    stride = kernel if stride is None else pair(stride, f"{name}: stride")
    ph, pw = pair(padding, f"{name}: padding", least=0)
    if 2 * ph > kernel[0] or 2 * pw > kernel[1]:
        raise ValueError(f"{name}: padding {padding} is more than half the kernel {kernel}")
    padded = _zero_padded(x, (ph, ph, pw, pw))
    if fill and (ph or pw):
        frame = np.full(np.shape(padded), fill)
        frame[..., ph : ph + np.shape(x)[-2], pw : pw + np.shape(x)[-1]] = 0.0
        padded = padded + frame
    return windows(padded, kernel=kernel, stride=stride, dilation=pair(dilation, "dilation"))


def dropout(
    input: Any,  # noqa: A002
    p: float = 0.5,
    training: bool = True,
    rng: np.random.Generator | None = None,
) -> Any:
    """Zero each element with probability p and scale the rest by 1 / (1 - p), so the mean
    is unchanged; the input itself when not training. The mask comes from ``rng`` (a fresh
    generator if none), a constant of the graph: the gradient flows where it kept."""
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"dropout: p must be in [0, 1], not {p}")
    if not training or p == 0.0:
        return input
    rng = np.random.default_rng() if rng is None else rng
    keep = rng.random(np.shape(input)) >= p
    return input * (keep / (1.0 - p) if p < 1.0 else np.zeros(np.shape(input)))


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


def _zero_padded(x: Any, pads: tuple[int, int, int, int]) -> Any:
    """x inside a frame of zeros: add_at with a slice, whose rule is a slice back."""
    if not any(pads):
        return x
    top, bottom, left, right = pads
    *rest, h, w = np.shape(x)
    index = (Ellipsis, slice(top, top + h), slice(left, left + w))
    return add_at(x, index=index, shape=(*rest, h + top + bottom, w + left + right))


__all__ = [
    "adaptive_avg_pool2d",
    "avg_pool2d",
    "batch_norm",
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "celu",
    "conv1d",
    "conv2d",
    "cross_entropy",
    "dropout",
    "elu",
    "embedding",
    "gelu",
    "group_norm",
    "hardsigmoid",
    "hardswish",
    "hardtanh",
    "huber_loss",
    "kl_div",
    "l1_loss",
    "layer_norm",
    "leaky_relu",
    "logsigmoid",
    "max_pool2d",
    "mish",
    "mse_loss",
    "nll_loss",
    "one_hot",
    "relu6",
    "selu",
    "silu",
    "smooth_l1_loss",
    "softmin",
    "softplus",
    "softsign",
]
