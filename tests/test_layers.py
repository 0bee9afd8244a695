"""The package's layers point down: the core imports none of the tools built on it.

The core (the Tensor, the op registry, the reverse pass, and what they stand on) reaches its
diagnostics (anomaly detection, the trace, stability warnings) only through the observer
hook and the checks ops declare; it imports no tool, at module level or inside a function.
"""

from __future__ import annotations

import ast
from pathlib import Path

import autograd_lite

PACKAGE = Path(autograd_lite.__file__).parent
CORE = {"tensor", "registry", "engine", "switches", "interop", "inplace"}
TOOLS = {
    "anomaly", "trace", "stability", "viz", "graph_records", "summaries", "jacobians",
    "functional", "gradcheck", "nn", "data", "commands", "testing", "plots", "training",
    "layout", "cli", "expr", "atomic_files", "callsite", "optim",
}  # fmt: skip
# (module, imported tool, function) allowed: Tensor.draw is a lazy convenience
ALLOWED = {("tensor", "viz", "draw")}


def imports(module: str) -> list[tuple[str, str | None]]:
    """The package modules ``module`` imports, each with the function it imports them in."""
    tree = ast.parse((PACKAGE / f"{module}.py").read_text())
    found: list[tuple[str, str | None]] = []

    def visit(node: ast.AST, function: str | None) -> None:
        for child in ast.iter_child_nodes(node):
            name = (
                child.name
                if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef))
                else function
            )
            if isinstance(child, ast.ImportFrom) and child.level == 1:
                if child.module:
                    found.append((child.module.split(".")[0], name))
                else:
                    found.extend((alias.name, name) for alias in child.names)
            elif isinstance(child, ast.Import):
                found.extend(
                    (alias.name.split(".")[1], name)
                    for alias in child.names
                    if alias.name.startswith("autograd_lite.")
                )
            visit(child, name)

    visit(tree, None)
    return found


def test_the_core_modules_exist():
    assert all((PACKAGE / f"{m}.py").is_file() for m in CORE)
    assert all((PACKAGE / t).is_dir() or (PACKAGE / f"{t}.py").is_file() for t in TOOLS)


def test_the_core_imports_no_tool():
    wrong = [
        f"{module} imports {target}" + (f" in {function}()" if function else "")
        for module in sorted(CORE)
        for target, function in imports(module)
        if target in TOOLS and (module, target, function) not in ALLOWED
    ]
    assert not wrong, "the core must not import a tool: " + "; ".join(wrong)


def test_the_switches_import_nothing_of_the_package():
    assert imports("switches") == []
