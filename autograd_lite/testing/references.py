"""The op table's numpy references: each op's forward written independently of the op's own
forward, from its definition, so that the table checks the forward too."""

from __future__ import annotations

from typing import Any

import numpy as np


def ref_softmax(x: np.ndarray, axis: int = -1) -> np.ndarray:
    e = np.exp(x)
    return e / e.sum(axis=axis, keepdims=True)


def ref_logsumexp(x: np.ndarray, axis: Any = None, keepdims: bool = False) -> np.ndarray:
    return np.log(np.exp(x).sum(axis=axis, keepdims=keepdims))


def ref_cross_entropy(logits, target, axis=-1, reduction="mean"):
    logp = np.log(ref_softmax(logits, axis))
    if np.ndim(target) == logits.ndim - 1:
        onehot = np.moveaxis(np.eye(logits.shape[axis])[target], -1, axis)
        losses = -(onehot * logp).sum(axis=axis)
    else:
        losses = -(target * logp).sum(axis=axis)
    return {"mean": np.mean, "sum": np.sum, "none": lambda v: v}[reduction](losses)


def ref_spread(x: np.ndarray, axis: Any = None, ddof: int = 0, keepdims: bool = False) -> Any:
    """The standard deviation from its definition: sqrt(sum((x - mean)^2) / (n - ddof))."""
    if axis in (0, -1) and x.ndim == 0:
        axis = None
    centred = x - x.mean(axis=axis, keepdims=True)
    n = x.size // max(np.mean(x, axis=axis, keepdims=keepdims).size, 1) if x.size else 0
    return np.sqrt((centred**2).sum(axis=axis, keepdims=keepdims) / (n - ddof))


def ref_average(a: np.ndarray, w: np.ndarray, axis: Any = None, keepdims: bool = False) -> Any:
    """sum(w a) / sum(w), with 1-d weights laid along ``axis``."""
    if axis in (0, -1) and a.ndim == 0:
        axis = None
    if w.ndim != a.ndim:
        w = w.reshape([n if i == axis % a.ndim else 1 for i, n in enumerate(a.shape)])
    w = np.broadcast_to(w, a.shape)
    return (w * a).sum(axis=axis, keepdims=keepdims) / w.sum(axis=axis, keepdims=keepdims)


def ref_cumsum(x: np.ndarray, axis: Any = None) -> np.ndarray:
    """Running totals by adding the elements one at a time."""
    flat = x.reshape(-1) if axis is None or x.ndim == 0 else np.moveaxis(x, axis, -1)
    totals = np.zeros_like(flat)
    running = np.zeros(flat.shape[:-1])
    for k in range(flat.shape[-1]):
        running = running + flat[..., k]
        totals[..., k] = running
    return totals if axis is None or x.ndim == 0 else np.moveaxis(totals, -1, axis)


def ref_mean(x: np.ndarray, axis: Any = None, keepdims: bool = False) -> np.ndarray:
    if axis in (0, -1) and x.ndim == 0:
        axis = None  # numpy's other reductions allow this; np.mean does not
    return np.mean(x, axis=axis, keepdims=keepdims)


def ref_add_at(x, index=None, shape=()):
    out = np.zeros(shape)
    np.add.at(out, index, x)
    return out
