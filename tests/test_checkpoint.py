"""Checkpoints: round trip, each unreadable or mismatched file, and interrupted saves."""

from __future__ import annotations

import re
import warnings
import zipfile

import numpy as np
import pytest

from autograd_lite import nn
from autograd_lite.nn import checkpoint


def make_net(seed: int) -> nn.ThreeLayerNet:
    return nn.ThreeLayerNet(5, 4, 3, rng=seed)


def assert_same_parameters(a: nn.Module, b: nn.Module) -> None:
    for (name, p), q in zip(a.named_parameters(), b.parameters(), strict=True):
        np.testing.assert_array_equal(p.data, q.data, err_msg=name)


def test_save_then_load_restores_every_parameter(tmp_path):
    path = tmp_path / "model.npz"
    source, target = make_net(0), make_net(1)
    nn.save(source, path)
    nn.load(target, path)
    assert_same_parameters(target, source)
    assert sorted(np.load(path).files) == ["W1", "W2", "b1", "b2"]  # plain numpy can read it
    assert [p.name for p in tmp_path.iterdir()] == ["model.npz"]  # no temporary left behind


def test_save_and_load_nested_dotted_names(tmp_path):
    path = tmp_path / "seq.npz"
    source = nn.Sequential(nn.Linear(2, 3, rng=0), nn.Tanh(), nn.Linear(3, 2, rng=1))
    target = nn.Sequential(nn.Linear(2, 3, rng=5), nn.Tanh(), nn.Linear(3, 2, rng=6))
    nn.save(source, path)
    nn.load(target, path)
    assert_same_parameters(target, source)


def test_a_truncated_file_names_the_path_and_the_problem(tmp_path):
    path = tmp_path / "model.npz"
    nn.save(make_net(0), path)
    path.write_bytes(path.read_bytes()[:200])
    with pytest.raises(nn.CheckpointError, match="not a readable .npz file") as info:
        nn.load(make_net(1), path)
    assert str(path) in str(info.value)


def test_a_file_that_is_not_npz_is_refused(tmp_path):
    path = tmp_path / "notes.npz"
    path.write_text("these are not arrays")
    with pytest.raises(nn.CheckpointError, match=f"{path} is not a readable .npz"):
        nn.load(make_net(0), path)


def test_a_single_npy_array_is_refused(tmp_path):
    path = tmp_path / "one.npy"
    np.save(path, np.zeros(3))
    with pytest.raises(nn.CheckpointError, match="single .npy array"):
        nn.load(make_net(0), path)


def test_pickled_object_arrays_are_never_loaded(tmp_path):
    path = tmp_path / "pickled.npz"
    np.savez(path, **make_net(0).state_dict(), extra=np.array([{"code": 1}], dtype=object))
    with pytest.raises(nn.CheckpointError, match=str(path)):
        nn.load(make_net(0), path)


def test_an_unexpected_key_is_named(tmp_path):
    path = tmp_path / "model.npz"
    np.savez(path, **make_net(0).state_dict(), W3=np.zeros(3))
    net = make_net(1)
    before = net.state_dict()
    with pytest.raises(nn.CheckpointError, match="unexpected W3") as info:
        nn.load(net, path)
    assert str(path) in str(info.value)
    for name, p in net.named_parameters():  # nothing was loaded
        np.testing.assert_array_equal(p.data, before[name])


def test_a_wrong_shape_is_named(tmp_path):
    path = tmp_path / "model.npz"
    nn.save(nn.ThreeLayerNet(5, 6, 3, rng=0), path)  # hidden 6, not 4
    with pytest.raises(nn.CheckpointError) as info:
        nn.load(make_net(1), path)
    assert "W1 has shape (5, 6), the module's has (5, 4)" in str(info.value)


def test_a_missing_key_is_named(tmp_path):
    path = tmp_path / "model.npz"
    state = make_net(0).state_dict()
    del state["b2"]
    np.savez(path, **state)
    with pytest.raises(nn.CheckpointError, match="missing b2"):
        nn.load(make_net(1), path)


def test_a_missing_file_is_named(tmp_path):
    path = tmp_path / "nowhere.npz"
    with pytest.raises(nn.CheckpointError, match=f"checkpoint {path} does not exist"):
        nn.load(make_net(0), path)


