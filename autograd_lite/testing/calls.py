"""One drawn or fixed call of an op: its arguments, its attributes, which are differentiable."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np


@dataclass(frozen=True)
class Call:
    """One drawn call of an op: positional arguments, attributes, which args are differentiable."""

    args: tuple[Any, ...]
    attrs: dict[str, Any]
    diff: tuple[int, ...]

    def __repr__(self) -> str:
        shapes = [np.shape(a) if isinstance(a, np.ndarray) else a for a in self.args]
        return f"Call(shapes={shapes}, attrs={self.attrs}, diff={self.diff})"
