"""The Tensor: a graph node (node.py) with numpy's array API.

A Tensor made by an op remembers the op, its inputs and what its rules read; that is the
whole graph. Operators and methods call registered ops; no gradient math lives here.
Tensors also speak numpy's dispatch protocols, so ``np.exp(t)`` and ``np.ones(3) + t``
give recorded Tensors, never object arrays.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from . import engine
from .interop import INT_KINDS, as_array, plain_numpy
from .node import Node
from .switches import grad_mode


class Tensor(Node):
    """An n-dimensional array that records the ops applied to it, for reverse-mode gradients.

    >>> x = Tensor([1.0, 2.0], requires_grad=True)
    >>> (x * x).sum().backward()
    >>> x.grad
    array([2., 4.])
    """

    __slots__ = ()  # the fields are Node's

    def __init__(
        self,
        data: Any,
        requires_grad: bool = False,
        name: str | None = None,
        dtype: Any = None,
    ) -> None:
        self.data = as_array(data, dtype, requires_grad)
        self.grad = None
        self.requires_grad = bool(requires_grad)
        self.name = name
        self._op = None
        self._inputs = ()
        self._attrs = None
        self._saved = None
        self._hold = None
        self._retains_grad = False

    def backward(
        self,
        grad: Any = None,
        retain_graph: bool = False,
        create_graph: bool = False,
        retain_grads: bool = False,
    ) -> None:
        """Accumulate d(self)/d(t) into ``t.grad`` for every leaf t that requires grad.

        ``grad`` seeds the pass (required unless self has one element). As in PyTorch, a
        tensor made by an op keeps its gradient only if it asked (``retain_grad()``), so a
        training step holds no intermediate gradient; ``retain_grads=True`` keeps every
        node's, for pictures and for reading them. The graph's saved values are released
        afterwards unless ``retain_graph``; ``create_graph`` records the backward pass
        itself, so the gradients can be differentiated again. To watch the pass step by
        step, see ``autograd_lite.trace_backward``.
        """
        engine.backward(
            self,
            grad,
            retain_graph=retain_graph,
            create_graph=create_graph,
            retain_grads=retain_grads,
        )

    def retain_grad(self) -> Tensor:
        """Keep this tensor's gradient in ``.grad`` at the next backward, though an op made it
        (leaves keep theirs anyway), as PyTorch's ``retain_grad``; returns self."""
        self._retains_grad = True
        return self

    def detach(self) -> Tensor:
        """A new leaf sharing this tensor's data, cut from the graph."""
        return new_tensor(self.data)

    def requires_grad_(self, requires_grad: bool = True) -> Tensor:
        """Set ``requires_grad`` in place and return self. Only floating-point data can require
        grad (as in PyTorch): integer or bool data raises, naming the conversion."""
        if requires_grad and self.data.dtype.kind in INT_KINDS:
            raise TypeError(
                f"requires_grad_() on {self.data.dtype} data: only floating-point tensors can "
                "require grad; convert first, e.g. t = t.astype(np.float64).requires_grad_(), "
                "or make it with al.tensor(data, dtype=np.float64, requires_grad=True)"
            )
        self.requires_grad = bool(requires_grad)
        return self

    def draw(self, **kwargs: Any) -> Any:
        """The graph that made this tensor as a picture: ``autograd_lite.draw_graph(self)``."""
        from .viz import draw_graph

        return draw_graph(self, **kwargs)

    # --- array-like ---------------------------------------------------------------------
    @property
    def T(self) -> Tensor:
        return transpose(self)

    def item(self) -> Any:
        """The single element as a Python number."""
        return self.data.item()

    def numpy(self) -> np.ndarray:
        """The data as a numpy array (the same array, not a copy)."""
        return self.data

    def tolist(self) -> Any:
        """The data as nested Python lists of numbers, as ``ndarray.tolist``."""
        return self.data.tolist()

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        """numpy's implicit conversion, refused for a tensor that requires grad while grad
        mode is on: the array would be a constant and the gradient would be lost silently."""
        self._refuse_implicit_conversion()
        if dtype is not None and dtype != self.data.dtype:
            return self.data.astype(dtype)
        return self.data.copy() if copy else self.data

    def __dlpack__(self, **kwargs: Any) -> Any:
        """DLPack, so ``torch.from_dlpack(t)``, ``torch.asarray(t)`` and ``np.from_dlpack(t)``
        share the data; refused, as ``__array__``, for a tensor that requires grad."""
        self._refuse_implicit_conversion()
        return self.data.__dlpack__(**kwargs)

    def __dlpack_device__(self) -> Any:
        return self.data.__dlpack_device__()

    def _refuse_implicit_conversion(self) -> None:
        if self.requires_grad and grad_mode.enabled:
            raise TypeError(
                f"a Tensor of shape {self.shape} that requires grad was converted to an array "
                "implicitly (np.asarray(t), a numpy function given a list holding Tensors, "
                "such as np.mean([x, y]) or np.array([x, y]), or another library's "
                "conversion); the gradient would be lost. Combine Tensors with al.stack or "
                "al.concatenate; read the values explicitly with t.data or t.detach(); or "
                "convert under al.no_grad()"
            )

    def __len__(self) -> int:
        if self.data.ndim == 0:
            raise TypeError("len() of unsized object")  # numpy's words
        return len(self.data)

    def __iter__(self) -> Any:
        for i in range(len(self)):
            yield self[i]

    def __bool__(self) -> bool:
        return bool(self.data)

    def __float__(self) -> float:
        return float(self.data)

    def __int__(self) -> int:
        return int(self.data)

    def __repr__(self) -> str:
        body = np.array2string(self.data, separator=", ", prefix="tensor(")
        extras = []
        if self.name is not None:
            extras.append(f"name={self.name!r}")
        if self._op is not None:
            extras.append(f"op={self._op.name}")
        elif self.requires_grad:
            extras.append("requires_grad=True")
        if self.data.dtype != np.float64 and self.data.dtype.kind == "f":
            extras.append(f"dtype={self.data.dtype}")
        return "tensor(" + ", ".join([body, *extras]) + ")"

    __hash__ = Node.__hash__  # by identity: defining __eq__ would otherwise unset it

    # --- operators ----------------------------------------------------------------------
    def __add__(self, other: Any) -> Tensor:
        return add(self, other)

    def __radd__(self, other: Any) -> Tensor:
        return add(other, self)

    def __sub__(self, other: Any) -> Tensor:
        return subtract(self, other)

    def __rsub__(self, other: Any) -> Tensor:
        return subtract(other, self)

    def __mul__(self, other: Any) -> Tensor:
        return multiply(self, other)

    def __rmul__(self, other: Any) -> Tensor:
        return multiply(other, self)

    def __truediv__(self, other: Any) -> Tensor:
        return divide(self, other)

    def __rtruediv__(self, other: Any) -> Tensor:
        return divide(other, self)

    def __pow__(self, other: Any) -> Tensor:
        return power(self, other)

    def __rpow__(self, other: Any) -> Tensor:
        return power(other, self)

    def __matmul__(self, other: Any) -> Tensor:
        return matmul(self, other)

    def __rmatmul__(self, other: Any) -> Tensor:
        return matmul(other, self)

    def __neg__(self) -> Tensor:
        return negative(self)

    def __pos__(self) -> Tensor:
        return self

    def __abs__(self) -> Tensor:
        return abs_(self)

    def __getitem__(self, index: Any) -> Tensor:
        return getitem(self, index=index)

    # Comparisons give plain boolean arrays: they have no gradient.
    def __eq__(self, other: Any) -> Any:  # type: ignore[override]
        return self.data == data_of(other)

    def __ne__(self, other: Any) -> Any:  # type: ignore[override]
        return self.data != data_of(other)

    def __lt__(self, other: Any) -> Any:
        return self.data < data_of(other)

    def __le__(self, other: Any) -> Any:
        return self.data <= data_of(other)

    def __gt__(self, other: Any) -> Any:
        return self.data > data_of(other)

    def __ge__(self, other: Any) -> Any:
        return self.data >= data_of(other)

    # --- methods that mirror numpy's ----------------------------------------------------
    def sum(self, axis: Any = None, keepdims: bool = False) -> Tensor:
        return sum_(self, axis=axis, keepdims=keepdims)

    def mean(self, axis: Any = None, keepdims: bool = False) -> Tensor:
        return mean(self, axis=axis, keepdims=keepdims)

    def max(self, axis: Any = None, keepdims: bool = False) -> Tensor:
        return max_(self, axis=axis, keepdims=keepdims)

    def min(self, axis: Any = None, keepdims: bool = False) -> Tensor:
        return min_(self, axis=axis, keepdims=keepdims)

    def reshape(self, *shape: Any) -> Tensor:
        if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
            shape = tuple(shape[0])
        return reshape(self, shape=shape)

    def transpose(self, *axes: Any) -> Tensor:
        order = axes[0] if len(axes) == 1 and not isinstance(axes[0], int) else axes
        return transpose(self, axes=tuple(order) if order else None)

    def swapaxes(self, axis1: int, axis2: int) -> Tensor:
        axes = list(range(self.ndim))
        axes[axis1], axes[axis2] = axes[axis2], axes[axis1]
        return transpose(self, axes=tuple(axes))

    def squeeze(self, axis: Any = None) -> Tensor:
        return squeeze(self, axis=axis)

    def astype(self, dtype: Any) -> Tensor:
        return astype(self, dtype=np.dtype(dtype))

    def exp(self) -> Tensor:
        return exp(self)

    def log(self) -> Tensor:
        return log(self)

    def sqrt(self) -> Tensor:
        return sqrt(self)

    def tanh(self) -> Tensor:
        return tanh(self)

    def sigmoid(self) -> Tensor:
        return sigmoid(self)

    def relu(self) -> Tensor:
        return relu(self)

    def abs(self) -> Tensor:
        return abs_(self)

    def clip(self, a_min: Any = None, a_max: Any = None) -> Tensor:
        return clip(self, a_min=a_min, a_max=a_max)

    def softmax(self, axis: int = -1) -> Tensor:
        return softmax(self, axis=axis)

    def log_softmax(self, axis: int = -1) -> Tensor:
        return log_softmax(self, axis=axis)

    def logsumexp(self, axis: Any = None, keepdims: bool = False) -> Tensor:
        return logsumexp(self, axis=axis, keepdims=keepdims)

    # --- numpy's dispatch protocols (NEP 13 and NEP 18) ---------------------------------
    def __array_ufunc__(self, ufunc: Any, method: str, *inputs: Any, **kwargs: Any) -> Any:
        op = NUMPY_TO_OP.get(ufunc)
        if method == "__call__" and op is not None and not kwargs:
            return op(*inputs)
        name = ufunc.__name__ if method == "__call__" else f"{ufunc.__name__}.{method}"
        return plain_numpy(getattr(ufunc, method), inputs, kwargs, name)

    def __array_function__(self, func: Any, types: Any, args: Any, kwargs: Any) -> Any:
        op = NUMPY_TO_OP.get(func)
        if op is not None:
            return op(*args, **kwargs)
        return plain_numpy(func, args, kwargs, func.__name__)


