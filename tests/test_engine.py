"""The reverse pass, one behaviour per test: accumulation, release, grad mode, deep graphs."""

from __future__ import annotations

import gc
import threading
import tracemalloc
import weakref

import numpy as np
import pytest

import autograd_lite as al


def leaf(values, dtype=np.float64):
    return al.tensor(np.asarray(values, dtype=dtype), requires_grad=True)


def test_scalar_output_is_seeded_with_one():
    x = leaf([1.0, 2.0, 3.0])
    (x * x).sum().backward()
    np.testing.assert_allclose(x.grad, [2.0, 4.0, 6.0])


def test_fan_out_sums_the_gradients_of_every_use():
    x = leaf([0.5, -1.5])
    y = x * 3 + al.tanh(x) + x * x
    y.sum().backward()
    np.testing.assert_allclose(x.grad, 3 + (1 - np.tanh(x.data) ** 2) + 2 * x.data)


def test_diamond_graph_accumulates_both_paths():
    x = leaf(0.7)
    a = al.exp(x)
    b = a * 2
    c = al.log(a)  # = x
    (b * c).backward()  # d/dx (2 e^x x) = 2 e^x (x + 1)
    np.testing.assert_allclose(x.grad, 2 * np.exp(0.7) * 1.7)


def test_intermediate_gradients_are_kept_only_when_asked_for():
    x = leaf([1.0, 2.0])
    h = x * 3
    (h * h).sum().backward()  # as PyTorch: leaves keep theirs, intermediates do not
    assert h.grad is None
    np.testing.assert_allclose(x.grad, 18 * x.data)
    x.grad = None
    h = (x * 3).retain_grad()
    out = (h * h).sum()
    out.backward()
    np.testing.assert_allclose(h.grad, 2 * h.data)
    assert out.grad is None
    x.grad = None
    h = x * 3
    out = (h * h).sum()
    out.backward(retain_grads=True)  # every node's, for pictures
    np.testing.assert_allclose(h.grad, 2 * h.data)
    assert out.grad == 1.0
    np.testing.assert_allclose(x.grad, 18 * x.data)


def test_a_training_step_holds_no_intermediate_gradient():
    w = leaf(np.ones((3, 2)))
    hidden = al.tanh(np.ones((4, 3)) @ w)
    loss = al.cross_entropy(hidden, np.array([0, 1, 0, 1]))
    loss.backward()
    assert hidden.grad is None and loss.grad is None and w.grad is not None


def test_leaf_gradients_accumulate_across_backward_calls():
    x = leaf([1.0, -2.0])
    (x * 2).sum().backward()
    (x * 3).sum().backward()
    np.testing.assert_allclose(x.grad, [5.0, 5.0])


def test_setting_grad_to_none_resets_accumulation():
    x = leaf([1.0])
    (x * 2).sum().backward()
    x.grad = None
    (x * 3).sum().backward()
    np.testing.assert_allclose(x.grad, [3.0])


def test_second_backward_through_a_released_graph_raises():
    x = leaf([1.0, 2.0])
    y = al.tanh(x).sum()
    y.backward()
    with pytest.raises(RuntimeError, match="second time.*retain_graph=True"):
        y.backward()


def test_retain_graph_allows_a_second_backward():
    x = leaf([1.0, 2.0])
    y = al.tanh(x).sum()
    y.backward(retain_graph=True)
    first = x.grad.copy()
    y.backward()
    np.testing.assert_allclose(x.grad, 2 * first)


def test_graph_structure_stays_inspectable_after_backward():
    x = leaf([1.0, 2.0])
    y = al.sum(al.softmax(x), axis=0)
    y.backward()
    assert y.op.name == "sum" and y.attrs == {"axis": 0}
    assert y.inputs[0].op.name == "softmax"
    assert y.inputs[0].inputs[0] is x


def test_leaf_gradients_never_share_memory():
    x, y = leaf([1.0, 2.0]), leaf([3.0, 4.0])
    z = x + y
    z.backward(np.array([1.0, 1.0]))
    x.grad[0] = 100.0
    np.testing.assert_allclose(y.grad, [1.0, 1.0])
    assert not np.shares_memory(x.grad, z.grad)


