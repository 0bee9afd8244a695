"""grad, value_and_grad, vjp, jvp, jacobian and hessian."""

from __future__ import annotations

import doctest
import gc
import weakref

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import autograd_lite as al

vectors = hnp.arrays(np.float64, st.integers(1, 5), elements=st.floats(-3, 3))


def softmax_jacobian(s):
    return np.diag(s) - np.outer(s, s)


@given(vectors)
def test_jacobian_of_softmax_is_diag_s_minus_s_s_transposed(x):
    s = al.softmax(al.tensor(x)).data
    np.testing.assert_allclose(al.jacobian(al.softmax)(x), softmax_jacobian(s), atol=1e-12)


@given(vectors, st.integers(0, 2**32 - 1))
def test_hessian_of_a_quadratic_form_is_a_plus_a_transposed(x, seed):
    a = np.random.default_rng(seed).standard_normal((x.size, x.size))
    h = al.hessian(lambda v: v @ (a @ v))(x)
    np.testing.assert_allclose(h, a + a.T, atol=1e-10)


@given(vectors)
def test_hessian_of_logsumexp_is_the_softmax_jacobian(x):
    s = al.softmax(al.tensor(x)).data
    h = al.hessian(al.logsumexp)(x)
    np.testing.assert_allclose(h, softmax_jacobian(s), atol=1e-12)
    np.testing.assert_allclose(h, h.T, atol=1e-14)


FUNCTIONS = [
    lambda v: al.tanh(v) * v.sum(),
    lambda v: al.softmax(v * 2) @ al.exp(v),
    lambda v: al.log_softmax(al.stack([v, v * v])) / 3,
    lambda v: al.sigmoid(v)[::-1] * al.maximum(v, 0.1),
]


@pytest.mark.parametrize("f", FUNCTIONS)
@given(x=vectors, seed=st.integers(0, 2**32 - 1))
def test_jvp_equals_jacobian_times_tangent(f, x, seed):
    tangent = np.random.default_rng(seed).standard_normal(x.shape)
    out, tangent_out = al.jvp(f, [x], [tangent])
    np.testing.assert_allclose(out, f(al.tensor(x)).data)
    np.testing.assert_allclose(tangent_out, al.jacobian(f)(x) @ tangent, atol=1e-10)


def test_jvp_is_differentiable_in_its_tangents():
    x, v = np.array([1.0, 2.0]), np.array([0.5, -1.0])
    d_tangent = al.grad(lambda v: al.jvp(lambda x: al.sum(x**3), [x], [v])[1])(v)
    np.testing.assert_allclose(d_tangent, 3 * x**2)  # was [0, 0]: tangents were constants


def hvp_function(x):
    return al.sum(al.tanh(x) * x[::-1]) + al.logsumexp(x * x)


@given(x=vectors, seed=st.integers(0, 2**32 - 1))
def test_hessian_vector_products_forward_over_reverse_and_reverse_over_forward(x, seed):
    v = np.random.default_rng(seed).standard_normal(x.shape)
    expected = al.hessian(hvp_function)(x) @ v
    forward_over_reverse = al.jvp(al.grad(hvp_function), [x], [v])[1]
    reverse_over_forward = al.grad(lambda y: al.jvp(hvp_function, [y], [v])[1])(x)
    np.testing.assert_allclose(forward_over_reverse, expected, atol=1e-10)
    np.testing.assert_allclose(reverse_over_forward, expected, atol=1e-10)


@given(st.floats(-3, 3))
def test_grad_of_grad_of_tanh(x):
    expected = -2 * np.tanh(x) * (1 - np.tanh(x) ** 2)
    np.testing.assert_allclose(al.grad(al.grad(al.tanh))(x), expected, atol=1e-12)


def test_grad_nests_to_any_depth():
    third = al.grad(al.grad(al.grad(lambda x: x**4)))(1.5)
    np.testing.assert_allclose(third, 24 * 1.5)


def test_grad_of_a_function_that_sums_an_inner_gradient():
    x = np.array([0.5, -1.0, 2.0])
    inner = al.grad(lambda y: (y**3).sum())
    np.testing.assert_allclose(al.grad(lambda v: inner(v).sum())(x), 6 * x)


def test_grad_accepts_floats_lists_arrays_and_tensors_and_returns_arrays():
    f = lambda x: (x * x).sum()  # noqa: E731
    for x in (2.0, [2.0], np.array([2.0]), al.tensor([2.0])):
        g = al.grad(f)(x)
        assert type(g) is np.ndarray
        np.testing.assert_allclose(g, 4.0)
    # a tensor that requires grad gives a Tensor, still part of its graph (test_graph_cuts)
    np.testing.assert_allclose(al.grad(f)(al.tensor([2.0], requires_grad=True)).data, 4.0)


def test_grad_with_a_tuple_of_argnums_returns_a_tuple():
    gx, gy = al.grad(lambda x, y: (x * y).sum(), argnums=(0, 1))([1.0, 2.0], [3.0, 4.0])
    np.testing.assert_allclose(gx, [3.0, 4.0])
    np.testing.assert_allclose(gy, [1.0, 2.0])
    (only,) = al.grad(lambda x, y: (x * y).sum(), argnums=(1,))([1.0], [3.0])
    np.testing.assert_allclose(only, [1.0])


def test_grad_of_an_input_the_output_ignores_is_zero():
    np.testing.assert_array_equal(
        al.grad(lambda x, y: al.sum(y) * 2, argnums=0)([1.0, 2.0], 3.0), 0
    )


def test_grad_needs_a_one_element_output():
    with pytest.raises(ValueError, match=r"one-element output.*shape \(2,\)"):
        al.grad(lambda x: x * 2)([1.0, 2.0])