def new_tensor(
    data: np.ndarray,
    op: Any = None,
    inputs: tuple[Any, ...] = (),
    attrs: Any = None,
    saved: Any = None,
) -> Tensor:
    """Wrap an array already checked by an op: the fast path every op result takes."""
    t = _new(Tensor)
    t.data = data
    t.grad = None
    t.requires_grad = op is not None
    t.name = None
    t._op = op
    t._inputs = inputs
    t._attrs = attrs
    t._saved = saved
    t._hold = None
    t._retains_grad = False
    return t


_new = object.__new__


def tensor(
    data: Any, requires_grad: bool = False, name: str | None = None, dtype: Any = None
) -> Tensor:
    """Make a leaf Tensor from a scalar, a nested list or an array (the data is copied).

    >>> tensor([[1, 2], [3, 4]], requires_grad=True).dtype
    dtype('float64')
    """
    return Tensor(data, requires_grad=requires_grad, name=name, dtype=dtype)


def data_of(x: Any) -> Any:
    """A Tensor's array, or ``x`` itself (a constant given in a tensor's place)."""
    return x.data if isinstance(x, Tensor) else x


# The ops make Tensors (registry.py imports this module), so they are imported last.
from .ops import (  # noqa: E402
    NUMPY_TO_OP,
    abs_,
    add,
    astype,
    clip,
    divide,
    exp,
    getitem,
    log,
    log_softmax,
    logsumexp,
    matmul,
    max_,
    mean,
    min_,
    multiply,
    negative,
    power,
    relu,
    reshape,
    sigmoid,
    softmax,
    sqrt,
    squeeze,
    subtract,
    sum_,
    tanh,
    transpose,
)
