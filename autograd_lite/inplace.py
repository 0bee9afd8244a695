"""The guard against in-place changes: arrays a live graph will read stay read-only.

A node's rules read its inputs' arrays and its own output when backward runs, so changing
one of them in between would change the gradient silently. So:

- the output of a recorded op is read-only from the start (it is the value the graph
  computed, as in JAX);
- the arrays of leaves and constants that a node saved are read-only while some live node
  holds them (a count per array), and writable again once the last is released by
  backward or freed.

An op's attributes are the third thing its rules read: an index array (``x[idx]``,
``put_along_axis``, ``embedding``) or a list there is kept as a read-only copy
(:func:`frozen_attrs`), so a buffer the caller reuses after the forward cannot move the
gradient. A numpy write into such an array fails at the write, with numpy's "assignment destination
is read-only". One numpy call ignores the flag: ``ufunc.at`` (``np.add.at``, numpy 2.4).
Given a Tensor it is refused (interop.py); given ``t.data`` itself, nothing can stop it.
The in-place operators (``t += x``, ``t -= x``, ...) are :func:`update_in_place`: allowed
only where nothing is recorded (under ``no_grad``, or when nothing requires grad), never on
an op's result in a graph. The library's own writers (optimizers, ``load_state_dict``) and
those operators use :func:`writable`: in place
when no live graph holds the array, else into a fresh array, and a backward through the
older graph then raises, naming the op and the tensor.
"""

from __future__ import annotations

import threading
import weakref
from typing import Any

import numpy as np

from .node import Node, data_of
from .op_errors import op_error
from .switches import grad_mode

_lock = threading.RLock()  # re-entrant: a Hold freed by the garbage collector mid-update
_counts: dict[int, int] = {}  # id(array) -> the number of live nodes holding it
_replaced: set[int] = set()  # ids of held arrays that a writer replaced since
_waiting: list[weakref.ref[np.ndarray]] = []  # released views whose base was still read-only


class Hold:
    """The leaf and constant arrays one node saved, read-only until this is released.

    The node drops its Hold when backward releases its saved values; a node freed without a
    backward drops it with itself (``__del__``).
    """

    __slots__ = ("arrays", "argnums")

    def __init__(self, inputs: Any, saved: Any) -> None:
        """Hold the arrays in ``saved`` (one per input of the node) that are a leaf's or a
        constant, and for a view the array it views (a minibatch X[0:32] holds X, whose
        writes would change it): other ops' outputs are read-only already, and an input
        kept as its Tensor, for its shape, holds no array. ``argnums`` says whose each is."""
        # Kept from the start, so that a Ctrl-C in the loop leaves __del__ a list to release.
        self.arrays: list[np.ndarray] = []
        self.argnums: list[int] = []
        held, argnums, counts = self.arrays, self.argnums, _counts
        with _lock:
            for i, a in enumerate(saved):
                if type(a) is not np.ndarray:
                    continue
                x = inputs[i]
                if x is not a and x._op is not None:
                    continue  # an op's output: read-only since it was made
                while type(a) is np.ndarray:  # the array, and the one whose memory it views
                    key = id(a)
                    n = counts.get(key)
                    if n is not None:
                        counts[key] = n + 1
                    elif a.flags.writeable:
                        a.setflags(write=False)
                        counts[key] = 1
                    else:
                        break  # read-only already, and not by us: nothing to undo later
                    held.append(a)
                    argnums.append(i)
                    a = a.base

    def __del__(self) -> None:
        lock, counts, replaced = _lock, _counts, _replaced
        if lock is None or counts is None:  # the interpreter is shutting down
            return
        with lock:
            for a in reversed(self.arrays):  # a viewed array before its views
                key = id(a)
                n = counts.get(key)
                if n is None:  # already released, by a collection during an update
                    continue
                if n > 1:
                    counts[key] = n - 1
                    continue
                del counts[key]
                if replaced:
                    replaced.discard(key)
                _make_writable(a)
            if _waiting:  # retried each time: one may wait for this hold's arrays
                views = [ref() for ref in _waiting]
                _waiting.clear()
                for view in views:
                    if view is not None and id(view) not in counts:  # (held again: not yet)
                        _make_writable(view)

    def replaced(self) -> tuple[int, np.ndarray] | None:
        """An array of this hold that a writer replaced since the node was recorded, with the
        position of the input it belongs to."""
        if _replaced:
            for i, a in zip(self.argnums, self.arrays, strict=True):
                if id(a) in _replaced:
                    return i, a
        return None


