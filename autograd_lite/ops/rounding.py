"""Rounding to integers, elementwise: floor, ceil, trunc and round (half to even, as numpy
and PyTorch). Their gradient is zero everywhere, PyTorch's convention: the functions are
flat between the jumps, and the jumps have no derivative."""

from __future__ import annotations

import numpy as np

from ..registry import register


@register("floor", reads=())
def floor(x):
    return np.floor(x)


@floor.vjp
def _floor(g, out, x):
    """d floor(x)/dx = 0 (away from the integers, where it is undefined)."""
    return g * 0


@register("ceil", reads=())
def ceil(x):
    return np.ceil(x)


@ceil.vjp
def _ceil(g, out, x):
    """d ceil(x)/dx = 0 (away from the integers, where it is undefined)."""
    return g * 0


@register("trunc", reads=())
def trunc(x):
    return np.trunc(x)


@trunc.vjp
def _trunc(g, out, x):
    """d trunc(x)/dx = 0 (away from the integers, where it is undefined)."""
    return g * 0


@register("round", reads=())
def round_(x, decimals=0):
    return np.round(x, decimals)


@round_.vjp
def _round(g, out, x, decimals=0):
    """d round(x)/dx = 0 (away from the half-way points, where it is undefined)."""
    return g * 0
