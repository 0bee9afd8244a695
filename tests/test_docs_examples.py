"""The ```python examples in README.md and the plain docs pages run, page by page, each in a
temporary folder (the files they write, such as ``digits.npz``, go there, not into the
repository).

(The executable MyST pages, marked ``file_format: mystnb``, run when the docs are built.)
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import autograd_lite as al

ROOT = Path(__file__).resolve().parent.parent
BLOCK = re.compile(r"```python\n(.*?)```", re.DOTALL)
PAGES = [
    page
    for page in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    if BLOCK.search(page.read_text()) and "file_format: mystnb" not in page.read_text()
]


def test_the_plain_pages_are_checked():
    assert {"README.md", "writing_your_own_op.md"} <= {page.name for page in PAGES}


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_examples_on_the_page_run(page, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    blocks = BLOCK.findall(page.read_text())
    before = set(al.list_ops())
    namespace: dict = {}
    try:
        for block in blocks:
            exec(compile(block, str(page), "exec"), namespace)  # noqa: S102
    finally:
        for name in set(al.list_ops()) - before:
            al.unregister(name)


def test_the_readme_s_files_are_written_in_the_temporary_folder(tmp_path, monkeypatch):
    test_examples_on_the_page_run(ROOT / "README.md", tmp_path, monkeypatch)
    assert {"digits.npz", "loss.svg"} <= {p.name for p in tmp_path.iterdir()}
