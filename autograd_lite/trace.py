"""A step-by-step record of one backward pass: which rule ran, what came in, what went out.

``al.trace_backward(loss)`` runs an ordinary backward with a :class:`BackwardTrace`
observing it (see switches.py) and returns the trace: one step per node in the order the
pass processed them, with the incoming gradient, the rule and its one-line formula, the
gradient sent to each input, and every accumulation (a second gradient added into a node
that already had one). It prints as a table, shows as HTML in Jupyter, and converts to
plain dicts. Without an observer the pass records nothing.
"""

from __future__ import annotations

import html
import inspect
from typing import Any

import numpy as np

from .summaries import HANDFUL, summarize
from .switches import Observer, observing
from .tensor import Tensor


def describe(value: Any) -> str:
    """A gradient in a few characters: its values when small, else its shape and summary."""
    data = np.asarray(value)
    text = summarize(data)
    return text if data.size <= HANDFUL else f"shape {data.shape}: {text}"


def formula(rule: Any) -> str:
    """The first line of a rule's docstring: its derivative, by the project's convention."""
    doc = inspect.getdoc(rule) or ""
    return doc.splitlines()[0] if doc else ""


class BackwardTrace(Observer):
    """The events of one reverse pass, in order (see the module docstring)."""

    def __init__(self) -> None:
        self.events: list[dict[str, Any]] = []
        self.labels: dict[Tensor, str] = {}
        self.step: dict[str, Any] = {}  # the step being processed: its gradients go to it

    def label(self, t: Tensor) -> str:
        """The tensor's name, or a number in order of first appearance in this trace."""
        if t not in self.labels:
            self.labels[t] = t.name or f"t{len(self.labels)}"
        return self.labels[t]

    # --- reported by the engine, as an observer ----------------------------------------------
    def node_reached(self, t: Tensor, g: Any) -> None:
        op = t.op
        self.step = {
            "kind": "step",
            "node": self.label(t),
            "op": None if op is None else op.name,
            "shape": t.shape,
            "grad_in": describe(g),
            "sent": [],
        }
        self.events.append(self.step)

    def gradient_sent(
        self, node: Tensor, argnum: int, x: Tensor, rule: Any, gx: Any, g: Any, args: Any
    ) -> None:
        # (after an accumulation into an earlier input, the last event is that accumulation)
        self.step["sent"].append(
            {
                "input": self.label(x),
                "argnum": argnum,
                "rule": rule.__name__,
                "formula": formula(rule),
                "grad": describe(gx),
            }
        )

    def gradients_added(self, x: Tensor, previous: Any, gx: Any) -> None:
        self.events.append(
            {
                "kind": "accumulate",
                "node": self.label(x),
                "had": describe(previous),
                "added": describe(gx),
            }
        )

    # --- reading it -------------------------------------------------------------------------
    def to_dicts(self) -> list[dict[str, Any]]:
        """The events as plain dicts (copies), in the order the pass ran."""
        return [dict(e, sent=[dict(s) for s in e.get("sent", [])]) for e in self.events]

    @property
    def steps(self) -> list[dict[str, Any]]:
        return [e for e in self.events if e["kind"] == "step"]

    @property
    def accumulations(self) -> list[dict[str, Any]]:
        return [e for e in self.events if e["kind"] == "accumulate"]

    def rows(self) -> list[tuple[str, ...]]:
        """(step, node, op, gradient in, rule and formula, sent to) rows for a table."""
        rows: list[tuple[str, ...]] = []
        number = 0
        for e in self.events:
            if e["kind"] == "accumulate":
                rows.append(
                    ("", e["node"], "", "", "accumulate: had " + e["had"], "+ " + e["added"])
                )
                continue
            number += 1
            first = (str(number), e["node"], e["op"] or "(leaf)", e["grad_in"])
            if not e["sent"]:
                rows.append((*first, "stored in .grad" if e["op"] is None else "", ""))
            for k, s in enumerate(e["sent"]):
                lead = first if k == 0 else ("", "", "", "")
                rows.append((*lead, f"{s['rule']}: {s['formula']}", f"{s['input']} <- {s['grad']}"))
        return rows

    def __str__(self) -> str:
        header = ("step", "node", "op", "gradient in", "rule", "sent to input")
        rows = [header, *self.rows()]
        widths = [min(max(len(r[c]) for r in rows), 60) for c in range(len(header))]
        lines = []
        for i, row in enumerate(rows):
            cells = [cell if len(cell) <= 60 else cell[:57] + "..." for cell in row]
            lines.append("  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip())
            if i == 0:
                lines.append("  ".join("-" * w for w in widths))
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"<BackwardTrace: {len(self.steps)} steps, {len(self.accumulations)} accumulations>"

    def _repr_html_(self) -> str:
        header = ("step", "node", "op", "gradient in", "rule", "sent to input")
        head = "".join(f"<th>{h}</th>" for h in header)
        body = "".join(
            "<tr>" + "".join(f"<td><code>{html.escape(c)}</code></td>" for c in row) + "</tr>"
            for row in self.rows()
        )
        return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def trace_backward(
    output: Tensor, grad: Any = None, retain_graph: bool = False, retain_grads: bool = False
) -> BackwardTrace:
    """Run ``output.backward(grad)`` and return the step-by-step trace of the pass (which
    shows every gradient, whether or not the tensors keep theirs: see ``retain_grads``).

    >>> import autograd_lite as al
    >>> x = al.tensor([1.0, 2.0], requires_grad=True, name="x")
    >>> trace = al.trace_backward((x * x).sum())
    >>> [(step["node"], step["op"]) for step in trace.steps]
    [('t0', 'sum'), ('t1', 'multiply'), ('x', None)]
    >>> len(trace.accumulations)  # x fed multiply twice: its two gradients were summed
    1
    """
    with observing(BackwardTrace()) as trace:
        output.backward(grad, retain_graph=retain_graph, retain_grads=retain_grads)
    return trace
