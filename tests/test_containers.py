"""Module's walk over its attributes: containers it finds, lists it refuses, train/eval."""

from __future__ import annotations

import numpy as np
import pytest

from autograd_lite import nn


class Blocks(nn.Module):
    def __init__(self):
        self.blocks = nn.ModuleList([nn.Linear(2, 3, rng=0), nn.Tanh()])
        self.heads = nn.ModuleDict({"left": nn.Linear(3, 1, rng=1), "right": nn.Linear(3, 2)})

    def forward(self, x):
        for block in self.blocks:
            x = block(x)
        return self.heads["left"](x), self.heads["right"](x)


def test_modules_in_module_list_and_module_dict_are_found_and_named():
    net = Blocks()
    names = [name for name, _ in net.named_parameters()]
    assert names == [
        "blocks.0.weight",
        "blocks.0.bias",
        "heads.left.weight",
        "heads.left.bias",
        "heads.right.weight",
        "heads.right.bias",
    ]
    assert net.heads["left"].weight.name == "heads.left.weight"
    assert net.num_parameters() == 2 * 3 + 3 + 3 * 1 + 1 + 3 * 2 + 2
    assert [n for n, _ in net.named_modules()] == [
        "",
        "blocks",
        "blocks.0",
        "blocks.1",
        "heads",
        "heads.left",
        "heads.right",
    ]
    left, right = net(np.ones((4, 2)))
    assert (left.shape, right.shape) == ((4, 1), (4, 2))
    assert sorted(net.state_dict()) == sorted(names)
    assert list(net.heads) == ["left", "right"] and "left" in net.heads and "up" not in net.heads


def test_module_list_grows_and_indexes_like_a_list():
    layers = nn.ModuleList()
    layers.append(nn.Linear(1, 1, rng=0)).extend([nn.ReLU(), nn.Sigmoid()])
    assert len(layers) == 3 and isinstance(layers[-1], nn.Sigmoid)
    assert [n for n, _ in layers.named_parameters()] == ["0.weight", "0.bias"]


class Hides(nn.Module):
    def __init__(self, holder):
        self.layers = holder


@pytest.mark.parametrize(
    ("holder", "use"),
    [
        ([nn.Linear(2, 2)], "ModuleList"),
        ((nn.Tanh(), 3), "ModuleList"),
        ({"a": nn.Linear(2, 2)}, "ModuleDict"),
        ([[nn.Linear(2, 2)]], "ModuleList"),  # nested
        ([nn.Linear(2, 2).weight], "ModuleList"),  # a bare parameter
    ],
)
def test_modules_or_parameters_in_a_plain_list_or_dict_are_refused_naming_it(holder, use):
    with pytest.raises(TypeError, match=rf"Hides\.layers is a \w+ holding .*nn\.{use}"):
        Hides(holder)


def test_a_list_filled_after_assignment_is_refused_when_parameters_are_walked():
    net = Hides([])  # nothing to find yet: allowed, as a list of numbers is
    net.layers.append(nn.Linear(2, 2))
    with pytest.raises(TypeError, match="Hides.layers is a list"):
        net.parameters()
    assert Hides([1.0, "text"]).parameters() == []


def test_train_and_eval_reach_every_submodule():
    net = Blocks()
    assert all(m.training for _, m in net.named_modules())
    assert net.eval() is net
    assert not any(m.training for _, m in net.named_modules())
    net.train()
    assert net.heads["right"].training and net.blocks[1].training


@pytest.mark.parametrize("key", ["", "a.b", "items", 3])
def test_module_dict_refuses_keys_that_cannot_name_an_attribute(key):
    with pytest.raises(KeyError, match="cannot name a module"):
        nn.ModuleDict({key: nn.Tanh()})
