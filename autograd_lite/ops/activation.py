"""softmax, log_softmax and the fused cross_entropy: the ops this project was built to explain.

The softmax rule is the O(n) product ``s * (g - sum(g * s))`` along the axis; the n-by-n
Jacobian diag(s) - s s^T is never built. cross_entropy takes logits and is fused: its
gradient is softmax(logits) - target, never the derivative of log(softmax(x)).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..registry import register
from .reduce import logsumexp


@register("softmax")
def softmax(x, axis=-1):
    e = np.exp(x - np.max(x, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis, keepdims=True)


@softmax.vjp
def _softmax(g, out, x, axis=-1):
    """d softmax(x)_i/dx_j = s_i (delta_ij - s_j), applied as s * (g - sum(g * s))."""
    return out * (g - (g * out).sum(axis=axis, keepdims=True))


@register("log_softmax")
def log_softmax(x, axis=-1):
    return x - logsumexp.forward(x, axis=axis, keepdims=True)


@log_softmax.vjp
def _log_softmax(g, out, x, axis=-1):
    """d log_softmax(x)_i/dx_j = delta_ij - s_j, applied as g - s * sum(g)."""
    return g - np.exp(out) * g.sum(axis=axis, keepdims=True)


@register("cross_entropy")
def cross_entropy(logits, target, axis=-1, reduction="mean"):
    logp = log_softmax.forward(logits, axis=axis)
    picked = _target_dot(target, logp, axis)
    return _reduce(-picked, reduction)


@cross_entropy.vjp(argnum=0)
def _cross_entropy_logits(g, out, logits, target, axis=-1, reduction="mean"):
    """d cross_entropy(z, y)/dz = softmax(z) - y, scaled by the reduction."""
    probs = softmax.compute(logits, axis=axis)
    return _expand(g, reduction, logits.shape, axis) * (probs - _as_probs(target, logits, axis))


@cross_entropy.vjp(argnum=1)
def _cross_entropy_target(g, out, logits, target, axis=-1, reduction="mean"):
    """d cross_entropy(z, y)/dy = -log_softmax(z), scaled by the reduction."""
    if _is_labels(target, logits):
        raise TypeError("cross_entropy: integer class labels have no gradient")
    return -_expand(g, reduction, logits.shape, axis) * log_softmax.compute(logits, axis=axis)


def _is_labels(target: Any, logits: Any) -> bool:
    """Integer class labels (one fewer axis than the logits), not rows of probabilities."""
    return np.ndim(target) == len(logits.shape) - 1


def _target_dot(target: Any, logp: np.ndarray, axis: int) -> np.ndarray:
    """sum(target * logp) along axis; for labels, logp at each label (no one-hot built)."""
    if _is_labels(target, logp):
        index = np.expand_dims(_checked_labels(target, logp.shape, axis), axis)
        return np.take_along_axis(logp, index, axis=axis).squeeze(axis)
    if np.shape(target) != logp.shape:
        raise ValueError(_shape_message(np.shape(target), logp.shape, axis))
    # 0 * log(0) counts as 0, so a -inf logit with zero target probability stays finite.
    with np.errstate(invalid="ignore"):
        return np.sum(np.where(target == 0, 0, target * logp), axis=axis)


def _checked_labels(target: Any, shape: tuple[int, ...], axis: int) -> np.ndarray:
    labels = np.asarray(target)
    axis = axis % len(shape)
    if labels.shape != shape[:axis] + shape[axis + 1 :]:
        raise ValueError(_shape_message(labels.shape, shape, axis))
    if labels.dtype.kind not in "iu":
        raise TypeError(f"cross_entropy: class labels must be integers, got dtype {labels.dtype}")
    n_classes = shape[axis]
    if labels.size and (labels.min() < 0 or labels.max() >= n_classes):
        raise ValueError(
            f"cross_entropy: labels must lie in [0, {n_classes}), "
            f"got values from {labels.min()} to {labels.max()}"
        )
    return labels


def _shape_message(target_shape: tuple[int, ...], shape: tuple[int, ...], axis: int) -> str:
    return (
        f"cross_entropy: target of shape {target_shape} fits neither logits of shape {shape} "
        f"(rows of probabilities) nor their shape without axis {axis} (class labels)"
    )


def _as_probs(target: Any, logits: Any, axis: int) -> Any:
    """The target as rows of probabilities: one-hot rows for class labels."""
    if not _is_labels(target, logits):
        return target
    shape = logits.shape
    axis = axis % len(shape)
    classes = np.arange(shape[axis]).reshape([-1 if i == axis else 1 for i in range(len(shape))])
    return (np.expand_dims(target, axis) == classes).astype(logits.dtype)


def _reduce(losses: np.ndarray, reduction: str) -> np.ndarray:
    if reduction == "mean":
        return np.mean(losses)
    if reduction == "sum":
        return np.sum(losses)
    if reduction == "none":
        return losses
    raise ValueError(f"cross_entropy: reduction must be 'mean', 'sum' or 'none', got {reduction!r}")


def _expand(g: Any, reduction: str, shape: tuple[int, ...], axis: int) -> Any:
    """The upstream gradient of the loss, per row, in a shape that broadcasts over classes."""
    if reduction == "none":
        return np.expand_dims(g, axis)
    if reduction == "mean":
        rows = int(np.prod(shape)) // shape[axis] if len(shape) else 1
        return g / max(rows, 1)
    return g
