"""Optional: ten steps of each optimizer (and a schedule) against torch.optim on the same
gradients, float64; skipped where torch is not installed (``pip install torch==2.13.0``)."""

import math

import numpy as np
import pytest
from torch_oracle import torch

import autograd_lite as al
from autograd_lite import optim

SETTINGS = [
    ("SGD", {"lr": 0.1}),
    ("SGD", {"lr": 0.1, "momentum": 0.9, "weight_decay": 0.01}),
    ("SGD", {"lr": 0.1, "momentum": 0.5, "nesterov": True}),
    ("Adam", {"lr": 0.05, "betas": (0.8, 0.95), "eps": 1e-6, "weight_decay": 0.1}),
    ("AdamW", {"lr": 0.05, "weight_decay": 0.2}),
    ("RMSprop", {"lr": 0.01, "alpha": 0.9, "momentum": 0.5, "weight_decay": 0.05}),
]


@pytest.mark.parametrize(("name", "options"), SETTINGS, ids=[f"{n}{o}" for n, o in SETTINGS])
def test_ten_steps_match_torch(name, options):
    rng = np.random.default_rng(3)
    start, grads = rng.standard_normal((2, 3)), rng.standard_normal((10, 2, 3))
    ours = al.tensor(start.copy(), requires_grad=True)
    theirs = torch.tensor(start.copy(), requires_grad=True)
    opt = getattr(optim, name)([ours], **options)
    torch_opt = getattr(torch.optim, name)([theirs], **options)
    for g in grads:
        ours.grad = g.copy()
        theirs.grad = torch.tensor(g)
        opt.step()
        torch_opt.step()
        np.testing.assert_allclose(ours.data, theirs.detach().numpy(), rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize(("name", "options"), SETTINGS, ids=[f"{n}{o}" for n, o in SETTINGS])
def test_a_parameter_without_gradient_for_the_first_steps_moves_as_torchs(name, options):
    """torch skips a parameter whose .grad is None, and its state (Adam's step count among
    it) does not advance: the second parameter first has a gradient at step 4."""
    rng = np.random.default_rng(4)
    starts, grads = rng.standard_normal((2, 3)), rng.standard_normal((10, 2, 3))
    ours = [al.tensor(s.copy(), requires_grad=True) for s in starts]
    theirs = [torch.tensor(s.copy(), requires_grad=True) for s in starts]
    opt = getattr(optim, name)(ours, **options)
    torch_opt = getattr(torch.optim, name)(theirs, **options)
    for step, g in enumerate(grads):
        for i, (p, q) in enumerate(zip(ours, theirs, strict=True)):
            skipped = i == 1 and step < 3
            p.grad = None if skipped else g[i].copy()
            q.grad = None if skipped else torch.tensor(g[i])
        opt.step()
        torch_opt.step()
        for p, q in zip(ours, theirs, strict=True):
            np.testing.assert_allclose(p.data, q.detach().numpy(), rtol=1e-12, atol=1e-14)


def test_one_cycle_and_step_schedules_match_torch():
    for make, make_torch in [
        (
            lambda o: optim.OneCycleLR(o, max_lr=0.5, total_steps=12),
            lambda o: torch.optim.lr_scheduler.OneCycleLR(
                o, max_lr=0.5, total_steps=12, cycle_momentum=False
            ),
        ),
        (
            lambda o: optim.MultiStepLR(o, [2, 5], gamma=0.3),
            lambda o: torch.optim.lr_scheduler.MultiStepLR(o, [2, 5], gamma=0.3),
        ),
    ]:
        opt = optim.SGD([al.tensor([1.0], requires_grad=True)], lr=0.2)
        torch_opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.2)
        scheduler, torch_scheduler = make(opt), make_torch(torch_opt)
        for _ in range(11):
            assert opt.lr == pytest.approx(torch_opt.param_groups[0]["lr"], rel=1e-12)
            torch_opt.step()
            scheduler.step()
            torch_scheduler.step()


def warm_up_cosine(step: int) -> float:
    """CosineWithWarmup(lr=0.2, 2, 6, min_lr=0.02)'s factor, for torch's LambdaLR."""
    if step < 2:
        return step / 2
    if step >= 6:
        return 0.1
    return 0.1 + 0.9 * (1 + math.cos(math.pi * (step - 2) / 4)) / 2


OURS = {
    "StepLR": lambda o: optim.StepLR(o, step_size=2, gamma=0.5),
    "MultiStepLR": lambda o: optim.MultiStepLR(o, [1, 4], gamma=0.3),
    "ExponentialLR": lambda o: optim.ExponentialLR(o, gamma=0.9),
    "CosineWithWarmup": lambda o: optim.CosineWithWarmup(o, 2, 6, min_lr=0.02),
    "OneCycleLR": lambda o: optim.OneCycleLR(o, max_lr=0.5, total_steps=12),
}
THEIRS = {
    "StepLR": lambda o: torch.optim.lr_scheduler.StepLR(o, step_size=2, gamma=0.5),
    "MultiStepLR": lambda o: torch.optim.lr_scheduler.MultiStepLR(o, [1, 4], gamma=0.3),
    "ExponentialLR": lambda o: torch.optim.lr_scheduler.ExponentialLR(o, gamma=0.9),
    "CosineWithWarmup": lambda o: torch.optim.lr_scheduler.LambdaLR(o, warm_up_cosine),
    "OneCycleLR": lambda o: torch.optim.lr_scheduler.OneCycleLR(
        o, max_lr=0.5, total_steps=12, cycle_momentum=False
    ),
}
PAIRS = [
    ("StepLR", "ExponentialLR"),
    ("MultiStepLR", "StepLR"),
    ("ExponentialLR", "MultiStepLR"),
    ("CosineWithWarmup", "ExponentialLR"),
    ("ExponentialLR", "CosineWithWarmup"),
    ("OneCycleLR", "StepLR"),
    ("StepLR", "OneCycleLR"),
]


@pytest.mark.parametrize("names", [(n,) for n in OURS] + PAIRS, ids="+".join)
def test_schedulers_chained_and_a_rate_set_by_hand_match_torch(names):
    """One scheduler or two stepped together, the rate set by hand to 0.07 after step 4: the
    same floats, but where LambdaLR's base_lr * factor rounds otherwise than our formula."""
    opt = optim.SGD([al.tensor([1.0], requires_grad=True)], lr=0.2)
    torch_opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.2)
    ours = [OURS[name](opt) for name in names]
    theirs = [THEIRS[name](torch_opt) for name in names]
    rel = 1e-12 if "CosineWithWarmup" in names else 0.0
    for step in range(11):
        assert opt.lr == pytest.approx(torch_opt.param_groups[0]["lr"], rel=rel, abs=0), step
        if step == 4:
            opt.lr = torch_opt.param_groups[0]["lr"] = 0.07
        torch_opt.step()
        for scheduler, torch_scheduler in zip(ours, theirs, strict=True):
            scheduler.step()
            torch_scheduler.step()
