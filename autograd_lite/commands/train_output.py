"""The output directory of ``autograd-lite train``: made, cleared of a killed run's leftovers,
and committed to after every epoch so that its files always describe the same epoch.

After every epoch ``model.npz`` (which records its epoch and the metrics rows it goes with,
a ``training.json`` entry, see :mod:`autograd_lite.nn.checkpoint`) and ``metrics.csv`` are
written into a new hidden version folder and committed together by one rename
(:func:`autograd_lite.atomic_files.write_version`; the two names are links into the current
version), with Ctrl-C held off until it is done. So a Ctrl-C or a kill at any moment leaves
both files of one epoch. Any OSError (a full disk, say) becomes one line naming the file; the
files of the last committed epoch stay as they were.
"""

from __future__ import annotations

import contextlib
import csv
import io
import signal
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import FrameType
from typing import Any

from ..atomic_files import (
    CURRENT,
    interrupts_deferred,
    remove_leftovers,
    remove_stale_versions,
    write_version,
)
from ..cli import UsageError

WRITTEN = ("model.npz", "metrics.csv", "loss.png", "decision_boundary.png")


def make_out_dir(out: str | None, name: str) -> Path:
    """The output directory, created (with its parents) if it does not exist, without the
    temporary files a killed run left in it (reported on stdout)."""
    if out is None:
        path = Path("runs") / f"{name}-{time.strftime('%Y%m%d-%H%M%S')}"
        n = 1
        while path.exists():  # two runs in the same second
            n += 1
            path = path.with_name(f"{name}-{time.strftime('%Y%m%d-%H%M%S')}-{n}")
    else:
        path = Path(out)
    if path.exists() and not path.is_dir():
        raise UsageError(f"--out {path} is a file, not a directory")
    try:
        path.mkdir(parents=True, exist_ok=True)
        removed = remove_leftovers(path, (*WRITTEN, CURRENT)) + remove_stale_versions(path)
    except OSError as exc:
        raise UsageError(f"cannot create output directory {path}: {exc.strerror}") from None
    if removed:
        names = ", ".join(p.name for p in removed)
        print(
            f"removed {len(removed)} temporary file(s) an interrupted run left in {path}: {names}"
        )
    return path


class Run:
    """The files of one run in ``out``; ``committed`` is the epoch they describe (0: none)."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.committed = 0
        self.interrupt_requested = False

    @contextlib.contextmanager
    def catching_interrupts(self) -> Iterator[None]:
        """Ctrl-C raises KeyboardInterrupt as usual, except inside a finalizer (``__del__``):
        Python would print and drop it there, half-way through the finalizer. There it is only
        remembered, and :meth:`check_interrupt` raises it after the epoch."""
        if threading.current_thread() is not threading.main_thread():
            yield
            return

        def interrupted(number: int, frame: FrameType | None) -> None:
            self.interrupt_requested = True
            while frame is not None:
                if frame.f_code.co_name == "__del__":
                    return
                frame = frame.f_back
            raise KeyboardInterrupt

        previous = signal.signal(signal.SIGINT, interrupted)
        try:
            yield
        finally:
            signal.signal(signal.SIGINT, previous)

    def check_interrupt(self) -> None:
        """Raise the Ctrl-C that arrived where it could not be raised."""
        if self.interrupt_requested:
            raise KeyboardInterrupt

    def commit(self, model: Any, history: Sequence[Any]) -> None:
        """Replace model.npz and metrics.csv with those of the last epoch of ``history``."""
        from ..nn.checkpoint import checkpoint_bytes
        from ..training import EpochMetrics

        header = EpochMetrics.header()
        rows = [m.row() for m in history]
        epoch = history[-1].epoch
        record = {"epoch": epoch, "model": repr(model), "metrics": {"header": header, "rows": rows}}
        text = io.StringIO()
        writer = csv.writer(text, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
        files = [
            ("model.npz", checkpoint_bytes(model, record)),
            ("metrics.csv", text.getvalue().encode()),
        ]
        with interrupts_deferred():
            try:
                write_version(self.out, files)
            except OSError as exc:
                raise UsageError(self.write_failed(exc)) from None
            self.committed = epoch

    def write_failed(self, exc: OSError) -> str:
        """The one line for an OSError while writing: the file, the reason, what was kept."""
        reason = exc.strerror or str(exc)
        return f"cannot write {exc.filename}: {reason}; {self.kept()}"

    def kept(self) -> str:
        if self.committed == 0:
            return "no epoch was saved"
        return f"kept model.npz and metrics.csv of epoch {self.committed} in {self.out}"

    def interrupted(self, made_up_name: bool) -> int:
        """Report a Ctrl-C: what was kept, or remove the fresh output directory if nothing was."""
        if self.committed:
            print(f"autograd-lite train: interrupted; {self.kept()}", file=sys.stderr)
        else:
            for name in ("model.npz", "metrics.csv"):  # links made for a version never written
                link = self.out / name
                if link.is_symlink() and not link.exists():
                    link.unlink()
            if made_up_name and not any(self.out.iterdir()):
                self.out.rmdir()
            print("autograd-lite train: interrupted before the first epoch ended", file=sys.stderr)
        return 130
