"""Functions of square matrices, on the last two axes and batched over the others: inv, det,
log|det| (slogdet), solve, cholesky and eigh; matrix_power as matmuls.

cholesky and eigh read one triangle of their input (numpy's lower one by default), so their
gradient sits in that triangle: with G the gradient for a symmetric input, an entry below
the diagonal stands for two entries of the matrix and gets G_ij + G_ji, the diagonal G_ii.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np

from ..node import data_of
from ..registry import register
from ..tensor import Tensor
from .contraction import cross
from .linalg import matmul
from .shape import stack


def _t(m: Any) -> Any:
    """The transpose of each matrix of a stack."""
    return np.swapaxes(m, -1, -2)


@register("inv", reads=())
def inv(a):
    return np.linalg.inv(a)


@inv.vjp
def _inv(g, out, a):
    """d inv(a)/da = -inv(a)^T g inv(a)^T."""
    return -(_t(out) @ g @ _t(out))


@register("det")
def det(a):
    return np.linalg.det(a)


@det.vjp
def _det(g, out, a):
    """d det(a)/da = cof(a), the cofactor matrix: written out up to 3 x 3 (a polynomial, so
    exact at singular matrices, and so are its derivatives); larger, det(a) inv(a)^T, refused
    at a singular matrix and, for second derivatives, at an ill-conditioned one."""
    if a.shape[-1] <= 3:
        return g[..., None, None] * _cofactors(a)
    if isinstance(a, Tensor):  # recorded: its derivative would cancel det ~ 0 against inv
        _refuse_ill_conditioned("det", a.data)
    return (g * out)[..., None, None] * _t(_inverse_for("det", a))


def _cofactors(a: Any) -> Any:
    """The cofactor matrix of each 0 x 0 to 3 x 3 matrix of a stack (Tensors in a recorded
    backward): entry ij is (-1)^(i+j) times the determinant without row i and column j."""
    n = a.shape[-1]
    if n <= 1:
        return np.ones(a.shape, a.dtype)
    if n == 2:
        p, q, r, s = (a[..., i, j] for i in (0, 1) for j in (0, 1))
        rows = [stack.in_rule(s, -r, axis=-1), stack.in_rule(-q, p, axis=-1)]
        return stack.in_rule(*rows, axis=-2)
    r0, r1, r2 = (a[..., i, :] for i in range(3))  # cofactor rows: r1 x r2, r2 x r0, r0 x r1
    rows = [cross.in_rule(r1, r2), cross.in_rule(r2, r0), cross.in_rule(r0, r1)]
    return stack.in_rule(*rows, axis=-2)


def _refuse_ill_conditioned(name: str, a: np.ndarray) -> None:
    """Refuse a recorded rule through inv(a) where it would lose more than half the digits:
    its error grows as eps times the condition number."""
    limit = 1 / np.sqrt(np.finfo(a.dtype).eps)
    with np.errstate(all="ignore"):
        worst = float(np.max(np.linalg.cond(a))) if a.size else 0.0
    if not worst <= limit:
        raise np.linalg.LinAlgError(
            f"{name}: the second derivative at a matrix of shape {a.shape} with condition "
            f"number {worst:.2g} is not computed: through inv(a) it would keep fewer than half "
            f"of {a.dtype}'s digits (the limit is {limit:.2g}); it is exact for matrices up "
            "to 3 x 3"
        )


@register("logabsdet")
def logabsdet(a):
    return np.linalg.slogdet(a)[1]


@logabsdet.vjp
def _logabsdet(g, out, a):
    """d log|det a|/da = inv(a)^T; refused at a singular matrix."""
    return g[..., None, None] * _t(_inverse_for("logabsdet", a))


def _inverse_for(name: str, a: Any) -> Any:
    try:
        return np.linalg.inv(a)
    except np.linalg.LinAlgError as exc:
        raise np.linalg.LinAlgError(
            f"{name}: the gradient at a singular matrix (shape {np.shape(a)}) is not computed; "
            "its inverse does not exist"
        ) from exc


class SlogdetResult(NamedTuple):
    """``np.linalg.slogdet``'s pair: the sign (a constant) and log|det| (differentiable)."""

    sign: Any
    logabsdet: Any


def slogdet(a: Any) -> SlogdetResult:
    """``np.linalg.slogdet``: the sign of det(a), and log|det(a)| with its gradient."""
    data = a.data if isinstance(a, Tensor) else a
    return SlogdetResult(Tensor(np.linalg.slogdet(data)[0]), logabsdet(a))


@register("solve", reads=("a",))
def solve(a, b):
    return np.linalg.solve(a, b)


@solve.vjp(argnum=1)
def _solve_b(g, out, a, b):
    """d solve(a, b)/db = solve(a^T, g); a 1-d b is one column."""
    if b.ndim == 1:
        return np.linalg.solve(_t(a), g[..., None])[..., 0]
    return np.linalg.solve(_t(a), g)


@solve.vjp(argnum=0)
def _solve_a(g, out, a, b):
    """d solve(a, b)/da = -solve(a^T, g) x^T, with x = solve(a, b)."""
    gb = _solve_b(g, out, a, b)
    if b.ndim == 1:
        return -(gb[..., :, None] * out[..., None, :])
    return -(gb @ _t(out))


