"""Gradient checkers for tests: assert_gradients_close and check_op.

The finite-difference step and the tolerances used by every gradient test live here.
"""

from __future__ import annotations

import copy
import inspect
from collections.abc import Callable
from typing import Any

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from ..gradcheck import (
    GradcheckError,
    central_differences,
    check_float32,
    gradgradcheck,
    input_gradients,
    mismatches,
)
from ..node import data_of
from ..registry import Op, get_op
from ..tensor import Tensor
from .calls import Call
from .draws import binary, unary
from .layouts import strided
from .op_specs import SPEC_BY_NAME
from .strategies import SAFE_ELEMENTS

EPS = 1e-6  # the finite-difference step
ATOL = 1e-6  # absolute tolerance for analytic against numeric first derivatives
RTOL = 1e-5  # relative tolerance for the same
ATOL_2 = 1e-5  # the tolerances for second derivatives (differences of differences)
RTOL_2 = 1e-4
ROUNDING_MARGIN = 4  # times the finite differences' estimated rounding error (twice the worst)


def assert_gradients_close(
    f: Callable[..., Any],
    *inputs: Any,
    order: int = 1,
    seed: int = 0,
    atol: float | None = None,
    rtol: float | None = None,
) -> None:
    """Assert the engine's derivatives of ``f`` at ``inputs`` equal central differences.

    Every floating-point input is checked (at least one must be), against a random upstream
    gradient (never all ones, so a rule that ignores it fails); a float32 input at its float32
    value in float64, and then its float32 gradient against that float64 one. ``order=2``
    checks second derivatives too. The absolute tolerance of each element grows by its finite
    differences' own rounding error: about the sum of abs(g * f) * 1e-16 / eps over the
    outputs that element moves.

    >>> import autograd_lite as al
    >>> assert_gradients_close(lambda x, y: al.tanh(x) * y, [0.5, -1.0], [2.0, 3.0], order=2)
    """
    arrays_ = [np.array(x.data if isinstance(x, Tensor) else x, dtype=None) for x in inputs]
    float32 = [i for i, a in enumerate(arrays_) if a.dtype.kind == "f" and a.dtype != np.float64]
    if not any(a.dtype.kind == "f" for a in arrays_):
        found = ", ".join(str(a.dtype) for a in arrays_) or "no inputs"
        raise ValueError(
            f"assert_gradients_close: no floating-point input to check (inputs: {found}); give "
            "the inputs to differentiate as floats, e.g. [1.0, -2.0] rather than [1, -2]"
        )
    arrays_ = [a.astype(np.float64) if a.dtype.kind == "f" else a for a in arrays_]
    tensors = [
        _leaf(a, x) if a.dtype.kind == "f" else a for a, x in zip(arrays_, inputs, strict=True)
    ]
    out = f(*tensors)
    g = np.random.default_rng(seed).standard_normal(np.shape(out.data))
    gradients = input_gradients(out, g, tensors)  # in no .grad: f may close over parameters

    weights = np.abs(g * out.data)
    for i, t in enumerate(tensors):
        if not isinstance(t, Tensor):
            continue
        numeric, rounding = _numeric_vjp_and_rounding(f, arrays_, i, g, weights)
        tolerance = (ATOL if atol is None else atol) + rounding
        analytic = gradients[i] if gradients[i] is not None else np.zeros_like(numeric)
        if type(analytic) is not np.ndarray:
            hint = " (does reads= leave out an input a rule reads?)"
            raise AssertionError(
                f"gradient of input {i} is a {type(analytic).__name__}, not a numpy array"
                + (hint if isinstance(analytic, Tensor) else "")
            )
        bad = mismatches(analytic, numeric, tolerance, RTOL if rtol is None else rtol)
        if bad.any():
            j = tuple(int(k) for k in np.argwhere(bad)[0])
            largest = np.abs(analytic - numeric).max()
            raise AssertionError(
                f"gradient of input {i} at index {j}: analytic {analytic[j]!r}, "
                f"numeric {numeric[j]!r} (largest difference {largest:.3g})"
            )
    if float32:
        check_float32(f, arrays_, float32, seed, who="assert_gradients_close")
    if order >= 2:
        atol_2 = ATOL_2 if atol is None else atol
        rtol_2 = RTOL_2 if rtol is None else rtol
        try:
            gradgradcheck(f, arrays_, eps=EPS, atol=atol_2, rtol=rtol_2, seed=seed)
        except GradcheckError as exc:
            raise AssertionError(str(exc)) from None


