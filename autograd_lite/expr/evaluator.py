"""The evaluator: a checked program run by walking its tree with an explicit stack, children
first, calling the registered ops (no ``eval``, no ``exec``, no recursion).

:func:`estimate` walks the same tree first with shapes only (stand-ins that hold no data) and
prices every op with :mod:`.cost`: the elements of its result and of its gradients, and its
work, so that an expression over a limit is refused before anything runs. :func:`evaluate`
charges the same budget again with the real inputs' shapes before each op, so nothing runs
past a limit even where the estimate had to stop (at an op whose inputs do not fit, which
then explains itself when it runs).
"""

from __future__ import annotations

import ast
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from .cost import Budget
from .language import BINARY, ExpressionError, Program
from .shapes import stand_in

# What a shape rule raises for inputs that do not fit (numpy's AxisError is a ValueError).
SHAPE_ERRORS = (ValueError, TypeError, IndexError, KeyError)


def evaluate(program: Program, inputs: Mapping[str, Any], grad: bool = True) -> Any:
    """Evaluate a checked program: an explicit stack over its nodes, children first.

    >>> import autograd_lite as al
    >>> from autograd_lite.expr import check
    >>> ops = {name: al.get_op(name) for name in al.list_ops()}
    >>> evaluate(check("2 * x[1:] ** 2", ops), {"x": al.tensor([1.0, 2.0, 3.0])})
    tensor([ 8., 18.])
    """
    return _Evaluator(program, inputs, grad).run()


def estimate(program: Program, shapes: Mapping[str, Sequence[int]], grad: bool = True) -> Budget:
    """Price ``program`` for inputs of ``shapes`` (the others scalars) without computing it:
    the budget it would use, or an ExpressionError naming the first op over a limit.

    >>> import autograd_lite as al
    >>> from autograd_lite.expr import check
    >>> ops = {name: al.get_op(name) for name in al.list_ops()}
    >>> estimate(check("sum(a @ b)", ops), {"a": (2, 3), "b": (3, 4)}).work
    1842
    """
    inputs = {name: stand_in(shapes.get(name, ())) for name in program.names}
    estimator = _Estimator(program, inputs, grad)
    try:
        estimator.run()
    except _Unknown:
        pass  # the op that stopped it will say why when it runs
    return estimator.budget


class _Evaluator:
    def __init__(self, program: Program, inputs: Mapping[str, Any], grad: bool) -> None:
        self.program = program
        self.inputs = inputs
        self.values: dict[ast.AST, Any] = {}
        self.budget = Budget(program, [np.size(v) for v in inputs.values()], grad)

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
        """Run op ``name``, unless it could break one of the limits."""
        attrs = attrs or {}
        try:
            self.budget.charge(node, name, [np.shape(a) for a in args], attrs)
        except ExpressionError:
            raise
        except SHAPE_ERRORS:
            # The shapes do not fit: the op itself explains why, and makes nothing.
            out = self.program.ops[name](*args, **attrs)
            self.budget.elements += int(np.size(out))
            return out
        return self.program.ops[name](*args, **attrs)


class _Unknown(Exception):
    """The estimate cannot go past this op: its inputs do not fit."""


class _Estimator(_Evaluator):
    """The evaluator on stand-ins: each op is charged and its result is a stand-in."""

    def call(
        self, node: ast.AST, name: str, args: list[Any], attrs: Mapping[str, Any] | None = None
    ) -> Any:
        try:
            cost = self.budget.charge(node, name, [np.shape(a) for a in args], attrs or {})
        except ExpressionError:
            raise
        except SHAPE_ERRORS:
            raise _Unknown from None
        return stand_in(cost.shape)


def _as_input(value: Any) -> Any:
    return np.asarray(value) if isinstance(value, (int, float)) else value
