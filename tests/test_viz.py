"""Pictures of the graph: labels, styles, escaping, JSON, rendering, and large graphs."""

from __future__ import annotations

import json
import sys
import time
import traceback
import xml.etree.ElementTree as ET

import numpy as np
import pytest

import autograd_lite as al
from autograd_lite.summaries import summarize
from autograd_lite.viz import DotNotFoundError, draw_graph, graph_to_json, render

SVG_TEXT = "{http://www.w3.org/2000/svg}text"


def leaf(values, name):
    return al.tensor(np.asarray(values, dtype=np.float64), requires_grad=True, name=name)


def records(*outputs, **kw):
    return json.loads(graph_to_json(*outputs, **kw))


def by_label(graph, kind=None):
    """Nodes keyed by their plain label (of the given kind)."""
    return {n["label"]: n for n in graph["nodes"] if kind is None or n["kind"] == kind}


def edge_set(graph):
    return {(e["source"], e["target"], e["label"]) for e in graph["edges"]}


def diamond():
    x = leaf(0.7, "x")
    a = al.exp(x)
    a.name = "a"
    b = a * 2
    c = al.log(a)
    return x, a, b * c


def three_layer_loss():
    rng = np.random.default_rng(0)
    x = al.tensor(rng.standard_normal((5, 4)), name="x")
    params = []
    sizes = [(4, 8), (8, 8), (8, 3)]
    h = x
    for i, (n_in, n_out) in enumerate(sizes, start=1):
        w = leaf(rng.standard_normal((n_in, n_out)) / 2, f"layer{i}.weight")
        b = leaf(np.zeros(n_out), f"layer{i}.bias")
        params += [w, b]
        h = al.linear(h, w, b)
        if i < len(sizes):
            h = al.tanh(h)
    loss = al.cross_entropy(h, np.array([0, 1, 2, 1, 0]))
    return loss, params


# --- labels and escaping ------------------------------------------------------------------
def test_a_hostile_name_appears_in_the_rendered_svg_exactly_as_named(tmp_path):
    name = '<W{1}> "q" | x'
    w = leaf([1.0, 2.0], name)
    path = render(draw_graph(al.sum(w * w)), tmp_path / "g.svg")
    texts = [t.text for t in ET.parse(path).getroot().iter(SVG_TEXT)]
    assert name in texts


def test_labels_are_escaped_in_the_dot_source():
    w = leaf([1.0], "<b>&'")
    source = draw_graph(w * 2).source
    assert "&lt;b&gt;&amp;&#x27;" in source
    assert "<b>&'" not in source


def test_op_nodes_show_name_and_attributes():
    x = leaf(np.ones((2, 3)), "x")
    graph = records(al.softmax(x, axis=-1).sum(axis=1), x[0, 1:], x.sum(), show_data=False)
    ops = by_label(graph, "op")
    assert {"sum axis=1", "softmax axis=-1", "getitem index=[0, 1:]", "sum"} <= set(ops)
    assert ops["sum axis=1"]["attrs"] == {"axis": "1"}


def test_small_arrays_show_values_larger_ones_min_mean_max():
    small = leaf([1.0, 2.0, 3.0], "small")
    large = leaf(np.arange(10.0), "large")
    nodes = by_label(records(small.sum() + large.sum()))
    assert "small\n(3,) float64\ndata [1, 2, 3]" in nodes
    assert "large\n(10,) float64\ndata min 0 mean 4.5 max 9" in nodes


def test_signed_zeros_read_0_and_rounding_noise_reads_approximately_0():
    centred = leaf([0.3, -0.1, -0.2, 1e-17, 0.05, -0.05, 0.0], "centred")  # mean 1.4e-18
    loss = al.sum(centred * -0.0)  # every gradient element is -0.0
    loss.backward()
    assert np.signbit(centred.grad).all()
    nodes = by_label(records(loss))
    label = "centred\n(7,) float64\ndata min -0.2 mean ~0 max 0.3\ngrad min 0 mean 0 max 0"
    assert label in nodes
    assert "-0 " not in draw_graph(loss).source and "e-18" not in draw_graph(loss).source


