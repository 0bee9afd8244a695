"""What the op table holds: one drawn or fixed call of an op (its arguments, its attributes,
which are differentiable), and an op's entry (its reference and its calls)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from hypothesis import strategies as st


@dataclass(frozen=True)
class Call:
    """One drawn call of an op: positional arguments, attributes, which args are differentiable."""

    args: tuple[Any, ...]
    attrs: dict[str, Any]
    diff: tuple[int, ...]

    def __repr__(self) -> str:
        shapes = [np.shape(a) if isinstance(a, np.ndarray) else a for a in self.args]
        return f"Call(shapes={shapes}, attrs={self.attrs}, diff={self.diff})"


@dataclass(frozen=True)
class OpSpec:
    """An op's entry: its numpy reference, its random calls and its fixed layouts."""

    name: str
    reference: Callable[..., Any]
    calls: st.SearchStrategy[Call]
    layouts: list[Call] = field(default_factory=list)
    notes: str = field(default="")
