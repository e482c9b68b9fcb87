"""The molecular-dynamics engine shared by the OCP / Yukawa OCP runs and the binary-mixture runs (LAMMPS).

Reduced units throughout (plasma paper, Daligault, PRL 108, 225004 (2012)): Wigner–Seitz radius
a = 1, mass m = 1, charge q = 1, so the number density is n = 3/(4π), k_B T = 1/Γ and the plasma
frequency is ω_p = √(4π n q²/m) = √3 per LAMMPS time unit. Results are stored in plasma units:
time in 1/ω_p, velocity in a ω_p.

LAMMPS is run as a subprocess (``mpirun -np N lmp -in in.lammps``) on a readable input file that
is kept next to the result, so that it can be rerun by hand on a cluster build. Velocities and
unwrapped positions are dumped (LAMMPS binary dumps) and correlated, by FFT, with every time
origin (multi-origin VACF and MSD). The system-specific parts live in
:mod:`kineticflow.plasma.ocp.md` and :mod:`kineticflow.plasma.mixtures.md`.

Modules, one concern each:

* :mod:`~kineticflow.plasma.md.schedule` — time step, run lengths, box, pair cut-off;
* :mod:`~kineticflow.plasma.md.protocol` — the run protocol every input shares;
* :mod:`~kineticflow.plasma.md.lammps_run` — running LAMMPS, parsing its log;
* :mod:`~kineticflow.plasma.md.dumps` — reading dump files;
* :mod:`~kineticflow.plasma.md.correlations` — VACF and MSD;
* :mod:`~kineticflow.plasma.md.transport` — Green–Kubo and Einstein diffusion coefficients;
* :mod:`~kineticflow.plasma.md.quality` — energy drift, lost atoms, temperature;
* :mod:`~kineticflow.plasma.md.run` — :func:`run_md`, the one run function of every MD rule.

The names below are re-exported so that ``from kineticflow.plasma.md import run_md`` works.
"""

from kineticflow.plasma.md.correlations import msd, particle_groups, vacf
from kineticflow.plasma.md.dumps import read_dump
from kineticflow.plasma.md.errors import MDError, MDQualityError
from kineticflow.plasma.md.lammps_run import (
    find_executable,
    lammps_command,
    lammps_environment,
    parse_thermo,
    performance,
    run_lammps,
)
from kineticflow.plasma.md.protocol import equilibrate_and_sample
from kineticflow.plasma.md.quality import check_run_quality, energy_drift
from kineticflow.plasma.md.run import MDRun, run_md
from kineticflow.plasma.md.schedule import OMEGA_P, MDSchedule, box_length, md_schedule, pair_cutoff
from kineticflow.plasma.md.transport import (
    DiffusionError,
    einstein_diffusion,
    green_kubo_diffusion,
    running_green_kubo,
)

__all__ = [
    "OMEGA_P",
    "DiffusionError",
    "MDError",
    "MDQualityError",
    "MDRun",
    "MDSchedule",
    "box_length",
    "check_run_quality",
    "einstein_diffusion",
    "energy_drift",
    "equilibrate_and_sample",
    "find_executable",
    "green_kubo_diffusion",
    "lammps_command",
    "lammps_environment",
    "md_schedule",
    "msd",
    "pair_cutoff",
    "parse_thermo",
    "particle_groups",
    "performance",
    "read_dump",
    "run_lammps",
    "run_md",
    "running_green_kubo",
    "vacf",
]
