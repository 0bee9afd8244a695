"""Between numpy and Tensors: turning user data into arrays, and running numpy functions
that have no registered op on a Tensor's data (refused where it would cut the graph)."""

from __future__ import annotations

from typing import Any

import numpy as np

from .node import Node

FLOAT_KINDS = "f"
INT_KINDS = "biu"


def as_array(data: Any, dtype: Any = None, requires_grad: bool = False) -> np.ndarray:
    """Copy ``data`` into a numeric array; a TypeError names anything else that was given."""
    if isinstance(data, Node):
        data = data.data
    try:
        array = np.array(data, dtype=dtype)
    except (ValueError, TypeError) as exc:
        raise TypeError(
            f"cannot make a Tensor from {_describe_input(data)}: {exc}; "
            "give a number, a nested list of numbers of equal lengths, or a numeric array"
        ) from None
    kind = array.dtype.kind
    if kind not in FLOAT_KINDS and kind not in INT_KINDS:
        raise TypeError(
            f"cannot make a Tensor from {_describe_input(data)} (numpy dtype {array.dtype}); "
            "give numbers: float, int or bool data"
        )
    if requires_grad and kind in INT_KINDS:
        array = array.astype(np.float64)
    return array


def _describe_input(data: Any) -> str:
    text = repr(data)
    if len(text) > 60:
        text = text[:57] + "..."
    return f"{type(data).__name__} {text}"


def plain_numpy(func: Any, args: Any, kwargs: Any, name: str) -> Any:
    """Run a numpy function that has no registered op on plain arrays.

    Allowed when nothing is lost: no input needs a gradient, or the result is not
    floating point (comparisons, ``np.allclose``, ``np.argmax``). Otherwise the graph
    would be cut silently, so this raises.
    """
    flat = list(args) + list(kwargs.values())
    flat += [y for x in flat if isinstance(x, (list, tuple)) for y in x]
    result = func(*_unwrap(args), **{k: _unwrap(v) for k, v in kwargs.items()})
    if any(isinstance(x, Node) and x.requires_grad for x in flat) and _is_float(result):
        raise TypeError(
            f"numpy.{name} has no gradient rule in autograd_lite and an input requires grad; "
            "use a registered op (see autograd_lite.list_ops()), register one, or pass "
            "tensor.data to compute without a gradient"
        )
    return result


def _unwrap(x: Any) -> Any:
    if isinstance(x, Node):
        return x.data
    if isinstance(x, (list, tuple)):
        return type(x)(_unwrap(y) for y in x)
    return x


def _is_float(result: Any) -> bool:
    if isinstance(result, (tuple, list)):  # np.split's parts, say, of unequal shapes
        return any(_is_float(r) for r in result)
    return np.asarray(result).dtype.kind in "fc"
