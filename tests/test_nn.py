"""autograd_lite.nn: the engine's gradients of the 3-layer network against the hand formulas,
parameters found and named from attributes, state dicts, and the layers."""

from __future__ import annotations

import json

import numpy as np
import pytest

import autograd_lite as al
from autograd_lite import nn


def hand_forward(net: nn.ThreeLayerNet, x: np.ndarray):
    """The forward pass in plain numpy: z1, a1, z2, a2 as the derivation writes them."""
    z1 = x @ net.W1.data + net.b1.data
    a1 = np.tanh(z1)
    z2 = a1 @ net.W2.data + net.b2.data
    e = np.exp(z2 - z2.max(axis=1, keepdims=True))
    return z1, a1, z2, e / e.sum(axis=1, keepdims=True)


@pytest.mark.parametrize("batch", [1, 2, 7, 64])
def test_engine_gradients_of_three_layer_net_equal_the_hand_formulas(batch):
    rng = np.random.default_rng(batch)
    n_in, n_hidden, n_out = 6, 5, 4
    net = nn.ThreeLayerNet(n_in, n_hidden, n_out, rng=rng)
    net.b1.data[:] = rng.normal(size=n_hidden)  # non-zero biases, so that they matter
    net.b2.data[:] = rng.normal(size=n_out)
    x = rng.normal(size=(batch, n_in))
    labels = rng.integers(0, n_out, size=batch)

    steps = net(x, return_steps=True)
    loss = al.cross_entropy(steps.z2, labels)
    loss.backward()

    z1, a1, z2, a2 = hand_forward(net, x)
    for engine, hand in zip(steps, (z1, a1, z2, a2), strict=True):
        np.testing.assert_allclose(engine.data, hand, rtol=0, atol=1e-12)
    y = np.eye(n_out)[labels]
    np.testing.assert_allclose(loss.item(), -np.log(a2[y == 1]).mean(), rtol=1e-12)
    delta3 = (a2 - y) / batch
    dW2 = a1.T @ delta3
    db2 = delta3.sum(axis=0)
    delta2 = (delta3 @ net.W2.data.T) * (1 - a1**2)
    dW1 = x.T @ delta2
    db1 = delta2.sum(axis=0)
    for param, hand in ((net.W2, dW2), (net.b2, db2), (net.W1, dW1), (net.b1, db1)):
        assert param.grad.dtype == np.float64
        np.testing.assert_allclose(param.grad, hand, rtol=0, atol=1e-10, err_msg=param.name)


def test_three_layer_net_forward_returns_the_logits_by_default():
    net = nn.ThreeLayerNet(3, 4, 2, rng=0)
    x = np.arange(6.0).reshape(2, 3)
    np.testing.assert_array_equal(net(x).data, net(x, return_steps=True).z2.data)
    assert [p.name for p in net.parameters()] == ["W1", "b1", "W2", "b2"]
    assert net.W1.shape == (3, 4) and net.b2.shape == (2,)


def test_three_layer_net_names_its_steps_as_the_derivation_and_the_picture_shows_them():
    net = nn.ThreeLayerNet(3, 4, 2, rng=0)
    steps = net(np.ones((2, 3)), return_steps=True)
    assert [t.name for t in steps] == ["z1", "a1", "z2", "a2"]
    loss = al.cross_entropy(net(np.ones((2, 3))), np.array([0, 1]))
    names = [n["name"] for n in json.loads(al.graph_to_json(loss))["nodes"] if n["name"]]
    assert {"z1", "a1", "z2", "W1", "b1", "W2", "b2"} <= set(names)


def test_parameters_are_named_by_their_dotted_path_when_attached():
    layer = nn.Linear(2, 3, rng=0)
    assert layer.weight.name == "weight"
    seq = nn.Sequential(layer, nn.Tanh(), nn.Linear(3, 1, rng=1))
    assert layer.weight.name == "0.weight"

    class Outer(nn.Module):
        def __init__(self):
            self.scale = al.tensor(1.0, requires_grad=True)
            self.net = seq

    outer = Outer()
    assert [name for name, _ in outer.named_parameters()] == [
        "scale",
        "net.0.weight",
        "net.0.bias",
        "net.2.weight",
        "net.2.bias",
    ]
    assert [p.name for p in outer.parameters()] == [n for n, _ in outer.named_parameters()]
    # a parameter given to an attached child later gets its full name too
    seq[0].extra = al.tensor([0.0], requires_grad=True)
    assert seq[0].extra.name == "net.0.extra"


