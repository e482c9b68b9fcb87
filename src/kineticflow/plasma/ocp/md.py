"""One OCP / Yukawa OCP simulation: schedule, LAMMPS input, run → multi-origin VACF and MSD per particle group.

Results are stored in plasma units: time in 1/ω_p, velocity in a ω_p, so that
D* = D/(a² ω_p) = (1/3) ∫ ⟨v(t)·v(0)⟩ d(t ω_p) directly (the Green–Kubo step is
:mod:`kineticflow.plasma.ocp.diffusion`, a rule of its own). The run goes through the shared
engine (:func:`kineticflow.plasma.md.run.run_md`); the sampled trajectory it delivers is the
branch's instrument (:mod:`kineticflow.plasma.instrument`).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

import numpy as np
import xarray as xr

from kineticflow.core.attrs import coord, variable
from kineticflow.plasma.instrument import Trajectory, correlate
from kineticflow.plasma.md.lammps_run import performance
from kineticflow.plasma.md.protocol import equilibrate_and_sample
from kineticflow.plasma.md.run import MDRun, run_md
from kineticflow.plasma.md.schedule import OMEGA_P, MDSchedule, box_length, md_schedule, pair_cutoff
from kineticflow.plasma.ocp.reference import estimate_d_star


def ocp_schedule(gamma: float, kappa: float, md: Mapping[str, Any]) -> MDSchedule:
    """Time step and run lengths of one OCP / Yukawa run, sized with D* of Table I's models.

    Parameters
    ----------
    gamma, kappa : float
        Coupling Γ > 0 and screening κ a ≥ 0.
    md : mapping
        The MD settings (keys of the ``plasma.md`` config section).

    Returns
    -------
    MDSchedule
        :func:`kineticflow.plasma.md.schedule.md_schedule` with D*_est =
        :func:`kineticflow.plasma.ocp.reference.estimate_d_star` (Γ, κ).

    Raises
    ------
    ValueError
        If Γ ≤ 0.
    """
    return md_schedule(gamma, md, estimate_d_star(gamma, kappa))


def _interaction(kappa: float, rc: float, md: Mapping[str, Any]) -> str:
    """The pair style lines: Coulomb + PPPM for κ = 0, truncated and shifted Yukawa for κ > 0.

    ``md["pair_shift"]`` false (a convergence check; absent means true) leaves the Yukawa
    potential truncated but not shifted at the cut-off.
    """
    if kappa == 0:
        return (
            "# Coulomb OCP: real-space Ewald part + PPPM; the net charge of the cell is\n"
            "# compensated by LAMMPS with a uniform neutralising background.\n"
            f"pair_style      coul/long {rc:.6g}\n"
            "pair_coeff      * *\n"
            f"kspace_style    pppm {md['pppm_accuracy']:g}\n"
        )
    if not md.get("pair_shift", True):  # convergence check only (config/plasma-convergence.yaml)
        return (
            "# Yukawa OCP: u(r) = q^2 exp(-kappa r)/r, truncated at the cut-off (not shifted)\n"
            f"pair_style      yukawa ${{kappa}} {rc:.6g}\n"
            "pair_coeff      * * 1.0\n"
        )
    return (
        "# Yukawa OCP: u(r) = q^2 exp(-kappa r)/r, truncated and shifted at the cut-off\n"
        f"pair_style      yukawa ${{kappa}} {rc:.6g}\n"
        "pair_coeff      * * 1.0\n"
        "pair_modify     shift yes\n"
    )


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
    """The LAMMPS input script of one OCP / Yukawa run, written to be read and rerun by hand.

    Parameters
    ----------
    gamma, kappa : float
        Coupling Γ = q²/(a k_B T) (k_B T = 1/Γ) and screening κ a: 0 is the OCP (``coul/long`` +
        ``pppm``, LAMMPS adds the neutralising background), > 0 the Yukawa OCP (``yukawa``).
    seed, n_particles : int
        Seed of positions, velocities and thermostat; number of ions N.
    schedule, md : MDSchedule, mapping
        Time step and run lengths (:func:`ocp_schedule`); ``plasma.md`` settings.
    vel_file, pos_file : str
        Velocity dump (every ``dump_every`` steps), unwrapped-position dump (``msd_every`` times rarer).

    Returns
    -------
    str
        The input script; its dumps are the trajectory (:mod:`kineticflow.plasma.instrument`).
    """
    rc = pair_cutoff(kappa, {**md, "n_particles": n_particles})
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

{_interaction(kappa, rc, md)}{equilibrate_and_sample(schedule, md)}# (a file name ending in .bin makes LAMMPS write the dump in its binary format: cheaper to
#  write and read; `tools/binary2txt` of LAMMPS converts it to text)
dump            vel all custom {schedule.dump_every} {vel_file} id vx vy vz
dump            pos all custom {schedule.dump_every * md["msd_every"]} {pos_file} id xu yu zu
run             {schedule.n_production}
"""


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
    kappa, gamma : float
        Screening κ a ≥ 0 (0: OCP) and coupling Γ > 0.
    seed : int
        Random seed of LAMMPS (positions, velocities, thermostat) and of the particle groups.
    md : mapping
        The ``plasma.md`` settings (N, time step, lengths, quality limits, ...); keys that are
        not physics (``threads``, ``runtime_min``) are ignored.
    threads : int
        MPI ranks given to LAMMPS (and threads of the FFTs).
    workdir : path, optional
        Folder for the temporary LAMMPS files (a temporary folder is created inside it).

    Returns
    -------
    xarray.Dataset
        ``vacf(lag)`` [a² ω_p²], ``vacf_block(block, lag)``, ``msd(lag)`` [a²], ``msd_block``,
        thermo series on ``md_time`` (temperature, potential, kinetic and total energy per
        particle, q²/a) and the scalars ``temperature_mean``, ``gamma_measured``,
        ``energy_drift``, ``n_lost``; ``lag`` and ``md_time`` in 1/ω_p. Attributes: the LAMMPS
        input, the schedule, the throughput and the log (``lammps_log``).

    Raises
    ------
    MDError
        LAMMPS missing or failing.
    MDQualityError
        Energy drift, lost atoms (also: a truncated dump) or a mean temperature beyond the
        ``md`` limits.
    """
    n = int(md["n_particles"])
    sched = ocp_schedule(gamma, kappa, md)
    text = lammps_input(gamma=gamma, kappa=kappa, seed=seed, n_particles=n, schedule=sched, md=md)
    where = f"kappa = {kappa:g}, Gamma = {gamma:g}, seed = {seed}"
    run = run_md(text, n_particles=n, dumps=("vel.bin", "pos.bin"), kt=1.0 / gamma, omega_p=OMEGA_P, md=md,
                 where=where, section="plasma.md", threads=threads, workdir=workdir)  # fmt: skip
    traj = Trajectory(run.dumps["vel.bin"], sched.dt, sched.dump_every, OMEGA_P,
                      positions=run.dumps["pos.bin"], position_every=int(md["msd_every"]))  # fmt: skip
    ds = _ocp_dataset(run, correlate(traj, sched.n_lags, int(md["n_blocks"]), seed, threads))
    ds.attrs.update(_run_attrs(kappa, gamma, seed, n, threads, sched))
    ds.attrs.update({"wall_seconds": run.wall, "atom_steps_per_second": performance(run.log),
                     "lammps_input": text, "lammps_log": run.log})  # fmt: skip
    return ds


def _run_attrs(kappa: float, gamma: float, seed: int, n: int, threads: int, sched: MDSchedule) -> dict[str, Any]:
    """The state point and the schedule of one run, as netCDF attributes."""
    return {
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
    }


def _ocp_dataset(run: MDRun, corr: Mapping[str, np.ndarray]) -> xr.Dataset:
    """The result dataset of one OCP / Yukawa run (correlations, thermo series, quality scalars)."""
    prod = run.prod

    def series(name: str, units: str, long: str) -> xr.DataArray:
        return variable(prod[name], "md_time", units=units, long_name=long)

    return xr.Dataset(
        {
            "vacf": variable(
                corr["vacf"], "lag", units="a^2 omega_p^2", long_name="velocity autocorrelation <v(t).v(0)>"
            ),
            "vacf_block": variable(
                corr["vacf_block"],
                ("block", "lag"),
                units="a^2 omega_p^2",
                long_name="VACF of disjoint particle groups",
            ),
            "msd": variable(corr["msd"], "lag", units="a^2", long_name="mean-square displacement"),
            "msd_block": variable(
                corr["msd_block"], ("block", "lag"), units="a^2", long_name="MSD of disjoint particle groups"
            ),
            "temperature": series("Temp", "q^2/(a k_B)", "instantaneous temperature k_B T"),
            "potential_energy": series("PotEng", "q^2/a", "potential energy per particle (with background)"),
            "kinetic_energy": series("KinEng", "q^2/a", "kinetic energy per particle"),
            "total_energy": series("TotEng", "q^2/a", "total energy per particle"),
            "temperature_mean": variable(
                run.t_mean, units="q^2/(a k_B)", long_name="mean temperature over the NVE run"
            ),
            "gamma_measured": variable(1.0 / run.t_mean, units="1", long_name="coupling from the mean temperature"),
            "energy_drift": variable(
                run.drift, units="k_B T", long_name="total-energy drift over the NVE run, per particle"
            ),
            "n_lost": variable(run.n_lost, units="1", long_name="atoms lost"),
        },
        coords={
            "lag": coord("lag", corr["lag"]),
            "md_time": coord("md_time", prod["Time"] * OMEGA_P),
            "block": coord("block", np.arange(corr["vacf_block"].shape[0])),
        },
    )
