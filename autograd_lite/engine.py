"""The reverse pass: grad mode, and backward in reverse topological order.

``backward`` counts, for every tensor of the recorded graph, how many ops consume it
(an explicit stack, never recursion), then walks from the output: a tensor is processed
once all its consumers have sent their gradients (Kahn's algorithm). Processing calls the
op's VJP rule for each input that needs a gradient, sums that gradient back to the input's
shape, and adds it to the input's pending gradient. Pending gradients wait in a dict keyed
by tensor and are popped when their tensor is processed.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar, overload

import numpy as np

F = TypeVar("F", bound=Callable[..., Any])


class _GradMode(threading.local):
    """Whether ops record the graph (on by default) and whether anomaly detection is on
    (off by default); each thread has its own switches."""

    enabled = True
    anomaly = False


grad_mode = _GradMode()

RELEASED = object()  # marks a node whose saved values a backward has freed


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

        enabled = self.enabled

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with _SetGradMode(enabled):
                return func(*args, **kwargs)

        return wrapper  # type: ignore[return-value]


@overload
def no_grad(func: None = None) -> _SetGradMode: ...
@overload
def no_grad(func: F) -> F: ...
def no_grad(func: F | None = None) -> _SetGradMode | F:
    """Turn recording off in this thread, as a ``with`` block or a decorator (``@no_grad``
    or ``@no_grad()``, as PyTorch allows both).

    >>> import autograd_lite as al
    >>> w = al.tensor([1.0], requires_grad=True)
    >>> with al.no_grad():
    ...     y = w * 2
    >>> y.requires_grad
    False
    """
    return _SetGradMode(False) if func is None else _SetGradMode(False)(func)


@overload
def enable_grad(func: None = None) -> _SetGradMode: ...
@overload
def enable_grad(func: F) -> F: ...
def enable_grad(func: F | None = None) -> _SetGradMode | F:
    """Turn recording back on in this thread (inside a ``no_grad`` block, say); a ``with``
    block or a decorator, with or without parentheses."""
    return _SetGradMode(True) if func is None else _SetGradMode(True)(func)


class set_grad_enabled:  # noqa: N801  (PyTorch's name)
    """Set recording on or off in this thread, as PyTorch's ``set_grad_enabled``: at once when
    called, and as a ``with`` block or a decorator, which restore the mode afterwards.

    >>> import autograd_lite as al
    >>> with al.set_grad_enabled(False):
    ...     al.is_grad_enabled()
    False
    >>> al.is_grad_enabled()
    True
    """

    def __init__(self, mode: bool) -> None:
        if not isinstance(mode, (bool, np.bool_)):
            raise TypeError(
                f"set_grad_enabled(mode): mode must be True or False, got {type(mode).__name__}"
            )
        self.enabled = bool(mode)
        self.previous = grad_mode.enabled
        grad_mode.enabled = self.enabled

    def __enter__(self) -> None:
        grad_mode.enabled = self.enabled

    def __exit__(self, *exc: object) -> None:
        grad_mode.enabled = self.previous

    def __call__(self, func: F) -> F:
        grad_mode.enabled = self.previous  # as a decorator it changes nothing until called
        return _SetGradMode(self.enabled)(func)


def is_grad_enabled() -> bool:
    """Whether ops record the graph in this thread."""
    return grad_mode.enabled


def count_consumers(outputs: Iterable[Tensor]) -> dict[Tensor, int]:
    """For every tensor that requires grad and that ``outputs`` depend on (outputs included),
    the number of times it is an input of another such tensor.

    An explicit stack, never recursion, so a chain of a million ops is fine.
    """
    counts: dict[Tensor, int] = {}
    stack = []
    for out in outputs:
        if out not in counts:
            counts[out] = 0
            stack.append(out)
    while stack:
        t = stack.pop()
        for x in t._inputs:
            if isinstance(x, Tensor) and x.requires_grad:
                n = counts.get(x)
                if n is None:
                    counts[x] = 1
                    stack.append(x)
                else:
                    counts[x] = n + 1
    return counts


def backward(
    output: Tensor,
    grad: Any = None,
    *,
    retain_graph: bool = False,
    create_graph: bool = False,
    trace: Any = None,
) -> None:
    """Accumulate the gradient of ``output`` into ``.grad`` of every tensor it depends on;
    record the pass step by step into ``trace`` (a BackwardTrace) when one is given."""
    seed = _seed(output, grad, create_graph)
    reverse_pass(
        [output],
        [seed],
        retain_graph=retain_graph or create_graph,
        create_graph=create_graph,
        into_grad=True,
        trace=trace,
    )


def reverse_pass(
    outputs: Sequence[Tensor],
    seeds: Sequence[Any],
    *,
    retain_graph: bool = False,
    create_graph: bool = False,
    into_grad: bool = False,
    trace: Any = None,
) -> dict[Tensor, Any]:
    """The reverse pass from ``outputs``, seeded with ``seeds``.

    Each tensor reached receives the sum of the gradients flowing into it: accumulated
    into its ``.grad`` when ``into_grad``, else returned in a dict keyed by tensor. With
    ``create_graph`` the rules run on Tensors and are recorded, so the gradients can be
    differentiated again; otherwise the rules run on plain arrays.
    """
    pending: dict[Tensor, Any] = {}
    for out, seed in zip(outputs, seeds, strict=True):
        pending[out] = pending[out] + seed if out in pending else seed
    if create_graph:
        with enable_grad():
            return _run(pending, retain_graph, True, into_grad, trace)
    return _run(pending, retain_graph, False, into_grad, trace)


def _run(
    pending: dict[Tensor, Any],
    retain_graph: bool,
    create_graph: bool,
    into_grad: bool,
    trace: Any,
) -> dict[Tensor, Any]:
    """Kahn's algorithm: a tensor is processed once every consumer has sent its gradient."""
    waiting = count_consumers(pending)
    ready = [t for t, n in waiting.items() if n == 0]
    reached: dict[Tensor, Any] = {}
    ndarray = np.ndarray
    detect = grad_mode.anomaly
    while ready:
        t = ready.pop()
        g = pending.pop(t)
        if trace is not None:
            trace.step(t, g)
        if into_grad:
            t.grad = g if t.grad is None else _accumulate(t.grad, g)
        else:
            reached[t] = g
        op = t._op
        if op is None:
            continue
        saved = t._saved
        if saved is RELEASED:
            raise RuntimeError(
                f"backward through op {op.name!r} (output shape {t.shape}) a second time: "
                "its saved values were released by the first backward(); call "
                "backward(retain_graph=True) the first time to differentiate again"
            )
        hold = t._hold
        if hold is not None:
            replaced = hold.replaced()
            if replaced is not None:
                raise stale_input_error(op.name, t._inputs, saved, replaced)
        kwargs = t._attrs
        if create_graph:  # rules run on Tensors, so that they are recorded
            args: Sequence[Any] = t._inputs
            out: Any = t
            if op.saves:
                kwargs = {**kwargs, "saved": None}
        else:
            args = saved
            out = t.data
            if op.saves:
                args = saved[:-1]
                kwargs = {**kwargs, "saved": saved[-1]}
        rules = op.rules
        for i, x in enumerate(t._inputs):
            if not (isinstance(x, Tensor) and x.requires_grad):
                continue
            rule = rules.get(i) or op.rule_for(i)
            if op.variadic:
                gx = rule(g, out, *args, argnum=i, **kwargs)
            else:
                gx = rule(g, out, *args, **kwargs)
            if detect:
                anomaly.check_gradient(op.name, t, i, gx, g, args)
            data = x.data
            if create_graph:
                if gx.shape != data.shape:
                    gx = unbroadcast(gx, data.shape, op.name, i)
                if gx.dtype != data.dtype:
                    gx = gx.astype(data.dtype)
            else:
                if type(gx) is not ndarray:
                    gx = np.asarray(gx)
                if gx.shape != data.shape:
                    gx = unbroadcast(gx, data.shape, op.name, i)
                if gx.dtype is not data.dtype:
                    gx = gx.astype(data.dtype, copy=False)
                if x._op is None and (gx is g or gx.base is not None):
                    gx = gx.copy()  # a leaf's .grad must not share memory with another gradient
            if trace is not None:
                trace.sent(i, x, rule, gx)
            previous = pending.get(x)
            if previous is None:
                pending[x] = gx
            else:
                if trace is not None:
                    trace.accumulated(x, previous, gx)
                pending[x] = _accumulate(previous, gx)
            n = waiting[x] - 1
            waiting[x] = n
            if n == 0:
                ready.append(x)
        if not retain_graph:
            t._saved = RELEASED  # after its rules ran: a rule that raised leaves it usable
            t._hold = None  # its leaves' and constants' arrays may be written again
    return reached


