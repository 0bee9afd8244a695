"""Optimizer state: ``state_dict`` / ``load_state_dict`` in memory and ``save_state`` /
``load_state`` on disk resume training bit for bit; what does not fit is refused, naming the
file and the mismatch, and leaves the optimizer as it was."""

from __future__ import annotations

import zipfile
from collections.abc import Callable

import numpy as np
import pytest

import autograd_lite as al
from autograd_lite import nn, optim
from autograd_lite.nn.checkpoint import archive_bytes, read_record

OPTIMIZERS: dict[str, Callable[[list[al.Tensor]], optim.Optimizer]] = {
    "sgd": lambda ps: optim.SGD(ps, lr=0.1),
    "sgd-nesterov": lambda ps: optim.SGD(
        ps, lr=0.1, momentum=0.9, weight_decay=0.01, nesterov=True
    ),
    "adam": lambda ps: optim.Adam(ps, lr=0.05, betas=(0.8, 0.9), weight_decay=0.1),
    "adamw": lambda ps: optim.AdamW(ps, lr=0.05),
    "rmsprop": lambda ps: optim.RMSprop(ps, lr=0.01, alpha=0.9, weight_decay=0.05),
    "rmsprop-momentum": lambda ps: optim.RMSprop(ps, lr=0.01, momentum=0.8),
}


def parameters(seed: int = 0) -> list[al.Tensor]:
    rng = np.random.default_rng(seed)
    return [
        al.tensor(rng.normal(size=(3, 2)), requires_grad=True),
        al.tensor(rng.normal(size=2), requires_grad=True),
    ]


def train(opt: optim.Optimizer, steps: range, scheduler: optim.LRScheduler | None = None) -> None:
    """Least squares on a fresh batch per step (the same batch for the same step number)."""
    w, b = opt.params
    for step in steps:
        rng = np.random.default_rng(100 + step)
        x, y = rng.normal(size=(5, 3)), rng.normal(size=(5, 2))
        opt.zero_grad()
        (((x @ w + b) - y) ** 2).mean().backward()
        opt.step()
        if scheduler is not None:
            scheduler.step()


def same(a: object, b: object) -> bool:
    """Equal states, arrays compared bit for bit."""
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return (
            isinstance(a, np.ndarray)
            and isinstance(b, np.ndarray)
            and (a.dtype, a.shape, a.tobytes()) == (b.dtype, b.shape, b.tobytes())
        )
    return a == b


def resumed_run(name: str, tmp_path, load: bool) -> list[np.ndarray]:
    """3 steps, saved; then a new run (other start, other lr) loads them and takes 5 more."""
    first = OPTIMIZERS[name](parameters())
    schedule = optim.CosineWithWarmup(first, warmup_steps=2, total_steps=8, min_lr=1e-3)
    train(first, range(3), schedule)
    optim.save_state(first, tmp_path / "opt.npz", schedule)
    weights = [p.data.copy() for p in first.params]

    params = parameters(seed=1)
    for p, saved in zip(params, weights, strict=True):
        p.data = saved  # as nn.load would put a module's weights back
    second = OPTIMIZERS[name](params)
    second.lr = 0.5
    schedule = optim.CosineWithWarmup(second, warmup_steps=2, total_steps=8, min_lr=1e-3)
    if load:
        optim.load_state(second, tmp_path / "opt.npz", schedule)
    train(second, range(3, 8), schedule)
    return [p.data for p in second.params]


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_training_resumed_from_the_file_is_bit_identical(name, tmp_path):
    opt = OPTIMIZERS[name](parameters())
    train(opt, range(8), optim.CosineWithWarmup(opt, warmup_steps=2, total_steps=8, min_lr=1e-3))
    expected = [p.data for p in opt.params]

    resumed = resumed_run(name, tmp_path, load=True)
    assert all(same(a, b) for a, b in zip(resumed, expected, strict=True))
    # without the saved state the run goes elsewhere, so the comparison above could fail
    restarted = resumed_run(name, tmp_path, load=False)
    assert not all(np.array_equal(a, b) for a, b in zip(restarted, expected, strict=True))


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_state_dict_round_trips_in_memory_as_copies(name):
    opt = OPTIMIZERS[name](parameters())
    train(opt, range(2))
    state = opt.state_dict()
    kept = opt.state_dict()
    train(opt, range(2, 4))  # steps change the optimizer's buffers in place...
    assert same(state, kept)  # ...not the state handed out

    other = OPTIMIZERS[name](parameters(seed=3))
    other.load_state_dict(state)
    assert same(other.state_dict(), kept)
    for arrays in state["state"]:
        for array in arrays.values():
            array += 1  # nor does the loaded optimizer share the caller's arrays
    assert same(other.state_dict(), kept)


