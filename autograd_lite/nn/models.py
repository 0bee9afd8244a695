"""``ThreeLayerNet``: the network this project grew from, in the notation of its hand derivation.

Input x, hidden layer z1 = x W1 + b1, a1 = tanh(z1), output layer z2 = a1 W2 + b2,
a2 = softmax(z2), cross-entropy loss. By hand, for a batch of N rows and one-hot targets y::

    delta3 = (a2 - y) / N            dW2 = a1^T delta3    db2 = sum(delta3)
    delta2 = delta3 W2^T * (1 - a1^2)  dW1 = x^T delta2     db1 = sum(delta2)

The engine reaches the same numbers from the forward below (tests/test_nn.py checks it).
"""

from __future__ import annotations

from typing import Any, Literal, NamedTuple, overload

import numpy as np

from ..ops import linear, softmax, tanh
from ..tensor import Tensor
from .layers import glorot_uniform, make_rng
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


def _named(t: Tensor, name: str) -> Tensor:
    t.name = name
    return t
