"""Optimizers: ``SGD`` (with momentum, Nesterov's too), ``Adam``, ``AdamW`` and ``RMSprop``,
updating parameters in place, with PyTorch's formulas and defaults.

An optimizer holds a list of parameters (leaf Tensors with ``requires_grad=True``).
``step()`` reads each ``.grad`` and changes ``.data`` in place with numpy, under ``no_grad``:
an update is never recorded in a graph. Parameters whose ``.grad`` is None are skipped.
``zero_grad()`` clears the gradients before the next ``backward()``, which accumulates.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from ..inplace import writable
from ..switches import no_grad
from ..tensor import Tensor


class Optimizer:
    """The parameters to update, checked once; subclasses write ``step``."""

    def __init__(self, params: Iterable[Tensor], lr: float, weight_decay: float) -> None:
        self.params = list(params)
        if not self.params:
            raise ValueError(f"{type(self).__name__}: got no parameters to optimize")
        for i, p in enumerate(self.params):
            if not isinstance(p, Tensor) or not p.requires_grad:
                raise ValueError(
                    f"{type(self).__name__}: parameter {i} ({getattr(p, 'name', None) or p!r}) "
                    "is not a Tensor with requires_grad=True"
                )
        name = type(self).__name__
        if not lr > 0:
            raise ValueError(f"{name}: the learning rate must be > 0, got {lr}")
        if not weight_decay >= 0:
            raise ValueError(f"{name}: weight_decay must be >= 0, got {weight_decay}")
        self.lr = lr
        self.weight_decay = weight_decay

    def zero_grad(self) -> None:
        """Forget every parameter's gradient (set ``.grad`` to None)."""
        for p in self.params:
            p.grad = None

    def step(self) -> None:
        """Update every parameter from its gradient."""
        raise NotImplementedError

    def _gradient(self, p: Tensor) -> np.ndarray:
        """The gradient with the L2 penalty (weight_decay / 2) * |p|^2 added: g + wd * p."""
        if self.weight_decay:
            return p.grad + self.weight_decay * p.data
        return p.grad


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

    def __init__(
        self,
        params: Iterable[Tensor],
        lr: float,
        momentum: float = 0.0,
        weight_decay: float = 0.0,
        nesterov: bool = False,
    ) -> None:
        super().__init__(params, lr, weight_decay)
        if not 0 <= momentum < 1:
            raise ValueError(f"SGD: momentum must be in [0, 1), got {momentum}")
        if nesterov and not momentum:
            raise ValueError("SGD: nesterov=True needs a momentum > 0, as in torch")
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

    >>> import autograd_lite as al
    >>> w = al.tensor([1.0, -2.0], requires_grad=True)
    >>> opt = Adam([w], lr=0.1)
    >>> (w * w).sum().backward()
    >>> opt.step()
    >>> w.data.round(6)
    array([ 0.9, -1.9])
    """

    def __init__(
        self,
        params: Iterable[Tensor],
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.0,
    ) -> None:
        super().__init__(params, lr, weight_decay)
        if not all(0 <= b < 1 for b in betas):
            raise ValueError(f"Adam: betas must lie in [0, 1), got {betas}")
        if not eps > 0:
            raise ValueError(f"Adam: eps must be > 0, got {eps}")
        self.betas = betas
        self.eps = eps
        self.t = 0
        self.m = [np.zeros_like(p.data) for p in self.params]
        self.v = [np.zeros_like(p.data) for p in self.params]

    @no_grad()
    def step(self) -> None:
        self.t += 1
        b1, b2 = self.betas
        correction1 = 1 - b1**self.t
        correction2 = 1 - b2**self.t
        for p, m, v in zip(self.params, self.m, self.v, strict=True):
            if p.grad is None:
                continue
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

    def __init__(
        self,
        params: Iterable[Tensor],
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.01,
    ) -> None:
        super().__init__(params, lr, betas, eps, 0.0)
        if not weight_decay >= 0:
            raise ValueError(f"AdamW: weight_decay must be >= 0, got {weight_decay}")
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
        if not 0 <= alpha < 1 or not 0 <= momentum < 1:
            raise ValueError(
                f"RMSprop: alpha and momentum must lie in [0, 1), got {alpha}, {momentum}"
            )
        if not eps > 0:
            raise ValueError(f"RMSprop: eps must be > 0, got {eps}")
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
