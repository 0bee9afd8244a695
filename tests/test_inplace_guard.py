"""In-place changes to an array a live graph will read: refused, never a silent wrong gradient.

The design (autograd_lite/inplace.py): a recorded op's output is read-only; the arrays of
leaves and constants a node saved are read-only while a live node holds them. Optimizers and
load_state_dict write in place when nothing holds the array, else into a fresh one, and a
backward through the older graph raises.
"""

from __future__ import annotations

import gc

import numpy as np
import pytest

import autograd_lite as al
from autograd_lite import nn, optim

READ_ONLY = "read-only"


def square_sum():
    x = al.tensor(np.ones(3), requires_grad=True, name="x")
    return x, (x * x).sum()


@pytest.mark.parametrize(
    "write",
    [
        lambda x: x.data.__setitem__(slice(None), 5),
        lambda x: x.numpy().__setitem__(slice(None), 5),
        lambda x: x.detach().data.__setitem__(slice(None), 5),
        lambda x: np.multiply(x.data, 5, out=x.data),
    ],
    ids=["data", "numpy()", "detach()", "ufunc out="],
)
def test_writing_a_saved_leaf_array_fails_at_the_write(write):
    x, y = square_sum()
    with pytest.raises(ValueError, match=READ_ONLY):
        write(x)
    y.backward()
    np.testing.assert_array_equal(x.grad, [2.0, 2.0, 2.0])  # the graph that was built


def test_writing_through_a_view_or_an_intermediate_fails():
    x = al.tensor(np.ones(4), requires_grad=True)
    view = x.reshape(2, 2)
    h = al.exp(view)
    y = (h * h).sum()
    for array in (view.data, h.data, x.data.reshape(2, 2)):
        with pytest.raises(ValueError, match=READ_ONLY):
            array[0, 0] = 5.0
    y.backward()
    np.testing.assert_allclose(x.grad, 2 * np.exp(2.0))


def test_a_constant_array_is_guarded_while_the_graph_lives():
    w = al.tensor([1.0, 2.0], requires_grad=True)
    c = np.array([3.0, 4.0])
    y = (w * c).sum()
    with pytest.raises(ValueError, match=READ_ONLY):
        c[0] = 0.0
    y.backward()
    np.testing.assert_array_equal(w.grad, [3.0, 4.0])
    c[0] = 0.0  # released by backward: the user's array is theirs again


def test_arrays_are_writable_again_after_backward_or_when_the_graph_is_dropped():
    x, y = square_sum()
    y.backward()
    x.data[:] = 5  # released by backward
    _, kept = square_sum()
    del kept
    x2, y2 = square_sum()
    y2.backward(retain_graph=True)
    assert not x2.data.flags.writeable  # retained: still guarded
    del y2
    gc.collect()
    assert x2.data.flags.writeable  # dropped: released


def test_two_live_graphs_keep_the_array_guarded_until_both_are_released():
    x = al.tensor([1.0, 2.0], requires_grad=True)
    first, second = (x * x).sum(), (x * 3).sum()
    first.backward()
    assert not x.data.flags.writeable
    second.backward()
    assert x.data.flags.writeable


def test_the_training_loop_updates_parameters_in_place():
    net = nn.Linear(3, 2, rng=0)
    opt = optim.SGD(net.parameters(), lr=0.1)
    before = [p.data for p in net.parameters()]
    copies = [b.copy() for b in before]
    for _ in range(2):
        opt.zero_grad()
        al.sum(net(np.ones((4, 3))) ** 2).backward()
        opt.step()
    for p, b, c in zip(net.parameters(), before, copies, strict=True):
        assert p.data is b  # the same array, changed in place: no copy per step
        assert not np.array_equal(p.data, c)


@pytest.mark.parametrize("make", [lambda ps: optim.SGD(ps, lr=0.1), lambda ps: optim.Adam(ps)])
def test_optimizer_step_between_two_backward_passes_of_a_retained_graph(make):
    w = al.tensor([1.0, 2.0], requires_grad=True, name="W1")
    opt = make([w])
    y = (w * w).sum()
    y.backward(retain_graph=True)
    old = w.data
    opt.step()  # the graph still holds w's array: the step writes into a fresh one
    assert w.data is not old and old.tolist() == [1.0, 2.0]
    with pytest.raises(RuntimeError, match=r"op 'multiply'.*tensor 'W1'.*changed in place"):
        y.backward()


@pytest.mark.parametrize(
    ("forward", "op"),
    [
        (lambda w: w.reshape(4).sum(), "reshape"),  # a view of w: guarded though not read
        (lambda w: al.cross_entropy(w, np.array([0, 1])), "cross_entropy"),  # with an extra
    ],
)
def test_a_step_before_backward_names_the_op_and_input_whatever_the_node_keeps(forward, op):
    w = al.tensor(np.ones((2, 2)), requires_grad=True, name="W")
    loss = forward(w)
    w.grad = np.ones((2, 2))
    optim.SGD([w], lr=0.1).step()
    with pytest.raises(
        RuntimeError, match=rf"op '{op}': its input 0 \(tensor 'W'.*changed in place"
    ):
        loss.backward()


