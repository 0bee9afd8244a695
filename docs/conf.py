"""Sphinx configuration: MyST pages and notebooks (executed at build time), furo theme,
autodoc for the API, and the op reference generated from the registry."""

from __future__ import annotations

import inspect
import logging
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import autograd_lite as al  # noqa: E402

project = "autograd_lite"
author = "the autograd_lite contributors"
copyright = "2026, the autograd_lite contributors"  # noqa: A001
release = al.__version__  # from the package metadata (pyproject.toml)

extensions = ["myst_nb", "sphinx.ext.autodoc", "sphinx.ext.mathjax", "sphinx.ext.viewcode"]
myst_enable_extensions = ["dollarmath", "amsmath"]
nb_execution_mode = "force"  # every page and notebook runs at each build
nb_execution_raise_on_error = True
nb_execution_timeout = 120
nb_execution_in_temp = True  # a cell that writes a file writes it into a temporary folder
# A cell that writes to stderr (a warning, a traceback, a log line) is an error: with -W it
# fails the build, so a strict build is also a quiet one. A cell that means to show stderr
# says so in its metadata (mystnb: output_stderr: show).
nb_output_stderr = "error"
# nbclient announces each notebook at INFO level ("Executing notebook with kernel"): noise
logging.getLogger("traitlets").setLevel(logging.WARNING)
html_theme = "furo"
html_title = "autograd_lite"
exclude_patterns = ["_build", "**.ipynb_checkpoints"]
autodoc_member_order = "bysource"
autodoc_typehints = "description"
suppress_warnings = ["mystnb.unknown_mime_type"]


def _forward_line(op: al.Op) -> str:
    """The forward's docstring, or its last return statement: what the op computes."""
    doc = inspect.getdoc(op.forward)
    if doc:
        return doc.splitlines()[0]
    source = inspect.getsource(op.forward).strip().splitlines()
    returns = [line.strip() for line in source if line.strip().startswith("return ")]
    return returns[-1].removeprefix("return ") if returns else ""


def _rule_line(rule: object) -> str:
    doc = inspect.getdoc(rule) or ""
    return doc.splitlines()[0] if doc else ""


def write_op_reference() -> None:
    """docs/op_reference.md: every registered op, its forward and its VJP rules."""
    lines = [
        "# Op reference",
        "",
        "Every registered op, generated from the registry when the docs are built: the",
        "forward (in numpy) and the VJP rule for each input (the first line of the rule's",
        "docstring). `g` is the upstream gradient, `out` the forward's result.",
        "",
        "| op | inputs | attributes | forward | VJP rules |",
        "|---|---|---|---|---|",
    ]
    for op in map(al.get_op, al.list_ops()):
        inputs = ", ".join(op.input_names) or "*xs"
        attrs = ", ".join(op.attr_names)
        rules = "<br>".join(
            f"{op.input_names[i] if i < len(op.input_names) else 'each x'}: {_rule_line(r)}"
            for i, r in sorted(op.rules.items())
        )
        forward = _forward_line(op).replace("|", "\\|")
        rules = rules.replace("|", "\\|")
        lines.append(f"| `{op.name}` | {inputs} | {attrs} | `{forward}` | {rules} |")
    (Path(__file__).parent / "op_reference.md").write_text("\n".join(lines) + "\n")


def copy_notebooks() -> None:
    """The notebooks live in notebooks/ at the top level; Sphinx reads them from docs/."""
    target = Path(__file__).parent / "notebooks"
    target.mkdir(exist_ok=True)
    for notebook in sorted((ROOT / "notebooks").glob("*.ipynb")):
        (target / notebook.name).write_bytes(notebook.read_bytes())


write_op_reference()
copy_notebooks()
