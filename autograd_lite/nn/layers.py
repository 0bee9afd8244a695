"""Layers: ``Linear``, the activations ``Tanh``, ``ReLU`` and ``Sigmoid``, and ``Sequential``.

Each layer's forward is one registered op (``linear``, ``tanh``, ``relu``, ``sigmoid``), so a
picture of the graph shows one node per layer.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np

from ..ops import linear, relu, sigmoid, tanh
from ..tensor import Tensor
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
    the transpose). It starts from :func:`glorot_uniform`, the bias from zeros.

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
    ) -> None:
        self.in_features = in_features
        self.out_features = out_features
        self.weight = Tensor(glorot_uniform(in_features, out_features, rng), requires_grad=True)
        self.bias: Tensor | None = None
        if bias:
            self.bias = Tensor(np.zeros(out_features), requires_grad=True)

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


class Sequential(Module):
    """Layers applied one after another; the i-th is the attribute named ``str(i)``.

    >>> net = Sequential(Linear(4, 8, rng=0), Tanh(), Linear(8, 3, rng=1))
    >>> [name for name, _ in net.named_parameters()]
    ['0.weight', '0.bias', '2.weight', '2.bias']
    >>> net(np.zeros((2, 4))).shape
    (2, 3)
    """

    def __init__(self, *layers: Module) -> None:
        for i, layer in enumerate(layers):
            if not isinstance(layer, Module):
                raise TypeError(f"Sequential: layer {i} is a {type(layer).__name__}, not a Module")
            setattr(self, str(i), layer)

    def forward(self, x: Any) -> Any:
        for layer in self:
            x = layer(x)
        return x

    def __iter__(self) -> Iterator[Module]:
        return (layer for _, layer in self.named_children())

    def __len__(self) -> int:
        return sum(1 for _ in self.named_children())

    def __getitem__(self, index: int) -> Module:
        layers = list(self)
        return layers[index]
