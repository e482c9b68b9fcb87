"""MD of one binary ionic mixture: schedule, LAMMPS input, and the run → per-species VACFs.

Runs go through :func:`kineticflow.plasma.md.run.run_md`, the run function of the OCP and Yukawa
runs (same protocol, dumps, quality checks and error messages). The Green–Kubo step is a rule of
its own (:mod:`kineticflow.plasma.mixtures.diffusion`), so changing the tail correction does not
rerun MD. Units: see :mod:`kineticflow.plasma.mixtures.formulas`.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from typing import Any

import numpy as np
import xarray as xr

from kineticflow.core.attrs import variable
from kineticflow.plasma.instrument import Trajectory
from kineticflow.plasma.md.correlations import current_autocorr, particle_groups, vacf
from kineticflow.plasma.md.lammps_run import performance
from kineticflow.plasma.md.protocol import equilibrate_and_sample
from kineticflow.plasma.md.run import MDRun, run_md
from kineticflow.plasma.md.schedule import MDSchedule, md_schedule, pair_cutoff
from kineticflow.plasma.mixtures.formulas import (
    Mixture,
    mixture_coupling,
    species_counts,
    temperature,
    units_factor,
)
from kineticflow.plasma.ocp.reference import estimate_d_star


def mixture_schedule(mix: Mixture, gamma: float, md: Mapping[str, Any]) -> MDSchedule:
    """Time step and run lengths: :func:`kineticflow.plasma.md.schedule.md_schedule` adapted to two species.

    The velocity relaxation time of species j, τ_j = m_j D_j/k_BT, grows with its mass: the
    production run and the correlation window are lengthened by f = max(m₁, m₂)/m₁ (D_j ≈ D_OCP
    for sizing), while sampling stays fine enough for species 1. The step is shortened by
    min(1, min_j √(m_j/m₁) Z₁/Z_j) for light or highly charged species. Times are in the OCP
    unit 1/√3 of :mod:`kineticflow.plasma.md` (= 1/ω_{p,1} for isotopic mixtures with Z₁ = m₁ = 1).

    Parameters
    ----------
    mix : Mixture
        Charges, masses and x₂.
    gamma : float
        BIM coupling Γ > 0.
    md : mapping
        MD settings (``plasma.mixtures.md`` merged over ``plasma.md``).

    Returns
    -------
    MDSchedule
        Sized with the OCP's D*(Γ) (:func:`kineticflow.plasma.ocp.reference.estimate_d_star`, κ = 0).

    Raises
    ------
    ValueError
        If Γ ≤ 0.
    """
    f = max(mix.m1, mix.m2) / mix.m1
    s = min(1.0, min(math.sqrt(m / mix.m1) * mix.z1 / z for m, z in ((mix.m1, mix.z1), (mix.m2, mix.z2))))
    eff = dict(md)
    eff["dt_wp"] = md["dt_wp"] * s
    eff["production_tau"] = md["production_tau"] * f
    eff["lag_tau"] = md["lag_tau"] * f
    eff["production_min_wp"] = md["production_min_wp"] * s  # keep the minimum as a step count
    return md_schedule(gamma, eff, estimate_d_star(gamma, 0.0))


def mixture_lammps_input(
    *,
    mix: Mixture,
    gamma: float,
    seed: int,
    n_particles: int,
    schedule: MDSchedule,
    md: Mapping[str, Any],
    vel_file: str = "vel.bin",
) -> str:
    """LAMMPS input of one BIM run (Coulomb, κ = 0: ``coul/long`` + ``pppm``, neutralising background).

    Atom type j is species j, with ``mass j m_j`` and charge Z_j; species 1 gets ids 1..N₁ and
    species 2 ids N₁+1..N (two ``create_atoms random`` commands, exact counts). Langevin
    equilibration at k_BT = ⟨Z^{5/3}⟩/Γ, rescale to the canonical mean energy, NVE production
    with a velocity dump ``id vx vy vz`` every ``dump_every`` steps (as :func:`kineticflow.plasma.ocp.md.lammps_input`;
    binary if ``vel_file`` ends in ``.bin``).

    Returns
    -------
    str
        The input script; its velocity dump is the trajectory of :mod:`kineticflow.plasma.instrument`.
    """
    n1, n2 = species_counts(n_particles, mix.x2)
    kt = temperature(mix, gamma)
    rc = pair_cutoff(0.0, {**md, "n_particles": n_particles})  # Coulomb: cutoff, at most half the box
    c = mixture_coupling(mix.z1, mix.z2, mix.x2)
    return f"""# kineticflow: binary ionic mixture '{mix.name}', Gamma = {gamma:g}, seed = {seed}
