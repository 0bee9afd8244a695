"""Schedulers sharing an optimizer with a rate set by hand or by another scheduler, as torch's:
the decays scale the rate the optimizer has now, the warm-up schedules set it outright. The
expected rates are worked by hand; tests/test_optim_against_torch.py checks torch agrees."""

from __future__ import annotations

import math

import numpy as np
import pytest

import autograd_lite as al
from autograd_lite import optim


def sgd(lr: float = 1.0) -> optim.SGD:
    return optim.SGD([al.tensor(np.ones(2), requires_grad=True)], lr=lr)


def together(opt: optim.Optimizer, *schedulers: optim.LRScheduler, steps: int) -> list[float]:
    """The rate once all are made, then after each round of step() in the order given."""
    seen = [opt.lr]
    for _ in range(steps):
        for scheduler in schedulers:
            scheduler.step()
        seen.append(opt.lr)
    return seen


def after_setting_by_hand(scheduler: optim.LRScheduler, lr: float, steps: int) -> list[float]:
    """One step, then ``optimizer.lr = lr`` by hand, then the rate after each further step."""
    scheduler.step()
    scheduler.optimizer.lr = lr
    seen = []
    for _ in range(steps):
        scheduler.step()
        seen.append(scheduler.optimizer.lr)
        assert scheduler.get_last_lr() == [scheduler.optimizer.lr]
    return seen


def test_step_lr_decays_a_rate_set_by_hand():
    # steps 2..5 of StepLR(2, 0.5): x0.5 at 2 and 4, from the 10 set at step 1
    scheduler = optim.StepLR(sgd(), step_size=2, gamma=0.5)
    assert after_setting_by_hand(scheduler, 10.0, 4) == [5.0, 5.0, 2.5, 2.5]


def test_multi_step_lr_decays_a_rate_set_by_hand_at_its_next_milestone():
    scheduler = optim.MultiStepLR(sgd(), milestones=[1, 3], gamma=0.5)
    assert after_setting_by_hand(scheduler, 6.0, 3) == [6.0, 3.0, 3.0]


def test_exponential_lr_decays_a_rate_set_by_hand():
    scheduler = optim.ExponentialLR(sgd(), gamma=0.5)
    assert after_setting_by_hand(scheduler, 3.0, 3) == [1.5, 0.75, 0.375]


def test_cosine_with_warmup_sets_its_rate_whatever_was_set_by_hand():
    # as torch's LambdaLR: lr = base_lr * factor(step), rates 0, 0.5, 1, 0.5, 0
    scheduler = optim.CosineWithWarmup(sgd(), warmup_steps=2, total_steps=4)
    seen = after_setting_by_hand(scheduler, 10.0, 3)
    assert seen[:2] == [1.0, pytest.approx(0.5, rel=1e-15)] and seen[2] == pytest.approx(0)


def one_cycle_rate(step: int) -> float:
    """OneCycleLR(max_lr=1, total_steps=10, div_factor=10) after step 2 (its peak): the cosine
    from 1 down to min_lr = 0.1 / 1e4 over steps 2..9."""
    return 1e-5 + (1 - 1e-5) * (1 + math.cos(math.pi * (step - 2) / 7)) / 2


def test_one_cycle_sets_its_rate_whatever_was_set_by_hand():
    scheduler = optim.OneCycleLR(sgd(), max_lr=1.0, total_steps=10, div_factor=10.0)
    seen = after_setting_by_hand(scheduler, 10.0, 2)
    assert seen == [1.0, pytest.approx(one_cycle_rate(3), rel=1e-15)]


def test_step_lr_and_exponential_lr_both_decay_the_rate():
    # x0.9 every step, and x0.5 more at steps 2, 4, 6 (StepLR alone would give 1, 1, 0.5, ...)
    opt = sgd()
    seen = together(opt, optim.StepLR(opt, 2, 0.5), optim.ExponentialLR(opt, 0.9), steps=6)
    expected = [1.0, 0.9, 0.405, 0.3645, 0.164025, 0.1476225, 0.066430125]
    np.testing.assert_allclose(seen, expected, rtol=1e-14)


