"""Short text for the labels of pictures: summaries of arrays, and op attributes as text.

An array of a handful of elements shows its values; a larger one its min, mean and max, with
NaN and Inf counted. An op's attributes show the values it ran with, leaving out those that
are None or False (their neutral value), so ``sum(x, axis=1)`` reads ``sum axis=1``.
"""

from __future__ import annotations

import functools
import inspect
from typing import Any

import numpy as np

HANDFUL = 6  # arrays of at most this many elements are shown value by value
ATTR_WIDTH = 40  # an attribute's text is cut to this many characters


def summarize(a: np.ndarray) -> str:
    """The values of a small array; min, mean and max of a larger one (NaN and Inf counted).

    A float that is zero to within rounding at the array's scale (``ROUNDING`` epsilons of its
    largest finite magnitude) but not 0 reads ~0; an exact zero reads 0, never -0.

    >>> summarize(np.array([1.0, 2.5]))
    '[1, 2.5]'
    >>> summarize(np.array([True, False]))
    '[True, False]'
    >>> summarize(np.array([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, np.nan]))
    'min 1 mean 3.5 max 6, 1 nan'
    >>> summarize(np.array([0.3, -0.1, -0.2, 1e-17, -0.0, 0.0, 0.0]))  # mean 1.4e-18: noise
    'min -0.2 mean ~0 max 0.3'
    """
    if a.size == 0:
        return "empty"
    finite = a[np.isfinite(a)] if a.dtype.kind == "f" else a
    number = functools.partial(_number, noise=_noise(finite))
    if a.size <= HANDFUL:
        if a.ndim == 0:
            return number(a.item())
        text = np.array2string(
            a, separator=", ", formatter={"float_kind": number, "bool": str}, max_line_width=10**6
        )
        return " ".join(line.strip() for line in text.splitlines())
    if a.dtype.kind == "b":
        return f"{int(a.sum()):,} of {a.size:,} true"
    parts = []
    if finite.size:
        low, mean, high = finite.min(), finite.mean(), finite.max()
        parts.append(f"min {number(low)} mean {number(mean)} max {number(high)}")
    if finite.size < a.size:
        nans = int(np.isnan(a).sum())
        infs = a.size - finite.size - nans
        parts += [f"{nans:,} nan"] if nans else []
        parts += [f"{infs:,} inf"] if infs else []
    return ", ".join(parts)


# epsilons of an array's scale below which a float is rounding noise, shown as ~0 (8: in
# float16 that is 0.8% of the scale, in float32 1e-6, in float64 2e-15)
ROUNDING = 8


def _noise(finite: np.ndarray) -> float:
    """The magnitude below which a float of this array is rounding noise (0 for non-floats)."""
    if finite.dtype.kind != "f" or finite.size == 0:
        return 0.0
    scale = float(np.max(np.abs(finite)))
    return ROUNDING * float(np.finfo(finite.dtype).eps) * scale


def _number(v: Any, noise: float = 0.0) -> str:
    if isinstance(v, (bool, np.bool_)):
        return str(bool(v))
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    v = float(v)
    if v == 0:
        return "0"  # -0.0 too
    if abs(v) <= noise:
        return "~0"  # not 0, but not a digit above the array's rounding either
    return format(v, ".4g")


def op_attrs(op: Any, recorded: dict[str, Any]) -> dict[str, str]:
    """The op's attributes as text: recorded values over the forward's defaults, in the
    signature's order, leaving out those that are None or False (their neutral value)."""
    values = {**_attr_defaults(op), **recorded}
    return {
        name: cut(_attr_text(name, value))
        for name, value in values.items()
        if value is not None and value is not False
    }


@functools.lru_cache(maxsize=256)
def _attr_defaults(op: Any) -> dict[str, Any]:
    try:
        params = inspect.signature(op.forward).parameters.values()
    except (TypeError, ValueError, AttributeError):
        return {}
    return {p.name: p.default for p in params if p.default is not p.empty}


def _attr_text(name: str, value: Any) -> str:
    if name == "index":
        parts = value if isinstance(value, tuple) else (value,)
        return "[" + ", ".join(_index_text(p) for p in parts) + "]"
    if isinstance(value, tuple):
        inner = ", ".join(_attr_text("", v) for v in value)
        return f"({inner},)" if len(value) == 1 else f"({inner})"
    if isinstance(value, (np.ndarray, list)):
        return summarize(np.asarray(value))
    if isinstance(value, (bool, int, float, np.number)):
        return _number(value)
    if isinstance(value, (type, np.dtype)):
        return np.dtype(value).name
    return repr(value)


def _index_text(part: Any) -> str:
    if isinstance(part, slice):
        text = ":".join("" if v is None else str(v) for v in (part.start, part.stop, part.step))
        return text.removesuffix(":") if part.step is None else text
    if part is Ellipsis:
        return "..."
    return _attr_text("", part)


def cut(text: str) -> str:
    return text if len(text) <= ATTR_WIDTH else text[: ATTR_WIDTH - 3] + "..."


def all_finite(value: Any) -> bool:
    """True unless ``value`` holds a floating-point NaN or Inf (anything not numeric is)."""
    try:
        array = np.asarray(value)
    except (TypeError, ValueError):
        return True
    return array.dtype.kind not in "fc" or bool(np.isfinite(array).all())
