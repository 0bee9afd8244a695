"""Lookups by integer index: ``embedding`` (rows of a weight matrix, as torch's) and
``one_hot``; ``embedding`` is numpy indexing (the ``getitem`` op), whose rule adds each
row's gradient back into the weight, repeated indices summed."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..ops import where
from ..tensor import Tensor


def _indices(name: str, indices: Any, size: int | None = None) -> np.ndarray:
    """``indices`` as an integer array, checked to lie in [0, size)."""
    values = np.asarray(getattr(indices, "data", indices))
    if values.dtype.kind not in "iu" and not (values.size == 0 and values.dtype.kind == "f"):
        raise TypeError(f"{name}: indices must be integers, got dtype {values.dtype}")
    values = values.astype(np.int64, copy=False)
    if values.size and values.min() < 0:
        raise ValueError(f"{name}: index {values.min()} is negative")
    if size is not None and values.size and values.max() >= size:
        raise ValueError(f"{name}: index {values.max()} is out of range for {size} rows")
    return values


def embedding(
    input: Any,  # noqa: A002  (torch's name)
    weight: Any,
    padding_idx: int | None = None,
) -> Any:
    """``weight[input]``: a row of ``weight`` (num_embeddings, dim) per index, so the result
    has the shape of ``input`` plus (dim,). Rows looked up at ``padding_idx`` get no gradient.

    >>> import autograd_lite as al
    >>> w = al.tensor(np.arange(6.0).reshape(3, 2), requires_grad=True)
    >>> embedding(np.array([2, 0, 2]), w).sum().backward()
    >>> w.grad.tolist()
    [[1.0, 1.0], [0.0, 0.0], [2.0, 2.0]]
    """
    if np.ndim(weight) != 2:
        raise ValueError(
            f"embedding: weight of shape {np.shape(weight)}: give (num_embeddings, dim)"
        )
    rows = np.shape(weight)[0]
    index = _indices("embedding", input, rows)
    out = weight[index]
    if padding_idx is None:
        return out
    if not -rows <= padding_idx < rows:
        raise ValueError(f"embedding: padding_idx {padding_idx} is out of range for {rows} rows")
    padding = (index == padding_idx % rows)[..., None]
    held = np.asarray(getattr(weight, "data", weight))[index]
    return where(padding, held, out)


def one_hot(tensor: Any, num_classes: int = -1) -> Tensor:
    """An int64 Tensor with a trailing axis of ``num_classes`` (the largest index + 1 when
    -1), holding 1 at each index and 0 elsewhere; no gradient flows through indices.

    >>> one_hot(np.array([0, 2])).tolist()
    [[1, 0, 0], [0, 0, 1]]
    """
    index = _indices("one_hot", tensor)
    if num_classes == -1:
        if index.size == 0:
            raise ValueError("one_hot: num_classes=-1 cannot be inferred from no indices")
        num_classes = int(index.max()) + 1
    index = _indices("one_hot", index, num_classes)
    return Tensor((index[..., None] == np.arange(num_classes)).astype(np.int64))


__all__ = ["embedding", "one_hot"]
