"""The op table's entries for numpy's elementwise mathematical functions: exponentials and
logarithms in other bases, powers, rounding, the two-input functions and the trigonometric
and hyperbolic ones and sinc (ops/logs_and_powers.py, rounding.py, two_inputs.py, trigonometric.py).
Each draws its inputs inside the function's domain and away from its jumps and cuts."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import strategies as st

from . import layouts as fixed
from .calls import Call, OpSpec
from .draws import away_from_zero, binary, lattice, positive, reals, unary

# Divisors for the remainders: no multiple of one lies on the lattice 0.1 k + 0.03, |k| <= 20.
DIVISORS = [0.713, 1.3717, 2.1931, -0.713, -1.3717, -2.1931]

# 0, either side of where sinc's rule switches to its series (|x| = 0.01), and integers
SINC_NEAR_ZERO = np.array([[0.0, 1e-9, -0.005, 0.0099], [0.0101, -0.0101, 1.0, -2.0]])


def _with_zeros(shape: tuple[int, ...]) -> np.ndarray:
    """Reals with every third element 0: xlogy's x, whose rule for y is 0 there."""
    x = fixed.reals(shape).copy()
    x.reshape(-1)[::3] = 0.0
    return x


MATH_SPECS: list[OpSpec] = [
    OpSpec("exp2", np.exp2, unary(reals()), fixed.unary(fixed.reals)),
    OpSpec("expm1", lambda x: np.exp(x) - 1, unary(reals()), fixed.unary(fixed.reals)),
    OpSpec("log2", lambda x: np.log(x) / np.log(2), unary(positive()), fixed.unary(fixed.positive)),
    OpSpec(
        "log10", lambda x: np.log(x) / np.log(10), unary(positive()), fixed.unary(fixed.positive)
    ),
    OpSpec(
        "log1p",
        lambda x: np.log(1 + x),
        unary(reals(-0.5, 3)),
        fixed.unary(fixed.between(-0.5, 3)),
    ),
    OpSpec("square", lambda x: x * x, unary(reals()), fixed.unary(fixed.reals)),
    OpSpec(
        "reciprocal", lambda x: 1 / x, unary(away_from_zero()), fixed.unary(fixed.away_from_zero)
    ),
    OpSpec(
        "cbrt",
        lambda x: np.sign(x) * np.abs(x) ** (1 / 3),
        unary(away_from_zero()),
        fixed.unary(fixed.away_from_zero),
    ),
    # Rounding: flat between the jumps, so drawn on a lattice that avoids the integers and
    # the half-way points.
    OpSpec("floor", np.floor, unary(lattice(0.05)), fixed.unary(fixed.lattice(0.05))),
    OpSpec("ceil", np.ceil, unary(lattice(0.05)), fixed.unary(fixed.lattice(0.05))),
    OpSpec("trunc", np.trunc, unary(lattice(0.05)), fixed.unary(fixed.lattice(0.05))),
    OpSpec("round", np.round, unary(lattice(0.05)), fixed.unary(fixed.lattice(0.05))),
    OpSpec("deg2rad", lambda x: x * np.pi / 180, unary(reals()), fixed.unary(fixed.reals)),
    OpSpec("rad2deg", lambda x: x * 180 / np.pi, unary(reals()), fixed.unary(fixed.reals)),
    OpSpec(
        "hypot",
        lambda x, y: np.sqrt(x * x + y * y),
        binary(away_from_zero(), away_from_zero()),
        fixed.binary(fixed.away_from_zero, fixed.away_from_zero),
    ),
    OpSpec(
        "arctan2",
        lambda y, x: np.angle(x + 1j * y),
        binary(away_from_zero(), reals()),  # y != 0: away from the cut along x < 0
        fixed.binary(fixed.away_from_zero, fixed.reals),
    ),
    OpSpec(
        "logaddexp",
        lambda x, y: np.log(np.exp(x) + np.exp(y)),
        binary(reals(), reals()),
        fixed.binary(fixed.reals, fixed.reals),
    ),
    OpSpec(
        "logaddexp2",
        lambda x, y: np.log2(2**x + 2**y),
        binary(reals(), reals()),
        fixed.binary(fixed.reals, fixed.reals),
    ),
    OpSpec(
        "xlogy",
        lambda x, y: x * np.log(y),  # y > 0 here; the x = 0 cases are where xlogy is 0
        binary(reals() | st.just(0.0), positive()),
        fixed.binary(_with_zeros, fixed.positive),
    ),
    OpSpec(
        "copysign",
        lambda x, y: np.abs(x) * np.sign(y),
        binary(away_from_zero(), away_from_zero()),
        fixed.binary(fixed.away_from_zero, fixed.away_from_zero),
    ),
    OpSpec(
        "fmax",
        lambda x, y: np.where(x >= y, x, y),
        binary(lattice(0.03), lattice(0.07)),
        fixed.binary(fixed.lattice(0.03), fixed.lattice(0.07)),
    ),
    OpSpec(
        "fmin",
        lambda x, y: np.where(x <= y, x, y),
        binary(lattice(0.03), lattice(0.07)),
        fixed.binary(fixed.lattice(0.03), fixed.lattice(0.07)),
    ),
    # The remainders jump where x / y is an integer: x on a lattice, y from divisors
    # whose ratios to it never are.
    OpSpec(
        "fmod",
        lambda x, y: x - np.trunc(x / y) * y,
        binary(lattice(0.03), st.sampled_from(DIVISORS)),
        fixed.binary(fixed.lattice(0.03), fixed.sampled(DIVISORS)),
    ),
    OpSpec(
        "mod",
        lambda x, y: x - np.floor(x / y) * y,
        binary(lattice(0.03), st.sampled_from(DIVISORS)),
        fixed.binary(fixed.lattice(0.03), fixed.sampled(DIVISORS)),
    ),
    OpSpec(
        "floor_divide",
        lambda x, y: np.floor(x / y),
        binary(lattice(0.03), st.sampled_from(DIVISORS)),
        fixed.binary(fixed.lattice(0.03), fixed.sampled(DIVISORS)),
    ),
    OpSpec(
        "heaviside",
        lambda x, h0: np.where(x > 0, 1.0, np.where(x < 0, 0.0, h0)),
        binary(away_from_zero(), reals()),
        fixed.binary(fixed.away_from_zero, fixed.reals),
    ),
    OpSpec("sin", np.sin, unary(reals()), fixed.unary(fixed.reals)),
    OpSpec("cos", np.cos, unary(reals()), fixed.unary(fixed.reals)),
    OpSpec("tan", np.tan, unary(reals(-1.2, 1.2)), fixed.unary(fixed.between(-1.2, 1.2))),
    OpSpec("arcsin", np.arcsin, unary(reals(-0.9, 0.9)), fixed.unary(fixed.between(-0.9, 0.9))),
    OpSpec("arccos", np.arccos, unary(reals(-0.9, 0.9)), fixed.unary(fixed.between(-0.9, 0.9))),
    OpSpec("arctan", np.arctan, unary(reals()), fixed.unary(fixed.reals)),
    OpSpec("sinh", np.sinh, unary(reals()), fixed.unary(fixed.reals)),
    OpSpec("cosh", np.cosh, unary(reals()), fixed.unary(fixed.reals)),
    OpSpec("arcsinh", np.arcsinh, unary(reals()), fixed.unary(fixed.reals)),
    OpSpec("arccosh", np.arccosh, unary(reals(1.2, 4.0)), fixed.unary(fixed.between(1.2, 4.0))),
    OpSpec("arctanh", np.arctanh, unary(reals(-0.9, 0.9)), fixed.unary(fixed.between(-0.9, 0.9))),
    OpSpec("erf", np.vectorize(math.erf, otypes=[float]), unary(reals()), fixed.unary(fixed.reals)),
    OpSpec(
        "sinc",
        np.sinc,
        unary(reals() | reals(-0.02, 0.02)),  # near 0 the rule switches to a series
        fixed.unary(fixed.reals) + [Call((SINC_NEAR_ZERO,), {}, (0,))],
    ),
]
