"""Pictures of a training run: loss and accuracy curves, and a 2-D decision boundary.

Drawn with matplotlib's object-oriented API on the Agg backend (a ``Figure`` with a
``FigureCanvasAgg``, never pyplot), so no window opens and no global state changes; each PNG
is written through :func:`~autograd_lite.atomic_files.replaced_atomically`. matplotlib is imported
inside the functions, so importing this module stays cheap.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from .atomic_files import replaced_atomically
from .switches import no_grad
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


def plot_history(
    history: Sequence[EpochMetrics], path: str | os.PathLike[str], title: str | None = None
) -> None:
    """Save the training loss (left) and the train and test accuracy (right) per epoch, under
    ``title`` (the train command gives the data set and the settings)."""
    _save(history_figure(history, title), path)


def history_figure(history: Sequence[EpochMetrics], title: str | None = None) -> Any:
    """The figure :func:`plot_history` saves."""
    figure, (loss_axes, accuracy_axes) = _new_figure(10, 4, columns=2)
    if title:
        figure.suptitle(title, fontsize=10)
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
    return figure


def plot_decision_boundary(
    predict: Callable[[np.ndarray], np.ndarray],
    X: np.ndarray,
    y: np.ndarray,
    path: str | os.PathLike[str],
    title: str = "decision boundary",
    test: tuple[np.ndarray, np.ndarray] | None = None,
) -> None:
    """Save the classes ``predict`` gives over the plane around 2-D points X (labels y), with
    the points on top: circles, and the ``test`` points (X_test, y_test) as triangles; a
    legend names the classes and the two kinds of points.

    ``predict`` maps an (n, 2) array of points to n class labels.
    """
    _save(boundary_figure(predict, X, y, title, test), path)


def boundary_figure(
    predict: Callable[[np.ndarray], np.ndarray],
    X: np.ndarray,
    y: np.ndarray,
    title: str = "decision boundary",
    test: tuple[np.ndarray, np.ndarray] | None = None,
) -> Any:
    """The figure :func:`plot_decision_boundary` saves."""
    from matplotlib import colormaps
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    every_x = X if test is None else np.concatenate([X, test[0]])
    every_y = y if test is None else np.concatenate([y, test[1]])
    margin = 0.5
    (x_low, y_low), (x_high, y_high) = every_x.min(axis=0) - margin, every_x.max(axis=0) + margin
    grid_x, grid_y = np.meshgrid(np.linspace(x_low, x_high, 300), np.linspace(y_low, y_high, 300))
    with no_grad():
        classes = predict(np.column_stack([grid_x.ravel(), grid_y.ravel()]))
    figure, axes = _new_figure(6, 5)
    n_classes = int(max(classes.max(), every_y.max())) + 1
    colours = colormaps["coolwarm"].resampled(max(n_classes, 2))
    levels = np.arange(n_classes + 1) - 0.5
    axes.contourf(
        grid_x, grid_y, classes.reshape(grid_x.shape), levels=levels, cmap=colours, alpha=0.3
    )
    kinds = [("train", X, y, "o", 12)] + ([] if test is None else [("test", *test, "^", 22)])
    for _, points, labels, marker, size in kinds:
        axes.scatter(
            points[:, 0],
            points[:, 1],
            c=labels,
            cmap=colours,
            vmin=0,
            vmax=max(n_classes - 1, 1),
            s=size,
            marker=marker,
            edgecolors="k",
            linewidths=0.3,
        )
    entries: list[Any] = [
        Patch(color=colours(k / max(n_classes - 1, 1)), label=f"class {k}")
        for k in range(n_classes)
    ]
    entries += [
        Line2D(
            [], [], marker=marker, linestyle="", color="grey", markeredgecolor="k",
            label=f"{kind} ({len(points)} points)",
        )
        for kind, points, _, marker, _ in kinds
    ]  # fmt: skip
    axes.legend(handles=entries, loc="best", fontsize=8, framealpha=0.8)
    axes.set(xlabel="x1", ylabel="x2", title=title)
    return figure
