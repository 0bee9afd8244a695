"""autograd_lite.data: the shipped digits, two moons, splitting, scaling, batches, user files."""

from __future__ import annotations

import hashlib
import warnings
from importlib import resources
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from autograd_lite import data

ROOT = Path(__file__).resolve().parents[1]


def test_digits_are_the_uci_set_as_shipped():
    X, y = data.load_digits()
    assert X.shape == (1797, 64) and X.dtype == np.float64
    assert y.shape == (1797,) and y.dtype == np.int64
    assert X.min() == 0 and X.max() == 16 and np.array_equal(X, np.round(X))
    assert np.bincount(y).tolist() == [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]
    # the first image is a 0: an empty column down the middle of the ring
    assert y[0] == 0 and X[0].reshape(8, 8)[3:5, 3:5].sum() == 0


def test_the_digits_file_is_the_one_scikit_learn_bundles_and_is_packaged():
    raw = resources.files("autograd_lite.data").joinpath("digits.csv.gz").read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    assert digest == "09f66e6debdee2cd2b5ae59e0d6abbb73fc2b0e0185d2e1957e9ebb51e23aa22"
    # listed as package data, so that a wheel carries it
    assert '"autograd_lite.data" = ["*.csv.gz"]' in (ROOT / "pyproject.toml").read_text()


def test_moons_without_noise_lie_on_two_half_circles():
    X, y = data.make_moons(101, noise=0.0, seed=0)
    upper, lower = X[y == 0], X[y == 1]
    assert len(upper) == 50 and len(lower) == 51
    np.testing.assert_allclose(np.hypot(*upper.T), 1.0)
    np.testing.assert_allclose(np.hypot(lower[:, 0] - 1, lower[:, 1] - 0.5), 1.0)
    assert (upper[:, 1] >= 0).all() and (lower[:, 1] <= 0.5).all()


def test_moons_are_seeded_and_noise_scatters_them():
    X, y = data.make_moons(200, noise=0.2, seed=3)
    X_again, y_again = data.make_moons(200, noise=0.2, seed=3)
    np.testing.assert_array_equal(X, X_again)
    np.testing.assert_array_equal(y, y_again)
    assert not np.array_equal(X, data.make_moons(200, noise=0.2, seed=4)[0])
    radius = np.hypot(*X[y == 0].T)
    assert 0.1 < radius.std() < 0.3
    with pytest.raises(ValueError, match="noise must be >= 0"):
        data.make_moons(10, noise=-1)


def test_split_is_stratified_disjoint_complete_and_seeded():
    X, y = data.load_digits()
    rows = np.arange(len(y), dtype=np.float64)[:, None]  # a row's index as its only feature
    split = data.train_test_split(rows, y, test_fraction=0.2, seed=0)
    train, test = split.X_train[:, 0].astype(int), split.X_test[:, 0].astype(int)
    assert np.intersect1d(train, test).size == 0
    assert np.union1d(train, test).tolist() == list(range(len(y)))
    np.testing.assert_array_equal(split.y_train, y[train])
    expected_test = np.round(0.2 * np.bincount(y)).astype(int)
    np.testing.assert_array_equal(np.bincount(split.y_test), expected_test)
    again = data.train_test_split(rows, y, seed=0)
    np.testing.assert_array_equal(again.X_test, split.X_test)
    assert not np.array_equal(data.train_test_split(rows, y, seed=1).X_test, split.X_test)


@given(
    labels=st.lists(st.integers(0, 4), min_size=1, max_size=60),
    test_fraction=st.floats(0.05, 0.95),
    seed=st.integers(0, 2**32 - 1),
)
def test_any_split_keeps_every_row_once_and_each_class_share(labels, test_fraction, seed):
    y = np.array(labels)
    rows = np.arange(len(y), dtype=np.float64)[:, None]
    split = data.train_test_split(rows, y, test_fraction=test_fraction, seed=seed)
    taken = np.concatenate([split.X_train[:, 0], split.X_test[:, 0]]).astype(int)
    assert sorted(taken.tolist()) == list(range(len(y)))
    np.testing.assert_array_equal(split.y_test, y[split.X_test[:, 0].astype(int)])
    for label in np.unique(y):
        n_test = int(np.sum(split.y_test == label))
        assert n_test == round(test_fraction * np.sum(y == label))