def test_multi_step_lr_and_step_lr_both_decay_the_rate():
    # x0.5 at milestones 1 and 3, and x0.5 at steps 2 and 4
    opt = sgd()
    seen = together(opt, optim.MultiStepLR(opt, [1, 3], 0.5), optim.StepLR(opt, 2, 0.5), steps=4)
    assert seen == [1.0, 0.5, 0.25, 0.125, 0.0625]


def test_a_decay_stepped_after_a_warm_up_schedule_scales_its_rate_each_step():
    # CosineWithWarmup sets 0, 0.5, 1, 0.5, 0 outright; ExponentialLR then scales that by 0.5
    # (once per step, not 0.5 ** step: the rate it scales is set anew each step, as in torch)
    opt = sgd()
    warm_up = optim.CosineWithWarmup(opt, warmup_steps=2, total_steps=4)
    seen = together(opt, warm_up, optim.ExponentialLR(opt, 0.5), steps=4)
    np.testing.assert_allclose(seen, [0.0, 0.25, 0.5, 0.25, 0.0], rtol=1e-15, atol=1e-17)


def test_a_warm_up_schedule_stepped_last_overrides_a_decay():
    opt = sgd()
    decay = optim.ExponentialLR(opt, 0.5)
    seen = together(opt, decay, optim.CosineWithWarmup(opt, 2, 4), steps=4)
    np.testing.assert_allclose(seen, [0.0, 0.5, 1.0, 0.5, 0.0], rtol=1e-15, atol=1e-16)


def test_step_lr_after_one_cycle_halves_its_rate_at_every_second_step():
    opt = sgd()
    cycle = optim.OneCycleLR(opt, max_lr=1.0, total_steps=10, div_factor=10.0)
    seen = together(opt, cycle, optim.StepLR(opt, 2, 0.5), steps=4)
    # OneCycleLR alone: 0.1, up to 0.55 and 1.0, then down its cosine; x0.5 at steps 2 and 4
    expected = [0.1, 0.55, 1.0 * 0.5, one_cycle_rate(3), one_cycle_rate(4) * 0.5]
    np.testing.assert_allclose(seen, expected, rtol=1e-14)


def test_a_resumed_chain_goes_on_from_the_optimizers_loaded_rate():
    first = sgd()
    chain = [optim.StepLR(first, 2, 0.5), optim.ExponentialLR(first, 0.9)]
    expected = together(first, *chain, steps=6)

    opt = sgd()
    half = [optim.StepLR(opt, 2, 0.5), optim.ExponentialLR(opt, 0.9)]
    together(opt, *half, steps=3)
    states, optimizer_state = [s.state_dict() for s in half], opt.state_dict()

    resumed = sgd(0.3)
    schedulers = [optim.StepLR(resumed, 2, 0.5), optim.ExponentialLR(resumed, 0.9)]
    resumed.load_state_dict(optimizer_state)  # the rate the chain goes on from
    for scheduler, state in zip(schedulers, states, strict=True):
        scheduler.load_state_dict(state)
    assert together(resumed, *schedulers, steps=3) == expected[3:]  # bit for bit


def descend(opt: optim.Optimizer, scheduler: optim.LRScheduler, steps: range) -> None:
    """SGD on a fixed gradient per step number, the scheduler stepped after each update."""
    for step in steps:
        for p in opt.params:
            p.grad = np.array([1.0, -0.5]) * (step + 1)
        opt.step()
        scheduler.step()


def test_a_decay_resumed_from_the_file_is_bit_identical(tmp_path):
    whole = sgd(0.3)
    descend(whole, optim.StepLR(whole, 2, 0.7), range(6))

    first = sgd(0.3)
    schedule = optim.StepLR(first, 2, 0.7)
    descend(first, schedule, range(3))
    optim.save_state(first, tmp_path / "opt.npz", schedule)
    for load in (True, False):
        second = sgd(0.9)  # another rate: the loaded one must replace it
        second.params[0].data = first.params[0].data.copy()
        schedule = optim.StepLR(second, 2, 0.7)
        if load:
            optim.load_state(second, tmp_path / "opt.npz", schedule)
        descend(second, schedule, range(3, 6))
        same = second.params[0].data.tobytes() == whole.params[0].data.tobytes()
        assert same == load and (second.lr == whole.lr) == load
