"""The check: every node of the parsed expression held against the whitelist, before anything
runs. A node is checked before its children (so the outermost offence is the one reported);
parts made of numbers only are folded after their children, under limits on exponents and
on the size of numbers, and a ``shape=`` attribute is held to MAX_ELEMENTS elements, so
checking can never explode. An explicit stack, no recursion.
"""

from __future__ import annotations

import ast
import difflib
import math
import warnings
from collections.abc import Mapping
from typing import Any, NoReturn

from .language import (
    BINARY,
    FOLD,
    MAX_ELEMENTS,
    MAX_EXPONENT,
    MAX_INDEX,
    MAX_INT_BITS,
    MAX_LENGTH,
    OPERATOR_TEXT,
    REFUSED,
    ExpressionError,
    Program,
    refuse,
)


def check(text: str, ops: Mapping[str, Any]) -> Program:
    """Parse ``text`` and check every node against the whitelist; nothing is evaluated.

    ``ops`` maps the names that may be called to registered ops.

    >>> import autograd_lite as al
    >>> ops = {name: al.get_op(name) for name in al.list_ops()}
    >>> check("sum(softmax(W @ x + b, axis=-1))", ops).names
    ['W', 'x', 'b']
    >>> check("x.data", ops)
    Traceback (most recent call last):
    ...
    autograd_lite.expr.language.ExpressionError: attribute access is not allowed, at column 1: ...
    """
    text = text.strip()
    if len(text) > MAX_LENGTH:
        raise ExpressionError(
            f"the expression has {len(text):,} characters; at most {MAX_LENGTH:,}"
        )
    try:
        with warnings.catch_warnings():  # a SyntaxWarning ("9in") must not print a second line
            warnings.simplefilter("ignore")
            tree = ast.parse(text, mode="eval")
    except SyntaxError as exc:
        where = f", at column {exc.offset}" if exc.offset else ""
        raise ExpressionError(f"not an expression: {exc.msg}{where}") from None
    except (ValueError, RecursionError, MemoryError) as exc:
        raise ExpressionError(f"not an expression: {exc}") from None
    program = Program(text, tree.body, ops)
    _Checker(program).run()
    return program


