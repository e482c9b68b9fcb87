"""The package layout: core and config import no branch, and no module imports itself in a cycle."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from conftest import ROOT

PKG = ROOT / "src" / "kineticflow"
BRANCHES = sorted(p.name for p in PKG.iterdir() if p.is_dir() and p.name not in ("core", "config", "__pycache__"))


def module_name(path: Path) -> str:
    rel = path.relative_to(PKG.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def imports(path: Path) -> set[str]:
    """kineticflow modules imported anywhere in the file (top level or inside functions)."""
    out = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("kineticflow"):
            out.add(node.module)
            out |= {f"{node.module}.{a.name}" for a in node.names}
        elif isinstance(node, ast.Import):
            out |= {a.name for a in node.names if a.name.startswith("kineticflow")}
    return out


MODULES = {module_name(p): p for p in PKG.rglob("*.py")}


def test_there_are_branches():
    assert {"trxs", "plasma"} <= set(BRANCHES)


@pytest.mark.parametrize("generic", ["core", "config"])
def test_generic_code_imports_no_branch(generic):
    offenders = []
    for name, path in MODULES.items():
        if name.startswith(f"kineticflow.{generic}"):
            for imp in imports(path):
                if any(imp == f"kineticflow.{b}" or imp.startswith(f"kineticflow.{b}.") for b in BRANCHES):
                    offenders.append(f"{name} imports {imp}")
    assert not offenders, offenders


def test_no_import_cycle():
    graph = {name: {m for m in imports(path) if m in MODULES and m != name} for name, path in MODULES.items()}
    # a package's __init__ importing its own submodules is not a cycle of concern; edges child -> parent
    # package are implied by Python and left out
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(n: str) -> list[str] | None:
        state[n] = 1
        stack.append(n)
        for m in sorted(graph[n]):
            if state.get(m) == 1:
                return stack[stack.index(m) :] + [m]
            if m not in state and (cycle := visit(m)):
                return cycle
        state[n] = 2
        stack.pop()
        return None

    for n in sorted(graph):
        if n not in state and (cycle := visit(n)):
            pytest.fail("import cycle: " + " -> ".join(cycle))


def test_no_module_reads_the_source_tree_for_data():
    """Reference data is package data (importlib.resources), not a path relative to src/."""
    offenders = [n for n, p in MODULES.items() if "parents[" in p.read_text() and "resources" in p.read_text()]
    assert not offenders, offenders
