"""``autograd-lite train``: its outputs are well formed, bad input exits 2 with one line,
Ctrl-C keeps the last epoch. Runs in-process through ``cli.main`` with few epochs, and once
through the real entry point in a subprocess."""

from __future__ import annotations

import csv
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from autograd_lite import data, nn, training
from autograd_lite.cli import main

ROOT = Path(__file__).resolve().parents[1]


def assert_png(path: Path) -> None:
    with Image.open(path) as image:
        assert image.format == "PNG"
        assert image.size[0] > 300 and image.size[1] > 300
        image.load()  # decodes every pixel: a truncated file fails here


def read_metrics(path: Path) -> list[dict[str, str]]:
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def test_a_digits_run_writes_a_checkpoint_metrics_and_curves(tmp_path, capsys):
    out = tmp_path / "run"
    assert main(["train", "--epochs", "3", "--out", str(out)]) == 0
    stdout = capsys.readouterr().out
    assert "digits: 1438 training and 359 test rows, 64 features, 10 classes" in stdout
    assert "network 64-64-10 (tanh), adam lr 0.01, batch size 32, 3 epochs" in stdout
    assert stdout.count("epoch ") == 3  # one line per epoch: stdout is not a terminal
    rows = read_metrics(out / "metrics.csv")
    assert [row["epoch"] for row in rows] == ["1", "2", "3"]
    assert list(rows[0]) == ["epoch", "train_loss", "train_accuracy", "test_accuracy"]
    last = rows[-1]
    assert 0 < float(last["train_loss"]) < 1 and 0.9 < float(last["test_accuracy"]) <= 1
    assert f"test accuracy {float(last['test_accuracy']):.2%}" in stdout
    assert_png(out / "loss.png")
    assert not (out / "decision_boundary.png").exists()  # digits have 64 features
    net = nn.ThreeLayerNet(64, 64, 10)
    nn.load(net, out / "model.npz")
    split, _ = data.standardize(data.train_test_split(*data.load_digits(), seed=0))
    _, accuracy = training.evaluate(net, split.X_test, split.y_test)
    assert accuracy == float(last["test_accuracy"])  # the checkpoint is the final model


@pytest.mark.parametrize(("dataset", "goal"), [("digits", 0.97), ("moons", 0.95)])
def test_the_default_run_reaches_its_stated_accuracy(tmp_path, dataset, goal):
    out = tmp_path / dataset
    assert main(["train", "--dataset", dataset, "--out", str(out)]) == 0
    assert float(read_metrics(out / "metrics.csv")[-1]["test_accuracy"]) >= goal


def test_a_moons_run_also_draws_the_decision_boundary(tmp_path, capsys):
    out = tmp_path / "moons"
    assert main(["train", "--dataset", "moons", "--epochs", "2", "--out", str(out)]) == 0
    assert len(read_metrics(out / "metrics.csv")) == 2
    assert_png(out / "loss.png")
    assert_png(out / "decision_boundary.png")
    assert "decision_boundary.png" in capsys.readouterr().out


def test_the_same_seed_gives_the_same_files(tmp_path):
    options = ["train", "--dataset", "moons", "--epochs", "2", "--seed", "5", "--optimizer", "sgd"]
    assert main([*options, "--out", str(tmp_path / "a")]) == 0
    assert main([*options, "--out", str(tmp_path / "b")]) == 0
    first = (tmp_path / "a" / "metrics.csv").read_bytes()
    assert first == (tmp_path / "b" / "metrics.csv").read_bytes()
    a, b = np.load(tmp_path / "a" / "model.npz"), np.load(tmp_path / "b" / "model.npz")
    assert all(np.array_equal(a[name], b[name]) for name in a.files)
    assert main([*options[:-4], "--seed", "6", "--out", str(tmp_path / "c")]) == 0
    assert (tmp_path / "c" / "metrics.csv").read_bytes() != first


def test_without_out_it_writes_under_runs_named_for_the_dataset(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["train", "--dataset", "moons", "--epochs", "1"]) == 0
    (run,) = (tmp_path / "runs").iterdir()
    assert run.name.startswith("moons-")
    assert sorted(p.name for p in run.iterdir() if not p.name.startswith(".")) == [
        "decision_boundary.png",
        "loss.png",
        "metrics.csv",
        "model.npz",
    ]


def test_users_own_data_file_trains(tmp_path, capsys):
    X, y = data.make_moons(300, noise=0.1, seed=0)
    path = tmp_path / "mine.npz"
    np.savez(path, X=X * 10, y=y)
    out = tmp_path / "out"
    assert main(["train", "--data", str(path), "--epochs", "3", "--out", str(out)]) == 0
    assert "mine: 240 training and 60 test rows, 2 features, 2 classes" in capsys.readouterr().out
    assert len(read_metrics(out / "metrics.csv")) == 3