@pytest.mark.parametrize("interruption", [OSError("disk full"), KeyboardInterrupt()])
def test_an_interrupted_save_leaves_the_earlier_file_intact(tmp_path, monkeypatch, interruption):
    path = tmp_path / "model.npz"
    earlier = make_net(0)
    nn.save(earlier, path)
    calls = []

    def write_then_fail(member, array, allow_pickle):
        calls.append(1)
        member.write(b"\x93NUMPY half an array")
        if len(calls) == 2:  # fail in the middle: the first array is written
            raise interruption

    monkeypatch.setattr(checkpoint.np.lib.format, "write_array", write_then_fail)
    with pytest.raises(type(interruption)):
        nn.save(make_net(1), path)
    monkeypatch.undo()
    assert len(calls) == 2
    restored = make_net(2)
    nn.load(restored, path)
    assert_same_parameters(restored, earlier)
    assert [p.name for p in tmp_path.iterdir()] == ["model.npz"]  # the temporary is removed


@pytest.mark.parametrize(
    "array",
    [
        np.full((5, 4), "a"),
        np.zeros((5, 4), dtype=[("a", "f8")]),
        np.zeros((5, 4), dtype="datetime64[s]"),
        np.zeros((5, 4), dtype="timedelta64[s]"),
        np.ones((5, 4)) * (1 + 2j),
        np.full((5, 4), np.nan + 1j),
    ],
    ids=["string", "structured", "datetime", "timedelta", "complex", "complex nan"],
)
def test_an_entry_that_is_not_real_numbers_is_named_with_its_dtype(tmp_path, array):
    """numpy's isfinite ran first and raised its own TypeError for strings, records, dates."""
    path = tmp_path / "model.npz"
    np.savez(path, **{**make_net(0).state_dict(), "W1": array})
    net = make_net(1)
    before = net.state_dict()
    with pytest.raises(nn.CheckpointError) as info:
        nn.load(net, path, allow_nonfinite=True)
    assert str(info.value) == (
        f"checkpoint {path}: W1 holds {array.dtype} values; a checkpoint holds real numbers "
        "(bool, integer or floating point)"
    )
    with pytest.raises(nn.CheckpointError, match=re.escape(f"W1 holds {array.dtype} values")):
        nn.load(net, path)
    for name, p in net.named_parameters():
        np.testing.assert_array_equal(p.data, before[name])


def float32_net(seed: int) -> nn.ThreeLayerNet:
    net = make_net(seed)
    for p in net.parameters():
        p.data = p.data.astype(np.float32)
    return net


@pytest.mark.parametrize("value", [1e300, -3.5e38, 1e39])
@pytest.mark.parametrize("allow_nonfinite", [False, True])
def test_values_that_overflow_the_parameters_dtype_are_refused(tmp_path, value, allow_nonfinite):
    """1e300 loaded into a float32 parameter became inf with only numpy's warning."""
    path = tmp_path / "model.npz"
    state = make_net(0).state_dict()
    state["b2"][1] = value
    np.savez(path, **state)
    net = float32_net(1)
    before = net.state_dict()
    with warnings.catch_warnings(), pytest.raises(nn.CheckpointError) as info:
        warnings.simplefilter("error")  # numpy's overflow warning was all there was
        nn.load(net, path, allow_nonfinite=allow_nonfinite)
    assert str(info.value) == (
        f"checkpoint {path}: b2 holds 1 value(s) beyond the range of the parameter's dtype "
        f"float32 (largest magnitude {float(np.abs(state['b2']).max()):g}, float32 holds up to "
        f"{float(np.finfo(np.float32).max):g})"
    )
    for name, p in net.named_parameters():
        np.testing.assert_array_equal(p.data, before[name])
        assert p.data.dtype == np.float32


def test_large_values_that_fit_the_parameters_dtype_load(tmp_path):
    path = tmp_path / "model.npz"
    state = make_net(0).state_dict()
    state["b2"][:] = [1e300, -1e300, 3.4e38]
    np.savez(path, **state)
    wide = make_net(1)
    nn.load(wide, path)
    np.testing.assert_array_equal(wide.b2.data, [1e300, -1e300, 3.4e38])
    state["b2"][:] = [3.4e38, -3.4e38, np.inf]
    np.savez(path, **state)
    narrow = float32_net(1)
    nn.load(narrow, path, allow_nonfinite=True)  # an inf saved is an inf loaded
    assert narrow.b2.data.dtype == np.float32 and np.isinf(narrow.b2.data[2])
    assert np.isfinite(narrow.b2.data[:2]).all()


def test_a_record_nested_too_deeply_is_refused(tmp_path):
    """json's RecursionError escaped read_record (a training.json 100,000 lists deep)."""
    path = tmp_path / "model.npz"
    deep = b"[" * 100_000 + b"]" * 100_000
    path.write_bytes(checkpoint.archive_bytes(make_net(0).state_dict(), None))
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr(checkpoint.RECORD, deep)
    with pytest.raises(nn.CheckpointError) as info:
        checkpoint.read_record(path)
    assert str(info.value) == (
        f"checkpoint {path}: its training.json is nested too deeply to be a record"
    )
