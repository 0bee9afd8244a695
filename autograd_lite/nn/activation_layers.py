"""A layer for each activation of :mod:`autograd_lite.nn.functional`, with torch's names and
constructor arguments: each keeps its options and calls its function in ``forward``.

>>> import numpy as np
>>> layer = LeakyReLU(0.1)
>>> layer, layer(np.array([-2.0, 3.0])).tolist()
(LeakyReLU(negative_slope=0.1), [-0.2, 3.0])
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from ..ops import log_softmax, softmax
from . import activations as A
from .module import Module


class Activation(Module):
    """An elementwise (or per-row) function with fixed options; subclasses name the function."""

    function: ClassVar[Callable[..., Any]]

    def __init__(self, **options: Any) -> None:
        self.options = options

    def forward(self, x: Any) -> Any:
        return type(self).function(x, **self.options)

    def __repr__(self) -> str:
        shown = ", ".join(f"{k}={v!r}" for k, v in self.options.items())
        return f"{type(self).__name__}({shown})"


class SiLU(Activation):
    """x sigmoid(x), also called swish."""

    function = staticmethod(A.silu)


class LeakyReLU(Activation):
    """x where x > 0, else negative_slope x."""

    function = staticmethod(A.leaky_relu)

    def __init__(self, negative_slope: float = 0.01) -> None:
        super().__init__(negative_slope=negative_slope)


class ELU(Activation):
    """x where x > 0, else alpha (exp(x) - 1)."""

    function = staticmethod(A.elu)

    def __init__(self, alpha: float = 1.0) -> None:
        super().__init__(alpha=alpha)


class SELU(Activation):
    """scale elu(x, alpha) with the self-normalising constants."""

    function = staticmethod(A.selu)


class CELU(Activation):
    """max(0, x) + min(0, alpha (exp(x / alpha) - 1))."""

    function = staticmethod(A.celu)

    def __init__(self, alpha: float = 1.0) -> None:
        super().__init__(alpha=alpha)


class Softplus(Activation):
    """log(1 + exp(beta x)) / beta, linear above ``threshold``."""

    function = staticmethod(A.softplus)

    def __init__(self, beta: float = 1.0, threshold: float = 20.0) -> None:
        super().__init__(beta=beta, threshold=threshold)


class LogSigmoid(Activation):
    """log(sigmoid(x)), computed stably."""

    function = staticmethod(A.logsigmoid)


class Hardtanh(Activation):
    """x clipped to [min_val, max_val]."""

    function = staticmethod(A.hardtanh)

    def __init__(self, min_val: float = -1.0, max_val: float = 1.0) -> None:
        super().__init__(min_val=min_val, max_val=max_val)


class ReLU6(Activation):
    """x clipped to [0, 6]."""

    function = staticmethod(A.relu6)


class Hardsigmoid(Activation):
    """relu6(x + 3) / 6."""

    function = staticmethod(A.hardsigmoid)


class Hardswish(Activation):
    """x relu6(x + 3) / 6."""

    function = staticmethod(A.hardswish)


class Mish(Activation):
    """x tanh(softplus(x))."""

    function = staticmethod(A.mish)


class Softsign(Activation):
    """x / (1 + abs(x))."""

    function = staticmethod(A.softsign)


class GELU(Activation):
    """x Phi(x) (``approximate="none"``) or its tanh approximation (``"tanh"``)."""

    function = staticmethod(A.gelu)

    def __init__(self, approximate: str = "none") -> None:
        super().__init__(approximate=approximate)


class Softmin(Activation):
    """softmax(-x) along ``dim``."""

    function = staticmethod(A.softmin)

    def __init__(self, dim: int = -1) -> None:
        super().__init__(dim=dim)


class Softmax(Activation):
    """exp(x) / sum(exp(x)) along ``dim``: the engine's softmax op."""

    def __init__(self, dim: int = -1) -> None:
        super().__init__(dim=dim)

    def forward(self, x: Any) -> Any:
        return softmax(x, axis=self.options["dim"])


class LogSoftmax(Activation):
    """x - logsumexp(x) along ``dim``: the engine's log_softmax op."""

    def __init__(self, dim: int = -1) -> None:
        super().__init__(dim=dim)

    def forward(self, x: Any) -> Any:
        return log_softmax(x, axis=self.options["dim"])


ACTIVATION_LAYERS = [
    SiLU, LeakyReLU, ELU, SELU, CELU, Softplus, LogSigmoid, Hardtanh, ReLU6, Hardsigmoid,
    Hardswish, Mish, Softsign, GELU, Softmin, Softmax, LogSoftmax,
]  # fmt: skip
