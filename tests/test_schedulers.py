"""Learning-rate schedulers: each rate against its formula worked by hand, the checks on
their settings, and their JSON-able state (torch, where installed, as a second oracle)."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

import autograd_lite as al
from autograd_lite import optim


def sgd(lr: float = 0.1) -> optim.SGD:
    return optim.SGD([al.tensor(np.ones(2), requires_grad=True)], lr=lr)


def rates(scheduler: optim.LRScheduler, steps: int) -> list[float]:
    """The rate at construction, then after each of ``steps`` calls of step()."""
    seen = [scheduler.optimizer.lr]
    for _ in range(steps):
        scheduler.step()
        seen.append(scheduler.optimizer.lr)
        assert scheduler.get_last_lr() == [scheduler.optimizer.lr]
    return seen


def test_step_lr_falls_by_gamma_every_step_size_steps():
    scheduler = optim.StepLR(sgd(0.2), step_size=3, gamma=0.5)
    assert scheduler.last_epoch == 0
    np.testing.assert_allclose(
        rates(scheduler, 7), [0.2, 0.2, 0.2, 0.1, 0.1, 0.1, 0.05, 0.05], rtol=1e-15
    )
    assert scheduler.last_epoch == 7


def test_multi_step_lr_falls_by_gamma_at_each_milestone():
    scheduler = optim.MultiStepLR(sgd(1.0), milestones=[2, 5], gamma=0.1)
    np.testing.assert_allclose(
        rates(scheduler, 6), [1.0, 1.0, 0.1, 0.1, 0.1, 0.01, 0.01], rtol=1e-15
    )


def test_exponential_lr_falls_by_gamma_every_step():
    scheduler = optim.ExponentialLR(sgd(0.5), gamma=0.9)
    np.testing.assert_allclose(rates(scheduler, 3), [0.5, 0.45, 0.405, 0.3645], rtol=1e-15)


def test_cosine_with_warmup_rises_linearly_then_follows_half_a_cosine():
    scheduler = optim.CosineWithWarmup(sgd(0.1), warmup_steps=4, total_steps=12, min_lr=0.01)
    seen = rates(scheduler, 14)
    np.testing.assert_allclose(seen[:5], [0.0, 0.025, 0.05, 0.075, 0.1], rtol=1e-15)
    # (6 - 4) / (12 - 4) = 1/4 of the way down: 0.01 + 0.09 * (1 + cos(pi / 4)) / 2
    assert seen[6] == pytest.approx(0.01 + 0.09 * (1 + math.sqrt(0.5)) / 2, rel=1e-15)
    assert seen[8] == pytest.approx(0.055, rel=1e-15)  # half way: the mean of the two rates
    assert seen[12:] == [0.01, 0.01, 0.01]  # at total_steps and after: min_lr


def test_cosine_without_warmup_starts_at_the_optimizers_rate():
    scheduler = optim.CosineWithWarmup(sgd(0.3), warmup_steps=0, total_steps=2)
    np.testing.assert_allclose(rates(scheduler, 3), [0.3, 0.15, 0.0, 0.0], atol=1e-16)


def test_one_cycle_follows_torchs_two_phases_with_cosine_annealing():
    opt = sgd(123.0)  # replaced: the cycle starts at max_lr / div_factor
    scheduler = optim.OneCycleLR(opt, max_lr=1.0, total_steps=10)
    seen = rates(scheduler, 10)
    initial, low = 1.0 / 25, 1.0 / 25 / 1e4
    assert seen[0] == pytest.approx(initial, rel=1e-15)
    # phase 1 ends at step 0.3 * 10 - 1 = 2: half way, the mean of initial and max_lr
    assert seen[1] == pytest.approx((initial + 1.0) / 2, rel=1e-15)
    assert seen[2] == 1.0
    # phase 2 runs from step 2 to step 9: at step 4, pct = 2/7
    assert seen[4] == pytest.approx(low + (1.0 - low) * (1 + math.cos(2 * math.pi / 7)) / 2)
    assert seen[9] == pytest.approx(low, rel=1e-12)
    # step 10 (allowed, as in torch) is past the end of the cosine: pct = 8/7
    assert seen[10] == pytest.approx(low + (1.0 - low) * (1 + math.cos(8 * math.pi / 7)) / 2)


def test_one_cycle_linear_anneals_along_straight_lines():
    scheduler = optim.OneCycleLR(
        sgd(), max_lr=2.0, total_steps=5, pct_start=0.4, anneal_strategy="linear", div_factor=4
    )
    # phase 1: steps 0..1 from 0.5 to 2; phase 2: steps 1..4 from 2 to 0.5 / 1e4
    low = 0.5 / 1e4
    np.testing.assert_allclose(
        rates(scheduler, 4),
        [0.5, 2.0, 2.0 + (low - 2.0) / 3, 2.0 + 2 * (low - 2.0) / 3, low],
        rtol=1e-14,
        atol=1e-15,  # (low - 2) + 2 rounds, in torch's form as in ours
    )


def test_one_cycle_refuses_a_step_past_total_steps_and_changes_nothing():
    opt = sgd()
    scheduler = optim.OneCycleLR(opt, max_lr=1.0, total_steps=3)
    rates(scheduler, 3)
    lr = opt.lr
    with pytest.raises(ValueError, match="OneCycleLR: tried to step 4 times, but total_steps is 3"):
        scheduler.step()
    assert scheduler.last_epoch == 3 and opt.lr == lr == scheduler.get_last_lr()[0]


def test_one_cycle_phase_of_no_length_takes_its_end_value():
    # 0.1 * 10 - 1 = 0: phase 1 is the single step 0, where torch divides 0 by 0
    scheduler = optim.OneCycleLR(sgd(), max_lr=1.0, total_steps=10, pct_start=0.1)
    assert scheduler.optimizer.lr == 1.0
    scheduler = optim.OneCycleLR(sgd(), max_lr=1.0, total_steps=4, pct_start=1.0)
    assert rates(scheduler, 4)[3:] == [1.0, pytest.approx(1.0 / 25 / 1e4)]


def test_the_scheduled_rate_is_the_one_the_optimizer_steps_with():
    w = al.tensor([1.0], requires_grad=True)
    opt = optim.SGD([w], lr=1.0)
    scheduler = optim.ExponentialLR(opt, gamma=0.5)
    expected = 1.0
    for lr in [1.0, 0.5, 0.25]:
        w.grad = np.array([1.0])
        opt.step()
        scheduler.step()
        expected -= lr
    assert w.data[0] == expected == -0.75


def make(name: str, opt: optim.Optimizer) -> optim.LRScheduler:
    return {
        "StepLR": lambda: optim.StepLR(opt, step_size=2, gamma=0.5),
        "MultiStepLR": lambda: optim.MultiStepLR(opt, milestones=[1, 4], gamma=0.3),
        "ExponentialLR": lambda: optim.ExponentialLR(opt, gamma=0.8),
        "CosineWithWarmup": lambda: optim.CosineWithWarmup(opt, 2, 6, min_lr=0.001),
        "OneCycleLR": lambda: optim.OneCycleLR(opt, max_lr=0.5, total_steps=8),
    }[name]()


NAMES = ["StepLR", "MultiStepLR", "ExponentialLR", "CosineWithWarmup", "OneCycleLR"]


@pytest.mark.parametrize("name", NAMES)
def test_state_dict_is_json_and_resumes_the_schedule(name):
    whole = make(name, sgd())
    expected = rates(whole, 7)

    first = make(name, sgd())
    rates(first, 3)
    state = json.loads(json.dumps(first.state_dict()))
    assert state["type"] == name and state["last_epoch"] == 3

    opt = sgd(0.7)
    resumed = make(name, opt)
    lr = opt.lr
    resumed.load_state_dict(state)
    assert resumed.last_epoch == 3 and resumed.get_last_lr() == [expected[3]]
    assert opt.lr == lr  # as torch: the optimizer's lr is in the optimizer's own state...
    opt.load_state_dict(first.optimizer.state_dict())  # ...which the decays go on from
    seen = expected[:4]
    for _ in range(4):
        resumed.step()
        seen.append(opt.lr)
    assert seen == expected  # exactly: the same arithmetic from the same numbers


def test_load_state_dict_refuses_another_schedulers_state_and_changes_nothing():
    scheduler = optim.StepLR(sgd(), step_size=2)
    before = scheduler.state_dict()
    other = optim.ExponentialLR(sgd(), gamma=0.5).state_dict()
    with pytest.raises(ValueError, match="StepLR: the state is a 'ExponentialLR' scheduler's"):
        scheduler.load_state_dict(other)
    with pytest.raises(ValueError, match=r"StepLR: state keys missing \['gamma'\]"):
        scheduler.load_state_dict({k: v for k, v in before.items() if k != "gamma"})
    with pytest.raises(ValueError, match="StepLR: step_size must be a positive integer, got -2"):
        scheduler.load_state_dict({**before, "step_size": -2, "last_epoch": 5})
    with pytest.raises(ValueError, match="StepLR: last_epoch must be an integer >= 0"):
        scheduler.load_state_dict({**before, "last_epoch": 1.5})
    assert scheduler.state_dict() == before


def test_load_state_dict_refuses_a_one_cycle_already_past_its_end():
    scheduler = optim.OneCycleLR(sgd(), max_lr=1.0, total_steps=5)
    before = scheduler.state_dict()
    with pytest.raises(ValueError, match="OneCycleLR: last_epoch 6 is past total_steps 5"):
        scheduler.load_state_dict({**before, "last_epoch": 6})
    assert scheduler.state_dict() == before


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda o: optim.StepLR(o, step_size=-1), "StepLR: step_size must be a positive integer"),
        (lambda o: optim.StepLR(o, step_size=0), "StepLR: step_size must be a positive integer"),
        (lambda o: optim.StepLR(o, step_size=1.5), "StepLR: step_size must be a positive"),
        (lambda o: optim.StepLR(o, 2, gamma=0.0), r"StepLR: gamma must be a finite number > 0"),
        (lambda o: optim.StepLR(o, 2, gamma=-0.5), r"StepLR: gamma must be a finite number > 0"),
        (lambda o: optim.MultiStepLR(o, [3, 1]), r"MultiStepLR: milestones must be strictly"),
        (lambda o: optim.MultiStepLR(o, [2, 2]), r"MultiStepLR: milestones must be strictly"),
        (lambda o: optim.MultiStepLR(o, [-1, 2]), r"MultiStepLR: milestones must be an integer"),
        (lambda o: optim.MultiStepLR(o, [1], gamma=0), "MultiStepLR: gamma must be"),
        (lambda o: optim.ExponentialLR(o, gamma=0.0), "ExponentialLR: gamma must be"),
        (lambda o: optim.ExponentialLR(o, gamma=math.inf), "ExponentialLR: gamma must be"),
        (lambda o: optim.CosineWithWarmup(o, 0, 0), "CosineWithWarmup: total_steps must be a"),
        (lambda o: optim.CosineWithWarmup(o, -1, 5), "CosineWithWarmup: warmup_steps must be"),
        (lambda o: optim.CosineWithWarmup(o, 6, 5), r"warmup_steps \(6\) must not exceed"),
        (lambda o: optim.CosineWithWarmup(o, 1, 5, min_lr=-1), "CosineWithWarmup: min_lr"),
        (lambda o: optim.CosineWithWarmup(o, 1, 5, min_lr=1), r"min_lr \(1.0\) must not exceed"),
        (lambda o: optim.OneCycleLR(o, 1.0, total_steps=0), "OneCycleLR: total_steps must be"),
        (lambda o: optim.OneCycleLR(o, 0.0, total_steps=5), "OneCycleLR: max_lr must be"),
        (lambda o: optim.OneCycleLR(o, 1.0, 5, pct_start=1.5), "OneCycleLR: pct_start must"),
        (lambda o: optim.OneCycleLR(o, 1.0, 5, pct_start=-0.1), "OneCycleLR: pct_start must"),
        (lambda o: optim.OneCycleLR(o, 1.0, 5, anneal_strategy="exp"), "anneal_strategy must"),
        (lambda o: optim.OneCycleLR(o, 1.0, 5, div_factor=0), "OneCycleLR: div_factor must"),
        (lambda o: optim.OneCycleLR(o, 1.0, 5, final_div_factor=-1), "final_div_factor must"),
    ],
)
def test_bad_settings_are_refused_naming_the_scheduler_and_argument(build, message):
    opt = sgd(0.1)
    with pytest.raises(ValueError, match=message):
        build(opt)
    assert opt.lr == 0.1  # refused before the first step


def test_a_scheduler_needs_one_of_our_optimizers():
    with pytest.raises(TypeError, match="StepLR: expected an autograd_lite.optim optimizer"):
        optim.StepLR(object(), step_size=1)


@pytest.mark.parametrize("name", ["StepLR", "MultiStepLR", "ExponentialLR", "OneCycleLR"])
def test_rates_match_torch_where_it_is_installed(name):
    torch = pytest.importorskip("torch", reason="optional oracle, not installed")
    schedulers = torch.optim.lr_scheduler
    param = torch.nn.Parameter(torch.zeros(1, dtype=torch.float64))
    opt = torch.optim.SGD([param], lr=0.1)
    theirs = {
        "StepLR": lambda: schedulers.StepLR(opt, step_size=2, gamma=0.5),
        "MultiStepLR": lambda: schedulers.MultiStepLR(opt, milestones=[1, 4], gamma=0.3),
        "ExponentialLR": lambda: schedulers.ExponentialLR(opt, gamma=0.8),
        "OneCycleLR": lambda: schedulers.OneCycleLR(
            opt, max_lr=0.5, total_steps=8, cycle_momentum=False
        ),
    }[name]()
    expected = [opt.param_groups[0]["lr"]]
    for _ in range(8):
        opt.step()
        theirs.step()
        expected.append(opt.param_groups[0]["lr"])
    np.testing.assert_allclose(rates(make(name, sgd(0.1)), 8), expected, rtol=1e-12)
