"""One function per rule of ``workflow/rules/escatter.smk``, named as the rule.

Each takes datasets or paths and explicit keyword parameters (from
:class:`kineticflow.escatter.config.Params`) and returns what the rule writes; the scripts in
``workflow/scripts/escatter/`` only read, call and write.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
import xarray as xr
from matplotlib.figure import Figure

from kineticflow.escatter import analysis, interference, observation, plots, potentials, results, theory
from kineticflow.escatter.molecule import read_xyz
from kineticflow.escatter.targets import resolve_file

log = logging.getLogger(__name__)


def _provenance(path: str | os.PathLike[str]) -> dict[str, str]:
    """``source_file`` (the path) and ``source_file_sha256`` of an input file."""
    data = resolve_file(path).read_bytes()
    return {"source_file": str(path), "source_file_sha256": hashlib.sha256(data).hexdigest()}


def load_measured_dcs(path: str | os.PathLike[str], *, energies_ev: Sequence[float]) -> xr.Dataset:
    """The measured DCS table as a Dataset (energy, angle), every row checked.

    Parameters
    ----------
    path : str or path
        The CSV (:mod:`kineticflow.escatter.observation`).
    energies_ev : sequence of float
        The theory energies; every data energy must be one of them.

    Returns
    -------
    xarray.Dataset
        :func:`observation.observation_dataset`, with the file's path and sha256 as attributes.
        NaN only in :data:`observation.MAY_BE_NAN`.

    Raises
    ------
    DataFileError
        A malformed row, or an energy outside the model's range or not in ``energies_ev``.
    """
    table = observation.read_table(path)
    observation.check_energies(table, energies_ev, theory.ENERGY_RANGE_EV)
    ds = observation.observation_dataset(table)
    ds.attrs.update(source="measured absolute DCS table (default: Phys. Chem. Chem. Phys. 26, 985 (2024), Table 1)")
    ds.attrs.update(_provenance(path))
    return ds


def atomic_amplitudes(
    element: str,
    *,
    energies_ev: Sequence[float],
    angle_step_deg: float,
    absorption: str,
    r_max_bohr: float,
    l_total: int,
    log_step: float,
) -> xr.Dataset:
    """Partial-wave amplitudes f(θ) and σ_el, σ_abs, σ_tot of one atom's optical potential.

    Parameters
    ----------
    element : str
        Symbol (H, C, O, F, Cl).
    energies_ev : sequence of float
        Energies, eV.
    angle_step_deg : float
        Step of the angle grid 0–180° (:func:`theory.angle_grid`).
    absorption : {"lda", "quasi_free", "none"} or bool
        Model of the imaginary (absorption) part (:func:`potentials.optical_potential`).
    r_max_bohr, l_total, log_step : float, int, float
        Matching radius (bohr), highest partial wave, Numerov step in ln r.

    Returns
    -------
    xarray.Dataset
        :func:`theory.atomic_dataset` (energy, angle).

    Raises
    ------
    UnknownElementError, EnergyRangeError
    """
    at = potentials.atom(element)
    theory.check_energies(energies_ev)
    model = potentials.absorption_model(absorption)
    angles = theory.angle_grid(angle_step_deg)
    f = np.empty((len(energies_ev), angles.size), dtype=complex)
    cs = np.empty((len(energies_ev), 3))
    for i, e in enumerate(energies_ev):
        f[i], cs[i] = theory.atom_scattering(
            at, e, angles, absorption=model, r_max=r_max_bohr, l_total=l_total, step=log_step
        )
    ds = theory.atomic_dataset(at, energies_ev, angles, f, cs, model)
    ds.attrs.update(r_max_bohr=r_max_bohr, l_total=l_total, log_step=log_step)
    return ds


def molecular_dcs(
    atoms: Sequence[xr.Dataset],
    molecule: str | os.PathLike[str],
    *,
    dipole_debye: float,
    temperature_k: float,
    interference: str,
) -> xr.Dataset:
    """IAM, IAM-SCAR, IAM-SCAR+I elastic and rotational Born DCS/ICS of the molecule.

    Parameters
    ----------
    atoms : sequence of xarray.Dataset
        :func:`atomic_amplitudes` of every element of the molecule, on one energy and angle grid.
    molecule : str or path
        The structure (.xyz, Å).
    dipole_debye, temperature_k : float
        Permanent dipole moment (D) and gas temperature (K) of the rotational Born term.
    interference : {"product", "sqrt", "none"}
        Weights of the interference terms in ``dcs_iam_scar_i`` and ``dcs``
        (:func:`molecule.scar_interference_dcs`); ``dcs_by_interference`` holds all three.

    Returns
    -------
    xarray.Dataset
        :func:`theory.theory_dataset` (energy, angle, atom, interference), with the structure
        file's path and sha256 as attributes.

    Raises
    ------
    KeyError
        If an element of the molecule has no amplitudes (names it).
    """
    geom = read_xyz(molecule)
    table = theory.atom_table(atoms, geom)
    energies = table["energy"].values
    rows = [
        theory.molecule_at_energy(
            table.isel(energy=i),
            geom,
            float(e),
            dipole_debye=dipole_debye,
            temperature_k=temperature_k,
            interference=interference,
        )
        for i, e in enumerate(energies)
    ]
    ds = theory.theory_dataset(rows, energies, table, geom)
    ds.attrs.update(dipole_debye=dipole_debye, temperature_k=temperature_k, interference_weights=interference)
    ds.attrs.update(_provenance(molecule))
    return ds


def _warn_missing_angles(measured: xr.Dataset) -> None:
    """One warning line per energy with fewer angles than the table's grid, naming the missing ones."""
    n_grid = measured.sizes["angle"]
    for e, gap in observation.missing_angles(measured).items():
        log.warning(
            "energy %g eV: %d of the %d angles of the table measured (missing: %s deg); "
            "its ICS integrates the data over the measured angles only",
            e,
            n_grid - len(gap),
            n_grid,
            ", ".join(f"{a:g}" for a in gap),
        )


