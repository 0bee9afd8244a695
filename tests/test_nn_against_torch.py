"""Optional: nn.functional's values and gradients against torch.nn.functional (float64, CPU).

Runs where torch is installed (``pip install torch==2.13.0``) and is skipped elsewhere; the
tests CI runs check the same functions against formulas, loops and central differences.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from torch_oracle import assert_matches_torch, torch

import autograd_lite as al
from autograd_lite.nn import functional as F

TF = torch.nn.functional
RNG = np.random.default_rng(8)


def normal(*shape: int) -> np.ndarray:
    return RNG.standard_normal(shape)


LABELS = np.array([0, 2, 1, 2, -100])
WEIGHT = np.array([0.5, 2.0, 1.5])
IMAGES = normal(2, 4, 6, 5)

# name: (ours, torch's, the inputs; every float input gets a gradient)
CASES: dict[str, tuple[Callable[..., Any], Callable[..., Any], list[np.ndarray]]] = {
    "conv2d": (
        lambda x, w, b: F.conv2d(x, w, b, stride=(2, 1), padding=1, dilation=(1, 2), groups=2),
        lambda x, w, b: TF.conv2d(x, w, b, stride=(2, 1), padding=1, dilation=(1, 2), groups=2),
        [IMAGES, normal(6, 2, 3, 2), normal(6)],
    ),
    "conv2d same": (
        lambda x, w: F.conv2d(x, w, padding="same"),
        lambda x, w: TF.conv2d(x, w, padding="same"),
        [normal(1, 2, 17, 16), normal(3, 2, 2, 3)],
    ),
    "conv1d": (
        lambda x, w: F.conv1d(x, w, stride=2, padding=1),
        lambda x, w: TF.conv1d(x, w, stride=2, padding=1),
        [normal(2, 3, 9), normal(4, 3, 3)],
    ),
    "conv_transpose2d": (
        lambda x, w, b: F.conv_transpose2d(x, w, b, 2, 1, (1, 0), 2, (1, 2)),
        lambda x, w, b: TF.conv_transpose2d(x, w, b, 2, 1, (1, 0), 2, (1, 2)),
        [IMAGES, normal(4, 3, 3, 2), normal(6)],
    ),
    "max_pool2d": (
        lambda x: F.max_pool2d(x, 3, 2, 1),
        lambda x: TF.max_pool2d(x, 3, 2, 1),
        [IMAGES],
    ),
    "avg_pool2d": (
        lambda x: F.avg_pool2d(x, 2, 1, 1),
        lambda x: TF.avg_pool2d(x, 2, 1, 1),
        [IMAGES],
    ),
    "adaptive_avg_pool2d": (
        lambda x: F.adaptive_avg_pool2d(x, (4, 3)),
        lambda x: TF.adaptive_avg_pool2d(x, (4, 3)),
        [IMAGES],
    ),
    "layer_norm": (
        lambda x, w, b: F.layer_norm(x, (6, 5), w, b),
        lambda x, w, b: TF.layer_norm(x, (6, 5), w, b),
        [IMAGES, normal(6, 5), normal(6, 5)],
    ),
    "group_norm": (
        lambda x, w, b: F.group_norm(x, 2, w, b),
        lambda x, w, b: TF.group_norm(x, 2, w, b),
        [IMAGES, normal(4), normal(4)],
    ),
    "batch_norm": (
        lambda x, w, b: F.batch_norm(x, None, None, w, b, training=True),
        lambda x, w, b: TF.batch_norm(x, None, None, w, b, training=True),
        [IMAGES, normal(4), normal(4)],
    ),
    "embedding": (
        lambda w: F.embedding(np.array([[1, 3], [3, 0]]), w, padding_idx=3),
        lambda w: TF.embedding(torch.tensor([[1, 3], [3, 0]]), w, padding_idx=3),
        [normal(5, 2)],
    ),
    "cross_entropy": (
        lambda z: F.cross_entropy(z, LABELS, weight=WEIGHT, label_smoothing=0.2),
        lambda z: TF.cross_entropy(
            z, torch.tensor(LABELS), weight=torch.tensor(WEIGHT), label_smoothing=0.2
        ),
        [normal(5, 3)],
    ),
    "nll_loss": (
        lambda z: F.nll_loss(z, np.array([[0, 2], [1, 1]]), ignore_index=1),
        lambda z: TF.nll_loss(z, torch.tensor([[0, 2], [1, 1]]), ignore_index=1),
        [normal(2, 3, 2)],
    ),
    "binary_cross_entropy_with_logits": (
        lambda x, t: F.binary_cross_entropy_with_logits(x, t, pos_weight=2.0),
        lambda x, t: TF.binary_cross_entropy_with_logits(
            x, t, pos_weight=torch.tensor(2.0, dtype=torch.float64)
        ),
        [normal(4, 3) * 5, RNG.random((4, 3))],
    ),
    "kl_div": (
        lambda x, t: F.kl_div(x, t, reduction="batchmean"),
        lambda x, t: TF.kl_div(x, t, reduction="batchmean"),
        [normal(4, 3), RNG.random((4, 3))],
    ),
    "smooth_l1_loss": (
        lambda x, t: F.smooth_l1_loss(x, t, beta=0.5),
        lambda x, t: TF.smooth_l1_loss(x, t, beta=0.5),
        [normal(4, 3), normal(4, 3)],
    ),
    "smooth_l1_loss beta 0": (
        lambda x, t: F.smooth_l1_loss(x, t, beta=0.0),
        lambda x, t: TF.smooth_l1_loss(x, t, beta=0.0),
        [normal(4, 3), normal(4, 3)],
    ),
    "attention": (
        lambda q, k, v: F.scaled_dot_product_attention(q, k, v, is_causal=True),
        lambda q, k, v: TF.scaled_dot_product_attention(q, k, v, is_causal=True),
        [normal(2, 3, 4), normal(2, 5, 4), normal(2, 5, 2)],
    ),
    "attention mask": (
        lambda q, k, v: F.scaled_dot_product_attention(q, k, v, attn_mask=MASK),
        lambda q, k, v: TF.scaled_dot_product_attention(q, k, v, attn_mask=torch.tensor(MASK)),
        [normal(2, 3, 4), normal(2, 5, 4), normal(2, 5, 2)],
    ),
    "attention learned bias": (
        lambda q, k, v, bias: F.scaled_dot_product_attention(q, k, v, attn_mask=bias),
        lambda q, k, v, bias: TF.scaled_dot_product_attention(q, k, v, attn_mask=bias),
        [normal(2, 3, 4), normal(2, 5, 4), normal(2, 5, 2), normal(3, 5)],
    ),
}
MASK = RNG.random((3, 5)) < 0.5
MASK[1] = False  # a query that sees no key: zeros in both


@pytest.mark.parametrize("name", CASES)
def test_values_and_gradients_match_torch(name):
    ours, theirs, inputs = CASES[name]
    assert_matches_torch(ours, theirs, inputs, RNG)


def test_activations_match_torch():
    kinks = [
        -3.0,
        3.0,
        0.0,
        6.0,
        -6.0,
        -1.0,
        1.0,
        -2.0,
        2.5,
        1.5,
    ]  # every function's, and the softplus threshold
    x = np.concatenate([np.linspace(-6.0, 6.0, 41), kinks])
    pairs = [
        (F.silu, TF.silu), (F.mish, TF.mish), (F.selu, TF.selu), (F.logsigmoid, TF.logsigmoid),
        (F.hardswish, TF.hardswish), (F.hardsigmoid, TF.hardsigmoid), (F.softsign, TF.softsign),
        (F.relu6, TF.relu6), (F.gelu, TF.gelu),
        (lambda t: F.gelu(t, "tanh"), lambda t: TF.gelu(t, approximate="tanh")),
        (lambda t: F.softplus(t, 2.0, 3.0), lambda t: TF.softplus(t, 2.0, 3.0)),
        (lambda t: F.elu(t, 0.7), lambda t: TF.elu(t, 0.7)),
        (lambda t: F.celu(t, 1.5), lambda t: TF.celu(t, 1.5)),
        (lambda t: F.leaky_relu(t, 0.2), lambda t: TF.leaky_relu(t, 0.2)),
        (lambda t: F.hardtanh(t, -2.0, 2.5), lambda t: TF.hardtanh(t, -2.0, 2.5)),
        (lambda t: F.softmin(t, 0), lambda t: TF.softmin(t, 0)),
    ]  # fmt: skip
    for ours, theirs in pairs:
        t = al.tensor(x, requires_grad=True)
        ours(t).sum().backward()
        tt = torch.tensor(x, requires_grad=True)
        theirs(tt).sum().backward()
        np.testing.assert_allclose(
            ours(x).data, theirs(torch.tensor(x)).numpy(), rtol=1e-10, atol=1e-15
        )
        # rtol 1e-7: torch's hardsigmoid rule multiplies by 1/6 rounded to float32
        np.testing.assert_allclose(t.grad, tt.grad.numpy(), rtol=1e-7, atol=1e-12)


def test_batch_norm_layers_keep_torchs_running_statistics():
    ours = al.nn.BatchNorm2d(4, momentum=0.3)
    theirs = torch.nn.BatchNorm2d(4, momentum=0.3).double()
    for _ in range(3):
        x = RNG.standard_normal((5, 4, 3, 2)) * 2 + 1
        np.testing.assert_allclose(ours(x).data, theirs(torch.tensor(x)).detach().numpy())
    np.testing.assert_allclose(ours.running_mean, theirs.running_mean.numpy(), rtol=1e-12)
    np.testing.assert_allclose(ours.running_var, theirs.running_var.numpy(), rtol=1e-12)
    ours.eval(), theirs.eval()
    x = RNG.standard_normal((2, 4, 3, 2))
    np.testing.assert_allclose(ours(x).data, theirs(torch.tensor(x)).detach().numpy())


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # torch's target gradient at 0 and 1: inf
@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "weight"])
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_binary_cross_entropy_at_saturated_probabilities_matches_torch(dtype, reduction, weighted):
    p = np.array([0.0, 1.0, 0.0, 1.0, 1e-13, 1 - 1e-7, 1e-30, 0.3], dtype)
    t = np.array([1.0, 0.0, 0.0, 1.0, 1.0, 0.2, 0.5, 0.6], dtype)
    w = np.linspace(0.5, 4.0, 8).astype(dtype) if weighted else None
    g = RNG.standard_normal(8).astype(dtype) if reduction == "none" else np.array(1.5, dtype)
    ours = [al.tensor(p, requires_grad=True), al.tensor(t, requires_grad=True)]
    theirs = [torch.tensor(p, requires_grad=True), torch.tensor(t, requires_grad=True)]
    loss = F.binary_cross_entropy(*ours, weight=w, reduction=reduction)
    expected = TF.binary_cross_entropy(
        *theirs, weight=None if w is None else torch.tensor(w), reduction=reduction
    )
    loss.backward(g)
    expected.backward(torch.tensor(g))
    rtol = 1e-6 if dtype == np.float32 else 1e-12
    np.testing.assert_allclose(loss.data, expected.detach().numpy(), rtol=rtol)
    for ours_leaf, their_leaf in zip(ours, theirs, strict=True):
        assert ours_leaf.grad.dtype == dtype
        np.testing.assert_allclose(ours_leaf.grad, their_leaf.grad.numpy(), rtol=rtol)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_sigmoid_in_both_tails_matches_torch(dtype):
    # torch's sigmoid is 0 below x = -709.8 (-88.7 in float32), where ours is the true
    # subnormal value
    tails = [-700, -708, 700] if dtype == np.float64 else [-88, 100]
    x = np.concatenate([np.linspace(-87, 40, 128), tails]).astype(dtype)
    ours = al.tensor(x, requires_grad=True)
    theirs = torch.tensor(x, requires_grad=True)
    s, expected = al.sigmoid(ours), torch.sigmoid(theirs)
    g = RNG.standard_normal(x.shape).astype(dtype)
    s.backward(g)
    expected.backward(torch.tensor(g))
    rtol = 1e-6 if dtype == np.float32 else 1e-14  # a few ulps apart
    np.testing.assert_allclose(s.data, expected.detach().numpy(), rtol=rtol)
    np.testing.assert_allclose(ours.grad, theirs.grad.numpy(), rtol=rtol)
