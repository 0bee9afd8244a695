"""Learning-rate schedulers: objects whose ``step()`` sets ``optimizer.lr`` from a schedule,
with the names, arguments and formulas of ``torch.optim.lr_scheduler``. Here are their base
and the decays by a factor (``StepLR``, ``MultiStepLR``, ``ExponentialLR``); the schedules
with a warm-up are in :mod:`autograd_lite.optim.warmup_schedulers`.

As in torch, making a scheduler counts as step 0 and sets ``last_epoch`` to 0; each
``step()`` (after ``optimizer.step()``) adds one. The decays are chainable, as torch's: each
step scales the rate the optimizer has then, so a rate set by hand, or by another scheduler
on the same optimizer, decays from there (``StepLR(opt, 2, 0.5)`` and
``ExponentialLR(opt, 0.9)`` stepped together give 1, 0.9, 0.405, 0.3645, ...). The warm-up
schedules set the rate outright from the step number, as torch's ``LambdaLR`` and
``OneCycleLR``. Our optimizers have one ``lr``, not param groups, so ``get_last_lr()`` is a
list of one float. ``state_dict()`` is a plain JSON-able dict; the optimizer's own state
holds its ``lr``, the rate a chainable schedule goes on from: load both to resume.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable, Mapping
from typing import Any

from .base import Optimizer


class LRScheduler:
    """The schedule's bookkeeping; a subclass gives ``next_lr`` and checks its settings."""

    _settings: tuple[str, ...] = ()  # the attributes a subclass keeps in its state_dict

    def __init__(self, optimizer: Optimizer) -> None:
        if not isinstance(optimizer, Optimizer):
            raise TypeError(
                f"{type(self).__name__}: expected an autograd_lite.optim optimizer, "
                f"got {type(optimizer).__name__}"
            )
        self.optimizer = optimizer
        self.base_lr = float(optimizer.lr)
        self.last_epoch = -1
        self._last_lr = self.base_lr
        self._check()
        self.step()

    def next_lr(self, epoch: int, lr: float) -> float:
        """The rate for step ``epoch`` (0 on construction) given the optimizer's rate ``lr``
        now: a chainable schedule scales ``lr``, an absolute one ignores it."""
        raise NotImplementedError

    def _check(self) -> None:
        """Raise a ValueError naming the scheduler and the setting that is out of range."""

    def step(self) -> None:
        """Advance one step and set ``optimizer.lr`` to the schedule's next value."""
        lr = self.next_lr(self.last_epoch + 1, float(self.optimizer.lr))  # raises: no change
        self.last_epoch += 1
        self.optimizer.lr = self._last_lr = lr

    def get_last_lr(self) -> list[float]:
        """The rate the last ``step()`` set, as torch's one-per-param-group list."""
        return [self._last_lr]

    def state_dict(self) -> dict[str, Any]:
        """The step count, base rate (the optimizer's when the scheduler was made), last rate
        and settings, as a JSON-able dict."""
        state: dict[str, Any] = {
            "type": type(self).__name__,
            "last_epoch": self.last_epoch,
            "base_lr": self.base_lr,
            "last_lr": self._last_lr,
        }
        for name in self._settings:
            value = getattr(self, name)
            state[name] = list(value) if isinstance(value, list) else value
        return state

    def load_state_dict(self, state: Mapping[str, Any]) -> None:
        """Take the state :meth:`state_dict` gave; the optimizer's ``lr`` is left as it is
        (load the optimizer's own state for it: a chainable schedule goes on from it). Raises
        ValueError, changing nothing, when the state is another scheduler's or a value is out
        of range."""
        name = type(self).__name__
        if not isinstance(state, Mapping) or state.get("type") != name:
            found = state.get("type") if isinstance(state, Mapping) else type(state).__name__
            raise ValueError(f"{name}: the state is a {found!r} scheduler's, not a {name}'s")
        expected = {"type", "last_epoch", "base_lr", "last_lr", *self._settings}
        if set(state) != expected:
            missing, unexpected = sorted(expected - set(state)), sorted(set(state) - expected)
            raise ValueError(f"{name}: state keys missing {missing}, unexpected {unexpected}")
        previous = self.state_dict()
        self._assign(state)
        try:
            self.last_epoch = integer_setting(self, "last_epoch", self.last_epoch, 0)
            self.base_lr = number_setting(self, "base_lr", self.base_lr, 0.0, strict=True)
            self._last_lr = number_setting(self, "last_lr", self._last_lr, 0.0)
            self._check()
        except ValueError:
            self._assign(previous)
            raise

    def _assign(self, state: Mapping[str, Any]) -> None:
        self.last_epoch, self.base_lr, self._last_lr = (
            state["last_epoch"],
            state["base_lr"],
            state["last_lr"],
        )
        for key in self._settings:
            value = state[key]
            setattr(self, key, list(value) if isinstance(value, (list, tuple)) else value)


