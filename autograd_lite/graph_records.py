"""The recorded graph read into plain records: the nodes and edges a picture or JSON shows.

:func:`read_graph` takes the graph's nodes in the engine's one walk
(``engine.reverse_topological_order``: nearest the outputs first, each after its consumers,
with each node's uses counted), and records each tensor (name, shape, dtype, a short summary
of its data and gradient, its role, how many ops use it), then the op that made it (name
and attributes) and the constants that op was given. Record ids come from a counter in that
order, so one graph always gives the same records. Past ``max_nodes`` the rest is only
counted, and one last record says how many. Reading never touches the saved buffers a
backward pass releases: only ``op``, ``inputs``, ``attrs``, ``data`` and ``grad``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from .engine import reverse_topological_order
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
    # each kept tensor's record id and its op's (None for a leaf): not part of the JSON
    ids: dict[Any, tuple[str, str | None]] = field(default_factory=dict, repr=False)

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
    order, uses = reverse_topological_order(outputs, only_requiring_grad=False)
    nodes: list[NodeRecord] = []
    omitted = 0

    def add(node_kind: str, role: str) -> NodeRecord | None:
        """A new record, or None (counted as left out) once ``max_nodes`` are kept."""
        nonlocal omitted
        if len(nodes) >= limit:
            omitted += 1
            return None
        node = NodeRecord(f"n{len(nodes)}", node_kind, role)
        nodes.append(node)
        return node

    # Each tensor, nearest the outputs first, then the op that made it and the constants
    # that op was given. Past the limit all the rest is left out, so a kept tensor's
    # consumers are all kept.
    kept: dict[Node, tuple[NodeRecord, NodeRecord | None, list[NodeRecord | None]]] = {}
    is_output = set(outputs)
    for t in order:
        node = add("tensor", "output" if t in is_output else _role(t))
        op_node = None if t.op is None else add("op", "op")
        # an op's constants are records too, counted as left out past the limit
        constants = [] if t.op is None else [_constant(add, x) for x in t.inputs]
        if node is None:
            continue
        _describe_tensor(node, t, show_data, show_grad)
        node.uses = uses[t]
        if op_node is not None:
            op_node.name, op_node.attrs = t.op.name, op_attrs(t.op, t.attrs)
        kept[t] = (node, op_node, constants)
    edges, cut_off = _edges(kept)
    if omitted:
        rest = NodeRecord(f"n{len(nodes)}", "omitted", "omitted", count=omitted)
        nodes.append(rest)
        edges.extend(Edge(rest.id, target) for target in cut_off)
    output_ids = [kept[out][0].id for out in dict.fromkeys(outputs) if out in kept]
    ids = {t: (node.id, None if op is None else op.id) for t, (node, op, _) in kept.items()}
    return GraphRecords(nodes, edges, output_ids, omitted, ids)


def _constant(add: Any, x: Any) -> NodeRecord | None:
    """The record of an op's input that is a constant (a number or an array), or None: a
    tensor (recorded on its own) or a constant left out."""
    if isinstance(x, Node):
        return None
    node = add("constant", "constant")
    if node is not None:
        _describe_constant(node, x)
    return node


def _edges(kept: dict[Node, Any]) -> tuple[list[Edge], list[str]]:
    """The edges between kept records, and the ids of kept records with a neighbour left
    out (where the "omitted" record attaches)."""
    edges: list[Edge] = []
    cut_off: dict[str, None] = {}
    for t, (node, op_node, constants) in kept.items():
        if t.op is None:
            continue
        if op_node is None:
            cut_off[node.id] = None
            continue
        edges.append(Edge(op_node.id, node.id))
        for slot, x, constant in zip(
            slot_names(t.op, len(t.inputs)), t.inputs, constants, strict=True
        ):
            source = kept[x][0] if isinstance(x, Node) and x in kept else constant
            if source is None:
                cut_off[op_node.id] = None
            else:
                edges.append(Edge(source.id, op_node.id, slot))
    return edges, list(cut_off)


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


def slot_names(op: Any, n: int) -> list[str]:
    """Edge labels: the op's input names when it takes several inputs, else nothing."""
    if n < 2:
        return [""] * n
    names = list(getattr(op, "input_names", ()))
    if getattr(op, "variadic", False) or len(names) != n:
        return [str(i) for i in range(n)]
    return names