def _numeric_vjp_and_rounding(
    f: Callable[..., Any], args: list[Any], i: int, g: np.ndarray, weights: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The central-difference VJP for input ``i`` and, per element, the rounding error of
    its difference quotients: eps * sum(abs(g out)) / EPS over the outputs that element moves
    (an output it does not move is computed alike both times: no error)."""
    x = np.array(args[i], dtype=np.float64)
    numeric, rounding = np.zeros_like(x), np.zeros_like(x)
    scale = ROUNDING_MARGIN * np.finfo(np.float64).eps / EPS
    for j, slope in central_differences(f, args, i, x, EPS):
        numeric[j] = np.sum(g * slope)
        rounding[j] = scale * weights[slope != 0].sum()
    return numeric, rounding


def _leaf(a: np.ndarray, given: Any) -> Tensor:
    """A leaf holding ``a``; non-contiguous when ``given`` was, so the ops see that layout."""
    t = Tensor(a, requires_grad=True)
    if isinstance(given, np.ndarray) and not given.flags.c_contiguous:
        t.data = strided(t.data)
    return t


def check_op(
    name_or_op: str | Op | Callable[..., Any],
    calls: st.SearchStrategy[Call] | None = None,
    elements: st.SearchStrategy[float] | None = None,
    order: int = 1,
    max_examples: int = 50,
) -> None:
    """Run the standard property tests on one registered op (yours too), or on any function
    of Tensors (a composite of ops).

    For each drawn call (its arrays contiguous or, drawn too, non-contiguous views of the same
    values): the VJP of every float input matches central differences with a
    random upstream gradient; the inputs are not mutated, and an op's rules write into none
    of what they are given (g, out, the inputs); float32 inputs give float32 gradients that
    agree with the float64 ones; with ``order=2`` second derivatives match too.
    Built-in ops draw their inputs from the project's op table; for another op or a
    function, give ``calls`` (a strategy of :class:`Call`) or let one- and two-input ones
    draw broadcastable float64 arrays from ``elements`` (default [-2, 2]); those draws leave
    the attributes (``axis``, ...) at their defaults, so draw other values with ``calls``.

    >>> import numpy as np, autograd_lite as al
    >>> @al.register("softplus_example")
    ... def softplus(x):
    ...     return np.logaddexp(0, x)
    >>> @softplus.vjp
    ... def _(g, out, x):
    ...     '''d softplus(x)/dx = sigmoid(x).'''
    ...     return g * al.get_op("sigmoid").in_rule(x)
    >>> check_op("softplus_example", max_examples=10)
    >>> al.unregister("softplus_example")
    """
    op = get_op(name_or_op) if isinstance(name_or_op, str) else name_or_op
    strategy = calls if calls is not None else _default_calls(op, elements)

    @settings(max_examples=max_examples, deadline=None, database=None)
    @given(call=strategy, seed=st.integers(0, 2**32 - 1), contiguous=st.booleans())
    def standard_properties(call: Call, seed: int, contiguous: bool) -> None:
        if not contiguous:  # the same values as non-contiguous views, as x.T or x[::2] give
            call = Call(tuple(strided(a) for a in call.args), call.attrs, call.diff)
        check_call(op, call, seed=seed, order=order)

    standard_properties()


def check_call(op: Callable[..., Any], call: Call, seed: int = 0, order: int = 1) -> None:
    """The standard properties of :func:`check_op`, for one call of ``op``."""
    frozen = copy.deepcopy(call.args)

    def f(*xs: Any) -> Any:
        it = iter(xs)
        return op(
            *[next(it) if i in call.diff else a for i, a in enumerate(call.args)], **call.attrs
        )

    assert_gradients_close(f, *[call.args[i] for i in call.diff], order=order, seed=seed)
    for before, after in zip(frozen, call.args, strict=True):
        np.testing.assert_array_equal(before, after, err_msg=f"{_name(op)} mutated an input")
    if isinstance(op, Op):
        _check_rules_write_nothing(op, call, seed)
    diff_args = [np.asarray(call.args[i], dtype=np.float64) for i in call.diff]
    positions = list(range(len(diff_args)))
    check_float32(f, diff_args, positions, seed, who=f"check_op of {_name(op)}")


def _name(op: Any) -> str:
    return str(getattr(op, "name", None) or getattr(op, "__name__", None) or repr(op))


def _check_rules_write_nothing(op: Op, call: Call, seed: int) -> None:
    """Each rule of ``op``, called directly with read-only g, out and inputs, writes into none
    of them (``Op.call_rule`` refuses a write). The engine cannot copy g for every rule: add
    gives its one g to both of its inputs' rules, so a rule writing into g would change the
    other input's gradient."""
    args = [Tensor(a, requires_grad=True) if i in call.diff else a for i, a in enumerate(call.args)]
    t = op(*args, **call.attrs)
    if t.op is None:
        return
    g = _read_only(np.random.default_rng(seed).standard_normal(t.shape))
    given = [_read_only(np.array(data_of(x))) for x in t.inputs]
    for i in call.diff:  # extra=None: the rule recomputes the forward's extra, as local_jacobian
        op.call_rule(i, g, _read_only(t.data.copy()), given, t.attrs, None)


def _read_only(a: np.ndarray) -> np.ndarray:
    a.flags.writeable = False
    return a


def _default_calls(
    op: Callable[..., Any], elements: st.SearchStrategy[float] | None
) -> st.SearchStrategy[Call]:
    spec = SPEC_BY_NAME.get(op.name) if isinstance(op, Op) else None
    if spec is not None and elements is None:
        return spec.calls
    elements = elements if elements is not None else SAFE_ELEMENTS
    if isinstance(op, Op):
        n_inputs = -1 if op.variadic else op.n_inputs
    else:
        params = inspect.signature(op).parameters.values()
        n_inputs = sum(p.default is p.empty and p.kind is p.POSITIONAL_OR_KEYWORD for p in params)
    if n_inputs == 1:
        return unary(elements)
    if n_inputs == 2:
        return binary(elements, elements)
    raise ValueError(
        f"check_op: {_name(op)!r} takes {n_inputs} inputs; pass calls=, a strategy of "
        "autograd_lite.testing.Call, to say how to draw them"
    )
