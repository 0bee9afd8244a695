"""The graphs the explorer's tests (test_explorer.py, test_explorer_browser.py) draw."""

from __future__ import annotations

import numpy as np

import autograd_lite as al


def readme_loss():
    """The README's example, -log(softmax(W @ x + b)[0]), seeded, with named inputs."""
    rng = np.random.default_rng(0)
    W = al.tensor(rng.standard_normal((3, 4)), requires_grad=True, name="W")
    x = al.tensor(rng.standard_normal(4), requires_grad=True, name="x")
    b = al.tensor(rng.standard_normal(3), requires_grad=True, name="b")
    return -al.log(al.softmax(W @ x + b)[0]), (W, x, b)


def reused_loss():
    """A graph where a tensor feeds two ops, so its gradients accumulate."""
    x = al.tensor([0.5, -1.0, 2.0], requires_grad=True, name="x")
    h = al.tanh(x)
    return al.sum(h * h) + al.sum(h), x


def chain_loss(n):
    """The sum of a chain of n elementwise ops on 4 elements (as benchmarks/node_memory.py)."""
    y = al.tensor(np.linspace(0.1, 0.4, 4), requires_grad=True, name="x")
    for i in range(n):
        y = al.tanh(y) if i % 2 else y * 1.0001
    return y.sum()
