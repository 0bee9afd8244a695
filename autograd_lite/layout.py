"""A picture's shape before Graphviz draws it: the layout direction, and the legend's grid.

Graphviz's ``dot`` puts the graph's nodes in ranks (each node one rank before the first node
that consumes it) and the ranks one after another along ``rankdir``. A long chain
drawn left to right is a strip many times wider than tall, shrunk to unreadable text at a
page's width. So the picture's size is estimated for both directions, from the labels (their
longest line and their number of lines) and Graphviz's default spacing, and left to right is
kept when it fits a page, else the narrower of the two is taken. No Graphviz is needed.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass

from .graph_records import GraphRecords, NodeRecord

PAGE_WIDTH = 600.0  # points (1/72 inch): the text width of a docs page, about 800 px
CHAR_WIDTH = 6.3  # points per character of Helvetica at 11 pt, on average
LINE_HEIGHT = 13.5  # points per line of a label
RANK_SEP = 36.0  # Graphviz's default ranksep, 0.5 inch
NODE_SEP = 18.0  # Graphviz's default nodesep, 0.25 inch
LEGEND_ENTRY = (110.0, 44.0)  # the size of one legend entry and its gap, in points


@dataclass(frozen=True)
class Layout:
    """How to draw a graph: Graphviz's ``rankdir`` and the legend entries per rank."""

    rankdir: str
    legend_per_rank: int


def choose_layout(records: GraphRecords, legend_entries: int = 0) -> Layout:
    """Left to right ("LR") when that fits :data:`PAGE_WIDTH`, else whichever of "LR" and
    top to bottom ("TB") is narrower; the legend (if any) goes after the outputs, as a grid
    no longer across than the graph.

    >>> from autograd_lite.graph_records import read_graph
    >>> import autograd_lite as al
    >>> x = al.tensor(1.0, requires_grad=True, name="x")
    >>> choose_layout(read_graph([x * 2])).rankdir  # short: left to right
    'LR'
    >>> y = x
    >>> for _ in range(12):
    ...     y = al.tanh(y)
    >>> choose_layout(read_graph([y])).rankdir  # a long chain: top to bottom
    'TB'
    """
    sizes = {node.id: node_size(node) for node in records.nodes}
    ranked = _ranks(records)
    lr = _extent(ranked, sizes, across=1)  # (length along the ranks, breadth across them)
    tb = _extent(ranked, sizes, across=0)
    lr_width, tb_width = lr[0], tb[1]
    if legend_entries:
        lr_width += LEGEND_ENTRY[0] + RANK_SEP  # a column of entries right of the outputs
        tb_width = max(tb_width, 2 * LEGEND_ENTRY[0])  # rows of entries below them
    rankdir = "LR" if lr_width <= PAGE_WIDTH or lr_width <= tb_width else "TB"
    # The legend's entries per rank: as many as fit across the graph, and at least 4.
    if rankdir == "LR":
        per_rank = math.floor(lr[1] / LEGEND_ENTRY[1])
    else:
        per_rank = math.floor(tb[1] / LEGEND_ENTRY[0])
    return Layout(rankdir, max(4, min(per_rank, legend_entries)))


def node_size(node: NodeRecord) -> tuple[float, float]:
    """The (width, height) in points that Graphviz gives the node's label, roughly."""
    lines = [text for _, text in node.rows()] or [""]
    text_width = CHAR_WIDTH * max(len(line) for line in lines)
    if node.kind == "op":  # an ellipse around one line
        return 1.25 * text_width + 24.0, 36.0
    return text_width + 16.0, max(36.0, LINE_HEIGHT * len(lines) + 8.0)


def _ranks(records: GraphRecords) -> list[list[str]]:
    """The node ids by rank, as ``dot`` places them: counted back from the outputs, every
    node one rank before its earliest consumer (an input sits next to the op that takes it,
    not beside the first inputs). Kahn's algorithm over the reversed edges."""
    waiting = {node.id: 0 for node in records.nodes}  # consumers not yet placed
    producers: dict[str, list[str]] = {node.id: [] for node in records.nodes}
    for edge in records.edges:
        if edge.source in waiting and edge.target in waiting:
            waiting[edge.source] += 1
            producers[edge.target].append(edge.source)
    depth = dict.fromkeys(waiting, 0)
    ready = deque(i for i, n in waiting.items() if n == 0)
    while ready:
        i = ready.popleft()
        for j in producers[i]:
            depth[j] = max(depth[j], depth[i] + 1)
            waiting[j] -= 1
            if waiting[j] == 0:
                ready.append(j)
    by_rank: list[list[str]] = [[] for _ in range(max(depth.values(), default=-1) + 1)]
    for i, d in depth.items():
        by_rank[d].append(i)
    return by_rank[::-1]


def _extent(
    ranked: Sequence[Sequence[str]], sizes: dict[str, tuple[float, float]], across: int
) -> tuple[float, float]:
    """(length, breadth) of the drawing: ranks one after another along the layout, each
    rank's nodes side by side across it. ``across`` is the size index (0 width, 1 height)
    that lies across the ranks: 1 for left to right, 0 for top to bottom."""
    along = 1 - across
    length = sum(max(sizes[i][along] for i in rank) for rank in ranked if rank)
    length += RANK_SEP * max(len(ranked) - 1, 0)
    breadth = max(
        (sum(sizes[i][across] for i in rank) + NODE_SEP * (len(rank) - 1) for rank in ranked),
        default=0.0,
    )
    return length, breadth
