"""The Snakemake catalog's standardized usage: snakefmt, `snakemake --lint`, one conda env per
rule from envs/, resources on every rule, the catalog file, config docs, and the profiles."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
import yaml
from conftest import BIN, ROOT, snakemake_env

from kineticflow.config import load_schema

RULE_FILES = sorted((ROOT / "workflow" / "rules").glob("*.smk"))
SNAKEFILES = [ROOT / "Snakefile", *RULE_FILES]


def _rel(path: Path) -> str:
    return str(path.relative_to(ROOT))


@pytest.mark.parametrize("path", SNAKEFILES, ids=_rel)
def test_snakefmt_clean(path):
    proc = subprocess.run(
        [str(BIN / "snakefmt"), "--check", str(path)],
        capture_output=True,
        text=True,
        env=snakemake_env(),
        timeout=120,
    )
    assert proc.returncode == 0, (
        f"snakefmt would reformat {_rel(path)}; run: snakefmt {_rel(path)}\n{proc.stderr[-2000:]}"
    )


def parse_lints(text: str) -> list[str]:
    """'Lints for <where>:' headers and their '* <title>' items -> ['<where>: <title>', ...]."""
    lints, where = [], None
    for line in text.splitlines():
        header = re.match(r"^Lints for (.+):\s*$", line)
        if header:
            where = header.group(1).replace(str(ROOT) + "/", "")
            continue
        item = re.match(r"^\s+\* (.+?):?\s*$", line)
        if item and where:
            lints.append(f"{where}: {item.group(1)}")
    return lints


def test_parse_lints():
    text = (
        f"Lints for snakefile {ROOT}/workflow/rules/x.smk:\n"
        "    * Mixed rules and functions in same snakefile.:\n"
        "      Small one-liner functions used only once should be defined as lambda\n"
        "\n"
        "Lints for rule r (line 5, x.smk):\n"
        "    * No log directive defined:\n"
    )
    assert parse_lints(text) == [
        "snakefile workflow/rules/x.smk: Mixed rules and functions in same snakefile.",
        "rule r (line 5, x.smk): No log directive defined",
    ]


def test_snakemake_lint_clean(tmp_path):
    proc = subprocess.run(
        [str(BIN / "snakemake"), "-s", str(ROOT / "Snakefile"), "--directory", str(tmp_path), "--lint"],
        capture_output=True,
        text=True,
        env=snakemake_env(),
        timeout=300,
    )
    output = proc.stdout + proc.stderr
    lints = parse_lints(output)
    assert not lints, "snakemake --lint:\n  " + "\n  ".join(lints)
    assert proc.returncode == 0, output[-3000:]


def rule_blocks(path: Path) -> dict[str, str]:
    """Rule name -> text of its body (up to the next top-level statement)."""
    text = path.read_text()
    blocks = {}
    for match in re.finditer(r"^rule (\w+):\n((?:[ \t]+.*\n|\n)*)", text, flags=re.M):
        blocks[match.group(1)] = match.group(2)
    return blocks


ALL_RULES = [(path, name, body) for path in RULE_FILES for name, body in rule_blocks(path).items()]


def test_rules_found():
    assert len(ALL_RULES) >= 10


@pytest.mark.parametrize("path,name,body", ALL_RULES, ids=[f"{p.stem}:{n}" for p, n, _ in ALL_RULES])
def test_rule_declares_threads_resources_and_env(path, name, body):
    where = f"rule {name} in {_rel(path)}"
    assert re.search(r"^\s+threads:", body, re.M), f"{where}: no threads"
    resources = re.search(r"^(\s+)resources:\n((?:\1\s+.*\n)+)", body, re.M)
    assert resources, f"{where}: no resources"
    for key in ("mem_mb", "runtime"):
        assert re.search(rf"^\s+{key}=", resources.group(2), re.M), f"{where}: no resources.{key}"
    conda = re.search(r"^\s+conda:\n\s+(.+)$", body, re.M)
    assert conda, f"{where}: no conda env"
    env = conda.group(1).strip()
    assert env == "ENV" or re.fullmatch(r"\"\.\./\.\./envs/[\w.-]+\.yaml\"", env), (
        f"{where}: conda env {env} is not a file of envs/"
    )
    if env != "ENV":
        assert (ROOT / "envs" / Path(env.strip('"')).name).exists()


def test_common_env_is_in_envs():
    common = (ROOT / "workflow" / "rules" / "common.smk").read_text()
    env = re.search(r'^ENV = "(.+)"', common, re.M).group(1)
    assert (ROOT / "workflow" / "rules" / env).resolve() == (ROOT / "envs" / "kineticflow.yaml")


def test_catalog_file():
    catalog = yaml.safe_load((ROOT / ".snakemake-workflow-catalog.yml").read_text())
    usage = catalog["usage"]
    assert usage["software-stack-deployment"]["conda"] is True
    assert usage["report"] is True
    assert usage["mandatory-flags"]["desc"]


def test_config_is_documented_and_schema_validated():
    readme = (ROOT / "config" / "README.md").read_text()
    schema = load_schema(ROOT / "workflow" / "schemas" / "config.schema.yaml")
    assert "$schema" in schema or "properties" in schema
    common = (ROOT / "workflow" / "rules" / "common.smk").read_text()
    assert re.search(r"validate\(\s*config,\s*SCHEMA", common)
    for section in schema["properties"]:
        assert section in readme, f"config section {section} not documented in config/README.md"


def test_readme_documents_report_and_cluster():
    readme = (ROOT / "README.md").read_text()
    assert "--report" in readme
    assert "## Running on a cluster" in readme
    assert "--workflow-profile workflow/profiles/slurm" in readme


def test_profiles():
    default = yaml.safe_load((ROOT / "workflow/profiles/default/config.yaml").read_text())
    assert default["cores"] >= 1
    text = (ROOT / "workflow/profiles/slurm/config.yaml").read_text()
    slurm = yaml.safe_load(text)
    assert slurm["executor"] == "slurm"
    assert int(slurm["jobs"]) >= 1
    assert {"mem_mb", "runtime"} <= set(slurm["default-resources"])
    for key in ("slurm_partition", "slurm_account"):
        assert re.search(rf"^\s*#\s*{key}:", text, re.M), f"no commented {key} in the SLURM profile"


def test_slurm_profile_parses(tmp_path):
    """The SLURM profile is accepted by Snakemake and the plugin (dry run: nothing submitted)."""
    proc = subprocess.run(
        [
            str(BIN / "snakemake"),
            "-s",
            str(ROOT / "Snakefile"),
            "--directory",
            str(tmp_path),
            "--configfile",
            str(ROOT / "config" / "test.yaml"),
            "--workflow-profile",
            str(ROOT / "workflow/profiles/slurm"),
            "--dry-run",
        ],
        capture_output=True,
        text=True,
        env=snakemake_env(),
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-3000:]
    assert "This was a dry-run" in proc.stdout + proc.stderr
