"""The convolutional network's training step, and one conv2d, against PyTorch (CPU, float64).

Two measurements, each interleaved in one process (one autograd_lite call, one torch call,
repeated) from the same weights and data, printing the median time of each and their ratio:

- ``step``: one training step of the ``--model cnn`` network (nn.ConvNet: conv 3x3 16 ->
  relu -> conv 3x3 32 -> relu -> max-pool -> dropout -> linear) on a batch of 64 digits,
  forward, cross-entropy, backward and AdamW;
- ``conv2d``: forward and backward of one convolution at batch 64, 1x28x28 -> 32 channels,
  3x3 kernel, padding 1, gradients to the input and the weight.

PyTorch is optional (``pip install torch==2.13.0``): without it the script says so and
times autograd_lite alone. Both sides run on one thread by default (``--threads N`` for
more): two thread pools taking turns on two cores slow each other down (torch's step took
twice as long beside numpy's threads as alone). The allocator is tuned as in
``mlp_step.py`` (``--default-malloc`` keeps glibc's settings).

    python benchmarks/conv_step.py            # 200 repetitions of each
    python benchmarks/conv_step.py --quick    # 30
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from collections.abc import Callable


def _threads() -> int:
    """--threads, read before numpy starts its BLAS threads (they are fixed at import)."""
    if "--threads" in sys.argv[:-1]:
        return int(sys.argv[sys.argv.index("--threads") + 1])
    return 1


for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_name] = str(_threads())

import numpy as np  # noqa: E402  (after the thread settings)
from mlp_step import tune_malloc  # noqa: E402  (the script's folder is on the path)

import autograd_lite as al  # noqa: E402
from autograd_lite import nn, optim  # noqa: E402
from autograd_lite.data import load_digits  # noqa: E402
from autograd_lite.nn import functional as F  # noqa: E402

try:
    import torch
except ImportError:  # the comparison is optional
    torch = None

LR, DECAY = 3e-3, 1e-4


def interleaved(runs: dict[str, Callable[[], object]], repetitions: int) -> dict[str, float]:
    """The median seconds of each callable, run in turn ``repetitions`` times after a warm-up."""
    for run in runs.values():
        run()
    times: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(repetitions):
        for name, run in runs.items():
            start = time.perf_counter()
            run()
            times[name].append(time.perf_counter() - start)
    return {name: float(np.median(t)) for name, t in times.items()}


def step_runs() -> dict[str, Callable[[], object]]:
    """One training step of the cnn in autograd_lite, and the same network in torch."""
    X, y = load_digits()
    rng = np.random.default_rng(0)
    rows = rng.choice(len(X), 64, replace=False)
    x, labels = (X[rows] - X.mean()) / X.std(), y[rows]
    net = nn.ConvNet(8, 10, rng=0)
    opt = optim.AdamW(net.parameters(), lr=LR, weight_decay=DECAY)

    def ours() -> object:
        loss = nn.cross_entropy(net(x), labels)
        opt.zero_grad()
        loss.backward()
        opt.step()
        return loss

    runs: dict[str, Callable[[], object]] = {"autograd_lite": ours}
    if torch is not None:
        model = torch.nn.Sequential(
            torch.nn.Conv2d(1, 16, 3, padding=1),
            torch.nn.ReLU(),
            torch.nn.Conv2d(16, 32, 3, padding=1),
            torch.nn.ReLU(),
            torch.nn.MaxPool2d(2),
            torch.nn.Dropout(0.25),
            torch.nn.Flatten(),
            torch.nn.Linear(512, 10),
        ).double()
        with torch.no_grad():  # the same starting weights (our Linear is inputs-first)
            for ours_p, theirs in zip(net.parameters(), model.parameters(), strict=True):
                value = ours_p.data.T if ours_p is net.fc.weight else ours_p.data
                theirs.copy_(torch.from_numpy(np.ascontiguousarray(value)))
        torch_opt = torch.optim.AdamW(model.parameters(), lr=LR, weight_decay=DECAY)
        tx, ty = torch.from_numpy(x.reshape(64, 1, 8, 8)), torch.from_numpy(labels)

        def theirs() -> object:
            loss = torch.nn.functional.cross_entropy(model(tx), ty)
            torch_opt.zero_grad()
            loss.backward()
            torch_opt.step()
            return loss

        runs["torch"] = theirs
    return runs


def conv_runs() -> dict[str, Callable[[], object]]:
    """conv2d forward and backward at batch 64, 1x28x28 -> 32 channels, 3x3."""
    rng = np.random.default_rng(1)
    x_data, w_data = rng.standard_normal((64, 1, 28, 28)), rng.standard_normal((32, 1, 3, 3))
    g_data = rng.standard_normal((64, 32, 28, 28))
    x, w = al.tensor(x_data, requires_grad=True), al.tensor(w_data, requires_grad=True)
    g = al.tensor(g_data)  # a Tensor is taken as it is; an array would be copied first

    def ours() -> object:
        x.grad = w.grad = None
        F.conv2d(x, w, padding=1).backward(g)
        return w.grad

    runs: dict[str, Callable[[], object]] = {"autograd_lite": ours}
    if torch is not None:
        tx = torch.from_numpy(x_data).requires_grad_()
        tw = torch.from_numpy(w_data).requires_grad_()
        tg = torch.from_numpy(g_data)

        def theirs() -> object:
            tx.grad = tw.grad = None
            torch.nn.functional.conv2d(tx, tw, padding=1).backward(tg)
            return tw.grad

        runs["torch"] = theirs
        ours(), theirs()
        np.testing.assert_allclose(w.grad, tw.grad.numpy(), rtol=1e-10)  # the same numbers
    return runs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="30 repetitions instead of 200")
    parser.add_argument("--threads", type=int, default=1, help="threads of each side (1)")
    parser.add_argument("--default-malloc", action="store_true", help="keep glibc's settings")
    args = parser.parse_args()
    repetitions = 30 if args.quick else 200
    allocator = "glibc malloc defaults" if args.default_malloc else tune_malloc()
    print(f"numpy {np.__version__}, python {platform.python_version()}, {repetitions} repetitions")
    print(f"{args.threads} thread(s) each, {allocator}")
    if torch is None:
        print("torch is not installed (pip install torch==2.13.0): timing autograd_lite alone")
    else:
        torch.set_num_threads(args.threads)
        print(f"torch {torch.__version__}, float64")
    for name, runs in (("step", step_runs()), ("conv2d", conv_runs())):
        medians = interleaved(runs, repetitions)
        line = f"{name:>7}: autograd_lite {medians['autograd_lite'] * 1e3:8.2f} ms"
        if "torch" in medians:
            ratio = medians["autograd_lite"] / medians["torch"]
            line += f"   torch {medians['torch'] * 1e3:8.2f} ms   ratio {ratio:.2f}"
        print(line, flush=True)


if __name__ == "__main__":
    main()
