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
    "reshape": lambda x, shape: x.reshape(shape),
    "transpose": lambda x, axes=None: x.permute(
        axes if axes is not None else tuple(range(x.ndim))[::-1]
    ),
    "broadcast_to": lambda x, shape: torch.broadcast_to(x, shape),
    "expand_dims": lambda x, axis: torch.unsqueeze(x, axis),
    "squeeze": lambda x, axis=None: x.squeeze() if axis is None else x.squeeze(axis),
    "concatenate": lambda *xs, axis=0: torch.cat(xs, axis),
    "stack": lambda *xs, axis=0: torch.stack(xs, axis),
    "getitem": _getitem,
}
# add_at's gradient is getitem's (tested above); torch has no one-call equivalent.
LAYOUTS = [(s.name, c) for s in SPECS if s.name in TORCH for c in s.layouts]


def test_every_op_but_add_at_has_a_torch_counterpart():
    assert {s.name for s in SPECS} - set(TORCH) == {"add_at"}


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
    np.testing.assert_allclose(out.data.reshape(torch_out.shape), torch_out.detach().numpy())
    if out.requires_grad and out.size:
        out.backward(g)
        torch_out.backward(torch.tensor(g.reshape(torch_out.shape)))
    for i in call.diff:
        expected = torch_args[i].grad
        expected = np.zeros(np.shape(args[i])) if expected is None else expected.numpy()
        got = leaves[i].grad if leaves[i].grad is not None else np.zeros(np.shape(args[i]))
        np.testing.assert_allclose(got, expected, rtol=1e-10, atol=1e-12, err_msg=f"input {i}")


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
