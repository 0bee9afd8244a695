"""The numpy vocabulary beyond the op table's draws: operators, aliases and NaN handling.

The op table (autograd_lite/testing/op_specs.py) checks every op's first and second
derivatives against finite differences; these tests cover what finite differences cannot
reach: which numpy names record which op, and the conventions at NaN.
"""

from __future__ import annotations

import numpy as np
import pytest

import autograd_lite as al


def test_numpy_remainder_records_mod():
    t = al.tensor([5.5, -5.5], requires_grad=True)
    assert np.remainder(t, 2.0).op.name == np.mod(t, 2.0).op.name == "mod"


@pytest.mark.parametrize(
    ("numpy_function", "op"),
    [
        (np.rint, "round"),
        (np.around, "round"),
        (np.round, "round"),
        (np.radians, "deg2rad"),
        (np.degrees, "rad2deg"),
    ],
)
def test_numpy_aliases_record_the_op(numpy_function, op):
    t = al.tensor([1.26, -0.5], requires_grad=True)
    assert numpy_function(t).op.name == op


def test_percent_and_floor_division_operators_record_mod_and_floor_divide():
    x = al.tensor([5.5, -5.5], requires_grad=True)
    r, q = x % 2.0, x // 2.0
    np.testing.assert_allclose(r.data, [1.5, 0.5])  # numpy's (and Python's) sign convention
    np.testing.assert_allclose(q.data, [2.0, -3.0])
    (r + q).sum().backward()
    np.testing.assert_allclose(x.grad, [1.0, 1.0])  # d mod/dx = 1, d floor_divide/dx = 0
    y = al.tensor(2.0, requires_grad=True)
    (7.0 % y).backward()
    assert y.grad == -3.0  # d (7 - floor(7 / y) y)/dy = -floor(3.5)


def test_fmax_and_fmin_send_the_gradient_to_the_number_beside_a_nan():
    x = al.tensor([1.0, np.nan, 3.0], requires_grad=True)
    y = al.tensor([np.nan, 2.0, 1.0], requires_grad=True)
    al.fmax(x, y).sum().backward()
    np.testing.assert_array_equal(x.grad, [1.0, 0.0, 1.0])
    np.testing.assert_array_equal(y.grad, [0.0, 1.0, 0.0])
    x.grad = y.grad = None
    al.fmin(x, y).sum().backward()
    np.testing.assert_array_equal(x.grad, [1.0, 0.0, 0.0])
    np.testing.assert_array_equal(y.grad, [0.0, 1.0, 1.0])


def test_rounding_has_zero_gradient_as_in_pytorch():
    x = al.tensor([0.4, 1.5, 2.5, -1.7], requires_grad=True)
    total = al.floor(x) + al.ceil(x) + al.trunc(x) + x.round()
    np.testing.assert_array_equal(x.round().data, [0.0, 2.0, 2.0, -2.0])  # half to even
    total.sum().backward()
    np.testing.assert_array_equal(x.grad, np.zeros(4))


def test_heaviside_sends_the_gradient_to_h0_only_where_x_is_zero():
    x = al.tensor([-1.0, 0.0, 2.0], requires_grad=True)
    h0 = al.tensor([0.5, 0.5, 0.5], requires_grad=True)
    al.heaviside(x, h0).sum().backward()
    np.testing.assert_array_equal(x.grad, np.zeros(3))
    np.testing.assert_array_equal(h0.grad, [0.0, 1.0, 0.0])


def test_nansum_and_nanmean_skip_the_nans_and_send_them_no_gradient():
    x = al.tensor([[1.0, np.nan, 3.0], [np.nan, np.nan, 2.0]], requires_grad=True)
    total, means = np.nansum(x, axis=1), np.nanmean(x, axis=1)
    np.testing.assert_array_equal(total.data, [4.0, 2.0])
    np.testing.assert_array_equal(means.data, [2.0, 2.0])
    (total + means).sum().backward()
    np.testing.assert_array_equal(x.grad, [[1.5, 0.0, 1.5], [0.0, 0.0, 2.0]])


def test_np_average_with_and_without_weights():
    a = al.tensor([[1.0, 2.0], [3.0, 5.0]], requires_grad=True)
    w = al.tensor([1.0, 3.0], requires_grad=True)
    assert np.average(a).op.name == "mean"
    weighted = np.average(a, axis=1, weights=w)
    np.testing.assert_allclose(weighted.data, [1.75, 4.5])
    weighted.sum().backward()
    np.testing.assert_allclose(a.grad, [[0.25, 0.75], [0.25, 0.75]])
    np.testing.assert_allclose(w.grad, [-0.75 / 4 - 1.5 / 4, 0.25 / 4 + 0.5 / 4])
    with pytest.raises(TypeError, match="returned=True"):
        np.average(a, weights=w[None].repeat(2, axis=0), returned=True)


