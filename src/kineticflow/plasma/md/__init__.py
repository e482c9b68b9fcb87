"""Molecular dynamics of the one-component plasma (OCP), the Yukawa OCP and binary ionic mixtures with LAMMPS.

Reduced units throughout (plasma paper, Daligault PRL 108, 225004 (2012)): Wigner–Seitz radius
a = 1, mass m = 1, charge q = 1, so the number density is n = 3/(4π), k_B T = 1/Γ and the plasma
frequency is ω_p = √(4π n q²/m) = √3 per LAMMPS time unit. Results are stored in plasma units:
time in 1/ω_p, velocity in a ω_p.

LAMMPS is run as a subprocess (``mpirun -np N lmp -in in.lammps``) on a readable input file that
is kept next to the result, so that it can be rerun by hand on a cluster build. Velocities and
unwrapped positions are dumped (LAMMPS binary dumps) and correlated here, by FFT, with every
time origin (multi-origin VACF and MSD).

Modules, one concern each:

* :mod:`~kineticflow.plasma.md.schedule` — time step, run lengths, box;
* :mod:`~kineticflow.plasma.md.lammps_input` — the input script and the shared run protocol;
* :mod:`~kineticflow.plasma.md.lammps_run` — running LAMMPS, parsing its log;
* :mod:`~kineticflow.plasma.md.dumps` — reading dump files;
* :mod:`~kineticflow.plasma.md.correlations` — VACF and MSD;
* :mod:`~kineticflow.plasma.md.quality` — energy drift, lost atoms, temperature;
* :mod:`~kineticflow.plasma.md.run` — :func:`run_md`, the one run function of every MD rule;
* :mod:`~kineticflow.plasma.md.ocp` — :func:`simulate_md`, one OCP / Yukawa run.

The names below are re-exported so that ``from kineticflow.plasma.md import simulate_md`` works.
"""

from kineticflow.plasma.md.correlations import msd, particle_groups, vacf
from kineticflow.plasma.md.dumps import read_dump
from kineticflow.plasma.md.errors import MDError, MDQualityError
from kineticflow.plasma.md.lammps_input import equilibrate_and_sample, lammps_input
from kineticflow.plasma.md.lammps_run import (
    find_executable,
    lammps_command,
    lammps_environment,
    parse_thermo,
    performance,
    run_lammps,
)
from kineticflow.plasma.md.ocp import simulate_md
from kineticflow.plasma.md.quality import check_run_quality, energy_drift
from kineticflow.plasma.md.run import MDRun, run_md
from kineticflow.plasma.md.schedule import OMEGA_P, MDSchedule, box_length, md_schedule, pair_cutoff

__all__ = [
    "OMEGA_P",
    "MDError",
    "MDQualityError",
    "MDRun",
    "MDSchedule",
    "box_length",
    "pair_cutoff",
    "check_run_quality",
    "energy_drift",
    "equilibrate_and_sample",
    "find_executable",
    "lammps_command",
    "lammps_environment",
    "lammps_input",
    "md_schedule",
    "msd",
    "parse_thermo",
    "particle_groups",
    "performance",
    "read_dump",
    "run_lammps",
    "run_md",
    "simulate_md",
    "vacf",
]
