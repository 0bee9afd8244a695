"""Writing a file so that an interrupted write never leaves half a file under its name.

Every file the project writes goes through :func:`replaced_atomically` (or its shorthand
:func:`write_atomically`): the bytes go to a temporary file in the same directory, which is
flushed to disk and then renamed over the final name with ``os.replace`` (atomic on POSIX and
Windows). A symbolic link under the final name is replaced by the new file, never written
through, so a link cannot redirect a write onto another file. If anything fails or the user
presses Ctrl-C, the temporary file is removed and whatever was under the final name before
is still there, whole. A process killed outright (SIGKILL) cannot remove its temporary file;
:func:`remove_leftovers` clears such files in a later run.
"""

from __future__ import annotations

import contextlib
import os
import re
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

_TEMPORARY = re.compile(r"\.(?P<name>.+)\.(?P<pid>\d+)-\d+\.tmp")


def temporary_name(path: Path) -> Path:
    """Where :func:`replaced_atomically` writes before the rename: beside ``path``, hidden,
    named after the process and thread (so two writers never share one)."""
    return path.with_name(f".{path.name}.{os.getpid()}-{threading.get_ident()}.tmp")


@contextlib.contextmanager
def replaced_atomically(path: str | os.PathLike[str]) -> Iterator[BinaryIO]:
    """A binary file to write; it takes ``path``'s place only if the block ends normally.

    >>> import tempfile
    >>> target = Path(tempfile.mkdtemp()) / "out.txt"
    >>> with replaced_atomically(target) as f:
    ...     _ = f.write(b"hello")
    >>> target.read_bytes()
    b'hello'
    """
    path = Path(path)
    temporary = temporary_name(path)
    try:
        # Opened as any file is ("x": never an existing one), so it gets the usual
        # permissions; mkstemp's would be private.
        with open(temporary, "xb") as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.replace(temporary, path)  # replaces a symlink itself, not its target
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
    _sync_directory(path.parent)


def write_atomically(path: str | os.PathLike[str], content: bytes) -> None:
    """Write ``content`` to ``path`` through :func:`replaced_atomically`: whole or not at all.

    >>> import tempfile
    >>> target = Path(tempfile.mkdtemp()) / "out.txt"
    >>> write_atomically(target, b"hello")
    >>> target.read_bytes()
    b'hello'
    """
    with replaced_atomically(path) as f:
        f.write(content)


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