def test_sgd_velocity_not_made_yet_stays_unmade():
    a, b = parameters()
    opt = optim.SGD([a, b], lr=0.1, momentum=0.9)
    a.grad = np.ones((3, 2))
    opt.step()  # b had no gradient: no velocity yet
    state = opt.state_dict()
    assert sorted(state["state"][0]) == ["velocity"] and state["state"][1] == {}
    other = optim.SGD(parameters(seed=2), lr=0.1, momentum=0.9)
    other.load_state_dict(state)
    assert other.velocity[1] is None and np.array_equal(other.velocity[0], np.ones((3, 2)))


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_a_gradient_set_in_another_dtype_keeps_the_state_in_the_parameters(name):
    # a float64 .grad set by hand on a float32 parameter made SGD's velocity float64, and a
    # state the optimizer itself wrote was then refused on loading (its dtype must match)
    params = [al.tensor(np.ones((3, 2), np.float32), requires_grad=True)]
    opt = OPTIMIZERS[name](params)
    for _ in range(2):
        params[0].grad = np.full((3, 2), 0.5)  # float64
        opt.step()
    assert params[0].dtype == np.float32
    state = opt.state_dict()
    for buffers in state["state"]:
        for key, array in buffers.items():
            if key not in ("t",):
                assert array.dtype == np.float32, key
    again = OPTIMIZERS[name]([al.tensor(np.ones((3, 2), np.float32), requires_grad=True)])
    again.load_state_dict(state)


def test_the_file_is_numpys_npz_with_the_rest_in_training_json(tmp_path):
    opt = optim.Adam(parameters(), lr=0.02)
    schedule = optim.StepLR(opt, step_size=2, gamma=0.5)
    train(opt, range(3), schedule)
    path = tmp_path / "adam.npz"
    optim.save_state(opt, path, schedule)
    with np.load(path, allow_pickle=False) as archive:
        assert sorted(archive.files) == [
            "state.0.m", "state.0.t", "state.0.v", "state.1.m", "state.1.t", "state.1.v",
            "training.json",
        ]  # fmt: skip
        np.testing.assert_array_equal(archive["state.1.v"], opt.v[1])
        assert archive["state.1.t"].shape == () and archive["state.1.t"] == 3
    record = read_record(path)
    assert record["type"] == "Adam" and record["counters"] == {} and record["version"] == 2
    assert record["hyperparameters"] == {
        "lr": 0.01, "betas": [0.9, 0.999], "eps": 1e-8, "weight_decay": 0.0,
    }  # fmt: skip
    assert record["shapes"] == [[3, 2], [2]]
    assert record["scheduler"] == schedule.state_dict()
    assert [p.name for p in tmp_path.iterdir()] == ["adam.npz"]  # no temporary file left


def snapshot(opt: optim.Optimizer, schedule: optim.LRScheduler | None = None) -> object:
    return (opt.state_dict(), None if schedule is None else schedule.state_dict())


def test_another_parameter_count_or_shape_is_refused_naming_the_file(tmp_path):
    path = tmp_path / "opt.npz"
    saved = optim.Adam(parameters())
    train(saved, range(2))
    optim.save_state(saved, path)

    three = optim.Adam([*parameters(), al.tensor(np.zeros(4), requires_grad=True)])
    before = snapshot(three)
    with pytest.raises(nn.CheckpointError, match=r"opt.npz: Adam: the state is for 2 parameters"):
        optim.load_state(three, path)
    assert same(snapshot(three), before)

    w = al.tensor(np.zeros((3, 2)), requires_grad=True, name="w")
    other_shape = optim.Adam([w, al.tensor(np.zeros(3), requires_grad=True)])
    before = snapshot(other_shape)
    with pytest.raises(
        nn.CheckpointError, match=r"opt.npz: Adam: parameter 1 has shape \(3,\), the state's"
    ):
        optim.load_state(other_shape, path)
    assert same(snapshot(other_shape), before)


