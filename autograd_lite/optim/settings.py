"""The checks on an optimizer's hyperparameters, one function per setting.

Each raises a ValueError saying what the setting must be and what it got. An optimizer's
constructor and its ``load_state_dict`` (so also ``load_state``, reading a file) both check
through :func:`check`, so a state can hold no setting the constructor would refuse.

>>> check("lr", -1.0, {})
Traceback (most recent call last):
    ...
ValueError: the learning rate must be > 0 and finite, got -1.0
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any


def learning_rate(lr: Any) -> None:
    """``lr`` is > 0 and finite (an infinite rate makes every step infinite)."""
    if not 0 < lr < math.inf:
        raise ValueError(f"the learning rate must be > 0 and finite, got {lr}")


def weight_decay(value: Any) -> None:
    """A weight decay (L2 or decoupled) is >= 0 and finite."""
    if not 0 <= value < math.inf:
        raise ValueError(f"weight_decay must be >= 0 and finite, got {value}")


def momentum(value: Any) -> None:
    """A momentum is in [0, 1): at 1 nothing is ever forgotten."""
    if not 0 <= value < 1:
        raise ValueError(f"momentum must lie in [0, 1), got {value}")


def alpha(value: Any) -> None:
    """RMSprop's smoothing constant is in [0, 1)."""
    if not 0 <= value < 1:
        raise ValueError(f"alpha must lie in [0, 1), got {value}")


def betas(value: Any) -> None:
    """Adam's betas are two numbers in [0, 1): at 1 the bias correction divides by 0."""
    if not (len(value) == 2 and all(0 <= b < 1 for b in value)):
        raise ValueError(f"betas must be two numbers, each in [0, 1), got {value}")


def eps(value: Any) -> None:
    """The term added to a step's denominator is > 0 and finite."""
    if not 0 < value < math.inf:
        raise ValueError(f"eps must be > 0 and finite, got {value}")


def nesterov(value: Any, momentum: Any) -> None:
    """Nesterov's look-ahead needs a momentum to look along."""
    if value and not momentum:
        raise ValueError("nesterov=True needs a momentum > 0, as in torch")


CHECKS: dict[str, Callable[[Any], None]] = {
    "lr": learning_rate,
    "weight_decay": weight_decay,
    "decoupled_decay": weight_decay,  # AdamW's weight_decay
    "momentum": momentum,
    "alpha": alpha,
    "betas": betas,
    "eps": eps,
}


def check(key: str, value: Any, settings: Mapping[str, Any]) -> None:
    """Check the setting ``key`` of value ``value``; ``settings`` holds the others checked
    with it (``nesterov`` is checked against the ``momentum`` there). A name with no check
    here (a subclass's own setting) passes."""
    if key == "nesterov":
        nesterov(value, settings.get("momentum"))
    elif key in CHECKS:
        CHECKS[key](value)
