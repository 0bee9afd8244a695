"""Pictures of a training run: loss and accuracy curves, and a 2-D decision boundary.

Drawn with matplotlib's object-oriented API on the Agg backend (a ``Figure`` with a
``FigureCanvasAgg``, never pyplot), so no window opens and no global state changes; each PNG
is written through :func:`~autograd_lite.files.replaced_atomically`. matplotlib is imported
inside the functions, so importing this module stays cheap.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from .engine import no_grad
from .files import replaced_atomically
from .training import EpochMetrics


def _new_figure(width: float, height: float, columns: int = 1) -> tuple[Any, Any]:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height), layout="constrained")
    FigureCanvasAgg(figure)
    return figure, figure.subplots(1, columns)


def _save(figure: Any, path: str | os.PathLike[str]) -> None:
    with replaced_atomically(path) as f:
        figure.savefig(f, format="png", dpi=100)


def plot_history(history: Sequence[EpochMetrics], path: str | os.PathLike[str]) -> None:
    """Save the training loss (left) and the train and test accuracy (right) per epoch."""
    figure, (loss_axes, accuracy_axes) = _new_figure(10, 4, columns=2)
    epochs = [m.epoch for m in history]
    loss_axes.plot(epochs, [m.train_loss for m in history], marker=".", color="tab:red")
    loss_axes.set(xlabel="epoch", ylabel="cross-entropy", title="training loss")
    loss_axes.set_yscale("log")
    for name, color in (("train_accuracy", "tab:blue"), ("test_accuracy", "tab:orange")):
        values = [100 * getattr(m, name) for m in history]
        accuracy_axes.plot(epochs, values, marker=".", color=color, label=name.split("_")[0])
    accuracy_axes.set(xlabel="epoch", ylabel="accuracy (%)", title="accuracy")
    accuracy_axes.legend(loc="lower right")
    for axes in (loss_axes, accuracy_axes):
        axes.grid(alpha=0.3)
    _save(figure, path)


def plot_decision_boundary(
    predict: Callable[[np.ndarray], np.ndarray],
    X: np.ndarray,
    y: np.ndarray,
    path: str | os.PathLike[str],
    title: str = "decision boundary",
) -> None:
    """Save the classes ``predict`` gives over the plane around 2-D points X, with X on top.

    ``predict`` maps an (n, 2) array of points to n class labels.
    """
    margin = 0.5
    (x_low, y_low), (x_high, y_high) = X.min(axis=0) - margin, X.max(axis=0) + margin
    grid_x, grid_y = np.meshgrid(np.linspace(x_low, x_high, 300), np.linspace(y_low, y_high, 300))
    with no_grad():
        classes = predict(np.column_stack([grid_x.ravel(), grid_y.ravel()]))
    figure, axes = _new_figure(6, 5)
    n_classes = int(max(classes.max(), y.max())) + 1
    levels = np.arange(n_classes + 1) - 0.5
    axes.contourf(
        grid_x, grid_y, classes.reshape(grid_x.shape), levels=levels, cmap="coolwarm", alpha=0.3
    )
    axes.scatter(
        X[:, 0],
        X[:, 1],
        c=y,
        cmap="coolwarm",
        vmin=0,
        vmax=n_classes - 1,
        s=10,
        edgecolors="k",
        linewidths=0.3,
    )
    axes.set(xlabel="x1", ylabel="x2", title=title)
    _save(figure, path)
