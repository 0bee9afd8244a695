"""Step through backprop in the browser: ``al.explore(loss)`` makes one self-contained page.

The page draws the graph (Graphviz, as :func:`~autograd_lite.draw_graph`) and steps
through the forward pass, then the reverse pass in the order the engine ran it: at each step
it highlights the node and the edges its values flow along, and shows the op, the rule's
formula, the gradient in, the gradient sent to each input and every accumulation; for a small
node its local Jacobian, for a softmax node diag(s) - s s^T beside the O(n) rule and the
question's hand-written rule. See :mod:`~autograd_lite.explorer.steps` for what each step
holds and :mod:`~autograd_lite.explorer.page` for the file.
"""

from __future__ import annotations

import html
import os
from pathlib import Path
from typing import Any

import numpy as np

from ..atomic_files import write_atomically
from ..engine import reverse_pass
from ..graph_records import read_graph
from ..switches import observing
from ..tensor import Tensor
from ..viz import DEFAULT_MAX_NODES, digraph, svg_text
from .page import inline_svg, page_html
from .steps import ValueTrace, backward_steps, forward_steps


class Explorer:
    """The page for one graph: :meth:`to_html`, :meth:`save`, and shown inline by Jupyter.

    ``steps`` are the page's steps (plain dicts, as embedded in its JSON), forward first;
    ``omitted`` counts the nodes left out of the picture past ``max_nodes``.
    """

    def __init__(self, title: str, records: Any, steps: list[dict[str, Any]]) -> None:
        self.title = title
        self.records = records
        self.steps = steps
        self.omitted = records.omitted
        self._html: str | None = None

    def to_html(self, timeout: float | None = None) -> str:
        """The page as one HTML document. The SVG is drawn once, by Graphviz's ``dot``, given
        ``timeout`` seconds (see :func:`~autograd_lite.viz.render`)."""
        if self._html is None:
            svg = inline_svg(svg_text(digraph(self.records, element_ids=True), timeout))
            data = {"title": self.title, "omitted": self.omitted, "steps": self.steps}
            self._html = page_html(self.title, svg, data)
        return self._html

    def save(self, path: str | os.PathLike[str], timeout: float | None = None) -> Path:
        """Write the page to ``path`` (its suffix must be .html), whole or not at all."""
        path = Path(path)
        if path.suffix.lower() != ".html":
            raise ValueError(f"save({str(path)!r}): the page is HTML; give a path ending .html")
        write_atomically(path, self.to_html(timeout).encode("utf-8"))
        return path

    def _repr_html_(self) -> str:
        """The page in a sandboxed frame, so that a notebook shows it with its own script."""
        return (
            f'<iframe title="{html.escape(self.title)}" sandbox="allow-scripts" '
            f'style="width:100%;height:720px;border:1px solid #d1d5db" '
            f'srcdoc="{html.escape(self.to_html())}"></iframe>'
        )

    def __repr__(self) -> str:
        return f"<Explorer {self.title!r}: {len(self.steps)} steps, {self.omitted} nodes left out>"


def explore(
    *outputs: Tensor, max_nodes: int | None = DEFAULT_MAX_NODES, title: str | None = None
) -> Explorer:
    """The step-by-step page of the graph that made ``outputs`` (each of one element),
    headed ``title`` (by default the outputs' names).

    Runs the engine's reverse pass from the outputs (seeded with 1 each) with a trace
    observing it, keeping the graph and touching no ``.grad``: call it before
    ``backward()``, or after ``backward(retain_graph=True)``. Past ``max_nodes`` the page
    shows the nodes nearest the outputs and says how many were left out.

    >>> import autograd_lite as al
    >>> x = al.tensor([1.0, 2.0], requires_grad=True, name="x")
    >>> page = al.explore(al.sum(x * x))
    >>> [(s["phase"], s["name"], s["op"]) for s in page.steps][:3]
    [('forward', 't1', 'multiply'), ('forward', 't0', 'sum'), ('backward', 't0', 'sum')]
    >>> x.grad is None  # the page's pass stores no gradient
    True
    """
    _check_outputs(outputs)
    records = read_graph(outputs, show_grad=False, max_nodes=max_nodes)
    trace = ValueTrace(records.ids)
    seeds = [np.ones(out.shape, out.dtype) for out in outputs]
    try:
        with observing(trace):
            reverse_pass(list(outputs), seeds, retain_graph=True)
    except RuntimeError as exc:  # a released graph, an input changed in place, ...
        raise RuntimeError(f"explore() runs the reverse pass itself, and it failed: {exc}") from exc
    steps = forward_steps(records, trace) + backward_steps(records, trace)
    return Explorer(title or _title(outputs, trace), records, steps)


def _check_outputs(outputs: tuple[Any, ...]) -> None:
    if not outputs:
        raise ValueError("explore() needs at least one output tensor, e.g. al.explore(loss)")
    for out in outputs:
        if not isinstance(out, Tensor):
            raise TypeError(f"explore() takes Tensors, got {type(out).__name__}")
        if not out.requires_grad:
            raise ValueError(
                "explore(): the output does not require grad, so there is no reverse pass to "
                "show; make an input with requires_grad=True"
            )
        if out.size != 1:
            raise ValueError(
                f"explore(): an output of shape {out.shape} has {out.size} elements; the "
                "reverse pass starts from one, so reduce it first (for example out.sum())"
            )


def _title(outputs: tuple[Tensor, ...], trace: ValueTrace) -> str:
    names = ", ".join(trace.label(out) for out in outputs)
    return f"backprop through {names}"


__all__ = ["Explorer", "explore"]
