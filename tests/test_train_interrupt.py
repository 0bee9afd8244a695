"""Real signals at random moments of ``autograd-lite train``: after a SIGINT or a SIGKILL the
checkpoint loads and describes the same epoch as metrics.csv, a SIGINT names that epoch and
leaves no temporary file, and the next run into the folder removes what a SIGKILL left.

A bounded loop: AL_INTERRUPT_TRIALS (default 2) runs of each signal, a few seconds in all;
run it by hand with more, e.g. ``AL_INTERRUPT_TRIALS=20 pytest tests/test_train_interrupt.py``.
"""

from __future__ import annotations

import csv
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from autograd_lite import nn
from autograd_lite.commands.train_output import make_out_dir
from autograd_lite.nn.checkpoint import read_record

TRIALS = int(os.environ.get("AL_INTERRUPT_TRIALS", "2"))
ROOT = Path(__file__).resolve().parents[1]


def start(out: Path) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "autograd_lite", "train", "--dataset", "moons"]
    command += ["--hidden", "8", "--epochs", "200", "--out", str(out)]
    env = {**os.environ, "PYTHONPATH": str(ROOT), "OPENBLAS_NUM_THREADS": "1"}
    return subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )


def interrupt(out: Path, signum: int, delay: float) -> tuple[int, str]:
    """Start a run, wait for its first epoch line and then ``delay`` seconds, send ``signum``;
    its exit code and stderr."""
    process = start(out)
    assert process.stdout is not None
    while "epoch " not in process.stdout.readline():
        assert process.poll() is None, process.stderr.read() if process.stderr else ""
    time.sleep(delay)
    process.send_signal(signum)
    _, err = process.communicate(timeout=60)
    return process.returncode, err


def state(out: Path) -> tuple[int, list[int], list[int]]:
    """The epoch model.npz records, the epochs of its record's rows, those of metrics.csv."""
    if not (out / "model.npz").exists():
        assert not (out / "metrics.csv").exists()
        return 0, [], []
    nn.load(nn.ThreeLayerNet(2, 8, 2), out / "model.npz")  # loads whole
    record = read_record(out / "model.npz")
    with open(out / "metrics.csv", newline="") as f:
        rows = [int(row["epoch"]) for row in csv.DictReader(f)]
    return record["epoch"], [row[0] for row in record["metrics"]["rows"]], rows


def temporaries(out: Path) -> list[str]:
    return sorted(p.name for p in out.glob(".*.tmp"))


@pytest.mark.parametrize("trial", range(TRIALS))
def test_sigint_at_a_random_moment_keeps_one_epoch_and_names_it(tmp_path, trial):
    out = tmp_path / "run"
    code, err = interrupt(out, signal.SIGINT, random.Random(trial).uniform(0, 0.5))
    epoch, recorded, rows = state(out)
    assert code == 130, err
    assert rows == recorded == list(range(1, epoch + 1))
    if epoch:
        assert err == (
            f"autograd-lite train: interrupted; kept model.npz and metrics.csv of epoch {epoch} "
            f"in {out}\n"
        )
    else:
        assert err == "autograd-lite train: interrupted before the first epoch ended\n"
    assert temporaries(out) == []


@pytest.mark.parametrize("trial", range(TRIALS))
def test_sigkill_at_a_random_moment_keeps_a_whole_epoch_and_the_next_run_cleans_up(tmp_path, trial):
    out = tmp_path / "run"
    code, _ = interrupt(out, signal.SIGKILL, random.Random(1000 + trial).uniform(0, 0.5))
    epoch, recorded, rows = state(out)
    assert code == -signal.SIGKILL
    # both files come from one version folder, switched by one rename: never split
    assert rows == recorded == list(range(1, epoch + 1))
    make_out_dir(str(out), "moons")  # what the next run into the folder does first
    assert temporaries(out) == []
    assert len(list(out.glob(".version-*"))) == (1 if epoch else 0)  # the current one
