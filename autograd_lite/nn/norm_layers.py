"""Normalisation layers: LayerNorm, GroupNorm, BatchNorm1d and BatchNorm2d, on the functions of
:mod:`autograd_lite.nn.normalization`. The scale starts at ones and the shift at zeros, as
torch's; batch norm keeps its running statistics as buffers (saved in checkpoints, never
optimised) and uses them in ``eval()``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..tensor import Tensor
from .module import Module
from .normalization import batch_norm, group_norm, layer_norm


def _scale_and_shift(
    shape: tuple[int, ...], affine: bool, bias: bool, dtype: Any
) -> tuple[Tensor | None, Tensor | None]:
    """``weight`` (ones) and ``bias`` (zeros) of ``shape``, or None where not wanted."""
    weight = Tensor(np.ones(shape, dtype), requires_grad=True) if affine else None
    shift = Tensor(np.zeros(shape, dtype), requires_grad=True) if affine and bias else None
    return weight, shift


class LayerNorm(Module):
    """``F.layer_norm`` over the last axes, of ``normalized_shape``.

    >>> layer = LayerNorm(4)
    >>> y = layer(np.arange(8.0).reshape(2, 4))
    >>> np.round(y.data.mean(axis=-1), 12).tolist(), layer.weight.shape
    ([0.0, 0.0], (4,))
    """

    def __init__(
        self,
        normalized_shape: Any,
        eps: float = 1e-5,
        elementwise_affine: bool = True,
        bias: bool = True,
        dtype: Any = np.float64,
    ) -> None:
        if isinstance(normalized_shape, int):
            normalized_shape = (normalized_shape,)
        self.normalized_shape = tuple(normalized_shape)
        self.eps = eps
        self.weight, self.bias = _scale_and_shift(
            self.normalized_shape, elementwise_affine, bias, dtype
        )

    def forward(self, x: Any) -> Any:
        return layer_norm(x, self.normalized_shape, self.weight, self.bias, self.eps)


class GroupNorm(Module):
    """``F.group_norm``: ``num_channels`` channels in ``num_groups`` groups."""

    def __init__(
        self,
        num_groups: int,
        num_channels: int,
        eps: float = 1e-5,
        affine: bool = True,
        dtype: Any = np.float64,
    ) -> None:
        if num_groups < 1 or num_channels % num_groups:
            raise ValueError(
                f"GroupNorm: num_groups={num_groups} must divide num_channels={num_channels}"
            )
        self.num_groups, self.eps = num_groups, eps
        self.weight, self.bias = _scale_and_shift((num_channels,), affine, True, dtype)

    def forward(self, x: Any) -> Any:
        return group_norm(x, self.num_groups, self.weight, self.bias, self.eps)


class _BatchNorm(Module):
    """Batch norm over the channels (axis 1) of inputs with ``ndims`` axes."""

    ndims: tuple[int, ...] = ()

    def __init__(
        self,
        num_features: int,
        eps: float = 1e-5,
        momentum: float = 0.1,
        affine: bool = True,
        track_running_stats: bool = True,
        dtype: Any = np.float64,
    ) -> None:
        if not 0.0 <= momentum <= 1.0:
            raise ValueError(f"{type(self).__name__}: momentum must be in [0, 1], not {momentum}")
        self.num_features, self.eps, self.momentum = num_features, eps, momentum
        self.weight, self.bias = _scale_and_shift((num_features,), affine, True, dtype)
        self.running_mean: np.ndarray | None = None
        self.running_var: np.ndarray | None = None
        if track_running_stats:
            self.register_buffer("running_mean", np.zeros(num_features, dtype))
            self.register_buffer("running_var", np.ones(num_features, dtype))

    def forward(self, x: Any) -> Any:
        if np.ndim(x) not in self.ndims or np.shape(x)[1] != self.num_features:
            raise ValueError(
                f"{type(self).__name__}({self.num_features}): input of shape {np.shape(x)}; "
                f"it takes {' or '.join(f'{n}-d' for n in self.ndims)} input with "
                f"{self.num_features} channels on axis 1"
            )
        training = self.training or self.running_mean is None
        return batch_norm(
            x,
            self.running_mean,
            self.running_var,
            self.weight,
            self.bias,
            training,
            self.momentum,
            self.eps,
        )


class BatchNorm1d(_BatchNorm):
    """Batch norm of (batch, features) or (batch, channels, length).

    >>> layer = BatchNorm1d(2)
    >>> _ = layer(np.array([[0.0, 10.0], [2.0, 30.0]]))
    >>> layer.running_mean.tolist()
    [0.1, 2.0]
    """

    ndims = (2, 3)


class BatchNorm2d(_BatchNorm):
    """Batch norm of images, (batch, channels, height, width)."""

    ndims = (4,)
