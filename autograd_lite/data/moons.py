"""Two moons: two interleaved half circles in 2-D, the toy set of "a network from scratch".

Generated with numpy from a seed, as scikit-learn's ``make_moons`` builds it: points evenly
spaced along each half circle, then Gaussian noise. A straight line cannot separate the two
classes; one hidden layer can.
"""

from __future__ import annotations

import numpy as np

N_CLASSES = 2


def make_moons(
    n_samples: int = 1000, noise: float = 0.15, seed: int | None = 0
) -> tuple[np.ndarray, np.ndarray]:
    """X of shape (n_samples, 2), float64, and labels y, int64: 0 for the upper moon, 1 for the
    lower; rows in random order. ``noise`` is the standard deviation of the Gaussian noise.

    >>> X, y = make_moons(200, noise=0.1, seed=1)
    >>> X.shape, y.shape, int(y.sum())
    ((200, 2), (200,), 100)
    >>> bool((make_moons(10, seed=3)[0] == make_moons(10, seed=3)[0]).all())
    True
    """
    if n_samples < 2:
        raise ValueError(f"make_moons: n_samples must be at least 2, got {n_samples}")
    if noise < 0:
        raise ValueError(f"make_moons: noise must be >= 0, got {noise}")
    rng = np.random.default_rng(seed)
    n_upper = n_samples // 2
    n_lower = n_samples - n_upper
    upper = np.linspace(0, np.pi, n_upper)
    lower = np.linspace(0, np.pi, n_lower)
    X = np.concatenate(
        [
            np.stack([np.cos(upper), np.sin(upper)], axis=1),
            np.stack([1 - np.cos(lower), 0.5 - np.sin(lower)], axis=1),
        ]
    )
    y = np.concatenate([np.zeros(n_upper, np.int64), np.ones(n_lower, np.int64)])
    X += rng.normal(scale=noise, size=X.shape)
    order = rng.permutation(n_samples)
    return X[order], y[order]
