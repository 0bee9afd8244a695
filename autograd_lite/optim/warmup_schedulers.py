"""Schedules that rise, then anneal: ``CosineWithWarmup`` (a linear warm-up, then half a
cosine) and torch's ``OneCycleLR``. Unlike the decays they are absolute, as torch's
``LambdaLR`` and ``OneCycleLR``: each step sets the rate from the step number, overriding a
rate set by hand or by another scheduler. See :mod:`autograd_lite.optim.schedulers` for the
conventions they share (step 0 on construction, JSON-able state).
"""

from __future__ import annotations

import math

from .base import Optimizer
from .schedulers import LRScheduler, integer_setting, number_setting


class CosineWithWarmup(LRScheduler):
    """A linear warm-up, then half a cosine down to ``min_lr``, set outright at each step (as
    torch's ``LambdaLR``); ``base_lr`` is the optimizer's rate when the scheduler is made,
    w = ``warmup_steps``, T = ``total_steps``:

    - ``lr = base_lr * epoch / w`` for epoch < w (0 at step 0, as transformers'
      ``get_cosine_schedule_with_warmup``: the first update does not move the parameters);
    - ``lr = min_lr + (base_lr - min_lr) * (1 + cos(pi * (epoch - w) / (T - w))) / 2`` for
      w <= epoch < T, so base_lr at epoch w;
    - ``lr = min_lr`` from epoch T on.

    >>> import autograd_lite as al
    >>> from autograd_lite.optim import SGD
    >>> opt = SGD([al.tensor([1.0], requires_grad=True)], lr=1.0)
    >>> scheduler = CosineWithWarmup(opt, warmup_steps=2, total_steps=4)
    >>> rates = [opt.lr]
    >>> for _ in range(4):
    ...     scheduler.step()
    ...     rates.append(round(opt.lr, 12))
    >>> rates
    [0.0, 0.5, 1.0, 0.5, 0.0]
    """

    _settings = ("warmup_steps", "total_steps", "min_lr")

    def __init__(
        self, optimizer: Optimizer, warmup_steps: int, total_steps: int, min_lr: float = 0.0
    ) -> None:
        self.warmup_steps, self.total_steps, self.min_lr = warmup_steps, total_steps, min_lr
        super().__init__(optimizer)

    def _check(self) -> None:
        self.warmup_steps = integer_setting(self, "warmup_steps", self.warmup_steps, 0)
        self.total_steps = integer_setting(self, "total_steps", self.total_steps, 1)
        if self.warmup_steps > self.total_steps:
            raise ValueError(
                f"CosineWithWarmup: warmup_steps ({self.warmup_steps}) must not exceed "
                f"total_steps ({self.total_steps})"
            )
        self.min_lr = number_setting(self, "min_lr", self.min_lr, 0.0)
        if self.min_lr > self.base_lr:
            raise ValueError(
                f"CosineWithWarmup: min_lr ({self.min_lr}) must not exceed the optimizer's "
                f"lr ({self.base_lr})"
            )

    def next_lr(self, epoch: int, lr: float) -> float:
        w, total = self.warmup_steps, self.total_steps
        if epoch < w:
            return self.base_lr * epoch / w
        if epoch >= total:
            return self.min_lr
        progress = (epoch - w) / (total - w)
        return self.min_lr + (self.base_lr - self.min_lr) * (1 + math.cos(math.pi * progress)) / 2


