"""Optional: every op's gradient at its fixed layouts, against PyTorch (float64, CPU).

Finite differences are the oracle CI runs; this differential check runs where torch is
installed (``pip install torch==2.13.0``, the CPU wheel) and is skipped elsewhere. It
checks conventions finite differences cannot see (powers at zero) and the layouts.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import autograd_lite as al
from autograd_lite.testing import SPECS
from autograd_lite.testing.calls import Call

torch = pytest.importorskip(
    "torch", reason="optional oracle, not installed: pip install torch==2.13.0 (CPU)"
)


def _dims(x: Any, axis: Any) -> Any:
    if axis is None:
        return tuple(range(x.ndim)) or 0
    return axis


def _index(index: Any) -> Any:
    if isinstance(index, tuple):
        return tuple(_index(i) for i in index)
    return torch.from_numpy(index) if isinstance(index, np.ndarray) else index


def _getitem(x: Any, index: Any) -> Any:
    if isinstance(index, tuple) and index == (Ellipsis, slice(None, None, -1)):
        return x.flip(-1)  # torch has no negative slice steps
    return x[_index(index)]


def _cross_entropy(z: Any, y: Any, axis: int = -1, reduction: str = "mean") -> Any:
    if z.ndim > 1:
        z = z.movedim(axis, 1)
        y = y.movedim(axis, 1) if y.ndim == z.ndim else y
    return torch.nn.functional.cross_entropy(z, y, reduction=reduction)


def _average(a: Any, weights: Any, axis: Any = None, keepdims: bool = False) -> Any:
    if a.ndim and weights.ndim == 1 and axis is not None:  # numpy's 1-d weights along axis
        shape = [1] * a.ndim
        shape[axis] = -1
        weights = weights.reshape(shape)
    dims = _dims(a, axis) if a.ndim else ()
    total = torch.sum(a * weights, dims, keepdims) if dims != () else a * weights
    return total / (torch.sum(weights.expand(a.shape), dims, keepdims) if dims != () else weights)


def _prod(x: Any, axis: Any = None, keepdims: bool = False) -> Any:
    if axis is None or x.ndim == 0:
        out = torch.prod(x)
        return out.reshape([1] * x.ndim) if keepdims else out
    for a in sorted([axis] if isinstance(axis, int) else axis, key=lambda a: -(a % x.ndim)):
        x = torch.prod(x, a, keepdims)
    return x


def _cholesky(x: Any, upper: bool = False) -> Any:
    # numpy reads one triangle; build the symmetric matrix from it, so torch's gradient lands
    # there as ours does
    if upper:
        sym = torch.triu(x) + torch.triu(x, 1).mT
        return torch.linalg.cholesky(sym, upper=True)
    return torch.linalg.cholesky(torch.tril(x) + torch.tril(x, -1).mT)


def _windows(x: Any, kernel: Any, stride: Any, dilation: Any) -> Any:
    (kh, kw), (sh, sw), (dh, dw) = kernel, stride, dilation
    spans = (dh * (kh - 1) + 1, dw * (kw - 1) + 1)
    out = x.unfold(-2, spans[0], sh).unfold(-2, spans[1], sw)  # (..., oh, ow, span_h, span_w)
    return out[..., ::dh, ::dw]


UNARY = {
    name: getattr(torch, name)
    for name in (
        "exp2 expm1 log2 log10 log1p square reciprocal floor ceil trunc round deg2rad rad2deg "
        "sin cos tan arcsin arccos arctan sinh cosh arcsinh arccosh arctanh erf sinc"
    ).split()
}
UNARY["cbrt"] = lambda x: torch.sign(x) * x.abs() ** (1 / 3)
BINARY = {
    "hypot": torch.hypot,
    "arctan2": torch.arctan2,
    "logaddexp": torch.logaddexp,
    "logaddexp2": torch.logaddexp2,
    "xlogy": torch.xlogy,
    "copysign": torch.copysign,
    "fmax": torch.fmax,
    "fmin": torch.fmin,
    "fmod": torch.fmod,
    "mod": torch.remainder,
}

TORCH = {
    "add": torch.add,
    "subtract": torch.sub,
    "multiply": torch.mul,
    "divide": torch.div,
    "negative": torch.neg,
    "power": torch.pow,
    "matmul": torch.matmul,
    "linear": lambda x, w, b: x @ w + b,
    "exp": torch.exp,
    "log": torch.log,
    "sqrt": torch.sqrt,
    "tanh": torch.tanh,
    "sigmoid": torch.sigmoid,
    "relu": torch.relu,
    "abs": torch.abs,
    "sign": torch.sign,
    "maximum": torch.maximum,
    "minimum": torch.minimum,
    "where": torch.where,
    "clip": lambda x, a_min=None, a_max=None: torch.clamp(x, a_min, a_max),
    "astype": lambda x, dtype=None: x * 1,
    "sum": lambda x, axis=None, keepdims=False: torch.sum(x, _dims(x, axis), keepdims),
    "mean": lambda x, axis=None, keepdims=False: torch.mean(x, _dims(x, axis), keepdims),
    "max": lambda x, axis=None, keepdims=False: torch.amax(x, _dims(x, axis), keepdims),
    "min": lambda x, axis=None, keepdims=False: torch.amin(x, _dims(x, axis), keepdims),
    "logsumexp": lambda x, axis=None, keepdims=False: torch.logsumexp(x, _dims(x, axis), keepdims),
    "softmax": lambda x, axis=-1: torch.softmax(x, axis),
    "log_softmax": lambda x, axis=-1: torch.log_softmax(x, axis),
    "cross_entropy": _cross_entropy,
    "binary_cross_entropy": lambda p, t: torch.nn.functional.binary_cross_entropy(
        *torch.broadcast_tensors(p, t), reduction="none"
    ),
    "reshape": lambda x, shape: x.reshape(shape),
    "transpose": lambda x, axes=None: x.permute(
        axes if axes is not None else tuple(range(x.ndim))[::-1]
    ),
    "broadcast_to": lambda x, shape: torch.broadcast_to(x, shape),
    "expand_dims": lambda x, axis: torch.unsqueeze(x, axis),
    "squeeze": lambda x, axis=None: x.squeeze() if axis is None else x.squeeze(axis),
    "concatenate": lambda *xs, axis=0: (
        torch.cat([x.reshape(-1) for x in xs]) if axis is None else torch.cat(xs, axis)
    ),
    "stack": lambda *xs, axis=0: torch.stack(xs, axis),
    "getitem": _getitem,
    **UNARY,
    **BINARY,
    "var": lambda x, axis=None, ddof=0, keepdims=False: torch.var(
        x, _dims(x, axis), correction=ddof, keepdim=keepdims
    ),
    "std": lambda x, axis=None, ddof=0, keepdims=False: torch.std(
        x, _dims(x, axis), correction=ddof, keepdim=keepdims
    ),
    "nansum": lambda x, axis=None, keepdims=False: torch.nansum(x, _dims(x, axis), keepdims),
    "nanmean": lambda x, axis=None, keepdims=False: torch.nanmean(x, _dims(x, axis), keepdims),
    "ptp": lambda x, axis=None, keepdims=False: (
        torch.amax(x, _dims(x, axis), keepdims) - torch.amin(x, _dims(x, axis), keepdims)
    ),
    "average": _average,
    "cumsum": lambda x, axis=None: torch.cumsum(x.reshape(-1) if axis is None else x, axis or 0),
    "cumprod": lambda x, axis=None: torch.cumprod(x.reshape(-1) if axis is None else x, axis or 0),
    "prod": _prod,
    "norm": lambda x, ord=2, axis=None, keepdims=False: torch.linalg.vector_norm(  # noqa: A006
        x, ord, _dims(x, axis), keepdims
    ),
    "sort": lambda x, axis=-1: (
        torch.sort(
            x.reshape(-1) if axis is None else x, dim=0 if axis is None else axis, stable=True
        ).values
    ),
    "einsum": lambda *xs, subscripts: torch.einsum(subscripts, *xs),
    "cross": lambda x, y, axis=-1: torch.linalg.cross(*torch.broadcast_tensors(x, y), dim=axis),
    "inv": torch.linalg.inv,
    "det": torch.linalg.det,
    "logabsdet": lambda x: torch.linalg.slogdet(x)[1],
    "solve": torch.linalg.solve,
    "cholesky": _cholesky,
    "nan_to_num": lambda x, nan=0.0, posinf=None, neginf=None: torch.nan_to_num(
        x, nan, posinf, neginf
    ),
    "put_along_axis": lambda x, v, indices, axis: torch.scatter(
        x, axis, torch.from_numpy(indices), v.expand(indices.shape)
    ),
    "windows": _windows,
}
# What torch cannot stand beside: add_at's gradient is getitem's (tested above) and torch has
# no one-call equivalent; eigh's eigenvectors are defined up to sign, which each library picks
# its own way; torch.floor_divide and torch.heaviside have no derivative.
WITHOUT_TORCH = {"add_at", "eigh", "floor_divide", "heaviside"}
# torch reads dim=() as every dim, so it has no reduction over no axes (numpy's axis=()).
LAYOUTS = [
    (s.name, c)
    for s in SPECS
    if s.name in TORCH
    for c in s.layouts
    if not (isinstance(c.attrs.get("axis"), tuple) and not c.attrs["axis"])
]
# At x = 1e-9 torch's sinc derivative is 0.0 (measured with torch 2.13); ours is the Taylor
# series there, -(pi^2 / 3) x = -3.3e-9, the true value.
GRADIENT_ATOL = {"sinc": 1e-8}


def test_every_op_has_a_torch_counterpart_or_a_reason_why_not():
    assert {s.name for s in SPECS} - set(TORCH) == WITHOUT_TORCH


def _compare(name: str, call: Call, args: list[Any]) -> None:
    leaves = [al.tensor(a, requires_grad=True) if i in call.diff else a for i, a in enumerate(args)]
    out = al.get_op(name)(*leaves, **call.attrs)
    g = np.random.default_rng(0).standard_normal(out.shape)
    torch_args = [
        torch.tensor(np.asarray(a), requires_grad=i in call.diff)
        if isinstance(a, (np.ndarray, np.generic))
        else a
        for i, a in enumerate(args)
    ]
    torch_out = TORCH[name](*torch_args, **call.attrs)
    np.testing.assert_allclose(  # atol: a cross product of parallel vectors is 0 or 1e-17
        out.data.reshape(torch_out.shape), torch_out.detach().numpy(), atol=1e-15
    )
    if out.requires_grad and out.size:
        out.backward(g)
        torch_out.backward(torch.tensor(g.reshape(torch_out.shape)))
    for i in call.diff:
        expected = torch_args[i].grad
        expected = np.zeros(np.shape(args[i])) if expected is None else expected.numpy()
        got = leaves[i].grad if leaves[i].grad is not None else np.zeros(np.shape(args[i]))
        atol = GRADIENT_ATOL.get(name, 1e-12)
        np.testing.assert_allclose(got, expected, rtol=1e-10, atol=atol, err_msg=f"input {i}")


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # a mean of nothing, as numpy
@pytest.mark.parametrize("name,call", LAYOUTS, ids=[f"{n}-{i}" for i, (n, _) in enumerate(LAYOUTS)])
def test_gradients_at_every_fixed_layout_match_torch(name: str, call: Call) -> None:
    _compare(name, call, list(call.args))


ZERO_POWERS = [
    (np.array([0.0, 0.0, 2.0]), np.array([0.0, 0.3, 0.0])),
    (np.array(0.0), np.array([0.0, 1.0, 2.5])),
    (np.array([0.0, 1.5, -2.0]), np.array(0.0)),
    (np.array([0.0, -1.0]), np.array(2.0)),
]


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # 0.3 * 0^-0.7 is a true infinity
@pytest.mark.parametrize("x,y", ZERO_POWERS)
def test_powers_at_zero_follow_torch(x, y):
    _compare("power", Call((x, y), {}, (0, 1)), [x, y])


def test_torch_reads_a_tensor_through_dlpack_and_refuses_one_that_requires_grad():
    plain = al.tensor([1.0, 2.0])
    for convert in (torch.from_dlpack, torch.asarray):
        np.testing.assert_array_equal(convert(plain).numpy(), [1.0, 2.0])
        with pytest.raises(TypeError, match="requires grad"):
            convert(al.tensor([1.0], requires_grad=True))