# Daligault, PRL 108, 225004 (2012), Eqs 5-6. Reduced units: a = 1 (Wigner-Seitz radius of the
# mixture, n = 3/(4 pi)), e = 1, masses as given (m1 = {mix.m1:g}), k_B T = <Z^5/3>/Gamma,
# <Z^5/3> = {c["z53"]:.6g}; species 1: Z = {mix.z1:g}, m = {mix.m1:g}, N1 = {n1}; species 2: Z = {mix.z2:g}, m = {mix.m2:g}, N2 = {n2}.
# Rerun by hand:  mpirun -np 2 lmp -in <this file>
units           lj
atom_style      charge
boundary        p p p
atom_modify     map array

variable        N      equal {n_particles}
variable        Gamma  equal {gamma:.10g}
variable        T      equal {kt:.12g}
variable        L      equal (4.0*PI*v_N/3.0)^(1.0/3.0)
variable        seed   equal {seed}

region          box block 0 ${{L}} 0 ${{L}} 0 ${{L}}
create_box      2 box
create_atoms    1 random {n1} ${{seed}} box overlap {md["overlap"]:g} maxtry 200
create_atoms    2 random {n2} {seed + 7919} box overlap {md["overlap"]:g} maxtry 200
mass            1 {mix.m1:.10g}
mass            2 {mix.m2:.10g}
set             type 1 charge {mix.z1:.10g}
set             type 2 charge {mix.z2:.10g}