class OneCycleLR(LRScheduler):
    """The 1cycle policy as torch's ``OneCycleLR`` with ``three_phase=False``: the rate goes
    from ``initial_lr = max_lr / div_factor`` up to ``max_lr`` over the first
    ``pct_start * total_steps - 1`` steps, then down to
    ``min_lr = initial_lr / final_div_factor`` at step ``total_steps - 1``, set outright at
    each step: the optimizer's own ``lr`` is replaced. Each phase anneals ``start -> end`` as
    pct goes 0 -> 1 by ``end + (start - end) * (1 + cos(pi * pct)) / 2`` ("cos") or
    ``start + (end - start) * pct`` ("linear"). ``step()`` may be called ``total_steps``
    times (the last, step ``total_steps``, goes on past min_lr, as torch's); one more raises
    ValueError (as torch) and changes nothing. Momentum is not cycled
    (torch's ``cycle_momentum=False``). Where a phase has no length torch divides by zero;
    here it takes the phase's end value.

    >>> import autograd_lite as al
    >>> from autograd_lite.optim import SGD
    >>> opt = SGD([al.tensor([1.0], requires_grad=True)], lr=1.0)
    >>> scheduler = OneCycleLR(opt, max_lr=1.0, total_steps=10, div_factor=10.0)
    >>> rates = [opt.lr]
    >>> for _ in range(9):
    ...     scheduler.step()
    ...     rates.append(opt.lr)
    >>> [round(r, 3) for r in rates], scheduler.min_lr
    ([0.1, 0.55, 1.0, 0.95, 0.812, 0.611, 0.389, 0.188, 0.05, 0.0], 1e-05)
    """

    _settings = (
        "max_lr",
        "total_steps",
        "pct_start",
        "anneal_strategy",
        "div_factor",
        "final_div_factor",
    )

    def __init__(
        self,
        optimizer: Optimizer,
        max_lr: float,
        total_steps: int,
        pct_start: float = 0.3,
        anneal_strategy: str = "cos",
        div_factor: float = 25.0,
        final_div_factor: float = 1e4,
    ) -> None:
        self.max_lr, self.total_steps, self.pct_start = max_lr, total_steps, pct_start
        self.anneal_strategy = anneal_strategy
        self.div_factor, self.final_div_factor = div_factor, final_div_factor
        super().__init__(optimizer)

    @property
    def initial_lr(self) -> float:
        return self.max_lr / self.div_factor

    @property
    def min_lr(self) -> float:
        return self.initial_lr / self.final_div_factor

    def _check(self) -> None:
        self.max_lr = number_setting(self, "max_lr", self.max_lr, 0.0, strict=True)
        self.total_steps = integer_setting(self, "total_steps", self.total_steps, 1)
        self.pct_start = number_setting(self, "pct_start", self.pct_start, 0.0)
        if self.pct_start > 1:
            raise ValueError(f"OneCycleLR: pct_start must lie in [0, 1], got {self.pct_start}")
        if self.anneal_strategy not in ("cos", "linear"):
            raise ValueError(
                "OneCycleLR: anneal_strategy must be 'cos' or 'linear', "
                f"got {self.anneal_strategy!r}"
            )
        self.div_factor = number_setting(self, "div_factor", self.div_factor, 0.0, strict=True)
        self.final_div_factor = number_setting(
            self, "final_div_factor", self.final_div_factor, 0.0, strict=True
        )
        if self.last_epoch > self.total_steps:
            raise ValueError(
                f"OneCycleLR: last_epoch {self.last_epoch} is past total_steps {self.total_steps}"
            )
        self.base_lr = self.initial_lr  # the schedule starts here, whatever the optimizer's lr

    def next_lr(self, epoch: int, lr: float) -> float:
        if epoch > self.total_steps:
            raise ValueError(
                f"OneCycleLR: tried to step {epoch} times, but total_steps is "
                f"{self.total_steps}; make the scheduler with a larger total_steps"
            )
        phases = [
            (float(self.pct_start * self.total_steps) - 1, self.initial_lr, self.max_lr),
            (self.total_steps - 1, self.max_lr, self.min_lr),
        ]
        start_step = 0.0
        for i, (end_step, start_lr, end_lr) in enumerate(phases):
            if epoch <= end_step or i == len(phases) - 1:
                span = end_step - start_step
                pct = (epoch - start_step) / span if span else 1.0
                if self.anneal_strategy == "cos":
                    return end_lr + (start_lr - end_lr) / 2.0 * (math.cos(math.pi * pct) + 1)
                return (end_lr - start_lr) * pct + start_lr
            start_step = end_step
        raise AssertionError("unreachable: the last phase always answers")
