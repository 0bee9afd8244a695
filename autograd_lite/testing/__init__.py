"""Property-based testing of gradients, for the engine and for your own ops.

Needs hypothesis (``pip install "autograd-lite[testing]"``); ``import autograd_lite``
does not.

- strategies: :func:`tensors`, :func:`broadcastable_pairs`, :func:`expressions`
- checkers: :func:`assert_gradients_close`, :func:`check_op`
- the table of built-in ops and how to draw their inputs: :data:`SPECS`
"""

from __future__ import annotations

try:
    import hypothesis  # noqa: F401
except ModuleNotFoundError as exc:  # pragma: no cover - depends on the environment
    raise ModuleNotFoundError(
        "autograd_lite.testing needs hypothesis: pip install 'autograd-lite[testing]'"
    ) from exc

from .calls import Call, OpSpec
from .checks import ATOL, ATOL_2, EPS, RTOL, RTOL_2, assert_gradients_close, check_op
from .op_specs import SPEC_BY_NAME, SPECS
from .strategies import Expression, broadcastable_pairs, expressions, tensors

__all__ = [
    "ATOL",
    "ATOL_2",
    "EPS",
    "RTOL",
    "RTOL_2",
    "SPECS",
    "SPEC_BY_NAME",
    "Call",
    "Expression",
    "OpSpec",
    "assert_gradients_close",
    "broadcastable_pairs",
    "check_op",
    "expressions",
    "tensors",
]
