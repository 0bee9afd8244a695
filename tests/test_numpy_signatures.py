"""numpy's functions on Tensors read positional arguments by numpy's own signature: in
``np.sum(t, 0, None, None, True)`` the third is dtype and the fifth keepdims, as numpy says,
never the op's next attribute; and they give numpy's dtypes."""

from __future__ import annotations

import numpy as np
import pytest

import autograd_lite as al

X = np.array([[1.0, 5.0, 2.0], [4.0, 3.0, 6.0]])

# calls numpy accepts with positional arguments past the array, and their numpy results
CALLS = [
    ("sum", lambda m: m.sum(X, 0, None, None, True)),
    ("sum", lambda m: m.sum(X, 1, None)),
    ("mean", lambda m: m.mean(X, 0, None, None, True)),
    ("max", lambda m: m.max(X, 0, None, True)),
    ("min", lambda m: m.min(X, 1, None)),
    ("prod", lambda m: m.prod(X, 0, None, None, True)),
    ("ptp", lambda m: m.ptp(X, 1, None, True)),
    ("var", lambda m: m.var(X, 0, None, None, 1)),
    ("std", lambda m: m.std(X, 1, None, None, 1, True)),
    ("median", lambda m: m.median(X, 0, None, False, True)),
    ("quantile", lambda m: m.quantile(X, 0.25, 1, None, False, "linear", True)),
    ("percentile", lambda m: m.percentile(X, 75, 0, None, False, "linear", True)),
]


@pytest.mark.parametrize("name, call", CALLS, ids=[f"{n}{i}" for i, (n, _) in enumerate(CALLS)])
def test_positional_arguments_bind_as_numpys(name, call):
    t = al.tensor(X, requires_grad=True)
    out = call(_On(t))
    expected = call(np)
    assert isinstance(out, al.Tensor) and out.op is not None
    np.testing.assert_allclose(out.data, expected, rtol=1e-12)
    out.sum().backward()  # recorded: the gradient flows
    assert t.grad is not None and t.grad.shape == X.shape


def test_a_positional_argument_the_op_cannot_honour_is_named_as_numpys():
    t = al.tensor(X, requires_grad=True)
    with pytest.raises(TypeError, match=r"numpy.sum on Tensors does not take dtype="):
        np.sum(t, 0, np.float32)  # numpy's dtype, which used to land on keepdims
    with pytest.raises(TypeError, match=r"does not take out="):
        np.max(t, 0, np.empty(3))


@pytest.mark.parametrize(
    "call",
    [
        lambda m, i: m.tril(i),
        lambda m, i: m.triu(i, 1),
        lambda m, i: m.tril(i.astype(bool)),
        lambda m, i: m.linalg.norm(i, 1, axis=0),
        lambda m, i: m.linalg.norm(i, m.inf, axis=1),
        lambda m, i: m.linalg.norm(i.astype(bool)),
        lambda m, i: m.dot(i.astype(m.float32), 2.0),
        lambda m, i: m.dot(3, i.astype(m.float32)),
    ],
)
def test_integer_boolean_and_float32_inputs_give_numpys_dtype(call):
    # tril and triu made integers float64, norm kept them integer, and dot read a Python
    # number as weak (float32 where numpy's dot gives float64)
    i = np.array([[1, -2, 3], [4, 5, -6]])
    expected = call(np, i)
    got = call(np, al.tensor(i))
    assert got.dtype == expected.dtype
    np.testing.assert_array_equal(got.data, expected)


class _On:
    """numpy's module with the array argument swapped for the Tensor ``t``."""

    def __init__(self, t):
        self.t = t

    def __getattr__(self, name):
        fn = getattr(np, name)
        return lambda a, *args, **kwargs: fn(self.t, *args, **kwargs)