@pytest.mark.parametrize(
    ("write", "message"),
    [
        (lambda path: None, r"optimizer state .*missing.npz does not exist"),
        (lambda path: path.write_bytes(b"not a zip"), r"missing.npz: not a readable .npz"),
        (
            lambda path: nn.save(nn.Linear(3, 2, rng=0), path, record={"epoch": 1}),
            r"missing.npz: its training.json is not an optimizer's state \(a module checkpoint",
        ),
        (
            lambda path: optim.save_state(optim.SGD(parameters(), lr=0.1), path),
            r"missing.npz: Adam: the state is a 'SGD' optimizer's, not Adam's",
        ),
    ],
    ids=["no file", "not a zip", "module checkpoint", "another optimizer"],
)
def test_a_file_that_is_no_adam_state_is_refused(write, message, tmp_path):
    path = tmp_path / "missing.npz"
    write(path)
    opt = optim.Adam(parameters())
    train(opt, range(1))
    before = snapshot(opt)
    with pytest.raises(nn.CheckpointError, match=message):
        optim.load_state(opt, path)
    assert same(snapshot(opt), before)


def test_an_unexpected_entry_is_refused(tmp_path):
    path = tmp_path / "opt.npz"
    optim.save_state(optim.Adam(parameters()), path)
    with zipfile.ZipFile(path, "a") as archive, archive.open("state.2.m.npy", "w") as member:
        np.lib.format.write_array(member, np.zeros(2))
    with pytest.raises(nn.CheckpointError, match=r"unexpected entry state.2.m.npy .*for 2 param"):
        optim.load_state(optim.Adam(parameters()), path)


def test_a_scheduler_that_does_not_fit_leaves_both_unchanged(tmp_path):
    path = tmp_path / "opt.npz"
    saved = optim.SGD(parameters(), lr=0.1, momentum=0.5)
    step_lr = optim.StepLR(saved, step_size=1, gamma=0.5)
    train(saved, range(3), step_lr)
    optim.save_state(saved, path, step_lr)

    opt = optim.SGD(parameters(seed=4), lr=0.3, momentum=0.5)
    exponential = optim.ExponentialLR(opt, gamma=0.9)
    train(opt, range(1), exponential)
    before = snapshot(opt, exponential)
    with pytest.raises(nn.CheckpointError, match="ExponentialLR: the state is a 'StepLR'"):
        optim.load_state(opt, path, exponential)
    assert same(snapshot(opt, exponential), before)  # the optimizer's load was undone

    optim.save_state(saved, path)  # no scheduler this time
    with pytest.raises(nn.CheckpointError, match="opt.npz holds no scheduler state"):
        optim.load_state(opt, path, exponential)
    assert same(snapshot(opt, exponential), before)


def test_a_scheduler_of_another_optimizer_is_refused(tmp_path):
    opt, other = optim.SGD(parameters(), lr=0.1), optim.SGD(parameters(), lr=0.1)
    schedule = optim.StepLR(other, step_size=1)
    with pytest.raises(ValueError, match="save_state: the StepLR sets another optimizer's lr"):
        optim.save_state(opt, tmp_path / "opt.npz", schedule)
    assert not (tmp_path / "opt.npz").exists()
    optim.save_state(opt, tmp_path / "opt.npz")
    with pytest.raises(ValueError, match="load_state: the StepLR sets another optimizer's lr"):
        optim.load_state(opt, tmp_path / "opt.npz", schedule)


def broken(change: Callable[[dict], None]) -> dict:
    state = optim.Adam(parameters()).state_dict()
    change(state)
    return state


