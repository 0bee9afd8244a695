"""Layers: ``Linear``, ``Embedding`` and the activations ``Tanh``, ``ReLU`` and ``Sigmoid``.

Each layer's forward is one registered op (``linear``, ``tanh``, ``relu``, ``sigmoid``), so a
picture of the graph shows one node per layer.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..ops import linear, relu, sigmoid, tanh
from ..tensor import Tensor
from .embedding import embedding
from .module import Module


def make_rng(rng: np.random.Generator | int | None) -> np.random.Generator:
    """A numpy Generator from a Generator (used as is), a seed, or None (fresh entropy)."""
    if isinstance(rng, np.random.Generator):
        return rng
    return np.random.default_rng(rng)


def glorot_uniform(
    fan_in: int, fan_out: int, rng: np.random.Generator | int | None = None
) -> np.ndarray:
    """A (fan_in, fan_out) array drawn from U(-a, a) with a = sqrt(6 / (fan_in + fan_out)).

    Xavier/Glorot initialisation (Glorot and Bengio, 2010): the variance 2 / (fan_in + fan_out)
    keeps the size of activations and of gradients about the same from layer to layer while
    tanh is near its linear part, so a deep tanh network starts neither saturated nor dead.

    >>> w = glorot_uniform(64, 32, rng=0)
    >>> w.shape, bool(abs(w).max() <= (6 / 96) ** 0.5)
    ((64, 32), True)
    """
    limit = np.sqrt(6.0 / (fan_in + fan_out))
    return make_rng(rng).uniform(-limit, limit, size=(fan_in, fan_out))


class Linear(Module):
    """An affine layer, ``x @ weight + bias``, with ``weight`` of shape (in_features, out_features).

    The weight is stored inputs-first, as the formula x W + b is written (PyTorch stores
    the transpose). Weight and bias start as PyTorch's do (Kaiming-uniform with a = sqrt(5)):
    from U(-1/sqrt(in_features), 1/sqrt(in_features)), drawn from ``rng``.

    >>> layer = Linear(3, 2, rng=0)
    >>> layer.weight.shape, layer.bias.shape, layer.weight.name
    ((3, 2), (2,), 'weight')
    >>> layer(np.ones((5, 3))).shape
    (5, 2)
    """

    def __init__(
        self,
        in_features: int,
        out_features: int,
        bias: bool = True,
        rng: np.random.Generator | int | None = None,
        dtype: Any = np.float64,
    ) -> None:
        self.in_features = in_features
        self.out_features = out_features
        generator, bound = make_rng(rng), 1 / np.sqrt(in_features)
        weight = generator.uniform(-bound, bound, (in_features, out_features)).astype(dtype)
        self.weight = Tensor(weight, requires_grad=True)
        self.bias: Tensor | None = None
        if bias:
            values = generator.uniform(-bound, bound, out_features).astype(dtype)
            self.bias = Tensor(values, requires_grad=True)

    def forward(self, x: Any) -> Tensor:
        return linear(x, self.weight, 0.0 if self.bias is None else self.bias)

    def __repr__(self) -> str:
        return f"Linear({self.in_features}, {self.out_features}, bias={self.bias is not None})"


class Tanh(Module):
    """tanh, elementwise: the hidden activation of the 3-layer network."""

    def forward(self, x: Any) -> Tensor:
        return tanh(x)


class ReLU(Module):
    """max(x, 0), elementwise."""

    def forward(self, x: Any) -> Tensor:
        return relu(x)


class Sigmoid(Module):
    """1 / (1 + exp(-x)), elementwise."""

    def forward(self, x: Any) -> Tensor:
        return sigmoid(x)


class Embedding(Module):
    """``F.embedding``: a learned row of ``embedding_dim`` numbers per index; the rows start
    from N(0, 1) as torch's, the ``padding_idx`` row (if any) from zeros.

    >>> table = Embedding(10, 3, rng=0)
    >>> table(np.array([[1, 2], [4, 1]])).shape
    (2, 2, 3)
    """

    def __init__(
        self,
        num_embeddings: int,
        embedding_dim: int,
        padding_idx: int | None = None,
        rng: np.random.Generator | int | None = None,
        dtype: Any = np.float64,
    ) -> None:
        weight = make_rng(rng).standard_normal((num_embeddings, embedding_dim)).astype(dtype)
        if padding_idx is not None:
            weight[padding_idx] = 0.0
        self.padding_idx = padding_idx
        self.weight = Tensor(weight, requires_grad=True)

    def forward(self, x: Any) -> Any:
        return embedding(x, self.weight, self.padding_idx)
