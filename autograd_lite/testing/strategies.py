"""Hypothesis strategies for Tensors, broadcastable pairs, and random expression graphs."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from ..registry import get_op
from ..tensor import Tensor

SAFE_ELEMENTS = st.floats(-2.0, 2.0, allow_nan=False, allow_infinity=False)


def _or_safe(elements: st.SearchStrategy[float] | None) -> st.SearchStrategy[float]:
    """``elements``, or SAFE_ELEMENTS when None. (Not ``elements or ...``: a strategy is always
    true, and hypothesis warns when one is used as a bool.)"""
    return SAFE_ELEMENTS if elements is None else elements


def tensors(
    shape: Any = None,
    dtype: Any = np.float64,
    elements: st.SearchStrategy[float] | None = None,
    requires_grad: bool = True,
) -> st.SearchStrategy[Tensor]:
    """Tensors of ``shape`` (a tuple, or a strategy of shapes; default up to 3-D, sides up
    to 3) with finite elements in [-2, 2] by default (integers for an integer ``dtype``,
    which a Tensor that requires grad holds as float64).

    >>> from hypothesis import given
    >>> @given(tensors(shape=(2, 3)))
    ... def test(t):
    ...     assert t.shape == (2, 3) and t.requires_grad
    >>> test()
    """
    shapes = shape if isinstance(shape, st.SearchStrategy) else st.just(shape)
    if shape is None:
        shapes = hnp.array_shapes(min_dims=0, max_dims=3, min_side=1, max_side=3)
    kind = np.dtype(dtype).kind
    if elements is None and kind in "iub":
        elements = st.booleans() if kind == "b" else st.integers(-2, 2)
    values = shapes.flatmap(lambda s: hnp.arrays(dtype, s, elements=_or_safe(elements)))
    return values.map(lambda a: Tensor(a, requires_grad=requires_grad))


def broadcastable_pairs(
    max_dims: int = 3, max_side: int = 3, elements: st.SearchStrategy[float] | None = None
) -> st.SearchStrategy[tuple[np.ndarray, np.ndarray]]:
    """Two float64 arrays whose shapes broadcast together, as numpy's binary ops need."""
    shapes = hnp.mutually_broadcastable_shapes(num_shapes=2, max_dims=max_dims, max_side=max_side)
    elements = _or_safe(elements)
    return shapes.flatmap(
        lambda s: st.tuples(
            *(hnp.arrays(np.float64, shp, elements=elements) for shp in s.input_shapes)
        )
    )


@dataclass(frozen=True)
class Step:
    """One node of an expression: ``op(*operands, **attrs)``; operands index earlier nodes,
    or are constants."""

    op: str
    operands: tuple[Any, ...]
    attrs: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Expression:
    """A random DAG of registered ops over input arrays; call it on Tensors to evaluate.

    Nodes 0 .. n_inputs-1 are the inputs; each step adds one node; the last is the output.
    """

    inputs: tuple[np.ndarray, ...]
    steps: tuple[Step, ...]

    def __call__(self, *inputs: Any) -> Any:
        nodes = list(inputs)
        for step in self.steps:
            args = [nodes[o] if isinstance(o, int) else o.value for o in step.operands]
            nodes.append(get_op(step.op)(*args, **step.attrs))
        return nodes[-1]

    def __repr__(self) -> str:
        n = len(self.inputs)

        def label(o: Any) -> str:
            if not isinstance(o, int):
                return repr(o.value)
            return f"x{o}" if o < n else f"t{o}"

        lines = [f"x{i}: shape {x.shape}" for i, x in enumerate(self.inputs)]
        for k, step in enumerate(self.steps):
            args = [label(o) for o in step.operands]
            args += [f"{key}={value!r}" for key, value in step.attrs.items()]
            lines.append(f"t{n + k} = {step.op}({', '.join(args)})")
        return "Expression(\n  " + "\n  ".join(lines) + "\n)"


@dataclass(frozen=True)
class Const:
    """A constant operand of a step (printed by value)."""

    value: Any


