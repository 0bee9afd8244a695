"""The explorer page of a long chain: the time to build it, its size, and, with Chromium, how
long the page takes to show one step.

Builds a chain of N elementwise ops on 4 float64 elements (``y * 1.0001`` and ``tanh(y)``
alternately, as node_memory.py), then times ``al.explore(loss).to_html()`` (the traced
reverse pass over all N nodes, reading the 300 nodes nearest the output, Graphviz's layout)
against a plain ``loss.backward(retain_graph=True)`` of the same graph, interleaved, and
prints the medians and the page's size. Where selenium, Chromium and its driver are
installed, it opens the page headless and prints the median time of ``go(i)`` over every step.

    python benchmarks/explore_chain.py              # N = 100,000
    python benchmarks/explore_chain.py --ops 20000 --repeats 3
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

import autograd_lite as al
from autograd_lite.explorer import Explorer

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
import node_memory  # noqa: E402  (the same chain)


def browser_step_ms(page: Explorer) -> float | None:
    """The median milliseconds of one go(i) in headless Chromium, or None without one."""
    try:
        from test_explorer_browser import start_browser
    except ImportError:
        return None
    driver, why = start_browser()
    if driver is None:
        print(f"no browser timing: {why}")
        return None
    with tempfile.TemporaryDirectory() as folder:
        driver.get(page.save(Path(folder) / "chain.html").as_uri())
        times = driver.execute_script(
            "const api = window.autogradLite, times = [];"
            "for (let i = 0; i < api.steps.length; i++) {"
            "  const start = performance.now(); api.go(i); times.push(performance.now() - start);"
            "}"
            "return times;"
        )
        driver.quit()
    return float(np.median(times))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ops", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    loss = node_memory.chain(args.ops)[1].sum()
    page_times, backward_times = [], []
    for _ in range(args.repeats):
        start = time.perf_counter()
        page = al.explore(loss)
        text = page.to_html()
        page_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        loss.backward(retain_graph=True)
        backward_times.append(time.perf_counter() - start)
    print(
        f"chain of {args.ops:,} ops: al.explore(loss).to_html() {np.median(page_times):.2f} s "
        f"(median of {args.repeats}), a plain backward {np.median(backward_times):.2f} s; "
        f"page {len(text.encode()) / 1e3:.0f} kB, {len(page.steps)} steps, "
        f"{page.omitted:,} nodes left out"
    )
    step = browser_step_ms(page)
    if step is not None:
        print(f"in headless Chromium: one step (go(i)) takes {step:.1f} ms (median over all)")


if __name__ == "__main__":
    main()
