"""The errors an op raises about its inputs: numpy's own error led by the op's name and the
inputs' shapes, and the refusal of complex numbers."""

from __future__ import annotations

from typing import Any

import numpy as np


def op_error(name: str, arrays: list[Any], exc: Exception) -> Exception:
    """The forward's numpy error again, led by the op's name and the inputs' shapes."""
    shapes = " and ".join(_describe(d) for d in arrays)
    message = str(exc).removeprefix(f"{name}: ")  # numpy's and our forwards' own prefix
    message = f"{name}: inputs of shape {shapes}: {message}"
    # the most specific kind first: AxisError and LinAlgError are ValueErrors users catch
    kinds = (np.exceptions.AxisError, np.linalg.LinAlgError, IndexError, TypeError, ValueError)
    for kind in kinds:
        if isinstance(exc, kind):
            return kind(message)
    return exc


def complex_error(name: str, arrays: list[Any]) -> TypeError:
    """The refusal of a complex input: the engine differentiates real functions only."""
    dtypes = ", ".join(str(np.result_type(d)) for d in arrays)
    return TypeError(
        f"{name}: complex numbers are not supported (inputs of dtype {dtypes}); "
        "autograd_lite differentiates real-valued functions: pass real and imaginary parts "
        "as separate real tensors"
    )


def _describe(d: Any) -> str:
    if isinstance(d, (np.ndarray, np.generic)):
        return str(d.shape)
    if isinstance(d, (int, float, bool)):
        return "()"
    return type(d).__name__