class StepLR(LRScheduler):
    """The optimizer's rate times ``gamma`` at every ``step_size``-th step (chainable: alone,
    ``base_lr * gamma ** (epoch // step_size)``).

    >>> import autograd_lite as al
    >>> from autograd_lite.optim import SGD
    >>> opt = SGD([al.tensor([1.0], requires_grad=True)], lr=1.0)
    >>> scheduler = StepLR(opt, step_size=2, gamma=0.5)
    >>> rates = [opt.lr]
    >>> for _ in range(5):
    ...     scheduler.step()
    ...     rates.append(opt.lr)
    >>> rates
    [1.0, 1.0, 0.5, 0.5, 0.25, 0.25]
    """

    _settings = ("step_size", "gamma")

    def __init__(self, optimizer: Optimizer, step_size: int, gamma: float = 0.1) -> None:
        self.step_size, self.gamma = step_size, gamma
        super().__init__(optimizer)

    def _check(self) -> None:
        self.step_size = integer_setting(self, "step_size", self.step_size, 1)
        self.gamma = number_setting(self, "gamma", self.gamma, 0.0, strict=True)

    def next_lr(self, epoch: int, lr: float) -> float:
        return lr * self.gamma if epoch and epoch % self.step_size == 0 else lr


class MultiStepLR(LRScheduler):
    """The optimizer's rate times ``gamma`` at each milestone (strictly increasing step
    numbers; chainable: alone, ``base_lr * gamma ** k``, k the milestones <= epoch).

    >>> import autograd_lite as al
    >>> from autograd_lite.optim import SGD
    >>> opt = SGD([al.tensor([1.0], requires_grad=True)], lr=1.0)
    >>> scheduler = MultiStepLR(opt, milestones=[1, 3], gamma=0.1)
    >>> for _ in range(3):
    ...     scheduler.step()
    >>> scheduler.last_epoch, round(opt.lr, 12)
    (3, 0.01)
    """

    _settings = ("milestones", "gamma")

    def __init__(self, optimizer: Optimizer, milestones: Iterable[int], gamma: float = 0.1) -> None:
        self.milestones, self.gamma = list(milestones), gamma
        super().__init__(optimizer)

    def _check(self) -> None:
        self.milestones = [integer_setting(self, "milestones", m, 0) for m in self.milestones]
        if self.milestones != sorted(set(self.milestones)):
            raise ValueError(
                f"MultiStepLR: milestones must be strictly increasing, got {self.milestones}"
            )
        self.gamma = number_setting(self, "gamma", self.gamma, 0.0, strict=True)

    def next_lr(self, epoch: int, lr: float) -> float:
        return lr * self.gamma if epoch in self.milestones else lr


class ExponentialLR(LRScheduler):
    """The optimizer's rate times ``gamma`` at every step (chainable: alone,
    ``base_lr * gamma ** epoch``).

    >>> import autograd_lite as al
    >>> from autograd_lite.optim import SGD
    >>> opt = SGD([al.tensor([1.0], requires_grad=True)], lr=2.0)
    >>> scheduler = ExponentialLR(opt, gamma=0.5)
    >>> scheduler.step(); scheduler.step()
    >>> scheduler.get_last_lr()
    [0.5]
    """

    _settings = ("gamma",)

    def __init__(self, optimizer: Optimizer, gamma: float) -> None:
        self.gamma = gamma
        super().__init__(optimizer)

    def _check(self) -> None:
        self.gamma = number_setting(self, "gamma", self.gamma, 0.0, strict=True)

    def next_lr(self, epoch: int, lr: float) -> float:
        return lr * self.gamma if epoch else lr


def integer_setting(owner: object, name: str, value: Any, low: int) -> int:
    """``value`` as an int >= ``low``, or a ValueError naming the scheduler and ``name``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < low:
        what = "a positive integer" if low == 1 else f"an integer >= {low}"
        raise ValueError(f"{type(owner).__name__}: {name} must be {what}, got {value!r}")
    return int(value)


def number_setting(owner: object, name: str, value: Any, low: float, strict: bool = False) -> float:
    """``value`` as a finite float above ``low`` (or equal, unless ``strict``)."""
    number = float(value) if isinstance(value, numbers.Real) else math.nan
    if (
        isinstance(value, bool)
        or not math.isfinite(number)
        or not (number > low if strict else number >= low)
    ):
        bound = f"> {low:g}" if strict else f">= {low:g}"
        raise ValueError(
            f"{type(owner).__name__}: {name} must be a finite number {bound}, got {value!r}"
        )
    return number