def test_item_assignment_and_one_argument_where_are_refused_naming_what_to_do():
    t = al.tensor([1.0, -2.0, 3.0], requires_grad=True)
    with pytest.raises(TypeError, match=r"al\.where\(mask, v, t\).*al\.add_at"):
        t[0] = 5.0
    with pytest.raises(TypeError, match=r"np\.nonzero\(t\)"):
        np.where(t)
    assert np.nonzero(t)[0].tolist() == [0, 1, 2]  # indices: no gradient to lose
    replaced = t + al.add_at(5.0 - t[0], index=0, shape=t.shape)
    np.testing.assert_array_equal(replaced.data, [5.0, -2.0, 3.0])
    replaced.sum().backward()
    np.testing.assert_array_equal(t.grad, [0.0, 1.0, 1.0])


def test_prod_and_cumprod_gradients_are_exact_at_zeros():
    x = al.tensor([[2.0, 0.0, 3.0], [0.0, 0.0, 5.0], [1.0, 2.0, 4.0]], requires_grad=True)
    x.prod(axis=1).sum().backward()  # the product of the others: no 0/0
    np.testing.assert_array_equal(x.grad, [[0.0, 6.0, 0.0], [0.0, 0.0, 0.0], [8.0, 4.0, 2.0]])
    x.grad = None
    x.cumprod(axis=1).sum().backward()  # row 0: 1 + x1 + x1 x2, x0 + x0 x2, x0 x1
    np.testing.assert_array_equal(x.grad[0], [1.0, 8.0, 0.0])


def test_sort_sends_tied_elements_the_gradients_of_their_stable_slots():
    x = al.tensor([2.0, 1.0, 2.0], requires_grad=True)
    s = np.sort(x)
    np.testing.assert_array_equal(s.data, [1.0, 2.0, 2.0])
    (s * al.tensor([10.0, 20.0, 30.0])).sum().backward()
    np.testing.assert_array_equal(x.grad, [20.0, 10.0, 30.0])  # the first 2 sorts first


@pytest.mark.parametrize(
    "reduce",
    [
        lambda a: np.median(a, axis=-1),
        lambda a: np.median(a),
        lambda a: np.quantile(a, 0.3, axis=0),
        lambda a: np.quantile(a, [0.3, 0.9]),
        lambda a: np.percentile(a, 30),
        lambda a: np.percentile(a, [30.0], axis=1),
        lambda a: [np.quantile(a, q) for q in (np.float32(0.3), np.float64(0.3), np.int64(1))],
        lambda a: [np.percentile(a, q) for q in (np.float16(30), np.array([30], np.float32))],
    ],
    ids=["median axis", "median", "quantile", "quantile list", "percentile", "percentile list"]
    + ["numpy scalar q", "float16 or float32 q"],
)
@pytest.mark.parametrize("dtype", [np.float32, np.float16, np.float64, np.int64])
def test_median_and_quantile_give_numpys_dtype(reduce, dtype):
    # they once gave float64 for float32 input, and for a numpy scalar or float32 array q;
    # numpy promotes a (float64 if integer) with q, a Python number q weakly, and keeps a's
    # own dtype for an integer q (0 or 1), which picks elements
    a = (np.arange(12.0).reshape(3, 4) * 1.5).astype(dtype)
    expected, got = reduce(a), reduce(al.tensor(a))
    for e, g in zip(*((r if isinstance(r, list) else [r]) for r in (expected, got)), strict=True):
        assert g.dtype == e.dtype
        np.testing.assert_allclose(g.data, e, rtol=1e-3)


def test_median_and_quantile_send_the_gradient_to_the_elements_they_select():
    x = al.tensor([4.0, 1.0, 3.0, 2.0], requires_grad=True)
    np.median(x).backward()  # (2 + 3) / 2
    np.testing.assert_array_equal(x.grad, [0.0, 0.0, 0.5, 0.5])
    x.grad = None
    np.quantile(x, 0.25).backward()  # position 0.75 between 1 and 2
    np.testing.assert_allclose(x.grad, [0.0, 0.25, 0.0, 0.75])
    with pytest.warns(RuntimeWarning):
        assert np.isnan(np.median(al.tensor(np.zeros(0), requires_grad=True)).data)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda t: np.quantile(t, 1.5), r"q must be in \[0, 1\]"),
        (lambda t: np.quantile(t, 0.5, method="nearest"), "method='nearest' is not supported"),
        (lambda t: np.quantile(t, t), "q is a constant here"),
        (lambda t: np.quantile(t[:0], 0.5), "of no elements"),
        (lambda t: np.sort(t[0], axis=0), r"sort: inputs of shape \(\)"),
    ],
)
def test_order_functions_refuse_what_they_cannot_do_naming_it(call, message):
    t = al.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises((ValueError, TypeError), match=message):
        call(t)


