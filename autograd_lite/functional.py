"""Function transforms: grad, value_and_grad, vjp, jvp, jacobian and hessian.

Each transform takes a function of arrays (or Tensors) and returns a function. Given plain
values, it runs a plain backward and returns numpy arrays. Given a Tensor that requires
grad (inside another transform, or a tensor of the user's graph), it records its backward
pass, so its result is a Tensor that can be differentiated again, never a constant cut
from the graph: ``grad(grad(f))`` is the second derivative, ``jacobian(grad(f))`` the Hessian.
"""

from __future__ import annotations

import contextlib
import functools
import math
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import numpy as np

from .engine import reverse_pass
from .interop import as_array
from .node import Node, data_of
from .switches import enable_grad, grad_mode
from .tensor import Tensor

Argnums = int | Sequence[int]


class _Depth(threading.local):
    """How many transforms are running in this thread: above 0, transforms record."""

    value = 0


_depth = _Depth()


def grad(f: Callable[..., Any], argnums: Argnums = 0) -> Callable[..., Any]:
    """The gradient of a scalar-valued ``f`` with respect to argument(s) ``argnums``.

    >>> import autograd_lite as al
    >>> al.grad(lambda x: (x * x).sum())([1.0, 2.0])
    array([2., 4.])
    """

    @functools.wraps(f)
    def gradient(*args: Any) -> Any:
        return value_and_grad(f, argnums)(*args)[1]

    return gradient


def value_and_grad(f: Callable[..., Any], argnums: Argnums = 0) -> Callable[..., Any]:
    """``(f(*args), grad(f)(*args))`` from one forward and one backward pass.

    >>> import autograd_lite as al
    >>> al.value_and_grad(lambda x: al.tanh(x))(0.0)
    (array(0.), array(1.))
    """

    @functools.wraps(f)
    def value_and_gradient(*args: Any) -> tuple[Any, Any]:
        with _Transform(args, argnums) as call:
            out = call.run(f)
            if out.size != 1:
                raise ValueError(
                    f"grad needs a function with a one-element output, but {_name(f)} returned "
                    f"shape {out.shape}; use jacobian or vjp for other outputs"
                )
            grads = call.gradients(out, _ones(out, call.nested))
            return call.result(out), call.pick(grads)

    return value_and_gradient


def vjp(f: Callable[..., Any], *primals: Any) -> tuple[Any, Callable[[Any], tuple[Any, ...]]]:
    """``f(*primals)`` and a function mapping a cotangent v to ``v^T J`` for each primal.

    >>> import autograd_lite as al
    >>> out, vjp_fn = al.vjp(lambda x: x * 3, [1.0, 2.0])
    >>> vjp_fn([1.0, 10.0])
    (array([ 3., 30.]),)
    """
    return _vjp(f, primals, tuple(range(len(primals))))


def _vjp(
    f: Callable[..., Any], args: Sequence[Any], argnums: Argnums
) -> tuple[Any, Callable[[Any], tuple[Any, ...]]]:
    call = _Transform(args, argnums)
    with call:
        out = call.run(f)

    def vjp_fn(cotangent: Any) -> tuple[Any, ...]:
        with call:
            seed = cotangent if isinstance(cotangent, Tensor) else _constant(cotangent, out)
            if seed.shape != out.shape:
                raise ValueError(
                    f"vjp: cotangent of shape {seed.shape} for an output of shape {out.shape}"
                )
            return call.pick(call.gradients(out, seed, retain_graph=True), always_tuple=True)

    return call.result(out), vjp_fn


def jvp(f: Callable[..., Any], primals: Sequence[Any], tangents: Sequence[Any]) -> tuple[Any, Any]:
    """``f(*primals)`` and the directional derivative ``J @ tangent`` (forward mode).

    Computed exactly as the transpose of the VJP: u -> J^T u is linear in u, so
    differentiating ``sum(tangent * J^T u)`` with respect to u gives ``J tangent``.

    >>> import autograd_lite as al
    >>> al.jvp(lambda x: x ** 2, [3.0], [1.0])
    (array(9.), array(6.))
    """
    if len(primals) != len(tangents):
        raise ValueError(f"jvp: {len(primals)} primals but {len(tangents)} tangents")

    def pullback_dot_tangents(u: Tensor) -> Any:
        _, vjp_fn = vjp(f, *primals)
        total: Any = 0.0
        for g, t in zip(vjp_fn(u), tangents, strict=True):
            # a Tensor tangent stays one, so the result is differentiable in the tangents too
            total = total + (g * (t if isinstance(t, Tensor) else _constant(t, g))).sum()
        return total

    out = vjp(f, *primals)[0]
    zeros = np.zeros_like(data_of(out), dtype=np.result_type(data_of(out), np.float32))
    if isinstance(out, Tensor) or any(_in_a_graph(t) for t in tangents):
        # given tensors of a graph: the grad over u must record too, or its result is a
        # constant cut from that graph
        with _nested():
            return out, grad(pullback_dot_tangents)(zeros)
    return out, grad(pullback_dot_tangents)(zeros)


