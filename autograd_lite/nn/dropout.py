"""``dropout``: zero elements at random while training, with an explicit numpy Generator."""

from __future__ import annotations

from typing import Any

import numpy as np


def dropout(
    input: Any,  # noqa: A002
    p: float = 0.5,
    training: bool = True,
    rng: np.random.Generator | None = None,
) -> Any:
    """Zero each element with probability p and scale the rest by 1 / (1 - p), so the mean
    is unchanged; the input itself when not training. The mask comes from ``rng`` (a fresh
    generator if none), a constant of the graph: the gradient flows where it kept. It is made
    in the input's floating dtype, so float32 stays float32 (float64 for other inputs)."""
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"dropout: p must be in [0, 1], not {p}")
    if not training or p == 0.0:
        return input
    rng = np.random.default_rng() if rng is None else rng
    dtype = np.asarray(getattr(input, "data", input)).dtype
    dtype = dtype if dtype.kind in "fc" else np.dtype(np.float64)
    keep = rng.random(np.shape(input)) >= p
    if p == 1.0:
        return input * np.zeros(np.shape(input), dtype)
    return input * (keep.astype(dtype) / dtype.type(1.0 - p))
