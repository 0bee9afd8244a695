"""Layers for images: Conv1d, Conv2d, MaxPool2d, AvgPool2d, AdaptiveAvgPool2d, Flatten, and
Dropout; each calls its function in :mod:`autograd_lite.nn.functional`.

Convolutions start as PyTorch's do (Kaiming-uniform with a = sqrt(5): weight and bias
from U(-1/sqrt(fan_in), 1/sqrt(fan_in)), fan_in = in_channels / groups * kernel size),
drawn from an explicit ``rng``.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..ops import reshape
from ..ops.windows import pair
from ..tensor import Tensor
from . import functional as F
from .layers import make_rng
from .module import Module


class _Conv(Module):
    """The parameters of a convolution of ``kernel`` (a tuple of sizes)."""

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel: tuple[int, ...],
        groups: int,
        bias: bool,
        rng: np.random.Generator | int | None,
        dtype: Any,
    ) -> None:
        if in_channels % groups or out_channels % groups:
            raise ValueError(
                f"{type(self).__name__}: groups={groups} must divide in_channels="
                f"{in_channels} and out_channels={out_channels}"
            )
        generator = make_rng(rng)
        fan_in = in_channels // groups * math.prod(kernel)
        bound = 1 / math.sqrt(fan_in)
        shape = (out_channels, in_channels // groups, *kernel)
        weight = generator.uniform(-bound, bound, shape).astype(dtype)
        self.weight = Tensor(weight, requires_grad=True)
        self.bias: Tensor | None = None
        if bias:
            values = generator.uniform(-bound, bound, out_channels).astype(dtype)
            self.bias = Tensor(values, requires_grad=True)


class Conv2d(_Conv):
    """``F.conv2d`` with a weight of (out_channels, in_channels / groups, kh, kw).

    >>> layer = Conv2d(1, 4, 3, padding=1, rng=0)
    >>> layer.weight.shape, layer(np.ones((2, 1, 8, 8))).shape
    ((4, 1, 3, 3), (2, 4, 8, 8))
    """

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: Any,
        stride: Any = 1,
        padding: Any = 0,
        dilation: Any = 1,
        groups: int = 1,
        bias: bool = True,
        rng: np.random.Generator | int | None = None,
        dtype: Any = np.float64,
    ) -> None:
        kernel = pair(kernel_size, "Conv2d: kernel_size")
        super().__init__(in_channels, out_channels, kernel, groups, bias, rng, dtype)
        self.options = {"stride": stride, "padding": padding, "dilation": dilation}
        self.groups = groups

    def forward(self, x: Any) -> Any:
        return F.conv2d(x, self.weight, self.bias, groups=self.groups, **self.options)


class Conv1d(_Conv):
    """``F.conv1d`` with a weight of (out_channels, in_channels / groups, k)."""

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: int,
        stride: int = 1,
        padding: Any = 0,
        dilation: int = 1,
        groups: int = 1,
        bias: bool = True,
        rng: np.random.Generator | int | None = None,
        dtype: Any = np.float64,
    ) -> None:
        super().__init__(in_channels, out_channels, (kernel_size,), groups, bias, rng, dtype)
        self.options = {"stride": stride, "padding": padding, "dilation": dilation}
        self.groups = groups

    def forward(self, x: Any) -> Any:
        return F.conv1d(x, self.weight, self.bias, groups=self.groups, **self.options)


class MaxPool2d(Module):
    """``F.max_pool2d``: the largest element of each window."""

    def __init__(
        self, kernel_size: Any, stride: Any = None, padding: Any = 0, dilation: Any = 1
    ) -> None:
        self.options = {
            "kernel_size": kernel_size,
            "stride": stride,
            "padding": padding,
            "dilation": dilation,
        }

    def forward(self, x: Any) -> Any:
        return F.max_pool2d(x, **self.options)


class AvgPool2d(Module):
    """``F.avg_pool2d``: the mean of each window."""

    def __init__(self, kernel_size: Any, stride: Any = None, padding: Any = 0) -> None:
        self.options = {"kernel_size": kernel_size, "stride": stride, "padding": padding}

    def forward(self, x: Any) -> Any:
        return F.avg_pool2d(x, **self.options)


class AdaptiveAvgPool2d(Module):
    """``F.adaptive_avg_pool2d``: means over bins that give ``output_size``."""

    def __init__(self, output_size: Any) -> None:
        self.output_size = output_size

    def forward(self, x: Any) -> Any:
        return F.adaptive_avg_pool2d(x, self.output_size)


class Flatten(Module):
    """Axes ``start_dim`` to ``end_dim`` merged into one (torch's defaults: all but the batch)."""

    def __init__(self, start_dim: int = 1, end_dim: int = -1) -> None:
        self.start_dim, self.end_dim = start_dim, end_dim

    def forward(self, x: Any) -> Any:
        shape = np.shape(x) or (1,)  # a 0-d input is one element, as torch's flatten
        n = len(shape)
        for name in ("start_dim", "end_dim"):
            if not -n <= getattr(self, name) < n:
                raise IndexError(
                    f"Flatten: {name}={getattr(self, name)} is out of range [-{n}, {n - 1}] "
                    f"for an input of shape {np.shape(x)}"
                )
        start, end = self.start_dim % n, self.end_dim % n
        if start > end:
            raise ValueError(
                f"Flatten: start_dim {start} comes after end_dim {end} (for an input of shape "
                f"{np.shape(x)}); they name the first and the last axis to merge"
            )
        merged = math.prod(shape[start : end + 1])
        return reshape(x, shape=(*shape[:start], merged, *shape[end + 1 :]))


class Dropout(Module):
    """``F.dropout`` while training (``module.train()``), the identity in ``eval()``."""

    def __init__(self, p: float = 0.5, rng: np.random.Generator | int | None = None) -> None:
        if not 0.0 <= p <= 1.0:
            raise ValueError(f"Dropout: p must be in [0, 1], not {p}")
        self.p = p
        self.rng = make_rng(rng)

    def forward(self, x: Any) -> Any:
        return F.dropout(x, self.p, self.training, self.rng)
