"""``autograd-lite train`` against sizes over the limits, a full disk, a diverging learning
rate and a Ctrl-C during the commit: one line, exit 2 (or 130), and files that describe the
same epoch."""

from __future__ import annotations

import csv
import errno
import os
import signal
from pathlib import Path

import numpy as np

from autograd_lite import nn
from autograd_lite.cli import main
from autograd_lite.commands import train_models, train_output
from autograd_lite.nn.checkpoint import read_record

MOONS = ["train", "--dataset", "moons", "--hidden", "8"]


def epochs_in(out: Path) -> tuple[int, list[int]]:
    """The epoch model.npz records, and the epochs of the rows of metrics.csv."""
    with open(out / "metrics.csv", newline="") as f:
        rows = [int(row["epoch"]) for row in csv.DictReader(f)]
    return read_record(out / "model.npz")["epoch"], rows


def one_error_line(capsys) -> str:
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1, err
    return err[0]


def test_a_huge_hidden_layer_is_refused_before_anything_is_made(tmp_path, capsys):
    out = tmp_path / "run"
    assert main([*MOONS[:3], "--hidden", "100000000000", "--out", str(out)]) == 2
    assert one_error_line(capsys) == (
        "autograd-lite train: error: --hidden 100,000,000,000: the network 2-100000000000-2 "
        "would have 500,000,000,002 parameters, more than the limit of "
        f"{train_models.MAX_PARAMETERS:,}"
    )
    assert not out.exists()


def test_a_label_that_implies_a_billion_classes_is_refused_before_anything_is_made(
    tmp_path, capsys
):
    path = tmp_path / "labels.npz"
    np.savez(path, X=np.ones((4, 2)), y=np.array([0, 1, 0, 10**9]))
    out = tmp_path / "run"
    assert main(["train", "--data", str(path), "--out", str(out)]) == 2
    assert "at most 1,000 classes, found 1000000000" in one_error_line(capsys)
    assert not out.exists()


def test_the_checkpoint_records_the_epoch_and_the_metrics_it_goes_with(tmp_path):
    out = tmp_path / "run"
    assert main([*MOONS, "--epochs", "3", "--out", str(out)]) == 0
    assert epochs_in(out) == (3, [1, 2, 3])
    record = read_record(out / "model.npz")
    with open(out / "metrics.csv", newline="") as f:
        table = list(csv.reader(f))
    assert record["metrics"]["header"] == table[0]
    assert [[str(v) for v in row] for row in record["metrics"]["rows"]] == table[1:]


def test_a_full_disk_is_one_line_naming_the_file_and_the_last_epoch_stays(
    tmp_path, monkeypatch, capsys
):
    out = tmp_path / "run"
    real_fsync, calls = os.fsync, []

    def full_from_the_second_epoch(fd):
        calls.append(fd)
        if len(calls) > 2:  # the first epoch's two files were written
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", full_from_the_second_epoch)
    assert main([*MOONS, "--epochs", "3", "--out", str(out)]) == 2
    assert one_error_line(capsys) == (
        f"autograd-lite train: error: cannot write {out / 'model.npz'}: No space left on "
        f"device; kept model.npz and metrics.csv of epoch 1 in {out}"
    )
    assert epochs_in(out) == (1, [1])
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == [
        "metrics.csv",
        "model.npz",
    ]


def test_a_learning_rate_that_diverges_stops_at_the_first_nonfinite_loss(tmp_path, capsys):
    out = tmp_path / "run"
    assert main([*MOONS, "--epochs", "5", "--lr", "1e308", "--out", str(out)]) == 2
    line = one_error_line(capsys)
    assert line.startswith("autograd-lite train: error: the loss became nan in epoch 1 ")
    assert line.endswith("no epoch was saved; try a smaller --lr than 1e+308")
    assert not (out / "model.npz").exists()


def test_ctrl_c_during_the_commit_waits_for_both_files(tmp_path, monkeypatch, capsys):
    real_write, calls = train_output.write_version, []

    def interrupted_in_the_second_commit(folder, files):
        calls.append(1)
        if len(calls) == 2:
            os.kill(os.getpid(), signal.SIGINT)  # delivered before the files are written
        real_write(folder, files)

    monkeypatch.setattr(train_output, "write_version", interrupted_in_the_second_commit)
    out = tmp_path / "run"
    assert main([*MOONS, "--epochs", "5", "--out", str(out)]) == 130
    assert capsys.readouterr().err == (
        f"autograd-lite train: interrupted; kept model.npz and metrics.csv of epoch 2 in {out}\n"
    )
    assert epochs_in(out) == (2, [1, 2])
    nn.load(nn.ThreeLayerNet(2, 8, 2), out / "model.npz")
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == [
        "metrics.csv",
        "model.npz",
    ]


def test_the_next_run_removes_what_a_killed_run_left(tmp_path, capsys):
    out = tmp_path / "run"
    out.mkdir()
    left = out / ".model.npz.999999999-1.tmp"
    left.write_bytes(b"half a checkpoint")
    assert main([*MOONS, "--epochs", "1", "--out", str(out)]) == 0
    assert (
        f"removed 1 temporary file(s) an interrupted run left in {out}: {left.name}"
        in capsys.readouterr().out
    )
    assert not left.exists()


def test_ctrl_c_inside_a_finalizer_is_not_lost(tmp_path, monkeypatch, capsys):
    # Python prints and drops an exception raised in __del__; the command remembers the
    # Ctrl-C there and stops after the epoch instead.
    from autograd_lite import training

    real_train_epoch, calls = training.train_epoch, []

    class SendsCtrlC:
        def __del__(self):
            os.kill(os.getpid(), signal.SIGINT)
            sum(range(1000))  # the handler runs here, inside __del__

    def interrupted_by_a_finalizer_in_epoch_2(*args, **kwargs):
        calls.append(1)
        real_train_epoch(*args, **kwargs)
        if len(calls) == 2:
            SendsCtrlC()  # dropped at once: its __del__ runs now

    monkeypatch.setattr(training, "train_epoch", interrupted_by_a_finalizer_in_epoch_2)
    out = tmp_path / "run"
    assert main([*MOONS, "--epochs", "5", "--out", str(out)]) == 130
    assert capsys.readouterr().err == (
        f"autograd-lite train: interrupted; kept model.npz and metrics.csv of epoch 1 in {out}\n"
    )
    assert epochs_in(out) == (1, [1])
