"""The in-place guard reaches the memory a saved array views: a minibatch slice of a dataset,
or a detached view of a parameter, cannot have that memory changed under a live graph."""

from __future__ import annotations

import numpy as np
import pytest

import autograd_lite as al


def test_the_array_a_saved_view_looks_into_is_read_only_until_backward():
    X = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    w = al.tensor([1.0, 1.0], requires_grad=True)
    loss = ((X[0:2] @ w) ** 2).sum()  # the constant saved is a view of X
    with pytest.raises(ValueError, match="read-only"):
        X[:] = 0.0  # it went through, and w.grad became [0, 0]
    loss.backward()
    np.testing.assert_allclose(w.grad, [48.0, 68.0])  # 2 xb^T (xb w)
    X[:] = 0.0  # released: the caller's buffer is its own again
    assert X.flags.writeable


def test_an_optimizer_step_under_a_graph_holding_a_view_of_the_parameter_is_caught():
    p = al.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True, name="p")
    q = al.tensor(np.ones((2, 2)), requires_grad=True)
    loss = (p.detach().T * q).sum()  # a view of p's array, as a constant
    p.grad = np.ones((2, 2))
    al.optim.SGD([p], lr=10.0).step()  # p gets a fresh array; the graph keeps the old one
    with pytest.raises(RuntimeError, match=r"input 0 \(a tensor of shape \(2, 2\)\) was changed"):
        loss.backward()  # it gave q.grad [[-9, -7], [-8, -6]] where [[1, 3], [2, 4]] is right
    np.testing.assert_allclose(p.data, [[-9.0, -8.0], [-7.0, -6.0]])


def test_holding_a_view_twice_and_its_base_once_releases_each_once():
    X = np.arange(6.0).reshape(3, 2)
    w = al.tensor([1.0, -1.0], requires_grad=True)
    first = (X[:2] @ w).sum()
    second = (X @ w).sum()  # X itself, held by a second node
    first.backward()
    assert not X.flags.writeable  # the second graph still reads it
    second.backward()
    assert X.flags.writeable


def test_a_view_released_before_the_array_it_views_is_writable_once_that_is_released():
    owner = np.arange(6.0)
    X, Y = owner.reshape(3, 2), owner[:2]  # two views of one array, in two graphs
    w = al.tensor([1.0, -1.0], requires_grad=True)
    first = (X @ w).sum()  # holds X and owner
    second = (Y * w).sum()  # holds Y and owner
    first.backward()  # X's release waits: owner is still held by the second graph
    assert not X.flags.writeable
    second.backward()
    assert X.flags.writeable and Y.flags.writeable and owner.flags.writeable
