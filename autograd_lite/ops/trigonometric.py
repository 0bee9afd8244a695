"""Trigonometric and hyperbolic functions and their inverses, and sinc, elementwise, as
numpy's.

Each rule is written with numpy functions of the input or the saved output, so that on
Tensors (a recorded backward) it records ops too and second derivatives work. Where the
derivative is infinite (arcsin and arccos at +-1, arccosh at 1, arctanh at +-1) the rule
gives inf or nan as numpy's arithmetic does, as PyTorch does.
"""

from __future__ import annotations

import numpy as np

from ..registry import register


@register("sin")
def sin(x):
    return np.sin(x)


@sin.vjp
def _sin(g, out, x):
    """d sin(x)/dx = cos(x)."""
    return g * np.cos(x)


@register("cos")
def cos(x):
    return np.cos(x)


@cos.vjp
def _cos(g, out, x):
    """d cos(x)/dx = -sin(x)."""
    return -g * np.sin(x)


@register("tan", reads=())
def tan(x):
    return np.tan(x)


@tan.vjp
def _tan(g, out, x):
    """d tan(x)/dx = 1 + tan(x)^2, written with the saved output."""
    return g * (1 + out * out)


@register("arcsin")
def arcsin(x):
    return np.arcsin(x)


@arcsin.vjp
def _arcsin(g, out, x):
    """d arcsin(x)/dx = 1 / sqrt(1 - x^2)."""
    return g / np.sqrt(1 - x * x)


@register("arccos")
def arccos(x):
    return np.arccos(x)


@arccos.vjp
def _arccos(g, out, x):
    """d arccos(x)/dx = -1 / sqrt(1 - x^2)."""
    return -g / np.sqrt(1 - x * x)


@register("arctan")
def arctan(x):
    return np.arctan(x)


@arctan.vjp
def _arctan(g, out, x):
    """d arctan(x)/dx = 1 / (1 + x^2)."""
    return g / (1 + x * x)


@register("sinh")
def sinh(x):
    return np.sinh(x)


@sinh.vjp
def _sinh(g, out, x):
    """d sinh(x)/dx = cosh(x)."""
    return g * np.cosh(x)


@register("cosh")
def cosh(x):
    return np.cosh(x)


@cosh.vjp
def _cosh(g, out, x):
    """d cosh(x)/dx = sinh(x)."""
    return g * np.sinh(x)


@register("arcsinh")
def arcsinh(x):
    return np.arcsinh(x)


@arcsinh.vjp
def _arcsinh(g, out, x):
    """d arcsinh(x)/dx = 1 / sqrt(x^2 + 1)."""
    return g / np.sqrt(x * x + 1)


@register("arccosh")
def arccosh(x):
    return np.arccosh(x)


@arccosh.vjp
def _arccosh(g, out, x):
    """d arccosh(x)/dx = 1 / sqrt(x^2 - 1), for x > 1."""
    return g / np.sqrt(x * x - 1)


@register("arctanh")
def arctanh(x):
    return np.arctanh(x)


@arctanh.vjp
def _arctanh(g, out, x):
    """d arctanh(x)/dx = 1 / (1 - x^2)."""
    return g / (1 - x * x)


@register("deg2rad", reads=())
def deg2rad(x):
    return np.deg2rad(x)


@deg2rad.vjp
def _deg2rad(g, out, x):
    """d (x pi / 180)/dx = pi / 180."""
    return g * (np.pi / 180)


@register("rad2deg", reads=())
def rad2deg(x):
    return np.rad2deg(x)


@rad2deg.vjp
def _rad2deg(g, out, x):
    """d (x 180 / pi)/dx = 180 / pi."""
    return g * (180 / np.pi)


@register("sinc")
def sinc(x):
    return np.sinc(x)


@sinc.vjp
def _sinc(g, out, x):
    """d sinc(x)/dx = (cos(pi x) - sinc(x)) / x, 0 at 0; near 0 (|x| < 0.01), where that
    difference cancels, its Taylor series -pi^2 x/3 + pi^4 x^3/30 - pi^6 x^5/840."""
    near = np.abs(x) < 0.01
    safe = np.where(near, 1.0, x)
    far = (np.cos(np.pi * safe) - np.sinc(safe)) / safe
    x2 = x * x
    series = x * (-(np.pi**2) / 3 + x2 * (np.pi**4 / 30 - x2 * np.pi**6 / 840))
    return g * np.where(near, series, far)
