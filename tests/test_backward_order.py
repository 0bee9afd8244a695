"""The order of the reverse pass: latest made first, so a node runs after all its consumers.

backward keeps no walk of the graph: it pops the latest-made node with a pending gradient
(each node is numbered when it is made, after its inputs). These tests hold the numbering
to that promise where nodes are made other than by an op: copies and unpickled tensors.
"""

from __future__ import annotations

import copy
import pickle

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

import autograd_lite as al
from autograd_lite.engine import reverse_topological_order


def test_a_node_runs_once_after_all_its_consumers_whatever_their_path_lengths():
    # x feeds the output directly and through a chain of ten ops: its rules must wait for both
    x = al.tensor([0.3, -0.2], requires_grad=True, name="x")
    y = x
    for _ in range(5):
        y = al.tanh(y) * 1.5
    out = (y + x * x).sum()
    trace = al.trace_backward(out)
    reached = [step["node"] for step in trace.steps]
    assert len(reached) == len(set(reached)) == 14  # each node once, with all its gradient
    assert reached[-1] == "x"
    values, d = [x.data], np.ones(2)  # the chain rule by hand
    for _ in range(5):
        values.append(np.tanh(values[-1]) * 1.5)
    for v in reversed(values[:-1]):
        d = d * 1.5 * (1 - np.tanh(v) ** 2)
    np.testing.assert_allclose(x.grad, d + 2 * x.data, rtol=1e-12)


@given(st.lists(st.integers(0, 3), min_size=1, max_size=12))
def test_every_node_is_numbered_after_its_inputs(choices):
    nodes = [al.tensor([1.0, 2.0], requires_grad=True), al.tensor([0.5, 0.25], requires_grad=True)]
    for i, c in enumerate(choices):
        a, b = nodes[i % len(nodes)], nodes[(i * 7 + c) % len(nodes)]
        nodes.append([a * b, a + b, al.tanh(a), al.tanh(b) - a][c])
    order, _ = reverse_topological_order([nodes[-1]])
    for t in order:
        for x in t.inputs:
            if isinstance(x, al.Tensor):
                assert x._seq < t._seq


def test_a_shallow_copy_of_an_op_result_is_a_node_of_its_own():
    x = al.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    z = copy.copy(y)  # same op, same inputs: two nodes made from one
    assert z.op is y.op and z.inputs[0] is x
    (z * y).sum().backward()  # (2x)^2: d/dx = 8x
    np.testing.assert_allclose(x.grad, 8 * x.data)


def test_an_unpickled_leaf_is_numbered_when_it_is_loaded():
    saved = pickle.dumps(al.tensor([1.0, 2.0], requires_grad=True, name="w"))
    made_since = al.tensor(3.0, requires_grad=True) * 2  # numbered after the pickled leaf
    w = pickle.loads(saved)
    assert w.name == "w" and w.requires_grad
    assert w._seq > made_since._seq  # not the number it had when it was pickled
    grads = al.grad(lambda a: (a * made_since.detach() + a).sum())(w)
    np.testing.assert_allclose(grads, [7.0, 7.0])
