"""The Tensor's array-like surface: construction, dtypes, operators, numpy interplay."""

from __future__ import annotations

import re

import numpy as np
import pytest

import autograd_lite as al


@pytest.mark.parametrize(
    ("data", "shape"),
    [(3.0, ()), ([1, 2, 3], (3,)), ([[1.0, 2.0]], (1, 2)), (np.ones((2, 2)), (2, 2))],
)
def test_construction_from_scalars_lists_and_arrays(data, shape):
    t = al.tensor(data)
    assert isinstance(t.data, np.ndarray) and t.shape == shape and t.grad is None


def test_data_is_copied():
    a = np.ones(3)
    t = al.tensor(a)
    a[0] = 5.0
    assert t.data[0] == 1.0


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.float16])
def test_float_dtypes_are_preserved(dtype):
    assert al.tensor(np.ones(2, dtype=dtype), requires_grad=True).dtype == dtype


def test_integer_and_bool_data_requiring_grad_become_float64():
    assert al.tensor([1, 2], requires_grad=True).dtype == np.float64
    assert al.tensor([True, False], requires_grad=True).dtype == np.float64
    assert al.tensor([1, 2]).dtype.kind == "i"


@pytest.mark.parametrize("data", [[1, 2], [True, False]], ids=["int", "bool"])
def test_requires_grad_in_place_on_integers_raises_naming_the_conversion(data):
    t = al.tensor(data)
    with pytest.raises(TypeError, match=r"only floating-point.*astype\(np.float64\)"):
        t.requires_grad_()
    assert not t.requires_grad and t.dtype == np.asarray(data).dtype  # unchanged
    converted = t.astype(np.float64).requires_grad_()
    assert converted.requires_grad and converted.is_leaf and converted.dtype == np.float64


def test_requires_grad_in_place_turns_grad_on_and_off():
    t = al.tensor([1.0, 2.0])
    assert t.requires_grad_() is t and t.requires_grad
    assert not t.requires_grad_(False).requires_grad


@pytest.mark.parametrize(
    ("data", "named"),
    [
        ("abc", "str"),
        (None, "NoneType"),
        ([[1, 2], [3]], "list"),
        ({"a": 1}, "dict"),
        (object(), "object"),
        ([1 + 2j], "list"),
    ],
)
def test_non_numeric_data_raises_type_error_naming_it(data, named):
    with pytest.raises(TypeError, match=f"cannot make a Tensor from {named}"):
        al.tensor(data)


def test_operators_with_scalars_and_arrays_on_either_side():
    t = al.tensor([1.0, 2.0], requires_grad=True)
    for result in (
        t + 1,
        1 + t,
        t - 1,
        1 - t,
        t * 2,
        2 * t,
        t / 2,
        2 / t,
        t**2,
        2**t,
        -t,
        np.ones(2) + t,
        np.ones(2) * t,
        np.ones(2) - t,
        np.ones(2) / t,
        t @ np.ones(2),
        np.ones(2) @ t,
    ):
        assert isinstance(result, al.Tensor) and result.requires_grad


def test_array_on_the_left_never_makes_an_object_array():
    result = np.ones(3) + al.tensor([1.0, 2.0, 3.0])
    assert isinstance(result, al.Tensor) and result.dtype == np.float64


def test_comparisons_return_plain_boolean_arrays():
    t = al.tensor([1.0, 2.0, 3.0], requires_grad=True)
    for result in (t > 2, t >= 2, t < 2, t <= 2, t == 2, t != 2, np.ones(3) < t):
        assert type(result) is np.ndarray and result.dtype == bool
    np.testing.assert_array_equal(t > 1.5, [False, True, True])


def test_array_protocol_and_accessors():
    t = al.tensor([[1.0, 2.0], [3.0, 4.0]], name="w")
    np.testing.assert_array_equal(np.asarray(t), t.data)
    assert t.numpy() is t.data
    assert len(t) == 2 and t.ndim == 2 and t.size == 4
    np.testing.assert_array_equal(t.T.data, t.data.T)
    assert al.tensor(2.5).item() == 2.5
    assert [row.shape for row in t] == [(2,), (2,)]


def test_len_of_a_zero_dimensional_tensor_raises_numpys_error():
    with pytest.raises(TypeError, match="^len\\(\\) of unsized object$"):
        len(al.tensor(1.0))


