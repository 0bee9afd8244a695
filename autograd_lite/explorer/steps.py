"""The steps the explorer page shows: the forward pass op by op, then the engine's own reverse
pass as an observer saw it, with the numbers each step displays.

The backward steps come from :class:`~autograd_lite.trace.BackwardTrace` (the observer of
``trace_backward``), extended to keep the gradients themselves, so the page shows the pass in
the order the engine ran it and its texts are the trace's. The forward steps are the same
nodes in the opposite order: each op after its inputs. Only the nodes the picture keeps
(``max_nodes``) get a step.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numpy.lib.array_utils import normalize_axis_index

from ..graph_records import GraphRecords, slot_names
from ..jacobians import local_jacobian
from ..summaries import HANDFUL, op_attrs
from ..tensor import Tensor
from ..trace import BackwardTrace, describe
from ..viz import edge_id

STRIP = 48  # a larger array shows as this many cells of a heat-map strip (chunk means)
SOFTMAX_MATRIX = 8  # the softmax panel shows diag(s) - s s^T up to this many classes


class ValueTrace(BackwardTrace):
    """A BackwardTrace of the nodes the picture shows (``shown``), that also keeps their
    gradients themselves: the explorer's panels show their numbers, not only their text.
    The other nodes' steps are not recorded, so a graph of any size is traced quickly."""

    def __init__(self, shown: dict[Any, Any]) -> None:
        super().__init__()
        self.shown = shown
        self.values: list[dict[str, Any]] = []  # per step of a shown node, what it saw
        self.recording = False  # whether the node being processed is shown

    def node_reached(self, t: Tensor, g: Any) -> None:
        self.recording = t in self.shown
        if self.recording:
            super().node_reached(t, g)
            self.values.append({"node": t, "g": g, "sent": [], "event": self.step})

    def gradient_sent(
        self, node: Tensor, argnum: int, x: Tensor, rule: Any, gx: Any, g: Any, args: Any
    ) -> None:
        if self.recording:
            super().gradient_sent(node, argnum, x, rule, gx, g, args)
            self.values[-1]["sent"].append({"x": x, "gx": gx, "added": None})

    def gradients_added(self, x: Tensor, previous: Any, gx: Any) -> None:
        if self.recording:
            super().gradients_added(x, previous, gx)
            self.values[-1]["sent"][-1]["added"] = (previous, previous + gx)


def summary(a: Any) -> dict[str, Any]:
    """An array as the page shows it: the trace's text, its shape, and for more than a
    handful of elements the cells of a heat-map strip (means of consecutive chunks)."""
    a = np.asarray(a)
    out: dict[str, Any] = {"text": describe(a), "shape": list(a.shape)}
    if a.size > HANDFUL and a.dtype.kind in "biuf":
        flat = a.astype(np.float64).ravel()
        chunks = np.array_split(flat, min(STRIP, flat.size))
        with np.errstate(invalid="ignore"):
            out["strip"] = [_number(c.mean()) for c in chunks]
    return out


def forward_steps(records: GraphRecords, trace: ValueTrace) -> list[dict]:
    """One step per kept op output, each after its inputs (the records keep the tensors
    nearest the outputs first): the op, its inputs, its value."""
    steps = []
    for t, (tensor_id, op_id) in reversed(records.ids.items()):
        if op_id is None:
            continue
        inputs = [
            {"name": _name(trace, x), "value": summary(x.data if isinstance(x, Tensor) else x)}
            for x in t.inputs
        ]
        steps.append(
            {
                **_header("forward", trace.label(t), tensor_id, op_id, t),
                "edges": _edges(records, t, op_id, tensor_id, range(len(t.inputs))),
                "inputs": inputs,
                "value": summary(t.data),
            }
        )
    return steps


def backward_steps(records: GraphRecords, trace: ValueTrace) -> list[dict]:
    """One step per node the reverse pass reached that the picture keeps, in the pass's
    order: the gradient in, each rule's formula and what it sent, each accumulation."""
    steps = []
    for seen in trace.values:
        t, event = seen["node"], seen["event"]
        if t not in records.ids:
            continue
        tensor_id, op_id = records.ids[t]
        pairs = list(zip(seen["sent"], event["sent"], strict=True))
        step = {
            **_header("backward", event["node"], tensor_id, op_id, t),
            "edges": _edges(records, t, op_id, tensor_id, [e["argnum"] for _, e in pairs]),
            "grad": summary(seen["g"]),
            "sent": [_sent(records, s, e) for s, e in pairs],
            "stored": t.op is None,
            "jacobian": _jacobians(t, seen["g"], pairs),
            "softmax": _softmax_story(t, seen["g"]) if t.op and t.op.name == "softmax" else None,
        }
        steps.append(step)
    return steps


def _header(phase: str, name: str, tensor_id: str, op_id: str | None, t: Tensor) -> dict:
    op = t.op
    return {
        "phase": phase,
        "id": tensor_id,
        "op_id": op_id,
        "name": name,
        "op": None if op is None else op.name,
        "attrs": {} if op is None else op_attrs(op, t.attrs),
        "shape": list(t.shape),
    }


