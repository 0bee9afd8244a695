"""numpy's functions called on Tensors as numpy reads their arguments: positional ones by
numpy's signature, and the keywords numpy takes that the Tensor versions do not named as the
user wrote them, with what to write instead."""

from __future__ import annotations

import functools
import inspect
import re
from typing import Any

# a ufunc's keywords: given any, a Tensor's ufunc call leaves the op (and its gradient) out
UFUNC_KEYWORDS = frozenset(
    "out where dtype casting order subok signature axes axis keepdims".split()
)
INSTEAD = {
    "out": "call it without out= and assign the result: y = np.{name}(...)",
    "dtype": "cast the result with .astype(dtype) instead of dtype=",
    "where": "choose the elements with al.where(mask, x, fill) instead of where=",
    "initial": "combine the result with the initial value afterwards (+ for a sum, "
    "al.maximum for a max) instead of initial=",
}
ALIASES = {"correction": "ddof", "min": "a_min", "max": "a_max"}  # numpy's other names


def keywords_lose_gradient(name: str, keywords: list[str]) -> TypeError:
    """The refusal of a ufunc call on a Tensor that requires grad with ``keywords``:
    only the plain call runs the registered op."""
    given = ", ".join(f"{k}=" for k in keywords)
    unwritten = " (nothing was written)" if "out" in keywords else ""
    return TypeError(
        f"numpy.{name} with {given} on a Tensor that requires grad: only the plain call "
        f"records the op, so the gradient would be lost{unwritten}; "
        + "; ".join(_instead(name, k, None) for k in keywords)
        + "; or call it under al.no_grad() for the values without a gradient"
    )


def call_as_numpy(func: Any, op: Any, args: Any, kwargs: Any) -> Any:
    """``op`` (numpy's ``func`` on Tensors) called as numpy's was: the positional arguments
    read by numpy's signature, and a keyword numpy takes that the op does not named so."""
    args, kwargs = numpy_positionals(func, op, args, kwargs)
    try:
        return op(*args, **kwargs)
    except TypeError as exc:  # a keyword numpy takes: named as numpy's, not the op's
        error = unsupported_keywords(func, op, kwargs, exc)
        if error is None:
            raise
        raise error from None


def numpy_positionals(func: Any, op: Any, args: Any, kwargs: Any) -> tuple[Any, Any]:
    """The arguments past the op's inputs, passed by position to numpy's ``func``, as keywords
    named by numpy's signature: ``np.sum(t, 0, None, None, True)`` is axis=0, dtype=None,
    out=None, keepdims=True, never keepdims=None. A keyword the op does not take is dropped
    when it holds numpy's default, and otherwise kept, for the op to refuse by name."""
    if len(args) < 2:
        return args, kwargs  # the common case: the input alone
    n_inputs = _n_inputs(op)
    params = _positional_params(func)
    if n_inputs is None or params is None or not n_inputs < len(args) <= len(params):
        return args, kwargs  # nothing past the inputs, or what numpy itself would refuse
    named = _named_parameters(op)
    kwargs = dict(kwargs)  # (numpy's dispatcher has refused a name given twice)
    for (name, default), value in zip(params[n_inputs:], args[n_inputs:], strict=False):
        at_default = value is default or (isinstance(default, str) and value == default)
        if name in named or not at_default:
            kwargs[name] = value
    return args[:n_inputs], kwargs


@functools.cache
def _positional_params(func: Any) -> tuple[tuple[str, Any], ...] | None:
    """numpy's positional parameters of ``func`` and their defaults; None without a signature."""
    try:
        params = inspect.signature(func).parameters.values()
    except (TypeError, ValueError):
        return None
    kinds = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    return tuple((p.name, p.default) for p in params if p.kind in kinds)


def _n_inputs(op: Any) -> int | None:
    """How many leading positional arguments are ``op``'s inputs; None for ``*xs``."""
    if hasattr(op, "n_inputs"):
        return None if op.variadic else op.n_inputs
    params = _positional_params(op)
    return None if params is None else sum(d is inspect.Parameter.empty for _, d in params)


def unsupported_keywords(func: Any, op: Any, kwargs: Any, exc: TypeError) -> TypeError | None:
    """The error for keywords a numpy function takes and its Tensor version ``op`` does not,
    named as the user wrote them (``exc`` named the op's forward); None for another error.

    >>> import numpy as np, autograd_lite as al
    >>> np.sum(al.tensor([1.0, 2.0]), dtype=np.float32)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    TypeError: numpy.sum on Tensors does not take dtype= (it takes axis=, keepdims=): ...
    """
    found = re.search(r"unexpected keyword argument '(\w+)'", str(exc))
    if found is None or found[1] not in kwargs:
        return None
    takes = _keywords_taken(op)
    unknown = [k for k in kwargs if takes is not None and k not in takes] or [found[1]]
    module = func.__module__ if func.__module__.startswith("numpy") else "numpy"
    taken = "" if takes is None else f" (it takes {', '.join(f'{k}=' for k in takes) or 'none'})"
    return TypeError(
        f"{module}.{func.__name__} on Tensors does not take "
        f"{', '.join(f'{k}=' for k in unknown)}{taken}: "
        + "; ".join(_instead(func.__name__, k, takes) for k in unknown)
        + "; or call numpy on t.data, which gives no gradient"
    )


def _keywords_taken(op: Any) -> tuple[str, ...] | None:
    """The keywords ``op`` takes: an Op's attributes, or a function's named parameters; None
    for a function that passes ``**kwargs`` on, unseen."""
    if not hasattr(op, "attr_names"):
        try:
            params = inspect.signature(op).parameters.values()
        except (TypeError, ValueError):
            return None
        if any(p.kind is p.VAR_KEYWORD for p in params):
            return None
    return _named_parameters(op)


@functools.cache
def _named_parameters(op: Any) -> tuple[str, ...]:
    """The parameters ``op`` names: an Op's attributes, a function's named parameters (not
    ``*args``, ``**kwargs``); none for a function without a signature."""
    if hasattr(op, "attr_names"):
        return tuple(op.attr_names)
    try:
        params = inspect.signature(op).parameters.values()
    except (TypeError, ValueError):
        return ()
    return tuple(p.name for p in params if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY))


def _instead(name: str, keyword: str, takes: tuple[str, ...] | None) -> str:
    alias = ALIASES.get(keyword)
    if alias is not None and takes is not None and alias in takes:
        return f"pass {alias}= for {keyword}= (numpy's other name for it)"
    if keyword in INSTEAD:
        return INSTEAD[keyword].format(name=name)
    return f"call it without {keyword}="
