"""Checkpoints: a module's parameters saved to and loaded from a ``.npz`` file of named arrays.

The file is numpy's own format (a zip of ``.npy`` arrays, one per dotted parameter name), so
``np.load`` reads it without autograd_lite. A checkpoint may also hold a training record (a
``training.json`` entry: the epoch and the metrics it goes with), so that one file, replaced
in one atomic step, commits the weights and what is known about them together. It is written
through the atomic writer of :mod:`autograd_lite.atomic_files` and read through
:mod:`autograd_lite.archives` (pickle disabled, declared sizes checked first), so a checkpoint
can neither be left half-written nor run code nor exhaust memory when loaded. Weights that
are not real numbers, or too large for the parameter's dtype, are refused; those that are NaN
or infinite are refused unless asked for.
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
    wrong shape for this module, entries that are not real numbers (strings, records, dates,
    complex numbers: bool, integer and floating point are read), weights that are NaN or
    infinite (a diverged run; pass ``allow_nonfinite=True`` to load them on purpose), or
    values too large for the parameter's dtype (1e300 for a float32 parameter would become
    inf; refused even with ``allow_nonfinite``). The module is unchanged when it raises.
    """
    path = Path(path)
    if not path.is_file():
        problem = "is a directory" if path.is_dir() else "does not exist"
        raise CheckpointError(f"checkpoint {path} {problem}")
    state = _read_arrays(path)
    for name, array in state.items():
        if array.dtype.kind not in "biuf":
            raise CheckpointError(
                f"checkpoint {path}: {name} holds {array.dtype} values; a checkpoint holds "
                "real numbers (bool, integer or floating point)"
            )
    if not allow_nonfinite:
        for name, array in state.items():
            bad = int(array.size - np.count_nonzero(np.isfinite(array)))
            if bad:
                raise CheckpointError(
                    f"checkpoint {path}: {name} holds {bad:,} NaN or infinite value(s) of "
                    f"{array.size:,} (a diverged run?); pass allow_nonfinite=True to load "
                    "them anyway"
                )
    targets: dict[str, Any] = dict(module.named_parameters())
    targets.update(module.named_buffers())
    for name, array in state.items():
        if name in targets:
            _check_fits_dtype(path, name, array, np.dtype(targets[name].dtype))
    try:
        module.load_state_dict(state)
    except ValueError as exc:
        raise CheckpointError(f"checkpoint {path}: {exc}") from None


def read_record(path: str | os.PathLike[str]) -> Any:
    """The training record saved with the checkpoint at ``path``, or None if it has none.

    Raises :class:`CheckpointError` naming the path when the record cannot be read: over
    16 MiB, not JSON, or nested too deeply for the JSON reader (lists in lists thousands deep).
    """
    try:
        with zipfile.ZipFile(path) as archive:
            if RECORD not in archive.namelist():
                return None
            if archive.getinfo(RECORD).file_size > 2**24:
                raise CheckpointError(f"checkpoint {path}: its {RECORD} is over 16 MiB")
            return json.loads(archive.read(RECORD))
    except RecursionError:
        raise CheckpointError(
            f"checkpoint {path}: its {RECORD} is nested too deeply to be a record"
        ) from None
    except (OSError, ValueError, zipfile.BadZipFile) as exc:
        if isinstance(exc, CheckpointError):
            raise
        raise CheckpointError(f"checkpoint {path}: cannot read its {RECORD}: {exc}") from None


def _check_fits_dtype(path: Path, name: str, array: np.ndarray, dtype: np.dtype) -> None:
    """Refuse finite values of ``array`` that would become infinite in ``dtype`` (1e300 in a
    float32 parameter), which numpy's cast does with only a warning."""
    if dtype.kind != "f" or array.dtype.kind not in "iuf":
        return
    with np.errstate(over="ignore"):
        overflow = np.isinf(array.astype(dtype)) & np.isfinite(array)
    count = int(np.count_nonzero(overflow))
    if count:
        largest = float(np.abs(array[overflow]).max())
        raise CheckpointError(
            f"checkpoint {path}: {name} holds {count:,} value(s) beyond the range of the "
            f"parameter's dtype {dtype} (largest magnitude {largest:g}, {dtype} holds up to "
            f"{float(np.finfo(dtype).max):g})"
        )


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