def test_a_kept_forward_pass_does_not_block_training_but_its_backward_raises():
    w = al.tensor([1.0, 2.0], requires_grad=True)
    opt = optim.SGD([w], lr=0.5)
    kept = (al.tanh(w) * w).sum()  # with grad on, never differentiated; multiply reads w
    (w * w).sum().backward()
    opt.step()
    np.testing.assert_allclose(w.data, [0.0, 0.0])
    with pytest.raises(RuntimeError, match="changed in place"):
        kept.backward()
    kept = (al.tanh(w) * 2).sum()  # a new forward pass reads the new values
    w.grad = None
    kept.backward()
    np.testing.assert_allclose(w.grad, [2.0, 2.0])


def test_load_state_dict_while_a_graph_lives():
    net = nn.Linear(2, 1, rng=0)
    y = net(np.ones((1, 2))).sum()
    state = {name: np.full(p.shape, 7.0) for name, p in net.named_parameters()}
    net.load_state_dict(state)
    assert (net.weight.data == 7.0).all()
    with pytest.raises(RuntimeError, match=r"op 'linear'.*changed in place"):
        y.backward()


def test_an_op_whose_forward_returns_its_input_does_not_lock_the_input_for_good():
    @al.register("identity_example")
    def identity(x):
        return x

    @identity.vjp
    def _(g, out, x):
        """d x/dx = 1."""
        return g

    try:
        x = al.tensor([1.0], requires_grad=True)
        identity(x).sum().backward()
        x.data[0] = 2.0  # writable again
    finally:
        al.unregister("identity_example")


def test_no_grad_results_stay_writable():
    x = al.tensor([1.0], requires_grad=True)
    with al.no_grad():
        y = x * 2
    y.data[0] = 5.0
    assert (x * 1.0).detach().data.flags.writeable is False  # an op's output is a value


def test_a_graph_whose_rules_never_read_a_parameter_is_not_disturbed_by_a_step():
    w = al.tensor([1.0, 2.0], requires_grad=True)
    opt = optim.SGD([w], lr=0.5)
    kept = al.tanh(w).sum()  # tanh's rule reads its output, never w's array
    before = w.data
    (w * 1.0).sum().backward()  # multiply by a constant reads only the constant
    opt.step()
    assert w.data is before  # nothing held w's array: changed in place, no copy
    w.grad = None
    kept.backward()  # the gradient of the graph that was built, at w = [1, 2]
    np.testing.assert_allclose(w.grad, 1 - np.tanh([1.0, 2.0]) ** 2)


@pytest.mark.parametrize(
    "write",
    [
        lambda x: np.add.at(x, [0], 100.0),
        lambda x: np.negative.at(x, [1]),
        lambda x: np.multiply.at(x, np.array([0, 0]), 2.0),
    ],
    ids=["add.at", "negative.at", "multiply.at"],
)
def test_ufunc_at_on_a_tensor_is_refused_naming_what_to_use(write):
    # numpy's ufunc.at writes into read-only arrays (numpy 2.4 does), so the guard's flag
    # alone would not stop it: the write would change the gradient of the live graph
    x, y = square_sum()
    with pytest.raises(TypeError, match="writes into its first argument in place.*al.add_at"):
        write(x)
    y.backward()
    np.testing.assert_array_equal(x.data, [1.0, 1.0, 1.0])
    np.testing.assert_array_equal(x.grad, [2.0, 2.0, 2.0])


def test_ufunc_at_under_no_grad_writes_only_an_array_no_graph_reads():
    x, y = square_sum()
    with al.no_grad(), pytest.raises(ValueError, match="read-only"):
        np.add.at(x, [0], 100.0)  # the graph of y still reads x's array
    y.backward()
    np.testing.assert_array_equal(x.grad, [2.0, 2.0, 2.0])
    with al.no_grad():
        np.add.at(x, [0, 0], 1.0)  # released by backward: writable, as numpy's own arrays
    np.testing.assert_array_equal(x.data, [3.0, 1.0, 1.0])


def _embedding(W, index):
    return nn.functional.embedding(index, W)


# each: (the op on x with an index buffer, the buffer, what the caller writes into it later)
INDEXED = {
    "getitem": (lambda x, i: x[i], np.array([0, 0, 2]), 3),
    "boolean mask": (lambda x, m: x[m], np.array([True, False, True, False]), True),
    "tuple with an array": (lambda x, i: x.reshape(2, 2)[:, i], np.array([1, 1]), 0),
    "list": (lambda x, i: x[i], [0, 0, 2], None),
    "put_along_axis": (lambda x, i: al.put_along_axis(x, i, x[:1] * 5, 0), np.array([0]), 2),
    "index_add": (lambda x, i: al.index_add(x, 0, i, x[:2] * 3), np.array([0, 0]), 2),
    "embedding": (lambda x, i: _embedding(x.reshape(4, 1), i), np.array([[1, 2], [2, 0]]), 3),
}


