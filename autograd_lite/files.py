"""Writing files so that an interrupted write never leaves half a file under its name.

Every file the project writes goes through :func:`write_together` (directly, or through its
shorthands :func:`write_atomically` and :func:`replaced_atomically`): the bytes go to a
temporary file in the same directory, which is flushed to disk and then renamed over the
final name with ``os.replace`` (atomic on POSIX and Windows). A symbolic link under the final
name is replaced by the new file, never written through, so a link cannot redirect a write
onto another file. If anything fails or the user presses Ctrl-C, the temporary files are
removed and whatever was under the final names before is still there, whole. Files that
belong together are all flushed before the first rename, and :func:`interrupts_deferred`
keeps a Ctrl-C from falling between the renames. A process killed outright (SIGKILL) cannot
remove its temporary file; :func:`remove_leftovers` clears such files in a later run.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import signal
import threading
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import BinaryIO

_TEMPORARY = re.compile(r"\.(?P<name>.+)\.(?P<pid>\d+)-\d+\.tmp")


def temporary_name(path: Path) -> Path:
    """Where :func:`replaced_atomically` writes before the rename: beside ``path``, hidden,
    named after the process and thread (so two writers never share one)."""
    return path.with_name(f".{path.name}.{os.getpid()}-{threading.get_ident()}.tmp")


@contextlib.contextmanager
def replaced_atomically(path: str | os.PathLike[str]) -> Iterator[BinaryIO]:
    """A binary file to write; it takes ``path``'s place (through :func:`write_together`)
    only if the block ends normally.

    >>> import tempfile
    >>> target = Path(tempfile.mkdtemp()) / "out.txt"
    >>> with replaced_atomically(target) as f:
    ...     _ = f.write(b"hello")
    >>> target.read_bytes()
    b'hello'
    """
    buffer = io.BytesIO()  # the files written are small (pictures, checkpoints, CSV)
    yield buffer
    write_together([(path, buffer.getvalue())])


def write_atomically(path: str | os.PathLike[str], content: bytes) -> None:
    """Write ``content`` to ``path`` through :func:`replaced_atomically`: whole or not at all.

    >>> import tempfile
    >>> target = Path(tempfile.mkdtemp()) / "out.txt"
    >>> write_atomically(target, b"hello")
    >>> target.read_bytes()
    b'hello'
    """
    write_together([(path, content)])


def write_together(files: Sequence[tuple[str | os.PathLike[str], bytes]]) -> None:
    """Write several files so that they change together as nearly as the file system allows:
    every temporary file is written and flushed to disk first (a failure there changes
    nothing), then they are renamed in the order given, back to back. Put the file that
    commits the others (a checkpoint that records its metrics) first. An OSError names the
    final path it was writing.
    """
    temporaries: list[tuple[Path, Path]] = []
    try:
        for target, content in files:
            path = Path(target)
            temporary = temporary_name(path)
            temporaries.append((temporary, path))
            try:
                # Opened as any file is ("x": never an existing one), so it gets the usual
                # permissions; mkstemp's would be private.
                with open(temporary, "xb") as f:
                    f.write(content)
                    f.flush()
                    os.fsync(f.fileno())
            except OSError as exc:
                exc.filename = str(path)
                raise
        for temporary, path in temporaries:
            try:
                os.replace(temporary, path)  # replaces a symlink itself, not its target
            except OSError as exc:
                exc.filename = str(path)
                raise
    except BaseException:
        for temporary, _ in temporaries:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
        raise
    for folder in dict.fromkeys(path.parent for _, path in temporaries):
        _sync_directory(folder)


@contextlib.contextmanager
def interrupts_deferred() -> Iterator[None]:
    """Hold a Ctrl-C (SIGINT) that arrives inside the block until the block has ended, so that
    files committed together are never split by it; then raise KeyboardInterrupt as usual.
    Only the main thread receives signals; elsewhere the block runs as it is."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda number, frame: received.append(number))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if received and previous is signal.default_int_handler:
        raise KeyboardInterrupt
    if received and callable(previous):
        previous(signal.SIGINT, None)


def remove_leftovers(folder: str | os.PathLike[str], names: Iterable[str]) -> list[Path]:
    """Remove the temporary files that a killed writer of ``names`` left in ``folder`` (those
    of processes no longer running); return what was removed.

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / ".model.npz.999999999-1.tmp").write_bytes(b"half")
    >>> [p.name for p in remove_leftovers(folder, ["model.npz"])]
    ['.model.npz.999999999-1.tmp']
    """
    wanted = set(names)
    removed = []
    for path in sorted(Path(folder).glob(".*.tmp")):
        match = _TEMPORARY.fullmatch(path.name)
        if match is None or match["name"] not in wanted or _running(int(match["pid"])):
            continue
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
            removed.append(path)
    return removed


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, OSError):
        return True  # someone else's process, or cannot tell: leave its file alone
    return True


def _sync_directory(folder: Path) -> None:
    """Flush the rename to disk too (POSIX); where a directory cannot be opened, skip it."""
    if not hasattr(os, "O_DIRECTORY"):
        return
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
