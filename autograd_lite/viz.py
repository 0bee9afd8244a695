"""Pictures of the recorded graph: graphviz drawings, the same graph as JSON, and rendering.

:func:`draw_graph` returns a ``graphviz.Digraph`` (shown as SVG in Jupyter by graphviz's own
display hook); :func:`graph_to_json` gives the same nodes, edges and labels as JSON text, for
diffs and regression fixtures; :func:`render` writes svg, png or pdf (which need the Graphviz
program ``dot``) or the DOT source (which needs nothing), through the one atomic writer of
:mod:`autograd_lite.atomic_files`. Both read the graph through
:mod:`autograd_lite.graph_records`, in the engine's one walk of the graph (nearest the
outputs first, without recursion).

The picture's convention (``legend=True`` draws it after the outputs):

- boxes are tensors: bold name, shape and dtype, ``data`` summary, ``grad`` summary (in
  brown, once a backward has run); ellipses are ops: name and attributes (``sum axis=1``);
- blue box: a leaf that requires grad (an input or a parameter); dashed grey box: a constant
  (a tensor that requires no grad, or a number or array given in a tensor's place); green box
  with a double border: an output; plain rounded box: an intermediate result;
- a red border and pink fill: the tensor holds NaN or Inf (in its data or its gradient);
- a bold border and "used N times": the tensor feeds several ops, whose gradients are summed;
- edges follow the data, inputs to outputs, and name the op's input when it has several;
- a grey note: the nodes beyond ``max_nodes`` that were left out, and how many.
"""

from __future__ import annotations

import html
import json
import os
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from .atomic_files import write_atomically
from .graph_records import Edge, GraphRecords, NodeRecord, read_graph
from .layout import choose_layout
from .node import Node

if TYPE_CHECKING:
    import graphviz

DEFAULT_MAX_NODES = 300
FORMATS = ("svg", "png", "pdf", "dot")  # what render() writes, chosen by the file's suffix

_BASE = {"fontname": "Helvetica", "fontsize": "11"}
_STYLES: dict[str, dict[str, str]] = {
    "leaf": {"shape": "box", "style": "filled", "fillcolor": "#dbeafe"},
    "constant": {
        "shape": "box",
        "style": "dashed,filled",
        "fillcolor": "#f3f4f6",
        "color": "#6b7280",
        "fontcolor": "#374151",
    },
    "intermediate": {"shape": "box", "style": "rounded,filled", "fillcolor": "#ffffff"},
    "output": {"shape": "box", "style": "filled", "fillcolor": "#dcfce7", "peripheries": "2"},
    "op": {"shape": "ellipse", "style": "filled", "fillcolor": "#fef3c7"},
    "omitted": {"shape": "note", "style": "filled", "fillcolor": "#e5e7eb", "fontcolor": "#374151"},
}
_WARNING = {"fillcolor": "#fecaca", "color": "#dc2626", "penwidth": "2"}
_GRAD_COLOUR = "#9a3412"
# How a tensor's label rows are marked up in the picture (other rows are plain text).
_TENSOR_MARKUP = {
    "name": "<B>{}</B>",
    "grad": f'<FONT COLOR="{_GRAD_COLOUR}">{{}}</FONT>',
    "shared": "<I>{}</I>",
}
_LEGEND = (
    ("leaf", "leaf: requires grad"),
    ("constant", "constant"),
    ("intermediate", "intermediate"),
    ("output", "output"),
    ("op", "op and its attributes"),
    ("warning", "holds NaN or Inf"),
    ("shared", "used several times:\ngradients summed"),
)


class DotNotFoundError(RuntimeError):
    """Rendering needs the Graphviz program ``dot`` and it is not on PATH."""


