"""One training step of the 3-layer network: autograd_lite against hand-written numpy.

Both run in one process, interleaved (one autograd_lite step, one numpy step, repeated),
from the same starting weights, in float64. Prints the median time of each, their ratio
and the median page faults per step of each (minor faults, from getrusage) for four
sizes, and the per-op overhead of the engine on a chain of 1,000 elementwise ops.

    python benchmarks/mlp_step.py            # all sizes
    python benchmarks/mlp_step.py --quick    # fewer repetitions

Both sides share the process's allocator. By default the script sets glibc malloc's mmap
and trim thresholds high (32 MiB and 256 MiB, with mallopt) so that neither side pays
page faults for returning large temporaries to the system on every step; pass
--default-malloc to keep glibc's defaults. The settings in force are printed.
"""

from __future__ import annotations

import argparse
import ctypes
import os
import platform
import resource
import time

import numpy as np

import autograd_lite as al

SIZES = {
    # name: (batch, inputs, hidden, classes, repetitions)
    "tiny": (32, 64, 32, 10, 3000),
    "small": (64, 64, 128, 10, 1500),
    "mnist-like": (128, 784, 256, 10, 300),
    "large": (1024, 784, 1024, 10, 30),
}
LR = 0.01


def init_params(n_in: int, n_hidden: int, n_out: int, seed: int = 0) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    return [
        rng.standard_normal((n_in, n_hidden)) * np.sqrt(1 / n_in),
        np.zeros(n_hidden),
        rng.standard_normal((n_hidden, n_out)) * np.sqrt(1 / n_hidden),
        np.zeros(n_out),
    ]


def numpy_step(params: list[np.ndarray], x: np.ndarray, y: np.ndarray) -> float:
    """The step as a person writes it by hand: forward, the backprop formulas, SGD."""
    W1, b1, W2, b2 = params
    n = x.shape[0]
    rows = np.arange(n)
    a1 = np.tanh(x @ W1 + b1)
    z2 = a1 @ W2 + b2
    z2 -= z2.max(axis=1, keepdims=True)
    e = np.exp(z2)
    a2 = e / e.sum(axis=1, keepdims=True)
    loss = -np.log(a2[rows, y]).mean()
    delta3 = a2
    delta3[rows, y] -= 1
    delta3 /= n
    dW2 = a1.T @ delta3
    db2 = delta3.sum(axis=0)
    delta2 = (delta3 @ W2.T) * (1 - a1 * a1)
    dW1 = x.T @ delta2
    db1 = delta2.sum(axis=0)
    W1 -= LR * dW1
    b1 -= LR * db1
    W2 -= LR * dW2
    b2 -= LR * db2
    return float(loss)


def autograd_step(params: list[al.Tensor], x: np.ndarray, y: np.ndarray) -> float:
    """The same step with the engine: compose the ops, backward, SGD on .data."""
    W1, b1, W2, b2 = params
    loss = al.cross_entropy(al.linear(al.tanh(al.linear(x, W1, b1)), W2, b2), y)
    loss.backward()
    for p in params:
        p.data -= LR * p.grad
        p.grad = None
    return float(loss.data)