def jacobian(f: Callable[..., Any], argnums: Argnums = 0) -> Callable[..., Any]:
    """The Jacobian of ``f``: shape ``out.shape + in.shape``, one VJP per output element.

    >>> import autograd_lite as al
    >>> al.jacobian(lambda x: x * x)([1.0, 2.0])
    array([[2., 0.],
           [0., 4.]])
    """

    @functools.wraps(f)
    def jacobian_fn(*args: Any) -> Any:
        which = _as_tuple(argnums)
        out, vjp_fn = _vjp(f, args, which)
        out_shape = np.shape(out)
        rows: list[tuple[Any, ...]] = []
        for k in range(math.prod(out_shape)):
            basis = np.zeros(math.prod(out_shape))
            basis[k] = 1.0
            rows.append(vjp_fn(basis.reshape(out_shape)))
        jacobians = tuple(
            _stack_rows([row[j] for row in rows], out_shape, args[i]) for j, i in enumerate(which)
        )
        return jacobians if isinstance(argnums, Sequence) else jacobians[0]

    return jacobian_fn


def hessian(f: Callable[..., Any], argnums: Argnums = 0) -> Callable[..., Any]:
    """The Hessian of a scalar-valued ``f``: shape ``in.shape + in.shape``.

    >>> import autograd_lite as al
    >>> al.hessian(lambda x: (x ** 3).sum())([1.0, 2.0])
    array([[ 6.,  0.],
           [ 0., 12.]])
    """
    if not isinstance(argnums, int):
        raise TypeError("hessian takes one argnum (an int)")
    return jacobian(grad(f, argnums), argnums)


class _Transform:
    """One call of a transform: wraps the arguments as inputs, runs f, pulls gradients back.

    Outside other transforms, given plain values, the arguments become fresh leaves and the
    results are numpy arrays. Inside one, or given a Tensor that requires grad, such Tensor
    arguments are used as they are, the backward pass is recorded, and the results are
    Tensors.
    """

    def __init__(self, args: Sequence[Any], argnums: Argnums) -> None:
        self.argnums = _as_tuple(argnums)
        for i in self.argnums:
            if not -len(args) <= i < len(args):
                raise ValueError(f"argnums {i} is out of range for {len(args)} argument(s)")
        self.argnums = tuple(i % len(args) for i in self.argnums)
        if len(set(self.argnums)) < len(self.argnums):
            raise ValueError(f"argnums {argnums} names an argument twice; name each once")
        self.as_tuple = not isinstance(argnums, int)
        given_a_graph = any(_in_a_graph(args[i]) for i in self.argnums)
        self.nested = (_depth.value > 0 or given_a_graph) and grad_mode.enabled
        self.args = [self._as_input(a) if i in self.argnums else a for i, a in enumerate(args)]

    def _as_input(self, a: Any) -> Tensor:
        if self.nested and isinstance(a, Tensor) and a.requires_grad:
            return a + 0.0  # a node of its own: other uses of a are not differentiated
        return Tensor(a.data if isinstance(a, Tensor) else a, requires_grad=True)

    def __enter__(self) -> _Transform:
        _depth.value += 1
        return self

    def __exit__(self, *exc: object) -> None:
        _depth.value -= 1

    def run(self, f: Callable[..., Any]) -> Tensor:
        with enable_grad():  # a transform differentiates even inside no_grad, as torch.func
            out = f(*self.args)
        if isinstance(out, (tuple, list)):
            raise TypeError(
                f"{_name(f)} returned a {type(out).__name__} of {len(out)}; the transforms "
                "differentiate a function of one output: join the outputs (al.concatenate of "
                "their reshape(-1)), or transform one function per output"
            )
        return out if isinstance(out, Tensor) else Tensor(as_array(out))

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
            picked.append(g)
        return tuple(picked) if always_tuple or self.as_tuple else picked[0]

    def result(self, out: Tensor) -> Any:
        return out if self.nested else out.data


@contextlib.contextmanager
def _nested() -> Iterator[None]:
    """Inside this block transforms record their backward, as inside another transform."""
    _depth.value += 1
    try:
        yield
    finally:
        _depth.value -= 1


def _in_a_graph(a: Any) -> bool:
    """A Tensor that requires grad, while grad mode is on."""
    return isinstance(a, Tensor) and a.requires_grad and grad_mode.enabled


def _ones(out: Tensor, nested: bool) -> Any:
    ones = np.ones(out.shape, dtype=out.dtype)
    return Tensor(ones) if nested else ones


def _constant(value: Any, like: Any) -> Any:
    data = value.data if isinstance(value, Tensor) else np.asarray(value)
    return data.astype(np.result_type(data, like.dtype, np.float64))


def _stack_rows(rows: list[Any], out_shape: tuple[int, ...], arg: Any) -> Any:
    in_shape = np.shape(arg.data if isinstance(arg, Tensor) else arg)
    if any(isinstance(r, Tensor) for r in rows):
        from .ops import stack

        return stack(*rows, axis=0).reshape(out_shape + in_shape)
    if not rows:  # an empty output: an empty Jacobian
        return np.zeros(out_shape + in_shape, np.result_type(arg, np.float64))
    return np.stack(rows).reshape(out_shape + in_shape)


def _as_tuple(argnums: Argnums) -> tuple[int, ...]:
    return (argnums,) if isinstance(argnums, int) else tuple(argnums)


def _name(f: Callable[..., Any]) -> str:
    return getattr(f, "__name__", repr(f))