@pytest.mark.parametrize(
    ("values", "dtype", "shown"),
    [
        ([1.0, 0.05], np.float16, "[1, 0.04999]"),  # 0.05 in float16; it read [1, 0]
        ([1000.0, 0.005], np.float32, "[1000, 0.005]"),  # it read [1000, 0]
        ([0.9999996, 3.059e-7], np.float32, "[1, ~0]"),  # a softmax: not 0, below rounding
        ([0.0, -0.0, 2.0], np.float64, "[0, 0, 2]"),
    ],
)
def test_an_exact_value_reads_as_itself_unless_it_is_below_the_arrays_rounding(
    values, dtype, shown
):
    assert summarize(np.array(values, dtype=dtype)) == shown


def test_small_values_that_are_not_noise_are_shown():
    tiny = leaf(np.full(7, 1e-20), "tiny")  # small, but the whole array is at that scale
    assert "tiny\n(7,) float64\ndata min 1e-20 mean 1e-20 max 1e-20" in by_label(records(tiny))


# --- known small graphs -------------------------------------------------------------------
def test_diamond_has_its_nodes_edges_and_shared_mark():
    x, a, out = diamond()
    graph = records(out, show_data=False)
    labels = [n["label"] for n in graph["nodes"]]
    # each tensor, then the op that made it and that op's constants, nearest the output first
    assert labels == [
        "() float64",
        "multiply",
        "() float64",
        "multiply",
        "2",
        "() float64",
        "log",
        "a\n() float64\nused 2 times: gradients summed",
        "exp",
        "x\n() float64",
    ]
    assert edge_set(graph) == {
        ("n1", "n0", ""),
        ("n2", "n1", "x"),
        ("n5", "n1", "y"),
        ("n3", "n2", ""),
        ("n7", "n3", "x"),
        ("n4", "n3", "y"),
        ("n6", "n5", ""),
        ("n7", "n6", ""),
        ("n8", "n7", ""),
        ("n9", "n8", ""),
    }
    roles = {n["id"]: n["role"] for n in graph["nodes"]}
    assert (roles["n0"], roles["n4"], roles["n9"]) == ("output", "constant", "leaf")
    assert graph["outputs"] == ["n0"] and graph["omitted"] == 0
    source = draw_graph(out).source
    assert "used 2 times: gradients summed" in source and "bold" in source


def test_a_tensor_used_twice_by_one_op_is_one_node_with_two_edges():
    x = leaf([1.0, 2.0], "x")
    graph = records(x * x)
    nodes = by_label(graph)
    x_node = nodes["x\n(2,) float64\ndata [1, 2]\nused 2 times: gradients summed"]
    op = nodes["multiply"]
    assert {e for e in edge_set(graph) if e[0] == x_node["id"]} == {
        (x_node["id"], op["id"], "x"),
        (x_node["id"], op["id"], "y"),
    }
    assert x_node["uses"] == 2


def test_three_layer_network_loss():
    loss, params = three_layer_loss()
    graph = records(loss, show_data=False)
    ops = [n["label"] for n in graph["nodes"] if n["kind"] == "op"]
    assert ops == ["cross_entropy axis=-1 reduction='mean'", "linear", "tanh", "linear"] + [
        "tanh",
        "linear",
    ]
    nodes = {n["name"]: n for n in graph["nodes"] if n["kind"] == "tensor" and n["name"]}
    for p in params:
        assert nodes[p.name]["role"] == "leaf"
        assert nodes[p.name]["label"] == f"{p.name}\n{p.shape} float64"
    assert nodes["x"]["role"] == "constant"
    labels = by_label(graph)
    assert labels["(5,) int64\ndata [0, 1, 2, 1, 0]"]["kind"] == "constant"
    linears = [n["id"] for n in graph["nodes"] if n["label"] == "linear"]
    into_linear = {(s, e) for s, t, e in edge_set(graph) if t in linears}
    names = {n["id"]: n["name"] for n in graph["nodes"]}
    assert {(names[s], e) for s, e in into_linear if names[s]} == {
        ("x", "x"),
        *((p.name, "weight" if p.name.endswith("weight") else "bias") for p in params),
    }
    assert len(graph["edges"]) == 3 * 3 + 2 + 2 + 6  # into linears, tanhs, loss; op -> tensor


