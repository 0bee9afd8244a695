"""Loading a user's own data set from a ``.npz`` file with arrays ``X`` and ``y``.

Everything is checked before training starts, and each problem has its own message naming
the file: X must be 2-D numbers without NaN or infinity, within float64's range and small
enough to standardise, y integer labels 0..K-1 (2 <= K <= MAX_CLASSES), one per row of X.
The file is read with pickle disabled, so it cannot run code, and its declared sizes are
checked before anything is read (:mod:`autograd_lite.archives`).
"""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import numpy as np

from ..archives import ArchiveError, read_npz

MAX_CLASSES = 1_000  # the largest label is at most MAX_CLASSES - 1
FLOAT64_MAX = float(np.finfo(np.float64).max)
# Standardisation subtracts the mean: beyond half of float64's largest value the distance
# from it can overflow to inf. (It no longer squares the distances, so no lower limit.)
MAX_MAGNITUDE = FLOAT64_MAX / 2


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
    bad = ~np.isfinite(X)  # in X's own dtype, before the cast can overflow
    if bad.any():
        row = int(np.flatnonzero(bad.any(axis=1))[0])
        raise DataError(f"{path}: X holds NaN or infinite values (first in row {row})")
    _check_fits_float64(path, X)
    X = X.astype(np.float64)
    huge = np.abs(X) > MAX_MAGNITUDE
    if huge.any():
        row, column = (int(i[0]) for i in np.nonzero(huge))
        raise DataError(
            f"{path}: X holds values too large to standardise ({X[row, column]:.3g} in row "
            f"{row}; at most {MAX_MAGNITUDE:.1e} in absolute value): rescale the features"
        )
    if y.shape != (X.shape[0],):
        raise DataError(
            f"{path}: y must be 1-D with one label per row of X ({X.shape[0]} rows), "
            f"got shape {y.shape}"
        )
    if y.dtype.kind not in "iu":
        raise DataError(f"{path}: y must hold integer class labels, got dtype {y.dtype}")
    low, high = int(y.min()), int(y.max())  # before any cast: a uint64 2**64-1 stays itself
    if low < 0:
        raise DataError(f"{path}: labels must lie in 0..K-1, found {low}")
    if high >= MAX_CLASSES:
        raise DataError(
            f"{path}: labels must lie in 0..K-1 with at most {MAX_CLASSES:,} classes, found {high}"
        )
    y = y.astype(np.int64)
    if high < 1:
        raise DataError(f"{path}: y needs at least two classes (labels 0 and 1), found only 0")
    return X, y


def _check_fits_float64(path: Path, X: np.ndarray) -> None:
    """A DataError for values of a wider float (longdouble) beyond float64's range, which
    the cast would turn into infinities with numpy's overflow warning."""
    if X.dtype.kind != "f" or X.dtype.itemsize <= 8:  # float16 to float64 fit float64
        return
    beyond = np.abs(X) > FLOAT64_MAX
    if beyond.any():
        row, column = (int(i[0]) for i in np.nonzero(beyond))
        value = np.format_float_scientific(X[row, column], precision=2, trim="-")
        raise DataError(
            f"{path}: X holds values that do not fit float64 ({value} in row {row}, column "
            f"{column}, of dtype {X.dtype}; float64 holds at most {FLOAT64_MAX:.3g} in "
            "absolute value): rescale the features"
        )


def _read(path: Path) -> tuple[np.ndarray, np.ndarray]:
    """The arrays X and y from the archive at ``path``; a DataError for anything unreadable,
    and for sizes over the limit of :func:`~autograd_lite.archives.read_npz` (checked before
    anything is read)."""
    if not path.is_file():
        raise DataError(f"{path}: {'is a directory' if path.is_dir() else 'no such file'}")
    try:
        arrays = read_npz(path, names=["X", "y"])
    except ArchiveError as exc:
        if exc.kind == "single array":
            raise DataError(
                f"{path}: a single .npy array; save X and y with np.savez(path, X=X, y=y)"
            ) from None
        if exc.kind == "bad entry":
            raise DataError(f"{path}: cannot read X and y: {exc}") from None
        raise DataError(f"{path}: {exc}") from None
    missing = [name for name in ("X", "y") if name not in arrays]
    if missing:
        found = ", ".join(_names(path)) or "nothing"
        raise DataError(f"{path}: no array named {' or '.join(missing)} (found {found})")
    return arrays["X"], arrays["y"]


def _names(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as archive:
        return [name.removesuffix(".npy") for name in archive.namelist()]
