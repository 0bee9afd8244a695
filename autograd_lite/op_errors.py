"""The errors an op raises: numpy's own error led by the op's name and the inputs' shapes,
the refusal of complex numbers, and those of a missing gradient rule and of one writing into
its arguments."""

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


def no_rule_error(name: str, argnum: int) -> NotImplementedError:
    """The refusal to differentiate an input whose op has no gradient rule for it."""
    return NotImplementedError(
        f"op {name!r} has no gradient rule for input {argnum}; register one with "
        f"@{name}.vjp(argnum={argnum}), or pass that input as a constant (a numpy array, "
        "or tensor.detach())"
    )


def rule_wrote_error(name: str, argnum: int, exc: Exception) -> RuntimeError:
    """The refusal of a gradient rule that wrote into an array it was given: g, out or an
    input. Those are read-only while the graph lives; g is shared (add gives its one g to
    both of its inputs' rules), so a write into it would change another gradient."""
    return RuntimeError(
        f"the gradient rule of op {name!r} for input {argnum} wrote into an array it was "
        f"given ({exc}); a rule must return a new array: write g * out, not g *= out"
    )


def _describe(d: Any) -> str:
    if isinstance(d, (np.ndarray, np.generic)):
        return str(d.shape)
    if isinstance(d, (int, float, bool)):
        return "()"
    return type(d).__name__
