"""Bytes per node and time of a long elementwise chain: autograd_lite against numpy's arrays.

Builds a chain of N ops on 4 float64 elements (alternately ``y * 1.0001`` and ``tanh(y)``,
as the per-op benchmark in mlp_step.py), measures with tracemalloc the memory the live
graph holds per node, then times forward plus backward without tracemalloc (median of a
few runs, with hand-written numpy's forward and backward interleaved). The garbage
collector is left on, as a user has it.

    python benchmarks/node_memory.py            # N = 100,000
    python benchmarks/node_memory.py --ops 20000
"""

from __future__ import annotations

import argparse
import time
import tracemalloc

import numpy as np

import autograd_lite as al


def chain(n: int) -> tuple[al.Tensor, al.Tensor]:
    x = al.tensor(np.linspace(0.1, 0.4, 4), requires_grad=True)
    y = x
    for i in range(n):
        y = al.tanh(y) if i % 2 else y * 1.0001
    return x, y


def numpy_chain(n: int) -> list[np.ndarray]:
    y = np.linspace(0.1, 0.4, 4)
    outs = []
    for i in range(n):
        y = np.tanh(y) if i % 2 else y * 1.0001
        outs.append(y)
    return outs


def numpy_backward(outs: list[np.ndarray]) -> None:
    g = np.ones(4)
    for i in reversed(range(len(outs))):
        g = g * (1 - outs[i] * outs[i]) if i % 2 else g * 1.0001


def bytes_per_node(build, n: int) -> float:
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    kept = build(n)
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    del kept
    return (after - before) / n


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ops", type=int, default=100_000)
    parser.add_argument("--reps", type=int, default=5)
    args = parser.parse_args()
    n = args.ops
    print(f"chain of {n:,} elementwise ops on 4 float64 elements")
    print(f"  autograd_lite graph: {bytes_per_node(chain, n):7.0f} B per node")
    print(f"  numpy arrays alone : {bytes_per_node(numpy_chain, n):7.0f} B per node")
    times_al, times_np = [], []
    for _ in range(args.reps):
        start = time.perf_counter()
        _, y = chain(n)
        y.sum().backward()
        del y
        times_al.append(time.perf_counter() - start)
        start = time.perf_counter()
        numpy_backward(numpy_chain(n))
        times_np.append(time.perf_counter() - start)
    print(
        f"  forward + backward: autograd_lite {np.median(times_al):.3f} s, "
        f"hand-written numpy {np.median(times_np):.3f} s (median of {args.reps})"
    )


if __name__ == "__main__":
    main()
