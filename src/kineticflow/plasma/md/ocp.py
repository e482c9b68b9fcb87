"""One OCP / Yukawa OCP simulation: LAMMPS run → multi-origin VACF and MSD per particle group.

Results are stored in plasma units: time in 1/ω_p, velocity in a ω_p, so that
D* = D/(a² ω_p) = (1/3) ∫ ⟨v(t)·v(0)⟩ d(t ω_p) directly (the Green–Kubo step is
:mod:`kineticflow.plasma.diffusion`, a rule of its own).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

import numpy as np
import xarray as xr

from kineticflow.core.io import with_attrs
from kineticflow.plasma.md.correlations import msd, particle_groups, vacf
from kineticflow.plasma.md.lammps_input import lammps_input
from kineticflow.plasma.md.lammps_run import performance
from kineticflow.plasma.md.run import MDRun, run_md
from kineticflow.plasma.md.schedule import OMEGA_P, MDSchedule, box_length, md_schedule


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
        The ``plasma.md`` config section (N, time step, lengths, quality limits, ...); keys
        that are not physics (``threads``, ``runtime_min``) are ignored.
    threads : int
        MPI ranks given to LAMMPS (and threads of the FFTs).
    workdir : path, optional
        Folder for the temporary LAMMPS files (a temporary folder is created inside it).

    Returns
    -------
    xarray.Dataset
        ``vacf(lag)`` [a² ω_p²], ``vacf_block(block, lag)``, ``msd(lag)`` [a²],
        ``msd_block(block, lag)``, thermo series ``temperature(md_time)``, ``potential_energy(md_time)``,
        ``kinetic_energy(md_time)``, ``total_energy(md_time)`` [q²/a per particle]; scalars
        ``temperature_mean``, ``gamma_measured``, ``energy_drift``, ``n_lost``.
        Attributes hold the LAMMPS input, the schedule and the throughput; the log is in
        the attribute ``lammps_log``. Time ``lag`` and ``md_time`` in units of 1/ω_p.

    Raises
    ------
    MDError
        LAMMPS missing or failing.
    MDQualityError
        If |energy drift| > ``md.max_energy_drift`` k_B T per particle, atoms were lost
        beyond ``md.max_lost_atoms`` (also: a truncated dump), or the mean temperature is off
        by more than ``md.max_temperature_error`` (relative).
    """
    n = int(md["n_particles"])
    sched = md_schedule(gamma, kappa, md)
    text = lammps_input(gamma=gamma, kappa=kappa, seed=seed, n_particles=n, schedule=sched, md=md)
    where = f"kappa = {kappa:g}, Gamma = {gamma:g}, seed = {seed}"
    run = run_md(
        text,
        n_particles=n,
        dumps=("vel.bin", "pos.bin"),
        kt=1.0 / gamma,
        omega_p=OMEGA_P,
        md=md,
        where=where,
        section="plasma.md",
        threads=threads,
        workdir=workdir,
    )
    corr = _block_correlations(run, sched, md, n, seed, threads)
    ds = _ocp_dataset(run, corr, sched)
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
            "wall_seconds": run.wall,
            "atom_steps_per_second": performance(run.log),
            "lammps_input": text,
            "lammps_log": run.log,
        }
    )
    return ds


def _block_correlations(
    run: MDRun, sched: MDSchedule, md: Mapping[str, Any], n: int, seed: int, threads: int
) -> dict[str, np.ndarray]:
    """VACF and MSD per disjoint particle group (block errors) and their size-weighted means."""
    vel, pos = run.dumps["vel.bin"], run.dumps["pos.bin"]
    n_lags = min(sched.n_lags, vel.shape[0])
    v_wp = vel / OMEGA_P  # a ω_p
    groups = particle_groups(n, int(md["n_blocks"]), seed)
    weights = np.array([len(g) for g in groups]) / n
    c_b = vacf(v_wp, n_lags, groups, workers=threads).T  # (block, lag)
    # MSD on the coarser position frames, interpolated onto the VACF lags (smooth in t)
    every = int(md["msd_every"])
    n_lags_pos = min(pos.shape[0], (n_lags - 1) // every + 2)
    m_coarse = msd(pos, n_lags_pos, groups, workers=threads)
    lag_idx = np.arange(n_lags)
    m_b = np.stack([np.interp(lag_idx, np.arange(n_lags_pos) * every, m_coarse[:, j]) for j in range(len(groups))])
    lag = np.arange(n_lags) * sched.dt * sched.dump_every * OMEGA_P
    return {"vacf": weights @ c_b, "vacf_block": c_b, "msd": weights @ m_b, "msd_block": m_b, "lag": lag}


def _ocp_dataset(run: MDRun, corr: Mapping[str, np.ndarray], sched: MDSchedule) -> xr.Dataset:
    """The result dataset of one OCP / Yukawa run (correlations, thermo series, quality scalars)."""
    prod = run.prod
    n_blocks = corr["vacf_block"].shape[0]

    def series(name: str, units: str, long: str) -> xr.DataArray:
        return with_attrs(xr.DataArray(prod[name], dims="md_time"), units, long)

    return xr.Dataset(
        {
            "vacf": with_attrs(
                xr.DataArray(corr["vacf"], dims="lag"), "a^2 omega_p^2", "velocity autocorrelation <v(t).v(0)>"
            ),
            "vacf_block": with_attrs(
                xr.DataArray(corr["vacf_block"], dims=("block", "lag")),
                "a^2 omega_p^2",
                "VACF of disjoint particle groups",
            ),
            "msd": with_attrs(xr.DataArray(corr["msd"], dims="lag"), "a^2", "mean-square displacement"),
            "msd_block": with_attrs(
                xr.DataArray(corr["msd_block"], dims=("block", "lag")), "a^2", "MSD of disjoint particle groups"
            ),
            "temperature": series("Temp", "q^2/(a k_B)", "instantaneous temperature k_B T"),
            "potential_energy": series("PotEng", "q^2/a", "potential energy per particle (with background)"),
            "kinetic_energy": series("KinEng", "q^2/a", "kinetic energy per particle"),
            "total_energy": series("TotEng", "q^2/a", "total energy per particle"),
            "temperature_mean": with_attrs(
                xr.DataArray(run.t_mean), "q^2/(a k_B)", "mean temperature over the NVE run"
            ),
            "gamma_measured": with_attrs(xr.DataArray(1.0 / run.t_mean), "1", "coupling from the mean temperature"),
            "energy_drift": with_attrs(
                xr.DataArray(run.drift), "k_B T per particle", "total-energy drift over the NVE run"
            ),
            "n_lost": with_attrs(xr.DataArray(run.n_lost), "1", "atoms lost"),
        },
        coords={
            "lag": with_attrs(xr.DataArray(corr["lag"], dims="lag"), "1/omega_p", "correlation lag t omega_p"),
            "md_time": with_attrs(
                xr.DataArray(prod["Time"] * OMEGA_P, dims="md_time"), "1/omega_p", "time of the NVE run t omega_p"
            ),
            "block": with_attrs(xr.DataArray(np.arange(n_blocks), dims="block"), "1", "particle group"),
        },
    )