# Smooth ops only: a kink (relu at 0, max at a tie) can be reached exactly by a composed
# expression, where a finite difference is meaningless. The op table tests kinked ops.
DEFAULT_OPS = (
    "add", "subtract", "multiply", "divide", "negative", "power", "exp", "log", "sqrt",
    "tanh", "sigmoid", "matmul", "sum", "mean", "logsumexp", "softmax", "log_softmax",
    "cross_entropy", "transpose", "reshape", "broadcast_to", "expand_dims", "getitem",
)  # fmt: skip
_UNARY = {"negative", "exp", "log", "sqrt", "tanh", "sigmoid"}
_BINARY = {"add", "subtract", "multiply", "divide", "power", "matmul"}
_REDUCE = {"sum", "mean", "logsumexp"}
_ALONG_AXIS = {"softmax", "log_softmax", "cross_entropy"}
_SHAPE = {"transpose", "reshape", "broadcast_to", "expand_dims", "getitem"}


@st.composite
def expressions(
    draw: Any, max_ops: int = 6, ops: Sequence[str] = DEFAULT_OPS, max_inputs: int = 3
) -> Expression:
    """A random expression: inputs of broadcast-compatible shapes, then up to ``max_ops``
    steps, each an op from ``ops`` applied to earlier nodes (so one node can feed several:
    shared subexpressions). Domain guards keep it finite: log and sqrt take x*x + 0.5,
    divide takes y*y + 0.5, exp takes tanh(x), power's base is x*x + 0.5. Nodes that no
    later step uses are summed into the output, so every step reaches it.

    >>> from hypothesis import given
    >>> import autograd_lite as al
    >>> @given(expressions(max_ops=3))
    ... def test(e):
    ...     out = e(*[al.tensor(x, requires_grad=True) for x in e.inputs])
    ...     assert isinstance(out, al.Tensor)
    >>> test()
    """
    unknown = set(ops) - _UNARY - _BINARY - _REDUCE - _ALONG_AXIS - _SHAPE
    if unknown:
        raise ValueError(f"expressions() cannot draw ops {sorted(unknown)}; known: {DEFAULT_OPS}")
    n_inputs = draw(st.integers(1, max_inputs))
    input_shapes = draw(
        hnp.mutually_broadcastable_shapes(num_shapes=n_inputs, max_dims=3, max_side=3)
    ).input_shapes
    inputs = tuple(draw(hnp.arrays(np.float64, s, elements=SAFE_ELEMENTS)) for s in input_shapes)
    builder = _Builder(list(inputs))
    for _ in range(draw(st.integers(1, max_ops))):
        builder.add(draw, draw(st.sampled_from(list(ops))))
    builder.join_sinks(n_inputs)
    return Expression(inputs, tuple(builder.steps))