def test_repr_shows_data_name_and_op():
    t = al.tensor([1.0, 2.0], requires_grad=True, name="x")
    assert repr(t) == "tensor([1., 2.], name='x', requires_grad=True)"
    assert repr(t * 2) == "tensor([2., 4.], op=multiply)"
    assert "dtype=float32" in repr(al.tensor([1.0], dtype=np.float32))


def test_methods_mirror_numpy():
    x = np.arange(6.0).reshape(2, 3)
    t = al.tensor(x)
    np.testing.assert_array_equal(t.sum(axis=1).data, x.sum(axis=1))
    np.testing.assert_array_equal(t.max(0, keepdims=True).data, x.max(0, keepdims=True))
    np.testing.assert_array_equal(t.reshape(3, 2).data, x.reshape(3, 2))
    np.testing.assert_array_equal(t.reshape((6,)).data, x.reshape(6))
    np.testing.assert_array_equal(t.transpose(1, 0).data, x.T)
    np.testing.assert_array_equal(t.swapaxes(0, 1).data, x.T)
    np.testing.assert_allclose(t.softmax(axis=0).data.sum(axis=0), np.ones(3))


def test_positional_attributes_follow_numpy_signatures():
    x = np.arange(6.0).reshape(2, 3)
    np.testing.assert_array_equal(al.sum(x, 1, True).data, x.sum(1, keepdims=True))
    np.testing.assert_array_equal(al.clip(x, 1, 4).data, np.clip(x, 1, 4))
    with pytest.raises(TypeError, match="got multiple values for 'axis'"):
        al.sum(x, 1, axis=0)


def test_concatenate_and_stack_take_sequences():
    a, b = al.tensor([1.0, 2.0], requires_grad=True), al.tensor([3.0, 4.0], requires_grad=True)
    assert al.concatenate([a, b]).shape == (4,)
    s = al.stack([a, b], axis=1)
    assert s.shape == (2, 2)
    (s * np.array([[1.0, 2.0], [3.0, 4.0]])).sum().backward()
    np.testing.assert_allclose(a.grad, [1.0, 3.0])
    np.testing.assert_allclose(b.grad, [2.0, 4.0])


def test_numpy_function_without_an_op_refuses_to_cut_the_graph():
    t = al.tensor([0.5, 1.0], requires_grad=True)
    with pytest.raises(TypeError, match="numpy.ldexp has no gradient rule"):
        np.ldexp(t, 2)
    assert np.allclose(t, [0.5, 1.0])  # boolean results are fine
    np.testing.assert_allclose(np.ldexp(al.tensor([0.5]), 2), [2.0])  # so is no grad


def test_importing_the_package_needs_no_hypothesis():
    import subprocess
    import sys

    code = "import sys, autograd_lite; assert 'hypothesis' not in sys.modules, 'imported'"
    subprocess.run([sys.executable, "-c", code], check=True)


def _w():
    return al.tensor([1.0, 2.0], requires_grad=True)


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda w, buf: np.multiply(w, 10.0, out=w), "multiply"),
        (lambda w, buf: np.add(np.ones(2), 5.0, out=w), "add"),
        (lambda w, buf: np.exp(w, out=buf), "exp"),
        (lambda w, buf: np.exp(w, where=np.array([True, False]), out=buf), "exp"),
        (lambda w, buf: np.add.accumulate(w, out=buf), "add.accumulate"),
        (lambda w, buf: np.nancumsum(w, out=buf), "nancumsum"),
    ],
)
def test_out_with_a_tensor_that_requires_grad_is_refused_before_anything_is_written(call, name):
    # the write was done, then refused as "no gradient rule" (w.data became [10, 20])
    w, buf = _w(), np.zeros(2)
    with pytest.raises(TypeError, match=rf"^numpy\.{name}\b.*out=.*nothing was written"):
        call(w, buf)
    np.testing.assert_array_equal(w.data, [1.0, 2.0])
    np.testing.assert_array_equal(buf, [0.0, 0.0])


