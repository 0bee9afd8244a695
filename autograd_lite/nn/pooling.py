"""Pooling: ``max_pool2d``, ``avg_pool2d`` and ``adaptive_avg_pool2d``, on the windows view of
:mod:`autograd_lite.nn.convolution`'s padding."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..node import data_of
from ..ops import matmul, mean, sum_, where
from ..ops.windows import pair, windows
from .convolution import zero_padded


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
    return sum_(where(first_maximum(np.asarray(cols.data)), cols, 0.0), axis=(-2, -1))


def first_maximum(windows: np.ndarray) -> np.ndarray:
    """A mask of the first largest element of each (kh, kw) window in row-major order (a NaN
    counts as largest, as numpy's argmax has it): one comparison per kernel slot, which is
    faster than argmax along a short axis."""
    kh, kw = windows.shape[-2:]
    best, first = windows[..., 0, 0], np.zeros(windows.shape[:-2], dtype=np.intp)
    for slot in range(1, kh * kw):
        value = windows[..., slot // kw, slot % kw]
        better = (value > best) | (np.isnan(value) & ~np.isnan(best))
        best = np.where(better, value, best)
        first[better] = slot
    return (first[..., None] == np.arange(kh * kw)).reshape(windows.shape)


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
    dtype = _float_type(input)
    return matmul(matmul(_bins(h, m_h, dtype), input), _bins(w, m_w, dtype).T)


def _float_type(x: Any) -> np.dtype[Any]:
    """x's dtype if floating point, else float64: the constants pooling mixes in take it, so
    that float32 input gives float32 output, as numpy and torch do."""
    dtype = np.asarray(data_of(x)).dtype
    return dtype if dtype.kind == "f" else np.dtype(np.float64)


def _bins(n: int, m: int, dtype: Any) -> np.ndarray:
    """The (m, n) matrix averaging each of torch's adaptive bins."""
    average = np.zeros((m, n), dtype)
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
    padded = zero_padded(x, (ph, ph, pw, pw))
    if fill and (ph or pw):
        frame = np.full(np.shape(padded), fill, _float_type(x))
        frame[..., ph : ph + np.shape(x)[-2], pw : pw + np.shape(x)[-1]] = 0.0
        padded = padded + frame
    return windows(padded, kernel=kernel, stride=stride, dilation=pair(dilation, "dilation"))
