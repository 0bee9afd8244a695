"""embedding and one_hot, cross_entropy's weight, ignore_index and label_smoothing, and
binary_cross_entropy's gradient at saturated probabilities, against torch's formulas written
out in numpy or by hand; gradients against central differences."""

import numpy as np
import pytest

import autograd_lite as al
from autograd_lite.nn import functional as F

RNG = np.random.default_rng(5)


def test_embedding_looks_up_rows_and_adds_repeated_gradients():
    w = al.tensor(RNG.normal(size=(4, 3)), requires_grad=True)
    index = np.array([[3, 1], [3, 3]])
    out = F.embedding(index, w)
    np.testing.assert_array_equal(out.data, w.data[index])
    g = RNG.normal(size=(2, 2, 3))
    (out * g).sum().backward()
    expected = np.zeros((4, 3))
    np.add.at(expected, index, g)
    np.testing.assert_allclose(w.grad, expected, rtol=1e-12)
    assert al.gradcheck(lambda w: (F.embedding(index, w) * g).sum(), [w.data])


def test_embedding_sends_no_gradient_to_the_padding_row():
    w = al.tensor(RNG.normal(size=(4, 2)), requires_grad=True)
    out = F.embedding(np.array([0, 2, 2, 1]), w, padding_idx=2)
    np.testing.assert_array_equal(out.data, w.data[[0, 2, 2, 1]])
    out.sum().backward()
    assert w.grad.tolist() == [[1.0, 1.0], [1.0, 1.0], [0.0, 0.0], [0.0, 0.0]]


def test_one_hot_matches_an_identity_lookup():
    labels = np.array([[2, 0], [1, 2]])
    np.testing.assert_array_equal(F.one_hot(labels, 4).data, np.eye(4, dtype=np.int64)[labels])
    assert F.one_hot(np.array([1])).shape == (1, 2) and F.one_hot(labels).dtype == np.int64


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: F.embedding(np.array([4]), np.ones((4, 2))), ValueError, "out of range"),
        (lambda: F.embedding(np.array([-1]), np.ones((4, 2))), ValueError, "negative"),
        (lambda: F.embedding(np.array([0.5]), np.ones((4, 2))), TypeError, "integers"),
        (lambda: F.embedding(np.array([0]), np.ones(4)), ValueError, "num_embeddings, dim"),
        (lambda: F.one_hot(np.array([3]), 3), ValueError, "out of range"),
        (lambda: F.one_hot(np.array([], dtype=int)), ValueError, "cannot be inferred"),
    ],
)
def test_bad_indices_are_refused(call, error, message):
    with pytest.raises(error, match=message):
        call()


def log_softmax(z):
    shifted = z - z.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


def torch_cross_entropy(z, y, w, ignore, eps):
    """torch's loss for class labels, mean reduction, written out."""
    logp, classes = log_softmax(z), z.shape[-1]
    counted = y != ignore
    safe = np.where(counted, y, 0)
    nll = -(logp[np.arange(len(y)), safe] * w[safe] * counted).sum()
    smooth = -((logp * w).sum(axis=-1) * counted).sum()
    total = (w[safe] * counted).sum()
    return ((1 - eps) * nll + eps / classes * smooth) / total


Z = RNG.normal(size=(6, 4))
Y = np.array([0, 3, 1, -100, 3, 2])
W = np.array([0.5, 2.0, 1.0, 3.0])


@pytest.mark.parametrize("eps", [0.0, 0.1, 1.0])
def test_cross_entropy_with_weight_ignore_index_and_smoothing_is_torchs(eps):
    loss = F.cross_entropy(al.tensor(Z), Y, weight=W, label_smoothing=eps)
    assert loss.item() == pytest.approx(torch_cross_entropy(Z, Y, W, -100, eps), rel=1e-12)
    assert al.gradcheck(lambda z: F.cross_entropy(z, Y, weight=W, label_smoothing=eps), [Z])
    assert al.gradgradcheck(lambda z: F.cross_entropy(z, Y, W, label_smoothing=eps), [Z])


def test_cross_entropy_sum_and_none_and_a_chosen_ignore_index():
    y = np.where(Y == -100, 1, Y)
    per_row = F.cross_entropy(al.tensor(Z), y, ignore_index=1, reduction="none").data
    expected = np.where(y == 1, 0.0, -log_softmax(Z)[np.arange(6), y])
    np.testing.assert_allclose(per_row, expected, rtol=1e-12)
    total = F.cross_entropy(al.tensor(Z), y, ignore_index=1, reduction="sum", label_smoothing=0.2)
    smooth = np.where(y == 1, 0.0, -log_softmax(Z).sum(axis=-1)).sum()
    assert total.item() == pytest.approx(0.8 * expected.sum() + 0.2 / 4 * smooth, rel=1e-12)


