"""The one MD run function of kineticflow: OCP, Yukawa OCP and binary-mixture runs all go through it.

:func:`run_md` writes the LAMMPS input into a temporary folder, runs LAMMPS, reads the dumps,
parses the thermo output and applies the run-quality checks, so that every kind of run fails
the same way: a LAMMPS error is an :class:`~kineticflow.plasma.md.errors.MDError`; a truncated
dump (atoms lost in a blown-up run), energy drift, lost atoms or a wrong temperature is an
:class:`~kineticflow.plasma.md.errors.MDQualityError` whose one-line message names the config
key to change.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from kineticflow.plasma.md.dumps import read_dump
from kineticflow.plasma.md.errors import MDError, MDQualityError
from kineticflow.plasma.md.lammps_run import parse_thermo, run_lammps
from kineticflow.plasma.md.quality import check_run_quality


@dataclass(frozen=True)
class MDRun:
    """What one LAMMPS run produced, after its quality checks passed.

    Attributes
    ----------
    log : str
        The LAMMPS log.
    wall : float
        Wall-clock seconds of LAMMPS.
    prod : dict of str to ndarray
        Thermo columns of the production (NVE) run, LAMMPS units.
    dumps : dict of str to ndarray
        Each dump file name → array (n_frames, n_particles, 3), rows ordered by atom id.
    drift : float
        Total-energy drift over the NVE run, k_B T per particle.
    n_lost : int
        Atoms lost.
    t_mean : float
        Mean NVE temperature, LAMMPS units.
    """

    log: str
    wall: float
    prod: dict[str, np.ndarray]
    dumps: dict[str, np.ndarray]
    drift: float
    n_lost: int
    t_mean: float


def _read_dumps(folder: Path, names: Sequence[str], n: int, where: str, section: str) -> dict[str, np.ndarray]:
    """Read every dump; an incomplete one means atoms were lost: a hinted quality error."""
    try:
        return {name: read_dump(folder / name, n) for name in names}
    except MDError as exc:
        raise MDQualityError(
            f"MD run {where}: incomplete trajectory ({exc}); atoms were probably lost in a blown-up run: "
            f"reduce {section}.dt_wp"
        ) from None


def run_md(
    input_text: str,
    *,
    n_particles: int,
    dumps: Sequence[str],
    kt: float,
    omega_p: float,
    md: Mapping[str, Any],
    where: str,
    section: str = "plasma.md",
    threads: int = 1,
    workdir: str | os.PathLike[str] | None = None,
) -> MDRun:
    """Run LAMMPS on ``input_text``, read its dumps and check the run.

    Parameters
    ----------
    input_text : str
        The LAMMPS input (it writes the files named in ``dumps`` into its working folder).
    n_particles : int
        Atoms at the start.
    dumps : sequence of str
        Dump files to read (``dump custom ... id c1 c2 c3``; ``.bin``: binary format).
    kt : float
        Target k_B T, LAMMPS energy units.
    omega_p : float
        Plasma frequency per LAMMPS time unit (the drift limit is per ω_p-time run).
    md : mapping
        Quality limits ``max_lost_atoms``, ``max_energy_drift``, ``max_temperature_error``.
    where, section : str
        The run (``kappa = 2, Gamma = 100, seed = 1``) and the config section (``plasma.md``,
        ``plasma.mixtures.md``), for messages.
    threads : int
        MPI ranks of LAMMPS.
    workdir : path, optional
        Folder in which the temporary run folder is made (created if missing).

    Returns
    -------
    MDRun

    Raises
    ------
    MDError
        LAMMPS missing or failing, or a log without equilibration and production tables.
    MDQualityError
        A truncated dump, lost atoms, energy drift or a wrong mean temperature.
    """
    base = Path(workdir) if workdir is not None else None
    if base is not None:
        base.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="lammps-", dir=base) as tmp:
        log, wall = run_lammps(input_text, tmp, threads)
        data = _read_dumps(Path(tmp), dumps, n_particles, where, section)
    thermo = parse_thermo(log)
    if len(thermo) < 2:
        raise MDError("LAMMPS log holds fewer than two thermo tables (equilibration, production)")
    prod = thermo[-1]
    drift, n_lost, t_mean = check_run_quality(prod, n_particles, kt, omega_p, md, where, section=section)
    return MDRun(log, wall, prod, data, drift, n_lost, t_mean)
