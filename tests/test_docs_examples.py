"""The Python examples in README.md and docs/*.md run, top to bottom, page by page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import autograd_lite as al

ROOT = Path(__file__).resolve().parent.parent
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
BLOCK = re.compile(r"```python\n(.*?)```", re.DOTALL)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_examples_on_the_page_run(page):
    blocks = BLOCK.findall(page.read_text())
    assert blocks, f"{page.name} has no python example"
    before = set(al.list_ops())
    namespace: dict = {}
    try:
        for block in blocks:
            exec(compile(block, str(page), "exec"), namespace)  # noqa: S102
    finally:
        for name in set(al.list_ops()) - before:
            al.unregister(name)