def draw_graph(
    *outputs: Node,
    show_data: bool = True,
    show_grad: bool = True,
    max_nodes: int | None = DEFAULT_MAX_NODES,
    rankdir: str | None = None,
    legend: bool = False,
) -> graphviz.Digraph:
    """The graph that made ``outputs`` as a ``graphviz.Digraph``, drawn inputs to outputs.

    ``max_nodes`` keeps the nodes nearest the outputs (None keeps all); one more node says how
    many were left out. ``rankdir`` is Graphviz's direction ("LR" left to right, "TB" top to
    bottom); by default left to right when that fits a page, else the narrower of the two
    (see :mod:`autograd_lite.layout`). The legend goes after the outputs. The picture can be
    drawn before or after ``backward()``.

    >>> import autograd_lite as al
    >>> x = al.tensor([1.0, 2.0], requires_grad=True, name="x")
    >>> g = draw_graph(al.sum(x * x))
    >>> print(g.source.splitlines()[5].strip())  # n0 is the output, n1 the op that made it
    n1 [label=<<B>sum</B>> fillcolor="#fef3c7" shape=ellipse style=filled]
    """
    records = read_graph(outputs, show_data=show_data, show_grad=show_grad, max_nodes=max_nodes)
    return digraph(records, rankdir=rankdir, legend=legend)


def digraph(
    records: GraphRecords,
    *,
    rankdir: str | None = None,
    legend: bool = False,
    element_ids: bool = False,
) -> graphviz.Digraph:
    """The picture of graph records (see :func:`draw_graph`). With ``element_ids`` every
    node and edge carries an ``id`` for SVG: the node's record id, and for an edge
    :func:`edge_id`, so that a page can find and highlight them."""
    import graphviz

    layout = choose_layout(records, len(_LEGEND) if legend else 0)
    if rankdir is not None:
        layout = replace(layout, rankdir=rankdir)
    graph = graphviz.Digraph(
        name="autograd_lite",
        graph_attr={"rankdir": layout.rankdir},
        node_attr=_BASE,
        edge_attr={**_BASE, "fontsize": "9", "fontcolor": "#4b5563"},
    )
    for node in records.nodes:
        ids = {"id": node.id} if element_ids else {}
        graph.node(node.id, label=_html_label(node), **_node_style(node), **ids)
    for edge in records.edges:
        attrs = {"id": edge_id(edge)} if element_ids else {}
        if edge.label:
            attrs["label"] = f"<{html.escape(edge.label)}>"
        graph.edge(edge.source, edge.target, **attrs)
    if legend:
        _add_legend(graph, layout.legend_per_rank, after=records.outputs[0])
    return graph


def edge_id(edge: Edge) -> str:
    """An edge's id in SVG: its two ends and, for an op with several inputs, the input's name
    (x * x draws two edges between the same two nodes). No "-": Graphviz escapes it."""
    return f"e_{edge.source}_{edge.target}" + (f"_{edge.label}" if edge.label else "")


def svg_text(graph: graphviz.Digraph, timeout: float | None = None) -> str:
    """The picture as SVG text, from Graphviz's ``dot`` (see :func:`render`)."""
    return _pipe(graph, "svg", timeout).decode("utf-8")


def graph_to_json(
    *outputs: Node,
    show_data: bool = True,
    show_grad: bool = True,
    max_nodes: int | None = DEFAULT_MAX_NODES,
) -> str:
    """The nodes, edges, labels and summaries of :func:`draw_graph`, as JSON text.

    Deterministic for the same graph (ids come from a counter in traversal order), so a
    graph can be diffed or kept as a regression fixture.

    >>> import autograd_lite as al
    >>> x = al.tensor(2.0, requires_grad=True, name="x")
    >>> records = json.loads(graph_to_json(al.exp(x)))
    >>> [(e["source"], e["target"]) for e in records["edges"]]
    [('n1', 'n0'), ('n2', 'n1')]
    """
    records = read_graph(outputs, show_data=show_data, show_grad=show_grad, max_nodes=max_nodes)
    return json.dumps(records.to_dict(), indent=1)