def test_cross_entropy_with_probabilities_smooths_the_target_and_weights_classes():
    p = RNG.dirichlet(np.ones(4), size=6)
    loss = F.cross_entropy(al.tensor(Z), p, weight=W, label_smoothing=0.3).item()
    expected = -(log_softmax(Z) * W * (0.7 * p + 0.3 / 4)).sum(axis=-1).mean()
    assert loss == pytest.approx(expected, rel=1e-12)
    assert al.gradcheck(lambda z, p: F.cross_entropy(z, p, label_smoothing=0.3), [Z, p])


def test_weighted_probabilities_add_0_where_the_target_is_0_even_at_a_logit_of_minus_inf():
    z = np.array([[0.0, -np.inf, 1.0], [2.0, 1.0, -np.inf]])
    p = np.array([[0.5, 0.0, 0.5], [0.3, 0.7, 0.0]])
    plain = F.cross_entropy(al.tensor(z), p).item()  # the fused op: 0 log 0 = 0
    assert np.isfinite(plain)
    weighted = F.cross_entropy(al.tensor(z), p, weight=np.ones(3)).item()  # it was NaN
    assert weighted == pytest.approx(plain, rel=1e-15)
    halved = F.cross_entropy(al.tensor(z), p, weight=np.full(3, 0.5), reduction="sum").item()
    assert halved == pytest.approx(plain, rel=1e-15)  # sum over 2 rows of half: the mean


def test_weighted_probabilities_on_axis_1_and_their_gradients():
    z = RNG.normal(size=(2, 4, 3))  # (N, C, d), torch's layout
    p = np.moveaxis(RNG.dirichlet(np.ones(4), size=(2, 3)), -1, 1)
    loss = F.cross_entropy(al.tensor(z), p, weight=W, label_smoothing=0.2, axis=1)
    by_row = log_softmax(np.moveaxis(z, 1, -1)) * W * (0.8 * np.moveaxis(p, 1, -1) + 0.2 / 4)
    assert loss.item() == pytest.approx(-by_row.sum(axis=-1).mean(), rel=1e-12)
    smoothed = lambda z, p: F.cross_entropy(z, p, W, label_smoothing=0.2, axis=1)  # noqa: E731
    assert al.gradcheck(smoothed, [z, p])
    assert al.gradgradcheck(smoothed, [z, p])


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_one_row_of_logits_with_its_label_is_a_batch_of_one_as_torchs(reduction):
    # it was refused ("need a batch axis") with weight=, ignore_index= or label_smoothing=
    z, w = Z[1], W
    extras = {"weight": w, "label_smoothing": 0.2, "reduction": reduction}
    one = F.cross_entropy(al.tensor(z), np.array(3), **extras)
    batch = F.cross_entropy(al.tensor(z[None]), np.array([3]), **extras)
    assert one.shape == (() if reduction == "none" else batch.shape)
    assert one.item() == pytest.approx(batch.data.sum(), rel=1e-14)
    assert al.gradcheck(lambda z: F.cross_entropy(z, np.array(3), **extras), [z])


def test_cross_entropy_classes_on_axis_1_as_torch_lays_them_out():
    z = RNG.normal(size=(2, 4, 3))  # (N, C, d)
    y = RNG.integers(0, 4, size=(2, 3))
    torch_layout = F.cross_entropy(al.tensor(z), y, label_smoothing=0.1, axis=1).item()
    last = F.cross_entropy(al.tensor(np.moveaxis(z, 1, -1).reshape(6, 4)), y.reshape(6), None)
    smooth = F.cross_entropy(
        al.tensor(np.moveaxis(z, 1, -1).reshape(6, 4)), y.reshape(6), label_smoothing=0.1
    )
    assert torch_layout == pytest.approx(smooth.item(), rel=1e-12)
    assert torch_layout != pytest.approx(last.item(), rel=1e-6)


def test_cross_entropy_without_extras_is_the_fused_op():
    loss = F.cross_entropy(al.tensor(Z, requires_grad=True), np.where(Y < 0, 0, Y))
    assert loss.op.name == "cross_entropy"
    with pytest.raises(ValueError, match="label_smoothing"):
        F.cross_entropy(al.tensor(Z), Y, label_smoothing=1.5)


