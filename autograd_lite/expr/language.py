"""The rules of the expression language: its limits, its error, and a checked program.

The language is a whitelist of Python's expression syntax: numbers, names (the inputs), the
operators ``+ - * / ** @`` and unary minus, subscripts with constant indices (``x[0, 1:]``),
and calls of registered ops by name with constant attributes (``softmax(x, axis=-1)``).
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, NoReturn

MAX_LENGTH = 2_000  # characters of expression text
MAX_ELEMENTS = 10_000_000  # elements of any input, shape attribute or op result
MAX_TOTAL_ELEMENTS = 50_000_000  # elements of all the arrays of one evaluation together
MAX_WORK = 20_000_000_000  # floating-point operations of one evaluation, backward included
MAX_EXPONENT = 100  # a constant exponent's absolute value
MAX_INT_BITS = 1_024  # an integer constant's size
MAX_INDEX = 2**62  # an index or integer attribute's absolute value

BINARY = {
    ast.Add: "add",
    ast.Sub: "subtract",
    ast.Mult: "multiply",
    ast.Div: "divide",
    ast.Pow: "power",
    ast.MatMult: "matmul",
}
FOLD: dict[type, Callable[[Any, Any], Any]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.Pow: operator.pow,
}
REFUSED = {
    ast.Attribute: "attribute access",
    ast.Lambda: "a lambda",
    ast.ListComp: "a comprehension",
    ast.SetComp: "a comprehension",
    ast.DictComp: "a comprehension",
    ast.GeneratorExp: "a comprehension",
    ast.List: "a list",
    ast.Tuple: "a tuple",
    ast.Set: "a set",
    ast.Dict: "a dict",
    ast.JoinedStr: "a string",
    ast.Compare: "a comparison",
    ast.BoolOp: "and/or",
    ast.IfExp: "if-else",
    ast.NamedExpr: "an assignment",
    ast.Starred: "unpacking with *",
    ast.Slice: "a slice outside brackets",
    ast.Await: "await",
    ast.Yield: "yield",
    ast.YieldFrom: "yield",
}
OPERATOR_TEXT = {
    ast.FloorDiv: "//",
    ast.Mod: "%",
    ast.LShift: "<<",
    ast.RShift: ">>",
    ast.BitOr: "|",
    ast.BitXor: "^",
    ast.BitAnd: "&",
    ast.Not: "not",
    ast.Invert: "~",
}


class ExpressionError(ValueError):
    """The expression was refused; the message names the offending part and its column."""


@dataclass
class Program:
    """A checked expression: its tree and what the check worked out for the evaluator."""

    text: str
    body: ast.expr
    ops: Mapping[str, Any]
    names: list[str] = field(default_factory=list)  # inputs, in order of first appearance
    constants: dict[ast.AST, Any] = field(default_factory=dict)  # folded number parts
    attrs: dict[ast.AST, dict[str, Any]] = field(default_factory=dict)  # of calls, subscripts
    inputs: dict[ast.AST, list[ast.expr]] = field(default_factory=dict)  # a call's input nodes


def refuse(text: str, node: ast.AST, message: str) -> NoReturn:
    """Raise an ExpressionError that points at ``node``: its column and its text."""
    line = getattr(node, "lineno", 1)
    offset = getattr(node, "col_offset", 0)
    lines = text.splitlines() or [""]
    source_line = lines[min(line, len(lines)) - 1]
    column = len(source_line.encode("utf-8")[:offset].decode("utf-8", errors="ignore")) + 1
    where = f"line {line}, column {column}" if len(lines) > 1 else f"column {column}"
    part = ast.get_source_segment(text, node) or ""
    part = " ".join(part.split())
    if len(part) > 40:
        part = part[:37] + "..."
    raise ExpressionError(f"{message}, at {where}: {part}")
