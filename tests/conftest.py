"""Shared test settings: the hypothesis profiles (one for CI, one for long local runs), and
the op_calls fixture (every op call recorded by name), and an op wrong only in float32."""

import os

import numpy as np
import pytest
from hypothesis import HealthCheck, settings

import autograd_lite as al
from autograd_lite.registry import Op

settings.register_profile(
    "ci",
    max_examples=30,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "thorough",
    max_examples=2000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture
def op_calls(monkeypatch):
    """Every op the command runs, recorded."""
    calls = []
    call = Op.__call__

    def recorded(self, *args, **attrs):
        calls.append(self.name)
        return call(self, *args, **attrs)

    monkeypatch.setattr(Op, "__call__", recorded)
    return calls


@pytest.fixture
def tanh_wrong_in_float32():
    """tanh whose rule is 3 times too large for float32 inputs only (found by a red team)."""

    @al.register("tanh_wrong_in_float32")
    def tanh_f32(x):
        return np.tanh(x)

    @tanh_f32.vjp
    def _(g, out, x):
        r = g * (1 - out**2)
        return r * 3 if x.dtype == np.float32 else r

    yield tanh_f32
    al.unregister("tanh_wrong_in_float32")