def extrapolate_ics(
    measured: xr.Dataset,
    theory_ds: xr.Dataset,
    *,
    resolution_fwhm_deg: float,
    fit_exclude_notes: Sequence[str] = ("distrusted",),
    match_deg: float = 5.0,
) -> tuple[xr.Dataset, pd.DataFrame]:
    """Per measured energy: scale fit, extrapolated ICS, budget, beside the paper and the theory.

    A measured energy with fewer angles than the table's grid (a missing row) is analysed on the
    angles it has; ``n_points`` records how many, and a warning names the missing angles.

    Parameters
    ----------
    measured : xarray.Dataset
        :func:`load_measured_dcs`.
    theory_ds : xarray.Dataset
        :func:`molecular_dcs`; must cover every measured energy.
    resolution_fwhm_deg, fit_exclude_notes, match_deg
        Angular resolution (FWHM, deg), note tags left out of the fits, end-window width (deg).

    Returns
    -------
    ics : xarray.Dataset
        :func:`results.ics_dataset`, with the ICS of every interference weighting
        (:func:`interference.choices_at_energy`); NaN only in :data:`results.MAY_BE_NAN`.
    table : pandas.DataFrame
        :func:`results.ics_table`, the CSV.

    Raises
    ------
    KeyError
        If a measured energy has no theory (names the energies).
    """
    analysis.require_theory(measured["energy"].values, theory_ds["energy"].values)
    _warn_missing_angles(measured)
    opts: dict[str, Any] = {
        "resolution_fwhm_deg": resolution_fwhm_deg,
        "exclude_notes": fit_exclude_notes,
        "match_deg": match_deg,
    }
    pairs = [(measured.sel(energy=e), theory_ds.sel(energy=e, method="nearest")) for e in measured["energy"].values]
    rows = [analysis.ics_at_energy(m, t, **opts) for m, t in pairs]
    choices = [interference.choices_at_energy(m, t, **opts) for m, t in pairs]
    ds = results.ics_dataset(measured, rows, observation.points_per_energy(measured), **opts, choices=choices)
    ds.attrs["source"] = "normalisation, extrapolation and ICS: Phys. Chem. Chem. Phys. 26, 985 (2024) Sec. 2"
    return ds, results.ics_table(ds)


def plot_escatter(measured: xr.Dataset, theory_ds: xr.Dataset, ics: xr.Dataset) -> dict[str, Figure]:
    """The report figures: ``{"dcs": DCS per energy (paper Fig. 2), "ics": ICS vs energy (Fig. 3)}``."""
    return {"dcs": plots.plot_dcs(measured, theory_ds, ics), "ics": plots.plot_ics(ics, theory_ds)}
