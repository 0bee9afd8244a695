"""Shared test settings: the hypothesis profiles (one for CI, one for long local runs), and
the op_calls fixture (every op call recorded by name)."""

import os

import pytest
from hypothesis import HealthCheck, settings

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
