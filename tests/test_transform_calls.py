"""What a transform's result is part of: a function that closes over a tensor requiring grad
gives Tensors of that graph, f runs once per jvp, and what cannot be traced is refused."""

from __future__ import annotations

import numpy as np
import pytest

import autograd_lite as al


def test_a_gradient_of_a_function_closing_over_a_parameter_carries_its_gradient():
    # grad was a plain array there, so W's gradient through it was lost: [1, -4, 12]
    W = al.tensor([1.0, -2.0, 3.0], requires_grad=True)
    x0 = np.array([0.5, 1.0, 2.0])
    g = al.grad(lambda x: (W * x**2).sum())(x0)  # 2 W x
    assert isinstance(g, al.Tensor) and g.requires_grad
    (W * g).sum().backward()  # d/dW sum(2 W^2 x) = 4 W x
    np.testing.assert_allclose(W.grad, 4 * W.data * x0)


def test_jacobian_and_vjp_of_a_closure_are_tensors_of_its_graph():
    W = al.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    J = al.jacobian(lambda x: W @ x)(np.array([1.0, -1.0]))
    assert isinstance(J, al.Tensor)
    J.sum().backward()
    np.testing.assert_allclose(W.grad, np.ones((2, 2)))
    out, pullback = al.vjp(lambda x: W @ x, np.array([1.0, -1.0]))
    assert isinstance(out, al.Tensor) and isinstance(pullback(np.ones(2))[0], al.Tensor)


def test_a_transform_over_a_closure_leaves_the_users_graph_for_the_users_backward():
    W = al.tensor([1.0, 2.0], requires_grad=True)
    h = W * 2
    al.grad(lambda x: (h * x).sum())(np.array([3.0, 4.0]))
    (h * h).sum().backward()  # it raised: the transform's backward had released h's node
    np.testing.assert_allclose(W.grad, 8 * W.data)


def test_jvp_runs_f_once_so_value_and_tangent_agree():
    calls = []
    rng = np.random.default_rng(0)

    def f(x):
        calls.append(1)
        return x * (rng.random(x.shape) < 0.5) * 2.0  # a fresh dropout mask per call

    out, tangent = al.jvp(f, [np.ones(8)], [np.ones(8)])
    assert len(calls) == 1
    np.testing.assert_array_equal(out, tangent)  # linear in x, and x == t


@pytest.mark.parametrize("shape", [(3, 1), (2, 3), (1,)])
def test_jvp_refuses_a_tangent_of_another_shape_than_its_primal(shape):
    A = np.arange(6.0).reshape(2, 3)
    with pytest.raises(ValueError, match=r"tangent 0 has shape .* primal has shape \(3,\)"):
        al.jvp(lambda x: al.tensor(A) @ x, [np.ones(3)], [np.ones(shape)])  # was broadcast


@pytest.mark.parametrize(
    "cut", [lambda v: (v * v).sum().item(), lambda v: (v * v).data, lambda v: float(v.sum())]
)
def test_a_function_returning_a_value_cut_from_the_graph_is_refused(cut):
    # its gradient was zeros, as for a constant
    with pytest.raises(TypeError, match="not a Tensor: its gradient cannot be traced"):
        al.grad(cut)([1.0, 2.0])


def test_argnums_may_be_a_numpy_integer():
    g = al.grad(lambda x, y: (x * y).sum(), argnums=np.int64(1))([1.0, 2.0], [3.0, 4.0])
    np.testing.assert_allclose(g, [1.0, 2.0])
    gs = al.grad(lambda x, y: (x * y).sum(), argnums=(np.int64(0), 1))([1.0, 2.0], [3.0, 4.0])
    np.testing.assert_allclose(gs[0], [3.0, 4.0])
