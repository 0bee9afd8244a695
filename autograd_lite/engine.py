"""The reverse pass: grad mode, topological order, and backward.

``backward`` walks the recorded graph from an output in reverse topological order (found
with an explicit stack, never recursion), calls each op's VJP rule for the inputs that
need a gradient, sums each gradient back to its input's shape, and accumulates. Pending
gradients wait in a dict keyed by tensor and are popped when their tensor is reached.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

import numpy as np

F = TypeVar("F", bound=Callable[..., Any])


class _GradMode(threading.local):
    """Whether ops record the graph; each thread has its own switch, on by default."""

    enabled = True


grad_mode = _GradMode()


class _SetGradMode:
    """Context manager and decorator that sets grad mode for its block, then restores it."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.previous: list[bool] = []

    def __enter__(self) -> None:
        self.previous.append(grad_mode.enabled)
        grad_mode.enabled = self.enabled

    def __exit__(self, *exc: object) -> None:
        grad_mode.enabled = self.previous.pop()

    def __call__(self, func: F) -> F:
        import functools

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with type(self)(self.enabled):
                return func(*args, **kwargs)

        return wrapper  # type: ignore[return-value]


def no_grad() -> _SetGradMode:
    """Turn recording off in this thread, as a ``with`` block or a decorator.

    >>> import autograd_lite as al
    >>> w = al.tensor([1.0], requires_grad=True)
    >>> with al.no_grad():
    ...     y = w * 2
    >>> y.requires_grad
    False
    """
    return _SetGradMode(False)


def enable_grad() -> _SetGradMode:
    """Turn recording back on in this thread (inside a ``no_grad`` block, say)."""
    return _SetGradMode(True)


def is_grad_enabled() -> bool:
    """Whether ops record the graph in this thread."""
    return grad_mode.enabled


def topological_order(roots: Iterable[Tensor]) -> list[Tensor]:
    """The tensors that require grad and that ``roots`` depend on, each after its inputs.

    Iterative depth-first search: an explicit stack, so a chain of a million ops is fine.
    """
    order: list[Tensor] = []
    visited: set[Tensor] = set()
    stack: list[tuple[Tensor, bool]] = [(r, False) for r in roots]
    while stack:
        t, inputs_done = stack.pop()
        if inputs_done:
            order.append(t)
            continue
        if t in visited:
            continue
        visited.add(t)
        stack.append((t, True))
        for x in t._inputs:
            if isinstance(x, Tensor) and x.requires_grad and x not in visited:
                stack.append((x, False))
    return order


def backward(
    output: Tensor,
    grad: Any = None,
    *,
    retain_graph: bool = False,
    create_graph: bool = False,
) -> None:
    """Accumulate the gradient of ``output`` into ``.grad`` of every tensor it depends on."""
    seed = _seed(output, grad, create_graph)
    grads = run_backward(
        [output], [seed], retain_graph=retain_graph or create_graph, create_graph=create_graph
    )
    for t, g in grads.items():
        t.grad = g if t.grad is None else t.grad + g


def run_backward(
    outputs: Sequence[Tensor],
    seeds: Sequence[Any],
    *,
    retain_graph: bool = False,
    create_graph: bool = False,
) -> dict[Tensor, Any]:
    """The reverse pass: a dict from each tensor reached to the gradient it received.

    With ``create_graph`` the rules run on Tensors and are recorded, so the gradients are
    Tensors that can be differentiated again; otherwise the rules run on plain arrays.
    """
    pending: dict[Tensor, Any] = {}
    for out, seed in zip(outputs, seeds, strict=True):
        pending[out] = pending[out] + seed if out in pending else seed
    reached: dict[Tensor, Any] = {}
    if create_graph:
        with enable_grad():
            _reverse_pass(outputs, pending, reached, retain_graph, create_graph=True)
    else:
        _reverse_pass(outputs, pending, reached, retain_graph, create_graph=False)
    return reached


