"""Sliding windows over the last two axes: the im2col view convolutions and pooling read.

``windows(x, kernel, stride, dilation)`` has shape (..., out_h, out_w, kh, kw): window
(h, w) holds x[..., h*stride + i*dilation, w*stride + j*dilation] at (i, j). The forward
is a strided view (numpy's ``sliding_window_view``), no copy; the rule adds each window's
gradient back where it was read (col2im), one slice per kernel offset.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from ..registry import register
from .shape import add_at


def window_count(size: int, kernel: int, stride: int, dilation: int) -> int:
    """How many windows fit along an axis of ``size``."""
    return max((size - dilation * (kernel - 1) - 1) // stride + 1, 0)


@register("windows", reads=())
def windows(x, kernel=(1, 1), stride=(1, 1), dilation=(1, 1)):
    x = np.asarray(x)  # the checkers call forwards on Tensors under no_grad
    (kh, kw), (sh, sw), (dh, dw) = kernel, stride, dilation
    span = (dh * (kh - 1) + 1, dw * (kw - 1) + 1)
    if x.ndim < 2 or x.shape[-2] < span[0] or x.shape[-1] < span[1]:
        raise ValueError(
            f"windows: a kernel of {kernel} with dilation {dilation} spans {span}, more than "
            f"the input's last two axes {x.shape[-2:]}"
        )
    view = sliding_window_view(x, span, axis=(-2, -1))
    return view[..., ::sh, ::sw, ::dh, ::dw]


@windows.vjp
def _windows(g, out, x, kernel=(1, 1), stride=(1, 1), dilation=(1, 1)):
    """d windows(x)/dx: each input element gets the gradients of every window slot that read
    it, a sum over the kernel offsets (i, j) of g[..., i, j] put back at its stride."""
    (kh, kw), (sh, sw), (dh, dw) = kernel, stride, dilation
    out_h, out_w = g.shape[-4], g.shape[-3]
    if type(g) is np.ndarray:  # a plain backward: add into one array, in place
        summed = np.zeros(x.shape, dtype=g.dtype)
        for i in range(kh):
            for j in range(kw):
                rows = slice(i * dh, i * dh + (out_h - 1) * sh + 1, sh)
                cols = slice(j * dw, j * dw + (out_w - 1) * sw + 1, sw)
                summed[..., rows, cols] += g[..., i, j]
        return summed
    total = None  # a recorded backward (create_graph): the same sum with ops
    for i in range(kh):
        for j in range(kw):
            rows = slice(i * dh, i * dh + (out_h - 1) * sh + 1, sh)
            cols = slice(j * dw, j * dw + (out_w - 1) * sw + 1, sw)
            part = add_at.in_rule(g[..., i, j], index=(Ellipsis, rows, cols), shape=x.shape)
            total = part if total is None else total + part
    return total if total is not None else np.zeros(x.shape)


def pair(value: Any, name: str, least: int = 1) -> tuple[int, int]:
    """An int or a pair of ints, as torch's conv and pool arguments take; a clear error else
    (a float, a bool or a string too: torch refuses them)."""
    value = value.tolist() if isinstance(value, np.ndarray) else value  # numbers of Python's
    both = (
        (value, value) if _is_int(value) else tuple(value) if type(value) in (tuple, list) else ()
    )
    if len(both) != 2 or not all(_is_int(v) and v >= least for v in both):
        raise ValueError(f"{name} must be an int >= {least} or a pair of them, not {value!r}")
    return int(both[0]), int(both[1])


def _is_int(value: Any) -> bool:
    return isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_))
