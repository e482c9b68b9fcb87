"""Every rule a TRXS docstring or comment names exists, and steps.py has one function per rule."""

from __future__ import annotations

import ast
import re

from conftest import ROOT

RULES_FILE = ROOT / "workflow" / "rules" / "trxs.smk"
TRXS_TEXTS = [
    *sorted((ROOT / "src" / "kineticflow" / "trxs").rglob("*.py")),
    *sorted((ROOT / "workflow" / "scripts" / "trxs").glob("*.py")),
    *sorted((ROOT / "workflow" / "report" / "trxs").glob("*.rst")),
    *sorted((ROOT / "tests" / "trxs").glob("*.py")),
    RULES_FILE,
    ROOT / "docs" / "trxs.md",
]
# "rule X", "Rule ``X``", "rules ``X`` and ``Y``": rule names have an underscore (simulate_trxs)
MENTION = re.compile(r"\b[Rr]ules?\s+((?:`{0,2}[a-z][a-z0-9]*_[a-z0-9_]+`{0,2}(?:,\s*|\s+and\s+)?)+)")
NAME = re.compile(r"[a-z][a-z0-9]*_[a-z0-9_]+")


def rules() -> set[str]:
    return set(re.findall(r"^rule (\w+):", RULES_FILE.read_text(), flags=re.M))


def mentioned(text: str) -> set[str]:
    return {n for m in MENTION.finditer(text) for n in NAME.findall(m.group(1))}


def test_mention_pattern():
    text = "Rule ``observe_trxs``: ...; rules ``invert_fourier`` and ``plot_trxs``; rule simulate_trxs; rule of thumb"
    assert mentioned(text) == {"observe_trxs", "invert_fourier", "plot_trxs", "simulate_trxs"}


def test_every_named_rule_exists():
    known = rules()
    assert {"simulate_trxs", "observe_trxs", "invert_fourier", "deconvolve_and_fit", "plot_trxs"} <= known
    missing = {f"{p.relative_to(ROOT)}: {n}" for p in TRXS_TEXTS for n in mentioned(p.read_text()) - known}
    assert not missing, sorted(missing)


def test_one_step_function_per_rule_and_one_script_each():
    tree = ast.parse((ROOT / "src" / "kineticflow" / "trxs" / "steps.py").read_text())
    functions = {n.name for n in tree.body if isinstance(n, ast.FunctionDef) and not n.name.startswith("_")}
    assert functions == rules()
    scripts = {p.stem for p in (ROOT / "workflow" / "scripts" / "trxs").glob("*.py")}
    assert scripts == rules()
    for rule in rules():
        script = (ROOT / "workflow" / "scripts" / "trxs" / f"{rule}.py").read_text()
        assert f"steps.{rule}(" in script and "snakemake.config" not in script, rule
