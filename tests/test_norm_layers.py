"""The layers on nn.functional: normalisation layers (batch norm's running statistics kept as
buffers, saved and loaded, used in eval()), Embedding, and one layer per activation."""

import numpy as np
import pytest

import autograd_lite as al
from autograd_lite import nn
from autograd_lite.nn import functional as F
from autograd_lite.nn.activation_layers import ACTIVATION_LAYERS

RNG = np.random.default_rng(7)


def test_batch_norm_trains_on_the_batch_and_evaluates_on_its_running_statistics():
    layer = nn.BatchNorm2d(3, momentum=0.5)
    x = RNG.normal(loc=1.0, size=(4, 3, 2, 2))
    y = layer(x)
    assert np.allclose(y.data.mean(axis=(0, 2, 3)), 0.0) and np.allclose(y.data.std(), 1.0, 1e-4)
    np.testing.assert_allclose(layer.running_mean, 0.5 * x.mean(axis=(0, 2, 3)), rtol=1e-12)
    layer.eval()
    before = layer.running_mean.copy()
    y = layer(x)
    expected = (x - before[:, None, None]) / np.sqrt(layer.running_var[:, None, None] + 1e-5)
    np.testing.assert_allclose(y.data, expected, rtol=1e-12)
    assert layer.running_mean.tolist() == before.tolist()  # unchanged in evaluation


def test_batch_norm_statistics_are_buffers_saved_but_never_optimised(tmp_path):
    net = nn.Sequential(nn.Linear(3, 2, rng=0), nn.BatchNorm1d(2))
    assert [name for name, _ in net.named_parameters()] == [
        "0.weight",
        "0.bias",
        "1.weight",
        "1.bias",
    ]
    assert [name for name, _ in net.named_buffers()] == ["1.running_mean", "1.running_var"]
    net(RNG.normal(size=(5, 3)))
    nn.save(net, tmp_path / "net.npz")
    fresh = nn.Sequential(nn.Linear(3, 2, rng=1), nn.BatchNorm1d(2))
    nn.load(fresh, tmp_path / "net.npz")
    np.testing.assert_array_equal(fresh[1].running_var, net[1].running_var)
    assert not np.allclose(fresh[1].running_var, 1.0)
    x = RNG.normal(size=(4, 3))
    net.eval(), fresh.eval()
    np.testing.assert_array_equal(fresh(x).data, net(x).data)


def test_batch_norm_without_running_statistics_always_uses_the_batch():
    layer = nn.BatchNorm1d(2, track_running_stats=False, affine=False).eval()
    x = RNG.normal(size=(6, 2))
    np.testing.assert_allclose(layer(x).data, F.batch_norm(x, None, None, training=True).data)
    assert layer.parameters() == [] and dict(layer.named_buffers()) == {}


def test_batch_norm_refuses_the_wrong_layout_naming_it():
    with pytest.raises(ValueError, match=r"BatchNorm2d\(3\): input of shape \(4, 3\)"):
        nn.BatchNorm2d(3)(np.ones((4, 3)))
    with pytest.raises(ValueError, match="3 channels on axis 1"):
        nn.BatchNorm1d(3)(np.ones((4, 2)))


def test_layer_norm_and_group_norm_layers_learn_a_scale_and_a_shift():
    layer = nn.LayerNorm((2, 3))
    x = al.tensor(RNG.normal(size=(4, 2, 3)))
    g = RNG.normal(size=(4, 2, 3))
    (layer(x) * g).sum().backward()
    normalised = F.layer_norm(x, (2, 3)).data
    np.testing.assert_allclose(layer.weight.grad, (g * normalised).sum(axis=0), rtol=1e-12)
    np.testing.assert_allclose(layer.bias.grad, g.sum(axis=0), rtol=1e-12)
    group = nn.GroupNorm(2, 4)
    x = RNG.normal(size=(3, 4, 5))
    np.testing.assert_array_equal(group(x).data, F.group_norm(x, 2, np.ones(4), np.zeros(4)).data)
    with pytest.raises(ValueError, match="must divide"):
        nn.GroupNorm(3, 4)


def test_embedding_layer_starts_from_normal_rows_with_a_zero_padding_row():
    table = nn.Embedding(50, 4, padding_idx=3, rng=0)
    assert table.weight.data[3].tolist() == [0.0] * 4
    assert abs(table.weight.data.std() - 1.0) < 0.2
    out = table(np.array([3, 5]))
    out.sum().backward()
    assert table.weight.grad[3].tolist() == [0.0] * 4 and table.weight.grad[5].tolist() == [1.0] * 4


LAYER_CALLS = {
    nn.LeakyReLU: ({"negative_slope": 0.2}, lambda x: F.leaky_relu(x, 0.2)),
    nn.ELU: ({"alpha": 0.5}, lambda x: F.elu(x, 0.5)),
    nn.CELU: ({"alpha": 2.0}, lambda x: F.celu(x, 2.0)),
    nn.Softplus: ({"beta": 2.0, "threshold": 1.0}, lambda x: F.softplus(x, 2.0, 1.0)),
    nn.Hardtanh: ({"min_val": -0.5, "max_val": 2.0}, lambda x: F.hardtanh(x, -0.5, 2.0)),
    nn.GELU: ({"approximate": "tanh"}, lambda x: F.gelu(x, "tanh")),
    nn.Softmin: ({"dim": 0}, lambda x: F.softmin(x, 0)),
    nn.Softmax: ({"dim": 0}, lambda x: al.softmax(x, axis=0)),
    nn.LogSoftmax: ({"dim": 0}, lambda x: al.log_softmax(x, axis=0)),
    nn.SiLU: ({}, F.silu),
    nn.SELU: ({}, F.selu),
    nn.LogSigmoid: ({}, F.logsigmoid),
    nn.ReLU6: ({}, F.relu6),
    nn.Hardsigmoid: ({}, F.hardsigmoid),
    nn.Hardswish: ({}, F.hardswish),
    nn.Mish: ({}, F.mish),
    nn.Softsign: ({}, F.softsign),
}


def test_every_activation_has_a_layer_in_this_table():
    assert set(LAYER_CALLS) == set(ACTIVATION_LAYERS)


@pytest.mark.parametrize("layer_type", ACTIVATION_LAYERS, ids=lambda t: t.__name__)
def test_each_activation_layer_calls_its_function_with_its_options(layer_type):
    options, function = LAYER_CALLS[layer_type]
    layer = layer_type(**options)
    x = RNG.normal(scale=3.0, size=(5, 3))
    np.testing.assert_array_equal(layer(al.tensor(x)).data, function(al.tensor(x)).data)
    assert repr(layer).startswith(f"{layer_type.__name__}(")
    for name, value in options.items():
        assert f"{name}={value!r}" in repr(layer)


@pytest.mark.parametrize(
    "make",
    [
        lambda dtype: nn.Linear(3, 2, rng=0, dtype=dtype),
        lambda dtype: nn.Embedding(4, 3, rng=0, dtype=dtype),
        lambda dtype: nn.LayerNorm(3, dtype=dtype),
        lambda dtype: nn.GroupNorm(1, 3, dtype=dtype),
        lambda dtype: nn.BatchNorm1d(3, dtype=dtype),
    ],
)
def test_layers_with_parameters_take_a_dtype(make):
    layer = make(np.float32)
    assert [p.dtype for p in layer.parameters()] == [np.float32] * len(layer.parameters())
    assert all(b.dtype == np.float32 for _, b in layer.named_buffers())
    assert all(p.dtype == np.float64 for p in make(np.float64).parameters())
