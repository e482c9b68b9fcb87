"""The run protocol every kineticflow LAMMPS input shares (OCP, Yukawa OCP, mixtures).

Each input is written to be read and rerun by hand (``mpirun -np N lmp -in in.lammps``) and is
kept next to the result; the system-specific lines (box, atoms, interaction, dumps) are written
by :mod:`kineticflow.plasma.ocp.md` and :mod:`kineticflow.plasma.mixtures.md`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kineticflow.plasma.md.schedule import OMEGA_P, MDSchedule


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
