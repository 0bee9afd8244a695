"""Elementwise ops: arithmetic, exp and log, the pointwise nonlinearities, where and clip.

Every binary op broadcasts as numpy does; its rules return gradients in the broadcast
shape and the engine sums them back to each input's shape.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..registry import register
from ..stability import check_divide, check_log


@register("add", reads=())
def add(x, y):
    return np.add(x, y)


@add.vjp(argnum=0)
def _add_x(g, out, x, y):
    """d(x + y)/dx = 1."""
    return g


@add.vjp(argnum=1)
def _add_y(g, out, x, y):
    """d(x + y)/dy = 1."""
    return g


@register("subtract", reads=())
def subtract(x, y):
    return np.subtract(x, y)


@subtract.vjp(argnum=0)
def _subtract_x(g, out, x, y):
    """d(x - y)/dx = 1."""
    return g


@subtract.vjp(argnum=1)
def _subtract_y(g, out, x, y):
    """d(x - y)/dy = -1."""
    return -g


@register("multiply")
def multiply(x, y):
    return np.multiply(x, y)


@multiply.vjp(argnum=0)
def _multiply_x(g, out, x, y):
    """d(x y)/dx = y."""
    return g * y


@multiply.vjp(argnum=1)
def _multiply_y(g, out, x, y):
    """d(x y)/dy = x."""
    return g * x


@register("divide", check=check_divide, reads=("y",))
def divide(x, y):
    return np.divide(x, y)


@divide.vjp(argnum=0)
def _divide_x(g, out, x, y):
    """d(x / y)/dx = 1 / y."""
    return g / y


@divide.vjp(argnum=1)
def _divide_y(g, out, x, y):
    """d(x / y)/dy = -x / y^2, written as -out / y."""
    return -g * out / y


@register("negative", reads=())
def negative(x):
    return np.negative(x)


@negative.vjp
def _negative(g, out, x):
    """d(-x)/dx = -1."""
    return -g


@register("power")
def power(x, y):
    return np.power(x, y)


@power.vjp(argnum=0)
def _power_x(g, out, x, y):
    """d(x^y)/dx = y x^(y-1); 0 where y == 0 and x^-1 is not finite (x = 0, or a subnormal
    x), where it would read 0 * inf (PyTorch: 0 wherever y == 0)."""
    exponent_zero = y == 0
    with np.errstate(over="ignore"):  # x^-1 of a subnormal x: masked below
        p = x ** np.where(exponent_zero & (x == 0), 1, y - 1)  # 0^-1 is never formed
    return g * y * np.where(exponent_zero & ~np.isfinite(p), 0, p)


@power.vjp(argnum=1)
def _power_y(g, out, x, y):
    """d(x^y)/dy = x^y log(x), written as out log(x); 0 where x == 0 and y >= 0 (PyTorch's
    convention: the limit of x^y log(x) as x -> 0+)."""
    zero_base = (x == 0) & (y >= 0)
    return g * out * np.log(np.where(zero_base, 1, x))


@register("exp", reads=())
def exp(x):
    return np.exp(x)


@exp.vjp
def _exp(g, out, x):
    """d exp(x)/dx = exp(x), written with the saved output."""
    return g * out


@register("log", check=check_log)
def log(x):
    return np.log(x)


@log.vjp
def _log(g, out, x):
    """d log(x)/dx = 1 / x."""
    return g / x


@register("sqrt", reads=())
def sqrt(x):
    return np.sqrt(x)


@sqrt.vjp
def _sqrt(g, out, x):
    """d sqrt(x)/dx = 1 / (2 sqrt(x)), written with the saved output."""
    return g / (2 * out)


@register("tanh", reads=())
def tanh(x):
    return np.tanh(x)


@tanh.vjp
def _tanh(g, out, x):
    """d tanh(x)/dx = 1 - tanh(x)^2, written with the saved output."""
    return g * (1 - out * out)


@register("sigmoid", reads=())
def sigmoid(x):
    # e = exp(-|x|) <= 1 never overflows, and e / (1 + e) for x < 0 never cancels: a few ulps
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1, e) / (1 + e)


@sigmoid.vjp
def _sigmoid(g, out, x):
    """d sigmoid(x)/dx = sigmoid(x) (1 - sigmoid(x)), written with the saved output."""
    return g * out * (1 - out)


@register("relu")
def relu(x):
    return np.maximum(x, 0)


@relu.vjp
def _relu(g, out, x):
    """d relu(x)/dx = 1 where x > 0, else 0."""
    return g * (x > 0)


@register("abs")
def abs_(x):
    return np.abs(x)


@abs_.vjp
def _abs(g, out, x):
    """d |x|/dx = sign(x)."""
    return g * np.sign(x)


@register("sign", reads=())
def sign(x):
    return np.sign(x)


@sign.vjp
def _sign(g, out, x):
    """d sign(x)/dx = 0 (away from 0)."""
    return g * 0


@register("maximum")
def maximum(x, y):
    return np.maximum(x, y)


@maximum.vjp(argnum=0)
def _maximum_x(g, out, x, y):
    """d max(x, y)/dx = 1 where x > y, 1/2 where x == y, else 0."""
    return g * share_ties(x, y)


@maximum.vjp(argnum=1)
def _maximum_y(g, out, x, y):
    """d max(x, y)/dy = 1 where y > x, 1/2 where x == y, else 0."""
    return g * share_ties(y, x)


@register("minimum")
def minimum(x, y):
    return np.minimum(x, y)


@minimum.vjp(argnum=0)
def _minimum_x(g, out, x, y):
    """d min(x, y)/dx = 1 where x < y, 1/2 where x == y, else 0."""
    return g * share_ties(y, x)


@minimum.vjp(argnum=1)
def _minimum_y(g, out, x, y):
    """d min(x, y)/dy = 1 where y < x, 1/2 where x == y, else 0."""
    return g * share_ties(x, y)


def share_ties(a: Any, b: Any) -> np.ndarray:
    """1 where a > b, 1/2 where a == b (ties share the gradient), 0 elsewhere."""
    return (a > b) + 0.5 * (a == b)


@register("where", reads=("condition",))
def where(condition, x, y):
    return np.where(condition, x, y)


@where.vjp(argnum=1)
def _where_x(g, out, condition, x, y):
    """d where(c, x, y)/dx = 1 where c holds, else 0."""
    return np.where(condition, g, 0)


@where.vjp(argnum=2)
def _where_y(g, out, condition, x, y):
    """d where(c, x, y)/dy = 1 where c does not hold, else 0."""
    return np.where(condition, 0, g)


def numpy_where(condition: Any, x: Any = None, y: Any = None) -> Any:
    """``np.where`` on Tensors: the op with three arguments; with one, a clear refusal."""
    if x is None and y is None:
        raise TypeError(
            "np.where(condition) with one argument gives indices, which have no gradient: "
            "use np.nonzero(t) (or np.where(t.data)); np.where(condition, x, y) records the op"
        )
    return where(condition, x, y)


@register("clip")
def clip(x, a_min=None, a_max=None):
    return np.clip(x, a_min, a_max)


@clip.vjp
def _clip(g, out, x, a_min=None, a_max=None):
    """d clip(x, lo, hi)/dx = 1 where lo <= x <= hi, else 0."""
    inside = np.ones(x.shape, dtype=bool)
    if a_min is not None:
        inside &= x >= a_min
    if a_max is not None:
        inside &= x <= a_max
    return g * inside


@register("astype", reads=())
def astype(x, dtype=np.float64):
    return np.asarray(x).astype(dtype)


@astype.vjp
def _astype(g, out, x, dtype=np.float64):
    """d astype(x)/dx = 1, cast back to x's dtype by the engine; a cast to integers or
    booleans records no node (the registry keeps only floating-point outputs)."""
    return g
