"""Loading a user's own data set from a ``.npz`` file with arrays ``X`` and ``y``.

Everything is checked before training starts, and each problem has its own message naming
the file: X must be 2-D numbers without NaN or infinity, y integer labels 0..K-1 (K >= 2),
one per row of X. The file is read with pickle disabled, so it cannot run code.
"""

from __future__ import annotations

import os
import zipfile
import zlib
from pathlib import Path

import numpy as np


class DataError(ValueError):
    """A data file that cannot be used; the message names the file and the problem."""


def load_npz(path: str | os.PathLike[str]) -> tuple[np.ndarray, np.ndarray]:
    """X as float64 of shape (n, features) and y as int64 of shape (n,), from ``path``.

    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "mine.npz"
    >>> np.savez(path, X=np.eye(4), y=np.array([0, 1, 1, 0]))
    >>> X, y = load_npz(path)
    >>> X.shape, y.tolist()
    ((4, 4), [0, 1, 1, 0])
    """
    path = Path(path)
    X, y = _read(path)
    if X.ndim != 2 or X.shape[0] == 0 or X.shape[1] == 0:
        raise DataError(f"{path}: X must be 2-D (samples, features), got shape {X.shape}")
    if X.dtype.kind not in "biuf":
        raise DataError(f"{path}: X must hold numbers, got dtype {X.dtype}")
    X = X.astype(np.float64)
    bad = ~np.isfinite(X)
    if bad.any():
        row = int(np.flatnonzero(bad.any(axis=1))[0])
        raise DataError(f"{path}: X holds NaN or infinite values (first in row {row})")
    if y.shape != (X.shape[0],):
        raise DataError(
            f"{path}: y must be 1-D with one label per row of X ({X.shape[0]} rows), "
            f"got shape {y.shape}"
        )
    if y.dtype.kind not in "iu":
        raise DataError(f"{path}: y must hold integer class labels, got dtype {y.dtype}")
    y = y.astype(np.int64)
    if y.min() < 0:
        raise DataError(f"{path}: labels must lie in 0..K-1, found {y.min()}")
    if y.max() < 1:
        raise DataError(f"{path}: y needs at least two classes (labels 0 and 1), found only 0")
    return X, y


def _read(path: Path) -> tuple[np.ndarray, np.ndarray]:
    """The arrays X and y from the archive at ``path``; a DataError for anything unreadable."""
    if not path.is_file():
        raise DataError(f"{path}: {'is a directory' if path.is_dir() else 'no such file'}")
    unreadable = (OSError, ValueError, EOFError, zipfile.BadZipFile, zlib.error)
    try:
        archive = np.load(path, allow_pickle=False)
    except unreadable as exc:
        raise DataError(f"{path}: not a readable .npz file: {exc}") from None
    if not isinstance(archive, np.lib.npyio.NpzFile):
        raise DataError(f"{path}: a single .npy array; save X and y with np.savez(path, X=X, y=y)")
    with archive:
        missing = [name for name in ("X", "y") if name not in archive.files]
        if missing:
            found = ", ".join(archive.files) or "nothing"
            raise DataError(f"{path}: no array named {' or '.join(missing)} (found {found})")
        try:
            return archive["X"], archive["y"]
        except unreadable as exc:
            raise DataError(f"{path}: cannot read X and y: {exc}") from None
