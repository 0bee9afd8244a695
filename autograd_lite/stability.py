"""Warnings for numerically unstable compositions, each pointing at the fused op to use.

Each check belongs to the op whose creation completes a pattern, and is declared where
that op is registered (``@register("log", check=check_log)``); when such an op is recorded
with inputs that form a known unstable pattern, a :class:`NumericalStabilityWarning` names
the pattern and its fix. The warning is issued at
the line of user code that created the node, so Python's warning filters show it once per
creation site and can silence it (``warnings.simplefilter("ignore",
NumericalStabilityWarning)``). Each check looks a few nodes down: no graph scan.
"""

from __future__ import annotations

import warnings
from typing import Any

from .callsite import user_frame


class NumericalStabilityWarning(UserWarning):
    """A composition that over- or underflows for large inputs; the message gives the fix."""


def _op(x: Any) -> str | None:
    """The name of the op that made ``x``, or None for a leaf or a constant."""
    op = getattr(x, "op", None)  # Tensor.op; constants have none
    return None if op is None else op.name


def _shifted_by_max(x: Any) -> bool:
    """True for x = a - max(a): exp of it cannot overflow (the usual hand-written guard)."""
    if _op(x) != "subtract":
        return False
    a, m = x.inputs
    return _op(m) == "max" and m.inputs[0] is a


def _warn(pattern: str, why: str, fix: str) -> None:
    frame, depth = user_frame()
    where = "" if frame is None else f" (created at {frame.f_code.co_filename}:{frame.f_lineno})"
    warnings.warn(
        f"{pattern} is numerically unstable{where}: {why}; use {fix}",
        NumericalStabilityWarning,
        stacklevel=depth + 1,
    )


def check_log(args: tuple[Any, ...]) -> None:
    (x,) = args
    made_by = _op(x)
    if made_by == "softmax":
        _warn(
            "log(softmax(x))",
            "softmax underflows to 0 for large logits and log(0) = -inf",
            "al.log_softmax(x, axis=...)",
        )
    elif made_by == "sigmoid":
        _warn(
            "log(sigmoid(x))",
            "sigmoid(x) is subnormal below x = -708 (-87 in float32), where the gradient of "
            "its log overflows to inf, and 0 below -745 (-104), where log(0) = -inf",
            "the stable form al.minimum(x, 0) - al.log(1 + al.exp(-al.abs(x))) "
            "(nn.functional.logsigmoid)",
        )
    elif (
        made_by == "sum"
        and _op(x.inputs[0]) == "exp"
        and not _shifted_by_max(x.inputs[0].inputs[0])
    ):
        _warn(
            "log(sum(exp(x)))",
            "exp overflows to inf for large x",
            "al.logsumexp(x, axis=...)",
        )


def check_divide(args: tuple[Any, ...]) -> None:
    numerator, denominator = args
    if _op(numerator) != "exp" or _op(denominator) != "sum":
        return
    if _shifted_by_max(numerator.inputs[0]):
        return
    summed = denominator.inputs[0]
    if summed is numerator or (_op(summed) == "exp" and summed.inputs[0] is numerator.inputs[0]):
        _warn(
            "exp(x) / sum(exp(x))",
            "exp overflows to inf for large x, and inf / inf = nan",
            "al.softmax(x, axis=...)",
        )


def check_sum(args: tuple[Any, ...]) -> None:
    (x,) = args
    if _op(x) != "multiply":
        return
    for factor in x.inputs:
        if _op(factor) == "log" and _op(factor.inputs[0]) == "softmax":
            _warn(
                "-sum(y * log(softmax(z)))",
                "softmax underflows to 0 for large logits and 0 * log(0) = nan",
                "al.cross_entropy(z, y), whose gradient is softmax(z) - y",
            )
            return