def test_standardisation_is_fitted_on_the_training_part_only():
    X, y = data.load_digits()
    raw = data.train_test_split(X, y, seed=0)
    split, scaler = data.standardize(raw)
    varying = raw.X_train.std(axis=0) > 0
    np.testing.assert_allclose(split.X_train.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(split.X_train.std(axis=0)[varying], 1)
    np.testing.assert_allclose(scaler.mean, raw.X_train.mean(axis=0))
    np.testing.assert_allclose(split.X_test, (raw.X_test - scaler.mean) / scaler.scale)
    assert np.abs(split.X_test.mean(axis=0)).max() > 1e-3  # the test part's own mean is unused
    assert np.isfinite(split.X_test).all()  # constant pixels are not divided by zero
    assert not varying.all()


@pytest.mark.parametrize("scale", [1.0, 1e-150, 1e-170, 1e-300, 1e150])
@pytest.mark.parametrize("per_feature", [True, False])
def test_standardisation_is_the_same_at_any_finite_scale(scale, per_feature):
    # squared deviations of 1e-170 underflow to 0: the feature was taken for a constant
    X = np.array([[1.0, -3.0], [2.0, 0.5], [3.0, 7.0], [4.0, 2.0]])
    axis = 0 if per_feature else None
    expected = (X - X.mean(axis=axis)) / X.std(axis=axis)
    scaler = data.Standardizer(per_feature).fit(X * scale)
    np.testing.assert_allclose(scaler.transform(X * scale), expected, rtol=1e-12, atol=0)
    np.testing.assert_allclose(scaler.scale, X.std(axis=axis) * scale, rtol=1e-12, atol=0)


def test_a_constant_feature_is_only_shifted_at_any_scale():
    X = np.array([[1.0, 5.0], [3.0, 5.0]])
    for scale in (1.0, 1e-300, 0.0):
        scaler = data.Standardizer().fit(X * scale)
        assert scaler.scale[1] == 1.0
        np.testing.assert_array_equal(scaler.transform(X * scale)[:, 1], [0.0, 0.0])


def test_minibatches_visit_every_row_once_in_a_seeded_order():
    X, y = np.arange(10.0).reshape(10, 1), np.arange(10)
    batches = list(data.minibatches(X, y, 4, np.random.default_rng(0)))
    assert [len(yb) for _, yb in batches] == [4, 4, 2]
    seen = np.concatenate([yb for _, yb in batches])
    assert sorted(seen.tolist()) == list(range(10)) and seen.tolist() != list(range(10))
    for Xb, yb in batches:
        np.testing.assert_array_equal(Xb[:, 0], yb)  # rows stay paired with their labels
    again = [yb for _, yb in data.minibatches(X, y, 4, np.random.default_rng(0))]
    assert all(np.array_equal(a, b) for a, (_, b) in zip(again, batches, strict=True))


def test_a_valid_user_file_loads(tmp_path):
    path = tmp_path / "mine.npz"
    np.savez(path, X=np.arange(12, dtype=np.int32).reshape(6, 2), y=np.array([0, 1, 2] * 2))
    X, y = data.load_npz(path)
    assert X.dtype == np.float64 and X.shape == (6, 2) and y.dtype == np.int64
    assert y.tolist() == [0, 1, 2, 0, 1, 2]


GOOD_X, GOOD_Y = np.ones((4, 3)), np.array([0, 1, 0, 1])


def nan_in_row_2():
    X = GOOD_X.copy()
    X[2, 1] = np.nan
    return X


@pytest.mark.parametrize(
    ("arrays", "message"),
    [
        ({"X": GOOD_X}, "no array named y (found X)"),
        ({"y": GOOD_Y}, "no array named X (found y)"),
        ({"X": np.ones(4), "y": GOOD_Y}, "X must be 2-D (samples, features), got shape (4,)"),
        ({"X": np.ones((0, 3)), "y": GOOD_Y[:0]}, "X must be 2-D (samples, features)"),
        ({"X": np.array([["a"] * 3] * 4), "y": GOOD_Y}, "X must hold numbers, got dtype <U1"),
        ({"X": nan_in_row_2(), "y": GOOD_Y}, "X holds NaN or infinite values (first in row 2)"),
        ({"X": GOOD_X, "y": GOOD_Y[:3]}, "one label per row of X (4 rows), got shape (3,)"),
        ({"X": GOOD_X, "y": GOOD_Y[:, None]}, "y must be 1-D"),
        ({"X": GOOD_X, "y": GOOD_Y * 1.0}, "y must hold integer class labels, got dtype float64"),
        ({"X": GOOD_X, "y": np.array([0, 1, -1, 1])}, "labels must lie in 0..K-1, found -1"),
        ({"X": GOOD_X, "y": np.zeros(4, int)}, "at least two classes"),
    ],
)
def test_each_problem_in_a_user_file_has_its_message(tmp_path, arrays, message):
    path = tmp_path / "bad.npz"
    np.savez(path, **arrays)
    with pytest.raises(data.DataError) as info:
        data.load_npz(path)
    assert str(info.value).startswith(f"{path}: ")
    assert message in str(info.value)


@pytest.mark.skipif(
    np.finfo(np.longdouble).max <= np.finfo(np.float64).max, reason="longdouble is float64"
)
@pytest.mark.parametrize("sign", [1, -1])
def test_wider_floats_beyond_float64_are_refused_without_a_warning(tmp_path, sign):
    # a longdouble 1e400 was cast to inf with numpy's overflow warning, then called infinite
    X = np.ones((4, 2), dtype=np.longdouble)
    X[2, 1] = sign * np.longdouble(10) ** 400
    path = tmp_path / "wide.npz"
    np.savez(path, X=X, y=GOOD_Y)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(data.DataError) as info:
            data.load_npz(path)
    assert str(info.value).startswith(f"{path}: X holds values that do not fit float64 (")
    assert "e+400 in row 2, column 1" in str(info.value)
    X[2, 1] = np.longdouble(10) ** 100  # within float64: loaded, converted
    np.savez(path, X=X, y=GOOD_Y)
    assert data.load_npz(path)[0][2, 1] == 1e100


@pytest.mark.parametrize(
    ("write", "message"),
    [
        (None, "no such file"),
        (lambda p: p.write_text("X,y\n1,0\n"), "not a readable .npz file"),
        (lambda p: np.save(p.with_suffix(".npy"), np.ones(3)), "a single .npy array"),
        (lambda p: np.savez(p, X=np.array([object()]), y=GOOD_Y), "cannot read X and y"),
    ],
)
def test_unreadable_user_files_are_refused(tmp_path, write, message):
    path = tmp_path / "bad.npz"
    if write is not None:
        write(path)
        if not path.exists():
            path.with_suffix(".npy").rename(path)
    with pytest.raises(data.DataError, match=message):
        data.load_npz(path)


def test_float16_features_load_without_a_warning(tmp_path):
    # the range check cast float64's largest value to float16: "overflow encountered in cast"
    path = tmp_path / "half.npz"
    np.savez(path, X=np.array([[0.5, -1.0], [2.0, 3.0]], np.float16), y=np.array([0, 1]))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        X, y = data.load_npz(path)
    np.testing.assert_array_equal(X, [[0.5, -1.0], [2.0, 3.0]])


@pytest.mark.parametrize("n_labels", [3, 5])
def test_minibatches_refuse_labels_that_do_not_match_the_rows(n_labels):
    # a shorter y raised numpy's IndexError, a longer one was cut silently
    X = np.arange(8.0).reshape(4, 2)
    with pytest.raises(ValueError, match=f"X has 4 rows but y has {n_labels} labels"):
        next(data.minibatches(X, np.arange(n_labels), 2, np.random.default_rng(0)))
