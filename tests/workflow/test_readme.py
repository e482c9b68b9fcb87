"""Issue 27: what a new user reads in README.md and config/README.md works as written.

Item 2: every command that runs jobs resumes an interrupted run. Item 1: the report command
gets the run's --configfile. Item 6: ``--config`` is not given a file, the files the config's
comments name exist, the README lists each branch's tables and figures, and its clean-up
command removes the old config's files.
"""

from __future__ import annotations

import re
import shlex
import subprocess
from pathlib import Path

import pytest
import yaml
from conftest import BIN, ROOT, TEST_CONFIG, snakemake_env

README = ROOT / "README.md"
CONFIG_README = ROOT / "config" / "README.md"
BRANCHES = ("trxs", "plasma", "xfh", "halpha", "escatter")


def code_blocks(path: Path) -> list[list[str]]:
    """The shell commands of each fenced code block, one logical line each (comments cut)."""
    blocks = []
    for body in re.findall(r"```(?:bash|sh|console)?\n(.*?)```", path.read_text(), flags=re.S):
        lines = []
        for line in body.replace("\\\n", " ").splitlines():
            command = line.split(" #")[0].strip()
            if command and not command.startswith("#"):
                lines.append(command)
        blocks.append(lines)
    return blocks


def snakemake_commands(path: Path) -> list[str]:
    """Every snakemake command the file shows: in code blocks and in inline code."""
    text = path.read_text()
    inline = [" ".join(c.split()) for c in re.findall(r"`(snakemake [^`]+)`", text)]
    return [c for block in code_blocks(path) for c in block if c.startswith("snakemake")] + inline


# Commands that run no job: nothing to resume.
NO_JOBS = ("--report", "--dry-run", "-n", "--unlock", "--delete-all-output", "--lint", "--summary")


def _profile_resumes(args: list[str]) -> bool:
    if "--workflow-profile" not in args:
        return False
    profile = ROOT / args[args.index("--workflow-profile") + 1] / "config.yaml"
    return profile.exists() and bool(yaml.safe_load(profile.read_text()).get("rerun-incomplete"))


def test_readme_shows_the_run_commands():
    runs = [c for c in snakemake_commands(README) if not set(shlex.split(c)) & set(NO_JOBS)]
    assert any("--configfile my.yaml" in c for c in runs) and len(runs) >= 4, runs


@pytest.mark.parametrize("path", [README, CONFIG_README], ids=lambda p: p.name if p == README else "config/README.md")
def test_every_command_that_runs_jobs_resumes_an_interrupted_run(path):
    """Item 2: after Ctrl-C the same command must go on, not stop with IncompleteFilesException."""
    for command in snakemake_commands(path):
        args = shlex.split(command)
        if set(args) & set(NO_JOBS):
            continue
        assert "--rerun-incomplete" in args or _profile_resumes(args), f"{path.name}: `{command}` does not resume"


def test_readme_says_once_that_commands_resume():
    text = README.read_text()
    assert text.count("IncompleteFilesException") == 1 and "snakemake --unlock" in text


def test_every_report_command_gets_the_runs_configfile():
    """Item 1: in each code block, the report is built with the --configfile of the runs beside it."""
    checked = 0
    for block in code_blocks(README):
        runs = [c for c in block if c.startswith("snakemake") and "--report" not in c]
        files = {c.split("--configfile ")[1].split()[0] for c in runs if "--configfile " in c}
        for report in (c for c in block if c.startswith("snakemake") and "--report" in c):
            checked += 1
            for f in files:
                assert f"--configfile {f}" in report, f"`{report}` lacks --configfile {f} of the run above it"
    assert checked >= 2


def test_readme_explains_that_the_report_needs_the_runs_config():
    text = " ".join(README.read_text().split())
    assert "snakemake --report` plans the report from the config it is given" in text
    assert "results/config.yaml" in text


@pytest.mark.parametrize("path", [README, CONFIG_README], ids=["README.md", "config/README.md"])
def test_config_takes_key_value_pairs_not_a_file(path):
    """Item 6: `--config my.yaml` (or a bare --config) is not a Snakemake command; --configfile is."""
    for command in snakemake_commands(path):
        args = shlex.split(command)
        for i, a in enumerate(args):
            if a == "--config":
                assert i + 1 < len(args) and "=" in args[i + 1], f"{path.name}: `{command}`: --config needs key=value"