def test_leaf_gradient_of_a_sum_is_writeable():
    x = leaf(np.ones((2, 3)))
    x.sum().backward()
    x.grad *= 2  # the sum rule hands back a read-only broadcast view; .grad must be a copy
    np.testing.assert_allclose(x.grad, 2 * np.ones((2, 3)))


def test_broadcast_gradient_is_summed_to_each_input_shape():
    x = leaf(np.ones((2, 1, 3)))
    b = leaf(np.ones(4)[:, None] * 2)  # shape (4, 1)
    (x * b).sum().backward()
    assert x.grad.shape == (2, 1, 3) and b.grad.shape == (4, 1)
    np.testing.assert_allclose(x.grad, np.full((2, 1, 3), 8.0))
    np.testing.assert_allclose(b.grad, np.full((4, 1), 6.0))


def test_inputs_that_do_not_require_grad_get_none():
    x = leaf([1.0, 2.0])
    c = al.tensor([3.0, 4.0])
    (x * c).sum().backward()
    assert c.grad is None
    np.testing.assert_allclose(x.grad, [3.0, 4.0])


def test_no_grad_records_nothing():
    x = leaf([1.0, 2.0])
    with al.no_grad():
        y = al.exp(x) * 2
    assert not y.requires_grad and y.op is None and y.inputs == ()


def test_no_grad_as_decorator_and_restores_the_mode():
    @al.no_grad()
    def double(t):
        return t * 2

    x = leaf([1.0])
    assert not double(x).requires_grad
    assert al.is_grad_enabled()
    assert (x * 2).requires_grad


def test_no_grad_and_enable_grad_decorate_without_parentheses():
    @al.no_grad
    def double(t):
        return t * 2

    @al.enable_grad
    def triple(t):
        return t * 3

    x = leaf([1.0])
    assert double.__name__ == "double" and not double(x).requires_grad
    assert al.is_grad_enabled()
    with al.no_grad():
        assert triple(x).requires_grad
        assert not (x * 2).requires_grad


def test_set_grad_enabled_sets_at_once_and_restores_as_a_block():
    assert al.is_grad_enabled()
    with al.set_grad_enabled(False):
        assert not al.is_grad_enabled()
        with al.set_grad_enabled(True):
            assert al.is_grad_enabled()
        assert not al.is_grad_enabled()
    assert al.is_grad_enabled()
    try:
        al.set_grad_enabled(False)  # a plain call switches at once, as in PyTorch
        assert not al.is_grad_enabled() and not (leaf([1.0]) * 2).requires_grad
    finally:
        al.set_grad_enabled(True)
    assert al.is_grad_enabled()


def test_set_grad_enabled_as_a_decorator_changes_nothing_until_called():
    @al.set_grad_enabled(False)
    def double(t):
        return t * 2

    assert al.is_grad_enabled()
    x = leaf([1.0])
    assert not double(x).requires_grad and double.__name__ == "double"
    assert al.is_grad_enabled()


def test_set_grad_enabled_refuses_a_non_bool():
    with pytest.raises(TypeError, match="True or False, got str"):
        al.set_grad_enabled("no")  # type: ignore[arg-type]
    assert al.is_grad_enabled()


def test_enable_grad_inside_no_grad():
    x = leaf([1.0])
    with al.no_grad(), al.enable_grad():
        y = x * 2
    assert y.requires_grad


