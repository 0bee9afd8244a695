"""The UCI handwritten-digits set, shipped inside the package as ``digits.csv.gz`` (57 KB).

Credit and licence: "Optical Recognition of Handwritten Digits" by E. Alpaydin and
C. Kaynak (1998), UCI Machine Learning Repository,
https://archive.ics.uci.edu/ml/datasets/Optical+Recognition+of+Handwritten+Digits,
licensed under CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/). The file is the
same copy scikit-learn bundles for ``load_digits`` (the UCI test part, 1,797 images),
unchanged: one row per image, 64 pixel counts then the label, comma-separated.
"""

from __future__ import annotations

import gzip
from importlib import resources

import numpy as np

N_CLASSES = 10


def load_digits() -> tuple[np.ndarray, np.ndarray]:
    """The 1,797 digit images as X of shape (1797, 64), float64, and labels y, int64, 0 to 9.

    Each row of X is an 8x8 image read row by row; a pixel is the number of ink dots, out
    of 16, in a 4x4 block of the original 32x32 scan (so values run from 0 to 16). The
    classes are balanced (174 to 183 images each).

    Data: "Optical Recognition of Handwritten Digits", E. Alpaydin and C. Kaynak (1998),
    UCI Machine Learning Repository, licensed under CC BY 4.0 (see this module's docstring).

    >>> X, y = load_digits()
    >>> X.shape, y.shape, X.min(), X.max(), sorted(set(y.tolist())) == list(range(10))
    ((1797, 64), (1797,), np.float64(0.0), np.float64(16.0), True)
    """
    source = resources.files(__package__).joinpath("digits.csv.gz")
    with source.open("rb") as raw, gzip.open(raw, "rt") as text:
        table = np.loadtxt(text, delimiter=",", dtype=np.int64)
    return table[:, :-1].astype(np.float64), table[:, -1]