# Repository paths named in the config files' comments and in the two READMEs.
PATH = re.compile(r"(?<![\w/.-])((?:config|workflow|src|docs|resources|tests|benchmarks|envs)/[\w./-]*\w)")


def _named_paths(path: Path) -> list[str]:
    text = path.read_text()
    if path.suffix == ".yaml":
        text = "\n".join(line.split("#", 1)[1] for line in text.splitlines() if "#" in line)
    return sorted({m for m in PATH.findall(text) if not re.search(r"[<{*]", m)})


@pytest.mark.parametrize(
    "path",
    [README, CONFIG_README, *sorted((ROOT / "config").glob("*.yaml"))],
    ids=lambda p: str(p.relative_to(ROOT)),
)
def test_files_named_in_docs_and_config_comments_exist(path):
    """Item 6: config/config.yaml's header named config/schema.yaml, which no longer exists."""
    missing = [p for p in _named_paths(path) if not (ROOT / p).exists()]
    assert not missing, f"{path.relative_to(ROOT)} names missing files: {missing}"


# --- the outputs list ------------------------------------------------------------------------


def _outputs_section() -> str:
    text = README.read_text()
    start = text.index("## Outputs")
    return text[start : text.index("\n## ", start + 1)]


def _pattern(listed: str) -> re.Pattern:
    parts = re.split(r"(\{[^}]+\}|\*)", listed)
    return re.compile("".join("[^/]+" if p.startswith("{") else "[^/]*" if p == "*" else re.escape(p) for p in parts))


@pytest.fixture(scope="module")
def default_outputs(tmp_path_factory) -> list[str]:
    """Every output file of the default config (`snakemake --summary`, no job run)."""
    workdir = tmp_path_factory.mktemp("summary")
    cmd = [
        str(BIN / "snakemake"),
        "-s",
        str(ROOT / "Snakefile"),
        "--directory",
        str(workdir),
        "--cores",
        "1",
        "--summary",
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=snakemake_env(), timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return [line.split("\t")[0] for line in proc.stdout.splitlines()[1:] if line.startswith("results/")]


@pytest.mark.workflow
def test_readme_lists_tables_and_figures_of_every_branch_that_the_default_run_makes(default_outputs):
    """Item 6: each listed file (pattern) is an output of the default run; each branch lists a CSV and a PNG."""
    listed = [  # files, not folders; the report is built by --report, not by a rule
        p for p in re.findall(r"`(results/[^`]+)`", _outputs_section()) if not p.endswith(("/", "report.html"))
    ]
    unknown = [p for p in listed if not any(_pattern(p).fullmatch(o) for o in default_outputs)]
    assert not unknown, f"README lists files the default run does not make: {unknown}"
    for branch in BRANCHES:
        mine = [p for p in listed if p.startswith(f"results/{branch}/")]
        assert any(p.endswith(".csv") for p in mine) and any(p.endswith(".png") for p in mine), branch


# --- clean-up after a changed value ------------------------------------------------------------


def _cleanup_command() -> str:
    found = [c for c in snakemake_commands(README) if "--delete-all-output" in c and "--dry-run" not in c]
    assert found, "README shows no clean-up command for the files of an old config"
    return found[0]


@pytest.mark.workflow
def test_readme_cleanup_removes_the_old_pulse_files_and_nothing_else(tmp_path):
    """Item 6: a changed pulse width leaves the old pulse's files; the README's command removes them."""
    old = {b: {"enabled": False} for b in ("plasma", "escatter", "halpha", "xfh")}
    old["trxs"] = {"pulse": {"fwhm_ps": [100]}}
    command = shlex.split(_cleanup_command())
    configfile = command[command.index("--configfile") + 1]
    (tmp_path / configfile).write_text(yaml.safe_dump(old))
    stale = ["results/trxs/convolved/fwhm-100ps.nc", "results/trxs/instantaneous.nc", "results/config.yaml"]
    kept = ["results/trxs/convolved/fwhm-200ps.nc", "results/notes.txt"]
    for rel in stale + kept:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("")
    args = [str(BIN / "snakemake"), "-s", str(ROOT / "Snakefile"), *command[1:]]
    args[args.index("--configfile") + 1 : args.index("--configfile") + 1] = [str(TEST_CONFIG)]
    proc = subprocess.run(args, cwd=tmp_path, capture_output=True, text=True, env=snakemake_env(), timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert [r for r in stale if (tmp_path / r).exists()] == []
    assert all((tmp_path / r).exists() for r in kept)
