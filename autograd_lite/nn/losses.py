"""The losses of ``torch.nn.functional`` as compositions of registered ops, with torch's
arguments and its ``reduction`` ("mean", "sum" or "none")."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..ops import abs_, exp, log1p, log_softmax, maximum, mean, reshape, sum_, where, xlogy
from ..ops import cross_entropy as fused_cross_entropy
from ..ops.activation import binary_cross_entropy as binary_cross_entropy_op
from ..ops.arrangement import rearranged
from ..tensor import Tensor


def _reduced(name: str, loss: Any, reduction: str) -> Any:
    if reduction == "mean":
        return mean(loss)
    if reduction == "sum":
        return sum_(loss)
    if reduction == "none":
        return loss
    raise ValueError(f"{name}: reduction must be 'mean', 'sum' or 'none', not {reduction!r}")


def _class_weight(name: str, weight: Any) -> Any:
    """``weight``'s array (None stays None): a per-class weight is a constant of the loss, so a
    Tensor that requires grad is refused, as torch refuses it, rather than left without one."""
    if isinstance(weight, Tensor) and weight.requires_grad:
        raise TypeError(
            f"{name}: weight requires grad, but the loss is not differentiated in its class "
            "weights (torch refuses it too); pass weight.detach() to use it as a constant"
        )
    return None if weight is None else np.asarray(getattr(weight, "data", weight))


def _float_dtype(input: Any) -> np.dtype:  # noqa: A002
    """The dtype of default weights for ``input``: its own when floating (float32 logits keep
    a float32 loss), else float64."""
    dtype = np.asarray(getattr(input, "data", input)).dtype
    return dtype if dtype.kind == "f" else np.dtype(np.float64)


def _same_shape(name: str, input: Any, target: Any) -> None:  # noqa: A002
    if np.shape(input) != np.shape(target):
        raise ValueError(
            f"{name}: input of shape {np.shape(input)} and target of shape {np.shape(target)}: "
            "give them the same shape"
        )


def mse_loss(input: Any, target: Any, reduction: str = "mean") -> Any:  # noqa: A002
    """(input - target)^2."""
    _same_shape("mse_loss", input, target)
    d = input - target
    return _reduced("mse_loss", d * d, reduction)


def l1_loss(input: Any, target: Any, reduction: str = "mean") -> Any:  # noqa: A002
    """abs(input - target) (gradient 0 where they are equal, as torch)."""
    _same_shape("l1_loss", input, target)
    return _reduced("l1_loss", abs_(input - target), reduction)


def smooth_l1_loss(
    input: Any,  # noqa: A002
    target: Any,
    reduction: str = "mean",
    beta: float = 1.0,
) -> Any:
    """0.5 d^2 / beta where abs(d) < beta, else abs(d) - 0.5 beta (d = input - target);
    with beta = 0, l1_loss (as torch: its gradient is sign(d), never the 0 / 0 of the
    quadratic branch)."""
    if not beta >= 0:
        raise ValueError(f"smooth_l1_loss: beta must be >= 0 (0 for l1_loss), not {beta}")
    if beta == 0:
        return l1_loss(input, target, reduction)
    _same_shape("smooth_l1_loss", input, target)
    d = input - target
    a = abs_(d)
    small = np.asarray(getattr(a, "data", a)) < beta
    return _reduced("smooth_l1_loss", where(small, 0.5 * d * d / beta, a - 0.5 * beta), reduction)


def huber_loss(
    input: Any,  # noqa: A002
    target: Any,
    reduction: str = "mean",
    delta: float = 1.0,
) -> Any:
    """0.5 d^2 where abs(d) < delta, else delta (abs(d) - 0.5 delta): smooth_l1 times delta.
    ``delta`` must be > 0, as torch's (at 0 the loss would be 0 everywhere)."""
    if not delta > 0:
        raise ValueError(f"huber_loss: delta must be > 0, not {delta}")
    return smooth_l1_loss(input, target, reduction, beta=delta) * delta


