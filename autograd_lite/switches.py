"""The thread-local switches: whether ops record the graph (grad mode), as PyTorch's
``no_grad``, ``enable_grad`` and ``set_grad_enabled``; and the observers that watch op
calls and reverse passes (the step-by-step trace and anomaly detection are observers).

This module imports nothing of the package, so every layer can read the switches, and the
core calls its diagnostics only through :class:`Observer`, never by name.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import Any, TypeVar, overload

import numpy as np

F = TypeVar("F", bound=Callable[..., Any])


class _GradMode(threading.local):
    """Whether ops record the graph (on by default), and the observers of op calls and
    reverse passes (none by default); each thread has its own."""

    enabled = True
    observers: tuple[Observer, ...] = ()


grad_mode = _GradMode()


class _SetGradMode:
    """Context manager and decorator that sets grad mode for its block, then restores it."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.previous: list[bool] = []

    def __enter__(self) -> None:
        self.previous.append(grad_mode.enabled)
        grad_mode.enabled = self.enabled

    def __exit__(self, *exc: object) -> None:
        grad_mode.enabled = self.previous.pop()

    def __call__(self, func: F) -> F:
        enabled = self.enabled

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with _SetGradMode(enabled):
                return func(*args, **kwargs)

        return wrapper  # type: ignore[return-value]


@overload
def no_grad(func: None = None) -> _SetGradMode: ...
@overload
def no_grad(func: F) -> F: ...
def no_grad(func: F | None = None) -> _SetGradMode | F:
    """Turn recording off in this thread, as a ``with`` block or a decorator (``@no_grad``
    or ``@no_grad()``, as PyTorch allows both).

    >>> import autograd_lite as al
    >>> w = al.tensor([1.0], requires_grad=True)
    >>> with al.no_grad():
    ...     y = w * 2
    >>> y.requires_grad
    False
    """
    return _SetGradMode(False) if func is None else _SetGradMode(False)(func)


@overload
def enable_grad(func: None = None) -> _SetGradMode: ...
@overload
def enable_grad(func: F) -> F: ...
def enable_grad(func: F | None = None) -> _SetGradMode | F:
    """Turn recording back on in this thread (inside a ``no_grad`` block, say); a ``with``
    block or a decorator, with or without parentheses."""
    return _SetGradMode(True) if func is None else _SetGradMode(True)(func)


class set_grad_enabled:  # noqa: N801  (PyTorch's name)
    """Set recording on or off in this thread, as PyTorch's ``set_grad_enabled``: at once when
    called, and as a ``with`` block or a decorator, which restore the mode afterwards.

    >>> import autograd_lite as al
    >>> with al.set_grad_enabled(False):
    ...     al.is_grad_enabled()
    False
    >>> al.is_grad_enabled()
    True
    """

    def __init__(self, mode: bool) -> None:
        if not isinstance(mode, (bool, np.bool_)):
            raise TypeError(
                f"set_grad_enabled(mode): mode must be True or False, got {type(mode).__name__}"
            )
        self.enabled = bool(mode)
        self.previous = grad_mode.enabled
        grad_mode.enabled = self.enabled

    def __enter__(self) -> None:
        grad_mode.enabled = self.enabled

    def __exit__(self, *exc: object) -> None:
        grad_mode.enabled = self.previous

    def __call__(self, func: F) -> F:
        grad_mode.enabled = self.previous  # as a decorator it changes nothing until called
        return _SetGradMode(self.enabled)(func)


def is_grad_enabled() -> bool:
    """Whether ops record the graph in this thread."""
    return grad_mode.enabled


class Observer:
    """What an op call and a reverse pass report, to observers installed by ``observing``.

    Each method does nothing here; an observer overrides the ones it needs. With no
    observer installed the engine tests one thing per step and calls nothing.
    """

    def op_called(self, op: Any, inputs: list[Any], out: Any, node: Any) -> None:
        """An op ran on ``inputs`` (arrays); ``node`` is the recorded Tensor, or None."""

    def node_reached(self, node: Any, g: Any) -> None:
        """The reverse pass reached ``node`` with its whole gradient ``g``."""

    def gradient_sent(
        self, node: Any, argnum: int, x: Any, rule: Any, gx: Any, g: Any, args: Any
    ) -> None:
        """``rule`` of ``node``'s op, given ``g`` and ``args``, sent ``gx`` to input ``x``."""

    def gradients_added(self, x: Any, previous: Any, gx: Any) -> None:
        """A second gradient ``gx`` was added into ``x``'s pending ``previous`` one."""


class observing:  # noqa: N801 - used like a function, as the other switches
    """Report this thread's op calls and reverse passes to ``observer`` inside the block.

    >>> import autograd_lite as al
    >>> class Count(Observer):
    ...     ops = 0
    ...     def op_called(self, op, inputs, out, node):
    ...         self.ops += 1
    >>> with observing(Count()) as count:
    ...     _ = al.exp(al.tensor(1.0)) * 2
    >>> count.ops
    2
    """

    def __init__(self, observer: Observer) -> None:
        self.observer = observer
        self.previous: list[tuple[Observer, ...]] = []

    def __enter__(self) -> Any:
        self.previous.append(grad_mode.observers)
        grad_mode.observers = (*grad_mode.observers, self.observer)
        return self.observer

    def __exit__(self, *exc: object) -> None:
        grad_mode.observers = self.previous.pop()
