"""Leaf Tensors made as numpy makes arrays: zeros, ones, full, eye, arange, linspace, the
``*_like`` forms, and rand/randn drawn from a ``numpy.random.Generator``.

``np.zeros_like(t)`` (and ones_like, full_like) of a Tensor gives one of these: a constant,
whose values do not depend on t's, so no gradient is lost.

Each takes numpy's arguments and dtype (float64 unless numpy picks another, as ``arange``
of integers does) plus ``requires_grad``, which makes integer data float64 as
:func:`autograd_lite.tensor` does.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..tensor import Tensor


def _leaf(array: np.ndarray, requires_grad: bool) -> Tensor:
    return Tensor(array, requires_grad=requires_grad)


def zeros(shape: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """``np.zeros(shape)`` as a leaf Tensor."""
    return _leaf(np.zeros(shape, dtype=dtype), requires_grad)


def ones(shape: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """``np.ones(shape)`` as a leaf Tensor."""
    return _leaf(np.ones(shape, dtype=dtype), requires_grad)


def full(shape: Any, fill_value: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """``np.full(shape, fill_value)`` as a leaf Tensor."""
    return _leaf(np.full(shape, _value(fill_value), dtype=dtype), requires_grad)


def eye(
    N: int, M: int | None = None, k: int = 0, dtype: Any = float, requires_grad: bool = False
) -> Tensor:
    """``np.eye(N, M, k)``: ones on the k-th diagonal."""
    return _leaf(np.eye(N, M, k, dtype=dtype), requires_grad)


def arange(
    start: Any, stop: Any = None, step: Any = None, dtype: Any = None, requires_grad: bool = False
) -> Tensor:
    """``np.arange``: integers for integer arguments, as numpy gives."""
    if stop is None:
        start, stop = 0, start
    return _leaf(np.arange(start, stop, 1 if step is None else step, dtype=dtype), requires_grad)


def linspace(
    start: float,
    stop: float,
    num: int = 50,
    endpoint: bool = True,
    dtype: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    """``np.linspace``: ``num`` evenly spaced values from start to stop."""
    return _leaf(np.linspace(start, stop, num, endpoint=endpoint, dtype=dtype), requires_grad)


def zeros_like(
    a: Any, dtype: Any = None, *, shape: Any = None, requires_grad: bool = False
) -> Tensor:
    """Zeros of ``a``'s shape and dtype (``a`` a Tensor or an array)."""
    return _leaf(np.zeros_like(_value(a), dtype=dtype, shape=shape), requires_grad)


def ones_like(
    a: Any, dtype: Any = None, *, shape: Any = None, requires_grad: bool = False
) -> Tensor:
    """Ones of ``a``'s shape and dtype."""
    return _leaf(np.ones_like(_value(a), dtype=dtype, shape=shape), requires_grad)


def full_like(
    a: Any, fill_value: Any, dtype: Any = None, *, shape: Any = None, requires_grad: bool = False
) -> Tensor:
    """``fill_value`` in ``a``'s shape and dtype."""
    return _leaf(
        np.full_like(_value(a), _value(fill_value), dtype=dtype, shape=shape), requires_grad
    )


def rand(
    *shape: int,
    rng: np.random.Generator | None = None,
    dtype: Any = np.float64,
    requires_grad: bool = False,
) -> Tensor:
    """Uniform values in [0, 1) from ``rng.random`` (a fresh generator if none is given)."""
    rng = np.random.default_rng() if rng is None else rng
    return _leaf(rng.random(_shape(shape), dtype=dtype), requires_grad)


def randn(
    *shape: int,
    rng: np.random.Generator | None = None,
    dtype: Any = np.float64,
    requires_grad: bool = False,
) -> Tensor:
    """Standard normal values from ``rng.standard_normal`` (a fresh generator if none)."""
    rng = np.random.default_rng() if rng is None else rng
    return _leaf(rng.standard_normal(_shape(shape), dtype=dtype), requires_grad)


def _shape(shape: tuple[Any, ...]) -> tuple[int, ...]:
    """``rand(2, 3)`` and ``rand((2, 3))`` alike, as torch takes both."""
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        return tuple(shape[0])
    return tuple(shape)


def _value(x: Any) -> Any:
    return x.data if isinstance(x, Tensor) else x