def test_no_grad_in_one_thread_leaves_another_thread_recording():
    x = leaf([1.0, 2.0])
    inside = threading.Event()
    release = threading.Event()
    results = {}

    def quiet():
        with al.no_grad():
            inside.set()
            release.wait(5)
            results["quiet"] = (x * 2).requires_grad

    def recording():
        inside.wait(5)
        results["recording"] = (x * 2).requires_grad
        release.set()

    threads = [threading.Thread(target=quiet), threading.Thread(target=recording)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == {"quiet": False, "recording": True}


def test_detach_cuts_the_graph_and_shares_data():
    x = leaf([1.0, 2.0])
    d = (x * 2).detach()
    assert d.op is None and not d.requires_grad
    y = (d * x).sum()
    y.backward()
    np.testing.assert_allclose(x.grad, d.data)


def test_repeated_integer_indices_accumulate():
    x = leaf([1.0, 2.0, 3.0])
    x[np.array([0, 2, 0, 0])].sum().backward()
    np.testing.assert_allclose(x.grad, [3.0, 0.0, 1.0])


def test_boolean_mask_and_slice_indexing():
    x = leaf(np.arange(6.0).reshape(2, 3))
    (x[x.data > 2].sum() + x[:, 1:].sum() * 10).backward()
    np.testing.assert_allclose(x.grad, [[0, 10, 10], [1, 11, 11]])


def test_float32_is_preserved_through_forward_and_backward():
    x = leaf([1.0, 2.0], dtype=np.float32)
    w = leaf([[0.5], [0.25]], dtype=np.float32)
    y = al.tanh(x @ w * 2.0 + 1).sum()
    assert y.dtype == np.float32
    y.backward()
    assert x.grad.dtype == np.float32 and w.grad.dtype == np.float32


def test_float32_mixed_with_float64_promotes_as_numpy():
    x = leaf([1.0, 2.0], dtype=np.float32)
    y = x * np.array([1.0, 2.0])
    assert y.dtype == np.float64
    y.sum().backward()
    assert x.grad.dtype == np.float32


def test_chain_of_a_million_ops_runs_backward_without_recursion():
    x = leaf(0.5)
    y = x
    for _ in range(1_000_000):
        y = y * 1.0
    y.backward()
    assert x.grad == 1.0
    del y  # freeing the chain must not recurse either


def test_memory_of_a_chain_grows_linearly():
    def peak(n):
        gc.collect()
        tracemalloc.start()
        x = leaf(0.5)
        y = x
        for _ in range(n):
            y = al.tanh(y)
        y.backward()
        peak_bytes = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        return peak_bytes

    small, large = peak(5_000), peak(20_000)
    assert 3.0 < large / small < 5.0


def test_a_dropped_graph_is_freed_by_reference_counting():
    gc.disable()
    try:
        x = leaf(np.ones(3))
        h = al.tanh(x * 2)
        loss = al.softmax(h).sum()
        loss.backward()
        refs = [weakref.ref(t) for t in (h, loss, h.inputs[0])]
        del h, loss
        assert all(r() is None for r in refs)
    finally:
        gc.enable()


def test_user_registered_op_is_first_class():
    @al.register("cube_for_test")
    def cube(x):
        return x**3

    @cube.vjp
    def _cube(g, out, x):
        """d x^3/dx = 3 x^2."""
        return g * 3 * x**2

    try:
        assert "cube_for_test" in al.list_ops()
        x = leaf([1.0, 2.0])
        y = cube(x)
        assert y.op is al.get_op("cube_for_test")
        y.sum().backward()
        np.testing.assert_allclose(x.grad, [3.0, 12.0])
    finally:
        al.unregister("cube_for_test")


def test_numpy_functions_on_tensors_record_the_op():
    x = leaf([1.0, 2.0])
    y = np.sum(np.exp(x) * np.ones(2), axis=0)
    assert isinstance(y, al.Tensor) and y.op.name == "sum"
    y.backward()
    np.testing.assert_allclose(x.grad, np.exp([1.0, 2.0]))


def test_the_gradient_of_a_0d_leaf_summed_from_a_broadcast_is_an_array():
    x = al.tensor(2.0, requires_grad=True)
    (x + np.zeros(3)).sum().backward()
    assert type(x.grad) is np.ndarray and x.grad.shape == () and x.grad == 3.0


def test_threads_backward_into_one_leaf_lose_no_gradient():
    # .grad's read-add-write was unlocked: 4 threads x 3000 passes gave 11,919 where 12,000
    import sys

    w = leaf(np.ones(3))

    def worker():
        for _ in range(1000):
            (w * 1.0).sum().backward()

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads often, so an unlocked update loses some
    try:
        threads = [threading.Thread(target=worker) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        sys.setswitchinterval(interval)
    np.testing.assert_array_equal(w.grad, [4000.0, 4000.0, 4000.0])