def test_only_leaf_tensors_that_require_grad_are_parameters():
    class Mixed(nn.Module):
        def __init__(self):
            self.w = al.tensor([1.0], requires_grad=True)
            self.constant = al.tensor([2.0])
            self.array = np.ones(3)
            self.derived = self.w * 2  # an op's result, not a parameter

    assert [name for name, _ in Mixed().named_parameters()] == ["w"]


def test_a_frozen_parameter_is_still_a_parameter_saved_and_loaded():
    net = nn.Sequential(nn.Linear(3, 4, rng=0), nn.Tanh(), nn.Linear(4, 2, rng=1))
    net[0].weight.requires_grad_(False)
    names = ["0.weight", "0.bias", "2.weight", "2.bias"]
    assert [name for name, _ in net.named_parameters()] == names
    assert net.parameters()[0] is net[0].weight and list(net.state_dict()) == names
    target = nn.Sequential(nn.Linear(3, 4, rng=5), nn.Tanh(), nn.Linear(4, 2, rng=6))
    target[0].weight.requires_grad_(False)
    target.load_state_dict(net.state_dict())
    x = np.ones((1, 3))
    np.testing.assert_array_equal(target(x).data, net(x).data)


def test_parameters_are_the_names_assigned_a_tensor_that_requires_grad():
    class Parts(nn.Module):
        def __init__(self):
            self.w = al.tensor([1.0], requires_grad=True)
            self.constant = al.tensor([2.0])  # never required grad: a plain attribute
            self.late = al.tensor([3.0])

    parts = Parts()
    parts.late.requires_grad_()  # requires grad now: a parameter, as before
    parts.w.requires_grad_(False)
    assert [name for name, _ in parts.named_parameters()] == ["w", "late"]
    parts.w = al.tensor([4.0])  # a frozen replacement of a parameter is one too
    assert [name for name, _ in parts.named_parameters()] == ["w", "late"]
    parts.w = None  # no longer a tensor: no longer a parameter
    parts.late = parts.late * 2  # an op's result is not a parameter
    assert list(parts.state_dict()) == []
    parts.w = al.tensor([5.0])  # the name was forgotten with None
    assert list(parts.state_dict()) == []


def test_a_shared_parameter_is_listed_once():
    layer = nn.Linear(2, 2, rng=0)
    net = nn.Sequential(layer, nn.Tanh(), layer)
    assert len(net.parameters()) == 2


def test_zero_grad_clears_every_gradient():
    net = nn.ThreeLayerNet(2, 3, 2, rng=0)
    al.cross_entropy(net(np.ones((4, 2))), np.array([0, 1, 1, 0])).backward()
    assert all(p.grad is not None for p in net.parameters())
    net.zero_grad()
    assert all(p.grad is None for p in net.parameters())


def test_state_dict_is_a_copy_and_load_state_dict_copies_in_place():
    source, target = nn.ThreeLayerNet(3, 4, 2, rng=0), nn.ThreeLayerNet(3, 4, 2, rng=1)
    state = source.state_dict()
    state["W1"][0, 0] = 123.0
    assert source.W1.data[0, 0] != 123.0
    arrays_before = [p.data for p in target.parameters()]
    target.load_state_dict(source.state_dict())
    for (name, p), q in zip(target.named_parameters(), source.parameters(), strict=True):
        np.testing.assert_array_equal(p.data, q.data, err_msg=name)
    assert all(p.data is a for p, a in zip(target.parameters(), arrays_before, strict=True))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda s: s.pop("b2"), "missing b2"),
        (lambda s: s.update(W3=np.zeros(2)), "unexpected W3"),
        (lambda s: s.update(W1=np.zeros((4, 3))), "W1 has shape (4, 3), the module's has (3, 4)"),
        (lambda s: s.update(b1=np.array(["a"] * 4)), "b1 has dtype <U1, not numbers"),
    ],
)
def test_load_state_dict_names_what_does_not_fit_and_changes_nothing(change, message):
    net = nn.ThreeLayerNet(3, 4, 2, rng=0)
    before = net.state_dict()
    state = nn.ThreeLayerNet(3, 4, 2, rng=1).state_dict()
    change(state)
    with pytest.raises(ValueError, match="ThreeLayerNet") as info:
        net.load_state_dict(state)
    assert message in str(info.value)
    for name, p in net.named_parameters():
        np.testing.assert_array_equal(p.data, before[name])


