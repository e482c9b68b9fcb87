"""LAMMPS input scripts of the OCP / Yukawa OCP runs and the run protocol every kineticflow input shares.

The input is written to be read and rerun by hand (``mpirun -np N lmp -in in.lammps``) and is
kept next to the result.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kineticflow.plasma.md.schedule import OMEGA_P, MDSchedule, pair_cutoff


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
    rc = pair_cutoff(kappa, {**md, "n_particles": n_particles})
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
