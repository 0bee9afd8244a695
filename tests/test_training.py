"""Short seeded training runs reach a stated accuracy, and the same seed gives the same run."""

from __future__ import annotations

import numpy as np
import pytest

from autograd_lite import data, nn, optim
from autograd_lite.training import EpochMetrics, cosine_lr, evaluate, fit


def digits_run(seed: int = 0, epochs: int = 5) -> list[EpochMetrics]:
    """32 hidden units, 5 epochs of Adam: about 0.1 s."""
    split, _ = data.standardize(data.train_test_split(*data.load_digits(), seed=seed))
    net = nn.ThreeLayerNet(64, 32, 10, rng=seed)
    opt = optim.Adam(net.parameters(), lr=0.01)
    return list(fit(net, opt, split, epochs, 32, seed=seed, input_noise=0.5))


def moons_run(seed: int = 0) -> list[EpochMetrics]:
    """16 hidden units, 15 epochs of Adam on 1,000 points: about 0.05 s."""
    split, _ = data.standardize(data.train_test_split(*data.make_moons(1000, seed=seed)))
    net = nn.ThreeLayerNet(2, 16, 2, rng=seed)
    return list(fit(net, optim.Adam(net.parameters(), lr=0.05), split, 15, 32, seed=seed))


def test_a_short_digits_run_reaches_93_percent():
    history = digits_run()
    assert [m.epoch for m in history] == [1, 2, 3, 4, 5]
    assert history[-1].test_accuracy >= 0.93
    assert history[-1].train_loss < history[0].train_loss


def test_a_short_moons_run_reaches_95_percent():
    history = moons_run()
    assert history[-1].test_accuracy >= 0.95
    assert history[-1].train_loss < history[0].train_loss


@pytest.mark.parametrize("run", [digits_run, moons_run])
def test_the_same_seed_gives_identical_metrics(run):
    first, second = run(seed=1), run(seed=1)
    assert first == second
    assert run(seed=2) != first  # so the equality above is not vacuous


def test_sgd_trains_too():
    split, _ = data.standardize(data.train_test_split(*data.make_moons(1000, seed=0)))
    net = nn.ThreeLayerNet(2, 16, 2, rng=0)
    opt = optim.SGD(net.parameters(), lr=0.1, momentum=0.9)
    assert list(fit(net, opt, split, 15, 32))[-1].test_accuracy >= 0.95


def test_evaluate_gives_the_mean_loss_and_the_accuracy():
    net = nn.ThreeLayerNet(2, 3, 2, rng=0)
    X, y = np.array([[0.5, -1.0], [2.0, 0.0], [0.0, 0.0]]), np.array([0, 1, 1])
    logits = net(X).data
    log_probs = logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))
    loss, accuracy = evaluate(net, X, y)
    np.testing.assert_allclose(loss, -log_probs[[0, 1, 2], y].mean())
    assert accuracy == np.mean(logits.argmax(axis=1) == y)
    assert all(p.grad is None for p in net.parameters())


def test_the_learning_rate_decays_along_a_cosine_and_fit_applies_it():
    assert cosine_lr(0.2, 0, 10) == 0.2
    assert cosine_lr(0.2, 5, 10) == pytest.approx(0.1)
    assert 0 < cosine_lr(0.2, 9, 10) < 0.01
    split, _ = data.standardize(data.train_test_split(*data.make_moons(100, seed=0)))
    net = nn.ThreeLayerNet(2, 4, 2, rng=0)
    opt = optim.SGD(net.parameters(), lr=0.2)
    list(fit(net, opt, split, 10, 32))
    assert opt.lr == cosine_lr(0.2, 9, 10)


def test_fit_sets_each_epochs_rate_outright_over_a_rate_set_by_hand():
    # fit's cosine is absolute (as torch's LambdaLR): from the rate at the start, not from
    # one set between epochs; every update of an epoch uses that epoch's rate
    split, _ = data.standardize(data.train_test_split(*data.make_moons(100, seed=0)))
    net = nn.ThreeLayerNet(2, 4, 2, rng=0)
    opt = optim.SGD(net.parameters(), lr=0.2)
    used: list[float] = []
    step = opt.step

    def recording_step() -> None:
        used.append(opt.lr)
        step()

    opt.step = recording_step  # type: ignore[method-assign]
    per_epoch = []
    for metrics in fit(net, opt, split, 4, 32):
        per_epoch.append(sorted(set(used)))
        used.clear()
        opt.lr = 5.0 * metrics.epoch  # overridden by the next epoch's rate
    assert per_epoch == [[cosine_lr(0.2, e, 4)] for e in range(4)]
    assert opt.lr == 20.0  # after the last epoch nothing sets it again
