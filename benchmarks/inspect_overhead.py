"""What the stability checks cost: a 100,000-node graph, built and differentiated with the
checks on and off, interleaved; prints the median time of each and their ratio, for a graph
without unstable patterns and for one where every fourth node completes one.

    python benchmarks/inspect_overhead.py
"""

from __future__ import annotations

import time
import warnings

import numpy as np

import autograd_lite as al

LINKS = 25_000  # four ops each (softmax, log, add, tanh): 100,000 nodes


def build_and_backward(patterns: bool) -> float:
    start = time.perf_counter()
    x = al.tensor([0.1, 0.2, 0.3], requires_grad=True)
    y = x
    for _ in range(LINKS):
        if patterns:
            y = al.tanh(al.log(al.softmax(y)) + y)  # log(softmax(y)): warns (filtered out)
        else:
            y = al.tanh(al.log(al.sigmoid(y) + 1) + y)  # no pattern, but log is checked
    y.sum().backward()
    return time.perf_counter() - start


def main() -> None:
    ops = [al.get_op(name) for name in al.list_ops()]
    checks = {op: op.stability_check for op in ops}
    for patterns in (False, True):
        with_checks, without = [], []
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", al.NumericalStabilityWarning)
            for _ in range(7):
                with_checks.append(build_and_backward(patterns))
                for op in ops:
                    op.stability_check = None
                without.append(build_and_backward(patterns))
                for op in ops:
                    op.stability_check = checks[op]
        ratio = float(np.median(np.array(with_checks) / np.array(without)))
        kind = "every 4th node a pattern" if patterns else "no pattern"
        print(
            f"100,000-node graph ({kind}), forward + backward: with stability checks "
            f"{np.median(with_checks):.3f} s, without {np.median(without):.3f} s, "
            f"median ratio {ratio:.3f}"
        )


if __name__ == "__main__":
    main()
