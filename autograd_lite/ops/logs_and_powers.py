"""Exponentials and logarithms in other bases, and the powers numpy names: elementwise.

Each rule is written with numpy functions of the input or the saved output, so that on
Tensors (a recorded backward) it records ops too and second derivatives work.
"""

from __future__ import annotations

import numpy as np

from ..registry import register

LN2 = float(np.log(2.0))
LN10 = float(np.log(10.0))


@register("exp2", reads=())
def exp2(x):
    return np.exp2(x)


@exp2.vjp
def _exp2(g, out, x):
    """d 2^x/dx = 2^x log(2), written with the saved output."""
    return g * out * LN2


@register("expm1", reads=())
def expm1(x):
    return np.expm1(x)


@expm1.vjp
def _expm1(g, out, x):
    """d (exp(x) - 1)/dx = exp(x) = expm1(x) + 1, written with the saved output."""
    return g * (out + 1)


@register("log2")
def log2(x):
    return np.log2(x)


@log2.vjp
def _log2(g, out, x):
    """d log2(x)/dx = 1 / (x log(2))."""
    return g / (x * LN2)


@register("log10")
def log10(x):
    return np.log10(x)


@log10.vjp
def _log10(g, out, x):
    """d log10(x)/dx = 1 / (x log(10))."""
    return g / (x * LN10)


@register("log1p")
def log1p(x):
    return np.log1p(x)


@log1p.vjp
def _log1p(g, out, x):
    """d log(1 + x)/dx = 1 / (1 + x)."""
    return g / (1 + x)


@register("square")
def square(x):
    return np.square(x)


@square.vjp
def _square(g, out, x):
    """d x^2/dx = 2 x."""
    return 2 * g * x


@register("reciprocal", reads=())
def reciprocal(x):
    return np.reciprocal(x)


@reciprocal.vjp
def _reciprocal(g, out, x):
    """d (1/x)/dx = -1 / x^2, written with the saved output: -out^2."""
    return -g * out * out


@register("cbrt", reads=())
def cbrt(x):
    return np.cbrt(x)


@cbrt.vjp
def _cbrt(g, out, x):
    """d x^(1/3)/dx = 1 / (3 x^(2/3)), written with the saved output (inf at 0, as torch)."""
    return g / (3 * out * out)