@register("cholesky", reads=())
def cholesky(a, upper=False):
    return np.linalg.cholesky(a, upper=upper)


@cholesky.vjp
def _cholesky(g, out, a, upper=False):
    """With L = cholesky(a): S = L^-T Φ(L^T gL) L^-1, Φ the lower triangle with its diagonal
    halved; the gradient is S + S^T in the triangle numpy reads (the lower one unless upper),
    halved on the diagonal."""
    lower, g_lower = (_t(out), _t(g)) if upper else (out, g)
    half = 1 - 0.5 * np.eye(np.shape(out)[-1])
    phi = np.tril(_t(lower) @ g_lower) * half
    s_t = np.linalg.solve(_t(lower), _t(np.linalg.solve(_t(lower), phi)))  # S^T
    return (np.triu if upper else np.tril)(s_t + _t(s_t)) * half


@register("eigh", reads=())
def eigh_stacked(a, UPLO="L"):
    """The eigenvalues as row 0 above the eigenvectors (as columns) in rows 1 to n: one
    output, so that one node and one rule serve both; :func:`eigh` splits them."""
    w, v = np.linalg.eigh(a, UPLO=UPLO)
    return np.concatenate([w[..., None, :], v], axis=-2)


@eigh_stacked.vjp
def _eigh(g, out, a, UPLO="L"):
    """With a = V diag(w) V^T: G = V (diag(gw) + F * (V^T gV)) V^T, F_ij = 1/(w_j - w_i) off
    the diagonal; the gradient is G + G^T in the triangle numpy reads, halved on the
    diagonal. Refused where eigenvectors get a gradient and two eigenvalues (nearly) tie."""
    w, v, gw, gv = out[..., 0, :], out[..., 1:, :], g[..., 0, :], g[..., 1:, :]
    eye = np.eye(np.shape(w)[-1])
    gap = w[..., None, :] - w[..., :, None]  # gap_ij = w_j - w_i
    ties = _refuse_ties(w, gap, gv)
    f = (1 - eye) / (gap + ties)  # any value where w ties: F then meets a zero gV
    full = v @ (gw[..., None, :] * eye + f * (_t(v) @ gv)) @ _t(v)
    return (np.tril if UPLO == "L" else np.triu)(full + _t(full)) * (1 - 0.5 * eye)


def _refuse_ties(w: Any, gap: Any, gv: Any) -> Any:
    """Where eigenvalues (nearly) tie, as booleans; an error if a matrix with ties has a
    nonzero gradient for its eigenvectors."""
    w, gap, gv = (x.data if isinstance(x, Tensor) else x for x in (w, gap, gv))
    scale = max(float(np.max(np.abs(w), initial=0.0)), 1.0)
    ties = np.abs(gap) <= 1e3 * np.finfo(gap.dtype).eps * scale
    tied = np.any(ties & ~np.eye(w.shape[-1], dtype=bool), axis=(-2, -1))
    if np.any(tied & np.any(gv != 0, axis=(-2, -1))):  # in one matrix
        raise np.linalg.LinAlgError(
            "eigh: the eigenvectors' gradient at (nearly) equal eigenvalues is not defined; "
            "use the eigenvalues alone, or a matrix whose eigenvalues are distinct"
        )
    return ties


class EighResult(NamedTuple):
    """``np.linalg.eigh``'s pair: the eigenvalues, ascending, and the eigenvectors as columns."""

    eigenvalues: Any
    eigenvectors: Any


def eigh(a: Any, UPLO: str = "L") -> EighResult:
    """``np.linalg.eigh`` of a symmetric matrix, from the triangle ``UPLO`` names."""
    stacked = eigh_stacked(a, UPLO=UPLO)
    return EighResult(stacked[..., 0, :], stacked[..., 1:, :])


def eigvalsh(a: Any, UPLO: str = "L") -> Any:
    """``np.linalg.eigvalsh``: the eigenvalues of a symmetric matrix, ascending."""
    return eigh(a, UPLO).eigenvalues


def matrix_power(a: Any, n: int) -> Any:
    """``np.linalg.matrix_power``: a @ a @ ... (n times) by repeated squaring; inv(a) to the
    power -n for negative n; the identity (a constant) for n = 0."""
    n, shape = operator.index(n), np.shape(a)
    if len(shape) < 2 or shape[-1] != shape[-2]:
        raise np.linalg.LinAlgError(
            f"matrix_power: a of shape {shape} is not a square matrix (or a stack of them)"
        )
    if n == 0:
        dtype = np.asarray(data_of(a)).dtype  # numpy's identity is in a's dtype, bool too
        return Tensor(np.broadcast_to(np.eye(shape[-1], dtype=dtype), shape).copy())
    if n < 0:
        a, n = inv(a), -n
    result = None
    while n:
        if n & 1:
            result = a if result is None else matmul(result, a)
        n >>= 1
        if n:
            a = matmul(a, a)
    return result


MATRICES: dict[Any, Callable[..., Any]] = {
    np.linalg.inv: inv,
    np.linalg.det: det,
    np.linalg.slogdet: slogdet,
    np.linalg.solve: solve,
    np.linalg.cholesky: cholesky,
    np.linalg.eigh: eigh,
    np.linalg.eigvalsh: eigvalsh,
    np.linalg.matrix_power: matrix_power,
}