def test_nan_to_num_passes_the_gradient_to_finite_elements_only():
    x = al.tensor([np.nan, 1.5, np.inf, -np.inf], requires_grad=True)
    y = np.nan_to_num(x)
    np.testing.assert_array_equal(y.data, np.nan_to_num(x.data))  # numpy's defaults
    y.backward(np.full(4, 2.0))  # no sum: the largest floats would overflow it
    np.testing.assert_array_equal(x.grad, [0.0, 2.0, 0.0, 0.0])


def test_put_along_axis_and_index_add_write_out_of_place():
    x = al.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], requires_grad=True)
    v = al.tensor([[10.0], [20.0]], requires_grad=True)
    y = al.put_along_axis(x, np.array([[2], [0]]), v, axis=1)
    np.testing.assert_array_equal(y.data, [[1.0, 2.0, 10.0], [20.0, 5.0, 6.0]])
    np.testing.assert_array_equal(x.data, [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])  # unchanged
    (y * np.arange(1.0, 7.0).reshape(2, 3)).sum().backward()
    np.testing.assert_array_equal(x.grad, [[1.0, 2.0, 0.0], [0.0, 5.0, 6.0]])
    np.testing.assert_array_equal(v.grad, [[3.0], [4.0]])
    s = al.tensor([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]], requires_grad=True)
    z = al.index_add(x, 1, [0, 0, 2], s)  # a repeated index adds up, as torch's
    np.testing.assert_array_equal(z.data, [[4.0, 2.0, 6.0], [4.0, 5.0, 6.0]])
    z.sum().backward()
    np.testing.assert_array_equal(s.grad, np.ones((2, 3)))


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda t: al.put_along_axis(t, np.array([[0, 0]]), 1.0, 1), "an index repeats"),
        (lambda t: al.put_along_axis(t, np.array([0.5]), 1.0, 0), "give integers"),
        (lambda t: al.index_add(t, 0, [0], t), "source of x's shape"),
        (lambda t: np.put_along_axis(t, np.array([[0]]), 1.0, 1), "al.put_along_axis"),
        (lambda t: np.fill_diagonal(t, 0.0), "writes into its first argument in place"),
    ],
)
def test_writes_refuse_what_they_cannot_do_naming_what_to_use(call, message):
    t = al.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    with pytest.raises((ValueError, TypeError, IndexError), match=message):
        call(t)
    np.testing.assert_array_equal(t.data, [[1.0, 2.0], [3.0, 4.0]])


def test_index_and_boolean_methods_give_plain_arrays_as_numpy():
    t = al.tensor([[3.0, 1.0, 3.0], [0.0, 2.0, 2.0]], requires_grad=True)
    assert t.argmax() == 0 and t.argmin() == 3  # the first of ties, as numpy and torch
    np.testing.assert_array_equal(t.argmax(axis=1), [0, 1])
    np.testing.assert_array_equal(t.argsort(axis=1), np.argsort(t.data, axis=1))
    assert t.all() == False and t.any(axis=0).tolist() == [True, True, True]  # noqa: E712
    assert np.isfinite(t).dtype == bool and not isinstance(np.isnan(t), al.Tensor)
    np.testing.assert_array_equal(t.nonzero()[1], [0, 1, 2, 1, 2])
    np.testing.assert_array_equal(t.dot(t.data.T).data, t.data @ t.data.T)
    copied = t.copy()
    assert copied.requires_grad and copied.data is not t.data


