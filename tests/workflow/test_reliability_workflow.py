"""Issue 7 end to end: killed runs resume to identical results, reruns are reproducible,
a changed config value reruns only what depends on it, bad files stop the right job.

One uninterrupted reference run on config/test.yaml serves every test of this module; the tests
run the TRXS chain for two pulses (simulate_trxs -> 2 x observe_trxs, one job per width with
its jitter averages and measurements -> 1 x invert_fourier for every width and jitter).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import time
from pathlib import Path

import numpy as np
import psutil
import pytest
import xarray as xr
import yaml
from conftest import BIN, ROOT, TEST_CONFIG, run_snakemake, snakemake_env

pytestmark = pytest.mark.workflow

TARGETS = [
    "results/trxs/inverted/fwhm-100ps_jitter-0.2.nc",
    "results/trxs/inverted/fwhm-1000ps_jitter-0.2.nc",
]
RESULTS = [
    "results/trxs/instantaneous.nc",
    "results/trxs/convolved/fwhm-100ps.nc",
    "results/trxs/convolved/fwhm-1000ps.nc",
    "results/trxs/jitter/fwhm-100ps_jitter-0.2.nc",
    "results/trxs/jitter/fwhm-1000ps_jitter-0.2.nc",
    *TARGETS,
]


@pytest.fixture(scope="module")
def reference(request, tmp_path_factory) -> Path:
    """An uninterrupted run. In a session that builds the whole test workflow anyway (conftest's
    ``workflow_run``, only read by its tests) that run is used; otherwise just the TRXS chain."""
    others = [i for i in request.session.items if getattr(i, "module", None) is not request.module]
    if any("workflow_run" in getattr(i, "fixturenames", ()) for i in others):
        return request.getfixturevalue("workflow_run")
    workdir = tmp_path_factory.mktemp("reference")
    run_snakemake(workdir, *TARGETS)
    return workdir


def load(path: Path) -> xr.Dataset:
    with xr.open_dataset(path) as ds:
        return ds.load()


def assert_same_results(a: Path, b: Path) -> None:
    """Every result file identical: data variables, coordinates and attributes (no timestamps there)."""
    for rel in RESULTS:
        xr.testing.assert_identical(load(a / rel), load(b / rel))


# --- interruption -------------------------------------------------------------------------


def _started(workdir: Path, pattern: str) -> bool:
    return any(workdir.glob(pattern))


def _job_process(pid: int, script: str) -> bool:
    """A job of the Snakemake process ``pid`` runs ``script`` (Snakemake runs a copy named after it)."""
    try:
        children = psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return False
    for child in children:
        try:
            if any(script in part for part in child.cmdline()):
                return True
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    return False


# Kill points, in the order a run reaches them: (name, condition on (workdir, Snakemake pid),
# seconds to wait after it so that a job is mid-way). The run is killed at the first, resumed,
# killed again at the next, ... The inversion job is short (~0.1 s after its imports), so it is
# killed as soon as its process exists, while it still imports.
KILL_POINTS = [
    ("during simulate_trxs", lambda w, pid: _started(w, "results/logs/trxs/simulate_trxs.log"), 0.3),
    ("during observe_trxs", lambda w, pid: _started(w, "results/logs/trxs/observe_trxs/*.log"), 0.5),
    ("during invert_fourier", lambda w, pid: _job_process(pid, "invert_fourier"), 0.0),
]


def _kill_tree(proc: subprocess.Popen) -> list[psutil.Process]:
    """SIGKILL Snakemake and every job it started (its process group and any descendant)."""
    try:
        family = psutil.Process(proc.pid).children(recursive=True)
    except psutil.NoSuchProcess:
        family = []
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    for p in family:
        try:
            p.kill()
        except psutil.NoSuchProcess:
            pass
    proc.wait(timeout=30)
    _, alive = psutil.wait_procs(family, timeout=30)
    return alive


def _command(workdir: Path, *args: str) -> list[str]:
    return [
        str(BIN / "snakemake"),
        "-s",
        str(ROOT / "Snakefile"),
        "--directory",
        str(workdir),
        "--configfile",
        str(TEST_CONFIG),
        "--cores",
        "2",
        *TARGETS,
        *args,
    ]


def test_killed_runs_resume_to_the_uninterrupted_results(tmp_path, reference):
    """SIGKILL at three points (each resumed run killed again), then finish: results identical."""
    killed_jobs = []
    for i, (name, condition, delay) in enumerate(KILL_POINTS):
        if i:  # the killed Snakemake left its lock behind; what `snakemake --unlock` removes
            shutil.rmtree(tmp_path / ".snakemake" / "locks")
        with open(tmp_path / f"attempt-{i}.out", "w") as out:
            proc = subprocess.Popen(
                _command(tmp_path, "--rerun-incomplete"),
                stdout=out,
                stderr=subprocess.STDOUT,
                env=snakemake_env(),
                start_new_session=True,
            )
            deadline = time.monotonic() + 300
            while not condition(tmp_path, proc.pid) and proc.poll() is None and time.monotonic() < deadline:
                time.sleep(0.05)
            time.sleep(delay)
            assert proc.poll() is None, (
                f"the run ended before the kill point '{name}':\n{(tmp_path / f'attempt-{i}.out').read_text()[-3000:]}"
            )
            killed_jobs += [p.name() for p in psutil.Process(proc.pid).children(recursive=True) if p.is_running()]
            alive = _kill_tree(proc)
        assert not alive, f"processes survived the kill at '{name}': {alive}"
        # whatever exists under a final name is a complete, readable file (written, then renamed)
        for rel in RESULTS:
            if (tmp_path / rel).exists():
                load(tmp_path / rel)
        assert not all((tmp_path / t).exists() for t in TARGETS), f"the run was complete at '{name}'"
    assert killed_jobs, "no job was running at any kill point"

    run_snakemake(tmp_path, "--unlock")
    run_snakemake(tmp_path, *TARGETS, "--rerun-incomplete")
    assert_same_results(reference, tmp_path)


# --- reproducibility and what reruns after a config change ---------------------------


def test_seed_is_recorded_in_the_jitter_results(reference):
    cfg = yaml.safe_load((ROOT / "config" / "config.yaml").read_text())
    base = yaml.safe_load(TEST_CONFIG.read_text())["trxs"]["jitter"].get("seed", cfg["trxs"]["jitter"]["seed"])
    seeds = set()
    files = sorted((reference / "results/trxs/jitter").glob("*.nc"))
    for f in files:
        ds = load(f)
        assert "seed" in ds.attrs and int(ds.attrs["n_shots"]) == 200
        assert int(ds.attrs["jitter.seed"]) == base and int(ds.attrs["jitter.n_shots"]) == 200  # the config values
        seeds.add(int(ds.attrs["seed"]))
        # the Monte-Carlo seed is derived from trxs.jitter.seed and the wildcards only
        assert int(ds.attrs["seed"]) == base + int(round(1000 * ds.attrs["jitter_fraction"])) * 7919 + int(
            round(ds.attrs["fwhm_ps"])
        )
    assert len(files) >= 2 and len(seeds) == len(files)  # one Monte-Carlo seed per (pulse, jitter)


def jobs_scheduled(workdir: Path, *args: str) -> dict[str, int]:
    """Rule -> number of jobs of a dry run (from Snakemake's 'Job stats' table)."""
    proc = run_snakemake(workdir, *TARGETS, "--dry-run", *args)
    if "Nothing to be done" in proc.stdout + proc.stderr:
        return {}
    text = proc.stdout + proc.stderr
    table = text[text.index("Job stats:") :]
    counts = {}
    for line in table.splitlines()[3:]:
        m = re.match(r"^(\w+)\s+(\d+)$", line.strip())
        if not m:
            break
        counts[m.group(1)] = int(m.group(2))
    counts.pop("total", None)
    return counts


CHANGES = [
    # (config section, key, new value, the jobs a dry run must schedule; nothing else)
    ("inversion", "damping_a2", 0.05, {"invert_fourier": 1}),
    ("jitter", "n_shots", 150, {"observe_trxs": 2, "invert_fourier": 1}),
    ("jitter", "seed", 7, {"observe_trxs": 2, "invert_fourier": 1}),
    ("delays", "tau_step_ps", 100.0, {"observe_trxs": 2, "invert_fourier": 1}),
    ("model", "tau_r_ps", 120.0, {"simulate_trxs": 1, "observe_trxs": 2, "invert_fourier": 1}),
    # a new pulse width or jitter fraction: the existing results stay valid (Snakemake reruns a
    # job for the outputs requested; a full run, which requests the new files too, reruns the
    # batched jobs of the widths concerned and the single invert_fourier job)
    ("pulse", "fwhm_ps", [100, 1000, 300], {}),
    ("jitter", "fractions", [0, 0.2, 0.5, 0.3], {}),
]


@pytest.fixture(scope="module")
def dry_runs(reference, tmp_path_factory) -> dict:
    """Dry runs on the finished reference run: unchanged config, then one changed value each.

    They only read the folder, so they run concurrently. A second --configfile flag would
    replace the first, so the test config and the change go into one flag.
    """
    from concurrent.futures import ThreadPoolExecutor

    folder = tmp_path_factory.mktemp("changes")
    args = {None: []}
    for section, key, value, _ in CHANGES:
        f = folder / f"{section}-{key}.yaml"
        f.write_text(yaml.safe_dump({"trxs": {section: {key: value}}}))
        args[f"{section}.{key}"] = ["--configfile", str(TEST_CONFIG), str(f)]
    with ThreadPoolExecutor(max_workers=len(args)) as pool:
        futures = {k: pool.submit(jobs_scheduled, reference, *a) for k, a in args.items()}
        return {k: f.result() for k, f in futures.items()}


def test_unchanged_config_reruns_nothing(dry_runs):
    assert dry_runs[None] == {}


@pytest.mark.parametrize("section,key,value,expected", CHANGES, ids=[f"{c[0]}.{c[1]}" for c in CHANGES])
def test_changed_value_reruns_only_the_rules_that_depend_on_it(dry_runs, section, key, value, expected):
    assert dry_runs[f"{section}.{key}"] == expected


# --- bad intermediate files in a real run ------------------------------------------


def _copy(reference: Path, tmp_path: Path) -> Path:
    work = tmp_path / "run"
    shutil.copytree(reference, work, symlinks=True)
    shutil.rmtree(work / ".snakemake" / "locks", ignore_errors=True)
    return work


def test_truncated_intermediate_file_stops_the_job_naming_it(tmp_path, reference):
    work = _copy(reference, tmp_path)
    inst = work / "results/trxs/instantaneous.nc"
    data = inst.read_bytes()
    inst.write_bytes(data[: len(data) // 3])
    target = "results/trxs/convolved/fwhm-100ps.nc"
    proc = run_snakemake(work, target, "--forcerun", "observe_trxs", check=False)
    assert proc.returncode != 0
    assert "kineticflow: DataFileError: results/trxs/instantaneous.nc: not a readable netCDF file" in proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr
    log = (work / "results/logs/trxs/observe_trxs/fwhm-100ps.log").read_text()
    assert "results/trxs/instantaneous.nc" in log and "Traceback" in log
    assert not (work / target).exists()


def test_foreign_intermediate_file_stops_the_job_naming_it(tmp_path, reference):
    work = _copy(reference, tmp_path)
    jit = work / "results/trxs/jitter/fwhm-100ps_jitter-0.2.nc"
    xr.Dataset({"temperature": ("x", np.arange(4.0))}).to_netcdf(jit)
    target = "results/trxs/inverted/fwhm-100ps_jitter-0.2.nc"
    proc = run_snakemake(work, target, "--forcerun", "invert_fourier", check=False)
    assert proc.returncode != 0
    assert re.search(
        r"kineticflow: DataFileError: results/trxs/jitter/fwhm-100ps_jitter-0\.2\.nc: missing variable\(s\)",
        proc.stderr,
    )
    assert "Traceback" not in proc.stdout + proc.stderr
    assert not (work / target).exists()
