"""The package layout (issue 23): every branch has the skeleton of ``docs/adding-a-branch.md``.

The checks are plain functions ``check(package, rules) -> list of problems`` (``package``: a branch
package folder ``.../kineticflow/<branch>``; ``rules``: the folder of the ``.smk`` files), so that
``test_adding_a_branch`` runs them on the toy branch the doc builds. Each problem is one line naming
the file (and line) and what is wrong.

Per-branch cases are parametrised by (check, branch): a branch not yet converted to the skeleton
fails its cases, naming what is missing.
"""

from __future__ import annotations

import ast
import doctest
import importlib
import importlib.util
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest
import xarray as xr
import yaml
from conftest import BIN, ROOT

import kineticflow
from kineticflow.branches import BRANCHES
from kineticflow.config import ConfigError, check_schema, fill_defaults
from kineticflow.core.attrs import unregistered
from kineticflow.core.io import read_dataset, write_dataset
from kineticflow.core.plotting import save
from kineticflow.core.targets import BranchReport

PKG = ROOT / "src" / "kineticflow"
RULES = ROOT / "workflow" / "rules"
GENERIC = ("core", "config")

MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60
#: modules of a package every branch has (and the folder ``data/``)
SKELETON = ("__init__.py", "instrument.py", "steps.py", "config.py", "plots.py", "targets.py")
#: calls that read or write files: none of them in a plotting module
IO_CALLS = frozenset(
    {
        "open",
        "to_netcdf",
        "open_dataset",
        "load_dataset",
        "read_dataset",
        "write_dataset",
        "read_csv",
        "to_csv",
        "read_text",
        "write_text",
        "read_bytes",
        "write_bytes",
        "savefig",
        "save",
    }
)
#: ``rule NAME:`` / ``checkpoint NAME:`` at the start of a line of a .smk file
RULE_DEF = re.compile(r"^\s*(?:rule|checkpoint)\s+([A-Za-z_]\w*)\s*:", re.M)
#: ``rule X`` / ``rules X`` in prose; X counts as a rule name if quoted or if it has an underscore
#: (and is not a path: ``rules `workflow/rules/x.smk```)
RULE_REF = re.compile(r"\b[Rr]ules?\s+(``|`|'|\")?([A-Za-z_][A-Za-z0-9_]*)\b(?!/|\.\w)")

Check = Callable[[Path, Path], list[str]]


# ----------------------------------------------------------------------------- reading


def rule_names(smk: Path) -> list[str]:
    """Names of the rules (and checkpoints) defined in one .smk file, in order."""
    return RULE_DEF.findall(smk.read_text())


def all_rules(rules: Path) -> set[str]:
    """Every rule defined in any .smk file of the rules folder (and ``all``)."""
    return {"all"} | {name for smk in rules.glob("*.smk") for name in rule_names(smk)}


