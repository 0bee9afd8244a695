"""A small expression language for ``autograd-lite graph``, checked in full before it runs.

:func:`check` (in :mod:`.checker`) parses the text with Python's :mod:`ast` and holds every
node against the whitelist of :mod:`.language`; anything else raises an
:class:`ExpressionError` naming the offending part and its column, and nothing is evaluated.
:func:`evaluate` (in :mod:`.evaluator`) walks the checked tree with an explicit stack and
calls the registered ops, within limits on the size of what they make.
"""

from .checker import check
from .evaluator import evaluate
from .language import (
    MAX_ELEMENTS,
    MAX_EXPONENT,
    MAX_LENGTH,
    MAX_TOTAL_ELEMENTS,
    ExpressionError,
    Program,
)

__all__ = [
    "MAX_ELEMENTS",
    "MAX_EXPONENT",
    "MAX_LENGTH",
    "MAX_TOTAL_ELEMENTS",
    "ExpressionError",
    "Program",
    "check",
    "evaluate",
]
