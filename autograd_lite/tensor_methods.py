"""The Tensor's methods named as ndarray's (``t.sum()``, ``t.reshape()``, ``t.var()``, ...)
and PyTorch's two shape names (``permute``, ``unsqueeze``).

Each calls the numpy function of the same name, which numpy hands back to the Tensor
(``__array_function__`` / ``__array_ufunc__``) and so runs the registered op: one path for
``t.sum()`` and ``np.sum(t)``, and no import of the ops here. (A mixin of Tensor: no
fields.)
"""

from __future__ import annotations

from typing import Any

import numpy as np

# numpy's type stubs do not know that a Tensor dispatches numpy's functions to itself.
numpy: Any = np


class ArrayMethods:
    """ndarray's methods on a Tensor, each the numpy function of the same name."""

    __slots__ = ()

    def sum(self, axis: Any = None, keepdims: bool = False) -> Any:
        return numpy.sum(self, axis=axis, keepdims=keepdims)

    def mean(self, axis: Any = None, keepdims: bool = False) -> Any:
        return numpy.mean(self, axis=axis, keepdims=keepdims)

    def var(self, axis: Any = None, ddof: int = 0, keepdims: bool = False) -> Any:
        return numpy.var(self, axis=axis, ddof=ddof, keepdims=keepdims)

    def std(self, axis: Any = None, ddof: int = 0, keepdims: bool = False) -> Any:
        return numpy.std(self, axis=axis, ddof=ddof, keepdims=keepdims)

    def max(self, axis: Any = None, keepdims: bool = False) -> Any:
        return numpy.max(self, axis=axis, keepdims=keepdims)

    def min(self, axis: Any = None, keepdims: bool = False) -> Any:
        return numpy.min(self, axis=axis, keepdims=keepdims)

    def cumsum(self, axis: Any = None) -> Any:
        return numpy.cumsum(self, axis=axis)

    def prod(self, axis: Any = None, keepdims: bool = False) -> Any:
        return numpy.prod(self, axis=axis, keepdims=keepdims)

    def cumprod(self, axis: Any = None) -> Any:
        return numpy.cumprod(self, axis=axis)

    def reshape(self, *shape: Any) -> Any:
        if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
            shape = tuple(shape[0])
        return numpy.reshape(self, shape)

    def transpose(self, *axes: Any) -> Any:
        order = axes[0] if len(axes) == 1 and not isinstance(axes[0], int) else axes
        return numpy.transpose(self, tuple(order) if order else None)

    def permute(self, *dims: Any) -> Any:
        """PyTorch's name for ``transpose(dims)``."""
        return self.transpose(*dims)

    def swapaxes(self, axis1: int, axis2: int) -> Any:
        return numpy.swapaxes(self, axis1, axis2)

    def squeeze(self, axis: Any = None) -> Any:
        return numpy.squeeze(self, axis=axis)

    def unsqueeze(self, dim: int) -> Any:
        """PyTorch's name for ``numpy.expand_dims(t, dim)``."""
        return numpy.expand_dims(self, dim)

    def ravel(self) -> Any:
        return numpy.ravel(self)

    flatten = ravel  # both give a new array here (a gather), as ndarray.flatten does

    def repeat(self, repeats: Any, axis: Any = None) -> Any:
        return numpy.repeat(self, repeats, axis=axis)

    def diagonal(self, offset: int = 0, axis1: int = 0, axis2: int = 1) -> Any:
        return numpy.diagonal(self, offset, axis1, axis2)

    def trace(self, offset: int = 0, axis1: int = 0, axis2: int = 1) -> Any:
        return numpy.trace(self, offset, axis1, axis2)

    def take(self, indices: Any, axis: Any = None) -> Any:
        return numpy.take(self, indices, axis=axis)

    def exp(self) -> Any:
        return numpy.exp(self)

    def log(self) -> Any:
        return numpy.log(self)

    def sqrt(self) -> Any:
        return numpy.sqrt(self)

    def tanh(self) -> Any:
        return numpy.tanh(self)

    def abs(self) -> Any:
        return numpy.abs(self)

    def round(self, decimals: int = 0) -> Any:
        return numpy.round(self, decimals)

    def clip(self, a_min: Any = None, a_max: Any = None) -> Any:
        return numpy.clip(self, a_min, a_max)

    def argmax(self, axis: Any = None, keepdims: bool = False) -> Any:
        """The index of the largest element (the first of ties, as numpy): a plain array."""
        return numpy.argmax(self, axis=axis, keepdims=keepdims)

    def argmin(self, axis: Any = None, keepdims: bool = False) -> Any:
        return numpy.argmin(self, axis=axis, keepdims=keepdims)

    def argsort(self, axis: Any = -1, kind: Any = None) -> Any:
        """The sorting permutation, a plain array. (``t.sort()`` is not offered: ndarray's
        sorts in place, torch's returns values and indices; use ``np.sort(t)``.)"""
        return numpy.argsort(self, axis=axis, kind=kind)

    def any(self, axis: Any = None, keepdims: bool = False) -> Any:
        return numpy.any(self, axis=axis, keepdims=keepdims)

    def all(self, axis: Any = None, keepdims: bool = False) -> Any:
        return numpy.all(self, axis=axis, keepdims=keepdims)

    def dot(self, other: Any) -> Any:
        return numpy.dot(self, other)

    def copy(self) -> Any:
        """A new Tensor of the same values, still in the graph (torch's ``clone``)."""
        return numpy.copy(self)

    def nonzero(self) -> Any:
        """The indices of the nonzero elements, plain arrays as numpy's."""
        return numpy.nonzero(self)
