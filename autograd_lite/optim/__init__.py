"""Optimizers that update parameters in place, and schedulers that set their learning rate.

``SGD``, ``Adam``, ``AdamW`` and ``RMSprop`` follow PyTorch's formulas and defaults; the
schedulers follow ``torch.optim.lr_scheduler`` (``CosineWithWarmup`` is the usual linear
warm-up then cosine decay, which torch builds by chaining two schedulers). ``save_state``
and ``load_state`` keep an optimizer's state, and its scheduler's, in a pickle-free file.

>>> import autograd_lite as al
>>> from autograd_lite import optim
>>> w = al.tensor([1.0, -2.0], requires_grad=True)
>>> opt = optim.SGD([w], lr=0.1)
>>> scheduler = optim.StepLR(opt, step_size=1, gamma=0.5)
>>> (w * w).sum().backward()
>>> opt.step(); scheduler.step()
>>> w.data, opt.lr
(array([ 0.8, -1.6]), 0.05)
"""

from .optimizers import SGD, Adam, AdamW, Optimizer, RMSprop
from .schedulers import ExponentialLR, LRScheduler, MultiStepLR, StepLR
from .state import load_state, save_state
from .warmup_schedulers import CosineWithWarmup, OneCycleLR

__all__ = [
    "SGD",
    "Adam",
    "AdamW",
    "CosineWithWarmup",
    "ExponentialLR",
    "LRScheduler",
    "MultiStepLR",
    "OneCycleLR",
    "Optimizer",
    "RMSprop",
    "StepLR",
    "load_state",
    "save_state",
]
