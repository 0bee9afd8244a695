"""The reverse pass: backward in reverse topological order.

``backward`` visits every node that requires grad below the output in reverse topological
order, latest made first (a node is made after its inputs, and ``Node._seq`` says when), so
a node is processed once all its consumers have sent their gradients. Processing calls the
op's VJP rule for each input that needs a gradient (``Op.call_rule``), makes the result fit
that input (``fit``: shape, dtype, no aliasing), and adds it to the input's pending
gradient. Pending gradients wait in a dict keyed by tensor and are popped when
their tensor is processed. Observers (switches.py) see each step; with none, nothing runs.
"""

from __future__ import annotations

import heapq
import threading
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from .inplace import stale_input_error
from .node import Node
from .switches import enable_grad, grad_mode

RELEASED = object()  # marks a node whose saved values a backward has freed
_grad_lock = threading.Lock()  # guards the read-add-write of a tensor's .grad


def reverse_topological_order(
    outputs: Iterable[Node], *, only_requiring_grad: bool = True
) -> tuple[list[Node], dict[Node, int]]:
    """The nodes ``outputs`` depend on (outputs included), each after every node that consumes
    it, nearest the outputs first; and how many op inputs each one feeds (its uses).

    The walk the pictures and JSON use: Kahn's algorithm, which places each op's inputs in
    argument order, as a picture lays them out. (backward walks nothing first: it takes the
    latest-made node with a pending gradient, see ``_run``.) By default it follows only
    nodes that require grad. Explicit stack and queue, never recursion: a chain of a
    million ops is fine.
    """
    uses: dict[Node, int] = {}
    stack = []
    for out in outputs:
        if out not in uses:
            uses[out] = 0
            stack.append(out)
    while stack:  # count each node's uses
        t = stack.pop()
        for x in t._inputs:
            if isinstance(x, Node) and (x.requires_grad or not only_requiring_grad):
                n = uses.get(x)
                uses[x] = 1 if n is None else n + 1
                if n is None:
                    stack.append(x)
    waiting = dict(uses)
    order = [t for t, n in uses.items() if n == 0]
    for t in order:  # Kahn's algorithm; the list grows as nodes become ready (a queue)
        for x in t._inputs:
            n = waiting.get(x) if isinstance(x, Node) else None  # None: a node not followed
            if n is not None:
                waiting[x] = n - 1
                if n == 1:  # its last consumer is placed
                    order.append(x)
    return order, uses


def backward(
    output: Node,
    grad: Any = None,
    *,
    retain_graph: bool = False,
    create_graph: bool = False,
    retain_grads: bool = False,
) -> None:
    """Accumulate the gradient of ``output`` into ``.grad`` of every leaf it depends on, and
    of the tensors that asked to keep theirs (``retain_grad()``, or all with ``retain_grads``)."""
    seed = _seed(output, grad, create_graph)
    reverse_pass(
        [output],
        [seed],
        retain_graph=retain_graph or create_graph,
        create_graph=create_graph,
        store_in_grad="all" if retain_grads else "leaves",
    )


def reverse_pass(
    outputs: Sequence[Node],
    seeds: Sequence[Any],
    *,
    retain_graph: bool = False,
    create_graph: bool = False,
    store_in_grad: str | None = None,
) -> dict[Node, Any]:
    """The reverse pass from ``outputs``, seeded with ``seeds``.

    Each tensor reached receives the sum of the gradients flowing into it: returned in a
    dict keyed by tensor, or, with ``store_in_grad``, accumulated into ``.grad`` ("leaves":
    of leaves and of tensors that called ``retain_grad()``; "all": of every tensor). With
    ``create_graph`` the rules run on Tensors and are recorded, so the gradients can be
    differentiated again; otherwise the rules run on plain arrays.
    """
    pending: dict[Node, Any] = {}
    for out, seed in zip(outputs, seeds, strict=True):
        pending[out] = pending[out] + seed if out in pending else seed
    if create_graph:
        with enable_grad():
            return _run(pending, retain_graph, True, store_in_grad)
    return _run(pending, retain_graph, False, store_in_grad)


