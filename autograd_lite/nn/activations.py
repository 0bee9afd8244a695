"""The activations of ``torch.nn.functional`` as compositions of registered ops, with
torch's formulas, defaults and derivatives at their kinks (stated with each).

A branch that is not taken never overflows: ``where`` multiplies the unused branch's
gradient by 0, and 0 * inf would be NaN, so each exponential reads a clipped input.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..ops import (
    abs_,
    erf,
    exp,
    expm1,
    log1p,
    minimum,
    sigmoid,
    softmax,
    tanh,
    where,
)


def _data(x: Any) -> np.ndarray:
    return np.asarray(getattr(x, "data", x))


def _at_most(x: Any, bound: float) -> Any:
    """min(x, bound) with gradient 1 up to and at the bound (minimum would halve it at a tie)."""
    return where(_data(x) <= bound, x, bound)


def silu(x: Any) -> Any:
    """x sigmoid(x)."""
    return x * sigmoid(x)


def leaky_relu(x: Any, negative_slope: float = 0.01) -> Any:
    """x for x > 0, else negative_slope x (slope negative_slope at 0, as torch)."""
    return where(_data(x) > 0, x, negative_slope * x)


def elu(x: Any, alpha: float = 1.0) -> Any:
    """x for x > 0, else alpha (exp(x) - 1) (derivative alpha at 0, as torch)."""
    return where(_data(x) > 0, x, alpha * expm1(_at_most(x, 0.0)))


SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946


def selu(x: Any) -> Any:
    """scale elu(x, alpha) with the self-normalising constants of Klambauer et al."""
    return SELU_SCALE * elu(x, SELU_ALPHA)


def celu(x: Any, alpha: float = 1.0) -> Any:
    """x for x > 0, else alpha (exp(x / alpha) - 1)."""
    return where(_data(x) > 0, x, alpha * expm1(_at_most(x, 0.0) / alpha))


def softplus(x: Any, beta: float = 1.0, threshold: float = 20.0) -> Any:
    """log(1 + exp(beta x)) / beta, and x itself where beta x > threshold (as torch)."""
    bx = beta * x
    return where(_data(bx) > threshold, x, log1p(exp(_at_most(bx, threshold))) / beta)


def logsigmoid(x: Any) -> Any:
    """log(sigmoid(x)) = min(x, 0) - log(1 + exp(-abs(x))), stable for any x."""
    return minimum(x, 0.0) - log1p(exp(-abs_(x)))


def hardtanh(x: Any, min_val: float = -1.0, max_val: float = 1.0) -> Any:
    """x clipped to [min_val, max_val]; gradient 1 strictly inside, 0 at and beyond the
    bounds (as torch)."""
    d = _data(x)
    return where((d > min_val) & (d < max_val), x, np.clip(d, min_val, max_val))


def relu6(x: Any) -> Any:
    """hardtanh(x, 0, 6)."""
    return hardtanh(x, 0.0, 6.0)


def hardsigmoid(x: Any) -> Any:
    """relu6(x + 3) / 6: gradient 1/6 strictly between -3 and 3, else 0."""
    return hardtanh(x + 3.0, 0.0, 6.0) / 6.0


def hardswish(x: Any) -> Any:
    """0 up to -3, x (x + 3) / 6 between, x from 3 on; gradient x/3 + 1/2 strictly between,
    so 0 at -3 and 1 at 3 (torch 2.13's, compared in tests/test_nn_against_torch.py)."""
    d = _data(x)
    return where(d <= -3.0, 0.0, where(d < 3.0, x * (x + 3.0) / 6.0, x))


def mish(x: Any) -> Any:
    """x tanh(softplus(x))."""
    return x * tanh(softplus(x))


def softsign(x: Any) -> Any:
    """x / (1 + abs(x))."""
    return x / (1.0 + abs_(x))


def softmin(x: Any, dim: int = -1) -> Any:
    """softmax(-x) along ``dim``."""
    return softmax(-x, axis=dim)


def gelu(x: Any, approximate: str = "none") -> Any:
    """x Phi(x) = 0.5 x (1 + erf(x / sqrt(2))); approximate="tanh" is torch's 0.5 x (1 +
    tanh(sqrt(2/pi) (x + 0.044715 x^3)))."""
    if approximate == "none":
        return 0.5 * x * (1.0 + erf(x / math.sqrt(2)))
    if approximate != "tanh":
        raise ValueError(f"gelu: approximate must be 'none' or 'tanh', not {approximate!r}")
    inner = math.sqrt(2 / math.pi) * (x + 0.044715 * x * x * x)
    return 0.5 * x * (1.0 + tanh(inner))


ACTIVATIONS = [
    silu, leaky_relu, elu, selu, celu, softplus, logsigmoid, hardtanh, relu6, hardsigmoid,
    hardswish, mish, softsign, softmin, gelu,
]  # fmt: skip
