"""Gradient clipping, as ``torch.nn.utils``: :func:`clip_grad_norm_` scales all the
gradients together when their total norm is over a limit, :func:`clip_grad_value_` clamps
each entry. Both change the ``.grad`` arrays in place (call them after ``backward()`` and
before ``optimizer.step()``) and skip parameters whose ``.grad`` is None.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np

from ..tensor import Tensor

EPS = 1e-6  # torch's: the scale is max_norm / (total + EPS)


def clip_grad_norm_(
    parameters: Tensor | Iterable[Tensor],
    max_norm: float,
    norm_type: float | str = 2.0,
    error_if_nonfinite: bool = False,
) -> float:
    """Scale every gradient by ``min(1, max_norm / (total + 1e-6))`` and return ``total``:
    the ``norm_type``-norm of all the gradients as one vector (the norm of the gradients'
    norms; ``float("inf")`` or ``"inf"`` for the largest magnitude). A total that is NaN or
    infinite raises RuntimeError with ``error_if_nonfinite``; otherwise the gradients are
    scaled by it as torch does (to NaN or 0). Torch returns a tensor; this returns a float.

    >>> import autograd_lite as al
    >>> w = al.tensor([0.0, 0.0], requires_grad=True)
    >>> w.grad = np.array([3.0, 4.0])
    >>> clip_grad_norm_([w], max_norm=1.0)
    5.0
    >>> w.grad.round(6)
    array([0.6, 0.8])
    """
    if not max_norm >= 0:
        raise ValueError(f"clip_grad_norm_: max_norm must be >= 0, got {max_norm}")
    order = float(norm_type)
    grads = _gradients("clip_grad_norm_", parameters)
    norms = [np.linalg.norm(g.ravel(), ord=order) for g in grads if g.size]
    if not norms:
        return 0.0
    total = float(np.linalg.norm(np.asarray(norms), ord=order))
    if error_if_nonfinite and not math.isfinite(total):
        raise RuntimeError(
            f"clip_grad_norm_: the total norm of order {order} of the gradients is {total}, so "
            "they cannot be clipped; pass error_if_nonfinite=False to scale them by it anyway"
        )
    scale = max_norm / (total + EPS)
    if not scale >= 1.0:  # NaN scales too, as torch's clamp(max=1) lets it through
        with np.errstate(invalid="ignore"):  # inf * 0: NaN, as in torch, said above
            for g in grads:
                g *= scale
    return total


def clip_grad_value_(parameters: Tensor | Iterable[Tensor], clip_value: float) -> None:
    """Clamp every gradient entry into ``[-clip_value, clip_value]`` (NaN stays NaN).

    >>> import autograd_lite as al
    >>> w = al.tensor([0.0, 0.0, 0.0], requires_grad=True)
    >>> w.grad = np.array([-3.0, 0.5, 2.0])
    >>> clip_grad_value_(w, 1.0)
    >>> w.grad
    array([-1. ,  0.5,  1. ])
    """
    if not clip_value >= 0:
        raise ValueError(f"clip_grad_value_: clip_value must be >= 0, got {clip_value}")
    for g in _gradients("clip_grad_value_", parameters):
        np.clip(g, -clip_value, clip_value, out=g)


def _gradients(caller: str, parameters: Tensor | Iterable[Tensor]) -> list[np.ndarray]:
    """The parameters' gradient arrays, each once, ready to be written in place (a read-only
    one, such as a broadcast view, is replaced by a copy first)."""
    params = [parameters] if isinstance(parameters, Tensor) else list(parameters)
    grads: dict[int, np.ndarray] = {}
    for i, p in enumerate(params):
        if not isinstance(p, Tensor):
            raise TypeError(f"{caller}: parameter {i} is a {type(p).__name__}, not a Tensor")
        if p.grad is None:
            continue
        if not isinstance(p.grad, np.ndarray) or p.grad.dtype.kind not in "fc":
            raise TypeError(
                f"{caller}: parameter {i}'s .grad is a {type(p.grad).__name__} "
                f"({getattr(p.grad, 'dtype', '')}), not a float array; clip the gradients of "
                "a backward() without create_graph=True"
            )
        if not p.grad.flags.writeable:
            p.grad = p.grad.copy()
        grads.setdefault(id(p.grad), p.grad)  # an array two parameters share is clipped once
    return list(grads.values())