def test_linear_starts_from_torchs_kaiming_uniform():
    fan_in, fan_out = 300, 200
    layer = nn.Linear(fan_in, fan_out, rng=0)
    w, b = layer.weight.data, layer.bias.data
    limit = 1 / np.sqrt(fan_in)
    assert w.shape == (fan_in, fan_out) and np.abs(w).max() <= limit
    assert np.abs(w).max() > 0.99 * limit  # uniform up to the bound, not narrower
    np.testing.assert_allclose(w.var(), limit**2 / 3, rtol=0.02)
    assert b.shape == (fan_out,) and 0.9 * limit < np.abs(b).max() <= limit
    np.testing.assert_array_equal(nn.Linear(fan_in, fan_out, rng=0).weight.data, w)
    assert not np.array_equal(nn.Linear(fan_in, fan_out, rng=1).weight.data, w)


def test_linear_computes_x_w_plus_b_with_or_without_bias():
    x = np.arange(6.0).reshape(2, 3)
    layer = nn.Linear(3, 2, rng=0)
    layer.bias.data[:] = [1.0, -1.0]
    np.testing.assert_allclose(layer(x).data, x @ layer.weight.data + [1.0, -1.0])
    bare = nn.Linear(3, 2, bias=False, rng=0)
    assert [name for name, _ in bare.named_parameters()] == ["weight"]
    np.testing.assert_allclose(bare(x).data, x @ bare.weight.data)


@pytest.mark.parametrize(
    ("layer", "reference"),
    [
        (nn.Tanh(), np.tanh),
        (nn.ReLU(), lambda x: np.maximum(x, 0)),
        (nn.Sigmoid(), lambda x: 1 / (1 + np.exp(-x))),
    ],
)
def test_activation_layers_apply_their_function(layer, reference):
    x = np.linspace(-3, 3, 13)
    np.testing.assert_allclose(layer(x).data, reference(x), rtol=1e-12)
    assert layer.parameters() == []


def test_sequential_applies_layers_in_order_and_indexes_them():
    first, second = nn.Linear(2, 3, rng=0), nn.Linear(3, 1, rng=1)
    seq = nn.Sequential(first, nn.ReLU(), second)
    x = np.array([[1.0, -2.0]])
    hidden = np.maximum(x @ first.weight.data + first.bias.data, 0)
    expected = hidden @ second.weight.data + second.bias.data
    np.testing.assert_allclose(seq(x).data, expected)
    assert len(seq) == 3 and seq[0] is first and seq[-1] is second
    with pytest.raises(TypeError, match="layer 1 is a ufunc, not a Module"):
        nn.Sequential(first, np.tanh)


class _Scaled(nn.Module):
    def __init__(self):
        super().__init__()
        self.weight = al.tensor([1.0, 2.0], requires_grad=True)
        self.register_buffer("scale", np.array([10.0, 10.0]))

    def forward(self, x):
        return x * self.weight * self.scale


def test_loading_while_a_graph_reads_a_buffer_loads_everything_and_keeps_that_graph_right(
    tmp_path,
):
    # the buffer's write failed ("assignment destination is read-only") after the
    # parameters were written: the module was left half-loaded
    m = _Scaled()
    loss = m(np.array([1.0, 1.0])).sum()  # holds scale read-only
    m.load_state_dict({"weight": np.array([5.0, 5.0]), "scale": np.array([3.0, 3.0])})
    np.testing.assert_array_equal(m.weight.data, [5.0, 5.0])
    np.testing.assert_array_equal(m.scale, [3.0, 3.0])
    nn.save(_Scaled(), tmp_path / "scaled.npz")
    other = _Scaled()
    other.load_state_dict({"weight": np.zeros(2), "scale": np.zeros(2)})
    graph = other(np.array([1.0, 1.0])).sum()
    nn.load(other, tmp_path / "scaled.npz")
    np.testing.assert_array_equal(other.scale, [10.0, 10.0])
    with pytest.raises(RuntimeError, match="tensor 'weight' .* was changed in place"):
        graph.backward()  # as after any load under a live graph: its parameters changed
    del loss