@pytest.mark.parametrize("name", INDEXED)
def test_an_index_buffer_reused_after_the_forward_does_not_move_the_gradient(name):
    # the node kept the caller's index array itself: x[idx] with idx[:] = 3 before backward
    # gave x.grad [0, 0, 0, 111] where the forward read elements 0, 0 and 2 (torch raises)
    op, index, later = INDEXED[name]

    def gradient(reuse: bool) -> np.ndarray:
        x = al.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
        buffer = list(index) if isinstance(index, list) else index.copy()
        out = op(x, buffer)
        weights = np.arange(1.0, out.size + 1).reshape(out.shape) ** 2
        loss = (out * weights).sum()
        if reuse:
            if isinstance(buffer, list):
                buffer[:] = [3, 3, 3]
            else:
                buffer[...] = later
        loss.backward()
        return x.grad

    np.testing.assert_array_equal(gradient(reuse=True), gradient(reuse=False))


def test_an_in_place_operator_under_no_grad_updates_the_tensor_itself():
    # t -= x made a new Tensor and rebound the name: a torch-style manual SGD loop over a
    # list of parameters left every parameter unchanged, with no error
    w = al.tensor([1.0, 2.0], requires_grad=True)
    (w * w).sum().backward()
    params, alias = [w], w
    with al.no_grad():
        for p in params:
            p -= 0.1 * p.grad
    assert alias is w and w.requires_grad and w.is_leaf
    np.testing.assert_allclose(w.data, [0.8, 1.6])
    np.testing.assert_array_equal(w.grad, [2.0, 4.0])


@pytest.mark.parametrize(
    ("update", "expected"),
    [
        (lambda t: t.__iadd__(1.0), [2.0, 3.0]),
        (lambda t: t.__isub__(np.array([1.0, 1.0])), [0.0, 1.0]),
        (lambda t: t.__imul__(al.tensor(3.0)), [3.0, 6.0]),
        (lambda t: t.__itruediv__(2), [0.5, 1.0]),
        (lambda t: t.__ipow__(2), [1.0, 4.0]),
    ],
)
def test_in_place_operators_on_a_constant_follow_numpy(update, expected):
    t = al.tensor(np.array([1.0, 2.0], np.float32))
    alias = t
    assert update(t) is t
    assert alias.dtype == np.float32
    np.testing.assert_allclose(alias.data, expected)


def test_in_place_matmul_and_numpys_casting_rule():
    m = al.tensor(np.array([[1.0, 2.0], [3.0, 4.0]]))
    m @= np.eye(2) * 2
    np.testing.assert_array_equal(m.data, [[2.0, 4.0], [6.0, 8.0]])
    i = al.tensor(np.array([1, 2]))
    with pytest.raises(TypeError, match=r"^/=: .*Cannot cast ufunc 'divide' output"):
        i /= 2  # numpy refuses too: the result is not an integer


def test_in_place_operators_are_refused_where_they_would_be_recorded():
    w = al.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(RuntimeError, match=r"t \+= x changes t in place, but t .* requires grad"):
        w += 1.0
    c = al.tensor([1.0, 2.0])
    with pytest.raises(RuntimeError, match=r"t \*= x .* requires grad"):
        c *= w  # the result would depend on w
    y = al.exp(w)
    with al.no_grad(), pytest.raises(RuntimeError, match=r"is the result of op 'exp'"):
        y -= 1.0  # exp's rule reads its output: changing it would change w's gradient
    np.testing.assert_array_equal(c.data, [1.0, 2.0])
    y.sum().backward()
    np.testing.assert_allclose(w.grad, np.exp([1.0, 2.0]))


def test_deepcopy_copies_leaves_and_refuses_an_ops_result():
    # the copied graph's leaf was writable, so writing it gave a gradient of values the
    # forward never saw ([20, 20] where 2 x = [2, 4]); torch refuses to deepcopy a non-leaf
    import copy

    x = al.tensor([1.0, 2.0], requires_grad=True, name="x")
    y = (x * x).sum()
    with pytest.raises(RuntimeError, match=r"deepcopy of a tensor made by op 'sum'"):
        copy.deepcopy(y)
    y.backward()
    x2 = copy.deepcopy(x)
    assert x2 is not x and x2.requires_grad and x2.is_leaf and x2.name == "x"
    np.testing.assert_array_equal(x2.grad, [2.0, 4.0])
    x2.data[:] = 5.0
    x2.grad[:] = 0.0
    np.testing.assert_array_equal(x.data, [1.0, 2.0])
    np.testing.assert_array_equal(x.grad, [2.0, 4.0])
    net = nn.Linear(2, 3, rng=0)
    copied = copy.deepcopy(net)
    assert [p.name for p in copied.parameters()] == [p.name for p in net.parameters()]
    assert all(a is not b for a, b in zip(copied.parameters(), net.parameters(), strict=True))