def _make_writable(a: np.ndarray) -> None:
    """Writable again; a view whose base another graph still holds waits for it."""
    try:
        a.setflags(write=True)
    except ValueError:  # its base is read-only: held by another node, or by its owner
        _waiting.append(weakref.ref(a))


def writable(t: Any) -> np.ndarray:
    """``t.data``, to be changed in place by an optimizer or a loader.

    When a live graph holds the array (a graph kept with ``retain_graph=True``, or a forward
    pass not yet differentiated), ``t`` gets a copy to write into instead: the graph keeps
    the values it was built with, and its backward raises rather than use them silently.
    """
    a = t.data
    with _lock:
        held = id(a) in _counts
        if not held and a.flags.writeable:
            return a
        if held:
            _replaced.add(id(a))
    t.data = a.copy()
    return t.data


def update_in_place(t: Any, ufunc: Any, other: Any, symbol: str) -> Any:
    """``t += other`` and the like: ``t``'s own data changed, as numpy's and PyTorch's
    in-place operators do (aliases of ``t`` see it; its dtype stays, by numpy's casting).

    Refused where it would be recorded (grad mode on and either side requiring grad, as
    PyTorch refuses it on a leaf) and on an op's result in a graph, whose value its rules
    read; write ``t = t + other`` there, a new node."""
    value = other.data if isinstance(other, Node) else other
    made_by = getattr(t._op, "name", None)
    if made_by or (grad_mode.enabled and (t.requires_grad or getattr(other, "requires_grad", 0))):
        why = f"is the result of op {made_by!r}" if made_by else "requires grad"
        raise RuntimeError(
            f"t {symbol} x changes t in place, but t (shape {t.shape}) {why}: the graph would "
            f"lose the value its gradients read. Write t = t {symbol[:-1]} x, a new node; or, "
            "to update a parameter, do it under al.no_grad(), as an optimizer step does"
        )
    data = writable(t)
    try:
        ufunc(data, value, out=data)
    except (ValueError, TypeError) as exc:
        raise op_error(symbol, [data, value], exc) from None
    return t


def stale_input_error(op_name: str, inputs: Any, i: int, array: np.ndarray) -> RuntimeError:
    """The error for a backward through a node whose input ``i``'s saved ``array`` (or the
    array it views) a writer replaced."""
    x = inputs[i]
    what = f"tensor {x.name!r}" if getattr(x, "name", None) else "a tensor"
    viewed = " or the array it views" if np.shape(array) != np.shape(data_of(x)) else ""
    return RuntimeError(
        f"backward through op {op_name!r}: its input {i} ({what} of shape "
        f"{np.shape(data_of(x))}{viewed}) "
        "was changed in place (by an optimizer step or load_state_dict) after this graph "
        "was built, so its gradient would be wrong; call backward() before changing the "
        "parameters, or run the forward pass again"
    )


def frozen_attrs(attrs: dict[str, Any]) -> dict[str, Any]:
    """``attrs`` with each array, list or tuple of them replaced by a read-only copy; ``attrs``
    itself when it holds none (numbers, tuples of ints: the common case, no copy)."""
    for v in attrs.values():
        kind = type(v)
        if kind is np.ndarray or kind is list or (kind is tuple and any(_mutable(e) for e in v)):
            return {k: _frozen(v) for k, v in attrs.items()}
    return attrs


def _mutable(value: Any) -> bool:
    return type(value) is np.ndarray or type(value) is list


def _frozen(value: Any) -> Any:
    """A read-only copy of an array; lists and tuples copied element by element."""
    if type(value) is np.ndarray:
        copy = value.copy()
        copy.flags.writeable = False
        return copy
    if type(value) is list or type(value) is tuple:
        return type(value)(_frozen(e) for e in value)
    return value