def modules(package: Path) -> dict[str, Path]:
    """``{dotted name: file}`` of every module of a branch package (``kineticflow.<branch>.…``)."""
    out = {}
    for path in sorted(package.rglob("*.py")):
        parts = list(path.relative_to(package).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(["kineticflow", package.name, *parts])] = path
    return out


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _import_nodes(tree: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    """Import statements anywhere (functions too), except under ``if TYPE_CHECKING:``."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and _is_type_checking(node):
            yield from (n for child in node.orelse for n in _import_nodes(ast.Module([child], [])))
            continue
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node
        yield from _import_nodes(node)


def imports(path: Path, module: str) -> set[str]:
    """kineticflow modules (and names in them) imported by the file of ``module``."""
    out: set[str] = set()
    is_package = path.name == "__init__.py"
    for node in _import_nodes(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names if a.name.split(".")[0] == "kineticflow"}
            continue
        base = node.module or ""
        if node.level:  # relative import: resolve against the importing module's package
            parts = module.split(".")
            keep = len(parts) - node.level + (1 if is_package else 0)
            base = ".".join(parts[:keep] + ([node.module] if node.module else []))
        if base.split(".")[0] == "kineticflow":
            out.add(base)
            out |= {f"{base}.{a.name}" for a in node.names}
    return out


def _functions(tree: ast.AST) -> Iterator[ast.FunctionDef | ast.AsyncFunctionDef]:
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield node


def function_lines(node: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    """Lines from ``def`` to the last line of the body, the docstring not counted."""
    n = (node.end_lineno or node.lineno) - node.lineno + 1
    first = node.body[0]
    if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
        n -= (first.end_lineno or first.lineno) - first.lineno + 1
    return n


def _top_level(tree: ast.Module) -> dict[str, ast.stmt]:
    """Names bound at the top level of a module by ``def``, ``class`` or an import."""
    out: dict[str, ast.stmt] = {}
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            out[node.name] = node
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            out.update({(a.asname or a.name).split(".")[0]: node for a in node.names})
    return out


def _parse(path: Path) -> ast.Module | None:
    return ast.parse(path.read_text()) if path.is_file() else None


def _is_frozen_dataclass(cls: ast.ClassDef) -> bool:
    for dec in cls.decorator_list:
        if isinstance(dec, ast.Call) and getattr(dec.func, "id", getattr(dec.func, "attr", "")) == "dataclass":
            if any(k.arg == "frozen" and getattr(k.value, "value", False) is True for k in dec.keywords):
                return True
    return False


# ----------------------------------------------------------------------------- checks


def skeleton_problems(package: Path, rules: Path) -> list[str]:
    """The skeleton: ``__init__`` docstring, the six modules with their functions, ``data/``."""
    name = package.name
    out = [f"{name}/{m} missing" for m in SKELETON if not (package / m).is_file()]
    if not (package / "data").is_dir():
        out.append(f"{name}/data/ missing (shipped files, with an __init__.py)")
    elif not (package / "data" / "__init__.py").is_file():
        out.append(f"{name}/data/__init__.py missing")
    init = _parse(package / "__init__.py")
    if init is not None:
        if not (ast.get_docstring(init) or "").strip():
            out.append(f"{name}/__init__.py has no docstring (a summary of the branch and its paper)")
        heavy = sorted({n for node in _import_nodes(init) for n in _imported(node)} - {"__future__"})
        if heavy:
            out.append(f"{name}/__init__.py imports {heavy}: the package import stays light (summary only)")
    config = _parse(package / "config.py")
    if config is not None:
        top = _top_level(config)
        check = top.get("check")
        if not isinstance(check, ast.FunctionDef):
            out.append(f"{name}/config.py has no function check(section, config, workdir)")
        elif "workdir" not in [a.arg for a in (*check.args.args, *check.args.kwonlyargs)]:
            out.append(f"{name}/config.py: check() takes no 'workdir' argument")
        params = [c for c in config.body if isinstance(c, ast.ClassDef) and "from_config" in _top_level_names(c)]
        if not params:
            out.append(f"{name}/config.py has no Params class with from_config(section)")
        out += [f"{name}/config.py: {c.name} is not a frozen dataclass" for c in params if not _is_frozen_dataclass(c)]
    targets = _parse(package / "targets.py")
    if targets is not None:
        top = _top_level(targets)
        out += [f"{name}/targets.py has no function {f}(config)" for f in ("targets", "report") if f not in top]
    return out


def _imported(node: ast.Import | ast.ImportFrom) -> list[str]:
    if isinstance(node, ast.ImportFrom):
        return ["." * node.level + (node.module or "")]
    return [a.name for a in node.names]


def _top_level_names(cls: ast.ClassDef) -> set[str]:
    return {n.name for n in cls.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}


def steps_problems(package: Path, rules: Path) -> list[str]:
    """``steps.py`` has one function per rule of ``<branch>.smk``, named as the rule, and no other."""
    smk = rules / f"{package.name}.smk"
    if not smk.is_file():
        return [f"{smk.name} missing from {rules}"]
    tree = _parse(package / "steps.py")
    if tree is None:
        return [f"{package.name}/steps.py missing"]
    names = rule_names(smk)
    top = _top_level(tree)
    out = [f"rule {r} ({smk.name}) has no function {package.name}.steps.{r}" for r in names if r not in top]
    out += [
        f"{package.name}/steps.py:{node.lineno} {node.name}() is no rule of {smk.name} (rename, or make it private)"
        for node in tree.body
        if isinstance(node, ast.FunctionDef) and not node.name.startswith("_") and node.name not in names
    ]
    return out


def import_problems(package: Path, rules: Path) -> list[str]:
    """A branch imports only ``kineticflow``, ``kineticflow.core``, ``kineticflow.config`` and itself."""
    allowed = {"core", "config", package.name}
    out = []
    for name, path in modules(package).items():
        for imp in sorted(imports(path, name)):
            parts = imp.split(".")
            if len(parts) > 1 and parts[1] not in allowed and not _is_name_of(parts):
                out.append(f"{path.relative_to(package.parent)} imports {imp} (another branch or the registry)")
    return out


def _is_name_of(parts: list[str]) -> bool:
    """``from kineticflow import package_version``: a name of the top-level package, not a branch."""
    here = (PKG / parts[1], PKG / f"{parts[1]}.py")
    return len(parts) == 2 and not any(p.exists() for p in here) and parts[1] not in BRANCHES


def cycle_problems(package: Path, rules: Path) -> list[str]:
    """No import cycle among the modules of the branch."""
    mods = modules(package)
    graph = {n: sorted({m for m in imports(p, n) if m in mods and m != n}) for n, p in mods.items()}
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(n: str) -> list[str] | None:
        state[n] = 1
        stack.append(n)
        for m in graph[n]:
            if state.get(m) == 1:
                return stack[stack.index(m) :] + [m]
            if m not in state and (cycle := visit(m)):
                return cycle
        state[n] = 2
        stack.pop()
        return None

    for n in sorted(graph):
        if n not in state and (cycle := visit(n)):
            return ["import cycle: " + " -> ".join(cycle)]
    return []


def size_problems(package: Path, rules: Path) -> list[str]:
    """No module over 400 lines; no function over 60 lines (``def`` to end, docstring not counted)."""
    out = []
    for path in modules(package).values():
        text = path.read_text()
        rel = path.relative_to(package.parent)
        if (n := len(text.splitlines())) > MAX_MODULE_LINES:
            out.append(f"{rel}: {n} lines > {MAX_MODULE_LINES} (split by concern)")
        for fn in _functions(ast.parse(text)):
            if (n := function_lines(fn)) > MAX_FUNCTION_LINES:
                out.append(f"{rel}:{fn.lineno} {fn.name}(): {n} lines > {MAX_FUNCTION_LINES}")
    return out


def plot_module(path: Path) -> bool:
    """``plots.py``, ``*_plots.py`` or a module of a ``plots/`` package."""
    return path.name == "plots.py" or path.stem.endswith("_plots") or "plots" in path.parent.parts[-1:]


def plots_io_problems(package: Path, rules: Path) -> list[str]:
    """Plotting modules return figures: no call that reads or writes a file."""
    out = []
    for path in modules(package).values():
        if not plot_module(path):
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call):
                f = node.func
                name = f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""
                if name in IO_CALLS:
                    out.append(f"{path.relative_to(package.parent)}:{node.lineno} calls {name}() (file I/O in a plot)")
    return out


def rule_reference_problems(package: Path, rules: Path) -> list[str]:
    """Every rule named (``rule X``) in the package, the rules, the scripts or ``docs/<branch>.md`` exists."""
    known = all_rules(rules)
    scripts = rules.parent / "scripts" / package.name
    doc = rules.parent.parent / "docs" / f"{package.name}.md"
    files = [
        *modules(package).values(),
        *sorted(rules.glob(f"{package.name}*.smk")),
        *sorted(scripts.glob("*.py")),
        *([doc] if doc.is_file() else []),
    ]
    out = []
    for path in files:
        for i, line in enumerate(path.read_text().splitlines(), 1):
            if RULE_DEF.match(line) or line.lstrip().startswith("use rule"):
                continue
            for quote, name in RULE_REF.findall(line):
                if (quote or "_" in name) and name not in known:
                    out.append(f"{path.name}:{i} names rule {name}, which no .smk file in {rules.name}/ defines")
    return out


CHECKS: tuple[Check, ...] = (
    skeleton_problems,
    steps_problems,
    import_problems,
    cycle_problems,
    size_problems,
    plots_io_problems,
    rule_reference_problems,
)


def layout_problems(package: Path, rules: Path) -> list[str]:
    """Every problem of every check of one branch package."""
    return [p for check in CHECKS for p in check(package, rules)]


# ----------------------------------------------------------------------------- the repository


def test_every_branch_package_is_registered():
    packages = {p.name for p in PKG.iterdir() if p.is_dir() and any(p.glob("*.py"))} - set(GENERIC)
    assert packages == set(BRANCHES), "a branch package must be listed in kineticflow.branches.BRANCHES"
    for branch in BRANCHES:
        assert (RULES / f"{branch}.smk").is_file()


@pytest.mark.parametrize("branch", BRANCHES)
@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.__name__.removesuffix("_problems"))
def test_branch_layout(check: Check, branch: str):
    problems = check(PKG / branch, RULES)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("generic", GENERIC)
def test_generic_code_imports_no_branch(generic):
    offenders = []
    for name, path in modules(PKG / generic).items():
        for imp in imports(path, name):
            parts = imp.split(".")
            if len(parts) > 1 and (parts[1] in BRANCHES or parts[1] == "branches"):
                offenders.append(f"{name} imports {imp}")
    assert not offenders, offenders


def test_no_import_cycle_across_the_package():
    everything = {}
    for sub in (*GENERIC, *BRANCHES):
        everything.update(modules(PKG / sub))
    graph = {n: {m for m in imports(p, n) if m in everything and m != n} for n, p in everything.items()}
    seen: dict[str, int] = {}

    def visit(n: str, path: list[str]) -> None:
        seen[n] = 1
        for m in sorted(graph[n]):
            if seen.get(m) == 1:
                pytest.fail("import cycle: " + " -> ".join([*path[path.index(m) :], m]))
            if m not in seen:
                visit(m, [*path, m])
        seen[n] = 2

    for n in sorted(graph):
        if n not in seen:
            visit(n, [n])


def test_no_module_reads_the_source_tree_for_data():
    """Reference data is package data (importlib.resources), not a path relative to src/."""
    offenders = [str(p) for p in PKG.rglob("*.py") if "parents[" in p.read_text() and "resources" in p.read_text()]
    assert not offenders, offenders


#: names of files outside the repository that docs, code and config used to cite (built here so
#: that this file does not match itself)
OUTSIDE = ("SPEC" + ".md", "../" + "shared", "shared" + "/seeds")


def test_no_file_outside_the_repository_is_named():
    """Docs, code and config cite the paper or docs/<branch>.md, never a file outside the repository."""
    files = [ROOT / "README.md", ROOT / "Snakefile"]
    for folder in ("src", "docs", "config", "workflow", "tests", "benchmarks"):
        files += [p for p in (ROOT / folder).rglob("*") if p.is_file() and p.suffix not in (".nc", ".png", ".pyc")]
    offenders = []
    for path in files:
        try:
            text = path.read_text()
        except UnicodeDecodeError:
            continue
        for i, line in enumerate(text.splitlines(), 1):
            if any(name in line for name in OUTSIDE):
                offenders.append(f"{path.relative_to(ROOT)}:{i}: {line.strip()[:100]}")
    assert not offenders, "\n".join(offenders)


# ----------------------------------------------------------------------------- the checks themselves


def test_checks_see_what_they_should(tmp_path):
    pkg = tmp_path / "kineticflow" / "toy"
    rules = tmp_path / "rules"
    (pkg / "data").mkdir(parents=True)
    rules.mkdir()
    (rules / "toy.smk").write_text("rule make_toy:\n    output:\n        'x'\n\n\n    rule  indented_one :\n")
    assert rule_names(rules / "toy.smk") == ["make_toy", "indented_one"]
    (pkg / "a.py").write_text("from . import b\nfrom kineticflow.trxs import signals\n")
    (pkg / "b.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .c import x\nfrom .a import y\n"
    )
    (pkg / "c.py").write_text("from kineticflow import package_version\nfrom kineticflow.core.io import logged\n")
    assert imports(pkg / "b.py", "kineticflow.toy.b") == {"kineticflow.toy.a", "kineticflow.toy.a.y"}
    assert cycle_problems(pkg, rules) == ["import cycle: kineticflow.toy.a -> kineticflow.toy.b -> kineticflow.toy.a"]
    assert import_problems(pkg, rules) == [
        "toy/a.py imports kineticflow.trxs (another branch or the registry)",
        "toy/a.py imports kineticflow.trxs.signals (another branch or the registry)",
    ]
    (pkg / "plots.py").write_text("def fig(ds, path):\n    f = make(ds)\n    f.savefig(path)\n    return open(path)\n")
    assert [p.split(" ", 1)[1] for p in plots_io_problems(pkg, rules)] == [
        "calls savefig() (file I/O in a plot)",
        "calls open() (file I/O in a plot)",
    ]
    (pkg / "d.py").write_text(
        "# rule make_toy, rule ``gone``, rule of thumb, rules ``indented_one``\n"
        "# Rule old_name, rules `workflow/rules/toy.smk`, rule ``make_toy.py``, rule ``make_toy``.\n"
    )
    assert [p.split(" names ")[1].split(",")[0] for p in rule_reference_problems(pkg, rules)] == [
        "rule gone",
        "rule old_name",
    ]


# ----------------------------------------------------------------------------- the doc's toy branch

DOC = ROOT / "docs" / "adding-a-branch.md"
#: first line of a code block of the doc that is a file of the toy branch
FILE_MARK = re.compile(r"^(?:#|\.\.) file: (\S+)[ \t]*$")
TOY_FILES = (
    "src/kineticflow/newb/__init__.py",
    "src/kineticflow/newb/decay.py",
    "src/kineticflow/newb/instrument.py",
    "src/kineticflow/newb/steps.py",
    "src/kineticflow/newb/config.py",
    "src/kineticflow/newb/plots.py",
    "src/kineticflow/newb/targets.py",
    "src/kineticflow/newb/data/__init__.py",
    "workflow/rules/newb.smk",
    "workflow/scripts/newb/simulate_newb.py",
    "workflow/scripts/newb/plot_newb.py",
    "workflow/schemas/newb.schema.yaml",
    "tests/newb/test_decay.py",
)


def doc_files(doc: Path = DOC) -> dict[str, str]:
    """``{path: text}`` of every fenced code block of the doc whose first line is ``# file: <path>``."""
    out = {}
    for block in re.findall(r"^```[\w-]*\n(.*?)^```", doc.read_text(), flags=re.M | re.S):
        first = block.split("\n", 1)[0]
        if m := FILE_MARK.match(first):
            out[m.group(1)] = block
    return out


def build_toy(root: Path) -> tuple[Path, Path]:
    """Write the doc's toy branch under ``root``; its package folder and its rules folder."""
    for rel, text in doc_files().items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return root / "src" / "kineticflow" / "newb", root / "workflow" / "rules"


@pytest.fixture
def toy(tmp_path, monkeypatch):
    """The toy branch written from the doc, importable as ``kineticflow.newb``."""
    package, rules = build_toy(tmp_path)
    monkeypatch.setattr(kineticflow, "__path__", [*kineticflow.__path__, str(package.parent)])
    importlib.invalidate_caches()
    yield package, rules
    for name in [n for n in sys.modules if n == "kineticflow.newb" or n.startswith("kineticflow.newb.")]:
        del sys.modules[name]


def test_the_doc_holds_every_file_of_the_toy_branch():
    assert set(TOY_FILES) <= set(doc_files())


def test_toy_branch_from_the_doc_passes_the_layout_checks(toy):
    package, rules = toy
    assert rule_names(rules / "newb.smk") == ["simulate_newb", "plot_newb"]
    assert layout_problems(package, rules) == []
    fmt = subprocess.run([str(BIN / "snakefmt"), "--check", str(rules / "newb.smk")], capture_output=True, text=True)
    assert fmt.returncode == 0, fmt.stderr


def test_toy_branch_from_the_doc_runs(toy, tmp_path):
    package, _ = toy
    decay = importlib.import_module("kineticflow.newb.decay")
    config = importlib.import_module("kineticflow.newb.config")
    steps = importlib.import_module("kineticflow.newb.steps")
    targets = importlib.import_module("kineticflow.newb.targets")
    doctests = doctest.testmod(decay)
    assert doctests.attempted >= 1 and doctests.failed == 0
    # config: schema defaults, the cross-key check and the rule parameters
    schema = yaml.safe_load((tmp_path / "workflow/schemas/newb.schema.yaml").read_text())
    section = fill_defaults({}, schema)
    check_schema(section, schema)
    config.check(section, {"newb": section}, workdir=tmp_path)
    with pytest.raises(ConfigError, match=r"'newb.t_max_ps' = 200.*>= 3 newb.tau_ps = 300"):
        config.check(dict(section, t_max_ps=200.0), {}, workdir=tmp_path)
    p = config.Params.from_config(section)
    # the rules' steps: registered units and dims (write_dataset checks), the physics, the figure
    path = write_dataset(steps.simulate_newb(p), tmp_path / "results/newb/decay.nc")
    ds = read_dataset(path, required=["population", "counts"], dims=["t"])
    assert float(ds["population"].sel(t=p.tau_ps)) == pytest.approx(np.exp(-1.0), rel=1e-12)
    assert abs(float(ds["counts"][0]) - p.n0) < 5 * np.sqrt(p.n0)  # Poisson around n0 at t = 0
    assert save(steps.plot_newb(ds), tmp_path / "decay.png").stat().st_size > 5_000
    # targets and report
    on = {"newb": section}
    assert targets.targets(on) == ["results/newb/decay.nc", "results/newb/figures/decay.png"]
    assert targets.targets({"newb": dict(section, enabled=False)}) == []
    assert targets.report(on) == BranchReport("Newb", inputs=tuple(targets.targets(on)))
    # the doc's test file passes
    spec = importlib.util.spec_from_file_location("newb_test_decay", tmp_path / "tests/newb/test_decay.py")
    assert spec is not None and spec.loader is not None
    tests = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tests)
    ran = [name for name in dir(tests) if name.startswith("test_")]
    for name in ran:
        getattr(tests, name)()
    assert len(ran) == 2


