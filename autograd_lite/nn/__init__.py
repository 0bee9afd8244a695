"""Neural-network building blocks on the engine: modules, layers, the 3-layer net, checkpoints.

Parameters are plain Tensors with ``requires_grad=True`` (still parameters once frozen with
``requires_grad_(False)``); a :class:`Module` finds them among its attributes and names them
("W1", "0.weight"). The loss is the engine's fused
:func:`~autograd_lite.cross_entropy` on logits, re-exported here.

>>> import numpy as np
>>> from autograd_lite import nn
>>> net = nn.Sequential(nn.Linear(2, 4, rng=0), nn.Tanh(), nn.Linear(4, 2, rng=1))
>>> loss = nn.cross_entropy(net(np.ones((3, 2))), np.array([0, 1, 1]))
>>> loss.backward()
>>> [p.grad.shape for p in net.parameters()]
[(2, 4), (4,), (4, 2), (2,)]
"""

from ..ops import cross_entropy
from . import functional, utils
from .activation_layers import (
    CELU,
    ELU,
    GELU,
    SELU,
    Hardsigmoid,
    Hardswish,
    Hardtanh,
    LeakyReLU,
    LogSigmoid,
    LogSoftmax,
    Mish,
    ReLU6,
    SiLU,
    Softmax,
    Softmin,
    Softplus,
    Softsign,
)
from .checkpoint import CheckpointError, load, save
from .containers import ModuleDict, ModuleList, Sequential
from .conv_layers import AdaptiveAvgPool2d, AvgPool2d, Conv1d, Conv2d, Dropout, Flatten, MaxPool2d
from .layers import Embedding, Linear, ReLU, Sigmoid, Tanh, glorot_uniform
from .models import ConvNet, Steps, ThreeLayerNet
from .module import Module
from .norm_layers import BatchNorm1d, BatchNorm2d, GroupNorm, LayerNorm

__all__ = [
    "AdaptiveAvgPool2d",
    "AvgPool2d",
    "BatchNorm1d",
    "BatchNorm2d",
    "CELU",
    "CheckpointError",
    "Conv1d",
    "Conv2d",
    "ConvNet",
    "Dropout",
    "ELU",
    "Embedding",
    "Flatten",
    "GELU",
    "GroupNorm",
    "Hardsigmoid",
    "Hardswish",
    "Hardtanh",
    "LayerNorm",
    "LeakyReLU",
    "Linear",
    "LogSigmoid",
    "LogSoftmax",
    "MaxPool2d",
    "Mish",
    "Module",
    "ModuleDict",
    "ModuleList",
    "ReLU",
    "ReLU6",
    "SELU",
    "Sequential",
    "SiLU",
    "Sigmoid",
    "Softmax",
    "Softmin",
    "Softplus",
    "Softsign",
    "Steps",
    "Tanh",
    "ThreeLayerNet",
    "cross_entropy",
    "functional",
    "glorot_uniform",
    "load",
    "save",
    "utils",
]
