"""``ThreeLayerNet``: the network this project grew from, in the notation of its hand derivation;
and ``ConvNet``, the small convolutional network that comes next in every course.

Input x, hidden layer z1 = x W1 + b1, a1 = tanh(z1), output layer z2 = a1 W2 + b2,
a2 = softmax(z2), cross-entropy loss. By hand, for a batch of N rows and one-hot targets y::

    delta3 = (a2 - y) / N            dW2 = a1^T delta3    db2 = sum(delta3)
    delta2 = delta3 W2^T * (1 - a1^2)  dW1 = x^T delta2     db1 = sum(delta2)

The engine reaches the same numbers from the forward below (tests/test_nn.py checks it).
"""

from __future__ import annotations

from typing import Any, Literal, NamedTuple, overload

import numpy as np

from ..ops import linear, relu, reshape, softmax, tanh
from ..tensor import Tensor
from .conv_layers import Conv2d, Dropout, MaxPool2d
from .layers import Linear, glorot_uniform, make_rng
from .module import Module


class Steps(NamedTuple):
    """Every stage of the forward pass, named as in the derivation."""

    z1: Tensor
    a1: Tensor
    z2: Tensor
    a2: Tensor


class ThreeLayerNet(Module):
    """x -> linear -> tanh -> linear -> (softmax): parameters W1, b1, W2, b2.

    ``forward`` returns the logits z2, which ``al.cross_entropy`` takes (its gradient is
    fused: softmax(z2) - y). ``forward(x, return_steps=True)`` hands back z1, a1, z2 and
    a2 = softmax(z2) for teaching. W1 and W2 start from Xavier/Glorot uniform
    (:func:`~autograd_lite.nn.layers.glorot_uniform`), b1 and b2 from zeros.

    >>> import autograd_lite as al
    >>> net = ThreeLayerNet(4, 5, 3, rng=0)
    >>> [name for name, _ in net.named_parameters()]
    ['W1', 'b1', 'W2', 'b2']
    >>> steps = net(np.ones((2, 4)), return_steps=True)
    >>> steps.a1.shape, steps.a2.shape
    ((2, 5), (2, 3))
    >>> loss = al.cross_entropy(steps.z2, np.array([0, 2]))
    >>> loss.backward()
    >>> net.W1.grad.shape
    (4, 5)
    """

    def __init__(
        self,
        n_in: int,
        n_hidden: int,
        n_out: int,
        rng: np.random.Generator | int | None = None,
    ) -> None:
        rng = make_rng(rng)
        self.W1 = Tensor(glorot_uniform(n_in, n_hidden, rng), requires_grad=True)
        self.b1 = Tensor(np.zeros(n_hidden), requires_grad=True)
        self.W2 = Tensor(glorot_uniform(n_hidden, n_out, rng), requires_grad=True)
        self.b2 = Tensor(np.zeros(n_out), requires_grad=True)

    @overload
    def forward(self, x: Any, return_steps: Literal[False] = False) -> Tensor: ...

    @overload
    def forward(self, x: Any, return_steps: Literal[True]) -> Steps: ...

    def forward(self, x: Any, return_steps: bool = False) -> Tensor | Steps:
        """The logits z2; with ``return_steps`` all of z1, a1, z2, a2. Each is named as in the
        derivation, so pictures and traces of the graph say z1, a1, z2, a2."""
        z1 = _named(linear(x, self.W1, self.b1), "z1")
        a1 = _named(tanh(z1), "a1")
        z2 = _named(linear(a1, self.W2, self.b2), "z2")
        if not return_steps:
            return z2
        return Steps(z1, a1, z2, _named(softmax(z2), "a2"))

    def __repr__(self) -> str:
        n_in, n_hidden = self.W1.shape
        return f"ThreeLayerNet(n_in={n_in}, n_hidden={n_hidden}, n_out={self.W2.shape[1]})"


class ConvNet(Module):
    """For square one-channel images: conv 3x3 -> relu -> conv 3x3 -> relu -> max-pool 2 ->
    dropout -> linear, giving logits. The convolutions keep the image's size (padding 1).

    ``forward`` takes (batch, 1, size, size) images or rows of size * size pixels, as the
    digits come. Dropout acts in ``train()`` mode only; call ``eval()`` to predict.

    >>> net = ConvNet(8, 10, rng=0)
    >>> net(np.zeros((5, 64))).shape, net.num_parameters()
    ((5, 10), 9930)
    """

    def __init__(
        self,
        image_size: int,
        n_out: int,
        channels: tuple[int, int] = (16, 32),
        dropout: float = 0.25,
        rng: np.random.Generator | int | None = None,
    ) -> None:
        rng = make_rng(rng)
        first, second = channels
        self.image_size = image_size
        self.conv1 = Conv2d(1, first, 3, padding=1, rng=rng)
        self.conv2 = Conv2d(first, second, 3, padding=1, rng=rng)
        self.pool = MaxPool2d(2)
        self.dropout = Dropout(dropout, rng=rng)
        self.fc = Linear(second * (image_size // 2) ** 2, n_out, rng=rng)

    def forward(self, x: Any) -> Tensor:
        size = self.image_size
        if np.ndim(x) == 2:
            x = reshape(x, shape=(np.shape(x)[0], 1, size, size))
        if np.shape(x)[1:] != (1, size, size):
            raise ValueError(
                f"ConvNet({size}): input of shape {np.shape(x)}; give (batch, 1, {size}, "
                f"{size}) images or (batch, {size * size}) rows of pixels"
            )
        h = relu(self.conv1(x))
        h = self.dropout(self.pool(relu(self.conv2(h))))
        return self.fc(reshape(h, shape=(np.shape(h)[0], -1)))

    def __repr__(self) -> str:
        channels = (self.conv1.weight.shape[0], self.conv2.weight.shape[0])
        return (
            f"ConvNet(image_size={self.image_size}, n_out={self.fc.weight.shape[1]}, "
            f"channels={channels}, dropout={self.dropout.p})"
        )


def _named(t: Tensor, name: str) -> Tensor:
    t.name = name
    return t
