"""detect_anomaly: the first NaN or Inf in forward or backward raises, naming op and line."""

from __future__ import annotations

import inspect

import numpy as np
import pytest

import autograd_lite as al


def test_detect_anomaly_names_the_forward_op_and_the_user_line():
    line = inspect.currentframe().f_lineno + 4
    with np.errstate(divide="ignore"):  # numpy's own warning; the anomaly is the point
        with al.detect_anomaly(), pytest.raises(al.AnomalyError) as info:
            x = al.tensor([1.0, 0.0], requires_grad=True)
            al.log(x)
    assert "'log'" in str(info.value) and f"test_anomaly.py:{line}" in str(info.value)


def test_detect_anomaly_names_the_rule_and_where_its_node_was_made():
    x = al.tensor([0.0, 4.0], requires_grad=True)
    with al.detect_anomaly():
        line = inspect.currentframe().f_lineno + 1
        y = al.sqrt(x).sum()
        with np.errstate(divide="ignore"), pytest.raises(al.AnomalyError) as info:
            y.backward()
    message = str(info.value)
    assert "'sqrt'" in message and f"test_anomaly.py:{line}" in message


def test_outside_detect_anomaly_nan_passes_silently_as_numpy():
    with np.errstate(divide="ignore"):
        assert np.isneginf(al.log(al.tensor([0.0])).data).all()
