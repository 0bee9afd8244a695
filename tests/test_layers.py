"""The package's layers point down: the core imports none of the tools built on it, and no
import cycle exists but the one the design needs (Tensor's operators call ops, which make
Tensors).

The core (the Tensor, the op registry, the reverse pass, and what they stand on) reaches its
diagnostics (anomaly detection, the trace, stability warnings) only through the observer
hook and the checks ops declare; it imports no tool, at module level or inside a function.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import autograd_lite

PACKAGE = Path(autograd_lite.__file__).parent
CORE = {
    "node",
    "tensor",
    "tensor_methods",
    "registry",
    "op_errors",
    "op_arguments",
    "engine",
    "switches",
    "interop",
    "inplace",
}
TOOLS = {
    "anomaly", "trace", "stability", "viz", "graph_records", "summaries", "jacobians",
    "functional", "transform_call", "gradcheck", "nn", "data", "commands", "testing", "plots",
    "training", "layout", "cli", "expr", "atomic_files", "callsite", "optim", "explorer",
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


# The one cycle the design needs: the Tensor's operators call ops, which make Tensors.
OPERATOR_CYCLE = {"autograd_lite.tensor", "autograd_lite.registry", "autograd_lite.ops"}


def module_imports() -> dict[str, set[str]]:
    """Every module of the package (dotted name) -> the package modules it imports, at module
    level or inside a function; ``from . import x`` counts as importing ``x`` itself."""
    modules = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        is_package = parts[-1] == "__init__"
        name = ".".join(parts[:-1] if is_package else parts)
        modules[name] = (path, name if is_package else name.rpartition(".")[0])
    edges: dict[str, set[str]] = {name: set() for name in modules}
    for name, (path, package) in modules.items():
        for node in ast.walk(ast.parse(path.read_text())):
            for submodule, source in _targets(node, package):
                target = submodule if submodule in modules else source
                if target in modules and target != name:
                    edges[name].add(target)
    return edges


def _targets(node: ast.AST, package: str) -> Iterator[tuple[str, str]]:
    """(the name as a submodule, the module it comes from) for each name ``node`` imports."""
    if isinstance(node, ast.Import):
        yield from ((alias.name, alias.name) for alias in node.names)
    elif isinstance(node, ast.ImportFrom):
        source = node.module or ""
        if node.level:
            parts = package.split(".")
            source = ".".join(parts[: len(parts) - node.level + 1] + ([source] if source else []))
        yield from ((f"{source}.{alias.name}", source) for alias in node.names)


def test_no_import_cycle_but_the_operators_one():
    edges = module_imports()

    def reaches(start: str) -> set[str]:
        seen: set[str] = set()
        stack = list(edges[start])
        while stack:
            m = stack.pop()
            if m not in seen:
                seen.add(m)
                stack.extend(edges[m])
        return seen

    in_cycles = {m for m in edges if m in reaches(m)}
    allowed = {m for m in in_cycles if m in OPERATOR_CYCLE or m.startswith("autograd_lite.ops.")}
    assert in_cycles - allowed == set(), f"import cycles through {sorted(in_cycles - allowed)}"
    assert allowed, "the walk found no cycle at all, not even tensor <-> ops: is it broken?"
