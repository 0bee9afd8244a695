"""How much of the training step is the engine: its ops' numpy work alone against the step.

Runs, interleaved in one process, three versions of mlp_step.py's step: the engine's
(autograd_step), the hand-written numpy step, and the same forwards and gradient rules the
engine runs, called directly on arrays with no Tensor, node, guard or reverse pass around
them (the engine's numpy work, as its ops write it). Prints the median ratio of each to the
hand-written step: the gap between the last two is the ops' own numpy work, the rest is the
engine's bookkeeping per op.

    python benchmarks/engine_floor.py            # tiny and small
    python benchmarks/engine_floor.py --sizes tiny small mnist-like
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

import autograd_lite as al

sys.path.insert(0, str(Path(__file__).parent))
import mlp_step  # noqa: E402  (the step, the sizes and the allocator settings)

LINEAR, TANH, CROSS_ENTROPY = (al.get_op(name) for name in ("linear", "tanh", "cross_entropy"))


def ops_alone_step(params: list[np.ndarray], x: np.ndarray, y: np.ndarray) -> float:
    """The engine's forwards and rules for the step, called on arrays in the order the
    reverse pass calls them, with the bias gradients summed as the engine unbroadcasts."""
    W1, b1, W2, b2 = params
    z1 = LINEAR.forward(x, W1, b1)
    h = TANH.forward(z1)
    z2 = LINEAR.forward(h, W2, b2)
    loss, extra = CROSS_ENTROPY.forward(z2, y)
    g = CROSS_ENTROPY.call_rule(0, np.ones((), loss.dtype), loss, (z2, y), None, extra)
    gW2 = LINEAR.call_rule(1, g, z2, (h, W2, b2), None, None)
    gb2 = np.add.reduce(LINEAR.call_rule(2, g, z2, (h, W2, b2), None, None), axis=0)
    gh = LINEAR.call_rule(0, g, z2, (h, W2, b2), None, None)
    gz1 = TANH.call_rule(0, gh, h, (z1,), None, None)
    gW1 = LINEAR.call_rule(1, gz1, z1, (x, W1, b1), None, None)
    gb1 = np.add.reduce(LINEAR.call_rule(2, gz1, z1, (x, W1, b1), None, None), axis=0)
    for p, gp in zip(params, (gW1, gb1, gW2, gb2), strict=True):
        p -= mlp_step.LR * gp
    return float(loss)


def bench(name: str, batch: int, n_in: int, n_hidden: int, n_out: int, reps: int) -> None:
    rng = np.random.default_rng(1)
    x = rng.standard_normal((batch, n_in))
    y = rng.integers(0, n_out, batch)
    hand, alone, initial = (mlp_step.init_params(n_in, n_hidden, n_out) for _ in range(3))
    tensors = [al.tensor(p, requires_grad=True) for p in initial]
    losses = [step(p, x, y) for step, p in [(mlp_step.numpy_step, hand), (ops_alone_step, alone)]]
    losses.append(mlp_step.autograd_step(tensors, x, y))
    assert max(losses) - min(losses) < 1e-9, losses  # the three compute the same step
    steps = [
        lambda: mlp_step.autograd_step(tensors, x, y),
        lambda: ops_alone_step(alone, x, y),
        lambda: mlp_step.numpy_step(hand, x, y),
    ]
    times: list[list[float]] = [[], [], []]
    for _ in range(reps):
        for step, kept in zip(steps, times, strict=True):
            start = time.perf_counter()
            step()
            kept.append(time.perf_counter() - start)
    engine, ops_alone, numpy_ = (np.array(t) for t in times)
    print(
        f"{name:>11}: engine/numpy {np.median(engine / numpy_):.2f}, "
        f"ops alone/numpy {np.median(ops_alone / numpy_):.2f}  (engine "
        f"{np.median(engine) * 1e6:.1f} us, ops alone {np.median(ops_alone) * 1e6:.1f} us, "
        f"numpy {np.median(numpy_) * 1e6:.1f} us)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", nargs="*", choices=list(mlp_step.SIZES), default=["tiny", "small"]
    )
    parser.add_argument("--quick", action="store_true", help="a tenth of the repetitions")
    args = parser.parse_args()
    print(f"allocator: {mlp_step.tune_malloc()}")
    for name in args.sizes:
        batch, n_in, n_hidden, n_out, reps = mlp_step.SIZES[name]
        bench(name, batch, n_in, n_hidden, n_out, max(reps // 10, 5) if args.quick else reps)


if __name__ == "__main__":
    main()