def _run(
    pending: dict[Node, Any],
    retain_graph: bool,
    create_graph: bool,
    store_in_grad: str | None,
) -> dict[Node, Any]:
    """Each node in reverse topological order: its whole gradient has arrived from its
    consumers, so its rules run once and send their gradients on to its inputs."""
    gradients: dict[Node, Any] = {}
    observers = grad_mode.observers
    # Latest made first: a node's consumers were all made after it, so by the time it is
    # popped they have all sent their gradients. A node joins when its first one arrives.
    ready = [(-t._seq, t) for t in pending]
    heapq.heapify(ready)
    while ready:
        t = heapq.heappop(ready)[1]
        g = pending.pop(t)
        if observers:
            for observer in observers:
                observer.node_reached(t, g)
        op = t._op
        if store_in_grad is None:
            gradients[t] = g
        elif op is None or t._retains_grad or store_in_grad == "all":
            with _grad_lock:  # two threads' passes may meet in one leaf, as torch's lock
                t.grad = g if t.grad is None else _accumulate(t.grad, g)
        if op is None:
            continue
        out, args, extra = _rule_arguments(t, create_graph)
        for i, x in enumerate(t._inputs):
            if not (isinstance(x, Node) and x.requires_grad):
                continue
            gx = fit(op.call_rule(i, g, out, args, t._attrs, extra), x, op.name, i, g)
            previous = pending.get(x)
            if observers:
                _report_sent(observers, t, i, x, gx, g, args, previous)
            if previous is None:
                pending[x] = gx
                heapq.heappush(ready, (-x._seq, x))
            else:
                pending[x] = _accumulate(previous, gx)
        if not retain_graph:
            t._saved = RELEASED  # after its rules ran: a rule that raised leaves it usable
            t._hold = None  # its leaves' and constants' arrays may be written again
    return gradients


def _report_sent(
    observers: Any, t: Node, i: int, x: Node, gx: Any, g: Any, args: Any, previous: Any
) -> None:
    """Tell the observers that ``t``'s rule for input ``i`` sent ``gx`` to ``x``, and that it
    was added to the gradient ``x`` had already received, if any."""
    for observer in observers:
        observer.gradient_sent(t, i, x, t._op.rule_for(i), gx, g, args)
        if previous is not None:
            observer.gradients_added(x, previous, gx)


def _rule_arguments(t: Node, recorded: bool) -> tuple[Any, Any, Any]:
    """What the rules of ``t``'s op read: its output, its inputs and its saved extra; the
    Tensors themselves when the backward is recorded (the extra is then recomputed)."""
    op: Any = t._op
    saved = t._saved
    if saved is RELEASED:
        raise RuntimeError(
            f"backward through op {op.name!r} (output shape {t.shape}) a second time: "
            "its saved values were released by the first backward(); call "
            "backward(retain_graph=True) the first time to differentiate again"
        )
    replaced = None if t._hold is None else t._hold.replaced()
    if replaced is not None:
        raise stale_input_error(op.name, t._inputs, *replaced)
    if recorded:  # rules run on Tensors, so that they are recorded
        return t, t._inputs, None
    if op.returns_extra:
        return t.data, saved[0], saved[1]
    return t.data, saved, None


def fit(gx: Any, x: Node, op_name: str, argnum: int, g: Any) -> Any:
    """A rule's gradient made fit for input ``x``: summed back to its shape (the engine
    unbroadcasts once for every op), cast to its dtype, and, for a leaf's array gradient,
    never sharing memory with another gradient (a rule may hand back ``g`` itself)."""
    if type(gx) is not np.ndarray and not isinstance(gx, Node):
        gx = np.asarray(gx)
    data = x.data
    if gx.shape != data.shape:
        gx = unbroadcast(gx, data.shape, op_name, argnum)
    if gx.dtype is not data.dtype and gx.dtype != data.dtype:
        gx = gx.astype(data.dtype)
    if x._op is None and type(gx) is np.ndarray and (gx is g or gx.base is not None):
        gx = gx.copy()
    return gx


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
    # np.add.reduce is ndarray.sum without its Python wrapper; a Node sums as an op.
    total = np.add.reduce if type(g) is np.ndarray else type(g).sum
    if lead > 0:
        g = total(g, axis=tuple(range(lead)))
        if isinstance(g, np.generic):  # numpy's sum to shape () gives a scalar
            g = np.asarray(g)
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


def _seed(output: Node, grad: Any, create_graph: bool) -> Any:
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
        seed = grad.data if isinstance(grad, Node) and not create_graph else grad
        if not isinstance(seed, Node):
            seed = np.array(seed)
            if seed.dtype.kind not in "fiu":  # numpy would read "1.5" as 1.5, drop 2j
                raise TypeError(
                    f"backward(): grad has dtype {seed.dtype}; it must hold real numbers "
                    f"(an array of the output's shape {output.shape}, a float or an int)"
                )
            seed = seed.astype(output.dtype)
        if seed.shape != output.shape:
            raise ValueError(
                f"backward(): grad has shape {seed.shape} but the output has shape "
                f"{output.shape}; they must be equal"
            )
    if create_graph and not isinstance(seed, Node):
        make_leaf: Any = type(output)  # Tensor: a leaf whose use the recorded pass records
        seed = make_leaf(seed)
    return seed
