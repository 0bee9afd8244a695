"""A wall-clock limit for a command: the work in the block is stopped when time runs out.

Inside :func:`deadline` a ``SIGALRM`` timer raises :class:`TimedOut` in the main thread when
the seconds are up; it is a BaseException, as KeyboardInterrupt is, so no ``except
Exception`` in the engine swallows it. Python handles the signal between bytecodes, so a
single numpy call finishes first (the work budget keeps each call short). A subprocess gets
what is left with :meth:`Deadline.remaining` as its own timeout, and is killed when it
expires. Off the main thread, or where there is no ``SIGALRM`` (Windows), only the
subprocess timeouts apply.
"""

from __future__ import annotations

import contextlib
import signal
import threading
import time
from collections.abc import Iterator


class TimedOut(BaseException):
    """The deadline passed; raised where the work was."""


class Deadline:
    """The time left of a :func:`deadline` block."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.end = time.monotonic() + seconds

    def remaining(self) -> float:
        """Seconds left (at least a millisecond, so it can be given as a timeout)."""
        return max(self.end - time.monotonic(), 0.001)


@contextlib.contextmanager
def deadline(seconds: float) -> Iterator[Deadline]:
    """Raise :class:`TimedOut` in the block once ``seconds`` of wall-clock time have passed.

    >>> try:
    ...     with deadline(0.05):
    ...         while True:
    ...             pass
    ... except TimedOut:
    ...     print("stopped")
    stopped
    """
    clock = Deadline(seconds)
    usable = hasattr(signal, "SIGALRM") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield clock
        return

    def expire(number: int, frame: object) -> None:
        raise TimedOut

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield clock
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
