"""Anomaly detection: the first NaN or Inf made by a forward op or a gradient rule raises.

Inside ``detect_anomaly()`` an observer (see switches.py) checks every op's output,
remembers the line of user code that created each node, and checks every gradient a rule
sends. Outside it nothing is captured: the core only tests whether any observer is on.
"""

from __future__ import annotations

import weakref
from typing import Any

import numpy as np

from .callsite import user_site
from .node import data_of
from .summaries import all_finite
from .switches import Observer, observing

# id(tensor) -> (weak reference, "file:line"); an entry leaves when its tensor dies.
# (Not a WeakKeyDictionary: that compares keys with ==, which for Tensors is elementwise.)
_creation_sites: dict[int, tuple[weakref.ref[Any], str]] = {}


class AnomalyError(RuntimeError):
    """A NaN or Inf appeared where the inputs were finite; the message says where."""


class detect_anomaly:  # noqa: N801 - used like a function, as torch.autograd.detect_anomaly
    """Raise at the first NaN or Inf produced in forward or backward, naming the op and line.

    >>> import numpy as np, autograd_lite as al
    >>> with al.detect_anomaly(), np.errstate(divide="ignore"):
    ...     al.log(al.tensor([0.0]))
    Traceback (most recent call last):
    ...
    autograd_lite.anomaly.AnomalyError: op 'log' produced NaN or Inf ...
    """

    def __init__(self) -> None:
        self.watching = observing(AnomalyObserver())

    def __enter__(self) -> detect_anomaly:
        self.watching.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self.watching.__exit__(*exc)


class AnomalyObserver(Observer):
    """Checks every op's output and every gradient sent; remembers where nodes were made."""

    def op_called(self, op: Any, inputs: list[Any], out: Any, node: Any) -> None:
        check_forward(op.name, inputs, out)
        if node is not None:
            remember(node)

    def gradient_sent(
        self, node: Any, argnum: int, x: Any, rule: Any, gx: Any, g: Any, args: Any
    ) -> None:
        check_gradient(node.op.name, node, argnum, gx, g, args)


def check_forward(op_name: str, arrays: list[Any], out: np.ndarray) -> None:
    """Raise when ``out`` holds NaN or Inf but every input was finite."""
    if all_finite(out) or not all(all_finite(d) for d in arrays):
        return
    shapes = ", ".join(str(np.shape(d)) for d in arrays)
    raise AnomalyError(
        f"op {op_name!r} produced NaN or Inf from finite inputs of shape {shapes}, at {user_site()}"
    )


def remember(t: Any) -> None:
    """Note the line of user code that created node ``t``."""
    key = id(t)
    ref = weakref.ref(t, lambda _, key=key: _creation_sites.pop(key, None))  # type: ignore[misc]
    _creation_sites[key] = (ref, user_site())


def creation_site(t: Any) -> str:
    """Where node ``t`` was created, if it was made inside ``detect_anomaly()``."""
    entry = _creation_sites.get(id(t))
    return entry[1] if entry is not None and entry[0]() is t else "an unknown place"


def check_gradient(op_name: str, t: Any, argnum: int, gx: Any, g: Any, args: Any) -> None:
    """Raise when a rule returned NaN or Inf from a finite upstream gradient and inputs."""
    if (
        all_finite(data_of(gx))
        or not all_finite(data_of(g))
        or not all(all_finite(data_of(a)) for a in args)
    ):
        return
    shapes = ", ".join(str(np.shape(data_of(a))) for a in args)
    raise AnomalyError(
        f"the gradient rule of op {op_name!r} returned NaN or Inf for input {argnum} "
        f"(inputs of shape {shapes}, upstream gradient of shape {np.shape(data_of(g))}); "
        f"the node was created at {creation_site(t)}"
    )