def binary_cross_entropy(
    input: Any,  # noqa: A002
    target: Any,
    weight: Any = None,
    reduction: str = "mean",
) -> Any:
    """-(t log p + (1 - t) log(1 - p)) for probabilities p, each log clamped at -100 as
    torch's (so p = 0 or 1 gives a large finite loss, not inf), with torch's gradient
    (p - t) / max(p (1 - p), 1e-12): the registered op binary_cross_entropy."""
    _same_shape("binary_cross_entropy", input, target)
    p = np.asarray(getattr(input, "data", input))
    if p.size and (p.min() < 0 or p.max() > 1):
        raise ValueError("binary_cross_entropy: input must be probabilities in [0, 1]")
    loss = binary_cross_entropy_op(input, target)
    return _reduced("binary_cross_entropy", loss if weight is None else weight * loss, reduction)


def binary_cross_entropy_with_logits(
    input: Any,  # noqa: A002
    target: Any,
    weight: Any = None,
    reduction: str = "mean",
    pos_weight: Any = None,
) -> Any:
    """binary_cross_entropy(sigmoid(x), t) written stably, as torch does: (1 - t) x +
    (1 + (pos_weight - 1) t) (log(1 + exp(-abs(x))) + max(-x, 0)), finite for any logit."""
    _same_shape("binary_cross_entropy_with_logits", input, target)
    softplus_neg = log1p(exp(-abs_(input))) + maximum(-input, 0.0)  # log(1 + exp(-x))
    scale = 1.0 if pos_weight is None else 1 + (pos_weight - 1) * target
    loss = (1 - target) * input + scale * softplus_neg
    name = "binary_cross_entropy_with_logits"
    return _reduced(name, loss if weight is None else weight * loss, reduction)


def nll_loss(
    input: Any,  # noqa: A002
    target: Any,
    weight: Any = None,
    ignore_index: int = -100,
    reduction: str = "mean",
) -> Any:
    """-input[n, target[n]] weighted by weight[target[n]], for log-probabilities with the
    classes on axis 1 (torch's layout); targets equal to ignore_index count for nothing,
    and "mean" divides by the weights of the targets that count."""
    shape, labels = np.shape(input), np.asarray(target)
    if len(shape) < 2 or labels.shape != shape[:1] + shape[2:] or labels.dtype.kind not in "iu":
        raise ValueError(
            f"nll_loss: input of shape {shape} and target of shape {labels.shape}: give "
            "(N, C, ...) log-probabilities and (N, ...) integer class labels"
        )
    weight = _class_weight("nll_loss", weight)
    counted = labels != ignore_index
    safe = np.where(counted, labels, 0)
    if np.any((safe < 0) | (safe >= shape[1])):
        raise ValueError(f"nll_loss: a target is outside the {shape[1]} classes")
    w = np.ones(shape[1], _float_dtype(input)) if weight is None else weight
    factor = np.where(counted, w[safe], 0.0)
    picked = rearranged(np.take_along_axis, input, np.expand_dims(safe, 1), axis=1)
    loss = -(picked.reshape(labels.shape) * factor)
    if reduction == "mean":
        return _weighted_mean(sum_(loss), factor.sum())
    return _reduced("nll_loss", loss, reduction)


def _weighted_mean(total: Any, weights: Any) -> Any:
    """total / weights, the "mean" of a loss whose ignored targets count for nothing; NaN when
    every target is ignored, with a zero gradient (as torch: an all-padding batch leaves the
    parameters as they were, where 0 / 0 would make them NaN)."""
    return total / weights if weights != 0 else total * 0.0 + np.nan


def kl_div(
    input: Any,  # noqa: A002
    target: Any,
    reduction: str = "mean",
    log_target: bool = False,
) -> Any:
    """target (log target - input) for log-probabilities ``input``, as torch's
    xlogy(target, target) - target input: 0 where target is 0, and there the gradient for a
    target that requires grad is the one-sided -inf (torch's is NaN); "batchmean" divides
    the sum by the batch size (the true KL divergence per sample)."""
    _same_shape("kl_div", input, target)
    if log_target:
        loss = exp(target) * (target - input)
    else:
        loss = xlogy(target, target) - target * input
    if reduction == "batchmean":
        return sum_(loss) / np.shape(input)[0]
    return _reduced("kl_div", loss, reduction)


