"""This tree's training step and per-op cost against an earlier commit's, in one run.

The earlier commit's package is exported (``git archive``) into a temporary folder under
the name ``autograd_lite_then``, so both versions load in one process; then each
repetition runs one step of each and one hand-written numpy step, interleaved, from the
same starting weights (the step and the numpy step are those of mlp_step.py). It prints,
per size, the median ratio of each version to numpy and of now to then. Machines drift
between runs; within one run, interleaved, they drift for both alike.

    python benchmarks/against_commit.py 566524e            # all sizes
    python benchmarks/against_commit.py HEAD~3 --quick
"""

from __future__ import annotations

import argparse
import importlib
import io
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
import mlp_step  # noqa: E402  (the step, the sizes and the allocator settings)

import autograd_lite as now  # noqa: E402


def load_commit(rev: str, folder: Path) -> object:
    """Import the package as it was at ``rev``, renamed autograd_lite_then."""
    archive = subprocess.run(
        ["git", "archive", rev, "autograd_lite"], capture_output=True, check=True
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(folder, filter="data")
    package = folder / "autograd_lite_then"
    (folder / "autograd_lite").rename(package)
    for path in package.rglob("*.py"):
        path.write_text(path.read_text().replace("autograd_lite", "autograd_lite_then"))
    sys.path.insert(0, str(folder))
    return importlib.import_module("autograd_lite_then")


def step(al: object, params: list, x: np.ndarray, y: np.ndarray) -> float:
    W1, b1, W2, b2 = params
    loss = al.cross_entropy(al.linear(al.tanh(al.linear(x, W1, b1)), W2, b2), y)
    loss.backward()
    for p in params:
        p.data -= mlp_step.LR * p.grad
        p.grad = None
    return float(loss.data)


def compare(name: str, sizes: tuple[int, ...], then: object, reps: int) -> None:
    batch, n_in, n_hidden, n_out = sizes
    rng = np.random.default_rng(1)
    x, y = rng.standard_normal((batch, n_in)), rng.integers(0, n_out, batch)
    plain = mlp_step.init_params(n_in, n_hidden, n_out)
    start = mlp_step.init_params(n_in, n_hidden, n_out)
    ours = [now.tensor(p, requires_grad=True) for p in start]
    theirs = [then.tensor(p, requires_grad=True) for p in start]
    assert abs(step(now, ours, x, y) - step(then, theirs, x, y)) < 1e-9
    mlp_step.numpy_step(plain, x, y)
    t_now, t_then, t_np = [], [], []
    runs = [
        (t_now, lambda: step(now, ours, x, y)),
        (t_then, lambda: step(then, theirs, x, y)),
        (t_np, lambda: mlp_step.numpy_step(plain, x, y)),
    ]
    for k in range(reps):
        for times, run in runs[k % 3 :] + runs[: k % 3]:  # each goes first in turn
            start = time.perf_counter()
            run()
            times.append(time.perf_counter() - start)
    a, b, n = np.array(t_now), np.array(t_then), np.array(t_np)
    print(
        f"{name:>11}: now/numpy {np.median(a / n):.2f}, then/numpy {np.median(b / n):.2f}, "
        f"now/then {np.median(a / b):.2f}  (now {np.median(a) * 1e6:.0f} us, "
        f"then {np.median(b) * 1e6:.0f} us, numpy {np.median(n) * 1e6:.0f} us)"
    )


def chain(al: object, n: int) -> None:
    x = al.tensor(np.linspace(0.1, 0.4, 4), requires_grad=True)
    y = x
    for i in range(n):
        y = al.tanh(y) if i % 2 else y * 1.0001
    y.sum().backward()


def compare_per_op(then: object, reps: int, n: int = 1000) -> None:
    t_now, t_then = [], []
    for k in range(reps):
        for times, al in ((t_now, now), (t_then, then))[:: 1 if k % 2 else -1]:
            start = time.perf_counter()
            chain(al, n)
            times.append(time.perf_counter() - start)
    a, b = np.median(t_now) / n * 1e6, np.median(t_then) / n * 1e6
    print(f"per-op overhead (chain of {n}): now {a:.2f} us, then {b:.2f} us")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rev", help="the earlier commit (anything git rev-parse takes)")
    parser.add_argument("--quick", action="store_true", help="a tenth of the repetitions")
    parser.add_argument("--sizes", nargs="*", choices=list(mlp_step.SIZES), default=None)
    args = parser.parse_args()
    print(f"allocator: {mlp_step.tune_malloc()}")
    with tempfile.TemporaryDirectory() as folder:
        then = load_commit(args.rev, Path(folder))
        for name, (*sizes, reps) in mlp_step.SIZES.items():
            if args.sizes is not None and name not in args.sizes:
                continue
            compare(name, tuple(sizes), then, max(reps // 10, 5) if args.quick else reps)
        compare_per_op(then, 20 if args.quick else 200)


if __name__ == "__main__":
    main()
