"""The recorded graph read into plain records: the nodes and edges a picture or JSON shows.

:func:`read_graph` walks from the outputs breadth first (an explicit queue, never recursion),
so the nodes it keeps are the ones nearest the outputs. Each kept node becomes a
:class:`NodeRecord`: a tensor (name, shape, dtype, a short summary of its data and gradient,
its role, how many ops use it), the op that made a tensor (name and attributes), or a constant
passed in a tensor's place. Record ids come from a counter in traversal order, so one graph
always gives the same records. Past ``max_nodes`` the walk only counts what it leaves out,
and one last node says how many. Reading never touches the saved buffers a backward pass
releases: only ``op``, ``inputs``, ``attrs``, ``data`` and ``grad``.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from .node import Node
from .summaries import all_finite, cut, op_attrs, summarize


@dataclass
class NodeRecord:
    """One node of the picture.

    ``kind`` is "tensor", "op", "constant" (a number or array given in a tensor's place) or
    "omitted" (the nodes left out past ``max_nodes``). ``role`` tells tensors apart:
    "output", "leaf" (made by the user and requires grad), "constant" (requires no grad) or
    "intermediate"; for the other kinds it is the kind.
    """

    id: str
    kind: str
    role: str
    name: str | None = None  # the tensor's name, or the op's
    attrs: dict[str, str] = field(default_factory=dict)
    shape: list[int] | None = None
    dtype: str | None = None
    data: str | None = None  # summary of the values
    grad: str | None = None  # summary of the gradient, once a backward has set it
    uses: int = 0  # how many op inputs this tensor feeds: gradients from all of them add up
    requires_grad: bool = False
    nonfinite: bool = False  # data or gradient holds NaN or Inf
    count: int = 0  # for the "omitted" node: how many nodes were left out

    @property
    def shared(self) -> bool:
        """True for a tensor whose gradient is the sum of several uses."""
        return self.requires_grad and self.uses > 1

    def shape_text(self) -> str:
        return f"{tuple(self.shape or ())} {self.dtype}"

    def rows(self) -> list[tuple[str, str]]:
        """The label's rows as (part, text), ``part`` naming what the row shows ("name",
        "shape", "data", "grad", "shared", "op", "text") so that a picture can style it."""
        if self.kind == "op":
            return [
                ("op", " ".join([self.name or "?", *(f"{k}={v}" for k, v in self.attrs.items())]))
            ]
        if self.kind == "omitted":
            return [("text", f"... {self.count:,} more nodes not drawn")]
        rows = [("name", self.name)] if self.name else []
        if self.kind == "constant" and not self.shape:
            return [*rows, ("data", self.data or "")]
        rows.append(("shape", self.shape_text()))
        if self.data is not None:
            rows.append(("data", f"data {self.data}"))
        if self.grad is not None:
            rows.append(("grad", f"grad {self.grad}"))
        if self.shared:
            rows.append(("shared", f"used {self.uses} times: gradients summed"))
        return rows

    def label(self) -> str:
        """The label as plain text, one line per row of the picture's label."""
        return "\n".join(text for _, text in self.rows())

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "label": self.label()}


@dataclass
class Edge:
    """Data flow from ``source`` to ``target``; ``label`` names the op's input it fills."""

    source: str
    target: str
    label: str = ""


@dataclass
class GraphRecords:
    """What :func:`read_graph` found: kept nodes and edges, outputs' ids, nodes left out."""

    nodes: list[NodeRecord]
    edges: list[Edge]
    outputs: list[str]
    omitted: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "outputs": self.outputs,
            "nodes": [n.to_dict() for n in self.nodes],
            "edges": [asdict(e) for e in self.edges],
            "omitted": self.omitted,
        }