def _function_of(n: int) -> str:
    """A function of ``n`` lines from ``def`` to its end, plus a docstring (not counted)."""
    body = "".join(f"    x{i} = {i}\n" for i in range(n - 2))
    return f'\n\ndef padded():\n    """Not counted.\n\n    Neither is this.\n    """\n{body}    return 0\n'


BROKEN = {
    "rule without a steps function": (
        "workflow/rules/newb.smk",
        "\n\nrule fit_newb:\n    output:\n        'x',\n",
        "rule fit_newb (newb.smk) has no function newb.steps.fit_newb",
    ),
    "61-line function": ("src/kineticflow/newb/decay.py", _function_of(61), "padded(): 61 lines > 60"),
    "steps function without a rule": (
        "src/kineticflow/newb/steps.py",
        "\n\ndef fit_newb(ds):\n    return ds\n",
        "fit_newb() is no rule of newb.smk",
    ),
    "plot writing a file": (
        "src/kineticflow/newb/plots.py",
        "\n\ndef saved(fig, path):\n    fig.savefig(path)\n",
        "calls savefig() (file I/O in a plot)",
    ),
    "branch importing another": (
        "src/kineticflow/newb/instrument.py",
        "\nfrom kineticflow.trxs import pulses\n",
        "imports kineticflow.trxs",
    ),
    "stale rule name in a docstring": (
        "src/kineticflow/newb/targets.py",
        '\n\ndef _note():\n    """Written by rule ``simulate_decay``."""\n',
        "names rule simulate_decay",
    ),
}