# Coulomb BIM: real-space Ewald part + PPPM; LAMMPS adds the uniform neutralising background.
pair_style      coul/long {rc:.6g}
pair_coeff      * *
kspace_style    pppm {md["pppm_accuracy"]:g}
{equilibrate_and_sample(schedule, md)}# (a file name ending in .bin: LAMMPS binary dump, read by kineticflow.plasma.md.read_dump)
dump            vel all custom {schedule.dump_every} {vel_file} id vx vy vz
{"" if vel_file.endswith(".bin") else "dump_modify     vel format float %.8g" + chr(10)}run             {schedule.n_production}
"""


def _block_vacf(
    v: np.ndarray, n_lags: int, n_blocks: int, rng: np.random.Generator, workers: int
) -> tuple[np.ndarray, np.ndarray]:
    """VACF of one species (mean, shape (lag,)) and of disjoint random particle groups (block, lag)."""
    n = v.shape[1]
    groups = particle_groups(n, max(2, n_blocks), rng)
    blocks = vacf(v, n_lags, groups, workers=workers).T
    return np.array([len(g) for g in groups]) / n @ blocks, blocks


def simulate_mixture(
    mix: Mixture,
    gamma: float,
    seed: int,
    md: Mapping[str, Any],
    threads: int = 1,
    workdir: str | os.PathLike[str] | None = None,
) -> xr.Dataset:
    """Run one BIM simulation with LAMMPS and return the per-species VACFs.

    Parameters
    ----------
    mix : Mixture
        Charges, masses and x₂.
    gamma : float
        BIM coupling Γ = ⟨Z^{5/3}⟩e²/(a k_BT) > 0.
    seed : int
        LAMMPS seed (also the seed of the particle groups).
    md : mapping
        MD settings with the keys of the ``plasma.md`` config section (``plasma.mixtures.md``
        overrides merged over ``plasma.md``, :func:`kineticflow.plasma.mixtures.config.mixture_md`).
    threads : int
        MPI ranks.
    workdir : path, optional
        Folder for the temporary LAMMPS files.

    Returns
    -------
    xarray.Dataset
        ``vacf_1(lag)``, ``vacf_2(lag)`` [(a₁ω_{p,1})²], ``vacf_1_block(block_1, lag)``,
        ``vacf_2_block(block_2, lag)``, the interdiffusion-current autocorrelation; per-species
        kinetic temperatures, ``temperature_mean``, ``gamma_measured`` = ⟨Z^{5/3}⟩/⟨k_BT⟩,
        ``energy_drift`` [k_BT per particle], ``n_lost``; thermo series on ``md_time``. ``lag``
        and ``md_time`` in 1/ω_{p,1}. The diffusion coefficients are computed from it by
        :func:`kineticflow.plasma.mixtures.diffusion.mixture_run_diffusion`.

    Raises
    ------
    MDError
        LAMMPS missing or failing.
    MDQualityError
        A truncated dump, energy drift, lost atoms or temperature beyond the ``md`` limits
        (as :func:`kineticflow.plasma.ocp.md.simulate_md`; the message names ``plasma.mixtures.md``).
    """
    n = int(md["n_particles"])
    sched = mixture_schedule(mix, gamma, md)
    text = mixture_lammps_input(mix=mix, gamma=gamma, seed=seed, n_particles=n, schedule=sched, md=md)
    u = units_factor(mix)
    where = f"mixture {mix.name}, Gamma = {gamma:g}, seed = {seed}"
    run = run_md(text, n_particles=n, dumps=("vel.bin",), kt=temperature(mix, gamma), omega_p=u["omega_p1"], md=md,
                 where=where, section="plasma.mixtures.md", threads=threads, workdir=workdir)  # fmt: skip
    traj = Trajectory(run.dumps["vel.bin"], sched.dt, sched.dump_every, u["omega_p1"], length_unit=u["a1"])
    ds = _mixture_dataset(mix, run, traj, min(sched.n_lags, traj.n_frames), md, seed, threads)
    ds.attrs.update({**mix.attrs(), **_run_attrs(mix, gamma, seed, n, threads, sched)})
    ds.attrs.update({"wall_seconds": run.wall, "atom_steps_per_second": performance(run.log),
                     "lammps_input": text, "lammps_log": run.log})  # fmt: skip
    return ds


def _run_attrs(mix: Mixture, gamma: float, seed: int, n: int, threads: int, sched: MDSchedule) -> dict[str, Any]:
    """The state point, the unit scales and the schedule of one mixture run, as netCDF attributes."""
    n1, n2 = species_counts(n, mix.x2)
    u = units_factor(mix)
    return {
        "gamma": float(gamma),
        "seed": int(seed),
        "n_particles": n,
        "n_1": n1,
        "n_2": n2,
        "threads": int(threads),
        "a1": u["a1"],
        "omega_p1": u["omega_p1"],
        "omega_p": u["omega_p"],
        "dt": sched.dt,
        "n_equilibrate": sched.n_equilibrate,
        "n_production": sched.n_production,
        "dump_every": sched.dump_every,
        "production_wp1": sched.n_production * sched.dt * u["omega_p1"],
        "description": "D in a1^2 omega_p1 (Table II); a = 1, e = 1, m1 as given, k_B T = <Z^5/3>/Gamma",
    }


def _species_correlations(
    mix: Mixture, traj: Trajectory, n_lags: int, md: Mapping[str, Any], seed: int, threads: int
) -> dict[str, np.ndarray]:
    """Per-species VACFs (mean and particle groups) and the interdiffusion-current autocorrelation."""
    n1 = species_counts(traj.n_particles, mix.x2)[0]
    v = traj.reduced_velocities()  # a₁ ω_{p,1}
    rng = np.random.default_rng(seed)  # one stream: species 1's groups, then species 2's
    c1, b1 = _block_vacf(v[:, :n1], n_lags, int(md["n_blocks"]), rng, threads)
    c2, b2 = _block_vacf(v[:, n1:], n_lags, int(md["n_blocks"]), rng, threads)
    j_acf, j_blocks = current_autocorr(interdiffusion_current(v, n1), n_lags, int(md["n_blocks"]), threads)
    return {"vacf_1": c1, "vacf_2": c2, "vacf_1_block": b1, "vacf_2_block": b2, "interdiffusion_acf": j_acf,
            "interdiffusion_acf_block": j_blocks}  # fmt: skip


#: Correlation variables of a mixture run: name -> (dims, long_name); units (a₁ω_{p,1})².
CORRELATIONS = {
    "vacf_1": (("lag",), "VACF <v(t).v(0)> of species 1"),
    "vacf_2": (("lag",), "VACF <v(t).v(0)> of species 2"),
    "vacf_1_block": (("block_1", "lag"), "VACF of disjoint groups of species 1"),
    "vacf_2_block": (("block_2", "lag"), "VACF of disjoint groups of species 2"),
    "interdiffusion_acf": (("lag",), "autocorrelation <J(t).J(0)> of the interdiffusion current J = x2 J1 - x1 J2"),
    "interdiffusion_acf_block": (
        ("time_block", "lag"),
        "interdiffusion-current autocorrelation of contiguous time blocks",
    ),
}


def _mixture_dataset(
    mix: Mixture, run: MDRun, traj: Trajectory, n_lags: int, md: Mapping[str, Any], seed: int, threads: int
) -> xr.Dataset:
    """Per-species VACFs, kinetic temperatures and the thermo series of one mixture run."""
    vel = traj.velocities
    n1 = species_counts(traj.n_particles, mix.x2)[0]
    prod = run.prod
    temp1 = float(mix.m1 * (vel[:, :n1] ** 2).sum(axis=-1).mean() / 3.0)
    temp2 = float(mix.m2 * (vel[:, n1:] ** 2).sum(axis=-1).mean() / 3.0)
    corr = _species_correlations(mix, traj, n_lags, md, seed, threads)
    data = {
        k: variable(corr[k], dims, units="a1^2 omega_p1^2", long_name=long) for k, (dims, long) in CORRELATIONS.items()
    }

    def series(name: str, units: str, long: str) -> xr.DataArray:
        return variable(prod[name], "md_time", units=units, long_name=long)

    z53 = mixture_coupling(mix.z1, mix.z2, mix.x2)["z53"]
    data.update(
        {
            "temperature": series("Temp", "e^2/(a k_B)", "instantaneous temperature k_B T"),
            "potential_energy": series("PotEng", "e^2/a", "potential energy per particle (with background)"),
            "total_energy": series("TotEng", "e^2/a", "total energy per particle"),
            "temperature_1": variable(
                temp1, units="e^2/(a k_B)", long_name="kinetic temperature m1 <v^2>/3 of species 1"
            ),
            "temperature_2": variable(
                temp2, units="e^2/(a k_B)", long_name="kinetic temperature m2 <v^2>/3 of species 2"
            ),
            "temperature_mean": variable(
                run.t_mean, units="e^2/(a k_B)", long_name="mean temperature over the NVE run"
            ),
            "gamma_measured": variable(
                z53 / run.t_mean, units="1", long_name="coupling <Z^5/3>/<k_B T> from the mean NVE temperature"
            ),
            "energy_drift": variable(
                run.drift, units="k_B T", long_name="total-energy drift over the NVE run, per particle"
            ),
            "n_lost": variable(run.n_lost, units="1", long_name="atoms lost"),
        }
    )
    coords = {
        "lag": variable(traj.lags(n_lags), "lag", units="1/omega_p1", long_name="correlation lag t omega_p1"),
        "md_time": variable(
            prod["Time"] * traj.omega_p, "md_time", units="1/omega_p1", long_name="time of the NVE run t omega_p1"
        ),
    }
    return xr.Dataset(data, coords=coords)


def interdiffusion_current(v: np.ndarray, n1: int) -> np.ndarray:
    """Interdiffusion (concentration) current J = x₂ Σ_{i∈1} v_i − x₁ Σ_{i∈2} v_i of a binary mixture.

    Parameters
    ----------
    v : ndarray, shape (n_frames, N, 3)
        Velocities; species 1 are the first ``n1`` particles.
    n1 : int
        Number of species-1 particles (x₁ = n1/N).

    Returns
    -------
    ndarray, shape (n_frames, 3)
        J in the units of ``v`` (Hansen & McDonald, *Theory of Simple Liquids*, §8.2).
    """
    n = v.shape[1]
    return (n - n1) / n * v[:, :n1].sum(axis=1) - n1 / n * v[:, n1:].sum(axis=1)
