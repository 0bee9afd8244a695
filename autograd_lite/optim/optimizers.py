"""Optimizers: ``SGD`` (with momentum, Nesterov's too), ``Adam``, ``AdamW`` and ``RMSprop``,
updating parameters in place, with PyTorch's formulas and defaults. Each names the
hyperparameters and the per-parameter buffers and counts its ``state_dict()`` keeps (see
:mod:`autograd_lite.optim.base`); a parameter without a gradient is skipped, and none of its
state advances.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from ..inplace import writable
from ..switches import no_grad
from ..tensor import Tensor
from .base import Optimizer


class SGD(Optimizer):
    """Stochastic gradient descent: ``p -= lr * v`` with ``v = momentum * v + g``;
    ``nesterov=True`` steps by ``g + momentum * v`` instead (torch's form).

    With ``momentum=0`` this is plain ``p -= lr * g``.

    >>> import autograd_lite as al
    >>> w = al.tensor([1.0, -2.0], requires_grad=True)
    >>> opt = SGD([w], lr=0.1)
    >>> (w * w).sum().backward()
    >>> opt.step()
    >>> w.data  # w - 0.1 * 2w
    array([ 0.8, -1.6])
    """

    _hyperparameters = ("lr", "momentum", "weight_decay", "nesterov")
    _buffers = ("velocity",)
    _optional_buffers = ("velocity",)  # made at the first step, as torch's momentum_buffer

    def __init__(
        self,
        params: Iterable[Tensor],
        lr: float,
        momentum: float = 0.0,
        weight_decay: float = 0.0,
        nesterov: bool = False,
    ) -> None:
        super().__init__(params, lr, weight_decay)
        self._check_hyperparameters({"momentum": momentum, "nesterov": nesterov})
        self.momentum = momentum
        self.nesterov = nesterov
        self.velocity: list[np.ndarray | None] = [None] * len(self.params)

    @no_grad()
    def step(self) -> None:
        for i, p in enumerate(self.params):
            if p.grad is None:
                continue
            g = self._gradient(p)
            if self.momentum:
                v = self.velocity[i]
                v = g.copy() if v is None else self.momentum * v + g
                self.velocity[i] = v
                g = g + self.momentum * v if self.nesterov else v  # look ahead along v
            data = writable(p)
            data -= self.lr * g


class Adam(Optimizer):
    """Adam (Kingma and Ba, 2015): steps scaled by running estimates of the gradient's moments.

    m = b1 m + (1 - b1) g, v = b2 v + (1 - b2) g^2, then
    ``p -= lr * m_hat / (sqrt(v_hat) + eps)`` with the bias-corrected m_hat = m / (1 - b1^t)
    and v_hat = v / (1 - b2^t). The first step moves each entry by about ``lr``.

    ``t`` is counted per parameter (``opt.t[i]``, beside ``m[i]`` and ``v[i]``), as torch's
    ``state[p]["step"]``: it advances only on steps where that parameter has a gradient, so a
    parameter first updated at step 4 (an unused branch, a layer unfrozen late) takes its
    first step then, by about ``lr``, not one bias-corrected as a fourth.

    >>> import autograd_lite as al
    >>> w = al.tensor([1.0, -2.0], requires_grad=True)
    >>> opt = Adam([w], lr=0.1)
    >>> (w * w).sum().backward()
    >>> opt.step()
    >>> w.data.round(6)
    array([ 0.9, -1.9])
    """

    _hyperparameters = ("lr", "betas", "eps", "weight_decay")
    _buffers = ("m", "v")
    _nonnegative_buffers = ("v",)
    _counts = ("t",)

    def __init__(
        self,
        params: Iterable[Tensor],
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.0,
    ) -> None:
        super().__init__(params, lr, weight_decay)
        self._check_hyperparameters({"betas": betas, "eps": eps})
        self.betas = betas
        self.eps = eps
        self.t = [0] * len(self.params)  # the steps each parameter has taken
        self.m = [np.zeros_like(p.data) for p in self.params]
        self.v = [np.zeros_like(p.data) for p in self.params]

    @no_grad()
    def step(self) -> None:
        b1, b2 = self.betas
        for i, (p, m, v) in enumerate(zip(self.params, self.m, self.v, strict=True)):
            if p.grad is None:
                continue  # and its t stays: its next step is bias-corrected as its own
            self.t[i] += 1
            correction1 = 1 - b1 ** self.t[i]
            correction2 = 1 - b2 ** self.t[i]
            g = self._gradient(p)
            m *= b1
            m += (1 - b1) * g
            v *= b2
            v += (1 - b2) * g * g
            data = writable(p)
            data -= self.lr * (m / correction1) / (np.sqrt(v / correction2) + self.eps)


class AdamW(Adam):
    """Adam with decoupled weight decay (Loshchilov and Hutter, 2019): each step first
    shrinks the parameter, ``p -= lr * weight_decay * p``, then takes Adam's step on the
    gradient alone (no L2 term in the moments). torch's default weight_decay is 0.01.
    """

    _hyperparameters = ("lr", "betas", "eps", "decoupled_decay")

    def __init__(
        self,
        params: Iterable[Tensor],
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.01,
    ) -> None:
        super().__init__(params, lr, betas, eps, 0.0)
        self._check_hyperparameters({"decoupled_decay": weight_decay})
        self.decoupled_decay = weight_decay

    @no_grad()
    def step(self) -> None:
        for p in self.params:
            if p.grad is not None and self.decoupled_decay:
                data = writable(p)
                data *= 1 - self.lr * self.decoupled_decay
        super().step()


class RMSprop(Optimizer):
    """RMSprop (Hinton): steps scaled by a running mean of squared gradients,
    ``v = alpha v + (1 - alpha) g^2``, ``p -= lr * g / (sqrt(v) + eps)``; with momentum,
    ``b = momentum b + g / (sqrt(v) + eps)`` and ``p -= lr * b`` (torch's form and defaults).
    """

    _hyperparameters = ("lr", "alpha", "eps", "weight_decay", "momentum")
    _buffers = ("square_avg", "buffer")
    _nonnegative_buffers = ("square_avg",)

    def __init__(
        self,
        params: Iterable[Tensor],
        lr: float = 1e-2,
        alpha: float = 0.99,
        eps: float = 1e-8,
        weight_decay: float = 0.0,
        momentum: float = 0.0,
    ) -> None:
        super().__init__(params, lr, weight_decay)
        self._check_hyperparameters({"alpha": alpha, "eps": eps, "momentum": momentum})
        self.alpha, self.eps, self.momentum = alpha, eps, momentum
        self.square_avg = [np.zeros_like(p.data) for p in self.params]
        self.buffer = [np.zeros_like(p.data) for p in self.params]

    @no_grad()
    def step(self) -> None:
        for p, v, b in zip(self.params, self.square_avg, self.buffer, strict=True):
            if p.grad is None:
                continue
            g = self._gradient(p)
            v *= self.alpha
            v += (1 - self.alpha) * g * g
            scaled = g / (np.sqrt(v) + self.eps)
            if self.momentum:
                b *= self.momentum
                b += scaled
                scaled = b
            data = writable(p)
            data -= self.lr * scaled
