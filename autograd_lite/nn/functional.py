"""``autograd_lite.nn.functional``: the functions of ``torch.nn.functional``, as compositions
of registered ops, so their gradients (and second derivatives) come from those ops' rules.

Layouts are torch's: images are (batch, channels, height, width) and a convolution's
weight is (out_channels, in_channels / groups, kh, kw).
"""

from __future__ import annotations

from .activations import (
    celu,
    elu,
    gelu,
    hardsigmoid,
    hardswish,
    hardtanh,
    leaky_relu,
    logsigmoid,
    mish,
    relu6,
    selu,
    silu,
    softmin,
    softplus,
    softsign,
)
from .attention import scaled_dot_product_attention
from .convolution import conv1d, conv2d, conv_transpose2d
from .dropout import dropout
from .embedding import embedding, one_hot
from .losses import (
    binary_cross_entropy,
    binary_cross_entropy_with_logits,
    cross_entropy,
    huber_loss,
    kl_div,
    l1_loss,
    mse_loss,
    nll_loss,
    smooth_l1_loss,
)
from .normalization import batch_norm, group_norm, layer_norm
from .pooling import adaptive_avg_pool2d, avg_pool2d, max_pool2d

__all__ = [
    "adaptive_avg_pool2d",
    "avg_pool2d",
    "batch_norm",
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "celu",
    "conv1d",
    "conv2d",
    "conv_transpose2d",
    "cross_entropy",
    "dropout",
    "elu",
    "embedding",
    "gelu",
    "group_norm",
    "hardsigmoid",
    "hardswish",
    "hardtanh",
    "huber_loss",
    "kl_div",
    "l1_loss",
    "layer_norm",
    "leaky_relu",
    "logsigmoid",
    "max_pool2d",
    "mish",
    "mse_loss",
    "nll_loss",
    "one_hot",
    "relu6",
    "scaled_dot_product_attention",
    "selu",
    "silu",
    "smooth_l1_loss",
    "softmin",
    "softplus",
    "softsign",
]
