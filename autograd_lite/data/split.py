"""Preparing a data set for training: a stratified split, standardisation, minibatches.

Every random choice takes a seed or a numpy Generator, so the same seed gives the same
split and the same batches. Standardisation is fitted on the training part only: the test
part must not leak into anything the model sees.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

import numpy as np


class Split(NamedTuple):
    """A data set cut in two: rows to train on and rows to test on."""

    X_train: np.ndarray
    y_train: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray


def train_test_split(
    X: np.ndarray, y: np.ndarray, test_fraction: float = 0.2, seed: int | None = 0
) -> Split:
    """Cut (X, y) in two, keeping each class's share: from every class, round(test_fraction *
    its count) rows go to the test part. Rows are shuffled within each part.

    >>> X, y = np.arange(20.0).reshape(10, 2), np.array([0] * 5 + [1] * 5)
    >>> split = train_test_split(X, y, test_fraction=0.4, seed=0)
    >>> np.bincount(split.y_train).tolist(), np.bincount(split.y_test).tolist()
    ([3, 3], [2, 2])
    """
    if not 0 < test_fraction < 1:
        raise ValueError(f"test_fraction must lie between 0 and 1, got {test_fraction}")
    if len(X) != len(y):
        raise ValueError(f"X has {len(X)} rows but y has {len(y)} labels")
    rng = np.random.default_rng(seed)
    train_rows, test_rows = [], []
    for label in np.unique(y):
        rows = rng.permutation(np.flatnonzero(y == label))
        n_test = int(round(test_fraction * len(rows)))
        test_rows.append(rows[:n_test])
        train_rows.append(rows[n_test:])
    train = rng.permutation(np.concatenate(train_rows))
    test = rng.permutation(np.concatenate(test_rows))
    return Split(X[train], y[train], X[test], y[test])


class Standardizer:
    """Shift and scale each feature to mean 0 and standard deviation 1 on the data it is fitted on
    (with ``per_feature=False``, all the features by one mean and one deviation).

    A feature that is constant there (a pixel that is always blank) is only shifted, not
    divided by zero. Any finite scale is standardised alike: a feature of size 1e-170 is not
    taken for a constant, nor one of 1e300 for an infinite spread.

    >>> scaler = Standardizer().fit(np.array([[1.0, 5.0], [3.0, 5.0]]))
    >>> scaler.transform(np.array([[2.0, 5.0], [3.0, 6.0]]))
    array([[0., 0.],
           [1., 1.]])
    """

    mean: np.ndarray
    scale: np.ndarray

    def __init__(self, per_feature: bool = True) -> None:
        # False suits images: the pixels share a scale, as a convolution's weights are shared
        self.per_feature = per_feature

    def fit(self, X: np.ndarray) -> Standardizer:
        """Learn each feature's mean and standard deviation from X (the training part)."""
        axis = 0 if self.per_feature else None
        with np.errstate(over="ignore", invalid="ignore"):
            self.mean, std, widest = _mean_and_spread(np.asarray(X), axis)
        if not (np.isfinite(self.mean).all() and np.isfinite(widest).all()):
            column = int(np.flatnonzero(~np.isfinite(widest) | ~np.isfinite(self.mean))[0])
            raise ValueError(
                f"cannot standardise feature {column}: its mean or its distance from the mean "
                "overflows float64 (values too large, or not finite); rescale the data"
            )
        self.scale = np.where(std > 0, std, 1.0)
        return self

    def transform(self, X: np.ndarray) -> np.ndarray:
        """(X - mean) / scale, with the mean and scale that were fitted."""
        return (X - self.mean) / self.scale


def _mean_and_spread(X: np.ndarray, axis: int | None) -> tuple[np.ndarray, ...]:
    """The mean, standard deviation and largest distance from the mean of X along ``axis``.

    They are computed in units of a power of two near the largest magnitude, so the squared
    deviations neither underflow (at a scale of 1e-170 they would be 0, and the feature taken
    for a constant) nor overflow; scaling by a power of two is exact, so data of ordinary
    scale get numpy's mean and std to the last bit."""
    _, exponent = np.frexp(np.max(np.abs(X), axis=axis, keepdims=True))
    scaled = np.ldexp(X, -exponent)
    mean = scaled.mean(axis=axis, keepdims=True)
    std = scaled.std(axis=axis, keepdims=True)
    widest = np.max(np.abs(scaled - mean), axis=axis, keepdims=True)
    return tuple(np.squeeze(np.ldexp(v, exponent), axis=axis) for v in (mean, std, widest))


def standardize(split: Split, per_feature: bool = True) -> tuple[Split, Standardizer]:
    """The split with both parts standardised by a :class:`Standardizer` fitted on the
    training part, and that standardizer (to apply to new data)."""
    scaler = Standardizer(per_feature).fit(split.X_train)
    X_train, X_test = scaler.transform(split.X_train), scaler.transform(split.X_test)
    return Split(X_train, split.y_train, X_test, split.y_test), scaler


def minibatches(
    X: np.ndarray, y: np.ndarray, batch_size: int, rng: np.random.Generator
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """One pass over (X, y) in a random order drawn from ``rng``, ``batch_size`` rows at a time
    (the last batch holds what is left).

    >>> X, y = np.arange(5.0).reshape(5, 1), np.arange(5)
    >>> [len(yb) for _, yb in minibatches(X, y, 2, np.random.default_rng(0))]
    [2, 2, 1]
    """
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, got {batch_size}")
    if len(X) != len(y):
        raise ValueError(f"minibatches: X has {len(X)} rows but y has {len(y)} labels")
    order = rng.permutation(len(X))
    for start in range(0, len(X), batch_size):
        rows = order[start : start + batch_size]
        yield X[rows], y[rows]
