"""The step-by-step trace of a backward pass (al.trace_backward): order, rules, accumulations."""

from __future__ import annotations

import numpy as np

import autograd_lite as al


def diamond():
    x = al.tensor([0.5, -1.0], requires_grad=True, name="x")
    a = al.exp(x)
    a.name = "a"  # used twice: by multiply and by tanh
    return x, a, (a * 3 + al.tanh(a)).sum()


def test_trace_of_a_diamond_is_in_reverse_topological_order():
    x, a, loss = diamond()
    trace = al.trace_backward(loss)
    tensors = {label: t for t, label in trace.labels.items()}
    order = [tensors[step["node"]] for step in trace.steps]
    assert order[0] is loss and order[-1] is x and len(order) == 6
    position = {id(t): k for k, t in enumerate(order)}
    for t in order:  # every consumer of t was processed before t
        consumers = [u for u in order if any(i is t for i in u.inputs)]
        assert all(position[id(u)] < position[id(t)] for u in consumers)
    assert sum(1 for u in order if any(i is a for i in u.inputs)) == 2  # the diamond


def test_trace_shows_exactly_one_accumulation_and_the_same_gradients():
    x, a, loss = diamond()
    trace = al.trace_backward(loss)
    assert [e["node"] for e in trace.accumulations] == ["a"]
    x2, _, loss2 = diamond()
    loss2.backward()
    np.testing.assert_array_equal(x.grad, x2.grad)


def test_a_gradient_sent_after_an_accumulation_belongs_to_its_step():
    # h's first gradient comes from sum(h); multiply(h, h) then adds into h (an accumulation
    # event) and sends to its second input: that send is still multiply's
    x = al.tensor([0.5, -1.0], requires_grad=True, name="x")
    h = al.tanh(x)
    h.name = "h"
    trace = al.trace_backward(al.sum(h) + al.sum(h * h))
    (multiply,) = [step for step in trace.steps if step["op"] == "multiply"]
    assert [(s["input"], s["argnum"]) for s in multiply["sent"]] == [("h", 0), ("h", 1)]
    assert [e["node"] for e in trace.accumulations] == ["h", "h"]


def test_trace_names_each_rule_and_its_formula_and_prints_as_a_table():
    _, _, loss = diamond()
    trace = al.trace_backward(loss)
    exp_step = next(s for s in trace.steps if s["op"] == "exp")
    assert exp_step["sent"][0]["formula"] == "d exp(x)/dx = exp(x), written with the saved output."
    text = str(trace)
    assert "d tanh(x)/dx = 1 - tanh(x)^2" in text and "accumulate" in text
    assert "<table>" in trace._repr_html_()
    dicts = trace.to_dicts()
    assert dicts[0]["kind"] == "step" and dicts[0]["op"] == "sum"
