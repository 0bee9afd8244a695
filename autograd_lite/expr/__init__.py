"""A small expression language for ``autograd-lite graph``, checked in full before it runs.

:func:`check` (in :mod:`.checker`) parses the text with Python's :mod:`ast` and holds every
node against the whitelist of :mod:`.language`; anything else raises an
:class:`ExpressionError` naming the offending part and its column, and nothing is evaluated.
:func:`estimate` (in :mod:`.evaluator`) prices the checked tree from shapes alone (elements,
gradients, floating-point work: :mod:`.cost`), so that an expression over a limit is refused
before anything runs; :func:`evaluate` walks it with an explicit stack and calls the
registered ops, charging the same budget before each.
"""

from .checker import check
from .evaluator import estimate, evaluate
from .language import (
    MAX_ELEMENTS,
    MAX_EXPONENT,
    MAX_LENGTH,
    MAX_TOTAL_ELEMENTS,
    MAX_WORK,
    ExpressionError,
    Program,
)

__all__ = [
    "MAX_ELEMENTS",
    "MAX_EXPONENT",
    "MAX_LENGTH",
    "MAX_TOTAL_ELEMENTS",
    "MAX_WORK",
    "ExpressionError",
    "Program",
    "check",
    "estimate",
    "evaluate",
]
