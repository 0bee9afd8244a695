"""The explorer page's content, read in Python: its steps are the engine's trace, its SVG has
an element for every id a step names, and the file fetches nothing.

The page's behaviour in a browser is tested in test_explorer_browser.py.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re

import numpy as np
import pytest
from explorer_graphs import chain_loss, readme_loss, reused_loss

import autograd_lite as al
from autograd_lite import cli
from autograd_lite.explorer.steps import summary
from autograd_lite.trace import describe


def page_data(page_html):
    found = re.search(r'<script type="application/json" id="al-data">(.*?)</script>', page_html)
    return json.loads(found.group(1), parse_constant=pytest.fail)


def svg_ids(page_html):
    svg = page_html[page_html.index("<svg") : page_html.index("</svg>")]
    return set(re.findall(r'<g id="([^"]+)" class="(?:node|edge)"', svg))


@pytest.mark.parametrize("make", [readme_loss, reused_loss])
def test_the_backward_steps_are_trace_backward_step_for_step(make):
    loss = make()[0]
    page = al.explore(loss)
    shown = [s for s in page.steps if s["phase"] == "backward"]
    trace = al.trace_backward(loss)  # the graph is intact: explore kept it
    assert len(shown) == len(trace.steps)
    accumulations = iter(trace.accumulations)
    for step, traced in zip(shown, trace.steps, strict=True):
        assert (step["name"], step["op"]) == (traced["node"], traced["op"])
        assert step["grad"]["text"] == traced["grad_in"]
        sent = [
            (s["input"], s["argnum"], s["rule"], s["formula"], s["grad"]["text"])
            for s in step["sent"]
        ]
        assert sent == [
            (s["input"], s["argnum"], s["rule"], s["formula"], s["grad"]) for s in traced["sent"]
        ]
        for s in step["sent"]:
            if s["accumulated"] is not None:
                traced_acc = next(accumulations)
                assert (s["input"], s["accumulated"]["had"], s["accumulated"]["added"]) == (
                    traced_acc["node"],
                    traced_acc["had"],
                    traced_acc["added"],
                )
    assert next(accumulations, None) is None  # every accumulation was shown


def test_an_accumulation_shows_had_plus_added_equals_total():
    loss, x = reused_loss()
    page = al.explore(loss)
    added = [s["accumulated"] for st in page.steps for s in st.get("sent", []) if s["accumulated"]]
    assert len(added) == 2  # h feeds multiply twice and sum once: two additions
    h = np.tanh(x.data)
    # the second addition into h: 2h (from h * h) + 1 (from sum)
    assert added[-1]["total"] == describe(2 * h + 1)


def test_explore_touches_no_grad_and_keeps_the_graph():
    loss, inputs = readme_loss()
    al.explore(loss)
    assert all(t.grad is None for t in inputs)
    loss.backward()  # still possible: the page's pass kept the saved values
    fresh, fresh_inputs = readme_loss()
    fresh.backward()
    for t, u in zip(inputs, fresh_inputs, strict=True):
        np.testing.assert_array_equal(t.grad, u.grad)


def test_every_id_a_step_names_is_an_element_of_the_svg():
    loss = readme_loss()[0]
    page = al.explore(loss)
    ids = svg_ids(page.to_html())
    named = set()
    for step in page.steps:
        named |= {step["id"], *step["edges"]} | ({step["op_id"]} - {None})
        named |= {s["input_id"] for s in step.get("sent", [])}
    assert named <= ids, named - ids
    # and every step highlights something: its node, and for an op its edges
    assert all(step["id"] in ids for step in page.steps)
    assert all(step["edges"] for step in page.steps if step["op"] is not None)


def test_the_edges_of_a_step_are_those_its_gradients_flow_along():
    loss = readme_loss()[0]
    page = al.explore(loss)
    matmul = next(s for s in page.steps if s["phase"] == "backward" and s["op"] == "matmul")
    inputs = {s["input_id"] for s in matmul["sent"]}
    into_op = {e for e in matmul["edges"] if e.endswith(("_a", "_b"))}
    assert len(inputs) == 2 and len(into_op) == 2
    assert {e.split("_")[1] for e in into_op} == inputs
    assert f"e_{matmul['op_id']}_{matmul['id']}" in matmul["edges"]


def test_the_page_fetches_nothing_and_its_policy_allows_only_its_own_script_and_style():
    text = al.explore(readme_loss()[0]).to_html()
    assert (
        "http:" not in text
        and "https:" not in text
        and "//" not in re.sub(r"<script>.*?</script>", "", text, flags=re.DOTALL)
    )
    assert not re.search(r"<(script|link|img|iframe)[^>]+(src|href)=", text)
    policy = html.unescape(re.search(r'Content-Security-Policy" content="([^"]+)"', text)[1])
    assert policy.startswith("default-src 'none';")
    script = re.search(r"<script>(.*?)</script>", text, re.DOTALL)[1]
    style = re.search(r"<style>(.*?)</style>", text, re.DOTALL)[1]
    for kind, body in (("script-src", script), ("style-src", style)):
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert f"{kind} 'sha256-{digest}'" in policy
    assert " style=" not in text  # an inline style attribute would break the policy


def test_small_values_show_in_full_and_large_ones_as_a_summary_and_a_strip():
    assert summary(np.array([1.0, 2.0])) == {"text": "[1, 2]", "shape": [2]}
    big = summary(np.arange(100.0).reshape(10, 10))
    assert big["text"] == describe(np.arange(100.0).reshape(10, 10))
    assert big["text"].startswith("shape (10, 10): min 0 mean 49.5 max 99")
    assert len(big["strip"]) == 48 and big["strip"][0] < big["strip"][-1]


def test_nan_and_inf_reach_the_page_as_text_not_as_invalid_json():
    x = al.tensor([0.0, 1.0], requires_grad=True, name="x")
    with np.errstate(all="ignore"):
        page = al.explore(al.sum(al.log(x)))
        data = page_data(page.to_html())  # parse_constant fails on NaN or Infinity
    grads = [s["grad"]["text"] for s in data["steps"] if s["name"] == "x"]
    assert grads == ["[inf, 1]"]


def test_a_small_node_shows_its_local_jacobian_and_that_jt_g_is_the_sent_gradient():
    loss = readme_loss()[0]
    page = al.explore(loss)
    soft = next(s for s in page.steps if s["phase"] == "backward" and s["op"] == "softmax")
    (jac,) = soft["jacobian"]
    W, x, b = (t.data for t in readme_loss()[1])
    z = W @ x + b
    s = np.exp(z) / np.exp(z).sum()
    np.testing.assert_allclose(jac["matrix"], np.diag(s) - np.outer(s, s), atol=1e-15)
    assert jac["jtg"] == jac["sent"] and jac["difference"] < 1e-15
    matmul = next(s for s in page.steps if s["phase"] == "backward" and s["op"] == "matmul")
    assert matmul["jacobian"] is None  # W has 12 elements: more than a handful


def test_a_softmax_node_shows_the_rule_beside_the_jacobian_and_the_questions_rule():
    z = np.array([2.0, 1.0, 0.1, -1.0])
    t = al.tensor(z, requires_grad=True, name="z")
    page = al.explore(-al.log(al.softmax(t)[0]))
    story = next(s["softmax"] for s in page.steps if s["phase"] == "backward" and s["softmax"])
    s = np.exp(z) / np.exp(z).sum()
    g = np.array([-1 / s[0], 0, 0, 0])
    assert story["rule"] == describe(s * (g - np.sum(g * s)))
    assert story["jtg"] == story["rule"] and story["difference"] < 1e-12
    np.testing.assert_allclose(story["matrix"], np.diag(s) - np.outer(s, s))
    # the question's loop: the input where the output belongs, only the last j kept
    asked = -s * z[-1]
    assert story["asked_local"] == describe(asked)
    assert story["asked_sent"] == describe(g * asked) != story["rule"]


@pytest.mark.parametrize(
    ("shape", "axis"), [((), -1), ((1,), -1), ((1, 1), 0), ((2, 3), None), ((2, 3), (0, 1))]
)
def test_a_softmax_of_one_element_or_over_several_axes_has_its_story(shape, axis):
    # a 0-d softmax raised numpy's AxisError, axis=None or a tuple a TypeError
    z = np.arange(1.0, 1.0 + np.prod(shape, dtype=int)).reshape(shape) / 4
    x = al.tensor(z, requires_grad=True, name="z")
    weights = np.arange(2.0, 2.0 + z.size).reshape(shape)
    page = al.explore(al.sum(al.softmax(x, axis=axis) * weights))
    (story,) = [s["softmax"] for s in page.steps if s["phase"] == "backward" and s["softmax"]]
    s = np.exp(z.ravel()) / np.exp(z.ravel()).sum()
    g = weights.ravel()
    assert story["s"] == describe(s) and story["slice"] == ""
    assert story["rule"] == describe(s * (g - np.sum(g * s)))
    np.testing.assert_allclose(story["matrix"], np.diag(s) - np.outer(s, s), atol=1e-15)
    assert page_data(page.to_html())["steps"]


def test_the_graph_command_writes_the_page_of_a_0d_softmax(tmp_path):
    path = tmp_path / "page.html"
    assert cli.main(["graph", "softmax(x)", "-o", str(path)]) == 0
    steps = page_data(path.read_text(encoding="utf-8"))["steps"]
    (story,) = [s["softmax"] for s in steps if s["phase"] == "backward" and s["softmax"]]
    assert story["s"] == "[1]" and story["matrix"] == [[0.0]]


def test_past_max_nodes_the_page_keeps_the_nodes_nearest_the_output_and_counts_the_rest():
    page = al.explore(chain_loss(2_000), max_nodes=40)
    data = page_data(page.to_html())
    assert data["omitted"] == page.omitted > 5_000 - 40
    assert len(svg_ids(page.to_html())) < 100
    backward = [s for s in data["steps"] if s["phase"] == "backward"]
    assert backward[0]["op"] == "sum" and 0 < len(backward) < 40
    assert all(s["name"] != "x" for s in data["steps"])  # x is the furthest node


def test_a_long_chain_gives_a_page_of_max_nodes():
    page = al.explore(chain_loss(20_000))  # 300 nodes by default
    assert page.omitted > 50_000 - 300
    assert page.to_html().count('class="node"') == 300 + 1  # and the note of those left out
    assert sum(s["phase"] == "backward" for s in page.steps) < 300


def test_explore_refuses_what_it_cannot_show():
    x = al.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(ValueError, match="shape \\(2,\\) has 2 elements.*out.sum"):
        al.explore(x * 2)
    with pytest.raises(ValueError, match="does not require grad"):
        al.explore(al.tensor(1.0) * 2)
    with pytest.raises(ValueError, match="at least one output"):
        al.explore()
    with pytest.raises(TypeError, match="takes Tensors, got ndarray"):
        al.explore(np.ones(1))
    loss = al.sum(x * x)
    loss.backward()
    with pytest.raises(RuntimeError, match="explore\\(\\) runs the reverse pass.*retain_graph"):
        al.explore(loss)


def test_save_writes_the_page_whole_and_refuses_another_suffix(tmp_path):
    page = al.explore(readme_loss()[0])
    path = page.save(tmp_path / "page.html")
    assert path.read_text(encoding="utf-8") == page.to_html()
    with pytest.raises(ValueError, match="ending .html"):
        page.save(tmp_path / "page.svg")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["page.html"]


def test_a_notebook_shows_the_page_in_a_sandboxed_frame():
    page = al.explore(readme_loss()[0])
    shown = page._repr_html_()
    assert shown.startswith("<iframe") and 'sandbox="allow-scripts"' in shown
    srcdoc = re.search(r'srcdoc="([^"]*)"', shown)[1]
    assert html.unescape(srcdoc) == page.to_html()


def test_the_graph_command_writes_the_page_for_html(tmp_path):
    path = tmp_path / "page.html"
    expression = ["-log(softmax(W @ x + b)[0])", "--shape", "W=3x4", "--shape", "x=4"]
    assert cli.main(["graph", *expression, "--shape", "b=3", "-o", str(path)]) == 0
    data = page_data(path.read_text(encoding="utf-8"))
    ops = [s["op"] for s in data["steps"] if s["phase"] == "backward"]
    assert ops == ["negative", "log", "getitem", "softmax", "add", "matmul", None, None, None]
    assert {s["name"] for s in data["steps"] if s["op"] is None} == {"W", "x", "b"}


def test_the_graph_command_refuses_a_page_without_a_reverse_pass(tmp_path, capsys):
    path = tmp_path / "page.html"
    assert cli.main(["graph", "exp(x)", "--shape", "x=3", "-o", str(path)]) == 2
    assert "the page steps through the reverse pass, but no gradients" in capsys.readouterr().err
    assert not path.exists()


def test_several_outputs_are_each_seeded_with_one():
    x = al.tensor([0.5, -1.0], requires_grad=True, name="x")
    h = al.tanh(x)
    page = al.explore(al.sum(h * h), al.max(h))
    (leaf,) = [s for s in page.steps if s["phase"] == "backward" and s["name"] == "x"]
    t = np.tanh(x.data)
    expected = (2 * t + np.array([1.0, 0.0])) * (1 - t * t)  # max(h) is at h[0]
    assert leaf["grad"]["text"] == describe(expected)
    assert x.grad is None


def test_explore_names_an_input_changed_in_place_since_the_forward_pass():
    from autograd_lite.inplace import writable

    loss, (W, _, _) = readme_loss()
    writable(W)[...] = 0  # as an optimizer step does: the graph keeps the old values
    with pytest.raises(RuntimeError, match="runs the reverse pass itself.*changed in place"):
        al.explore(loss)
