"""Reading a ``.npz`` archive (numpy's zip of ``.npy`` arrays) within a limit on memory.

``np.load`` trusts the file: an array header that claims 10^12 rows makes it ask for terabytes,
and a small zip that inflates to gigabytes is inflated into memory. :func:`read_npz` reads the
sizes the archive declares first (each entry's uncompressed size from the zip directory, and
the shape and dtype from each ``.npy`` header), refuses what is over the limit or does not
add up, and only then reads, in chunks, into arrays of the declared size. The zip reader stops
at the declared size, so a lying zip directory cannot inflate past it either. Pickled object
arrays are refused, so reading never runs code. Both the data files of ``autograd-lite train
--data`` and checkpoints are read through here.
"""

from __future__ import annotations

import math
import os
import zipfile
import zlib
from pathlib import Path
from typing import IO, Literal

import numpy as np

MAX_BYTES = 256 * 2**20  # all the arrays of one archive together, uncompressed
MAX_ENTRIES = 10_000
_CHUNK = 2**20
_NPY_MAGIC = b"\x93NUMPY"

Kind = Literal["unreadable", "single array", "bad entry", "too large"]


class ArchiveError(ValueError):
    """An archive that cannot be read safely. ``kind`` says which problem: "unreadable" (not a
    zip, truncated), "single array" (a ``.npy`` file, not ``.npz``), "bad entry" (one array
    is corrupt, pickled, or its header does not match its size), "too large" (over the limit)."""

    def __init__(self, kind: Kind, message: str) -> None:
        super().__init__(message)
        self.kind = kind


def read_npz(
    path: str | os.PathLike[str], names: list[str] | None = None, max_bytes: int = MAX_BYTES
) -> dict[str, np.ndarray]:
    """The ``.npy`` arrays of the archive at ``path`` (only ``names`` if given, when present),
    checked against ``max_bytes`` for all of them together before anything is read.

    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "a.npz"
    >>> np.savez(path, x=np.arange(3))
    >>> read_npz(path)["x"].tolist()
    [0, 1, 2]
    >>> try:
    ...     read_npz(path, max_bytes=8)
    ... except ArchiveError as exc:
    ...     print(exc.kind)
    too large
    """
    path = Path(path)
    try:
        with open(path, "rb") as f:
            if f.read(len(_NPY_MAGIC)) == _NPY_MAGIC:
                raise ArchiveError("single array", "a single .npy array, not a .npz archive")
        with zipfile.ZipFile(path) as archive:
            return _read_entries(archive, names, max_bytes)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError) as exc:
        raise ArchiveError("unreadable", f"not a readable .npz file: {_text(exc)}") from None


def _read_entries(
    archive: zipfile.ZipFile, names: list[str] | None, max_bytes: int
) -> dict[str, np.ndarray]:
    entries = archive.infolist()
    if len(entries) > MAX_ENTRIES:
        raise ArchiveError("too large", f"{len(entries):,} entries (at most {MAX_ENTRIES:,})")
    chosen = [  # the arrays; other entries (a checkpoint's training record) are not read here
        e for e in entries if e.filename.endswith(".npy") and (names is None or _name(e) in names)
    ]
    total = 0
    for entry in chosen:  # the zip directory's sizes, before anything is inflated
        total += entry.file_size
        if total > max_bytes:
            raise ArchiveError(
                "too large",
                f"entry {_name(entry)} holds {entry.file_size:,} bytes uncompressed, more than "
                f"the limit of {max_bytes:,} bytes for the whole file",
            )
    arrays = {}
    for entry in chosen:
        try:
            with archive.open(entry) as member:
                arrays[_name(entry)] = _read_array(member, entry)
        except (ValueError, zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
            if isinstance(exc, ArchiveError):
                raise
            raise ArchiveError(
                "bad entry", f"entry {_name(entry)} is corrupt: {_text(exc)}"
            ) from None
    return arrays


def _read_array(member: IO[bytes], entry: zipfile.ZipInfo) -> np.ndarray:
    """One ``.npy`` entry: its header checked against the entry's size, then its data."""
    name = _name(entry)
    version = np.lib.format.read_magic(member)
    if version == (1, 0):
        shape, fortran, dtype = np.lib.format.read_array_header_1_0(member)
    elif version == (2, 0):
        shape, fortran, dtype = np.lib.format.read_array_header_2_0(member)
    else:
        raise ArchiveError("bad entry", f"entry {name}: .npy version {version} is not read")
    if dtype.hasobject:
        raise ArchiveError(
            "bad entry", f"entry {name} holds Python objects (a pickle), which are not loaded"
        )
    header = member.tell()
    nbytes = math.prod(shape) * dtype.itemsize
    if nbytes != entry.file_size - header:
        raise ArchiveError(
            "bad entry",
            f"entry {name}: its header claims shape {shape} of {dtype} ({nbytes:,} bytes) but "
            f"the entry holds {entry.file_size - header:,} bytes of data",
        )
    flat = np.empty(math.prod(shape), dtype=dtype)
    raw = flat.view(np.uint8).reshape(-1) if nbytes else np.empty(0, np.uint8)
    done = 0
    while done < nbytes:
        chunk = member.read(min(_CHUNK, nbytes - done))
        if not chunk:
            raise ArchiveError("bad entry", f"entry {name} is truncated")
        raw[done : done + len(chunk)] = np.frombuffer(chunk, np.uint8)
        done += len(chunk)
    member.read(1)  # at the end: the zip reader checks the entry's CRC here
    return flat.reshape(shape, order="F" if fortran else "C")


def _name(entry: zipfile.ZipInfo) -> str:
    return entry.filename.removesuffix(".npy")


def _text(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__
