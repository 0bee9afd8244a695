"""Normalisation: ``layer_norm``, ``batch_norm`` and ``group_norm``, torch's functions written as
compositions of registered ops (mean, subtract, multiply, sqrt, divide), so their gradients,
second derivatives included, come from those ops' rules.

Each subtracts a mean and divides by sqrt(variance + eps) over some axes, the variance being
the biased one (divided by n), then scales by ``weight`` and shifts by ``bias`` per feature
or channel. They differ only in the axes: layer norm the last ones, batch norm all but the
channel axis 1, group norm each group of channels of one sample.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..ops import mean, reshape, sqrt


def normalized(x: Any, axis: tuple[int, ...], eps: float) -> Any:
    """(x - mean) / sqrt(var + eps) over ``axis``, the variance divided by n."""
    centred = x - mean(x, axis=axis, keepdims=True)
    variance = mean(centred * centred, axis=axis, keepdims=True)
    return centred / sqrt(variance + eps)


def layer_norm(
    input: Any,  # noqa: A002  (torch's name)
    normalized_shape: Any,
    weight: Any = None,
    bias: Any = None,
    eps: float = 1e-5,
) -> Any:
    """Normalise over the last ``len(normalized_shape)`` axes, then ``* weight + bias``
    (each of shape ``normalized_shape``).

    >>> import autograd_lite as al
    >>> y = layer_norm(al.tensor([[1.0, 2.0, 3.0]]), 3)
    >>> np.round(y.data, 4).tolist()
    [[-1.2247, 0.0, 1.2247]]
    """
    shape = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
    x_shape = np.shape(input)
    if not shape or x_shape[len(x_shape) - len(shape) :] != shape or len(shape) > len(x_shape):
        raise ValueError(
            f"layer_norm: input of shape {x_shape} does not end in normalized_shape {shape}"
        )
    y = normalized(input, tuple(range(-len(shape), 0)), eps)
    return _affine("layer_norm", y, weight, bias, shape)


def batch_norm(
    input: Any,  # noqa: A002
    running_mean: np.ndarray | None,
    running_var: np.ndarray | None,
    weight: Any = None,
    bias: Any = None,
    training: bool = False,
    momentum: float = 0.1,
    eps: float = 1e-5,
) -> Any:
    """Normalise each channel (axis 1) over the batch and any spatial axes, then
    ``* weight + bias`` per channel.

    Training: by the batch's own mean and variance, and the running statistics (arrays,
    updated in place) move towards them, ``r = (1 - momentum) r + momentum * batch`` with the
    unbiased variance, as torch. Evaluation: by the running statistics, constants of the graph.
    """
    x_shape = np.shape(input)
    if len(x_shape) < 2:
        raise ValueError(f"batch_norm: input of shape {x_shape}: give (batch, channels, ...)")
    channels = x_shape[1]
    axes = (0, *range(2, len(x_shape)))
    per_channel = (1, channels) + (1,) * (len(x_shape) - 2)
    for name, stat in (("running_mean", running_mean), ("running_var", running_var)):
        if stat is not None and np.shape(stat) != (channels,):
            raise ValueError(
                f"batch_norm: {name} of shape {np.shape(stat)} for input of shape {x_shape}: "
                f"it needs one value per channel, ({channels},)"
            )
    if training:
        count = int(np.prod([x_shape[a] for a in axes]))
        if count < 2:
            raise ValueError(
                f"batch_norm: input of shape {x_shape} has {count} value per channel; training "
                "needs more than 1 to estimate a variance"
            )
        y = normalized(input, axes, eps)
        _update_running(input, axes, count, running_mean, running_var, momentum)
    else:
        if running_mean is None or running_var is None:
            raise ValueError("batch_norm: evaluation (training=False) needs running_mean and var")
        shift = np.asarray(running_mean).reshape(per_channel)
        scale = np.sqrt(np.asarray(running_var) + eps).reshape(per_channel)
        y = (input - shift) / scale
    return _affine("batch_norm", y, weight, bias, (channels,), per_channel)


def _update_running(
    x: Any,
    axes: tuple[int, ...],
    count: int,
    running_mean: np.ndarray | None,
    running_var: np.ndarray | None,
    momentum: float,
) -> None:
    """Move the running statistics towards the batch's, in place, outside the graph."""
    values = np.asarray(getattr(x, "data", x))
    if running_mean is not None:
        running_mean *= 1 - momentum
        running_mean += momentum * values.mean(axis=axes)
    if running_var is not None:
        running_var *= 1 - momentum
        running_var += momentum * values.var(axis=axes) * count / (count - 1)


def group_norm(
    input: Any,  # noqa: A002
    num_groups: int,
    weight: Any = None,
    bias: Any = None,
    eps: float = 1e-5,
) -> Any:
    """Split the channels (axis 1) into ``num_groups`` groups and normalise each group of each
    sample over its channels and spatial axes, then ``* weight + bias`` per channel."""
    x_shape = np.shape(input)
    if len(x_shape) < 2 or num_groups < 1 or x_shape[1] % num_groups:
        raise ValueError(
            f"group_norm: input of shape {x_shape} and num_groups={num_groups}: give (batch, "
            "channels, ...) with channels divisible by num_groups"
        )
    n, channels = x_shape[:2]
    grouped = reshape(input, shape=(n, num_groups, -1))
    y = reshape(normalized(grouped, (2,), eps), shape=x_shape)
    per_channel = (1, channels) + (1,) * (len(x_shape) - 2)
    return _affine("group_norm", y, weight, bias, (channels,), per_channel)


def _affine(
    name: str, y: Any, weight: Any, bias: Any, shape: tuple[int, ...], view: Any = None
) -> Any:
    """``y * weight + bias``, each of ``shape`` (seen as ``view`` to broadcast), if given."""
    for label, p in (("weight", weight), ("bias", bias)):
        if p is not None and np.shape(p) != shape:
            raise ValueError(f"{name}: {label} of shape {np.shape(p)}, expected {shape}")
    if weight is not None:
        y = y * (weight if view is None else reshape(weight, shape=view))
    if bias is not None:
        y = y + (bias if view is None else reshape(bias, shape=view))
    return y


__all__ = ["batch_norm", "group_norm", "layer_norm", "normalized"]
