"""The pictures of a training run say what they show: loss.png's title names the data set and
the settings; decision_boundary.png tells train from test points and names the classes."""

from __future__ import annotations

import numpy as np

from autograd_lite import plots
from autograd_lite.cli import main
from autograd_lite.training import EpochMetrics

HISTORY = [EpochMetrics(1, 0.5, 0.8, 0.75), EpochMetrics(2, 0.3, 0.9, 0.85)]


def by_x_sign(points: np.ndarray) -> np.ndarray:
    return (points[:, 0] > 0).astype(int)


def test_the_history_figure_carries_its_title():
    figure = plots.history_figure(HISTORY, title="moons: network 2-8-2 (tanh), seed 3")
    assert figure.get_suptitle() == "moons: network 2-8-2 (tanh), seed 3"
    assert [t.get_text() for t in figure.axes[1].get_legend().get_texts()] == ["train", "test"]


def test_the_boundary_tells_train_from_test_points_and_names_the_classes():
    rng = np.random.default_rng(0)
    X_train, X_test = rng.standard_normal((40, 2)), rng.standard_normal((10, 2))
    test = (X_test, by_x_sign(X_test))
    figure = plots.boundary_figure(by_x_sign, X_train, by_x_sign(X_train), "moons", test=test)
    axes = figure.axes[0]
    texts = [t.get_text() for t in axes.get_legend().get_texts()]
    assert texts == ["class 0", "class 1", "train (40 points)", "test (10 points)"]
    train_points, test_points = axes.collections[-2:]
    assert len(train_points.get_offsets()) == 40 and len(test_points.get_offsets()) == 10
    train_marker, test_marker = (
        c.get_paths()[0].vertices.tolist() for c in (train_points, test_points)
    )
    assert train_marker != test_marker  # circles and triangles


def test_the_train_command_titles_its_pictures_with_the_data_and_settings(tmp_path, monkeypatch):
    titles = {}

    def history(history, path, title=None):
        titles["loss"] = title

    def boundary(predict, X, y, path, title="", test=None):
        titles["boundary"] = title
        titles["rows"] = (len(y), len(test[1]))

    monkeypatch.setattr(plots, "plot_history", history)
    monkeypatch.setattr(plots, "plot_decision_boundary", boundary)
    argv = ["train", "--dataset", "moons", "--epochs", "1", "--seed", "3", "--out", str(tmp_path)]
    assert main(argv) == 0
    assert titles["loss"] == (
        "moons: network 2-64-2 (tanh), adam lr 0.01, batch size 32, 1 epochs, input noise 0.0, "
        "seed 3"
    )
    assert titles["boundary"].startswith("moons")
    assert titles["rows"] == (800, 200)
