"""The local Jacobian of one node: its op's derivative with respect to each input.

``local_jacobian(t)`` materialises d out / d input for the op that made ``t``, at the
values it was computed from, by feeding the op's registered VJP rule one basis vector of
the output at a time (each gives one row). For softmax it is diag(s) - s s^T; the engine
itself never builds it. ``check_local(t)`` compares it with central differences.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .engine import fit
from .gradcheck import GradcheckError, central_differences, mismatches
from .tensor import Tensor

MAX_ENTRIES = 1_000_000


def local_jacobian(t: Tensor, max_entries: int = MAX_ENTRIES) -> tuple[np.ndarray | None, ...]:
    """One Jacobian per input of the op that made ``t``, each of shape
    ``t.shape + input.shape``; None for inputs that are not floating-point tensors.

    >>> import autograd_lite as al
    >>> s = al.softmax(al.tensor([0.0, 0.0], requires_grad=True))
    >>> local_jacobian(s)[0]
    array([[ 0.25, -0.25],
           [-0.25,  0.25]])
    """
    op, arrays, out = _node(t)
    jacobians: list[np.ndarray | None] = []
    for i, x in enumerate(t.inputs):
        if not (isinstance(x, Tensor) and x.dtype.kind == "f"):
            jacobians.append(None)
            continue
        entries = out.size * x.size
        if entries > max_entries:
            raise ValueError(
                f"local_jacobian: the Jacobian of {op.name!r} with respect to input {i} would "
                f"have {out.size} x {x.size} = {entries} entries, more than max_entries="
                f"{max_entries}; pass a larger max_entries or use a smaller input"
            )
        jacobian = np.empty(out.shape + x.shape)
        for k in np.ndindex(out.shape):
            basis = np.zeros(out.shape, dtype=out.dtype)
            basis[k] = 1
            # extra=None: the rule recomputes the forward's extra from the inputs
            jacobian[k] = fit(
                op.call_rule(i, basis, out, arrays, t.attrs, None), x, op.name, i, basis
            )
        jacobians.append(jacobian)
    return tuple(jacobians)


def check_local(t: Tensor, eps: float = 1e-6, atol: float = 1e-5, rtol: float = 1e-3) -> bool:
    """Compare :func:`local_jacobian` with central differences of the op's forward.

    True when they agree; otherwise a GradcheckError naming the op, the input and the
    entry. Best at float64 values, away from the op's kinks.
    """
    op, arrays, _ = _node(t)
    attrs = t.attrs

    def forward(*args: Any) -> np.ndarray:
        return np.asarray(op.output(*args, **attrs))

    for i, analytic in enumerate(local_jacobian(t)):
        if analytic is None:
            continue
        x = np.array(arrays[i], dtype=np.float64)
        numeric = np.empty_like(analytic)
        for j, slope in central_differences(forward, list(arrays), i, x, eps):
            numeric[(Ellipsis,) + j] = slope
        bad = mismatches(analytic, numeric, atol, rtol)
        if bad.any():
            where = tuple(int(k) for k in np.argwhere(bad)[0])
            raise GradcheckError(
                f"check_local of {op.name!r}: d out{where[: t.ndim]} / d input {i}"
                f"{where[t.ndim :]}: rule gives {analytic[where]:.8g}, finite differences "
                f"{numeric[where]:.8g}"
            )
    return True


def _node(t: Tensor) -> tuple[Any, list[Any], np.ndarray]:
    if t.op is None:
        raise ValueError("a leaf tensor was not made by an op: it has no local Jacobian")
    arrays = [x.data if isinstance(x, Tensor) else x for x in t.inputs]
    return t.op, arrays, t.data


__all__ = ["MAX_ENTRIES", "check_local", "local_jacobian"]