def bench_mlp(name: str, batch: int, n_in: int, n_hidden: int, n_out: int, reps: int) -> float:
    rng = np.random.default_rng(1)
    x = rng.standard_normal((batch, n_in))
    y = rng.integers(0, n_out, batch)
    plain = init_params(n_in, n_hidden, n_out)
    tensors = [al.tensor(p, requires_grad=True) for p in init_params(n_in, n_hidden, n_out)]
    # The two must agree before their times mean anything.
    loss_np, loss_al = numpy_step(plain, x, y), autograd_step(tensors, x, y)
    assert abs(loss_np - loss_al) < 1e-9, (loss_np, loss_al)
    for p, t in zip(plain, tensors, strict=True):
        np.testing.assert_allclose(p, t.data, rtol=1e-9, atol=1e-12)
    times_np, times_al, faults_np, faults_al = [], [], [], []
    for _ in range(reps):
        faults, start = _page_faults(), time.perf_counter()
        autograd_step(tensors, x, y)
        times_al.append(time.perf_counter() - start)
        faults_al.append(_page_faults() - faults)
        faults, start = _page_faults(), time.perf_counter()
        numpy_step(plain, x, y)
        times_np.append(time.perf_counter() - start)
        faults_np.append(_page_faults() - faults)
    med_al, med_np = float(np.median(times_al)), float(np.median(times_np))
    ratio = float(np.median(np.array(times_al) / np.array(times_np)))
    print(
        f"{name:>11} batch {batch:>4}, {n_in}-{n_hidden}-{n_out}: "
        f"autograd_lite {med_al * 1e6:9.1f} us, numpy {med_np * 1e6:9.1f} us, "
        f"median ratio {ratio:.2f}; page faults per step {np.median(faults_al):.0f} "
        f"and {np.median(faults_np):.0f}"
    )
    return ratio


def _page_faults() -> int:
    """Minor page faults of this process so far (memory the kernel mapped in on touch)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt


def chain_autograd(n: int) -> None:
    x = al.tensor(np.linspace(0.1, 0.4, 4), requires_grad=True)
    y = x
    for i in range(n):
        y = al.tanh(y) if i % 2 else y * 1.0001
    y.sum().backward()


def chain_numpy(n: int) -> None:
    y = np.linspace(0.1, 0.4, 4)
    outs = []
    for i in range(n):
        y = np.tanh(y) if i % 2 else y * 1.0001
        outs.append(y)
    g = np.ones(4)
    for i in reversed(range(n)):
        g = g * (1 - outs[i] * outs[i]) if i % 2 else g * 1.0001


def bench_per_op(n: int = 1000, reps: int = 200) -> float:
    times_al, times_np = [], []
    for _ in range(reps):
        start = time.perf_counter()
        chain_autograd(n)
        times_al.append(time.perf_counter() - start)
        start = time.perf_counter()
        chain_numpy(n)
        times_np.append(time.perf_counter() - start)
    per_op_al = float(np.median(times_al)) / n * 1e6
    per_op_np = float(np.median(times_np)) / n * 1e6
    print(
        f"per-op overhead, chain of {n} elementwise ops on 4 elements, forward + backward: "
        f"autograd_lite {per_op_al:.2f} us/op, hand-written numpy {per_op_np:.2f} us/op"
    )
    return per_op_al


def tune_malloc() -> str:
    """Raise glibc's mmap and trim thresholds for this process; say what was set."""
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:
        return "not glibc: allocator left as it is"
    m_trim_threshold, m_mmap_threshold = -1, -3
    ok = libc.mallopt(m_mmap_threshold, 32 << 20) and libc.mallopt(m_trim_threshold, 256 << 20)
    return "glibc malloc, mmap threshold 32 MiB, trim threshold 256 MiB" if ok else "mallopt failed"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a tenth of the repetitions")
    parser.add_argument("--sizes", nargs="*", choices=list(SIZES), default=list(SIZES))
    parser.add_argument(
        "--default-malloc", action="store_true", help="keep glibc malloc's default thresholds"
    )
    args = parser.parse_args()
    if args.default_malloc:
        env = {k: v for k, v in os.environ.items() if k.startswith("MALLOC_")}
        allocator = f"glibc malloc, settings {env or 'default'}"
    else:
        allocator = tune_malloc()
    print(f"python {platform.python_version()}, numpy {np.__version__}, allocator: {allocator}")
    for name in args.sizes:
        batch, n_in, n_hidden, n_out, reps = SIZES[name]
        bench_mlp(name, batch, n_in, n_hidden, n_out, max(reps // 10, 5) if args.quick else reps)
    bench_per_op(reps=20 if args.quick else 200)


if __name__ == "__main__":
    main()