@pytest.mark.parametrize(
    ("kwargs", "advice"),
    [
        ({"out": None}, r"without out= and assign the result: y = np\.multiply\("),
        ({"dtype": np.float32}, r"\.astype\("),
        ({"where": np.array([True, False])}, r"al\.where\("),
        ({"casting": "unsafe"}, r"without casting="),
        ({"order": "K"}, r"without order="),
        ({"subok": True}, r"without subok="),
        ({"signature": (None, None, None)}, r"without signature="),
    ],
)
def test_ufunc_keywords_on_a_tensor_that_requires_grad_name_the_keyword(kwargs, advice):
    # each gave "numpy.multiply has no gradient rule", though the op exists
    w, buf = _w(), np.zeros(2)
    kwargs = {**kwargs, "out": buf} if "out" in kwargs else kwargs
    with pytest.raises(TypeError, match=r"^numpy\.multiply\b") as info:
        np.multiply(w, 10.0, **kwargs)
    message = str(info.value)
    keyword = next(iter(kwargs))
    assert f"{keyword}=" in message and "no gradient rule" not in message
    assert re.search(advice, message) and "al.no_grad()" in message
    np.testing.assert_array_equal(w.data, [1.0, 2.0])
    np.testing.assert_array_equal(buf, [0.0, 0.0])


def test_out_under_no_grad_writes_and_returns_the_target_as_numpy_does():
    w, buf = _w(), np.zeros(2)
    with al.no_grad():
        assert np.exp(w, out=buf) is buf
        assert np.multiply(w, 10.0, out=w) is w
        assert np.nancumsum(w, out=np.zeros(2)).tolist() == [10.0, 30.0]
    np.testing.assert_allclose(buf, np.exp([1.0, 2.0]))
    np.testing.assert_array_equal(w.data, [10.0, 20.0])
    assert w.requires_grad


def test_out_is_written_when_nothing_requires_grad_or_the_result_is_not_float():
    buf = np.zeros(2)
    assert np.add(al.tensor([1.0, 2.0]), 1.0, out=buf) is buf
    np.testing.assert_array_equal(buf, [2.0, 3.0])
    t = al.tensor([5.0, 6.0])
    assert np.add(np.ones(2), 1.0, out=t) is t  # a tensor that needs no gradient
    np.testing.assert_array_equal(t.data, [2.0, 2.0])
    mask = np.zeros(2, dtype=bool)  # a comparison has no gradient to lose
    assert np.greater(_w(), 1.5, out=mask) is mask
    np.testing.assert_array_equal(mask, [False, True])


X = np.array([[1.0, -2.0, 3.0], [4.0, 5.0, -6.0]])
MASK = np.array([[True, False, True], [False, True, True]])


@pytest.mark.parametrize(
    ("call", "name", "keywords"),
    [
        (lambda t: np.sum(t, dtype=np.float32), "sum", ["dtype"]),
        (lambda t: np.sum(t, where=MASK, initial=1.0), "sum", ["where", "initial"]),
        (lambda t: np.mean(t, axis=0, dtype=np.float32), "mean", ["dtype"]),
        (lambda t: np.max(t, initial=10.0), "max", ["initial"]),
        (lambda t: np.std(t, correction=1), "std", ["correction"]),
        (lambda t: np.cumsum(t, dtype=int), "cumsum", ["dtype"]),
        (lambda t: np.clip(t, min=-1, max=2), "clip", ["min", "max"]),
        (lambda t: np.zeros_like(t, order="F"), "zeros_like", ["order"]),
        (lambda t: np.prod(t, axis=0, initial=2.0), "prod", ["initial"]),
        (
            lambda t: np.min(t, 1, out=None, where=MASK, initial=9.0),
            "min",
            ["out", "where", "initial"],
        ),
    ],
)
def test_a_keyword_a_numpy_function_does_not_take_on_tensors_is_named(call, name, keywords):
    # "sum_() got an unexpected keyword argument 'dtype'" named an internal function
    t = al.tensor(X, requires_grad=True)
    mask = MASK.copy()
    with pytest.raises(TypeError, match=rf"^numpy\.{name} on Tensors does not take") as info:
        call(t)
    message = str(info.value)
    assert all(f"{k}=" in message for k in keywords), message
    assert "unexpected keyword" not in message and "t.data" in message
    np.testing.assert_array_equal(t.data, X)
    np.testing.assert_array_equal(MASK, mask)


def test_a_keyword_alias_numpy_has_points_to_the_name_the_op_takes():
    t = al.tensor(X, requires_grad=True)
    with pytest.raises(TypeError, match=r"correction=.*ddof="):
        np.std(t, correction=1)
    with pytest.raises(TypeError, match=r"min=.*a_min="):
        np.clip(t, min=-1)
