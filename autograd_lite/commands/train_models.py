"""The models ``autograd-lite train`` trains: the 3-layer network (``--model mlp``) and a small
convolutional network for square images (``--model cnn``), each with its own defaults, size
limits and one-line description.

The cnn's defaults were chosen on the digits: 40 epochs of AdamW at 3e-3 along the cosine,
batches of 64, gave test accuracies of 98.6% to 99.7% over the seeds 0 to 4 (25 epochs: 98.1%
for seed 0; twice the channels or 0.1 input noise did no better), in 27 to 31 s on 2 cores.
"""

from __future__ import annotations

import argparse
import math
from typing import Any

from ..cli import UsageError

MODELS = ("mlp", "cnn")
DEFAULTS: dict[str, dict[str, Any]] = {
    "mlp": {"hidden": 64, "epochs": 50, "batch_size": 32, "lr": 0.01, "optimizer": "adam"},
    "cnn": {"hidden": None, "epochs": 40, "batch_size": 64, "lr": 3e-3, "optimizer": "adamw"},
}
CNN_CHANNELS = (16, 32)
# Limits that keep a run small: the network's parameters, and the numbers one batch holds
# on its way through the network (20M float64 are 160 MB).
MAX_PARAMETERS = 10_000_000
MAX_ACTIVATIONS = 20_000_000


def fill_defaults(args: argparse.Namespace) -> None:
    """Give every option the user left out its model's default; refuse --hidden for the cnn."""
    if args.model not in MODELS:
        raise UsageError(f"unknown model {args.model!r}; choose mlp or cnn")
    if args.model == "cnn" and args.hidden is not None:
        raise UsageError("--hidden sets the 3-layer network's width; --model cnn has no --hidden")
    for option, value in DEFAULTS[args.model].items():
        if getattr(args, option) is None:
            setattr(args, option, value)


def image_side(features: int) -> int:
    """The side of the square one-channel images that rows of ``features`` pixels hold."""
    side = math.isqrt(features)
    if side * side != features or side < 2:
        raise UsageError(
            f"--model cnn takes square images, rows of side x side pixels (64 for 8x8); the "
            f"data has {features} feature(s), not a square of at least 4; use --model mlp"
        )
    return side


def check_sizes(args: argparse.Namespace, shape: tuple[int, ...], n_classes: int) -> None:
    """Refuse a network or a batch too large for the limits, before anything is allocated or
    written: the parameters, and the activations of one batch (evaluation goes in batches of
    :data:`~autograd_lite.training.EVALUATION_BATCH` rows)."""
    from ..training import EVALUATION_BATCH

    rows, features = shape
    if args.model == "mlp":
        hidden = args.hidden
        network = f"the network {features}-{hidden}-{n_classes}"
        parameters = features * hidden + hidden + hidden * n_classes + n_classes
        per_row = features + hidden + n_classes
    else:
        first, second = CNN_CHANNELS
        side = image_side(features)
        network = f"the convolutional network on {side}x{side} images"
        parameters = 9 * first + first + 9 * first * second + second
        parameters += second * (side // 2) ** 2 * n_classes + n_classes
        # the input, each convolution's windows and outputs, the pooled map and the logits
        per_row = features * (1 + 9 + 2 * first + 9 * first + 2 * second) + n_classes
    if parameters > MAX_PARAMETERS:
        flag = f"--hidden {args.hidden:,}: " if args.model == "mlp" else ""
        raise UsageError(
            f"{flag}{network} would have {parameters:,} parameters, more than the limit of "
            f"{MAX_PARAMETERS:,}"
        )
    batch = min(rows, max(args.batch_size, EVALUATION_BATCH))
    if batch * per_row > MAX_ACTIVATIONS:
        raise UsageError(
            f"{batch:,} rows through {network} would hold {batch * per_row:,} activations at "
            f"once, more than the limit of {MAX_ACTIVATIONS:,}; use a smaller "
            + ("--hidden or --batch-size" if args.model == "mlp" else "image or --batch-size")
        )


def build(args: argparse.Namespace, features: int, n_classes: int) -> Any:
    """The model to train, its weights drawn from ``--seed``."""
    from ..nn import ConvNet, ThreeLayerNet

    if args.model == "mlp":
        return ThreeLayerNet(features, args.hidden, n_classes, rng=args.seed)
    return ConvNet(image_side(features), n_classes, CNN_CHANNELS, rng=args.seed)


def describe(args: argparse.Namespace, features: int, n_classes: int) -> str:
    """The network in a few words, for the run's first lines and the loss plot's title."""
    if args.model == "mlp":
        return f"network {features}-{args.hidden}-{n_classes} (tanh)"
    side = image_side(features)
    first, second = CNN_CHANNELS
    return (
        f"convolutional network {side}x{side} -> conv3x3 {first} -> conv3x3 {second} -> "
        f"max-pool -> dropout -> {n_classes}"
    )
