"""What each op of an expression costs, from shapes alone, and the budget that refuses it.

For one op, :func:`op_cost` gives the result's shape (from :mod:`.shapes`), its elements,
the largest array its backward pass makes before the engine sums it back to an input's shape
(``a @ b`` with broadcast batch dimensions makes gradients far larger than ``a``, ``b`` or the
result), and its floating-point work, forward and backward. A :class:`Budget` adds the ops up
in evaluation order and refuses, pointing at the op, the first that would pass a limit: the
elements of one array, of all arrays together (the graph keeps every result alive), of one
gradient, or the work of the whole expression.
"""

from __future__ import annotations

import ast
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..ops.contraction import index_sizes
from .language import MAX_ELEMENTS, MAX_TOTAL_ELEMENTS, MAX_WORK, Program, refuse
from .shapes import Shape, result_shape

MATMUL = ("matmul", "linear")
# Ops that factor each matrix of a stack: about n^3 products each, forward and backward.
FACTORINGS = ("inv", "det", "logabsdet", "solve", "cholesky", "eigh")
# Work of an op that is not a product, per element of its inputs and result, forward and
# backward (an exp, its rule's product with g, the engine's sum back to the input's shape);
# measured against matmul's: on one machine either kind of work ran at about 1e10 per second.
ELEMENT_WORK = 40
# Ops that took several times the time of a sum per element, forward and backward.
HEAVIER = {"logsumexp": 4, "max": 2, "min": 2, "power": 2}
# A stack of small products costs numpy a call per matrix, whatever the matrix's size.
MATRIX_WORK = 100


@dataclass(frozen=True)
class Cost:
    """One op's price: its result's shape and elements, the elements of the largest gradient
    array its backward makes, and its work in floating-point operations."""

    shape: Shape
    elements: int
    gradient: int
    work: int


def op_cost(name: str, shapes: Sequence[Shape], attrs: Mapping[str, Any], grad: bool) -> Cost:
    """The cost of op ``name`` on inputs of ``shapes``; without ``grad``, of the forward only.

    >>> op_cost("matmul", [(600, 1, 1, 600), (1, 600, 600, 1)], {}, grad=True).gradient
    216000000
    """
    shape = result_shape(name, shapes, attrs)
    elements = math.prod(shape)
    sizes = [math.prod(s) for s in shapes]
    gradient = max([elements, *sizes])
    if name in MATMUL:
        a, b = shapes[0], shapes[1]
        batch = math.prod(shape[: max(len(shape) - 2, 0)]) if len(a) > 1 and len(b) > 1 else 1
        m = a[-2] if len(a) > 1 else 1
        k = a[-1]
        n = b[-1] if len(b) > 1 else 1
        gradient = max(gradient, batch * m * k, batch * k * n)  # g @ b.T and a.T @ g
        products = 2 * batch * m * k * n + MATRIX_WORK * batch
    elif name == "einsum":  # numpy's loop runs over every combination of the indices
        terms = str(attrs.get("subscripts", "")).partition("->")[0].split(",")
        index = index_sizes(terms, shapes)
        products = 2 * len(terms) * math.prod(index.values())
        # an operand's gradient has its indices at their broadcast sizes
        gradient = max(gradient, *(math.prod(index[c] for c in set(t)) for t in terms))
    elif name in FACTORINGS:
        a = shapes[0]
        columns = shapes[1][-1] if name == "solve" and len(shapes[1]) > 1 else 1
        products = math.prod(a[:-2]) * (2 * a[-1] ** 2 * (a[-1] + columns) + MATRIX_WORK)
    else:
        products = 0
    weight = ELEMENT_WORK * HEAVIER.get(name, 1)
    forward = products + weight * (elements + sum(sizes)) // 3
    if not grad:
        return Cost(shape, elements, 0, forward)
    return Cost(shape, elements, gradient, 3 * forward)


class Budget:
    """The running totals of an evaluation: elements held and work done, each op checked
    against the limits before it runs."""

    def __init__(self, program: Program, input_sizes: Sequence[int], grad: bool) -> None:
        self.program = program
        self.grad = grad
        self.elements = sum(input_sizes)
        self.work = 0

    def charge(
        self, node: ast.AST, name: str, shapes: Sequence[Shape], attrs: Mapping[str, Any]
    ) -> Cost:
        """Add op ``name`` at ``node``; an ExpressionError pointing at it if a limit breaks.
        The op's own errors (shapes that do not fit) propagate from :func:`op_cost`."""
        cost = op_cost(name, shapes, attrs, self.grad)
        if cost.elements > MAX_ELEMENTS:
            self.refuse(node, f"{name} would make {cost.elements:,} elements", MAX_ELEMENTS)
        if cost.gradient > MAX_ELEMENTS:
            self.refuse(
                node,
                f"the backward pass of {name} would make a gradient of {cost.gradient:,} elements",
                MAX_ELEMENTS,
            )
        if self.elements + cost.elements > MAX_TOTAL_ELEMENTS:
            self.refuse(
                node,
                f"{name} would take the arrays of the expression to "
                f"{self.elements + cost.elements:,} elements together",
                MAX_TOTAL_ELEMENTS,
            )
        if self.work + cost.work > MAX_WORK:
            done = "with its gradients" if self.grad else "without gradients"
            message = (
                f"{name} would take the work of the expression to about "
                f"{self.work + cost.work:.2g} floating-point operations {done} (more than the "
                f"limit of {MAX_WORK:.0e}; use smaller shapes or fewer ops)"
            )
            refuse(self.program.text, node, message)
        self.elements += cost.elements
        self.work += cost.work
        return cost

    def refuse(self, node: ast.AST, what: str, limit: int) -> None:
        refuse(self.program.text, node, f"{what} (more than the limit of {limit:,})")
