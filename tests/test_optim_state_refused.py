"""Optimizer state files holding what the optimizer would never hold: hyperparameters its
constructor refuses (found by a red-team run: lr -1, NaN or inf, betas of 1, eps < 0 all
loaded) and state arrays that are NaN, negative where they cannot be, complex or of another
dtype. Each is refused with a CheckpointError naming the file, the entry, what it holds and
what is allowed, and the optimizer is left as it was."""

from __future__ import annotations

import math
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import autograd_lite as al
from autograd_lite import nn, optim
from autograd_lite.archives import read_npz
from autograd_lite.nn.checkpoint import RECORD, archive_bytes, read_record

MAKE: dict[str, Callable[[list[al.Tensor]], optim.Optimizer]] = {
    "SGD": lambda ps: optim.SGD(ps, lr=0.1, momentum=0.9, nesterov=True),
    "Adam": lambda ps: optim.Adam(ps, lr=0.05),
    "AdamW": lambda ps: optim.AdamW(ps, lr=0.05),
    "RMSprop": lambda ps: optim.RMSprop(ps, lr=0.01, momentum=0.5),
}


def trained(kind: str, seed: int = 0) -> optim.Optimizer:
    """An optimizer of ``kind`` after two steps on (w * w).sum() for two parameters."""
    rng = np.random.default_rng(seed)
    params = [
        al.tensor(rng.normal(size=(3, 2)), requires_grad=True),
        al.tensor([1.0, -2.0], requires_grad=True),
    ]
    opt = MAKE[kind](params)
    for _ in range(2):
        opt.zero_grad()
        sum((p * p).sum() for p in params).backward()
        opt.step()
    return opt


def saved(kind: str, path: Path, change: Callable[[dict[str, Any], dict[str, Any]], None]) -> Path:
    """A file save_state wrote for a trained ``kind``, then ``change``d: it gets the arrays
    (by entry name, as ``state.0.m``) and the training record, and edits them in place."""
    optim.save_state(trained(kind), path)
    arrays, record = read_npz(path), read_record(path)
    change(arrays, record)
    path.write_bytes(archive_bytes(arrays, record))
    return path


def refused(opt: optim.Optimizer, path: Path) -> str:
    """The message load_state refuses ``path`` with, checking ``opt`` is left as it was."""
    before = opt.state_dict()
    with pytest.raises(nn.CheckpointError) as info:
        optim.load_state(opt, path)
    after = opt.state_dict()
    assert after["hyperparameters"] == before["hyperparameters"]
    for old, new in zip(before["state"], after["state"], strict=True):
        assert old.keys() == new.keys()
        for name in old:
            assert old[name].tobytes() == new[name].tobytes() and old[name].dtype == new[name].dtype
    return str(info.value)


def setting(key: str, value: Any) -> Callable[[dict[str, Any], dict[str, Any]], None]:
    return lambda arrays, record: record["hyperparameters"].__setitem__(key, value)


BAD_SETTINGS = [
    ("Adam", "lr", -1.0, "the learning rate must be > 0 and finite"),
    ("Adam", "lr", 0, "the learning rate must be > 0 and finite"),
    ("Adam", "lr", math.nan, "the learning rate must be > 0 and finite"),
    ("SGD", "lr", math.inf, "the learning rate must be > 0 and finite"),
    ("Adam", "betas", [1.0, 1.0], "betas must be two numbers, each in [0, 1)"),
    ("Adam", "betas", [0.9, 1.5], "betas must be two numbers, each in [0, 1)"),
    ("AdamW", "betas", [-0.1, 0.9], "betas must be two numbers, each in [0, 1)"),
    ("Adam", "eps", -1e-8, "eps must be > 0 and finite"),
    ("RMSprop", "eps", 0.0, "eps must be > 0 and finite"),
    ("Adam", "weight_decay", -1.0, "weight_decay must be >= 0 and finite"),
    ("AdamW", "decoupled_decay", math.inf, "weight_decay must be >= 0 and finite"),
    ("SGD", "momentum", 1.0, "momentum must lie in [0, 1)"),
    ("RMSprop", "momentum", -0.5, "momentum must lie in [0, 1)"),
    ("RMSprop", "alpha", 1.0, "alpha must lie in [0, 1)"),
]


@pytest.mark.parametrize(("kind", "key", "value", "allowed"), BAD_SETTINGS)
def test_a_setting_the_constructor_refuses_is_refused_from_the_file(
    kind, key, value, allowed, tmp_path
):
    path = saved(kind, tmp_path / "opt.npz", setting(key, value))
    message = refused(trained(kind, seed=1), path)
    assert message.startswith(
        f"optimizer state {path}: {kind}: the state's hyperparameters.{key}: {allowed}, got "
    )
    assert message.endswith(f"got {value}")


@pytest.mark.parametrize(("kind", "key", "value", "allowed"), BAD_SETTINGS)
def test_the_constructor_refuses_with_the_same_check(kind, key, value, allowed):
    """One check per setting: what the file is refused with is what the constructor says."""
    argument = {"decoupled_decay": "weight_decay"}.get(key, key)
    params = [al.tensor([1.0], requires_grad=True)]
    extra = {"momentum": 0.5} if kind == "SGD" and key == "lr" else {}
    given = {"lr": 0.1, **extra, argument: tuple(value) if isinstance(value, list) else value}
    with pytest.raises(ValueError, match=f"^{kind}: {re.escape(allowed)}, got "):
        getattr(optim, kind)(params, **given)