def read_graph(
    outputs: Sequence[Node],
    *,
    show_data: bool = True,
    show_grad: bool = True,
    max_nodes: int | None = None,
) -> GraphRecords:
    """Read the graph that made ``outputs`` into records, keeping at most ``max_nodes`` nodes.

    >>> import autograd_lite as al
    >>> x = al.tensor([1.0, 2.0], requires_grad=True, name="x")
    >>> [n.label() for n in read_graph([al.exp(x)], show_data=False).nodes]
    ['(2,) float64', 'exp', 'x\\n(2,) float64']
    """
    if not outputs:
        raise ValueError("give at least one output tensor to draw")
    for out in outputs:
        if not isinstance(out, Node):
            raise TypeError(f"the graph is drawn from Tensors, got {type(out).__name__}")
    if max_nodes is not None and max_nodes < 1:
        raise ValueError(f"max_nodes must be at least 1 (or None for no limit), got {max_nodes}")
    limit = math.inf if max_nodes is None else max_nodes
    nodes: list[NodeRecord] = []
    edges: list[Edge] = []
    seen: dict[Node, NodeRecord | None] = {}  # every tensor seen; None if it was left out
    cut_off: dict[str, None] = {}  # ids of kept nodes with a left-out neighbour, in order
    left_out: list[Node] = []  # tensors whose op node (and so inputs) were left out
    omitted = 0
    queue: deque[tuple[Node, NodeRecord]] = deque()  # kept tensors and op nodes to expand

    def add(node_kind: str, role: str) -> NodeRecord:
        node = NodeRecord(f"n{len(nodes)}", node_kind, role)
        nodes.append(node)
        return node

    def meet(t: Node, role: str) -> NodeRecord | None:
        nonlocal omitted
        if len(nodes) >= limit:
            seen[t] = None
            omitted += 1
            if t.op is not None:
                left_out.append(t)
            return None
        node = add("tensor", role)
        _describe_tensor(node, t, show_data, show_grad)
        seen[t] = node
        queue.append((t, node))
        return node

    for out in outputs:
        if out not in seen:
            meet(out, "output")
    output_ids = [n.id for n in (seen[out] for out in outputs) if n is not None]

    while queue:
        t, node = queue.popleft()
        if node.kind == "tensor":  # expand a tensor: the op node that made it
            if t.op is None:
                continue
            if len(nodes) >= limit:
                left_out.append(t)
                cut_off[node.id] = None
                continue
            op_node = add("op", "op")
            op_node.name = t.op.name
            op_node.attrs = op_attrs(t.op, t.attrs)
            edges.append(Edge(op_node.id, node.id))
            queue.append((t, op_node))
            continue
        slots = _slot_names(t.op, len(t.inputs))  # expand an op node: its inputs
        for slot, x in zip(slots, t.inputs, strict=True):
            if isinstance(x, Node):
                source = seen[x] if x in seen else meet(x, _role(x))
                if source is not None:
                    source.uses += 1
            elif len(nodes) < limit:
                source = add("constant", "constant")
                _describe_constant(source, x)
            else:
                source = None
                omitted += 1
            if source is None:
                cut_off[node.id] = None
            else:
                edges.append(Edge(source.id, node.id, slot))

    omitted += _count_left_out(left_out, seen)
    if omitted:
        rest = add("omitted", "omitted")
        rest.count = omitted
        edges.extend(Edge(rest.id, target) for target in cut_off)
    return GraphRecords(nodes, edges, output_ids, omitted)


def _count_left_out(stack: list[Node], seen: dict[Node, NodeRecord | None]) -> int:
    """Count the op nodes of ``stack``'s tensors and everything below them not yet seen.

    Kept tensors still get their uses counted, so a shared tensor is marked as shared even
    when one of its consumers was left out.
    """
    count = 0
    while stack:
        t = stack.pop()
        count += 1  # its op node
        for x in t.inputs:
            if not isinstance(x, Node):
                count += 1
            elif x in seen:
                kept = seen[x]
                if kept is not None:
                    kept.uses += 1
            else:
                seen[x] = None
                count += 1
                if x.op is not None:
                    stack.append(x)
    return count


def _role(t: Node) -> str:
    if t.op is not None:
        return "intermediate"
    return "leaf" if t.requires_grad else "constant"


def _describe_tensor(node: NodeRecord, t: Node, show_data: bool, show_grad: bool) -> None:
    data = t.data
    grad = t.grad.data if isinstance(t.grad, Node) else t.grad
    node.name = t.name
    node.shape = list(data.shape)
    node.dtype = str(data.dtype)
    node.requires_grad = t.requires_grad
    if show_data:
        node.data = summarize(data)
    if grad is not None:
        grad = np.asarray(grad)
        if show_grad:
            node.grad = summarize(grad)
    node.nonfinite = not all_finite(data) or (grad is not None and not all_finite(grad))


def _describe_constant(node: NodeRecord, value: Any) -> None:
    try:
        array = np.asarray(value)
    except (ValueError, TypeError):  # not numeric: show what it is
        node.data = cut(repr(value))
        return
    if array.dtype.kind not in "biuf":
        node.data = cut(repr(value))
        return
    node.shape = list(array.shape)
    node.dtype = str(array.dtype)
    node.data = summarize(array)
    node.nonfinite = not all_finite(array)


def _slot_names(op: Any, n: int) -> list[str]:
    """Edge labels: the op's input names when it takes several inputs, else nothing."""
    if n < 2:
        return [""] * n
    names = list(getattr(op, "input_names", ()))
    if getattr(op, "variadic", False) or len(names) != n:
        return [str(i) for i in range(n)]
    return names
