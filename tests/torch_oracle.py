"""The optional PyTorch oracle shared by the ``*_against_torch`` tests: torch itself (the
importing module is skipped where it is not installed) and one value-and-gradient check."""

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pytest

import autograd_lite as al

torch = pytest.importorskip(
    "torch", reason="optional oracle, not installed: pip install torch==2.13.0 (CPU)"
)


def assert_matches_torch(
    ours: Callable[..., Any],
    theirs: Callable[..., Any],
    inputs: Sequence[np.ndarray],
    rng: np.random.Generator,
    value_atol: float = 1e-12,
) -> None:
    """``ours`` and ``theirs`` give the same values on ``inputs``, and the same gradient in
    every input for a random upstream gradient (not all ones)."""
    leaves = [al.tensor(a, requires_grad=True) for a in inputs]
    out = ours(*leaves)
    tensors = [torch.tensor(a, requires_grad=True) for a in inputs]
    expected = theirs(*tensors)
    np.testing.assert_allclose(out.data, expected.detach().numpy(), rtol=1e-10, atol=value_atol)
    g = rng.standard_normal(out.shape)
    (out * g).sum().backward()
    (expected * torch.tensor(g)).sum().backward()
    for i, (leaf, tensor) in enumerate(zip(leaves, tensors, strict=True)):
        np.testing.assert_allclose(
            leaf.grad, tensor.grad.numpy(), rtol=1e-9, atol=1e-12, err_msg=f"input {i}"
        )