def render(
    graph: graphviz.Digraph,
    path: str | os.PathLike[str],
    format: str | None = None,  # noqa: A002  (graphviz's own name for it)
    timeout: float | None = None,
) -> Path:
    """Write ``graph`` to ``path`` as svg, png, pdf or dot (by default from the suffix).

    svg, png and pdf need the Graphviz program ``dot``; without it :class:`DotNotFoundError`
    says how to install it, and nothing is written. ``dot`` gets ``timeout`` seconds; when
    they pass it is killed, ``subprocess.TimeoutExpired`` is raised and nothing is written.
    The file appears whole or not at all.

    >>> import tempfile, autograd_lite as al
    >>> x = al.tensor(1.0, requires_grad=True, name="x")
    >>> path = render(draw_graph(x * 2), Path(tempfile.mkdtemp()) / "graph.dot")
    >>> path.read_text().splitlines()[0]
    'digraph autograd_lite {'
    """
    path = Path(path)
    fmt = (format or path.suffix.removeprefix(".")).lower()
    fmt = "dot" if fmt == "gv" else fmt
    if fmt not in FORMATS:
        raise ValueError(
            f"cannot write a picture as {fmt or 'a file without a suffix'!r} ({path.name}): "
            f"use one of the suffixes {', '.join('.' + f for f in FORMATS)}, or pass format="
        )
    if fmt == "dot":
        content = graph.source.encode("utf-8")
    else:
        content = _pipe(graph, fmt, timeout)
    write_atomically(path, content)
    return path


def _pipe(graph: graphviz.Digraph, fmt: str, timeout: float | None) -> bytes:
    """The picture as ``fmt`` from Graphviz's ``dot``, run with ``timeout`` seconds: on
    expiry the process is killed and subprocess.TimeoutExpired raised."""
    dot = shutil.which("dot")
    if dot is None:
        raise DotNotFoundError(
            f"rendering to {fmt} needs the Graphviz program 'dot', which is not on PATH; "
            "install Graphviz (Debian/Ubuntu: apt-get install graphviz; macOS: brew install "
            "graphviz; conda: conda install -c conda-forge graphviz), or write the DOT source "
            "(a .dot file, or graph.source), which needs no program"
        )
    done = subprocess.run(
        [dot, f"-T{fmt}"],
        input=graph.source.encode("utf-8"),
        capture_output=True,
        timeout=timeout,
        check=False,
    )
    if done.returncode != 0:
        raise subprocess.CalledProcessError(
            done.returncode, done.args, done.stdout, done.stderr.decode("utf-8", "replace")
        )
    return done.stdout


def _html_label(node: NodeRecord) -> str:
    """The node's label as a Graphviz HTML-like label, every piece of text escaped."""
    if node.kind == "op":
        attrs = "".join(f" {html.escape(k)}={html.escape(v)}" for k, v in node.attrs.items())
        return f"<<B>{html.escape(node.name or '?')}</B>{attrs}>"
    markup = _TENSOR_MARKUP if node.kind == "tensor" else {}
    rows = (markup.get(part, "{}").format(html.escape(text)) for part, text in node.rows())
    return "<" + "<BR/>".join(rows) + ">"


def _node_style(node: NodeRecord) -> dict[str, str]:
    style = dict(_STYLES[node.role])
    if node.nonfinite:
        style.update(_WARNING)
    if node.shared:
        style["style"] += ",bold"
        style.setdefault("penwidth", "2")
    return style


def _add_legend(graph: graphviz.Digraph, per_rank: int, after: str) -> None:
    """The legend as a grid of ``per_rank`` entries per rank, in the ranks after node
    ``after`` (an output): below the graph top to bottom, right of it left to right."""
    with graph.subgraph(name="cluster_legend") as legend:
        legend.attr(label="legend", style="dashed", color="#9ca3af", **{**_BASE, "fontsize": "10"})
        for key, text in _LEGEND:
            style = dict(_STYLES.get(key, _STYLES["intermediate"]))
            if key == "warning":
                style.update(_WARNING)
            if key == "shared":
                style.update({"style": "rounded,filled,bold", "penwidth": "2"})
            label = "<" + "<BR/>".join(html.escape(s) for s in text.splitlines()) + ">"
            legend.node(f"legend_{key}", label=label, **style)
        ids = [f"legend_{key}" for key, _ in _LEGEND]
        rows = [ids[i : i + per_rank] for i in range(0, len(ids), per_rank)]
        for row in rows:
            legend.body.append("{rank=same; " + "; ".join(row) + "}\n")
        middles = [row[len(row) // 2] for row in rows]  # the legend centred after `after`
        for a, b in zip([after, *middles], middles, strict=False):
            graph.edge(a, b, style="invis")
        for row in rows:  # keep each row in the legend's order (dot stacks an LR row upwards)
            row = row[::-1] if graph.graph_attr.get("rankdir") == "LR" else row
            for a, b in zip(row, row[1:], strict=False):
                legend.edge(a, b, style="invis")