def _reverse_pass(
    outputs: Sequence[Tensor],
    pending: dict[Tensor, Any],
    reached: dict[Tensor, Any],
    retain_graph: bool,
    create_graph: bool,
) -> None:
    for t in reversed(topological_order(outputs)):
        g = pending.pop(t)
        reached[t] = g
        op = t._op
        if op is None:
            continue
        if t._released:
            raise RuntimeError(
                f"backward through op {op.name!r} (output shape {t.shape}) a second time: "
                "its saved values were released by the first backward(); call "
                "backward(retain_graph=True) the first time to differentiate again"
            )
        inputs = t._inputs
        attrs = t._attrs
        if create_graph:
            args: Sequence[Any] = inputs
            out: Any = t
        else:
            args = [x.data if isinstance(x, Tensor) else x for x in inputs]
            out = t.data
        for i, x in enumerate(inputs):
            if not (isinstance(x, Tensor) and x.requires_grad):
                continue
            rule = op.rule_for(i)
            if op.variadic:
                gx = rule(g, out, *args, argnum=i, **attrs)
            else:
                gx = rule(g, out, *args, **attrs)
            if not create_graph and type(gx) is not np.ndarray:
                gx = np.asarray(gx)
            gx = unbroadcast(gx, x.shape, op.name, i)
            if gx.dtype != x.data.dtype:
                gx = gx.astype(x.data.dtype)
            if x._op is None and not create_graph and (gx is g or gx.base is not None):
                gx = gx.copy()  # a leaf's .grad must not share memory with another gradient
            previous = pending.get(x)
            pending[x] = gx if previous is None else previous + gx
        if not retain_graph:
            t._released = True


def unbroadcast(g: Any, shape: tuple[int, ...], op_name: str = "?", argnum: int = 0) -> Any:
    """Sum ``g`` back to ``shape``: the leading axes and the axes that broadcasting stretched.

    Raises when ``g`` cannot have come from broadcasting ``shape``: a rule returned a
    gradient of the wrong shape.
    """
    g_shape = g.shape
    if g_shape == shape:
        return g
    lead = len(g_shape) - len(shape)
    if lead < 0 or any(n != 1 and n != m for n, m in zip(shape, g_shape[lead:], strict=True)):
        raise RuntimeError(
            f"the gradient rule of op {op_name!r} returned shape {g_shape} for input "
            f"{argnum} of shape {shape}; a rule must return the input's shape or a shape "
            "it broadcasts to"
        )
    if lead:
        g = g.sum(axis=tuple(range(lead)))
    stretched = tuple(i for i, n in enumerate(shape) if n == 1 and g.shape[i] != 1)
    if stretched:
        g = g.sum(axis=stretched, keepdims=True)
    return g


def _seed(output: Tensor, grad: Any, create_graph: bool) -> Any:
    """The gradient the reverse pass starts from: ones for a one-element output."""
    if not output.requires_grad:
        raise RuntimeError(
            "backward() on a tensor that does not require grad: no input of the expression "
            "has requires_grad=True (or it was computed under no_grad())"
        )
    if grad is None:
        if output.size != 1:
            raise ValueError(
                f"backward() without a gradient needs a one-element output, but the output "
                f"has shape {output.shape}; pass grad= of that shape, or reduce it first "
                "(for example output.sum().backward())"
            )
        seed: Any = np.ones_like(output.data)
    else:
        seed = grad.data if isinstance(grad, Tensor) and not create_graph else grad
        if not isinstance(seed, Tensor):
            seed = np.array(seed, dtype=output.dtype)
        if seed.shape != output.shape:
            raise ValueError(
                f"backward(): grad has shape {seed.shape} but the output has shape "
                f"{output.shape}; they must be equal"
            )
    if create_graph and not isinstance(seed, Tensor):
        seed = Tensor(seed)
    return seed


from .tensor import Tensor  # noqa: E402  (tensor.py imports this module first)
