"""Function transforms: grad, value_and_grad, vjp, jvp, jacobian and hessian.

Each transform takes a function of arrays (or Tensors) and returns a function. Given plain
values, it runs a plain backward and returns numpy arrays. Given a Tensor that requires
grad (inside another transform, or a tensor of the user's graph), or given a function that
closes over one, it records its backward pass, so its result is a Tensor that can be
differentiated again, never a constant cut from the graph: ``grad(grad(f))`` is the second
derivative, ``jacobian(grad(f))`` the Hessian (see transform_call.py). f must return a
Tensor: a number read off one with ``.item()`` or ``.data`` has no gradient to trace.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from .node import data_of
from .tensor import Tensor
from .transform_call import (
    Argnums,
    Transform,
    as_tuple,
    constant,
    in_a_graph,
    is_one,
    name_of,
    nested,
    ones,
    stack_rows,
)


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
        with Transform(args, argnums) as call:
            out = call.run(f)
            if out.size != 1:
                raise ValueError(
                    f"grad needs a function with a one-element output, but {name_of(f)} returned "
                    f"shape {out.shape}; use jacobian or vjp for other outputs"
                )
            grads = call.gradients(out, ones(out, call.nested))
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
    call, out, vjp_fn = _pullback(f, args, argnums)
    return call.result(out), vjp_fn


def _pullback(
    f: Callable[..., Any], args: Sequence[Any], argnums: Argnums, record: bool = False
) -> tuple[Transform, Tensor, Callable[[Any], tuple[Any, ...]]]:
    """The transform that ran f at ``args``, f's output, and the function mapping a cotangent
    to its VJP for each argument in ``argnums`` (recorded when ``record``, as jvp needs)."""
    call = Transform(args, argnums, record)
    with call:
        out = call.run(f)

    def vjp_fn(cotangent: Any) -> tuple[Any, ...]:
        with call:
            seed = cotangent if isinstance(cotangent, Tensor) else constant(cotangent, out)
            if seed.shape != out.shape:
                raise ValueError(
                    f"vjp: cotangent of shape {seed.shape} for an output of shape {out.shape}"
                )
            return call.pick(call.gradients(out, seed, retain_graph=True), always_tuple=True)

    return call, out, vjp_fn


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
    for i, (p, t) in enumerate(zip(primals, tangents, strict=True)):
        if np.shape(data_of(t)) != np.shape(data_of(p)):
            raise ValueError(
                f"jvp: tangent {i} has shape {np.shape(data_of(t))} but its primal has shape "
                f"{np.shape(data_of(p))}; they must be equal"
            )
    # f runs once, recorded, so that its pullback can be differentiated in the cotangent u
    call, out, vjp_fn = _pullback(f, primals, tuple(range(len(primals))), record=True)

    def pullback_dot_tangents(u: Tensor) -> Any:
        total: Any = 0.0
        for g, t in zip(vjp_fn(u), tangents, strict=True):
            # a Tensor tangent stays one, so the result is differentiable in the tangents too
            total = total + (g * (t if isinstance(t, Tensor) else constant(t, g))).sum()
        return total

    zeros = np.zeros_like(out.data, dtype=np.result_type(out.data, np.float32))
    if call.in_a_graph or any(in_a_graph(t) for t in tangents):
        # given tensors of a graph: the grad over u must record too, or its result is a
        # constant cut from that graph
        with nested():
            return out, grad(pullback_dot_tangents)(zeros)
    return out.data, grad(pullback_dot_tangents)(zeros)


def jacobian(f: Callable[..., Any], argnums: Argnums = 0) -> Callable[..., Any]:
    """The Jacobian of ``f``: shape ``out.shape + in.shape``, one VJP per output element.

    >>> import autograd_lite as al
    >>> al.jacobian(lambda x: x * x)([1.0, 2.0])
    array([[2., 0.],
           [0., 4.]])
    """

    @functools.wraps(f)
    def jacobian_fn(*args: Any) -> Any:
        which = as_tuple(argnums)
        out, vjp_fn = _vjp(f, args, which)
        out_shape = np.shape(out)
        rows: list[tuple[Any, ...]] = []
        for k in range(math.prod(out_shape)):
            basis = np.zeros(math.prod(out_shape))
            basis[k] = 1.0
            rows.append(vjp_fn(basis.reshape(out_shape)))
        jacobians = tuple(
            stack_rows([row[j] for row in rows], out_shape, args[i]) for j, i in enumerate(which)
        )
        return jacobians[0] if is_one(argnums) else jacobians

    return jacobian_fn


def hessian(f: Callable[..., Any], argnums: Argnums = 0) -> Callable[..., Any]:
    """The Hessian of a scalar-valued ``f``: shape ``in.shape + in.shape``.

    >>> import autograd_lite as al
    >>> al.hessian(lambda x: (x ** 3).sum())([1.0, 2.0])
    array([[ 6.,  0.],
           [ 0., 12.]])
    """
    if not is_one(argnums):
        raise TypeError("hessian takes one argnum (an int)")
    return jacobian(grad(f, argnums), argnums)
