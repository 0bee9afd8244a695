"""Writing files so that an interrupted write never leaves half a file under its name.

Every file the project writes goes through :func:`write_together` (directly, or through its
shorthands :func:`write_atomically` and :func:`replaced_atomically`): the bytes go to a
temporary file in the same directory, which is flushed to disk and then renamed over the
final name with ``os.replace`` (atomic on POSIX and Windows). A symbolic link under the final
name is replaced by the new file, never written through, so a link cannot redirect a write
onto another file. If anything fails or the user presses Ctrl-C, the temporary files are
removed and whatever was under the final names before is still there, whole. Files that
belong together are all flushed before the first rename, and :func:`interrupts_deferred`
keeps a Ctrl-C from falling between the renames. A set that must change in one step even
under SIGKILL goes through :func:`write_version` (a new folder, then one rename of a link).
A process killed outright cannot remove its temporary files; :func:`remove_leftovers` and
:func:`remove_stale_versions` clear them in a later run.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
import signal
import threading
import time
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


CURRENT = ".current"  # the link that names the folder of a set's current version


def write_version(folder: str | os.PathLike[str], files: Sequence[tuple[str, bytes]]) -> None:
    """Replace a set of files in ``folder`` in one atomic step, whatever stops the process:
    they are written and flushed into a new hidden folder, then one rename points the link
    ``.current`` at it, and the version before is removed. Each file's name in ``folder`` is a
    link into ``.current``, made before the first version exists (so until then the names
    lead nowhere: there is no file, rather than one without the other). A kill at any moment
    leaves every file of the old version or every file of the new one; an OSError names the
    file it was writing and changes nothing.
    """
    folder = Path(folder)
    version = folder / f".version-{os.getpid()}-{time.monotonic_ns()}"
    try:
        version.mkdir()
        for name, content in files:
            try:
                with open(version / name, "xb") as f:
                    f.write(content)
                    f.flush()
                    os.fsync(f.fileno())
            except OSError as exc:
                exc.filename = str(folder / name)
                raise
        _sync_directory(version)
        for name, _ in files:
            link, target = folder / name, f"{CURRENT}/{name}"
            if not (link.is_symlink() and os.readlink(link) == target):
                _replace_with_link(link, target)
        current = folder / CURRENT
        previous = os.readlink(current) if current.is_symlink() else None
        _replace_with_link(current, version.name)  # the commit
    except BaseException:
        shutil.rmtree(version, ignore_errors=True)
        raise
    _sync_directory(folder)
    if previous is not None and previous != version.name:
        shutil.rmtree(folder / previous, ignore_errors=True)


def _replace_with_link(path: Path, target: str) -> None:
    """Put a symbolic link to ``target`` under ``path`` in one rename."""
    temporary = temporary_name(path)
    os.symlink(target, temporary)
    try:
        os.replace(temporary, path)
    except OSError as exc:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        exc.filename = str(path)
        raise


def remove_stale_versions(folder: str | os.PathLike[str]) -> list[Path]:
    """Remove the version folders of :func:`write_version` that ``.current`` does not name and
    whose writer is no longer running (a run killed mid-commit); return what was removed."""
    folder = Path(folder)
    current = folder / CURRENT
    keep = os.readlink(current) if current.is_symlink() else None
    removed = []
    for path in sorted(folder.glob(".version-*-*")):
        pid = path.name.split("-")[1]
        if path.name == keep or not pid.isdigit() or _running(int(pid)) or not path.is_dir():
            continue
        shutil.rmtree(path, ignore_errors=True)
        removed.append(path)
    return removed


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