def cross_entropy(
    input: Any,  # noqa: A002
    target: Any,
    weight: Any = None,
    ignore_index: int = -100,
    reduction: str = "mean",
    label_smoothing: float = 0.0,
    axis: int = -1,
) -> Any:
    """torch's cross_entropy on logits with the classes on ``axis`` (the last, numpy's layout
    and the engine's; pass axis=1 for torch's (N, C, ...)): class labels or rows of
    probabilities as the target, per-class ``weight``, ``ignore_index`` and ``label_smoothing``
    (the target mixed with the uniform distribution: (1 - eps) y + eps / C).

    Without those three it is the engine's fused op. With them, for class labels, torch's
    formula from log_softmax: (1 - eps) nll + eps / C * sum_c -w_c log p_c per row, and
    "mean" divides by the weights of the counted labels' classes; rows of probabilities y are
    the fused op's with the target w ((1 - eps) y + eps / C), "mean" over the rows. A class
    with target 0 adds 0 there, even at a logit of -inf (where torch's formula gives NaN).
    """
    if not 0.0 <= label_smoothing <= 1.0:
        raise ValueError(f"cross_entropy: label_smoothing must be in [0, 1], not {label_smoothing}")
    weight = _class_weight("cross_entropy", weight)
    shape, labels = np.shape(input), np.asarray(getattr(target, "data", target))
    probabilities = labels.shape == shape and len(shape) > 0
    plain = not probabilities and not np.any(labels == ignore_index)
    if weight is None and label_smoothing == 0.0 and (probabilities or plain):
        return fused_cross_entropy(input, target, axis=axis, reduction=reduction)
    if reduction not in ("mean", "sum", "none"):
        _reduced("cross_entropy", None, reduction)  # raises, naming the choices
    classes = shape[axis]
    w = np.ones(classes, _float_dtype(input)) if weight is None else weight
    if w.shape != (classes,):
        raise ValueError(f"cross_entropy: weight of shape {w.shape} for {classes} classes")
    if probabilities:  # -sum_c w_c y_c log p_c: the fused op's loss for the target w y
        smoothed = target if isinstance(target, Tensor) else labels  # a list read as numpy
        if label_smoothing:
            smoothed = smoothed * (1 - label_smoothing) + label_smoothing / classes
        on_axis = [classes if i == axis % len(shape) else 1 for i in range(len(shape))]
        weighted = smoothed if weight is None else smoothed * w.reshape(on_axis)
        return fused_cross_entropy(input, weighted, axis=axis, reduction=reduction)
    if len(shape) == 1:  # one row of logits and its label: a batch of one, as torch reads it
        one = (reshape(input, shape=(1, classes)), labels.reshape(1), weight, ignore_index)
        loss = cross_entropy(*one, reduction, label_smoothing)
        return reshape(loss, shape=()) if reduction == "none" else loss
    class_axis = 1  # torch's layout, which nll_loss takes
    logp = rearranged(np.moveaxis, log_softmax(input, axis=axis), axis, class_axis)
    w_view = w.reshape((classes,) + (1,) * (logp.ndim - 2))
    nll = nll_loss(logp, labels, w, ignore_index, reduction)
    if not label_smoothing:
        return nll
    counted = labels != ignore_index
    smooth = where(counted, -sum_(logp * w_view, axis=1), 0.0)
    if reduction == "mean":
        weights = np.where(counted, w[np.where(counted, labels, 0)], 0.0).sum()
        smooth = _weighted_mean(sum_(smooth), weights)
    elif reduction == "sum":
        smooth = sum_(smooth)
    return (1 - label_smoothing) * nll + label_smoothing / classes * smooth


LOSSES = [
    mse_loss, l1_loss, smooth_l1_loss, huber_loss, binary_cross_entropy,
    binary_cross_entropy_with_logits, nll_loss, kl_div, cross_entropy,
]  # fmt: skip
