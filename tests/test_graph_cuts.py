"""No path turns a tensor that requires grad into a constant silently while grad mode is on.

numpy converts anything it does not dispatch through ``__array__``: a list holding Tensors
(``np.mean([x, y])``, ``np.array([x, y])``, ``np.r_``) would become a constant array and the
gradient would vanish. That conversion raises, naming the fix; explicit reads still work.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

import autograd_lite as al

CONVERSIONS = {
    "np.array of a list": lambda t: np.array([t, t * 2.0]),
    "np.asarray": lambda t: np.asarray(t),
    "np.mean of a list": lambda t: np.mean([t, t + 2]),
    "np.max of a list": lambda t: np.max([t, t + 2]),
    "np.append of lists": lambda t: np.append([t], [t]),
    "np.r_": lambda t: np.r_[t, t],
    "np.c_": lambda t: np.c_[t, t],
    "np.sum of a list": lambda t: np.sum([t, t]),
}


@pytest.mark.parametrize("convert", CONVERSIONS.values(), ids=CONVERSIONS.keys())
def test_implicit_conversion_of_a_tensor_that_requires_grad_raises_naming_the_fix(convert):
    t = al.tensor([3.0], requires_grad=True)
    with pytest.raises(TypeError, match=r"requires grad.*al\.stack.*detach\(\).*no_grad"):
        convert(t)


def test_the_reported_graph_cuts_raise_instead_of_losing_the_gradient():
    t = al.tensor(3.0, requires_grad=True)
    with pytest.raises(TypeError, match="requires grad"):
        al.sum(np.array([t, t * 2.0]))
    with pytest.raises(TypeError, match="requires grad"):
        al.grad(lambda x: np.mean([x, x + 2]))(0.0)
    # the ways that keep the gradient
    np.testing.assert_allclose(al.grad(lambda x: al.stack([x, x + 2]).mean())(0.0), 1.0)
    np.testing.assert_allclose(al.grad(lambda x: np.mean(al.stack([x, x + 2])))(0.0), 1.0)


@pytest.mark.parametrize("convert", CONVERSIONS.values(), ids=CONVERSIONS.keys())
def test_conversion_works_without_grad_and_under_no_grad(convert):
    expected = convert(np.array([3.0]))
    np.testing.assert_array_equal(np.asarray(convert(al.tensor([3.0]))), expected)
    t = al.tensor([3.0], requires_grad=True)
    with al.no_grad():
        np.testing.assert_array_equal(np.asarray(convert(t)), expected)


def test_explicit_reads_of_a_tensor_that_requires_grad_still_work():
    t = al.tensor([1.0, 2.0], requires_grad=True)
    y = t * 2
    assert y.data.tolist() == [2.0, 4.0]
    assert t.detach().data is t.data
    assert t.numpy() is t.data
    assert float(y.sum()) == 6.0 and y.sum().item() == 6.0
    assert "tensor([2., 4.]" in repr(y) and "[2. 4.]" in str(y.data)
    assert y.tolist() == [2.0, 4.0]
    np.testing.assert_array_equal(y > 3, [False, True])  # comparisons give plain arrays
    nodes = json.loads(al.graph_to_json(y))["nodes"]  # pictures read values explicitly
    assert [n["data"] for n in nodes if n["kind"] == "tensor"][0] == "[2, 4]"


def test_numpy_function_without_a_rule_giving_unequal_parts_names_itself():
    t = al.tensor(np.arange(4.0), requires_grad=True)
    with pytest.raises(TypeError, match=r"numpy\.histogram has no gradient rule.*requires grad"):
        np.histogram(t, bins=3)  # (counts, edges): parts of unequal shapes
    counts, edges = np.histogram(al.tensor(np.arange(4.0)), bins=3)
    assert counts.tolist() == [1, 1, 2] and len(edges) == 4


def test_a_transform_given_a_tensor_that_requires_grad_stays_differentiable():
    x = al.tensor([1.0, 2.0], requires_grad=True)
    g = al.grad(lambda v: (v**3).sum())(x)  # 3 x^2, still a function of x
    assert isinstance(g, al.Tensor) and g.requires_grad
    g.sum().backward()
    np.testing.assert_allclose(x.grad, 6 * x.data)
    # a tensor that does not require grad is a plain value: arrays come back
    assert type(al.grad(lambda v: (v**3).sum())(al.tensor([1.0]))) is np.ndarray


def test_dlpack_shares_the_data_and_refuses_a_tensor_that_requires_grad():
    plain = al.tensor([1.0, 2.0])
    shared = np.from_dlpack(plain)
    assert np.shares_memory(shared, plain.data)
    t = al.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(TypeError, match="requires grad"):
        np.from_dlpack(t)
    with al.no_grad():
        np.testing.assert_array_equal(np.from_dlpack(t), [1.0, 2.0])
