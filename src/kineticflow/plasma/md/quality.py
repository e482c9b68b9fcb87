"""Run-quality checks of an MD run: lost atoms, total-energy drift, mean temperature."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from kineticflow.plasma.md.errors import MDQualityError


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
    where, section : str
        The run and the config section (``plasma.md``, ``plasma.mixtures.md``), for the message.

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
        raise MDQualityError(
            f"MD run {where}: {n_lost} atoms lost (allowed {md['max_lost_atoms']}); reduce {section}.dt_wp"
        )
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
