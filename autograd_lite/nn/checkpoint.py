"""Checkpoints: a module's parameters saved to and loaded from a ``.npz`` file of named arrays.

The file is numpy's own format (a zip of ``.npy`` arrays, one per dotted parameter name), so
``np.load`` reads it without autograd_lite. A checkpoint may also hold a training record (a
``training.json`` entry: the epoch and the metrics it goes with), so that one file, replaced
in one atomic step, commits the weights and what is known about them together. It is written
through the atomic writer of :mod:`autograd_lite.atomic_files` and read through
:mod:`autograd_lite.archives` (pickle disabled, declared sizes checked first), so a checkpoint
can neither be left half-written nor run code nor exhaust memory when loaded. Weights that
are NaN or infinite are refused unless asked for.
"""

from __future__ import annotations

import io
import json
import os
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from ..archives import ArchiveError, read_npz
from ..atomic_files import write_atomically
from .module import Module

RECORD = "training.json"


class CheckpointError(ValueError):
    """A checkpoint that cannot be read or does not fit the module; the message names the path."""


def save(
    module: Module, path: str | os.PathLike[str], record: Mapping[str, Any] | None = None
) -> None:
    """Write ``module.state_dict()`` to ``path`` as ``.npz``, replacing any earlier file whole;
    ``record`` (JSON-serialisable, say the epoch and its metrics) is kept beside the arrays.

    >>> import tempfile
    >>> from autograd_lite.nn import Linear
    >>> path = Path(tempfile.mkdtemp()) / "layer.npz"
    >>> save(Linear(2, 3, rng=0), path, record={"epoch": 3})
    >>> sorted(np.load(path).files), read_record(path)
    (['bias', 'training.json', 'weight'], {'epoch': 3})
    """
    write_atomically(path, checkpoint_bytes(module, record))


def checkpoint_bytes(module: Module, record: Mapping[str, Any] | None = None) -> bytes:
    """The bytes :func:`save` writes, for a caller that commits them with other files."""
    return archive_bytes(module.state_dict(), record)


def archive_bytes(arrays: Mapping[str, np.ndarray], record: Mapping[str, Any] | None) -> bytes:
    """A ``.npz`` of ``arrays`` (one ``name.npy`` each, no pickles), and ``record`` as JSON."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, array in arrays.items():
            with archive.open(f"{name}.npy", "w", force_zip64=True) as member:
                np.lib.format.write_array(member, array, allow_pickle=False)
        if record is not None:
            archive.writestr(RECORD, json.dumps(record))
    return buffer.getvalue()


def load(module: Module, path: str | os.PathLike[str], *, allow_nonfinite: bool = False) -> None:
    """Load the parameters saved in ``path`` into ``module``, in place.

    Raises :class:`CheckpointError` naming the path and the problem: no such file, not a
    ``.npz`` file (truncated or corrupt), larger than the limit of
    :func:`~autograd_lite.archives.read_npz`, entries that are missing, unexpected or of the
    wrong shape for this module, or weights that are NaN or infinite (a diverged run; pass
    ``allow_nonfinite=True`` to load them on purpose). The module is unchanged when it raises.
    """
    path = Path(path)
    if not path.is_file():
        problem = "is a directory" if path.is_dir() else "does not exist"
        raise CheckpointError(f"checkpoint {path} {problem}")
    state = _read_arrays(path)
    if not allow_nonfinite:
        for name, array in state.items():
            bad = int(np.size(array) - np.count_nonzero(np.isfinite(array)))
            if array.dtype.kind in "fc" and bad:
                raise CheckpointError(
                    f"checkpoint {path}: {name} holds {bad:,} NaN or infinite value(s) of "
                    f"{array.size:,} (a diverged run?); pass allow_nonfinite=True to load "
                    "them anyway"
                )
    try:
        module.load_state_dict(state)
    except ValueError as exc:
        raise CheckpointError(f"checkpoint {path}: {exc}") from None


def read_record(path: str | os.PathLike[str]) -> Any:
    """The training record saved with the checkpoint at ``path``, or None if it has none."""
    try:
        with zipfile.ZipFile(path) as archive:
            if RECORD not in archive.namelist():
                return None
            if archive.getinfo(RECORD).file_size > 2**24:
                raise CheckpointError(f"checkpoint {path}: its {RECORD} is over 16 MiB")
            return json.loads(archive.read(RECORD))
    except (OSError, ValueError, zipfile.BadZipFile) as exc:
        if isinstance(exc, CheckpointError):
            raise
        raise CheckpointError(f"checkpoint {path}: cannot read its {RECORD}: {exc}") from None


def _read_arrays(path: Path) -> dict[str, np.ndarray]:
    """Every array in the archive at ``path``, sizes checked before reading."""
    try:
        return read_npz(path)
    except ArchiveError as exc:
        if exc.kind == "unreadable":
            raise CheckpointError(
                f"checkpoint {path} is not a readable .npz file (truncated or corrupt?): "
                f"{str(exc).removeprefix('not a readable .npz file: ')}"
            ) from None
        if exc.kind == "single array":
            raise CheckpointError(
                f"checkpoint {path} holds a single .npy array, not a .npz archive"
            ) from None
        raise CheckpointError(f"checkpoint {path}: {exc}") from None