def test_gradients_appear_only_after_backward():
    loss, params = three_layer_loss()
    before = draw_graph(loss).source
    assert "grad " not in before
    assert all(n["grad"] is None for n in records(loss)["nodes"])
    loss.backward()
    after = records(loss)
    for p in params:
        node = next(n for n in after["nodes"] if n["name"] == p.name)
        assert node["grad"] is not None and "\ngrad " in node["label"]
    assert "grad " in draw_graph(loss).source
    assert "grad " not in draw_graph(loss, show_grad=False).source
    hidden = records(loss, show_data=False)["nodes"]
    assert [n["data"] for n in hidden if n["kind"] == "tensor"] == [None] * 13


def test_nan_or_inf_is_drawn_in_the_warning_colour():
    x = leaf([1.0, -1.0], "x")
    with np.errstate(invalid="ignore"):
        y = al.log(x)  # log(-1) is nan
        y.sum().backward()
    graph = records(y)
    assert [n["nonfinite"] for n in graph["nodes"]] == [True, False, False]
    assert "nan" in graph["nodes"][0]["label"]
    assert 'color="#dc2626"' in draw_graph(y).source


def test_several_outputs_share_one_picture():
    x = leaf([1.0, 2.0], "x")
    graph = records(al.exp(x), al.tanh(x), show_data=False)
    assert graph["outputs"] == ["n0", "n2"]  # each output followed by the op that made it
    labels = [n["label"] for n in graph["nodes"]]
    assert labels[:4] == ["(2,) float64", "exp", "(2,) float64", "tanh"]
    assert labels[4:] == ["x\n(2,) float64\nused 2 times: gradients summed"]


def test_json_is_deterministic():
    first = graph_to_json(three_layer_loss()[0])
    second = graph_to_json(three_layer_loss()[0])
    assert first == second
    assert [n["id"] for n in json.loads(first)["nodes"]] == [f"n{i}" for i in range(20)]


def test_tensor_draw_is_a_shortcut_for_draw_graph():
    _, _, out = diamond()
    assert out.draw(rankdir="TB").source == draw_graph(out, rankdir="TB").source
    assert hasattr(out.draw(), "_repr_mimebundle_")  # Jupyter shows it as SVG


def test_legend_is_drawn_on_request():
    _, _, out = diamond()
    assert "cluster_legend" in draw_graph(out, legend=True).source
    assert "cluster_legend" not in draw_graph(out).source


# --- layout -------------------------------------------------------------------------------
def softmax_example():
    """The README's picture: -log(softmax(W @ x + b)[0]), 13 ranks deep."""
    rng = np.random.default_rng(0)
    W, x, b = (
        leaf(rng.standard_normal((3, 4)), "W"),
        leaf(rng.standard_normal(4), "x"),
        leaf(rng.standard_normal(3), "b"),
    )
    loss = -al.log(al.softmax(W @ x + b)[0])
    loss.backward()
    return loss


def svg_size(graph, tmp_path):
    """(width, height) in points of the rendered picture."""
    root = ET.parse(render(graph, tmp_path / "size.svg")).getroot()
    return float(root.get("width").removesuffix("pt")), float(root.get("height").removesuffix("pt"))


def test_a_long_graph_is_drawn_top_to_bottom_and_fits_a_page(tmp_path):
    graph = draw_graph(softmax_example(), legend=True)
    assert "rankdir=TB" in graph.source
    width, height = svg_size(graph, tmp_path)
    assert width <= 650 and width < height  # left to right it was 2118 x 256 points


def test_a_short_graph_stays_left_to_right_and_rankdir_overrides(tmp_path):
    x = leaf([1.0, 2.0], "x")
    short = al.tanh(x)
    assert "rankdir=LR" in draw_graph(short).source
    assert "rankdir=LR" in draw_graph(softmax_example(), rankdir="LR").source
    width, height = svg_size(draw_graph(short, legend=True), tmp_path)
    assert width <= 750 and height <= 300


