"""Checkpoints: a module's parameters saved to and loaded from a ``.npz`` file of named arrays.

The file is numpy's own format (a zip of ``.npy`` arrays, one per dotted parameter name), so
``np.load`` reads it without autograd_lite. It is written through
:func:`~autograd_lite.files.replaced_atomically` and read with pickle disabled, so a checkpoint
can neither be left half-written nor run code when loaded.
"""

from __future__ import annotations

import os
import zipfile
import zlib
from pathlib import Path

import numpy as np

from ..files import replaced_atomically
from .module import Module


class CheckpointError(ValueError):
    """A checkpoint that cannot be read or does not fit the module; the message names the path."""


def save(module: Module, path: str | os.PathLike[str]) -> None:
    """Write ``module.state_dict()`` to ``path`` as ``.npz``, replacing any earlier file whole.

    >>> import tempfile
    >>> from autograd_lite.nn import Linear
    >>> path = Path(tempfile.mkdtemp()) / "layer.npz"
    >>> save(Linear(2, 3, rng=0), path)
    >>> sorted(np.load(path).files)
    ['bias', 'weight']
    """
    state = module.state_dict()
    with replaced_atomically(path) as f, zipfile.ZipFile(f, "w") as archive:
        for name, array in state.items():
            with archive.open(f"{name}.npy", "w", force_zip64=True) as member:
                np.lib.format.write_array(member, array, allow_pickle=False)


def load(module: Module, path: str | os.PathLike[str]) -> None:
    """Load the parameters saved in ``path`` into ``module``, in place.

    Raises :class:`CheckpointError` naming the path and the problem: no such file, not a
    ``.npz`` file (truncated or corrupt), or entries that are missing, unexpected or of the
    wrong shape for this module. The module is unchanged when it raises.
    """
    path = Path(path)
    if not path.is_file():
        problem = "is a directory" if path.is_dir() else "does not exist"
        raise CheckpointError(f"checkpoint {path} {problem}")
    state = _read_arrays(path)
    try:
        module.load_state_dict(state)
    except ValueError as exc:
        raise CheckpointError(f"checkpoint {path}: {exc}") from None


def _read_arrays(path: Path) -> dict[str, np.ndarray]:
    """Every array in the archive at ``path``, read now (np.load reads members lazily)."""
    unreadable = (OSError, ValueError, EOFError, zipfile.BadZipFile, zlib.error)
    try:
        archive = np.load(path, allow_pickle=False)
    except unreadable as exc:
        raise CheckpointError(
            f"checkpoint {path} is not a readable .npz file (truncated or corrupt?): {exc}"
        ) from None
    if not isinstance(archive, np.lib.npyio.NpzFile):
        raise CheckpointError(f"checkpoint {path} holds a single .npy array, not a .npz archive")
    with archive:
        try:
            return {name: archive[name] for name in archive.files}
        except unreadable as exc:
            raise CheckpointError(f"checkpoint {path} has a corrupt entry: {exc}") from None
