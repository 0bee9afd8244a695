"""The training loop: minibatch epochs of forward, loss, backward and an optimizer step.

:func:`fit` yields an :class:`EpochMetrics` after every epoch, so the caller decides what to
show and what to save (the ``train`` command draws a progress bar and writes a checkpoint).
The loss is the engine's fused cross-entropy on the model's logits. Two simple habits make
the result depend less on luck: the learning rate decays to zero along a cosine over the
epochs (so the last epochs settle instead of bouncing), and optionally each minibatch's
inputs get Gaussian noise (a regulariser: the network cannot rely on one exact pixel value).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import astuple, dataclass, fields
from typing import Any

import numpy as np

from .data.split import Split, minibatches
from .nn.module import Module
from .ops import cross_entropy
from .optim import Optimizer
from .switches import no_grad


@dataclass(frozen=True)
class EpochMetrics:
    """How the model does after one epoch: its loss and accuracy on the training part (one
    pass with the epoch's final weights) and its accuracy on the test part."""

    epoch: int
    train_loss: float
    train_accuracy: float
    test_accuracy: float

    @staticmethod
    def header() -> list[str]:
        """The column names, in the order of :meth:`row`."""
        return [f.name for f in fields(EpochMetrics)]

    def row(self) -> list[Any]:
        return list(astuple(self))


Model = Callable[[Any], Any]
EVALUATION_BATCH = 512  # rows per forward pass when measuring


@no_grad()
def evaluate(
    model: Model, X: np.ndarray, y: np.ndarray, batch_size: int = EVALUATION_BATCH
) -> tuple[float, float]:
    """The mean cross-entropy loss and the accuracy (a fraction) of ``model`` on (X, y), in
    evaluation mode (no dropout; batch norm on its running statistics), ``batch_size`` rows
    at a time so that a large model's activations for every row are never held at once."""
    training = _set_mode(model, training=False)
    try:
        total, correct = 0.0, 0
        for start in range(0, len(X), batch_size):
            rows = slice(start, start + batch_size)
            logits = model(X[rows])
            total += cross_entropy(logits, y[rows], reduction="sum").item()
            correct += int(np.count_nonzero(logits.data.argmax(axis=-1) == y[rows]))
    finally:
        _set_mode(model, training)
    if len(X) == 0:
        return math.nan, math.nan
    return total / len(X), correct / len(X)


def _set_mode(model: Model, training: bool) -> bool:
    """Put a Module in training or evaluation mode; its mode before (True for a plain callable)."""
    if not isinstance(model, Module):
        return True
    before = model.training
    model.train(training)
    return before


def cosine_lr(base_lr: float, epoch: int, epochs: int) -> float:
    """The learning rate for epoch ``epoch`` (counted from 0) of ``epochs``: ``base_lr`` at the
    start, falling along half a cosine towards 0 at the end.

    >>> [round(cosine_lr(0.1, e, 4), 4) for e in range(4)]
    [0.1, 0.0854, 0.05, 0.0146]
    """
    return base_lr * 0.5 * (1 + math.cos(math.pi * epoch / epochs))


def train_epoch(
    model: Model,
    optimizer: Optimizer,
    X: np.ndarray,
    y: np.ndarray,
    batch_size: int,
    rng: np.random.Generator,
    input_noise: float = 0.0,
) -> None:
    """One pass over (X, y) in shuffled minibatches, one optimizer step per batch; with
    ``input_noise`` > 0 each batch's inputs get Gaussian noise of that standard deviation.
    A Module is put in training mode first (dropout on)."""
    _set_mode(model, training=True)
    for X_batch, y_batch in minibatches(X, y, batch_size, rng):
        if input_noise:
            X_batch = X_batch + rng.normal(scale=input_noise, size=X_batch.shape)
        optimizer.zero_grad()
        loss = cross_entropy(model(X_batch), y_batch)
        loss.backward()
        optimizer.step()


def fit(
    model: Model,
    optimizer: Optimizer,
    split: Split,
    epochs: int,
    batch_size: int,
    seed: int | None = 0,
    input_noise: float = 0.0,
) -> Iterator[EpochMetrics]:
    """Train for ``epochs`` epochs, yielding the metrics after each. The optimizer's learning
    rate follows :func:`cosine_lr` from its value at the start, set outright each epoch (a
    rate set between epochs is overridden); ``seed`` fixes the order of the batches and the
    input noise.

    >>> from autograd_lite import data, nn, optim
    >>> X, y = data.make_moons(400, noise=0.1, seed=0)
    >>> split, _ = data.standardize(data.train_test_split(X, y, seed=0))
    >>> net = nn.ThreeLayerNet(2, 16, 2, rng=0)
    >>> history = list(fit(net, optim.Adam(net.parameters(), lr=0.05), split, 20, 16))
    >>> len(history), history[-1].test_accuracy > 0.95
    (20, True)
    """
    rng = np.random.default_rng(seed)
    base_lr = optimizer.lr
    for epoch in range(epochs):
        optimizer.lr = cosine_lr(base_lr, epoch, epochs)
        train_epoch(model, optimizer, split.X_train, split.y_train, batch_size, rng, input_noise)
        train_loss, train_accuracy = evaluate(model, split.X_train, split.y_train)
        _, test_accuracy = evaluate(model, split.X_test, split.y_test)
        yield EpochMetrics(epoch + 1, train_loss, train_accuracy, test_accuracy)
