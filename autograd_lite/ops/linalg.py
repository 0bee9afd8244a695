"""Linear algebra: matmul, with numpy's rules for 1-D, 2-D and batched N-D operands.

For 2-D operands d(a @ b) gives ``g @ b^T`` and ``a^T @ g``. A 1-D operand is a row (for
``a``) or a column (for ``b``) that numpy drops from the result; the rules put that axis
back, apply the 2-D formula, and drop it again. Batch axes that broadcast are summed by
the engine.
"""

from __future__ import annotations

import numpy as np

from ..registry import register


@register("matmul")
def matmul(a, b):
    return np.matmul(a, b)


@matmul.vjp(argnum=0)
def _matmul_a(g, out, a, b):
    """d(a @ b)/da = g @ b^T."""
    if a.ndim == 1 and b.ndim == 1:
        return g * b
    if b.ndim == 1:
        return np.expand_dims(g, -1) * b  # outer product: (..., m, 1) * (k,)
    if a.ndim == 1:
        g = np.expand_dims(g, -2)  # (..., 1, n)
        return (g @ b.swapaxes(-1, -2)).squeeze(-2)
    return g @ b.swapaxes(-1, -2)


@matmul.vjp(argnum=1)
def _matmul_b(g, out, a, b):
    """d(a @ b)/db = a^T @ g."""
    if a.ndim == 1 and b.ndim == 1:
        return g * a
    if a.ndim == 1:
        return np.expand_dims(a, -1) * np.expand_dims(g, -2)  # (k, 1) * (..., 1, n)
    if b.ndim == 1:
        g = np.expand_dims(g, -1)  # (..., m, 1)
        return (a.swapaxes(-1, -2) @ g).squeeze(-1)
    return a.swapaxes(-1, -2) @ g


@register("linear", reads=("x", "weight"))
def linear(x, weight, bias):
    out = np.matmul(x, weight)
    if type(bias) is float or type(bias) is int:  # numpy's weak scalar: out keeps its dtype
        return out + bias
    bias = np.asarray(bias)
    if bias.dtype == out.dtype and bias.shape == out.shape[out.ndim - bias.ndim :]:
        return np.add(out, bias, out=out)  # in place: one large temporary fewer
    return out + bias


@linear.vjp(argnum=0)
def _linear_x(g, out, x, weight, bias):
    """d(x @ W + b)/dx = g @ W^T."""
    return _matmul_a(g, out, x, weight)


@linear.vjp(argnum=1)
def _linear_weight(g, out, x, weight, bias):
    """d(x @ W + b)/dW = x^T @ g."""
    return _matmul_b(g, out, x, weight)


@linear.vjp(argnum=2)
def _linear_bias(g, out, x, weight, bias):
    """d(x @ W + b)/db = 1, summed over the rows by the engine."""
    return g
