"""Gradients that were once silently wrong, or refused where numpy and PyTorch give an answer.

Each case is checked against central finite differences (float64) or against the value
PyTorch 2.13 gives where the derivative is a convention (powers at zero).
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import autograd_lite as al
from autograd_lite.testing import assert_gradients_close


def grad_of(f, *values):
    tensors = [al.tensor(v, requires_grad=True) for v in values]
    f(*tensors).backward()
    return [t.grad for t in tensors]


# --- cross_entropy -------------------------------------------------------------------------
def test_cross_entropy_labels_on_a_middle_axis_of_3d_logits():
    z = np.random.default_rng(0).standard_normal((2, 3, 2))
    labels = np.array([[0, 2], [1, 1]])
    (grad,) = grad_of(lambda x: al.cross_entropy(x, labels, axis=1, reduction="sum"), z)
    np.testing.assert_allclose(grad[0, :, 0], [-0.6864, 0.5246, 0.1618], atol=1e-4)
    assert_gradients_close(lambda x: al.cross_entropy(x, labels, axis=1), z)


@pytest.mark.parametrize("axis", [0, 1, 2, -1, -2, -3])
def test_cross_entropy_labels_on_every_axis_of_3d_logits(axis):
    rng = np.random.default_rng(axis + 10)
    z = rng.standard_normal((2, 3, 4))
    labels = rng.integers(0, z.shape[axis], np.delete(z.shape, axis % 3))
    assert_gradients_close(lambda x: al.cross_entropy(x, labels, axis=axis), z)


def test_cross_entropy_probability_rows_that_do_not_sum_to_one():
    (grad,) = grad_of(lambda z: al.cross_entropy(z, np.array([[0.5, 0.5, 0.5]])), [[1.0, 2, 3]])
    np.testing.assert_allclose(grad, [[-0.36496, -0.13291, 0.49786]], atol=1e-5)  # torch
    target = np.random.default_rng(1).uniform(0.1, 2.0, (2, 3, 4))
    for axis in (0, 1, 2):
        assert_gradients_close(
            lambda z, y, axis=axis: al.cross_entropy(z, y, axis=axis, reduction="sum"),
            np.random.default_rng(2).standard_normal((2, 3, 4)),
            target,
            order=2,
        )


def test_cross_entropy_mean_over_zero_rows_is_nan_with_an_empty_gradient():
    z = al.tensor(np.zeros((0, 3)), requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        loss = al.cross_entropy(z, np.zeros(0, dtype=int))
    assert np.isnan(loss.item())
    loss.backward()
    assert z.grad.shape == (0, 3)
    assert al.cross_entropy(al.tensor(np.zeros((0, 3))), np.zeros(0, int), reduction="sum") == 0


# --- power at zero (PyTorch's conventions) ---------------------------------------------------
def test_power_with_exponent_zero_has_zero_gradient_at_zero_base():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        (dx,) = grad_of(lambda x: x**0.0, 0.0)
        (dy,) = grad_of(lambda y: (0.0**y).sum(), [0.0, 1.0])
        dx2, dy2 = grad_of(lambda x, y: x**y, 0.0, 0.0)
    with np.errstate(divide="ignore"):  # dx is a true infinity here, and numpy says so
        dx3, dy3 = grad_of(lambda x, y: x**y, 0.0, 0.3)
    assert dx == 0
    np.testing.assert_array_equal(dy, [0.0, 0.0])
    assert (dx2, dy2) == (0, 0)
    assert dy3 == 0 and dx3 == np.inf  # torch: 0.3 * 0^-0.7 = inf


def test_power_gradients_away_from_zero_are_unchanged():
    assert_gradients_close(lambda x, y: x**y, [0.5, 2.0, 1.5], [0.0, -1.3, 2.0], order=2)
    assert_gradients_close(lambda x: x**0.0 + x**2.0, [0.0, 1.0, -2.0], order=2)


# --- reductions of 0-d tensors over axis 0 and -1, as numpy allows --------------------------
@pytest.mark.parametrize("name", ["sum", "mean", "max", "min", "logsumexp"])
@pytest.mark.parametrize("axis", [0, -1, None])  # numpy refuses the tuple (0,) here
def test_reductions_of_a_0d_tensor_over_axis_0_and_minus_1(name, axis):
    op = al.get_op(name)
    for keepdims in (False, True):
        x = al.tensor(2.0, requires_grad=True)
        out = op(x, axis=axis, keepdims=keepdims)
        assert out.shape == ()
        out.backward()
        assert x.grad == 1.0


@pytest.mark.parametrize("name", ["softmax", "log_softmax"])
@pytest.mark.parametrize("axis", [0, -1])
def test_softmax_of_a_0d_tensor(name, axis):
    assert_gradients_close(lambda x: al.get_op(name)(x, axis=axis) * 3.0, 2.0)


# --- empty axes ----------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["softmax", "log_softmax"])
@pytest.mark.parametrize("shape,axis", [((2, 0), 1), ((0, 3), 0), ((2, 0, 3), 1), ((0, 3), 1)])
def test_softmax_over_or_beside_an_empty_axis_is_empty(name, shape, axis):
    x = al.tensor(np.zeros(shape), requires_grad=True)
    out = al.get_op(name)(x, axis=axis)
    assert out.shape == shape
    out.backward(np.ones(shape))
    assert x.grad.shape == shape


def test_logsumexp_over_an_empty_axis_is_minus_inf():
    x = al.tensor(np.zeros((2, 0)), requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = al.logsumexp(x, axis=1)
    np.testing.assert_array_equal(out.data, [-np.inf, -np.inf])
    out.backward(np.ones(2))
    assert x.grad.shape == (2, 0)
    assert al.logsumexp(al.tensor(np.zeros(0))).item() == -np.inf


def test_power_with_exponent_zero_at_a_subnormal_base():
    # found by the 20,000-example fuzz run: 0 * x^-1 read 0 * inf = NaN at x = 5e-324
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        (dx,) = grad_of(lambda x: (x**0.0).sum(), [5e-324, -5e-324, 0.0, 2.0])
    np.testing.assert_array_equal(dx, [0.0, 0.0, 0.0, 0.0])


# --- casts to integers and booleans --------------------------------------------------------
@pytest.mark.parametrize("dtype", [np.int64, np.int8, np.uint16, bool])
def test_a_cast_to_integers_or_booleans_is_a_constant_as_in_pytorch(dtype):
    # it once passed the gradient straight through a truncation (x.grad 2 where d trunc = 0),
    # and made an integer tensor that required grad
    x = al.tensor([1.7, -2.2, 0.4], requires_grad=True)
    y = x.astype(dtype)
    assert y.dtype == dtype and not y.requires_grad and y.is_leaf
    np.testing.assert_array_equal(y.data, x.data.astype(dtype))
    loss = (x * y.astype(np.float64)).sum()  # y's values enter as constants
    loss.backward()
    np.testing.assert_array_equal(x.grad, x.data.astype(dtype).astype(np.float64))
    with pytest.raises(RuntimeError, match="does not require grad"):
        (y * 2.0).sum().backward()


def test_a_registered_op_with_an_integer_output_records_no_node():
    @al.register("count_positive_example")
    def count_positive(x):
        return (np.asarray(x) > 0).sum(axis=-1)

    try:
        out = count_positive(al.tensor([[1.0, -1.0], [2.0, 3.0]], requires_grad=True))
        assert not out.requires_grad and out.op is None
        np.testing.assert_array_equal(out.data, [1, 2])
    finally:
        al.unregister("count_positive_example")


# --- Tensors given as attributes -----------------------------------------------------------
def test_a_tensor_bound_to_clip_is_a_constant_when_it_needs_no_gradient():
    # np.clip(x, Tensor, ...) once recursed until RecursionError
    x = al.tensor([0.5, 2.0, -3.0], requires_grad=True)
    lo = al.tensor([1.0, 1.0, -4.0])
    for y in (np.clip(x, lo, 5.0), al.clip(x, a_min=lo, a_max=5.0)):
        np.testing.assert_array_equal(y.data, [1.0, 2.0, -3.0])
        x.grad = None
        y.sum().backward()
        np.testing.assert_array_equal(x.grad, [0.0, 1.0, 1.0])


def test_a_tensor_attribute_that_requires_grad_is_refused_naming_the_op():
    x = al.tensor([0.5, 2.0], requires_grad=True)
    lo = al.tensor([1.0, 1.0], requires_grad=True)
    with pytest.raises(TypeError, match=r"clip\(\): attribute 'a_min' is a Tensor that requires"):
        np.clip(x, lo, 5.0)
    with pytest.raises(TypeError, match="al.minimum"):
        al.clip(x, a_min=lo)
    with pytest.raises(TypeError, match=r"sum\(\): attribute 'axis'"):
        al.sum(x, axis=al.tensor(0.0, requires_grad=True))


# --- arctan2 at and near the origin --------------------------------------------------------
def test_arctan2_gradient_is_zero_at_the_origin_as_torch_and_exact_near_it():
    # x / (x^2 + y^2) gave 0/0 = NaN at the origin, and inf at 1e-200 (x^2 underflows)
    y = al.tensor([0.0, 1e-200, 3.0, -1e-170], requires_grad=True)
    x = al.tensor([0.0, 1e-200, 4.0, 0.0], requires_grad=True)
    al.arctan2(y, x).sum().backward()
    np.testing.assert_array_equal(y.grad[:1], [0.0])
    np.testing.assert_array_equal(x.grad[:1], [0.0])
    np.testing.assert_allclose(y.grad[1:], [5e199, 4 / 25, 0.0], rtol=1e-14)
    np.testing.assert_allclose(x.grad[1:], [-5e199, -3 / 25, 1e170], rtol=1e-14)
    assert_gradients_close(
        lambda a, b: al.arctan2(a, b), np.array([0.3, -2.0]), np.array([1.5, -0.2])
    )


@pytest.mark.parametrize("bias", [0.0, 0, None])
def test_linear_with_a_number_for_bias_keeps_a_float32_dtype(bias):
    # nn.Linear(bias=False) passes 0.0, which became a float64 array: float32 in, float64 out
    x = al.tensor(np.ones((4, 3), np.float32), requires_grad=True)
    w = al.tensor(np.arange(6, dtype=np.float32).reshape(3, 2), requires_grad=True)
    layer_bias = np.float32(0.5) if bias is None else bias
    y = al.linear(x, w, layer_bias)
    assert y.dtype == np.float32
    np.testing.assert_allclose(y.data, np.ones((4, 3)) @ w.data + float(layer_bias))
    y.sum().backward()
    assert x.grad.dtype == w.grad.dtype == np.float32


LIST_CONSTANTS = {  # each: with the constant as a list or tuple, and as an array
    "power": (lambda t: t ** [2.0, 3.0], lambda t: t ** np.array([2.0, 3.0])),
    "rpow": (lambda t: [0.0, 2.0] ** t, lambda t: np.array([0.0, 2.0]) ** t),
    "matmul": (lambda t: t @ [2.0, 3.0], lambda t: t @ np.array([2.0, 3.0])),
    "heaviside": (
        lambda t: np.heaviside([0.0, 1.0], t),
        lambda t: np.heaviside(np.array([0.0, 1.0]), t),
    ),
    "solve": (
        lambda t: np.linalg.solve(al.stack([t, t * t]), [2.0, 3.0]),
        lambda t: np.linalg.solve(al.stack([t, t * t]), np.array([2.0, 3.0])),
    ),
    "maximum": (lambda t: al.maximum(t, (2.0, 0.0)), lambda t: al.maximum(t, np.array([2.0, 0.0]))),
}


@pytest.mark.parametrize("name", LIST_CONSTANTS)
def test_a_list_or_tuple_constant_is_read_as_an_array(name):
    # its rules got the list itself: x == 0 on a list is one False, so [0.0, 2.0] ** t had
    # gradient [nan, 5.545] (torch [0, 5.545]) and heaviside's d/dh0 was 0; t ** [2.0, 3.0]
    # and t @ [2.0, 3.0] raised a raw TypeError / AttributeError inside the rule at backward
    listed, arrayed = LIST_CONSTANTS[name]
    grads = []
    for f in (listed, arrayed):
        t = al.tensor([1.5, 2.5], requires_grad=True)
        out = f(t)
        out.sum().backward()
        grads.append((out.data, t.grad))
    np.testing.assert_array_equal(grads[0][0], grads[1][0])
    np.testing.assert_array_equal(grads[0][1], grads[1][1])
    assert_gradients_close(lambda t: listed(t).sum(), [1.5, 2.5])


# --- NaN in median, quantile, max and min (numpy's values, torch's gradients) ---------------
@pytest.mark.parametrize(
    ("reduce", "grad"),
    [  # x = [1, 2, nan, 5, nan]: numpy gives nan; torch.quantile sends g to the last NaN
        (np.median, [0, 0, 0, 0, 1]),
        (lambda t: np.median(t[:4]), [0, 0, 1, 0, 0]),  # an even count
        (lambda t: np.quantile(t[:3], 0.3), [0, 0, 1, 0, 0]),  # an odd count
        (lambda t: np.percentile(t, 0), [0, 0, 0, 0, 1]),
        (lambda t: np.quantile(t, [0.3, 1.0]).sum(), [0, 0, 0, 0, 2]),
    ],
)
def test_median_and_quantile_of_a_slice_holding_nan_are_nan(reduce, grad):
    # they ignored the NaN, which np.sort puts last: median 3.5 of [1, 2, nan, 5], and the
    # gradient of the odd count [1, 2, nan] went to the 2
    x = al.tensor([1.0, 2.0, np.nan, 5.0, np.nan], requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = reduce(x)
        out.backward()
    assert np.isnan(out.data) and np.isnan(reduce(x.data))
    np.testing.assert_array_equal(x.grad, grad)


def test_median_along_an_axis_is_nan_only_in_the_rows_holding_nan():
    a = np.array([[3.0, np.nan, 1.0, 2.0], [4.0, 3.0, 2.0, 1.0]])
    x = al.tensor(a, requires_grad=True)
    out = np.median(x, axis=1)
    np.testing.assert_array_equal(out.data, np.median(a, axis=1))  # [nan, 2.5]
    (out * al.tensor([2.0, 3.0])).sum().backward()
    np.testing.assert_array_equal(x.grad, [[0, 2, 0, 0], [0, 1.5, 1.5, 0]])  # torch's
    assert np.quantile(al.tensor(a.astype(np.float32)), 0.5, axis=1).dtype == np.float32


@pytest.mark.parametrize("reduce", [np.max, np.min])
def test_max_and_min_at_nan_send_the_gradient_to_the_nans(reduce):
    # the gradient was all NaN, with a RuntimeWarning (x == nan is never true); torch.max
    # shares it between the NaNs, as ties share it
    a = np.array([[1.0, np.nan, 3.0, np.nan], [4.0, 6.0, 6.0, 5.0]])
    x = al.tensor(a, requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        reduce(x).backward()
        np.testing.assert_array_equal(x.grad, [[0, 0.5, 0, 0.5], [0, 0, 0, 0]])
        x.grad = None
        out = reduce(x, axis=1, keepdims=True)
        (out * al.tensor([[2.0], [4.0]])).sum().backward()
    np.testing.assert_array_equal(out.data, reduce(a, axis=1, keepdims=True))
    tie = [0, 2, 2, 0] if reduce is np.max else [4, 0, 0, 0]  # the row without NaN as before
    np.testing.assert_array_equal(x.grad, [[0, 1, 0, 1], tie])
    x.grad = None
    (reduce(x[0]) ** 2).backward()  # a NaN g stays at the NaNs (it was NaN all along the row)
    np.testing.assert_array_equal(x.grad, [[0, np.nan, 0, np.nan], [0, 0, 0, 0]])
