"""One call of a transform (functional.py): the arguments made inputs, f run, gradients
pulled back; and whether the call is part of a graph, so that its backward is recorded and
its results are Tensors, never constants cut from that graph."""

from __future__ import annotations

import contextlib
import operator
import threading
import weakref
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import numpy as np

from .engine import reverse_pass, reverse_topological_order
from .node import Node
from .switches import enable_grad, grad_mode
from .tensor import Tensor

Argnums = int | Sequence[int]


class _Depth(threading.local):
    """How many transforms are running in this thread: above 0, transforms record."""

    value = 0


_depth = _Depth()
# The leaves transforms made of their arguments (a recorded one's are read by the transforms
# run over its pullback, as in jvp): none is a tensor of the user's that f closes over.
# (by id: a WeakSet would compare Tensors with ==, which gives arrays)
_made_here: weakref.WeakValueDictionary[int, Tensor] = weakref.WeakValueDictionary()


class Transform:
    """One call of a transform: wraps the arguments as inputs, runs f, pulls gradients back.

    Outside other transforms, given plain values, the arguments become fresh leaves and the
    results are numpy arrays. Inside one, given a Tensor that requires grad, or running an f
    that closes over one, the backward pass is recorded (and keeps the graph it runs
    through) and the results are Tensors; ``record`` asks for that too (jvp's pullback).
    """

    def __init__(self, args: Sequence[Any], argnums: Argnums, record: bool = False) -> None:
        self.argnums = as_tuple(argnums)
        for i in self.argnums:
            if not -len(args) <= i < len(args):
                raise ValueError(f"argnums {i} is out of range for {len(args)} argument(s)")
        self.argnums = tuple(i % len(args) for i in self.argnums)
        if len(set(self.argnums)) < len(self.argnums):
            raise ValueError(f"argnums {argnums} names an argument twice; name each once")
        self.as_tuple = not is_one(argnums)
        given_a_graph = any(in_a_graph(args[i]) for i in self.argnums)
        # in a graph: inside another transform, or given (or, see run, closing over) a tensor
        # that requires grad; then the backward is recorded and the results are Tensors
        self.in_a_graph = (_depth.value > 0 or given_a_graph) and grad_mode.enabled
        self.nested = self.in_a_graph or record
        self.args = [self._as_input(a) if i in self.argnums else a for i, a in enumerate(args)]

    def _as_input(self, a: Any) -> Tensor:
        if self.in_a_graph and isinstance(a, Tensor) and a.requires_grad:
            return a + 0.0  # a node of its own: other uses of a are not differentiated
        leaf = Tensor(a.data if isinstance(a, Tensor) else a, requires_grad=True)
        _made_here[id(leaf)] = leaf
        return leaf

    def __enter__(self) -> Transform:
        _depth.value += 1
        return self

    def __exit__(self, *exc: object) -> None:
        _depth.value -= 1

    def run(self, f: Callable[..., Any]) -> Tensor:
        with enable_grad():  # a transform differentiates even inside no_grad, as torch.func
            out = f(*self.args)
        if isinstance(out, (tuple, list)):
            raise TypeError(
                f"{name_of(f)} returned a {type(out).__name__} of {len(out)}; the transforms "
                "differentiate a function of one output: join the outputs (al.concatenate of "
                "their reshape(-1)), or transform one function per output"
            )
        if not isinstance(out, Tensor):
            raise TypeError(
                f"{name_of(f)} returned a {type(out).__name__}, not a Tensor: its gradient cannot "
                "be traced (a value read with .item(), .data or float() is cut from the graph); "
                "return the Tensor itself"
            )
        if not self.in_a_graph and grad_mode.enabled and self._reaches_other_leaves(out):
            self.in_a_graph = self.nested = True  # f closes over tensors that require grad
        return out

    def _reaches_other_leaves(self, out: Tensor) -> bool:
        """Whether ``out`` depends on a leaf that requires grad which no transform made: a
        tensor f closes over, whose gradient the result must carry (and whose graph a plain
        backward would release under its owner)."""
        if not out.requires_grad:
            return False
        order, _ = reverse_topological_order([out])
        return any(t.op is None and _made_here.get(id(t)) is not t for t in order)

    def gradients(self, out: Tensor, seed: Any, retain_graph: bool = False) -> dict[Node, Any]:
        if not out.requires_grad:
            return {}
        return reverse_pass(
            [out], [seed], retain_graph=retain_graph or self.nested, create_graph=self.nested
        )

    def pick(self, grads: dict[Node, Any], always_tuple: bool = False) -> Any:
        picked = []
        for i in self.argnums:
            x = self.args[i]
            g = grads.get(x)
            if g is None:
                g = np.zeros_like(x.data)
            if not self.nested and isinstance(g, Tensor):
                g = g.data
            elif self.nested and not isinstance(g, Tensor):
                g = Tensor(g)  # a constant (a linear f's), still a Tensor for what comes next
            picked.append(g)
        return tuple(picked) if always_tuple or self.as_tuple else picked[0]

    def result(self, out: Tensor) -> Any:
        return out if self.nested else out.data


@contextlib.contextmanager
def nested() -> Iterator[None]:
    """Inside this block transforms record their backward, as inside another transform."""
    _depth.value += 1
    try:
        yield
    finally:
        _depth.value -= 1


def in_a_graph(a: Any) -> bool:
    """A Tensor that requires grad, while grad mode is on."""
    return isinstance(a, Tensor) and a.requires_grad and grad_mode.enabled


def ones(out: Tensor, nested: bool) -> Any:
    ones = np.ones(out.shape, dtype=out.dtype)
    return Tensor(ones) if nested else ones


def constant(value: Any, like: Any) -> Any:
    data = value.data if isinstance(value, Tensor) else np.asarray(value)
    return data.astype(np.result_type(data, like.dtype, np.float64))


def stack_rows(rows: list[Any], out_shape: tuple[int, ...], arg: Any) -> Any:
    in_shape = np.shape(arg.data if isinstance(arg, Tensor) else arg)
    if any(isinstance(r, Tensor) for r in rows):
        from .ops import stack

        return stack(*rows, axis=0).reshape(out_shape + in_shape)
    if not rows:  # an empty output: an empty Jacobian
        return np.zeros(out_shape + in_shape, np.result_type(arg, np.float64))
    return np.stack(rows).reshape(out_shape + in_shape)


def is_one(argnums: Argnums) -> bool:
    """One argnum (an int, numpy's too), not a sequence of them."""
    return hasattr(argnums, "__index__")


def as_tuple(argnums: Argnums) -> tuple[int, ...]:
    if is_one(argnums):
        return (operator.index(argnums),)  # type: ignore[arg-type]
    return tuple(operator.index(i) for i in argnums)  # type: ignore[union-attr]


def name_of(f: Callable[..., Any]) -> str:
    return getattr(f, "__name__", repr(f))