@pytest.mark.parametrize(
    ("state", "message"),
    [
        (broken(lambda s: s.pop("counters")), "a state dict has the keys"),
        (broken(lambda s: s["hyperparameters"].pop("eps")), r"hyperparameters are \['betas',"),
        (broken(lambda s: s["hyperparameters"].update(lr="fast")), "the state's lr is 'fast'"),
        (broken(lambda s: s["hyperparameters"].update(betas=[0.9])), "the state's betas is"),
        (broken(lambda s: s["counters"].update(t=3)), r"counters are \['t'\], expected \[\]"),
        (broken(lambda s: s["state"][0].update(t=np.array(-1))), "t of parameter 0, is -1"),
        (broken(lambda s: s["state"][1].update(t=np.array(2.0))), "t of parameter 1, is 2.0"),
        (broken(lambda s: s["state"][1].update(t=np.array([1, 2]))), r"t of .* is \[1 2\]"),
        (broken(lambda s: s["state"][0].update(t=True)), "0.t, the t of parameter 0, is True"),
        (broken(lambda s: s["state"][0].pop("t")), r"parameter 0 holds \['m', 'v'\], expected"),
        (broken(lambda s: s["state"][0].pop("v")), r"parameter 0 holds \['m', 't'\]"),
        (broken(lambda s: s["state"][1].update(m=np.zeros(3))), "1.m, the m of parameter 1, is"),
        (broken(lambda s: s["state"][1].update(v=np.zeros(2, int))), "is int64 of shape"),
        (broken(lambda s: s.update(shapes=None)), "shapes and state must be lists"),
    ],
)
def test_load_state_dict_refuses_what_does_not_fit_and_changes_nothing(state, message):
    opt = optim.Adam(parameters(seed=5), lr=0.3)
    train(opt, range(2))
    before = opt.state_dict()
    with pytest.raises(ValueError, match=message):
        opt.load_state_dict(state)
    assert same(opt.state_dict(), before)


@pytest.mark.parametrize("name", ["adam", "adamw"])
def test_adam_counts_the_steps_of_each_parameter_and_the_file_keeps_them(name, tmp_path):
    """A parameter without a gradient keeps its count (torch's state["step"]); a run resumed
    from the file goes on with each parameter's own count, bit for bit."""
    w, b = parameters()
    opt = OPTIMIZERS[name]([w, b])
    for step in range(3):
        w.grad, b.grad = np.ones((3, 2)), (np.ones(2) if step == 2 else None)
        opt.step()
    state = opt.state_dict()
    assert opt.t == [3, 1] and [int(entry["t"]) for entry in state["state"]] == [3, 1]
    optim.save_state(opt, tmp_path / "opt.npz")
    resumed = OPTIMIZERS[name]([al.tensor(p.data.copy(), requires_grad=True) for p in (w, b)])
    optim.load_state(resumed, tmp_path / "opt.npz")
    assert resumed.t == [3, 1] and same(resumed.state_dict(), state)
    train(opt, range(3, 5))
    train(resumed, range(3, 5))
    assert all(same(p.data, q.data) for p, q in zip(opt.params, resumed.params, strict=True))


def version_1_file(path, opt: optim.Optimizer, t: int | None) -> None:
    """The file save_state wrote before each parameter had its own count: Adam's one ``t``
    among the counters, and no state.<i>.t entries."""
    state = opt.state_dict()
    arrays = {
        f"state.{i}.{name}": array
        for i, entry in enumerate(state["state"])
        for name, array in entry.items()
        if name != "t"
    }
    record = {"format": "autograd_lite optimizer state", "version": 1}
    record.update((key, state[key]) for key in ("type", "hyperparameters", "shapes"))
    record["counters"] = {} if t is None else {"t": t}
    record["scheduler"] = None
    path.write_bytes(archive_bytes(arrays, record))


def test_a_version_1_file_gives_each_parameter_its_one_step_count(tmp_path):
    saved = optim.Adam(parameters(), lr=0.02)
    train(saved, range(3))  # every parameter had a gradient at every step: each count is 3
    version_1_file(tmp_path / "old.npz", saved, t=3)
    resumed = optim.Adam(parameters(seed=2))
    optim.load_state(resumed, tmp_path / "old.npz")
    assert resumed.t == [3, 3] and same(resumed.state_dict(), saved.state_dict())

    sgd = optim.SGD(parameters(), lr=0.1, momentum=0.9)
    train(sgd, range(2))
    version_1_file(tmp_path / "sgd.npz", sgd, t=None)  # nothing moved for SGD
    other = optim.SGD(parameters(seed=2), lr=0.1, momentum=0.9)
    optim.load_state(other, tmp_path / "sgd.npz")
    assert same(other.state_dict(), sgd.state_dict())


def test_a_file_of_an_unknown_version_is_refused(tmp_path):
    path = tmp_path / "opt.npz"
    opt = optim.Adam(parameters())
    optim.save_state(opt, path)
    record = read_record(path)
    record["version"] = 3
    path.write_bytes(archive_bytes({}, record))
    before = snapshot(opt)
    with pytest.raises(nn.CheckpointError, match=r"opt.npz: version 3, this reads 1 and 2"):
        optim.load_state(opt, path)
    assert same(snapshot(opt), before)