@pytest.mark.parametrize(
    "loss",
    [
        lambda z: F.cross_entropy(z, Y),  # a label equal to ignore_index
        lambda z: F.cross_entropy(z, np.where(Y < 0, 0, Y), label_smoothing=0.1),
        lambda z: F.cross_entropy(z, np.full((6, 4), 0.25, np.float32), label_smoothing=0.1),
        lambda z: F.cross_entropy(z, Y, reduction="none"),
        lambda z: F.nll_loss(al.log_softmax(z, axis=1), np.where(Y < 0, 0, Y)),
        lambda z: F.nll_loss(al.log_softmax(z, axis=1), Y, reduction="sum"),
    ],
    ids=["ignore_index", "label_smoothing", "probabilities", "none", "nll_loss", "nll sum"],
)
def test_float32_logits_give_a_float32_loss_and_gradient(loss):
    z = al.tensor(Z.astype(np.float32), requires_grad=True)
    value = loss(z)
    assert value.dtype == np.float32
    value.sum().backward()
    assert z.grad.dtype == np.float32
    as64 = loss(al.tensor(Z)).data  # the same numbers, to float32's precision
    np.testing.assert_allclose(value.data, as64, rtol=1e-5)


# binary_cross_entropy where p (1 - p) < 1e-12: torch's gradient (p - t) / max(p (1 - p), 1e-12)
P_EDGE = [0.0, 1.0, 0.0, 1.0, 1e-13, 0.25]
T_EDGE = [1.0, 0.0, 0.0, 1.0, 1.0, 0.5]
# by hand: -1/D, 1/D, 0, 0, (1e-13 - 1)/D and (0.25 - 0.5)/(0.25 * 0.75), where D is torch's
# 1e-12, a float32 constant (9.99999996e-13) in float64 too
D = float(np.float32(1e-12))
GRAD_EDGE = [-1 / D, 1 / D, 0.0, 0.0, (1e-13 - 1) / D, -4 / 3]
WEIGHT_EDGE = [2.0, 3.0, 0.5, 1.0, 4.0, 1.5]
UPSTREAM = [1.0, -2.0, 0.5, 3.0, 1.0, 2.0]


@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "weight"])
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_binary_cross_entropy_gradient_at_saturated_probabilities_is_torchs(
    dtype, reduction, weighted
):
    p = al.tensor(np.array(P_EDGE, dtype), requires_grad=True)
    w = np.array(WEIGHT_EDGE, dtype) if weighted else None
    loss = F.binary_cross_entropy(p, np.array(T_EDGE, dtype), weight=w, reduction=reduction)
    loss.backward(np.array(UPSTREAM, dtype) if reduction == "none" else None)
    scale = {"mean": 1 / 6, "sum": 1.0, "none": np.array(UPSTREAM)}[reduction]
    expected = np.array(GRAD_EDGE) * scale * (1.0 if w is None else np.array(WEIGHT_EDGE))
    assert p.grad.dtype == dtype
    np.testing.assert_allclose(p.grad, expected, rtol=1e-6 if dtype == np.float32 else 1e-12)


def test_binary_cross_entropy_values_at_saturated_probabilities_are_clamped_logs():
    loss = F.binary_cross_entropy(np.array(P_EDGE), np.array(T_EDGE), reduction="none")
    # each log clamped at -100; -log(1e-13) = 13 log(10); -(log(1/4) + log(3/4)) / 2
    expected = [100.0, 100.0, 0.0, 0.0, 13 * np.log(10), (np.log(4) + np.log(4 / 3)) / 2]
    np.testing.assert_allclose(loss.data, expected, rtol=1e-12)
    with pytest.raises(ValueError, match="probabilities in"):
        F.binary_cross_entropy(np.array([1.5]), np.array([1.0]))


def test_binary_cross_entropy_target_gradient_is_minus_logit_as_torchs():
    t = al.tensor([0.5, 0.0, 1.0, 1.0, 0.0], requires_grad=True)
    w = np.array([2.0, 1.0, 1.0, 1.0, 1.0])
    F.binary_cross_entropy(np.array([0.25, 0.5, 0.9, 0.0, 1.0]), t, w, "sum").backward()
    # log(1 - p) - log(p), unclamped as torch's (-logit(p)): infinite at p = 0 and p = 1
    np.testing.assert_allclose(t.grad, [2 * np.log(3), 0.0, -np.log(9), np.inf, -np.inf])


@pytest.mark.parametrize("reduction", ["mean", "sum"])
def test_binary_cross_entropy_second_derivatives_match_finite_differences(reduction):
    p, t = np.array([[0.1, 0.5], [0.7, 0.95]]), np.array([[0.0, 0.3], [1.0, 0.6]])

    def loss(q, y):
        return F.binary_cross_entropy(q, y, np.array([2.0, 0.5]), reduction)

    assert al.gradcheck(loss, [p, t])
    assert al.gradgradcheck(loss, [p, t])
