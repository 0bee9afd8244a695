"""The Tensor: a graph node (node.py) with numpy's array API.

A Tensor made by an op remembers the op, its inputs and what its rules read; that is the
whole graph. Operators and methods call registered ops; no gradient math lives here.
Tensors also speak numpy's dispatch protocols, so ``np.exp(t)`` and ``np.ones(3) + t``
give recorded Tensors, never object arrays.
"""

from __future__ import annotations

import copy
from typing import Any

import numpy as np

from . import engine
from .inplace import update_in_place
from .interop import INT_KINDS, ArrayConversions, as_array, plain_numpy
from .node import Node, next_seq
from .numpy_keywords import call_as_numpy
from .tensor_methods import ArrayMethods


class Tensor(Node, ArrayConversions, ArrayMethods):
    """An n-dimensional array that records the ops applied to it, for reverse-mode gradients.

    Its fields and graph are :class:`~autograd_lite.node.Node`'s; how it turns into an
    array or a Python number is in :class:`~autograd_lite.interop.ArrayConversions`, and
    the methods named as ndarray's in :class:`~autograd_lite.tensor_methods.ArrayMethods`.

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
        self._seq = next_seq()

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
        return ops.transpose(self)

    __hash__ = Node.__hash__  # by identity: defining __eq__ would otherwise unset it

    def __deepcopy__(self, memo: dict[int, Any]) -> Tensor:
        """A new leaf of the same data, grad and name; an op's result is refused, as in
        PyTorch: its copied graph would hold arrays the in-place guard does not protect."""
        if self._op is not None:
            raise RuntimeError(
                f"copy.deepcopy of a tensor made by op {self._op.name!r}: only leaves are "
                "deep-copied (as in PyTorch); copy t.detach(), or the leaves, and compute again"
            )
        new = Tensor(self.data.copy(), requires_grad=self.requires_grad, name=self.name)
        new.grad = copy.deepcopy(self.grad, memo)
        memo[id(self)] = new
        return new

    # --- operators ----------------------------------------------------------------------
    def __add__(self, other: Any) -> Tensor:
        return ops.add(self, other)

    def __radd__(self, other: Any) -> Tensor:
        return ops.add(other, self)

    def __sub__(self, other: Any) -> Tensor:
        return ops.subtract(self, other)

    def __rsub__(self, other: Any) -> Tensor:
        return ops.subtract(other, self)

    def __mul__(self, other: Any) -> Tensor:
        return ops.multiply(self, other)

    def __rmul__(self, other: Any) -> Tensor:
        return ops.multiply(other, self)

    def __truediv__(self, other: Any) -> Tensor:
        return ops.divide(self, other)

    def __rtruediv__(self, other: Any) -> Tensor:
        return ops.divide(other, self)

    def __pow__(self, other: Any) -> Tensor:
        return ops.power(self, other)

    def __rpow__(self, other: Any) -> Tensor:
        return ops.power(other, self)

    def __mod__(self, other: Any) -> Tensor:
        return ops.mod(self, other)

    def __rmod__(self, other: Any) -> Tensor:
        return ops.mod(other, self)

    def __floordiv__(self, other: Any) -> Tensor:
        return ops.floor_divide(self, other)

    def __rfloordiv__(self, other: Any) -> Tensor:
        return ops.floor_divide(other, self)

    def __matmul__(self, other: Any) -> Tensor:
        return ops.matmul(self, other)

    def __rmatmul__(self, other: Any) -> Tensor:
        return ops.matmul(other, self)

    # in place (t += x, ...): only where nothing is recorded, see inplace.update_in_place
    def __iadd__(self, other: Any) -> Tensor:
        return update_in_place(self, np.add, other, "+=")

    def __isub__(self, other: Any) -> Tensor:
        return update_in_place(self, np.subtract, other, "-=")

    def __imul__(self, other: Any) -> Tensor:
        return update_in_place(self, np.multiply, other, "*=")

    def __itruediv__(self, other: Any) -> Tensor:
        return update_in_place(self, np.true_divide, other, "/=")

    def __ipow__(self, other: Any) -> Tensor:
        return update_in_place(self, np.power, other, "**=")

    def __imatmul__(self, other: Any) -> Tensor:
        return update_in_place(self, np.matmul, other, "@=")

    def __neg__(self) -> Tensor:
        return ops.negative(self)

    def __pos__(self) -> Tensor:
        return self

    def __abs__(self) -> Tensor:
        return ops.abs_(self)

    def __getitem__(self, index: Any) -> Tensor:
        return ops.getitem(self, index=index)

    def __setitem__(self, index: Any, value: Any) -> None:
        raise TypeError(
            "a Tensor is not changed in place (t[i] = v): the graph would lose the value its "
            "gradients read. Build a new tensor: al.where(mask, v, t), "
            "al.put_along_axis(t, indices, v, axis), al.index_add(t, axis, index, v) or "
            "t + al.add_at(v - t[i], index=i, shape=t.shape); to change the data without a "
            "gradient, write t.data under al.no_grad() before any graph reads it"
        )

    # --- methods that mirror numpy's ----------------------------------------------------
    def astype(self, dtype: Any) -> Tensor:
        return ops.astype(self, dtype=np.dtype(dtype))

    def sigmoid(self) -> Tensor:
        return ops.sigmoid(self)

    def relu(self) -> Tensor:
        return ops.relu(self)

    def softmax(self, axis: int = -1) -> Tensor:
        return ops.softmax(self, axis=axis)

    def log_softmax(self, axis: int = -1) -> Tensor:
        return ops.log_softmax(self, axis=axis)

    def logsumexp(self, axis: Any = None, keepdims: bool = False) -> Tensor:
        return ops.logsumexp(self, axis=axis, keepdims=keepdims)

    # --- numpy's dispatch protocols (NEP 13 and NEP 18) ---------------------------------
    def __array_ufunc__(self, ufunc: Any, method: str, *inputs: Any, **kwargs: Any) -> Any:
        op = ops.NUMPY_TO_OP.get(ufunc)
        if method == "__call__" and op is not None and not kwargs:
            return op(*inputs)
        name = ufunc.__name__ if method == "__call__" else f"{ufunc.__name__}.{method}"
        return plain_numpy(
            getattr(ufunc, method), inputs, kwargs, name, method == "__call__" and op is not None
        )

    def __array_function__(self, func: Any, types: Any, args: Any, kwargs: Any) -> Any:
        op = ops.NUMPY_TO_OP.get(func)
        if op is not None:
            return call_as_numpy(func, op, args, kwargs)
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
    t._seq = next_seq()
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


# The ops make Tensors (registry.py imports this module), so they are imported last.
from . import ops  # noqa: E402
