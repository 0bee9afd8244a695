"""scaled_dot_product_attention: torch's formula written in numpy (masks, causal, scale),
rows that see no key, first and second derivatives, and a graph whose nodes are named."""

import numpy as np
import pytest

import autograd_lite as al
from autograd_lite.nn import functional as F

RNG = np.random.default_rng(13)
Q, K, V = (
    RNG.normal(size=(2, 3, 4, 5)),
    RNG.normal(size=(2, 3, 6, 5)),
    RNG.normal(size=(2, 3, 6, 2)),
)


def reference(q, k, v, add=0.0, scale=None):
    scores = q @ np.swapaxes(k, -1, -2) * (1 / np.sqrt(q.shape[-1]) if scale is None else scale)
    scores = scores + add
    e = np.exp(scores - scores.max(axis=-1, keepdims=True))
    return (e / e.sum(axis=-1, keepdims=True)) @ v


def test_attention_is_the_softmax_of_scaled_scores_times_the_values():
    out = F.scaled_dot_product_attention(al.tensor(Q), K, V)
    assert out.shape == (2, 3, 4, 2)
    np.testing.assert_allclose(out.data, reference(Q, K, V), rtol=1e-12)
    scaled = F.scaled_dot_product_attention(Q, K, V, scale=0.3).data
    np.testing.assert_allclose(scaled, reference(Q, K, V, scale=0.3), rtol=1e-12)


def test_boolean_float_and_causal_masks():
    allowed = RNG.random((4, 6)) < 0.6
    allowed[:, 0] = True  # every query sees a key
    out = F.scaled_dot_product_attention(Q, K, V, attn_mask=allowed).data
    np.testing.assert_allclose(out, reference(Q, K, V, np.where(allowed, 0.0, -np.inf)))
    bias = RNG.normal(size=(4, 6))
    out = F.scaled_dot_product_attention(Q, K, V, attn_mask=bias).data
    np.testing.assert_allclose(out, reference(Q, K, V, bias), rtol=1e-12)
    causal = F.scaled_dot_product_attention(Q, K, V, is_causal=True).data
    below = np.tril(np.ones((4, 6), dtype=bool))
    np.testing.assert_allclose(causal, reference(Q, K, V, np.where(below, 0.0, -np.inf)))


def test_a_query_that_sees_no_key_gets_zeros_and_spoils_no_gradient():
    allowed = np.ones((4, 6), dtype=bool)
    allowed[2] = False
    q = al.tensor(Q, requires_grad=True)
    out = F.scaled_dot_product_attention(q, K, V, attn_mask=allowed)
    assert np.all(out.data[..., 2, :] == 0.0)
    np.testing.assert_allclose(out.data[..., [0, 1, 3], :], reference(Q, K, V)[..., [0, 1, 3], :])
    out.sum().backward()
    assert np.all(np.isfinite(q.grad)) and np.all(q.grad[..., 2, :] == 0.0)


@pytest.mark.parametrize("mask", [None, "causal", "bool", "float"])
def test_derivatives_in_query_key_and_value_match_central_differences(mask):
    q, k, v = Q[:1, :2, :3], K[:1, :2, :4], V[:1, :2, :4]
    options = {"is_causal": True} if mask == "causal" else {}
    if mask == "bool":
        options = {"attn_mask": np.array([[1, 0, 1, 1], [0, 1, 1, 0], [1, 1, 1, 1]], bool)}
    if mask == "float":
        options = {"attn_mask": RNG.normal(size=(3, 4))}
    g = RNG.normal(size=(1, 2, 3, 2))

    def f(q, k, v):
        return F.scaled_dot_product_attention(q, k, v, **options)

    assert al.gradcheck(lambda q, k, v: (f(q, k, v) * g).sum(), [q, k, v])
    assert al.gradgradcheck(lambda q, k, v: (f(q, k, v) ** 2 * g).sum(), [q, k, v])


def test_a_float_mask_that_requires_grad_gets_the_gradient_of_the_scores():
    q, k, v = Q[0, 0], K[0, 0], V[0, 0]
    bias = al.tensor(RNG.normal(size=(4, 6)), requires_grad=True)
    g = RNG.normal(size=(4, 2))
    out = F.scaled_dot_product_attention(q, k, v, attn_mask=bias)
    assert out.requires_grad
    (out * g).sum().backward()
    # d/dbias of sum(g * softmax(s + bias) v) is the softmax's rule applied to g v^T
    w = reference(q, k, np.eye(6), bias.data)  # the attention weights, (4, 6)
    upstream = g @ v.T
    expected = w * (upstream - (upstream * w).sum(axis=-1, keepdims=True))
    np.testing.assert_allclose(bias.grad, expected, rtol=1e-10, atol=1e-14)
    assert al.gradcheck(
        lambda b: (F.scaled_dot_product_attention(q, k, v, attn_mask=b) * g).sum(), [bias.data]
    )


def test_a_boolean_mask_stays_a_constant():
    allowed = al.tensor(np.tril(np.ones((4, 6), dtype=bool)))
    q = al.tensor(Q[0, 0], requires_grad=True)
    F.scaled_dot_product_attention(q, K[0, 0], V[0, 0], attn_mask=allowed).sum().backward()
    assert allowed.grad is None and q.grad is not None


def test_dropout_on_the_weights_follows_the_generator():
    first = F.scaled_dot_product_attention(Q, K, V, dropout_p=0.5, rng=np.random.default_rng(1))
    again = F.scaled_dot_product_attention(Q, K, V, dropout_p=0.5, rng=np.random.default_rng(1))
    np.testing.assert_array_equal(first.data, again.data)
    assert not np.allclose(first.data, reference(Q, K, V))


def test_float32_inputs_give_float32_attention_with_dropout_too():
    q, k, v = (al.tensor(a.astype(np.float32)) for a in (Q, K, V))
    out = F.scaled_dot_product_attention(q, k, v, dropout_p=0.3, rng=np.random.default_rng(2))
    assert out.dtype == np.float32
    assert F.scaled_dot_product_attention(q, k, v, is_causal=True).dtype == np.float32


def test_the_graph_names_the_steps_of_the_formula():
    q = al.tensor(Q[0, 0], requires_grad=True)
    out = F.scaled_dot_product_attention(q, K[0, 0], V[0, 0], is_causal=True)
    assert out.name == "attention"
    dot = al.viz.draw_graph(out).source
    for label in ("scores", "masked scores", "attention weights", "attention"):
        assert label in dot


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: F.scaled_dot_product_attention(Q, K[..., :4], V), "give"),
        (lambda: F.scaled_dot_product_attention(Q, K, V[..., :5, :]), "give"),
        (
            lambda: F.scaled_dot_product_attention(Q, K, V, np.ones((4, 6), bool), is_causal=True),
            "not both",
        ),
    ],
)
def test_shapes_that_do_not_fit_are_refused(call, message):
    with pytest.raises(ValueError, match=message):
        call()
