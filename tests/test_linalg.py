"""np.linalg on Tensors beyond the op table: the conventions where a derivative needs a
choice, and the refusals where it does not exist or is not computed."""

from __future__ import annotations

import numpy as np
import pytest

import autograd_lite as al


def test_al_linalg_holds_what_np_linalg_dispatches_to():
    a = al.tensor([[2.0, 1.0], [1.0, 3.0]], requires_grad=True)
    assert al.linalg.inv(a).op.name == np.linalg.inv(a).op.name == "inv"
    sign, logabsdet = al.linalg.slogdet(a)
    assert sign.data == 1.0 and not sign.requires_grad
    np.testing.assert_allclose(logabsdet.data, np.log(5.0))
    w, v = np.linalg.eigh(a)
    np.testing.assert_allclose(w.data, np.linalg.eigvalsh(a.data))
    np.testing.assert_allclose(np.abs(v.data), np.abs(np.linalg.eigh(a.data)[1]))


def test_a_determinant_up_to_3_by_3_differentiates_at_a_singular_matrix_exactly():
    a = al.tensor([[1.0, 2.0], [2.0, 4.0]], requires_grad=True)
    d = al.linalg.det(a)
    assert d.data == 0.0
    d.backward()
    np.testing.assert_array_equal(a.grad, [[4.0, -2.0], [-2.0, 1.0]])  # the cofactors
    rank_2 = np.array([[1.0, 2.0, 0.5], [-1.0, 0.3, 2.0], [0.0, 2.3, 2.5]])  # row 3 = 1 + 2
    # second derivatives too: they were computed through det * inv, about 0 * 1e16
    assert al.gradgradcheck(al.linalg.det, [rank_2])
    hessian = al.hessian(al.linalg.det)(rank_2)
    assert hessian[0, 0, 1, 1] == pytest.approx(rank_2[2, 2], abs=1e-12)  # d2/da00 da11 = a22


def test_a_larger_determinant_refuses_a_gradient_at_a_singular_matrix_and_a_second_at_a_near_one():
    singular = al.tensor(np.outer(np.arange(1.0, 5.0), [1.0, -1.0, 2.0, 0.5]), requires_grad=True)
    with pytest.raises(np.linalg.LinAlgError, match="det: the gradient at a singular matrix"):
        al.linalg.det(singular).backward()
    near = np.diag([1.0, 2.0, 3.0, 1e-9])  # condition number 3e9
    assert al.grad(al.linalg.det)(near)[3, 3] == pytest.approx(6.0)  # first derivatives: fine
    with pytest.raises(
        np.linalg.LinAlgError, match=r"second derivative .* condition number 3e\+09"
    ):
        al.hessian(al.linalg.det)(near)


def test_eigenvectors_of_tied_eigenvalues_refuse_a_gradient_but_eigenvalues_alone_do_not():
    a = al.tensor(np.eye(3), requires_grad=True)  # three equal eigenvalues
    np.linalg.eigvalsh(a).sum().backward()
    np.testing.assert_allclose(a.grad, np.eye(3))  # d trace(a)/da, in the lower triangle
    a.grad = None
    with pytest.raises(np.linalg.LinAlgError, match="eigh: the eigenvectors' gradient"):
        np.linalg.eigh(a).eigenvectors.sum().backward()


def test_cholesky_sends_the_gradient_to_the_triangle_it_reads():
    m = np.array([[4.0, 99.0], [2.0, 3.0]])  # 99 is never read with numpy's UPLO="L"
    lower = al.tensor(m, requires_grad=True)
    np.linalg.cholesky(lower).sum().backward()
    assert lower.grad[0, 1] == 0.0 and lower.grad[1, 0] != 0.0
    upper = al.tensor(m.T, requires_grad=True)  # the same matrix, read from above
    np.linalg.cholesky(upper, upper=True).sum().backward()  # the same sum: of L^T
    np.testing.assert_allclose(upper.grad, lower.grad.T, rtol=1e-12)


def test_norm_conventions_at_zero_and_at_ties_follow_pytorch():
    x = al.tensor([0.0, 0.0], requires_grad=True)
    al.linalg.norm(x).backward()  # 2-norm at 0: gradient 0, not NaN
    np.testing.assert_array_equal(x.grad, [0.0, 0.0])
    y = al.tensor([3.0, -3.0, 1.0], requires_grad=True)
    np.linalg.norm(y, np.inf).backward()  # a tie between |3| and |-3| shares the gradient
    np.testing.assert_array_equal(y.grad, [0.5, -0.5, 0.0])


def test_matrix_power_zero_is_the_identity_and_negative_powers_use_inv():
    a = al.tensor([[2.0, 1.0], [0.0, 1.0]], requires_grad=True)
    np.testing.assert_array_equal(np.linalg.matrix_power(a, 0).data, np.eye(2))
    p = np.linalg.matrix_power(a, -3)
    np.testing.assert_allclose(p.data, np.linalg.matrix_power(a.data, -3))
    assert p.op.name in ("matmul", "inv")


@pytest.mark.parametrize(
    ("call", "kind", "message"),
    [
        (lambda t: np.linalg.norm(t, "nuc"), ValueError, "matrix norm ord='nuc'"),
        (lambda t: np.linalg.norm(t, 2), ValueError, "matrix norm ord=2"),
        (lambda t: np.linalg.norm(t[0], 3), ValueError, "vector norms take ord in"),
        (lambda t: np.linalg.matrix_power(t[0], 2), np.linalg.LinAlgError, "not a square"),
        (
            lambda t: np.linalg.inv(t[:, :1]),
            np.linalg.LinAlgError,
            r"inv: inputs of shape \(2, 1\)",
        ),
        (lambda t: np.linalg.solve(t, t[0, :1]), ValueError, "solve: inputs of shape"),
    ],
)
def test_what_is_not_supported_is_refused_naming_the_function(call, kind, message):
    t = al.tensor([[2.0, 1.0], [1.0, 3.0]], requires_grad=True)
    with pytest.raises(kind, match=message):
        call(t)


def test_a_tie_in_one_matrix_of_a_stack_does_not_refuse_the_others():
    stack = np.stack([np.eye(2), np.array([[2.0, 1.0], [1.0, 3.0]])])
    a = al.tensor(stack, requires_grad=True)
    np.linalg.eigh(a).eigenvectors[1].sum().backward()  # only the untied matrix's
    np.testing.assert_array_equal(a.grad[0], np.zeros((2, 2)))
    assert np.all(np.isfinite(a.grad[1])) and np.any(a.grad[1])


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int64, np.bool_, np.float16])
def test_matrix_power_zero_is_the_identity_in_a_s_dtype(dtype):
    # the identity was float64 whatever a's dtype, then float64 for int64 and float32 for
    # bool (promoted with float32); numpy's is in a's dtype
    a = np.array([[[3, 1], [0, 2]]] * 2).astype(dtype)
    for n in (0, 1, 2):
        got, expected = al.linalg.matrix_power(al.tensor(a), n), np.linalg.matrix_power(a, n)
        assert got.dtype == expected.dtype and got.shape == expected.shape
        np.testing.assert_array_equal(got.data, expected)
