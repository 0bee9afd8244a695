"""Every registered op, from the table: forward against numpy, VJP against finite differences."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import autograd_lite as al
from autograd_lite.testing import SPECS, OpSpec, assert_gradients_close
from autograd_lite.testing.calls import Call
from autograd_lite.testing.checks import check_call
from autograd_lite.testing.layouts import strided

BUILTIN_OPS = set(al.list_ops())


def test_table_covers_every_registered_op():
    missing = BUILTIN_OPS - {spec.name for spec in SPECS}
    assert not missing, (
        f"ops without an entry in autograd_lite/testing/op_specs.py: {sorted(missing)}"
    )


def test_table_names_only_registered_ops():
    unknown = {spec.name for spec in SPECS} - BUILTIN_OPS
    assert not unknown, f"table entries for unregistered ops: {sorted(unknown)}"


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.name)
@given(data=st.data())
def test_forward_matches_numpy_reference(spec: OpSpec, data: st.DataObject) -> None:
    call = data.draw(spec.calls)
    out = al.get_op(spec.name)(*call.args, **call.attrs)
    expected = spec.reference(*call.args, **call.attrs)
    assert isinstance(out.data, np.ndarray)
    assert out.shape == np.shape(expected)
    np.testing.assert_allclose(out.data, expected, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.name)
@given(data=st.data(), seed=st.integers(0, 2**32 - 1))
def test_vjp_matches_finite_differences(spec: OpSpec, data: st.DataObject, seed: int) -> None:
    """check_op's properties (the checker users run on their own ops) for each drawn call:
    VJPs against central differences with a random upstream gradient, inputs and upstream
    gradient unchanged, float32 gradients for float32 inputs."""
    check_call(al.get_op(spec.name), data.draw(spec.calls), seed=seed)


# --- fixed layouts: every op, every layout, contiguous and strided ---------------------------
LAYOUTS = [(spec, call) for spec in SPECS for call in spec.layouts]
LAYOUT_IDS = [f"{spec.name}-{i}" for spec in SPECS for i in range(len(spec.layouts))]
# ops that numpy does not define on 0-d inputs
NO_0D = {"matmul", "linear", "cross_entropy", "concatenate", "cross"}
NO_0D |= {"inv", "det", "logabsdet", "solve", "cholesky", "eigh"}  # square matrices
NO_0D |= {"put_along_axis", "windows"}  # an axis to write along; two axes to slide over


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.name)
def test_every_op_has_fixed_layouts_of_every_kind(spec: OpSpec) -> None:
    arrays = [a for call in spec.layouts for a in call.args if isinstance(a, np.ndarray)]
    kinds = {
        "3+ dims": any(a.ndim >= 3 for a in arrays),
        "a size-0 dim": any(0 in a.shape for a in arrays),
        "a size-1 dim": any(1 in a.shape for a in arrays),
        "0-d": spec.name in NO_0D or any(a.ndim == 0 for a in arrays),
    }
    if any("axis" in call.attrs for call in spec.layouts):
        kinds["a non-last axis of 3+ dims"] = any(
            np.ndim(call.args[0]) >= 3
            and call.attrs["axis"] not in (None, -1, np.ndim(call.args[0]) - 1)
            for call in spec.layouts
        )
    missing = [kind for kind, present in kinds.items() if not present]
    assert not missing, f"{spec.name}: no fixed layout with {', '.join(missing)}"


EMPTY_MEAN = pytest.mark.filterwarnings("ignore::RuntimeWarning")  # numpy: a mean of nothing


@EMPTY_MEAN
@pytest.mark.parametrize("contiguous", [True, False], ids=["contiguous", "strided"])
@pytest.mark.parametrize("spec,call", LAYOUTS, ids=LAYOUT_IDS)
def test_fixed_layouts_forward_and_vjp(spec: OpSpec, call: Call, contiguous: bool) -> None:
    if not contiguous:
        call = Call(tuple(strided(a) for a in call.args), call.attrs, call.diff)
    op = al.get_op(spec.name)
    with np.errstate(invalid="ignore", divide="ignore"):  # a mean of nothing is NaN
        expected = spec.reference(*call.args, **call.attrs)
        np.testing.assert_allclose(
            op(*call.args, **call.attrs).data, expected, rtol=1e-12, atol=1e-12
        )
        check_call(op, call, seed=len(call.args))


@EMPTY_MEAN
@pytest.mark.parametrize("spec,call", LAYOUTS, ids=LAYOUT_IDS)
def test_vjp_and_jvp_functions_match_finite_differences(spec: OpSpec, call: Call) -> None:
    """The transforms' own derivatives, as HIPS autograd's check_grads: vjp_fn(v) and
    jvp(f, x, t) are checked in both of their arguments."""
    op = al.get_op(spec.name)
    n = len(call.diff)

    def f(*xs):
        it = iter(xs)
        return op(
            *[next(it) if i in call.diff else a for i, a in enumerate(call.args)], **call.attrs
        )

    primals = [call.args[i] for i in call.diff]
    out_shape = f(*primals).shape
    rng = np.random.default_rng(0)
    cotangent = rng.standard_normal(out_shape)
    tangents = [rng.standard_normal(np.shape(x)) for x in primals]

    def vjp_function(*xs_and_v):
        grads = al.vjp(f, *xs_and_v[:n])[1](xs_and_v[n])
        return al.concatenate([g.reshape(-1) for g in grads])

    def jvp_function(*xs_and_ts):
        return al.jvp(f, list(xs_and_ts[:n]), list(xs_and_ts[n:]))[1]

    with np.errstate(invalid="ignore", divide="ignore"):
        assert_gradients_close(vjp_function, *primals, cotangent)
        assert_gradients_close(jvp_function, *primals, *tangents)