# The numpy functions that, given a Tensor, record the graph (ops.NUMPY_TO_OP): listed
# here so that adding or losing one is a deliberate change. The README states the count.
COVERED = """
absolute add append arccos arccosh arcsin arcsinh arctan arctan2 arctanh around array_split
atleast_1d atleast_2d atleast_3d average broadcast_arrays broadcast_to cbrt ceil clip
column_stack concatenate copysign cos cosh cross cumsum deg2rad degrees diagonal diff divide
dot dsplit dstack einsum exp exp2 expand_dims expm1 flip fliplr flipud floor floor_divide fmax fmin
fmod heaviside hsplit hstack hypot inner kron log log10 log1p log2 logaddexp logaddexp2 matmul max
maximum mean min minimum moveaxis multiply nanmean nansum negative outer power ptp rad2deg radians
ravel reciprocal remainder repeat reshape rint roll rot90 round sign sin sinh split sqrt
square squeeze stack std subtract sum swapaxes take take_along_axis tan tanh tensordot tile trace
transpose tril triu trunc var vdot vsplit vstack where
cholesky det eigh eigvalsh inv matrix_power norm slogdet solve
cumprod median partition percentile prod quantile sort
zeros_like ones_like full_like nan_to_num sinc meshgrid pad diag copy
""".split()
# Some that have no rule yet: given a tensor that requires grad they raise, naming themselves.
REFUSED = [
    ("nanprod", lambda t: np.nanprod(t)),
    ("nanmedian", lambda t: np.nanmedian(t)),
    ("cov", lambda t: np.cov(t)),
    ("qr", lambda t: np.linalg.qr(t.reshape(2, 2))),
]


def test_the_numpy_functions_the_dispatch_covers():
    from autograd_lite.ops import NUMPY_TO_OP

    assert sorted(f.__name__ for f in NUMPY_TO_OP) == sorted(COVERED)
    assert len(COVERED) == 139


@pytest.mark.parametrize(("name", "call"), REFUSED, ids=[n for n, _ in REFUSED])
def test_numpy_functions_without_a_rule_refuse_a_tensor_that_requires_grad(name, call):
    t = al.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
    with pytest.raises(TypeError, match=rf"numpy\.{name} has no gradient rule"):
        call(t)


@pytest.mark.parametrize(
    "call",
    [
        lambda t: t * np.array([1j, 2.0]),
        lambda t: np.add(t, 1 + 2j),
        lambda t: np.einsum("i,i", t, np.array([1j, 1.0])),
    ],
)
def test_complex_numbers_are_refused_in_one_line(call):
    t = al.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(TypeError, match=r"complex numbers are not supported \(inputs of dtype"):
        call(t)


def test_a_moving_function_numpy_refuses_names_the_function_and_the_shapes():
    # numpy's bare "array split does not result in an equal division" named no function
    x = al.tensor(np.arange(5.0), requires_grad=True)
    with pytest.raises(
        ValueError,
        match=r"^numpy\.split: inputs of shape \(5,\): array split does not result in an "
        r"equal division; np\.array_split cuts parts of unequal sizes$",
    ):
        np.split(x, 2)
    with pytest.raises(ValueError, match=r"^numpy\.vsplit: inputs of shape \(5,\): vsplit only"):
        np.vsplit(x, 1)
    with pytest.raises(np.exceptions.AxisError, match=r"^numpy\.roll: inputs of shape \(5,\)"):
        np.roll(x, 1, axis=3)
    with pytest.raises(ValueError, match=r"^numpy\.hstack: inputs of shape \(5,\) and \(2, 2\)"):
        np.hstack([x, al.tensor(np.ones((2, 2)))])
    with pytest.raises(ValueError, match=r"^numpy\.append: inputs of shape \(5,\) and \(2, 2\)"):
        np.append(x, np.ones((2, 2)), axis=0)
    assert [p.shape for p in np.array_split(x, 2)] == [(3,), (2,)]


def test_np_reshape_takes_copy_true_and_names_what_it_refuses():
    # copy=True was refused as "supports only order='C'"
    x = al.tensor(np.arange(4.0), requires_grad=True)
    y = np.reshape(x, (2, 2), copy=True)
    assert y.shape == (2, 2)
    (y * np.array([[1.0, 2.0], [3.0, 4.0]])).sum().backward()
    np.testing.assert_array_equal(x.grad, [1.0, 2.0, 3.0, 4.0])
    with pytest.raises(TypeError, match=r"np\.reshape of a Tensor: order='F', copy=False is not"):
        np.reshape(x, (2, 2), order="F", copy=False)


@pytest.mark.parametrize(
    "x", [[1, 2, np.inf], [1, np.inf, np.inf], [-np.inf, np.inf, 1], [1, 2, np.inf, np.inf]]
)
def test_median_beside_an_infinity_is_numpys(x):
    # median was quantile(0.5), whose zero weight on an infinite neighbour gave inf * 0 = NaN
    # (np.median([1, 2, inf]) is 2)
    t = al.tensor(x, requires_grad=True)
    m = np.median(t)
    assert m.data == np.median(x)
    m.backward()
    assert t.grad.sum() == 1.0 and np.all(np.isfinite(t.grad))
