"""``scaled_dot_product_attention``, torch's, as a composition of four ops (matmul, multiply,
softmax, matmul) whose intermediates are named, so a picture of its graph reads as the formula
softmax(q k^T / sqrt(d) + mask) v.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..ops import matmul, softmax, transpose, where
from ..tensor import Tensor
from .dropout import dropout


def scaled_dot_product_attention(
    query: Any,
    key: Any,
    value: Any,
    attn_mask: Any = None,
    dropout_p: float = 0.0,
    is_causal: bool = False,
    scale: float | None = None,
    rng: np.random.Generator | None = None,
) -> Any:
    """softmax(query key^T * scale + mask) value over the last two axes, (..., L, E) queries
    against (..., S, E) keys and (..., S, Ev) values; ``scale`` defaults to 1 / sqrt(E).

    ``attn_mask`` is boolean (True where a query may look; a constant) or added to the scores
    (a Tensor that requires grad, a learned bias, gets its gradient, as in torch);
    ``is_causal`` lets query i see keys 0..i only. A query that may see no key gets weights
    of 0, so an output of 0 and no gradient (torch's math backend, its ``_safe_softmax``).
    ``dropout_p`` drops attention weights with ``rng`` (for training; 0 to evaluate).

    >>> import autograd_lite as al
    >>> q = k = v = al.tensor(np.eye(2))
    >>> np.round(scaled_dot_product_attention(q, k, v, is_causal=True).data, 3).tolist()
    [[1.0, 0.0], [0.33, 0.67]]
    """
    q_shape, k_shape, v_shape = np.shape(query), np.shape(key), np.shape(value)
    if (
        min(len(q_shape), len(k_shape), len(v_shape)) < 2
        or q_shape[-1] != k_shape[-1]
        or k_shape[-2] != v_shape[-2]
    ):
        raise ValueError(
            f"scaled_dot_product_attention: query {q_shape}, key {k_shape}, value {v_shape}: "
            "give (..., L, E), (..., S, E) and (..., S, Ev)"
        )
    if is_causal and attn_mask is not None:
        raise ValueError("scaled_dot_product_attention: give attn_mask or is_causal, not both")
    length, source = q_shape[-2], k_shape[-2]
    scale = 1 / math.sqrt(q_shape[-1]) if scale is None else scale
    turned = (*range(len(k_shape) - 2), len(k_shape) - 1, len(k_shape) - 2)
    scores = matmul(query, transpose(key, axes=turned)) * scale
    scores.name = "scores"
    if is_causal:
        attn_mask = np.tril(np.ones((length, source), dtype=bool))
    if attn_mask is not None:
        mask = np.asarray(getattr(attn_mask, "data", attn_mask))
        if mask.dtype == bool:  # a constant: which keys each query may see
            scores = where(mask, scores, -np.inf)
        else:  # an input like the others: a bias that requires grad gets its gradient
            scores = scores + (attn_mask if isinstance(attn_mask, Tensor) else mask)
        scores.name = "masked scores"
    blind = np.all(np.isneginf(np.asarray(getattr(scores, "data", scores))), -1, keepdims=True)
    if blind.any():  # torch's _safe_softmax: a row that sees no key gets weights of 0
        scores = where(blind, 0.0, scores)
    weights = softmax(scores, axis=-1)
    if blind.any():
        weights = where(blind, 0.0, weights)
    weights.name = "attention weights"
    if dropout_p:
        weights = dropout(weights, dropout_p, True, rng)
    out = matmul(weights, value)
    out.name = "attention"
    return out


__all__ = ["scaled_dot_product_attention"]
