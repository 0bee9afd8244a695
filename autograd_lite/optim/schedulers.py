"""Learning-rate schedulers: objects whose ``step()`` sets ``optimizer.lr`` from a schedule,
with the names, arguments and formulas of ``torch.optim.lr_scheduler``. Here are their base
and the decays by a factor (``StepLR``, ``MultiStepLR``, ``ExponentialLR``); the schedules
with a warm-up are in :mod:`autograd_lite.optim.warmup_schedulers`.

As in torch, making a scheduler counts as step 0: it sets the optimizer's rate to the
schedule's first value and ``last_epoch`` to 0; each ``step()`` (after ``optimizer.step()``)
adds one. The rate is computed from the step number in closed form (torch's ``StepLR`` and
its like multiply the previous rate instead: the same values, up to rounding). Our optimizers
have one ``lr``, not param groups, so ``get_last_lr()`` is a list of one float.
``state_dict()`` is a plain JSON-able dict; the optimizer's own state holds its ``lr``.
"""

from __future__ import annotations

import math
import numbers
from bisect import bisect_right
from collections.abc import Iterable, Mapping
from typing import Any

from .base import Optimizer


class LRScheduler:
    """The schedule's bookkeeping; a subclass gives ``lr_at(epoch)`` and checks its settings."""

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

    def lr_at(self, epoch: int) -> float:
        """The learning rate of step ``epoch`` (0 is the one set on construction)."""
        raise NotImplementedError

    def _check(self) -> None:
        """Raise a ValueError naming the scheduler and the setting that is out of range."""

    def step(self) -> None:
        """Advance one step and set ``optimizer.lr`` to the schedule's next value."""
        lr = self.lr_at(self.last_epoch + 1)  # may raise: then nothing has changed
        self.last_epoch += 1
        self.optimizer.lr = self._last_lr = lr

    def get_last_lr(self) -> list[float]:
        """The rate the last ``step()`` set, as torch's one-per-param-group list."""
        return [self._last_lr]

    def state_dict(self) -> dict[str, Any]:
        """The step count, base rate, last rate and settings, as a JSON-able dict."""
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
        (load the optimizer's own state for it). Raises ValueError, changing nothing, when the
        state is another scheduler's or a value is out of range."""
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
    """``lr = base_lr * gamma ** (epoch // step_size)``: the rate falls by ``gamma`` every
    ``step_size`` steps.

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

    def lr_at(self, epoch: int) -> float:
        return self.base_lr * self.gamma ** (epoch // self.step_size)


class MultiStepLR(LRScheduler):
    """``lr = base_lr * gamma ** k``, k the number of milestones <= epoch: the rate falls by
    ``gamma`` at each milestone (strictly increasing step numbers).

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

    def lr_at(self, epoch: int) -> float:
        return self.base_lr * self.gamma ** bisect_right(self.milestones, epoch)


class ExponentialLR(LRScheduler):
    """``lr = base_lr * gamma ** epoch``: the rate falls by ``gamma`` every step.

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

    def lr_at(self, epoch: int) -> float:
        return self.base_lr * self.gamma**epoch


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
