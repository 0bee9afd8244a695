"""gradcheck and gradgradcheck: analytic derivatives against central finite differences.

Both take finite differences in float64: a float32 one is too coarse to check anything.
A float32 input is checked at its float32 value in float64, and then its float32 gradient
is compared with that float64 gradient (:func:`check_float32`), so a rule wrong only in
float32 is caught too. The analytic Jacobian comes from the engine (one VJP per output
element); the numeric one perturbs one input element at a time.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from .engine import reverse_pass
from .functional import _vjp, jacobian
from .node import data_of
from .switches import no_grad
from .tensor import Tensor


class GradcheckError(AssertionError):
    """Analytic and numeric derivatives disagree; the message says where and by how much."""


def gradcheck(
    f: Callable[..., Any],
    inputs: Sequence[Any],
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
) -> bool:
    """Check the first derivatives of ``f`` at ``inputs``; True, or GradcheckError.

    Every floating-point input is checked (a float32 one also by :func:`check_float32`);
    other inputs (integer labels, say) are passed as they are, and at least one input must
    be floating-point. ``f`` may return a Tensor, an array or a tuple of them.

    >>> import autograd_lite as al
    >>> al.gradcheck(lambda x: al.softmax(x), [[0.5, -1.0, 2.0]])
    True
    """
    args, float32 = _float64_inputs(inputs, f, "gradcheck")
    checked = [i for i, a in enumerate(args) if a.dtype.kind == "f"]

    def flat(*xs: Any) -> Any:
        return _flatten(f(*xs))

    analytic = jacobian(flat, argnums=tuple(checked))(*args)
    numerics = [_numeric_jacobian(flat, args, i, eps) for i in checked]
    for j, i in enumerate(checked):
        _compare(analytic[j], numerics[j], i, atol, rtol, f"gradcheck of {_name(f)}: first")
    n_out = np.shape(analytic[0])[0]
    _check_random_cotangent(flat, args, checked, numerics, n_out, atol, rtol, _name(f))
    if float32:
        check_float32(flat, args, float32, who=f"gradcheck of {_name(f)}")
    return True


def _check_random_cotangent(
    flat: Callable[..., Any],
    args: list[np.ndarray],
    checked: list[int],
    numerics: list[np.ndarray],
    n_out: int,
    atol: float,
    rtol: float,
    name: str,
) -> None:
    """VJPs with a random cotangent v and with -v against v^T J from the numeric Jacobian:
    one-hot cotangents alone pass a rule that is not linear in g (|g|, max(g, 0) agree with g
    on them), though its gradient is wrong for any real upstream gradient."""
    v = np.random.default_rng(0).standard_normal(n_out)
    _, vjp_fn = _vjp(flat, args, tuple(checked))
    order = f"gradcheck of {name}: with a random upstream gradient (is the rule linear in g?),"
    scale = float(np.abs(v).sum())  # v^T J sums that many terms: so do the tolerances
    for cotangent in (v, -v):
        for j, (i, g) in enumerate(zip(checked, vjp_fn(cotangent), strict=True)):
            if not args[i].size:
                continue  # no element: nothing to compare
            numeric = np.tensordot(cotangent, numerics[j], axes=1)[None]  # one output: v^T J
            _compare(data_of(g)[None], numeric, i, atol * scale, rtol, f"{order} the first")


def gradgradcheck(
    f: Callable[..., Any],
    inputs: Sequence[Any],
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    seed: int = 0,
) -> bool:
    """Check the second derivatives of ``f`` at ``inputs``; True, or GradcheckError.

    The first derivative is taken as a VJP with a fixed random cotangent; its derivatives
    (from the recorded backward pass) are compared with its finite differences.

    >>> import autograd_lite as al
    >>> al.gradgradcheck(lambda x: al.tanh(x) * x, [[0.5, -1.0]])
    True
    """
    args, _ = _float64_inputs(inputs, f, "gradgradcheck")
    checked = tuple(i for i, a in enumerate(args) if a.dtype.kind == "f")
    with no_grad():
        out_shape = np.shape(data_of(_flatten(f(*[_as_tensor(a) for a in args]))))
    cotangent = np.random.default_rng(seed).standard_normal(out_shape)

    def first_derivative(*xs: Any) -> Any:
        _, vjp_fn = _vjp(lambda *ys: _flatten(f(*ys)), xs, checked)
        return vjp_fn(cotangent)

    first_derivative.__name__ = f"the first derivative of {_name(f)}"
    try:
        return gradcheck(first_derivative, args, eps=eps, atol=atol, rtol=rtol)
    except GradcheckError as exc:
        message = str(exc).replace("gradcheck of the first derivative of", "gradgradcheck of")
        raise GradcheckError(message.replace("first derivative", "second derivative")) from None


def _name(f: Callable[..., Any]) -> str:
    """An op's registered name, or a function's name."""
    return str(getattr(f, "name", None) or getattr(f, "__name__", None) or repr(f))


def _float64_inputs(
    inputs: Sequence[Any], f: Callable[..., Any], who: str
) -> tuple[list[np.ndarray], list[int]]:
    """The inputs as arrays, floating-point ones in float64; and which were float32.

    Raises when no input is floating-point: there would be nothing to check (as in
    torch.autograd.gradcheck, where some input must require grad)."""
    args = [np.array(x.data if isinstance(x, Tensor) else x) for x in inputs]
    if not any(a.dtype.kind == "f" for a in args):
        found = ", ".join(str(a.dtype) for a in args) or "no inputs"
        raise ValueError(
            f"{who} of {_name(f)}: no floating-point input to check (inputs: {found}); "
            "give the inputs to differentiate as floats, e.g. [1.0, -2.0] rather than [1, -2]"
        )
    float32 = [i for i, a in enumerate(args) if a.dtype.kind == "f" and a.dtype != np.float64]
    for i in float32:
        args[i] = args[i].astype(np.float64)
    return args, float32


FLOAT32_RTOL = 1e-3  # float32 against float64 gradients: about 8,000 of float32's rounding steps


def check_float32(
    f: Callable[..., Any],
    args: Sequence[Any],
    positions: Sequence[int],
    seed: int = 0,
    who: str = "check_float32",
) -> None:
    """The gradients of ``f`` for float32 inputs at ``positions`` (of the float64 ``args``)
    are float32 and agree with its float64 gradients at the same point; else GradcheckError.

    A rule wrong only in float32 (a constant of the wrong type, a cast, an overflow) slips
    past finite differences, which need float64. The tolerance allows float32's rounding,
    not a wrong rule: ``FLOAT32_RTOL`` relative to the entry, and to the largest entry of
    any of the gradients and of the upstream gradient (a zero gradient may be a difference
    of equal terms, which float32 leaves a rounding step apart).
    """
    point = [np.asarray(a, np.float32) if i in positions else a for i, a in enumerate(args)]
    at_float64 = [np.asarray(a, np.float64) if i in positions else a for i, a in enumerate(point)]
    in_float32, _ = _gradients(f, point, positions, seed)
    in_float64, upstream = _gradients(f, at_float64, positions, seed)
    scale = max([_largest_finite(g) for g in in_float64] + [_largest_finite(upstream)])
    for i, g32, g64 in zip(positions, in_float32, in_float64, strict=True):
        if g32.dtype != np.float32:
            raise GradcheckError(f"{who}: the gradient of float32 input {i} has dtype {g32.dtype}")
        bad = mismatches(g32.astype(np.float64), g64, FLOAT32_RTOL * scale, FLOAT32_RTOL)
        if bad.any():
            j = tuple(int(k) for k in np.argwhere(bad)[0])
            raise GradcheckError(
                f"{who}: the gradient of float32 input {i} at index {j} is {g32[j]:.8g}, but "
                f"{g64[j]:.8g} in float64 at the same point (the rule is wrong in float32?)"
            )


def _largest_finite(a: np.ndarray) -> float:
    finite = np.abs(a[np.isfinite(a)])
    return float(finite.max()) if finite.size else 0.0


def _gradients(
    f: Callable[..., Any], args: Sequence[Any], positions: Sequence[int], seed: int
) -> tuple[list[np.ndarray], np.ndarray]:
    """The gradients of ``sum(u * f(*args))`` for the inputs at ``positions`` (zeros where none
    flows), and u: a fixed random cotangent, never all ones, so a rule that ignores it fails."""
    inputs = [Tensor(a, requires_grad=True) if i in positions else a for i, a in enumerate(args)]
    out = _flatten(f(*inputs))
    upstream = np.random.default_rng(seed).standard_normal(np.shape(data_of(out)))
    grads = input_gradients(out, upstream, [inputs[i] for i in positions])
    zeros = [np.zeros_like(inputs[i].data) for i in positions]
    return [z if g is None else g for z, g in zip(zeros, grads, strict=True)], upstream


def input_gradients(out: Any, upstream: np.ndarray, inputs: Sequence[Any]) -> list[Any]:
    """What the reverse pass from ``out``, seeded with ``upstream``, sends each of ``inputs``
    (None where nothing flows), stored in no tensor's .grad and with the graph kept: a check
    leaves the parameters and the graph its function closes over as they were."""
    if not (isinstance(out, Tensor) and out.requires_grad):
        return [None] * len(inputs)
    seed = np.asarray(upstream).astype(out.dtype)
    found = reverse_pass([out], [seed], retain_graph=True)
    return [found.get(x) if isinstance(x, Tensor) else None for x in inputs]


def _flatten(out: Any) -> Any:
    """One flat vector from a Tensor, an array, or a tuple of them."""
    parts = out if isinstance(out, (tuple, list)) else (out,)
    if len(parts) == 1:  # an array is a constant: if f cut it from x, the numeric side says
        return parts[0].reshape(-1) if isinstance(parts[0], Tensor) else Tensor(np.ravel(parts[0]))
    from .ops import concatenate

    return concatenate(*[p.reshape(-1) if isinstance(p, Tensor) else np.ravel(p) for p in parts])


def numeric_vjp(
    f: Callable[..., Any], args: Sequence[Any], argnum: int, g: Any, eps: float = 1e-6
) -> np.ndarray:
    """``d sum(g * f(*args)) / d args[argnum]`` by central differences, element by element.

    >>> numeric_vjp(lambda x: x ** 2, [np.array([3.0])], 0, np.array([1.0])).round(6)
    array([6.])
    """
    x = np.array(args[argnum], dtype=np.float64)
    grad = np.zeros_like(x)
    for j, slope in central_differences(f, args, argnum, x, eps):
        grad[j] = np.sum(g * slope)
    return grad


def _numeric_jacobian(
    f: Callable[..., Any], args: list[np.ndarray], i: int, eps: float
) -> np.ndarray:
    x = args[i].copy()
    columns = [slope for _, slope in central_differences(f, args, i, x, eps)]
    n_out = columns[0].size if columns else 0
    return np.stack(columns, axis=-1).reshape((n_out, *x.shape)) if columns else np.zeros((0,))


def central_differences(
    f: Callable[..., Any], args: Sequence[Any], i: int, x: np.ndarray, eps: float
) -> Any:
    """For each element j of ``x`` (standing in for ``args[i]``): (f(x + eps e_j) -
    f(x - eps e_j)) / 2 eps, as a float64 array.

    ``f`` gets Tensors for the floating-point arguments, as in the analytic pass, so any
    Tensor method works in it; it runs under ``no_grad``, so nothing is recorded.
    """
    inputs = [_as_tensor(a) for a in args]
    perturbed = inputs[i] = _as_tensor(x)
    perturbed.data = x  # the Tensor reads x itself, which each step below perturbs
    with no_grad():
        for j in np.ndindex(x.shape):
            value = x[j]
            x[j] = value + eps
            # np.array copies: f may return a view of x (reshape does), which x[j] changes
            plus = np.array(data_of(f(*inputs)), dtype=np.float64)
            x[j] = value - eps
            minus = np.array(data_of(f(*inputs)), dtype=np.float64)
            x[j] = value
            yield j, (plus - minus) / (2 * eps)


def _as_tensor(a: Any) -> Any:
    """A floating-point array as a Tensor (as the analytic pass gives it); others unchanged."""
    if isinstance(a, np.ndarray) and a.dtype.kind == "f":
        return Tensor(a, requires_grad=True)
    return a


def mismatches(analytic: Any, numeric: Any, atol: Any, rtol: float) -> np.ndarray:
    """Where the analytic and numeric derivatives differ: by more than the tolerance, or
    by a NaN or an infinity on one side only (a NaN compared with ``>`` is never "more")."""
    with np.errstate(invalid="ignore"):
        close = np.abs(analytic - numeric) <= atol + rtol * np.abs(numeric)
    return ~(close | (analytic == numeric) | (np.isnan(analytic) & np.isnan(numeric)))


def _compare(
    analytic: Any, numeric: np.ndarray, i: int, atol: float, rtol: float, order: str
) -> None:
    # (a Tensor where f closes over tensors that require grad: its values are compared)
    analytic = np.asarray(data_of(analytic), dtype=np.float64).reshape(numeric.shape)
    diff = np.abs(analytic - numeric)
    bad = mismatches(analytic, numeric, atol, rtol)
    if not bad.any():
        return
    where = tuple(int(k) for k in np.argwhere(bad)[0])
    output_index, input_index = where[0], where[1:]
    relative = diff / np.maximum(np.abs(numeric), np.finfo(np.float64).tiny)
    raise GradcheckError(
        f"{order} derivative of output element {output_index} with respect to input {i} "
        f"at index {input_index}: analytic {analytic[where]:.8g}, numeric {numeric[where]:.8g}; "
        f"largest absolute difference {diff.max():.3g}, largest relative difference "
        f"{relative.max():.3g} (atol={atol}, rtol={rtol})"
    )
