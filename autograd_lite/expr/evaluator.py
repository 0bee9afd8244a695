"""The evaluator: a checked program run by walking its tree with an explicit stack, children
first, calling the registered ops (no ``eval``, no ``exec``, no recursion). Before each op it
bounds the size of the result from the inputs' shapes, and refuses a result of more than
MAX_ELEMENTS elements, or one that would take all the arrays of the evaluation (inputs
included) past MAX_TOTAL_ELEMENTS: the graph keeps every result alive until it is dropped.
"""

from __future__ import annotations

import ast
import math
from collections.abc import Mapping
from typing import Any

import numpy as np

from .language import BINARY, MAX_ELEMENTS, MAX_TOTAL_ELEMENTS, Program, refuse


def evaluate(program: Program, inputs: Mapping[str, Any]) -> Any:
    """Evaluate a checked program: an explicit stack over its nodes, children first.

    >>> import autograd_lite as al
    >>> from autograd_lite.expr import check
    >>> ops = {name: al.get_op(name) for name in al.list_ops()}
    >>> evaluate(check("2 * x[1:] ** 2", ops), {"x": al.tensor([1.0, 2.0, 3.0])})
    tensor([ 8., 18.])
    """
    return _Evaluator(program, inputs).run()


class _Evaluator:
    def __init__(self, program: Program, inputs: Mapping[str, Any]) -> None:
        self.program = program
        self.inputs = inputs
        self.values: dict[ast.AST, Any] = {}
        self.used = sum(np.size(v) for v in inputs.values())  # elements held so far

    def run(self) -> Any:
        program, values = self.program, self.values
        stack: list[tuple[ast.AST, bool]] = [(program.body, False)]
        while stack:
            node, ready = stack.pop()
            if node in program.constants:
                values[node] = program.constants[node]
            elif isinstance(node, ast.Name):
                values[node] = self.inputs[node.id]
            elif not ready:
                stack.append((node, True))
                stack.extend((child, False) for child in reversed(self.operands(node)))
            else:
                values[node] = self.apply(node)
        return values[program.body]

    def operands(self, node: ast.AST) -> list[ast.expr]:
        if isinstance(node, ast.BinOp):
            return [node.left, node.right]
        if isinstance(node, ast.UnaryOp):
            return [node.operand]
        if isinstance(node, ast.Subscript):
            return [node.value]
        return self.program.inputs[node]  # a call

    def apply(self, node: ast.AST) -> Any:
        values = self.values
        if isinstance(node, ast.UnaryOp):
            value = values[node.operand]
            return value if isinstance(node.op, ast.UAdd) else self.call(node, "negative", [value])
        if isinstance(node, ast.BinOp):
            args = [values[node.left], values[node.right]]
            return self.call(node, BINARY[type(node.op)], args)
        if isinstance(node, ast.Subscript):
            return self.call(node, "getitem", [values[node.value]], self.program.attrs[node])
        assert isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
        # A number given to an op as an input goes in as a 0-d array, which every forward takes.
        args = [_as_input(values[n]) for n in self.program.inputs[node]]
        return self.call(node, node.func.id, args, self.program.attrs[node])

    def call(
        self, node: ast.AST, name: str, args: list[Any], attrs: Mapping[str, Any] | None = None
    ) -> Any:
        """Run op ``name``, unless its result could break one of the limits."""
        size = _result_size(name, [np.shape(a) for a in args])
        if size is not None and size > MAX_ELEMENTS:
            message = (
                f"{name} would make {size:,} elements (more than the limit of {MAX_ELEMENTS:,})"
            )
            refuse(self.program.text, node, message)
        if size is not None and self.used + size > MAX_TOTAL_ELEMENTS:
            message = (
                f"{name} could take the arrays of the expression past {MAX_TOTAL_ELEMENTS:,} "
                "elements together (the limit)"
            )
            refuse(self.program.text, node, message)
        out = self.program.ops[name](*args, **(attrs or {}))
        self.used += np.size(out)
        return out


def _as_input(value: Any) -> Any:
    return np.asarray(value) if isinstance(value, (int, float)) else value


def _result_size(name: str, shapes: list[tuple[int, ...]]) -> int | None:
    """An upper bound of the op's result size from its inputs' shapes; None when they do not
    fit together (the op itself then explains why)."""
    try:
        if name in ("concatenate", "stack"):
            return sum(math.prod(s) for s in shapes)
        if name in ("matmul", "linear") and len(shapes) >= 2:
            a, b = shapes[0], shapes[1]
            if not a or not b:
                return None
            batch = np.broadcast_shapes(a[:-2], b[:-2])
            rows = a[-2:-1] if len(a) > 1 else ()
            cols = b[-1:] if len(b) > 1 else ()
            shape = batch + rows + cols
            return math.prod(np.broadcast_shapes(shape, *shapes[2:]))
        return math.prod(np.broadcast_shapes(*shapes))
    except ValueError:
        return None