def test_nesterov_without_momentum_is_refused_from_the_file(tmp_path):
    path = saved("SGD", tmp_path / "opt.npz", setting("momentum", 0.0))
    assert refused(trained("SGD", seed=1), path) == (
        f"optimizer state {path}: SGD: the state's hyperparameters.nesterov: "
        "nesterov=True needs a momentum > 0, as in torch"
    )


def array(entry: str, value: np.ndarray) -> Callable[[dict[str, Any], dict[str, Any]], None]:
    return lambda arrays, record: arrays.__setitem__(entry, value)


BAD_ARRAYS = [
    ("Adam", "state.1.m", np.array([1 + 5j, 2 - 3j]), "is complex128 of shape (2,)"),
    ("Adam", "state.1.m", np.array([1.0, 2.0], np.float16), "is float16 of shape (2,)"),
    ("Adam", "state.1.v", np.array([1.0, 2.0], np.float32), "is float32 of shape (2,)"),
    ("RMSprop", "state.1.buffer", np.array([1j, 2j]), "is complex128 of shape (2,)"),
    ("SGD", "state.1.velocity", np.array([1, 2]), "is int64 of shape (2,)"),
    ("Adam", "state.1.m", np.array([np.nan, 1.0]), "holds 1 NaN or infinite value(s) of 2"),
    ("Adam", "state.1.v", np.array([np.nan, -1.0]), "holds 1 NaN or infinite value(s) of 2"),
    ("SGD", "state.1.velocity", np.array([np.inf, -np.inf]), "holds 2 NaN or infinite value"),
    ("RMSprop", "state.1.buffer", np.array([np.nan, 0.0]), "holds 1 NaN or infinite value"),
    ("Adam", "state.1.v", np.array([0.5, -1.0]), "holds 1 negative value(s), the least -1.0"),
    ("AdamW", "state.1.v", np.array([-2.0, -1.0]), "holds 2 negative value(s), the least -2.0"),
    ("RMSprop", "state.1.square_avg", np.array([-1e-3, 1.0]), "holds 1 negative value(s)"),
]
ALLOWED = {
    "is": "; it must be the parameter's dtype and shape, float64 of shape (2,)",
    "holds 1 NaN": "; it must be finite",
    "holds 2 NaN": "; it must be finite",
    "holds 1 negative": "; it must be >= 0 (a running mean of squared gradients)",
    "holds 2 negative": "; it must be >= 0 (a running mean of squared gradients)",
}


@pytest.mark.parametrize(("kind", "entry", "value", "found"), BAD_ARRAYS)
def test_a_state_array_the_optimizer_cannot_hold_is_refused(kind, entry, value, found, tmp_path):
    path = saved(kind, tmp_path / "opt.npz", array(entry, value))
    message = refused(trained(kind, seed=1), path)
    buffer = entry.rsplit(".", 1)[1]
    allowed = next(text for start, text in ALLOWED.items() if found.startswith(start))
    assert message.startswith(
        f"optimizer state {path}: {kind}: {entry}, the {buffer} of parameter 1, {found}"
    )
    assert message.endswith(allowed)


def test_load_state_dict_in_memory_refuses_the_same(tmp_path):
    opt = trained("Adam", seed=1)
    state = trained("Adam").state_dict()
    state["state"][0]["v"][0, 0] = -1.0
    before = opt.state_dict()
    with pytest.raises(ValueError, match=r"^Adam: state.0.v, the v of parameter 0, holds 1 neg"):
        opt.load_state_dict(state)
    state = trained("Adam").state_dict()
    state["hyperparameters"]["lr"] = -1.0
    with pytest.raises(ValueError, match=r"^Adam: the state's hyperparameters.lr: the learning"):
        opt.load_state_dict(state)
    assert opt.state_dict()["hyperparameters"] == before["hyperparameters"]
    assert all(
        (old[name] == new[name]).all()
        for old, new in zip(before["state"], opt.state_dict()["state"], strict=True)
        for name in old
    )


def test_a_good_file_still_loads_and_steps_as_the_first_run(tmp_path):
    for kind in MAKE:
        first = trained(kind)
        optim.save_state(first, tmp_path / "opt.npz")
        second = trained(kind, seed=1)
        optim.load_state(second, tmp_path / "opt.npz")
        assert second.state_dict()["hyperparameters"] == first.state_dict()["hyperparameters"]


def test_a_record_nested_too_deeply_is_refused(tmp_path):
    """json's RecursionError escaped load_state for a training.json 100,000 lists deep."""
    path = tmp_path / "opt.npz"
    optim.save_state(trained("Adam"), path)
    arrays = read_npz(path)
    path.write_bytes(archive_bytes(arrays, None))
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr(RECORD, b"[" * 100_000 + b"]" * 100_000)
    assert refused(trained("Adam", seed=1), path) == (
        f"checkpoint {path}: its training.json is nested too deeply to be a record"
    )
