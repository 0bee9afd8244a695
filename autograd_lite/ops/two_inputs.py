"""Elementwise functions of two arrays beyond arithmetic, as numpy's: hypot, arctan2,
logaddexp(2), copysign, fmax, fmin, the remainders (fmod, mod) and floor_divide, heaviside;
and xlogy (torch's and scipy's x log y, 0 where x is 0), for entropies.

The engine sums each gradient back over broadcast axes. Where a derivative is undefined
(the jumps of the remainders, x == 0 for copysign), the rules follow PyTorch.
"""

from __future__ import annotations

import numpy as np

from ..registry import register
from .elementwise import share_ties


@register("hypot")
def hypot(x, y):
    return np.hypot(x, y)


@hypot.vjp(argnum=0)
def _hypot_x(g, out, x, y):
    """d sqrt(x^2 + y^2)/dx = x / hypot(x, y)."""
    return g * x / out


@hypot.vjp(argnum=1)
def _hypot_y(g, out, x, y):
    """d sqrt(x^2 + y^2)/dy = y / hypot(x, y)."""
    return g * y / out


@register("xlogy")
def xlogy(x, y):
    """x log(y), and 0 where x is 0 (even at y = 0, unless y is NaN), as torch.xlogy."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where((x == 0) & (y == y), 0, x * np.log(y))


@xlogy.vjp(argnum=0)
def _xlogy_x(g, out, x, y):
    """d x log(y)/dx = log(y): -inf at y = 0 (torch's is 0 where x = y = 0)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return g * np.log(y)


@xlogy.vjp(argnum=1)
def _xlogy_y(g, out, x, y):
    """d x log(y)/dy = x / y; 0 at x = y = 0, as along x = 0 xlogy is 0 for every y (torch's
    is NaN there), so d/dt xlogy(t, t) at t = 0 is the one-sided -inf."""
    return g * x / np.where((x == 0) & (y == 0), 1, y)


@register("arctan2")
def arctan2(y, x):
    return np.arctan2(y, x)


@arctan2.vjp(argnum=0)
def _arctan2_y(g, out, y, x):
    """d arctan2(y, x)/dy = x / (x^2 + y^2); 0 at the origin, as torch."""
    r = _radius(y, x)
    return g * (x / r) / r


@arctan2.vjp(argnum=1)
def _arctan2_x(g, out, y, x):
    """d arctan2(y, x)/dx = -y / (x^2 + y^2); 0 at the origin, as torch."""
    r = _radius(y, x)
    return -g * (y / r) / r


def _radius(y, x):
    """hypot(y, x), which neither underflows nor overflows as x^2 + y^2 does; 1 at the
    origin, where the numerators are 0."""
    r = np.hypot(y, x)
    return np.where(r == 0, 1.0, r)


@register("logaddexp")
def logaddexp(x, y):
    return np.logaddexp(x, y)


@logaddexp.vjp(argnum=0)
def _logaddexp_x(g, out, x, y):
    """d log(e^x + e^y)/dx = e^(x - out), the softmax weight of x."""
    return g * np.exp(x - out)


@logaddexp.vjp(argnum=1)
def _logaddexp_y(g, out, x, y):
    """d log(e^x + e^y)/dy = e^(y - out), the softmax weight of y."""
    return g * np.exp(y - out)


@register("logaddexp2")
def logaddexp2(x, y):
    return np.logaddexp2(x, y)


@logaddexp2.vjp(argnum=0)
def _logaddexp2_x(g, out, x, y):
    """d log2(2^x + 2^y)/dx = 2^(x - out)."""
    return g * np.exp2(x - out)


@logaddexp2.vjp(argnum=1)
def _logaddexp2_y(g, out, x, y):
    """d log2(2^x + 2^y)/dy = 2^(y - out)."""
    return g * np.exp2(y - out)


@register("copysign")
def copysign(x, y):
    return np.copysign(x, y)


@copysign.vjp(argnum=0)
def _copysign_x(g, out, x, y):
    """d copysign(x, y)/dx = sign(x) sign(y), with y's sign bit (0 at x == 0, as torch)."""
    return g * np.sign(x) * np.copysign(1.0, y)


@copysign.vjp(argnum=1)
def _copysign_y(g, out, x, y):
    """d copysign(x, y)/dy = 0."""
    return g * 0


@register("fmax")
def fmax(x, y):
    return np.fmax(x, y)


@fmax.vjp(argnum=0)
def _fmax_x(g, out, x, y):
    """d fmax(x, y)/dx = 1 where x > y or y is NaN, 1/2 where x == y, else 0."""
    return g * np.where(np.isnan(y), 1.0, share_ties(x, y))


@fmax.vjp(argnum=1)
def _fmax_y(g, out, x, y):
    """d fmax(x, y)/dy = 1 where y > x or x is NaN, 1/2 where x == y, else 0."""
    return g * np.where(np.isnan(x), 1.0, share_ties(y, x))


@register("fmin")
def fmin(x, y):
    return np.fmin(x, y)


@fmin.vjp(argnum=0)
def _fmin_x(g, out, x, y):
    """d fmin(x, y)/dx = 1 where x < y or y is NaN, 1/2 where x == y, else 0."""
    return g * np.where(np.isnan(y), 1.0, share_ties(y, x))


@fmin.vjp(argnum=1)
def _fmin_y(g, out, x, y):
    """d fmin(x, y)/dy = 1 where y < x or x is NaN, 1/2 where x == y, else 0."""
    return g * np.where(np.isnan(x), 1.0, share_ties(x, y))


@register("fmod")
def fmod(x, y):
    return np.fmod(x, y)


@fmod.vjp(argnum=0)
def _fmod_x(g, out, x, y):
    """d fmod(x, y)/dx = 1 (between the jumps, as torch)."""
    return g


@fmod.vjp(argnum=1)
def _fmod_y(g, out, x, y):
    """d (x - trunc(x / y) y)/dy = -trunc(x / y) (between the jumps, as torch)."""
    return -g * np.trunc(x / y)


@register("mod")
def mod(x, y):
    return np.mod(x, y)


@mod.vjp(argnum=0)
def _mod_x(g, out, x, y):
    """d mod(x, y)/dx = 1 (between the jumps, as torch's remainder)."""
    return g


@mod.vjp(argnum=1)
def _mod_y(g, out, x, y):
    """d (x - floor(x / y) y)/dy = -floor(x / y) (between the jumps, as torch)."""
    return -g * np.floor(x / y)


@register("floor_divide", reads=())
def floor_divide(x, y):
    return np.floor_divide(x, y)


@floor_divide.vjp(argnum=0)
def _floor_divide_x(g, out, x, y):
    """d floor(x / y)/dx = 0 (between the jumps)."""
    return g * 0


@floor_divide.vjp(argnum=1)
def _floor_divide_y(g, out, x, y):
    """d floor(x / y)/dy = 0 (between the jumps)."""
    return g * 0


@register("heaviside")
def heaviside(x, h0):
    return np.heaviside(x, h0)


@heaviside.vjp(argnum=0)
def _heaviside_x(g, out, x, h0):
    """d heaviside(x, h0)/dx = 0 (away from x == 0, where it jumps)."""
    return g * 0


@heaviside.vjp(argnum=1)
def _heaviside_h0(g, out, x, h0):
    """d heaviside(x, h0)/dh0 = 1 where x == 0, else 0."""
    return g * (x == 0)
