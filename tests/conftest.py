"""Shared fixtures: one run of the whole workflow on the small test config per session."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TEST_CONFIG = ROOT / "config" / "test.yaml"
BIN = Path(sys.executable).parent

# plasma.md of the tiny MD runs in the tests (N = 100, one MPI rank, seconds each); test files
# override the run lengths they need with dict(TINY_MD, key=value)
TINY_MD = {
    "n_particles": 100,
    "threads": 1,
    "dt_wp": 0.05,
    "dt_gamma_power": 1.0,
    "equilibrate_wp": 100.0,
    "equilibrate_diffusion_times": 0.0,
    "thermostat_damp_wp": 2.0,
    "production_min_wp": 40.0,
    "production_tau": 3.0,
    "lag_min_wp": 10.0,
    "lag_tau": 2.0,
    "sample_wp": 0.25,
    "msd_every": 10,
    "cutoff": 6.0,
    "kappa_cutoff": 12.0,
    "pppm_accuracy": 1e-4,
    "skin": 0.5,
    "overlap": 0.3,
    "thermo_points": 50,
    "n_blocks": 4,
    "max_energy_drift": 0.02,
    "max_lost_atoms": 0,
    "max_temperature_error": 0.1,
    "runtime_min": 10,
}


def snakemake_env() -> dict[str, str]:
    """Environment for a Snakemake subprocess: the venv first on PATH, its lib for MPI."""
    env = dict(os.environ)
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    env["LD_LIBRARY_PATH"] = f"{BIN.parent / 'lib'}{os.pathsep}{env.get('LD_LIBRARY_PATH', '')}"
    env["MPLBACKEND"] = "Agg"
    return env


def run_snakemake(workdir: Path, *args: str, check: bool = True, timeout: int = 1200) -> subprocess.CompletedProcess:
    """Run the project's Snakefile in ``workdir`` with the test config and extra arguments."""
    cmd = [
        str(BIN / "snakemake"),
        "-s",
        str(ROOT / "Snakefile"),
        "--directory",
        str(workdir),
        "--configfile",
        str(TEST_CONFIG),
        "--cores",
        "2",
        *args,
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=snakemake_env(), timeout=timeout)
    if check and proc.returncode != 0:
        raise AssertionError(f"snakemake failed ({proc.returncode}):\n{proc.stdout[-4000:]}\n{proc.stderr[-6000:]}")
    return proc


@pytest.fixture(scope="session")
def workflow_run(tmp_path_factory) -> Path:
    """Run every rule of the workflow once on config/test.yaml in a temporary folder."""
    workdir = tmp_path_factory.mktemp("workflow")
    run_snakemake(workdir)
    return workdir


@pytest.fixture(scope="session")
def workflow_report(workflow_run: Path) -> Path:
    """The Snakemake HTML report built from the session's workflow run."""
    report = workflow_run / "results" / "report.html"
    run_snakemake(workflow_run, "--report", str(report))
    return report


def pytest_sessionfinish(session, exitstatus):  # pragma: no cover - housekeeping
    shutil.rmtree(ROOT / ".snakemake" / "tmp", ignore_errors=True)
