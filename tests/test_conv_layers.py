"""The image layers: PyTorch's initialisation and shapes, dropout's modes, and a small
convolutional network that trains end to end."""

from __future__ import annotations

import numpy as np
import pytest

import autograd_lite as al
from autograd_lite import nn
from autograd_lite.nn import functional as F


def test_conv2d_starts_from_kaiming_uniform_as_torch_with_its_dtype():
    layer = nn.Conv2d(4, 6, (3, 2), groups=2, rng=0, dtype=np.float32)
    bound = 1 / np.sqrt(2 * 3 * 2)  # fan_in = in_channels / groups * kh * kw
    assert layer.weight.shape == (6, 2, 3, 2) and layer.bias.shape == (6,)
    assert layer.weight.dtype == np.float32 and layer.weight.name == "weight"
    assert np.abs(layer.weight.data).max() <= bound and np.abs(layer.bias.data).max() <= bound
    assert np.abs(layer.weight.data).max() > 0.8 * bound  # drawn across the range
    x = np.ones((1, 4, 5, 5), dtype=np.float32)
    expected = F.conv2d(x, layer.weight.data, layer.bias.data, groups=2)
    np.testing.assert_array_equal(layer(x).data, expected.data)
    same = nn.Conv2d(4, 6, (3, 2), groups=2, rng=0, dtype=np.float32)
    np.testing.assert_array_equal(same.weight.data, layer.weight.data)  # rng: reproducible


def test_conv1d_and_flatten_shapes():
    assert nn.Conv1d(3, 5, 4, padding="same", rng=0)(np.ones((2, 3, 9))).shape == (2, 5, 9)
    x = np.ones((2, 3, 4, 5))
    assert nn.Flatten()(x).shape == (2, 60)
    assert nn.Flatten(0, 1)(x).shape == (6, 4, 5)
    assert nn.Flatten(2)(x).shape == (2, 3, 20)
    assert nn.Flatten(-2, 3)(x).shape == (2, 3, 20)
    assert nn.Flatten(0, 0)(x).shape == (2, 3, 4, 5)
    assert nn.Flatten(0)(np.float64(7.0)).shape == (1,)  # a 0-d input is one element, as torch


@pytest.mark.parametrize(
    ("start", "end", "error", "words"),
    [
        (5, -1, IndexError, r"start_dim=5 .* \[-4, 3\]"),
        (1, 7, IndexError, r"end_dim=7 .* \[-4, 3\]"),
        (-6, -1, IndexError, r"start_dim=-6"),
        (2, 1, ValueError, r"start_dim 2 comes after end_dim 1"),
        (3, 0, ValueError, r"start_dim 3 comes after end_dim 0"),
    ],
)
def test_flatten_refuses_dims_that_torch_refuses(start, end, error, words):
    # they were taken modulo the number of dims: (2, 1) gave shape (2, 3, 1, 4, 5)
    with pytest.raises(error, match=words):
        nn.Flatten(start, end)(np.ones((2, 3, 4, 5)))


def test_flatten_of_a_1d_input_from_dim_1_is_refused_as_torchs():
    with pytest.raises(IndexError, match=r"start_dim=1 .* \[-1, 0\] .* shape \(5,\)"):
        nn.Flatten()(np.ones(5))


@pytest.mark.parametrize("p", [0.2, 0.5, 1.0])
def test_dropout_keeps_a_float32_input_float32(p):
    x = al.tensor(np.ones((20, 30), np.float32), requires_grad=True)
    y = F.dropout(x, p, True, np.random.default_rng(0))
    assert y.dtype == np.float32 and nn.Dropout(p, rng=0)(x).dtype == np.float32
    kept = {np.float32(1) / np.float32(1 - p)} if p < 1 else set()
    assert set(np.unique(y.data)) <= {0.0} | kept
    y.sum().backward()
    assert x.grad.dtype == np.float32
    assert F.dropout(np.ones(3, int), 0.5, True, np.random.default_rng(0)).dtype == np.float64


def test_dropout_zeroes_and_rescales_while_training_and_is_the_identity_in_eval():
    layer = nn.Dropout(0.25, rng=0)
    x = al.tensor(np.ones((200, 50)), requires_grad=True)
    y = layer(x)
    kept = y.data != 0
    assert set(np.unique(y.data)) == {0.0, 1 / 0.75}
    assert abs(kept.mean() - 0.75) < 0.01  # 10,000 draws
    y.sum().backward()
    np.testing.assert_array_equal(x.grad, kept / 0.75)  # the gradient flows where it kept
    layer.eval()
    assert layer(x) is x
    np.testing.assert_array_equal(
        nn.Dropout(0.5, rng=3)(np.ones(8)).data, nn.Dropout(0.5, rng=3)(np.ones(8)).data
    )
    with pytest.raises(ValueError, match="p must be in"):
        nn.Dropout(1.5)


def test_a_small_convolutional_network_learns_to_tell_two_patterns_apart():
    rng = np.random.default_rng(0)
    stripes = np.zeros((8, 8))
    stripes[:, ::2] = 1.0
    images = np.stack([stripes, stripes.T] * 16)[:, None] + 0.1 * rng.standard_normal((32, 1, 8, 8))
    labels = np.array([0, 1] * 16)
    net = nn.Sequential(
        nn.Conv2d(1, 4, 3, padding=1, rng=1),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Dropout(0.1, rng=2),
        nn.Flatten(),
        nn.Linear(64, 2, rng=3),
    )
    losses = []
    for _ in range(30):
        loss = nn.cross_entropy(net(images), labels)
        net.zero_grad()
        loss.backward()
        for p in net.parameters():
            p.data = p.data - 0.5 * p.grad
        losses.append(float(loss.data))
    assert losses[-1] < 0.1 * losses[0]
    net.eval()
    assert (net(images).data.argmax(axis=1) == labels).all()