class _Checker:
    """Checks each node before its children (so the outermost offence is reported), and
    folds the number parts after them."""

    def __init__(self, program: Program) -> None:
        self.program = program
        self.text = program.text
        self.ops = program.ops
        self.names: dict[str, None] = {}

    def run(self) -> None:
        stack: list[tuple[ast.AST, bool]] = [(self.program.body, False)]
        while stack:
            node, visited = stack.pop()
            if visited:
                self.fold(node)
                continue
            stack.append((node, True))
            stack.extend((child, False) for child in reversed(self.visit(node)))
        self.program.names = list(self.names)
        self.check_used_integers()

    def check_used_integers(self) -> None:
        """An integer the evaluation uses (not one folded into a larger number) must fit in
        int64, as numpy needs; ``9 ** 9 ** 2`` folds to a number of 78 digits."""
        constants = self.program.constants
        inner = {child for node in constants for child in ast.iter_child_nodes(node)}
        for node, value in constants.items():
            if node in inner or not isinstance(value, int) or isinstance(value, bool):
                continue
            if not -(2**63) <= value < 2**63:
                digits = str(abs(value))
                shown = digits if len(digits) <= 20 else f"{digits[:12]}... ({len(digits)} digits)"
                try:
                    hint = f"; write it as a float, such as {float(value):.3g}"
                except OverflowError:
                    hint = ""
                self.refuse(
                    node,
                    f"the number {'-' if value < 0 else ''}{shown} is too large for an integer "
                    f"array (at most 2**63 - 1){hint}",
                )

    def refuse(self, node: ast.AST, message: str) -> NoReturn:
        refuse(self.text, node, message)

    def visit(self, node: ast.AST) -> list[ast.expr]:
        """Check one node where an expression is expected; return its sub-expressions."""
        if isinstance(node, ast.Constant):
            self.check_number(node)
            return []
        if isinstance(node, ast.Name):
            if node.id.startswith("__"):
                self.refuse(node, "a double-underscore name is not allowed")
            if node.id in self.ops:
                self.refuse(node, f"{node.id} is an op: call it, as in {node.id}(x)")
            self.names[node.id] = None
            return []
        if isinstance(node, ast.BinOp):
            if type(node.op) not in BINARY:
                self.refuse(node, f"the operator {OPERATOR_TEXT.get(type(node.op))} is not allowed")
            return [node.left, node.right]
        if isinstance(node, ast.UnaryOp):
            if not isinstance(node.op, (ast.USub, ast.UAdd)):
                self.refuse(node, f"the operator {OPERATOR_TEXT.get(type(node.op))} is not allowed")
            return [node.operand]
        if isinstance(node, ast.Subscript):
            self.program.attrs[node] = {"index": self.index(node.slice)}
            return [node.value]
        if isinstance(node, ast.Call):
            return self.call(node)
        self.refuse(node, f"{REFUSED.get(type(node), type(node).__name__)} is not allowed")

    def check_number(self, node: ast.Constant) -> None:
        value = node.value
        if isinstance(value, str):
            self.refuse(node, "a string is not allowed")
        if isinstance(value, bool) or value is None or value is Ellipsis:
            self.refuse(node, f"{value!r} is allowed only as an index or an attribute")
        if not isinstance(value, (int, float)):
            self.refuse(node, f"a {type(value).__name__} constant is not allowed")

    def call(self, node: ast.Call) -> list[ast.expr]:
        func = node.func
        if not isinstance(func, ast.Name):
            self.visit(func)  # refuses attribute access and the rest
            self.refuse(func, "only registered ops can be called, by name")
        if func.id.startswith("__"):
            self.refuse(func, "a double-underscore name is not allowed")
        op = self.ops.get(func.id)
        if op is None:
            close = difflib.get_close_matches(func.id, list(self.ops), n=3)
            known = "did you mean " + " or ".join(close) + "? " if close else ""
            self.refuse(func, f"{func.id} is not a registered op ({known}--list-ops lists them)")
        for arg in node.args:
            if isinstance(arg, ast.Starred):
                self.refuse(arg, "unpacking with * is not allowed")
        for kw in node.keywords:
            if kw.arg is None:
                self.refuse(kw.value, "unpacking with ** is not allowed")
        n_inputs = len(node.args) if op.variadic else op.n_inputs
        inputs, extra = node.args[:n_inputs], node.args[n_inputs:]
        if len(inputs) < n_inputs:
            wanted = ", ".join(op.input_names)
            self.refuse(node, f"{func.id} takes {n_inputs} input(s) ({wanted})")
        if len(extra) > len(op.attr_names):
            self.refuse(extra[len(op.attr_names)], f"{func.id} takes no more arguments")
        attrs = {}
        for name, value in zip(op.attr_names, extra, strict=False):
            attrs[name] = self.attr_value(value, name)
        for kw in node.keywords:
            assert kw.arg is not None  # ** was refused above
            if kw.arg not in op.attr_names:
                names = ", ".join(op.attr_names) or "none"
                self.refuse(kw, f"{func.id} has no attribute {kw.arg} (its attributes: {names})")
            if kw.arg in attrs:
                self.refuse(kw, f"{func.id} got {kw.arg} twice")
            attrs[kw.arg] = self.attr_value(kw.value, kw.arg)
        self.program.attrs[node] = attrs
        self.program.inputs[node] = list(inputs)
        return list(inputs)

    def index(self, node: ast.expr) -> Any:
        """The constant index of a subscript: integers, slices of integers, None and ...."""
        if isinstance(node, ast.Tuple):
            return tuple(self.index_part(part) for part in node.elts)
        return self.index_part(node)

    def index_part(self, node: ast.expr) -> Any:
        if isinstance(node, ast.Slice):
            parts = (node.lower, node.upper, node.step)
            return slice(*(None if p is None else self.integer(p) for p in parts))
        if isinstance(node, ast.Constant) and (node.value is None or node.value is Ellipsis):
            return node.value
        return self.integer(node)

    def integer(self, node: ast.expr, where: str = "") -> int:
        value = self.signed_number(node)
        if not isinstance(value, int) or isinstance(value, bool) or abs(value) >= MAX_INDEX:
            if where:
                self.refuse(node, f"{where} must hold constant integers")
            self.refuse(node, "an index must be a constant integer, a slice of them, None or ...")
        return int(value)

    def signed_number(self, node: ast.expr) -> Any:
        """A number literal, possibly with a sign in front; None for anything else."""
        sign = 1
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            sign = -1 if isinstance(node.op, ast.USub) else 1
            node = node.operand
        if not isinstance(node, ast.Constant) or not isinstance(node.value, (int, float)):
            return None
        if isinstance(node.value, bool):
            return node.value if sign == 1 else None
        return sign * node.value

    def attr_value(self, node: ast.expr, name: str) -> Any:
        """A constant attribute: a number, True, False, None, or a tuple of integers."""
        if isinstance(node, ast.Constant) and node.value is None:
            return None
        if isinstance(node, ast.Tuple) and len(node.elts) <= 32:
            value: Any = tuple(self.integer(part, f"{name}=") for part in node.elts)
        else:
            value = self.signed_number(node)
            bad_int = isinstance(value, int) and abs(value) >= MAX_INDEX
            bad_float = isinstance(value, float) and not math.isfinite(value)
            if value is None or bad_int or bad_float:
                self.refuse(
                    node, f"{name}= must be a constant: a number, True, False, None or (1, 2)"
                )
        if name == "shape":
            dims = value if isinstance(value, tuple) else (value,)
            size = math.prod(abs(int(d)) for d in dims)
            if size > MAX_ELEMENTS:
                self.refuse(node, f"shape= of {size:,} elements (the limit is {MAX_ELEMENTS:,})")
        return value

    def fold(self, node: ast.AST) -> None:
        """After the children: fold a part made of numbers only, under the limits."""
        constants = self.program.constants
        if isinstance(node, ast.Constant):
            self.check_size(node, node.value)
            constants[node] = node.value
        elif isinstance(node, ast.UnaryOp) and node.operand in constants:
            value = constants[node.operand]
            constants[node] = -value if isinstance(node.op, ast.USub) else value
        elif isinstance(node, ast.BinOp):
            if isinstance(node.op, ast.Pow) and node.right in constants:
                exponent = constants[node.right]
                if abs(exponent) > MAX_EXPONENT:
                    self.refuse(
                        node.right,
                        f"the exponent {_number(exponent)} is too large (at most {MAX_EXPONENT})",
                    )
            if node.left in constants and node.right in constants:
                constants[node] = self.fold_binary(
                    node, constants[node.left], constants[node.right]
                )
        elif isinstance(node, ast.Subscript) and node.value in constants:
            self.refuse(node.value, "only an input can be indexed, not a number")

    def fold_binary(self, node: ast.BinOp, a: Any, b: Any) -> Any:
        fold = FOLD.get(type(node.op))
        if fold is None:
            self.refuse(node, "@ needs arrays, not numbers")
        try:
            value = fold(a, b)
        except ZeroDivisionError:
            self.refuse(node, "division by zero")
        except OverflowError:
            self.refuse(node, "the number is too large")
        if isinstance(value, complex):
            self.refuse(node, "the result is a complex number")
        self.check_size(node, value)
        return value

    def check_size(self, node: ast.AST, value: Any) -> None:
        too_long = isinstance(value, int) and value.bit_length() > MAX_INT_BITS
        if too_long or (isinstance(value, float) and not math.isfinite(value)):
            self.refuse(node, "the number is too large")


def _number(value: Any) -> str:
    return f"{value:,}" if isinstance(value, int) else repr(value)