class _Builder:
    """Grows an expression step by step, tracking each node's value to know its shape."""

    def __init__(self, inputs: list[np.ndarray]) -> None:
        self.values: list[np.ndarray] = list(inputs)
        self.steps: list[Step] = []

    def node(self, draw: Any) -> int:
        """An earlier node, favouring recent ones (so chains form) but reusing old ones."""
        n = len(self.values)
        return (
            n - 1 - draw(st.integers(0, n - 1))
            if draw(st.booleans())
            else draw(st.integers(0, n - 1))
        )

    def push(self, op: str, operands: tuple[Any, ...], **attrs: Any) -> int:
        args = [self.values[o] if isinstance(o, int) else o.value for o in operands]
        with np.errstate(all="ignore"):
            value = get_op(op).output(*args, **attrs)
        self.values.append(np.asarray(value))
        self.steps.append(Step(op, operands, attrs))
        return len(self.values) - 1

    def join_sinks(self, n_inputs: int) -> None:
        """Add every node no step uses (summed) to the last one, so all of them are tested."""
        used = {o for step in self.steps for o in step.operands if isinstance(o, int)}
        out = len(self.values) - 1
        for sink in range(n_inputs, out):
            if sink not in used:
                out = self.push("add", (out, self.push("sum", (sink,))))

    def positive(self, i: int) -> int:
        """x * x + 0.5: a guard that keeps log, sqrt, power and division away from 0."""
        return self.push("add", (self.push("multiply", (i, i)), Const(0.5)))

    def add(self, draw: Any, op: str) -> None:
        x = self.node(draw)
        shape = self.values[x].shape
        if op in ("log", "sqrt"):
            self.push(op, (self.positive(x),))
        elif op == "exp":
            self.push(op, (self.push("tanh", (x,)),))
        elif op in _UNARY:
            self.push(op, (x,))
        elif op == "power":
            self.power(draw, x)
        elif op in _BINARY:
            self.binary(draw, op, x)
        elif op in _REDUCE:
            axis = draw(_axes(len(shape)))
            self.push(op, (x,), axis=axis, keepdims=draw(st.booleans()))
        elif op == "cross_entropy" and shape:
            self.cross_entropy(draw, x)
        elif op in _ALONG_AXIS and op != "cross_entropy":
            # a 0-d input takes axis 0 or -1, as numpy's reductions allow
            self.push(op, (x,), axis=draw(st.integers(-max(len(shape), 1), max(len(shape), 1) - 1)))
        elif op == "transpose":
            self.push(op, (x,), axes=tuple(draw(st.permutations(range(len(shape))))))
        elif op == "reshape":
            self.push(op, (x,), shape=(-1,))
        elif op == "expand_dims" and len(shape) < 4:
            self.push(op, (x,), axis=draw(st.integers(-len(shape) - 1, len(shape))))
        elif op == "broadcast_to" and len(shape) < 4:
            self.push(op, (x,), shape=(2, *shape))
        elif op == "getitem" and shape:
            # a strided or reversed slice: a non-contiguous view for the ops that follow
            self.push(
                op,
                (x,),
                index=(slice(None), slice(None, None, draw(st.sampled_from([2, -1]))))
                if len(shape) > 1
                else slice(None, None, -1),
            )

    def power(self, draw: Any, x: int) -> None:
        """x^p with an integer p on any x (zeros included: x^0 at 0 has gradient 0, as torch),
        a fractional or negative p on a positive base, or 0^y (gradient 0 for y > 0)."""
        kind = draw(st.sampled_from(["integer", "real", "zero base"]))
        if kind == "integer":
            self.push("power", (x, Const(draw(st.sampled_from([0.0, 1.0, 2.0, 3.0])))))
        elif kind == "real":
            self.push("power", (self.positive(x), Const(draw(st.sampled_from([-1.0, 0.5, -0.3])))))
        else:
            self.push("power", (Const(0.0), self.positive(x)))

    def cross_entropy(self, draw: Any, x: int) -> None:
        """cross_entropy of x along any axis, against class labels or weight rows (which
        need not sum to 1), with any reduction."""
        shape = self.values[x].shape
        axis = draw(st.integers(-len(shape), len(shape) - 1))
        if draw(st.booleans()):
            kept = shape[: axis % len(shape)] + shape[axis % len(shape) + 1 :]
            target = draw(hnp.arrays(np.int64, kept, elements=st.integers(0, shape[axis] - 1)))
        else:
            target = draw(hnp.arrays(np.float64, shape, elements=st.floats(0.0, 1.5)))
        reduction = draw(st.sampled_from(["mean", "sum", "none"]))
        self.push("cross_entropy", (x, Const(target)), axis=axis, reduction=reduction)

    def binary(self, draw: Any, op: str, x: int) -> None:
        y = self.node(draw)
        a, b = self.values[x], self.values[y]
        try:
            if op == "matmul":
                np.matmul(a, b)
            else:
                np.broadcast_shapes(a.shape, b.shape)
        except ValueError:
            return  # no fitting partner: skip this step
        self.push(op, (x, self.positive(y) if op == "divide" else y))


def _axes(ndim: int) -> st.SearchStrategy[Any]:
    if ndim == 0:
        return st.sampled_from([None, 0, -1])  # numpy's reductions allow 0 and -1 on 0-d
    return st.one_of(
        st.none(), st.integers(-ndim, ndim - 1), hnp.valid_tuple_axes(ndim, min_size=1)
    )
