"""``al.linalg``: numpy's ``np.linalg`` functions on Tensors, as ``torch.linalg`` gathers them.

``np.linalg.inv(t)`` and the others dispatch here too, so numpy code runs unchanged.
"""

from __future__ import annotations

from .ops.matrices import (
    EighResult,
    SlogdetResult,
    cholesky,
    det,
    eigh,
    eigvalsh,
    inv,
    matrix_power,
    slogdet,
    solve,
)
from .ops.norms import numpy_norm as norm

__all__ = [
    "EighResult",
    "SlogdetResult",
    "cholesky",
    "det",
    "eigh",
    "eigvalsh",
    "inv",
    "matrix_power",
    "norm",
    "slogdet",
    "solve",
]
