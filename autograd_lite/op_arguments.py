"""How an op reads the arguments it is called with, as numpy's functions do: attributes given
positionally, a Tensor given as an attribute, a list or tuple given as an input."""

from __future__ import annotations

from typing import Any

import numpy as np

from .node import Node
from .switches import grad_mode


def bind_attrs(op: Any, args: tuple[Any, ...], attrs: dict[str, Any]) -> tuple[Any, ...]:
    """Move positional arguments past the inputs into ``attrs``, as numpy's signatures allow."""
    extra = args[op.n_inputs :]
    if len(extra) > len(op.attr_names):
        raise TypeError(
            f"{op.name}() takes {op.n_inputs} input(s) and the attributes "
            f"{op.attr_names}, but {len(args)} positional arguments were given"
        )
    for name, value in zip(op.attr_names, extra, strict=False):
        if name in attrs:
            raise TypeError(f"{op.name}() got multiple values for {name!r}")
        attrs[name] = value
    return args[: op.n_inputs]


def constant_attrs(op: Any, attrs: dict[str, Any]) -> dict[str, Any]:
    """The attributes as constants: a Tensor as its array, refused if it requires grad."""
    if not any(isinstance(v, Node) for v in attrs.values()):
        return attrs
    for name, t in attrs.items():
        if isinstance(t, Node) and t.requires_grad and grad_mode.enabled:
            raise TypeError(
                f"{op.name}(): attribute {name!r} is a Tensor that requires grad, but "
                f"attributes are constants and get no gradient; pass {name}=t.detach(), or "
                "use ops that take it as an input (clip: al.minimum(al.maximum(x, lo), hi))"
            )
    return {k: v.data if isinstance(v, Node) else v for k, v in attrs.items()}


def lists_as_arrays(args: tuple[Any, ...]) -> list[Any]:
    """The inputs with each list or tuple made an array, as numpy reads it: the rules then
    see an array (``x == 0`` on a list is one False, not a mask)."""
    return [np.asarray(a) if type(a) is list or type(a) is tuple else a for a in args]