def test_on_a_terminal_a_progress_bar_replaces_the_epoch_lines(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    out = tmp_path / "out"
    assert main(["train", "--dataset", "moons", "--epochs", "3", "--out", str(out)]) == 0
    stdout = capsys.readouterr().out
    assert "3/3" in stdout and "loss " in stdout and "epoch 1/3" not in stdout


def test_the_progress_bar_shows_each_epoch_s_loss_with_its_count(capsys, monkeypatch):
    import tqdm

    from autograd_lite.commands.train import _progress

    class EveryFrame(tqdm.tqdm):  # draws every update: no frame skipped for being too soon
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **{**kwargs, "mininterval": 0, "miniters": 1})

    monkeypatch.setattr(tqdm, "tqdm", EveryFrame)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    history = [training.EpochMetrics(k, 1.0 / k, 0.5, 0.5) for k in range(1, 5)]
    assert list(_progress(iter(history), 4)) == history
    frames = [f for f in re.split(r"[\r\n]", capsys.readouterr().out) if "/4" in f]
    shown = [
        (int(re.search(r"(\d)/4", f).group(1)), re.search(r"loss ([\d.]+)", f)) for f in frames
    ]
    assert {count for count, _ in shown} == {0, 1, 2, 3, 4}
    for count, loss in shown:
        if count == 0:  # the empty bar before the first epoch: no loss yet
            assert loss is None
        else:
            assert loss is not None and float(loss.group(1)) == round(1.0 / count, 4)


def bad_data_file(tmp_path: Path) -> str:
    path = tmp_path / "bad.npz"
    np.savez(path, X=np.ones((10, 2)))
    return str(path)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--dataset", "mnist"], "unknown dataset 'mnist'; choose digits or moons"),
        (["--lr", "0"], "--lr must be a positive number, got 0.0"),
        (["--lr", "-0.1"], "--lr must be a positive number, got -0.1"),
        (["--lr", "nan"], "--lr must be a positive number, got nan"),
        (["--epochs", "0"], "--epochs must be a positive integer, got 0"),
        (["--batch-size", "-4"], "--batch-size must be a positive integer, got -4"),
        (["--hidden", "0"], "--hidden must be a positive integer, got 0"),
        (["--optimizer", "rmsprop"], "unknown optimizer 'rmsprop'; choose adam, adamw or sgd"),
        (["--seed", "-1"], "--seed must be >= 0, got -1"),
        (["--dataset", "moons", "--data", "x.npz"], "give --dataset or --data, not both"),
        (["--data", "missing.npz"], "--data missing.npz: no such file"),
        (bad_data_file, "bad.npz: no array named y (found X)"),
        (["--model", "rnn"], "unknown model 'rnn'; choose mlp or cnn"),
        (["--model", "cnn", "--hidden", "8"], "--model cnn has no --hidden"),
        (["--model", "cnn", "--dataset", "moons"], "the data has 2 feature(s), not a square"),
    ],
)
def test_bad_input_exits_2_with_one_line_and_writes_nothing(tmp_path, capsys, options, message):
    if callable(options):
        options = ["--data", options(tmp_path)]
    before = sorted(tmp_path.iterdir())
    code = main(["train", "--epochs", "1", "--out", str(tmp_path / "out"), *options])
    captured = capsys.readouterr()
    assert code == 2
    assert captured.err.startswith("autograd-lite train: error: ")
    assert message in captured.err and captured.err.count("\n") == 1
    assert sorted(tmp_path.iterdir()) == before  # no output directory, no files


def test_an_out_path_that_is_a_file_exits_2(tmp_path, capsys):
    path = tmp_path / "taken"
    path.write_text("mine")
    assert main(["train", "--epochs", "1", "--out", str(path)]) == 2
    assert (
        capsys.readouterr().err
        == f"autograd-lite train: error: --out {path} is a file, not a directory\n"
    )
    assert path.read_text() == "mine"


def test_an_out_path_that_cannot_be_created_exits_2(tmp_path, capsys):
    (tmp_path / "file").write_text("")
    out = tmp_path / "file" / "run"
    assert main(["train", "--epochs", "1", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert (
        err
        == f"autograd-lite train: error: cannot create output directory {out}: Not a directory\n"
    )


def test_ctrl_c_keeps_the_last_completed_epoch(tmp_path, capsys, monkeypatch):
    real_train_epoch = training.train_epoch
    calls = []

    def interrupted_in_epoch_3(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise KeyboardInterrupt
        real_train_epoch(*args, **kwargs)

    monkeypatch.setattr(training, "train_epoch", interrupted_in_epoch_3)
    out = tmp_path / "out"
    assert main(["train", "--dataset", "moons", "--epochs", "10", "--out", str(out)]) == 130
    assert "interrupted; kept model.npz and metrics.csv of epoch 2" in capsys.readouterr().err
    assert [row["epoch"] for row in read_metrics(out / "metrics.csv")] == ["1", "2"]
    nn.load(nn.ThreeLayerNet(2, 64, 2), out / "model.npz")
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == [
        "metrics.csv",
        "model.npz",
    ]


def test_ctrl_c_before_the_first_epoch_leaves_no_run_directory(tmp_path, monkeypatch, capsys):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(training, "train_epoch", interrupted)
    monkeypatch.chdir(tmp_path)
    assert main(["train", "--dataset", "moons"]) == 130
    assert "before the first epoch ended" in capsys.readouterr().err
    assert list((tmp_path / "runs").iterdir()) == []


def test_the_real_entry_point_trains_and_reports_bad_input(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "autograd_lite", "train", "--dataset", "moons"]
    out = tmp_path / "out"
    done = subprocess.run(
        [*command, "--epochs", "2", "--out", str(out)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "test accuracy" in done.stdout and done.stderr == ""
    assert len(read_metrics(out / "metrics.csv")) == 2
    assert_png(out / "decision_boundary.png")
    bad = subprocess.run(
        [*command, "--lr", "-1"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60
    )
    assert bad.returncode == 2
    assert bad.stderr == "autograd-lite train: error: --lr must be a positive number, got -1.0\n"
