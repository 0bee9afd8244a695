"""Special functions numpy lacks: erf, the Gaussian error function (for the exact gelu)."""

from __future__ import annotations

import math

import numpy as np

from ..registry import register

_erf = np.frompyfunc(math.erf, 1, 1)  # Python's erf, correctly rounded to about 1 ulp


@register("erf")
def erf(x):
    x = np.asarray(x)
    dtype = x.dtype if x.dtype.kind == "f" else np.float64
    return np.asarray(_erf(x), dtype=dtype)


@erf.vjp
def _erf_rule(g, out, x):
    """d erf(x)/dx = 2 / sqrt(pi) exp(-x^2)."""
    return g * (2 / math.sqrt(math.pi)) * np.exp(-(x * x))