def _sent(records: GraphRecords, s: dict, e: dict) -> dict:
    x = s["x"]
    added = s["added"]
    return {
        "input": e["input"],
        "input_id": records.ids.get(x, (None,))[0],
        "argnum": e["argnum"],
        "rule": e["rule"],
        "formula": e["formula"],
        "grad": summary(s["gx"]),
        "accumulated": None
        if added is None
        else {"had": describe(added[0]), "added": e["grad"], "total": describe(added[1])},
    }


def _edges(records: GraphRecords, t: Tensor, op_id: Any, tensor_id: str, argnums: Any) -> list[str]:
    """The ids of the edges a step's values flow along: from the inputs ``argnums`` into the
    op (each edge names its input, see graph_records), and from the op to its output."""
    if op_id is None:
        return []
    slots = slot_names(t.op, len(t.inputs))
    wanted = {slots[i] for i in argnums}
    return [
        edge_id(e)
        for e in records.edges
        if (e.target == op_id and e.label in wanted)
        or (e.source == op_id and e.target == tensor_id)
    ]


def _name(trace: ValueTrace, x: Any) -> str:
    return trace.label(x) if isinstance(x, Tensor) else "constant"


def _jacobians(t: Tensor, g: Any, pairs: list[tuple[dict, dict]]) -> list[dict] | None:
    """For a node whose output and inputs have at most a handful of elements: per input that
    received a gradient, the local Jacobian (d out / d input, one row per output element) and
    J^T g beside the gradient the rule sent."""
    if t.op is None or t.size > HANDFUL:
        return None
    if any(isinstance(x, Tensor) and x.size > HANDFUL for x in t.inputs):
        return None
    try:
        jacobians = local_jacobian(t)
    except NotImplementedError:  # an input without a rule: no Jacobian to show
        return None
    shown = []
    g = np.asarray(g, dtype=np.float64).ravel()
    for s, e in pairs:
        i = e["argnum"]
        jac = jacobians[i]
        if jac is None:
            continue
        matrix = jac.reshape(t.size, s["x"].size)
        jtg = matrix.T @ g
        sent = np.asarray(s["gx"], dtype=np.float64).ravel()
        shown.append(
            {
                "argnum": i,
                "matrix": [[_number(v) for v in row] for row in matrix],
                "jtg": describe(jtg.reshape(s["x"].shape)),
                "sent": describe(sent.reshape(s["x"].shape)),
                "difference": _number(np.max(np.abs(jtg - sent), initial=0.0)),
            }
        )
    return shown


def _softmax_story(t: Tensor, g: Any) -> dict | None:
    """The softmax panel, on the first slice along the softmax's axes (all of them for
    ``axis=None``, none for a 0-d softmax: one element): diag(s) - s s^T and the O(n) rule
    s * (g - sum(g * s)) with their agreement, and what the question's hand-written rule
    (the input where the output belongs, the i != j terms lost) sends. None if empty."""
    if t.size == 0:
        return None
    axis = t.attrs.get("axis", -1)
    wanted = range(t.ndim) if axis is None else np.atleast_1d(axis).tolist()
    axes = tuple(normalize_axis_index(a, t.ndim) for a in wanted) if t.ndim else ()
    n = math.prod(t.shape[a] for a in axes)
    x = t.inputs[0]

    def first(a: Any) -> np.ndarray:
        a = np.moveaxis(np.asarray(a, dtype=np.float64), axes, range(-len(axes), 0))
        return a.reshape(-1, n)[0]

    s, gs, z = first(t.data), first(g), first(x.data if isinstance(x, Tensor) else x)
    jac = np.diag(s) - np.outer(s, s)
    rule = s * (gs - np.sum(gs * s))
    asked = _question_rule(s, z)
    return {
        "slice": "" if n == t.size else "first slice along the axis",
        "s": describe(s),
        "g": describe(gs),
        "matrix": [[_number(v) for v in row] for row in jac] if n <= SOFTMAX_MATRIX else None,
        "jtg": describe(jac.T @ gs),
        "rule": describe(rule),
        "difference": _number(np.max(np.abs(jac.T @ gs - rule), initial=0.0)),
        "asked_local": describe(asked),
        "asked_sent": describe(gs * asked),
    }


def _question_rule(value: np.ndarray, inp: np.ndarray) -> np.ndarray:
    """The local gradient of the question this project grew from, as it was written: the
    input where the output belongs, and each pass of the inner loop overwriting the last."""
    gradient = np.empty(len(value))
    for i in range(len(value)):
        for j in range(len(inp)):
            if i == j:
                gradient[i] = value[i] * (1 - inp[i])
            gradient[i] = -value[i] * inp[j]
    return gradient


def _number(v: Any) -> float | str:
    """A number for JSON: a float, or its text for NaN and the infinities (JSON has none)."""
    v = float(v)
    return v if np.isfinite(v) else str(v)


__all__ = ["ValueTrace", "backward_steps", "forward_steps", "summary"]
