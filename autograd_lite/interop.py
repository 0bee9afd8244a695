"""Between numpy and Tensors: turning user data into arrays, a Tensor back into an array or
a Python number, and running numpy functions that have no registered op on a Tensor's data
(refused, as implicit conversion is, where the gradient would be lost)."""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import Any

import numpy as np

from .node import Node, data_of
from .numpy_keywords import UFUNC_KEYWORDS, keywords_lose_gradient
from .switches import grad_mode

FLOAT_KINDS = "f"
INT_KINDS = "biu"
# numpy's functions that write into their first argument, and what builds the result anew
WRITES_IN_PLACE = {
    np.put_along_axis: "al.put_along_axis(t, indices, values, axis)",
    np.put: "al.put_along_axis(t.reshape(-1), indices, values, 0)",
    np.place: "al.where(mask, values, t)",
    np.putmask: "al.where(mask, values, t)",
    np.copyto: "al.where(mask, src, t)",
    np.fill_diagonal: "al.where(al.eye(n, dtype=bool), value, t)",
}
UFUNC_AT = "t + al.add_at(values, index=i, shape=t.shape) for np.add.at, al.where(mask, f(t), t)"


def as_array(data: Any, dtype: Any = None, requires_grad: bool = False) -> np.ndarray:
    """Copy ``data`` into a numeric array; a TypeError names anything else that was given."""
    if isinstance(data, Node):
        data = data.data
    try:
        array = np.array(data, dtype=dtype)
    except (ValueError, TypeError) as exc:
        raise TypeError(
            f"cannot make a Tensor from {_describe_input(data)}: {exc}; "
            "give a number, a nested list of numbers of equal lengths, or a numeric array"
        ) from None
    kind = array.dtype.kind
    if kind not in FLOAT_KINDS and kind not in INT_KINDS:
        raise TypeError(
            f"cannot make a Tensor from {_describe_input(data)} (numpy dtype {array.dtype}); "
            "give numbers: float, int or bool data"
        )
    if requires_grad and kind in INT_KINDS:
        array = array.astype(np.float64)
    return array


def _describe_input(data: Any) -> str:
    text = repr(data)
    if len(text) > 60:
        text = text[:57] + "..."
    return f"{type(data).__name__} {text}"


def plain_numpy(func: Any, args: Any, kwargs: Any, name: str, has_op: bool = False) -> Any:
    """Run a numpy function on plain arrays: one with no registered op, or a ufunc with an op
    (``has_op``) called with keywords the op does not take.

    Allowed when nothing is lost: grad mode is off, no input needs a gradient, or the result
    is not floating point (comparisons, ``np.allclose``, ``np.argmax``). Otherwise the graph
    would be cut silently, so this raises, before numpy writes into any ``out=``. With
    ``out=``, the result is what numpy gives: the target, a Tensor's own if it was one.
    """
    flat = list(args) + list(kwargs.values())
    flat += [y for x in flat if isinstance(x, (list, tuple)) for y in x]
    # a write into a Tensor, or of values that need a gradient; under no_grad, as torch
    # allows, numpy writes into the data
    written_or_lost = (args and isinstance(args[0], Node)) or any(
        isinstance(x, Node) and x.requires_grad for x in flat
    )
    at = name.endswith(".at")  # ufunc.at: in place, and numpy skips the read-only check
    if (func in WRITES_IN_PLACE or at) and written_or_lost and grad_mode.enabled:
        raise TypeError(
            f"numpy.{name} writes into its first argument in place, and a Tensor's data does "
            f"not change under its graph; use {WRITES_IN_PLACE.get(func, UFUNC_AT)}, which "
            "returns a new Tensor"
        )
    if at and isinstance(args[0], Node) and not args[0].data.flags.writeable:
        raise ValueError(
            f"numpy.{name}: the tensor's array is read-only (a live graph reads it, or an op "
            "made it); numpy's ufunc.at would write into it anyway, so this refuses"
        )
    needs_grad = grad_mode.enabled and any(isinstance(x, Node) and x.requires_grad for x in flat)
    out = kwargs.get("out")
    if needs_grad:  # decided before numpy runs: out= would be written first
        lost = [k for k in kwargs if k in UFUNC_KEYWORDS] if has_op else []
        if lost:
            raise keywords_lose_gradient(name, lost)
        if _writes_floats(out):
            raise _no_rule_error(name, " (and out= was given: nothing was written)")
    result = func(*_unwrap(args), **{k: _unwrap(v) for k, v in kwargs.items()})
    if needs_grad and _is_float(result):
        raise _no_rule_error(name, "")
    return result if out is None else _out_as_given(result, out)


def _writes_floats(out: Any) -> bool:
    """Whether ``out=`` would receive values that could carry a gradient."""
    targets = out if isinstance(out, tuple) else (out,)
    return any(isinstance(t, Node) or (isinstance(t, np.ndarray) and _is_float(t)) for t in targets)


def _out_as_given(result: Any, out: Any) -> Any:
    """numpy returns its out= targets; a Tensor given as one comes back as itself."""
    targets = out if isinstance(out, tuple) else (out,)
    results = result if isinstance(result, tuple) else (result,)
    pairs = zip(results, targets, strict=False)
    given = [t if isinstance(t, Node) and r is t.data else r for r, t in pairs]
    return tuple(given) if isinstance(result, tuple) else given[0]


def _no_rule_error(name: str, why: str) -> TypeError:
    return TypeError(
        f"numpy.{name} has no gradient rule in autograd_lite and an input requires grad{why}; "
        "use a registered op (see autograd_lite.list_ops()), register one, or pass "
        "tensor.data to compute without a gradient"
    )


def _unwrap(x: Any) -> Any:
    if isinstance(x, Node):
        return x.data
    if isinstance(x, (list, tuple)):
        return type(x)(_unwrap(y) for y in x)
    return x


def _is_float(result: Any) -> bool:
    if isinstance(result, (tuple, list)):  # np.split's parts, say, of unequal shapes
        return any(_is_float(r) for r in result)
    return np.asarray(result).dtype.kind in "fc"


class ArrayConversions:
    """How a Tensor reads as an array, a Python number, a sequence or text; comparisons give
    plain boolean arrays, since they have no gradient. (A mixin of Tensor: no fields.)"""

    __slots__ = ()
    data: np.ndarray
    requires_grad: bool
    name: str | None
    _op: Any
    __getitem__: Callable[..., Any]

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
                f"a Tensor of shape {self.data.shape} that requires grad was converted to an array "
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

    def __index__(self) -> int:
        """An integer 0-d tensor as an index (``seq[t]``, ``range(t)``), as numpy's."""
        return operator.index(self.data)

    def __contains__(self, value: Any) -> bool:
        """``value in t``: some element equals it, as numpy's ``in``."""
        return data_of(value) in self.data

    def __format__(self, spec: str) -> str:
        """A format spec formats a 0-d tensor's number (``f"{loss:.3f}"``), as numpy and
        PyTorch do; without one, the repr."""
        if spec and self.data.ndim == 0:
            return format(self.data.item(), spec)
        return super().__format__(spec)

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