def test_the_legend_comes_after_the_outputs_in_rows(tmp_path):
    source = draw_graph(softmax_example(), legend=True).source
    assert "n0 -> legend_intermediate [style=invis]" in source  # the first row's middle
    assert source.count("{rank=same;") == 2  # 7 entries: a row of 4, then 3


# --- rendering ----------------------------------------------------------------------------
def test_render_svg_png_pdf_and_dot(tmp_path):
    graph = draw_graph(three_layer_loss()[0])
    svg = render(graph, tmp_path / "g.svg")
    assert ET.parse(svg).getroot().tag == "{http://www.w3.org/2000/svg}svg"
    assert render(graph, tmp_path / "g.png").read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert render(graph, tmp_path / "g.pdf").read_bytes().startswith(b"%PDF")
    assert render(graph, tmp_path / "g.dot").read_text() == graph.source
    assert render(graph, tmp_path / "picture", format="svg").read_bytes().startswith(b"<?xml")


def test_a_rendered_file_gets_the_usual_permissions(tmp_path):
    (tmp_path / "plain").write_bytes(b"")
    path = render(draw_graph(diamond()[2]), tmp_path / "g.svg")
    assert path.stat().st_mode == (tmp_path / "plain").stat().st_mode
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g.svg", "plain"]


def test_without_dot_the_error_names_it_and_nothing_is_written(tmp_path, monkeypatch):
    graph = draw_graph(diamond()[2])
    monkeypatch.setenv("PATH", "")
    with pytest.raises(DotNotFoundError, match="'dot'.*apt-get install graphviz"):
        render(graph, tmp_path / "g.svg")
    assert list(tmp_path.iterdir()) == []
    assert render(graph, tmp_path / "g.dot").read_text().startswith("digraph")


def test_an_unknown_suffix_is_refused(tmp_path):
    with pytest.raises(ValueError, match=r"\.svg, \.png, \.pdf, \.dot"):
        render(draw_graph(diamond()[2]), tmp_path / "g.jpeg")


# --- large graphs -------------------------------------------------------------------------
def test_truncation_keeps_the_nodes_nearest_the_outputs():
    x = leaf(1.0, "x")
    y = x
    for _ in range(10):
        y = al.tanh(y)
    graph = records(y, max_nodes=5, show_data=False)
    assert [n["label"] for n in graph["nodes"]] == [
        "() float64",
        "tanh",
        "() float64",
        "tanh",
        "() float64",
        "... 16 more nodes not drawn",
    ]
    assert graph["omitted"] == 16  # 21 nodes: 11 tensors and 10 ops
    assert ("n5", "n4", "") in edge_set(graph)


def test_truncation_counts_the_constants_of_the_ops_it_leaves_out():
    y = leaf(1.0, "x")
    for _ in range(10):
        y = y * 2.0
    graph = records(y, max_nodes=5, show_data=False)
    assert graph["omitted"] == 26  # 31 nodes: 11 tensors, 10 ops and their 10 constants


def test_a_100000_node_chain_is_cut_without_recursion():
    x = leaf(0.5, "x")
    y = x
    for _ in range(100_000):
        y = al.tanh(y)
    depth = len(traceback.extract_stack())
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(depth + 100)  # any recursion over the chain would fail
    try:
        start = time.perf_counter()
        graph = draw_graph(y, max_nodes=300)
        seconds = time.perf_counter() - start
        fixture = json.loads(graph_to_json(y, max_nodes=300))
    finally:
        sys.setrecursionlimit(limit)
    print(f"draw_graph of a 100,000-op chain: {seconds:.3f} s")  # measured, not asserted
    assert sum(" -> " not in line and "[label=" in line for line in graph.body) == 301
    assert len(fixture["nodes"]) == 301
    assert fixture["omitted"] == 200_001 - 300  # 100,001 tensors and 100,000 ops