@pytest.mark.parametrize("variant", list(BROKEN))
def test_broken_toy_branch_fails_the_layout_checks(tmp_path, variant):
    package, rules = build_toy(tmp_path)
    rel, addition, expected = BROKEN[variant]
    with open(tmp_path / rel, "a") as fh:
        fh.write(addition)
    problems = layout_problems(package, rules)
    assert any(expected in p for p in problems), problems


def test_a_60_line_function_is_within_the_limit(tmp_path):
    package, rules = build_toy(tmp_path)
    with open(package / "decay.py", "a") as fh:
        fh.write(_function_of(60))
    assert (
        function_lines(next(f for f in _functions(ast.parse((package / "decay.py").read_text())) if f.name == "padded"))
        == 60
    )
    assert layout_problems(package, rules) == []


# ----------------------------------------------------------------------------- written variables


@pytest.mark.workflow
@pytest.mark.parametrize("branch", BRANCHES)
def test_every_written_dimension_and_unit_is_registered(workflow_run: Path, branch: str):
    files = sorted((workflow_run / "results" / branch).rglob("*.nc"))
    assert files, f"the test run wrote no netCDF file under results/{branch}/"
    problems = []
    for path in files:
        with xr.open_dataset(path) as ds:
            problems += [f"{path.relative_to(workflow_run)}: {p}" for p in unregistered(ds)]
    assert not problems, "\n".join(problems)


@pytest.mark.workflow
def test_no_netcdf_outside_the_branch_folders(workflow_run: Path):
    results = workflow_run / "results"
    stray = [
        str(p.relative_to(results)) for p in results.rglob("*.nc") if p.relative_to(results).parts[0] not in BRANCHES
    ]
    assert not stray, stray


def test_global_wildcard_constraints_bind_no_other_branch():
    """A file-level ``wildcard_constraints:`` applies to every rule of the workflow: it may name only
    wildcards that no other branch's rules use (``{observation}`` constrained to the plasma names in
    plasma.smk once made TRXS's observed outputs unproducible)."""
    import re

    texts = {p.stem: p.read_text() for p in RULES.glob("*.smk")}
    offenders = []
    for name, text in texts.items():
        for block in re.findall(r"(?m)^wildcard_constraints:\n((?:    .*\n)+)", text):
            for wildcard in re.findall(r"(?m)^    (\w+)=", block):
                users = [o for o, t in texts.items() if o != name and "{" + wildcard + "}" in t]
                if users:
                    offenders.append(f"{name}.smk constrains {{{wildcard}}} for {users}")
    assert not offenders, offenders
