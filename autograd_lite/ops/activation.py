"""softmax, log_softmax and the fused cross_entropy: the ops this project was built to explain;
and binary_cross_entropy on probabilities, with torch's rules.

The softmax rule is the O(n) product ``s * (g - sum(g * s))`` along the axis; the n-by-n
Jacobian diag(s) - s s^T is never built. cross_entropy takes logits and is fused: its
gradient is softmax(logits) - target (for target rows that sum to 1), never the derivative
of log(softmax(x)). binary_cross_entropy clamps each log at -100 as torch does, but its
gradient is torch's (p - t) / max(p (1 - p), 1e-12), not the derivative of the clamps (0
below them, so a confidently wrong prediction would never recover).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numpy.lib.array_utils import normalize_axis_index

from ..registry import register
from .reduce import logsumexp


@register("softmax", reads=())
def softmax(x, axis=-1):
    x = np.asarray(x)
    if x.size == 0:
        return np.exp(x)  # empty, in the dtype softmax gives
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


@softmax.vjp
def _softmax(g, out, x, axis=-1):
    """d softmax(x)_i/dx_j = s_i (delta_ij - s_j), applied as s * (g - sum(g * s))."""
    return out * (g - (g * out).sum(axis=axis, keepdims=True))


@register("log_softmax", reads=())
def log_softmax(x, axis=-1):
    return x - logsumexp.forward(x, axis=axis, keepdims=True)


@log_softmax.vjp
def _log_softmax(g, out, x, axis=-1):
    """d log_softmax(x)_i/dx_j = delta_ij - s_j, applied as g - s * sum(g)."""
    return g - np.exp(out) * g.sum(axis=axis, keepdims=True)


@register("cross_entropy", returns_extra=True)
def cross_entropy(logits, target, axis=-1, reduction="mean"):
    logits, target = np.asarray(logits), np.asarray(target)
    labels = _check_target(target, logits.shape, axis, reduction)
    # Work with the classes on the last axis; move back at the end.
    last = axis in (-1, logits.ndim - 1)
    if not last:
        logits = np.moveaxis(logits, axis, -1)
    shifted = logits - np.maximum.reduce(logits, axis=-1, keepdims=True)
    e = np.exp(shifted)
    total = np.add.reduce(e, axis=-1, keepdims=True)
    log_total = np.log(total)
    probs = e / total
    if labels:
        # -log softmax(z)[label] = log(sum(exp(z))) - z[label], both shifted by max(z).
        if target.ndim == 1 and probs.flags.c_contiguous:
            # rows of a C-ordered array: label k of row i is element i * classes + k of its
            # flat view, a 1-d index numpy applies several times faster than a pair
            at = np.arange(0, probs.size, probs.shape[-1]) + target
            losses = log_total[..., 0] - shifted.reshape(-1)[at]
            probs.reshape(-1)[at] -= 1  # a view of probs: in place
        else:  # the index names each row's label element, whatever the memory layout
            rows = np.indices(target.shape, sparse=True) if target.ndim else ()
            at_label = (*rows, target)
            losses = log_total[..., 0] - shifted[at_label]
            probs[at_label] -= 1
        softmax_minus_target = probs
    else:
        target = target if last else np.moveaxis(target, axis, -1)
        # where the target is 0 the term is 0, even at a logit of -inf
        losses = -(np.where(target != 0, shifted - log_total, 0) * target).sum(axis=-1)
        # d/dz of -sum(y log softmax(z)) is softmax(z) sum(y) - y: rows need not sum to 1
        softmax_minus_target = probs * np.add.reduce(target, axis=-1, keepdims=True) - target
    if reduction == "mean":
        total_loss = np.add.reduce(losses, axis=None)
        loss = total_loss / losses.size if losses.size else losses.dtype.type(np.nan)
    else:
        loss = losses.sum() if reduction == "sum" else losses
    if not last:
        softmax_minus_target = np.moveaxis(softmax_minus_target, -1, axis)
    # The extra, for the rule: per row, before the reduction.
    return loss, softmax_minus_target


@cross_entropy.vjp(argnum=0)
def _cross_entropy_logits(g, out, logits, target, axis=-1, reduction="mean", extra=None):
    """d cross_entropy(z, y)/dz = softmax(z) sum(y) - y (softmax(z) - y when rows of y sum
    to 1, as one-hot labels do), scaled by the reduction."""
    if extra is None:  # a recorded backward: recompute with ops, so it can be differentiated
        probs = _as_probs(target, logits.shape, axis)
        extra = softmax.in_rule(logits, axis=axis) * probs.sum(axis=axis, keepdims=True) - probs
    return _per_row(g, reduction, logits.shape, axis) * extra


@cross_entropy.vjp(argnum=1)
def _cross_entropy_target(g, out, logits, target, axis=-1, reduction="mean", extra=None):
    """d cross_entropy(z, y)/dy = -log_softmax(z), scaled by the reduction."""
    return -_per_row(g, reduction, logits.shape, axis) * log_softmax.in_rule(logits, axis=axis)


# the floor of p (1 - p) in binary_cross_entropy's rule: torch's 1e-12 is a float32 constant,
# 9.99999996e-13, in float64 too (and a float32 scalar keeps float32 arrays float32)
_BCE_FLOOR = np.float32(1e-12)


@register("binary_cross_entropy")
def binary_cross_entropy(p, target):
    """-(t log(p) + (1 - t) log(1 - p)) per element, each log clamped at -100 (torch's)."""
    with np.errstate(divide="ignore"):  # log(0) = -inf, then clamped
        log_p, log_q = np.maximum(np.log(p), -100), np.maximum(np.log1p(-p), -100)
    return (target - 1) * log_q - target * log_p


@binary_cross_entropy.vjp(argnum=0)
def _binary_cross_entropy_p(g, out, p, target):
    """d bce(p, t)/dp = (p - t) / (p (1 - p)), the denominator at least 1e-12 (torch's).

    So p = 0 with t = 1 gets -1e12 and p = t = 0 gets 0, where the clamped logs' derivative
    would give 0 and 1."""
    return g * (p - target) / np.maximum((1 - p) * p, _BCE_FLOOR)


@binary_cross_entropy.vjp(argnum=1)
def _binary_cross_entropy_target(g, out, p, target):
    """d bce(p, t)/dt = log(1 - p) - log(p) = -logit(p), unclamped as torch's (infinite at 0, 1)."""
    with np.errstate(divide="ignore"):  # p = 0 or 1
        return -g * np.log(p / (1 - p))


def _check_target(target: np.ndarray, shape: tuple[int, ...], axis: int, reduction: str) -> bool:
    """True for class labels (integers in range, the logits' shape without axis), False for
    rows of probabilities (the logits' shape); a clear error for anything else."""
    if reduction not in ("mean", "sum", "none"):
        raise ValueError(
            f"cross_entropy: reduction must be 'mean', 'sum' or 'none', got {reduction!r}"
        )
    if len(shape) == 0:
        raise ValueError("cross_entropy: logits must have at least one axis (the classes)")
    axis = normalize_axis_index(axis, len(shape))
    if shape[axis] == 0:
        raise ValueError(f"cross_entropy: logits of shape {shape} have no classes on axis {axis}")
    if target.shape == shape:
        return False
    if target.shape != shape[:axis] + shape[axis + 1 :]:
        raise ValueError(
            f"cross_entropy: target of shape {target.shape} fits neither the logits' shape "
            f"{shape} (rows of probabilities) nor that shape without axis {axis} (class labels)"
        )
    if target.dtype.kind not in "iu":
        raise TypeError(f"cross_entropy: class labels must be integers, got dtype {target.dtype}")
    n_classes = shape[axis]
    if not target.size:
        return True
    # one pass checks both bounds: seen as unsigned, a negative label is larger than any class
    unsigned = target.view(_UNSIGNED[target.dtype.itemsize])
    if np.maximum.reduce(unsigned, axis=None) >= n_classes:
        low, high = np.minimum.reduce(target, axis=None), np.maximum.reduce(target, axis=None)
        raise ValueError(
            f"cross_entropy: labels must lie in [0, {n_classes}), got values from {low} to {high}"
        )
    return True


_UNSIGNED = {1: np.uint8, 2: np.uint16, 4: np.uint32, 8: np.uint64}  # by itemsize


def _as_probs(target: Any, shape: tuple[int, ...], axis: int) -> Any:
    """The target as rows of probabilities: one-hot rows for class labels."""
    return target if np.ndim(target) == len(shape) else _one_hot(target, shape, axis)


def _one_hot(labels: Any, shape: tuple[int, ...], axis: int) -> Any:
    """Boolean rows (along axis) that are True at each label."""
    axis = axis % len(shape)
    kept = list(shape)
    kept[axis] = 1
    classes = [1] * len(shape)
    classes[axis] = shape[axis]
    return np.reshape(labels, kept) == np.arange(shape[axis]).reshape(classes)


def _per_row(g: Any, reduction: str, shape: tuple[int, ...], axis: int) -> Any:
    """The loss's upstream gradient for each row, in a shape that broadcasts over classes."""
    if reduction == "none":
        return np.expand_dims(g, axis)
    if reduction == "mean":
        return g / max(math.prod(shape) // shape[axis], 1)
    return g
