"""Data sets for training, available offline: handwritten digits, two moons, your own ``.npz``.

The digits are the UCI "Optical Recognition of Handwritten Digits" set (E. Alpaydin and
C. Kaynak, 1998; CC BY 4.0), shipped in the package (see :mod:`autograd_lite.data.digits`).
Tools to prepare any of them: a seeded stratified split, standardisation fitted on the
training part, and a seeded minibatch iterator.

>>> from autograd_lite import data
>>> X, y = data.load_digits()
>>> split, scaler = data.standardize(data.train_test_split(X, y, seed=0))
>>> split.X_train.shape, split.X_test.shape
((1438, 64), (359, 64))
"""

from .digits import load_digits
from .moons import make_moons
from .split import Split, Standardizer, minibatches, standardize, train_test_split
from .user import DataError, load_npz

__all__ = [
    "DataError",
    "Split",
    "Standardizer",
    "load_digits",
    "load_npz",
    "make_moons",
    "minibatches",
    "standardize",
    "train_test_split",
]