def _accumulate(total: Any, g: Any) -> Any:
    """``total + g``, out of place (a rule may hand back an array it also gave elsewhere);
    an array stays an array even when it has no dimensions."""
    total = total + g
    return np.asarray(total) if isinstance(total, np.generic) else total


def unbroadcast(g: Any, shape: tuple[int, ...], op_name: str = "?", argnum: int = 0) -> Any:
    """Sum ``g`` back to ``shape``: the leading axes and the axes that broadcasting stretched.

    Raises when ``g`` cannot have come from broadcasting ``shape``: a rule returned a
    gradient of the wrong shape.
    """
    if g.shape == shape:
        return g
    returned = g.shape
    lead = g.ndim - len(shape)
    # np.add.reduce is ndarray.sum without its Python wrapper; a Tensor sums as an op.
    total = np.add.reduce if type(g) is np.ndarray else type(g).sum
    if lead > 0:
        g = total(g, axis=tuple(range(lead)))
    if lead >= 0 and g.shape != shape:
        stretched = tuple(i for i, n in enumerate(shape) if n == 1 and g.shape[i] != 1)
        g = total(g, axis=stretched, keepdims=True)
    if g.shape != shape:
        raise RuntimeError(
            f"the gradient rule of op {op_name!r} returned shape {returned} for input "
            f"{argnum} of shape {shape}; a rule must return the input's shape or a shape "
            "it broadcasts to"
        )
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
        seed: Any = np.ones(output.shape, output.dtype)
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


from . import anomaly  # noqa: E402  (these import this module first)
from .inplace import stale_input_error  # noqa: E402
from .tensor import Tensor  # noqa: E402
