"""Central finite differences in float64: the oracle every gradient test compares against.

The step and the tolerances live here, in one place.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

EPS = 1e-6  # the finite-difference step
ATOL = 1e-6  # absolute tolerance for analytic vs numeric gradients
RTOL = 1e-5  # relative tolerance for analytic vs numeric gradients


def numeric_vjp(
    f: Callable[..., np.ndarray], args: tuple[Any, ...], argnum: int, g: np.ndarray
) -> np.ndarray:
    """d sum(g * f(*args)) / d args[argnum], by central differences, element by element."""
    x = np.array(args[argnum], dtype=np.float64)
    grad = np.zeros_like(x)
    for j in np.ndindex(x.shape):
        value = x[j]
        x[j] = value + EPS
        plus = np.sum(g * f(*_replace(args, argnum, x)))
        x[j] = value - EPS
        minus = np.sum(g * f(*_replace(args, argnum, x)))
        x[j] = value
        grad[j] = (plus - minus) / (2 * EPS)
    return grad


def assert_close(analytic: Any, numeric: Any, what: str) -> None:
    analytic = np.asarray(analytic)
    assert analytic.shape == numeric.shape, f"{what}: shape {analytic.shape} != {numeric.shape}"
    np.testing.assert_allclose(analytic, numeric, rtol=RTOL, atol=ATOL, err_msg=what)


def _replace(args: tuple[Any, ...], i: int, value: Any) -> tuple[Any, ...]:
    return args[:i] + (value,) + args[i + 1 :]
