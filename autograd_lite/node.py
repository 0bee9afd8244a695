"""The graph node: what the reverse pass reads of a Tensor.

A node holds its array, its gradient, and, when an op made it, the op, the op's inputs
(nodes, or constants given in their place), its attributes and what its rules read. That
is the whole graph: parents point down, never up, so a dropped graph is freed at once by
reference counting. :class:`~autograd_lite.tensor.Tensor` is a node with numpy's array
API on top; the engine and the tools that walk the graph need only this class.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np

# Every node gets the next number when it is made. A node is made after its inputs, so the
# numbers order the graph: a node's consumers all have larger ones (PyTorch's sequence_nr).
next_seq = itertools.count().__next__


class Node:
    """One value of the graph and the op that made it (``op`` is None for a leaf)."""

    __slots__ = (
        "data",
        "grad",
        "requires_grad",
        "name",
        "_op",
        "_inputs",
        "_attrs",
        "_saved",
        "_hold",
        "_retains_grad",
        "_seq",
        "__weakref__",
    )

    data: np.ndarray
    grad: Any
    requires_grad: bool
    name: str | None
    _op: Any
    _inputs: tuple[Any, ...]
    _attrs: dict[str, Any] | None  # None, not an empty dict, for an op without attributes
    _saved: Any  # what the rules read: per input its array or itself; with the op's extra, a pair
    _hold: Any  # the inplace.Hold keeping saved leaf and constant arrays read-only
    _retains_grad: bool
    _seq: int  # when it was made (next_seq): larger than every input's, smaller than any consumer's

    @property
    def op(self) -> Any:
        """The registered op that made this node, or None for a leaf."""
        return self._op

    @property
    def inputs(self) -> tuple[Any, ...]:
        """The op's inputs: nodes, or constants (arrays, numbers) given in their place."""
        return self._inputs

    @property
    def attrs(self) -> dict[str, Any]:
        """The op's attributes, such as ``axis`` and ``keepdims``."""
        return self._attrs or {}

    @property
    def is_leaf(self) -> bool:
        """True for a node made by the user rather than by an op."""
        return self._op is None

    @property
    def shape(self) -> tuple[int, ...]:
        return self.data.shape

    @property
    def ndim(self) -> int:
        return self.data.ndim

    @property
    def size(self) -> int:
        return self.data.size

    @property
    def dtype(self) -> np.dtype[Any]:
        return self.data.dtype

    __hash__ = object.__hash__  # nodes are hashed by identity

    def __setstate__(self, state: Any) -> None:
        """A copy (``copy.copy``) or an unpickled node is a new node with its own number,
        later than its inputs' (rebuilt before it), so the numbers still order the graph."""
        attrs, slots = state if isinstance(state, tuple) else (state, None)
        for values in (attrs, slots):
            for name, value in (values or {}).items():
                object.__setattr__(self, name, value)
        self._seq = next_seq()


def data_of(x: Any) -> Any:
    """A node's array, or ``x`` itself (a constant given in a node's place)."""
    return x.data if isinstance(x, Node) else x