def test_value_and_grad_runs_the_function_once():
    calls = []

    def f(x):
        calls.append(1)
        return al.tanh(x).sum()

    value, g = al.value_and_grad(f)([0.0, 1.0])
    assert len(calls) == 1
    np.testing.assert_allclose(value, np.tanh(1.0))
    np.testing.assert_allclose(g, 1 - np.tanh([0.0, 1.0]) ** 2)


def test_vjp_function_can_be_called_with_several_cotangents():
    out, vjp_fn = al.vjp(lambda x, y: x * y, np.array([1.0, 2.0]), np.array([3.0, 4.0]))
    np.testing.assert_allclose(out, [3.0, 8.0])
    for v in (np.array([1.0, 0.0]), np.array([0.5, 2.0])):
        gx, gy = vjp_fn(v)
        np.testing.assert_allclose(gx, v * [3.0, 4.0])
        np.testing.assert_allclose(gy, v * [1.0, 2.0])
    with pytest.raises(ValueError, match="cotangent of shape"):
        vjp_fn(np.ones(3))


def test_backward_with_create_graph_gives_a_differentiable_grad():
    x = al.tensor([1.0, 2.0], requires_grad=True)
    (x**3).sum().backward(create_graph=True)
    first = x.grad
    assert isinstance(first, al.Tensor) and first.requires_grad
    np.testing.assert_allclose(first.data, 3 * x.data**2)
    x.grad = None
    first.sum().backward()
    np.testing.assert_allclose(x.grad, 6 * x.data)


def test_transforms_keep_no_graph_alive():
    created = []

    def f(x):
        h = al.tanh(x * 2)
        y = al.softmax(h).sum() + h.sum()
        created.extend(weakref.ref(t) for t in (h, y, y.inputs[0]))
        return y

    gc.disable()
    try:
        al.grad(f)(np.ones(3))
        al.value_and_grad(f)(np.ones(3))
        al.hessian(f)(np.ones(3))
        assert created and all(ref() is None for ref in created)
    finally:
        gc.enable()


def test_every_transform_docstring_has_an_example_that_runs():
    finder = doctest.DocTestFinder(recurse=False)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)  # as pytest runs them
    for transform in (
        al.grad,
        al.value_and_grad,
        al.vjp,
        al.jvp,
        al.jacobian,
        al.hessian,
        al.gradcheck,
        al.gradgradcheck,
        al.detect_anomaly,
    ):
        tests = finder.find(transform, transform.__name__, globs={})
        examples = sum(len(t.examples) for t in tests)
        failed = sum(runner.run(t, out=lambda _: None).failed for t in tests)
        assert examples and not failed, (
            f"{transform.__name__}: {examples} examples, {failed} failed"
        )


def test_a_transform_differentiates_inside_no_grad_as_torch_func_does():
    with al.no_grad():
        np.testing.assert_allclose(al.grad(lambda v: (v**3).sum())([1.0, 2.0]), [3.0, 12.0])


def test_nested_transforms_differentiate_only_the_argument_asked_for():
    # the inner input once was the caller's own node, so the inner grad also differentiated
    # the closure's x ("perturbation confusion"): [2, 2] where torch.func gives [1, 1]
    x0 = np.array([0.5, 2.0])

    def inner(x):
        return al.grad(lambda a: (a * x).sum())(x)

    np.testing.assert_allclose(al.grad(lambda x: inner(x).sum())(x0), [1.0, 1.0])
    np.testing.assert_allclose(al.jacobian(inner)(x0), np.eye(2))
    xt = al.tensor([1.5, -2.0], requires_grad=True)
    da, db = al.grad(lambda a, b: (a * b**2).sum(), argnums=(0, 1))(xt, xt)
    np.testing.assert_allclose(da.data, [2.25, 4.0])  # partials, not the total 3 x^2
    np.testing.assert_allclose(db.data, [4.5, 8.0])


@pytest.mark.parametrize("argnums", [(0, 0), (1, -1)])
def test_argnums_naming_an_argument_twice_is_refused(argnums):
    # grad(f, argnums=(0, 0)) returned the gradient twice; torch.func refuses
    with pytest.raises(ValueError, match=r"names an argument twice"):
        al.grad(lambda x, y: (x * y).sum(), argnums=argnums)(np.ones(2), np.ones(2))


def test_float32_inputs_give_float32_results_in_every_transform():
    # jvp's tangent was float64 for float32 inputs (its cotangent started as float64 zeros)
    x = np.array([1.0, 2.0, 3.0], np.float32)
    out, tangent = al.jvp(lambda x: x * x, [x], [np.ones(3, np.float32)])
    assert out.dtype == tangent.dtype == np.float32
    np.testing.assert_allclose(tangent, 2 * x)
    assert al.grad(lambda x: (x * x).sum())(x).dtype == np.float32
    assert al.jacobian(lambda x: x * x)(x).dtype == np.float32


@pytest.mark.parametrize(
    "transform",
    [
        lambda f: al.vjp(f, np.ones(2)),
        lambda f: al.jvp(f, [np.ones(2)], [np.ones(2)]),
        lambda f: al.jacobian(f)(np.ones(2)),
    ],
    ids=["vjp", "jvp", "jacobian"],
)
def test_a_function_of_several_outputs_is_refused_by_name(transform):
    # it raised "cannot make a Tensor from tuple ... converted to an array implicitly"
    def two_outputs(x):
        return x * 2, x * 3

    with pytest.raises(TypeError, match=r"^two_outputs returned a tuple of 2; the transforms"):
        transform(two_outputs)
