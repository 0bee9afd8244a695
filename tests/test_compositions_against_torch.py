"""Optional: numpy functions composed from the ops (and the linalg compositions) against their
torch counterparts, values and gradients in float64; skipped where torch is not installed
(``pip install torch==2.13.0``). Symmetric-matrix functions read the lower triangle, as
numpy's do, so torch gets the symmetric matrix built from it and its gradient lands there."""

import numpy as np
import pytest
from torch_oracle import assert_matches_torch, torch

import autograd_lite as al

RNG = np.random.default_rng(0)
A = RNG.standard_normal((3, 4, 4))
S = A @ A.transpose(0, 2, 1) + 4 * np.eye(4)
X = RNG.standard_normal((3, 7))
X_NAN = X.copy()
X_NAN[0, 2] = X_NAN[1, [1, 5]] = np.nan  # one NaN in row 0, two in row 1, none in row 2


def lower(t):
    return torch.tril(t) + torch.tril(t, -1).mT


CASES = {
    "quantile": (lambda t: al.quantile(t, 0.3, axis=1), lambda t: torch.quantile(t, 0.3, 1), [X]),
    "median of an odd count": (lambda t: al.median(t, axis=1), lambda t: t.median(1).values, [X]),
    "quantile of rows holding NaN": (
        lambda t: al.quantile(t, [0.3, 0.5], axis=1),
        lambda t: torch.quantile(t, torch.tensor([0.3, 0.5], dtype=t.dtype), 1),
        [X_NAN],
    ),
    "max of an array holding NaN": (np.max, torch.max, [X_NAN]),
    "eigvalsh": (al.linalg.eigvalsh, lambda t: torch.linalg.eigvalsh(lower(t)), [S]),
    "eigh's vectors, up to sign": (
        lambda t: np.abs(al.linalg.eigh(t)[1]),
        lambda t: torch.linalg.eigh(lower(t))[1].abs(),
        [S],
    ),
    "matrix_power": (
        lambda t: al.linalg.matrix_power(t, 3),
        lambda t: torch.linalg.matrix_power(t, 3),
        [A],
    ),
    "slogdet": (lambda t: al.linalg.slogdet(t)[1], lambda t: torch.linalg.slogdet(t)[1], [A]),
    "frobenius norm": (
        lambda t: np.linalg.norm(t, axis=(1, 2)),
        lambda t: torch.linalg.matrix_norm(t),
        [A],
    ),
    "diff": (lambda t: np.diff(t, axis=1), lambda t: torch.diff(t, dim=1), [X]),
    "trace": (
        lambda t: np.trace(t, axis1=1, axis2=2),
        lambda t: torch.diagonal(t, 0, 1, 2).sum(-1),
        [A],
    ),
    "kron": (np.kron, torch.kron, [A[0, :2, :3], A[1, :3, :2]]),
    "outer": (np.outer, torch.outer, [X[0], X[1]]),
    "tensordot": (
        lambda a, b: np.tensordot(a, b, axes=([1], [0])),
        lambda a, b: torch.tensordot(a, b, dims=([1], [0])),
        [A[0], A[1]],
    ),
    "roll": (lambda t: np.roll(t, 2, axis=1), lambda t: torch.roll(t, 2, 1), [X]),
    "pad": (
        lambda t: np.pad(t, ((1, 0), (2, 1))),
        lambda t: torch.nn.functional.pad(t, (2, 1, 1, 0)),
        [X],
    ),
    "var with ddof 1": (lambda t: np.var(t, axis=1, ddof=1), lambda t: torch.var(t, 1), [X]),
}


@pytest.mark.parametrize("name", CASES)
def test_values_and_gradients_match_torch(name):
    ours, theirs, inputs = CASES[name]
    assert_matches_torch(ours, theirs, inputs, RNG, value_atol=1e-13)
