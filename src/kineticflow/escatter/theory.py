"""The theory, energy by energy: one atom's amplitudes and the molecule's IAM-SCAR+I + rotational DCS.

Atomic amplitudes from the partial-wave solution of the optical potential (paper Eqs 1–2,
:mod:`~kineticflow.escatter.potentials`, :mod:`~kineticflow.escatter.partial_waves`); the molecule
from them by the independent-atom model with the screening-corrected additivity rule and its
interference terms (:mod:`~kineticflow.escatter.molecule`) plus the rotational first-Born term
(:mod:`~kineticflow.escatter.rotation`), as in the e-scattering paper (Phys. Chem. Chem. Phys. 26,
985 (2024), Sec. 3). The datasets built here carry DCS in Å² sr⁻¹, cross sections in Å²,
amplitudes in Å, ``q`` in Å⁻¹, energy in eV and angle in degrees.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import partial

import numpy as np
import xarray as xr
from numpy.typing import NDArray

from kineticflow.core.attrs import dim_attrs, variable
from kineticflow.escatter import molecule, partial_waves, potentials, rotation
from kineticflow.escatter.potentials import BOHR_ANGSTROM, HARTREE_EV

#: Energies (eV) the optical-potential model is taken to support: below, the local exchange,
#: polarisation and absorption forms fail (resonances, bound-state coupling); above,
#: relativistic corrections to this non-relativistic solver exceed ~1 %. Checked once, by
#: :func:`check_energies`.
ENERGY_RANGE_EV = (20.0, 2000.0)
#: bohr² in Å²
A2 = BOHR_ANGSTROM**2
#: cm⁻¹ per hartree (rotational constants are reported in cm⁻¹)
HARTREE_CM1 = 219474.6313632
DCS_UNITS = "angstrom^2/sr"
CS_UNITS = "angstrom^2"


class EnergyRangeError(ValueError):
    """An energy outside :data:`ENERGY_RANGE_EV`."""


def check_energies(energies_ev: Sequence[float], key: str = "escatter.energies_ev") -> None:
    """Refuse an energy the optical-potential model does not support.

    Parameters
    ----------
    energies_ev : sequence of float
        Incident energies, eV.
    key : str
        The config key the energies come from (named in the message).

    Raises
    ------
    EnergyRangeError
        One line naming ``key``, the energy and :data:`ENERGY_RANGE_EV`.
    """
    lo, hi = ENERGY_RANGE_EV
    for e in energies_ev:
        if not lo <= float(e) <= hi:
            raise EnergyRangeError(
                f"'{key}' = {float(e):g} eV is outside what the optical-potential model supports; allowed: {lo:g}-{hi:g} eV"
            )


def angle_grid(step_deg: float) -> NDArray[np.float64]:
    """The theory's angle grid 0–180° in steps of about ``step_deg`` (both ends included), degrees.

    Examples
    --------
    >>> angle_grid(45.0).tolist()
    [0.0, 45.0, 90.0, 135.0, 180.0]
    """
    return np.linspace(0.0, 180.0, int(round(180.0 / step_deg)) + 1)


def _energy_coord(energies_ev: Sequence[float] | NDArray[np.float64]) -> xr.DataArray:
    return xr.DataArray(np.asarray(energies_ev, dtype=float), dims="energy", attrs=dim_attrs("energy"))


def _angle_coord(angles_deg: Sequence[float] | NDArray[np.float64]) -> xr.DataArray:
    return xr.DataArray(np.asarray(angles_deg, dtype=float), dims="angle", attrs=dim_attrs("angle"))


def atom_scattering(
    at: potentials.Atom,
    energy_ev: float,
    angles_deg: NDArray[np.float64],
    *,
    absorption: str,
    r_max: float,
    l_total: int,
    step: float,
) -> tuple[NDArray[np.complex128], NDArray[np.float64]]:
    """Amplitude f(θ) (Å) and σ_el, σ_abs, σ_tot (Å²) of one atom at one energy.

    Parameters
    ----------
    at : Atom
    energy_ev : float
        Incident energy, eV.
    angles_deg : ndarray, shape (n,)
        Scattering angles, degrees.
    absorption : {"lda", "quasi_free", "none"}
        Imaginary part of the optical potential (:func:`potentials.optical_potential`).
    r_max, l_total, step : float, int, float
        Matching radius (bohr), highest partial wave, Numerov step in ln r.

    Returns
    -------
    f : ndarray, complex, shape (n,)
    cross_sections : ndarray, shape (3,)
        Elastic, absorption and total, Å².

    References
    ----------
    Phys. Chem. Chem. Phys. 26, 985 (2024), Eqs 1–2 (optical potential); the partial-wave sums of
    :mod:`kineticflow.escatter.partial_waves`.
    """
    energy = float(energy_ev) / HARTREE_EV
    k = np.sqrt(2.0 * energy)
    pw = partial_waves.solve(
        partial(potentials.optical_potential, at=at, energy=energy, absorption=absorption),
        k,
        alpha_d=at.polarisability,
        r_max=r_max,
        l_total=l_total,
        h=step,
    )
    f = partial_waves.amplitude(pw, angles_deg) * BOHR_ANGSTROM
    c = partial_waves.cross_sections(pw)
    return f, np.array([c["elastic"] * A2, c["absorption"] * A2, c["total"] * A2])


def atomic_dataset(
    at: potentials.Atom,
    energies_ev: Sequence[float],
    angles_deg: NDArray[np.float64],
    f: NDArray[np.complex128],
    cs: NDArray[np.float64],
    absorption: str,
) -> xr.Dataset:
    """One atom's amplitudes (energy, angle) and cross sections (energy, 3) as a Dataset."""
    d2 = ("energy", "angle")
    ds = xr.Dataset(
        {
            "amplitude_real": variable(
                f.real, d2, units="angstrom", long_name="real part of the scattering amplitude f(theta)"
            ),
            "amplitude_imag": variable(
                f.imag, d2, units="angstrom", long_name="imaginary part of the scattering amplitude f(theta)"
            ),
            "dcs": variable(np.abs(f) ** 2, d2, units=DCS_UNITS, long_name="atomic elastic differential cross section"),
            "ics_elastic": variable(
                cs[:, 0], "energy", units=CS_UNITS, long_name="atomic elastic integral cross section"
            ),
            "ics_absorption": variable(
                cs[:, 1], "energy", units=CS_UNITS, long_name="atomic absorption (inelastic) cross section"
            ),
            "ics_total": variable(
                cs[:, 2], "energy", units=CS_UNITS, long_name="atomic total cross section, elastic + absorption"
            ),
        },
        coords={"energy": _energy_coord(energies_ev), "angle": _angle_coord(angles_deg)},
    )
    ds.attrs.update(
        element=at.symbol,
        z=at.z,
        absorption=absorption,
        polarisability_bohr3=at.polarisability,
        ionisation_energy_ev=at.ionisation_ev,
        excitation_energy_ev=at.excitation_ev,
        source="optical potential, Phys. Chem. Chem. Phys. 26, 985 (2024) Eqs 1-2; partial waves (docs/escatter.md Sec. 2)",
    )
    return ds


def atom_table(atoms: Sequence[xr.Dataset], geom: molecule.Geometry) -> xr.Dataset:
    """The atoms' amplitudes and cross sections on a named ``atom`` dimension, one entry per atom.

    Parameters
    ----------
    atoms : sequence of xarray.Dataset
        :func:`atomic_dataset` results (attribute ``element``) on one energy and angle grid.
    geom : Geometry

    Returns
    -------
    xarray.Dataset
        ``amplitude_real``, ``amplitude_imag`` (atom, energy, angle), ``ics_elastic``,
        ``ics_absorption`` (atom, energy); coordinate ``atom`` (:func:`molecule.atom_labels`).

    Raises
    ------
    KeyError
        If an element of the molecule has no amplitudes (names it).
    ValueError
        If the atoms' energy or angle grids differ.
    """
    by_element = {ds.attrs["element"]: ds for ds in atoms}
    missing = sorted(set(geom.symbols) - set(by_element))
    if missing:
        raise KeyError(f"no atomic amplitudes for element(s) {', '.join(missing)} of the molecule")
    names = ["amplitude_real", "amplitude_imag", "ics_elastic", "ics_absorption"]
    labels = xr.DataArray(molecule.atom_labels(geom), dims="atom", attrs=dim_attrs("atom"))
    per_atom = [by_element[s][names] for s in geom.symbols]
    return xr.concat(per_atom, dim=labels, join="exact")


def molecule_at_energy(
    table: xr.Dataset,
    geom: molecule.Geometry,
    energy_ev: float,
    *,
    dipole_debye: float,
    temperature_k: float,
    interference: str,
) -> dict[str, NDArray[np.float64] | float]:
    """IAM, IAM-SCAR(+I), rotational DCS and ICS of the molecule at one energy.

    Parameters
    ----------
    table : xarray.Dataset
        :func:`atom_table` at this energy (dims atom, angle; the angle grid 0–180°).
    geom : Geometry
    energy_ev : float
    dipole_debye, temperature_k : float
        Dipole moment (D) and gas temperature (K) of the rotational Born term.
    interference : {"product", "sqrt", "none"}
        Weights of the interference terms (:func:`molecule.scar_interference_dcs`).

    Returns
    -------
    dict
        DCS (Å² sr⁻¹) ``iam``, ``scar``, ``scar_i``, ``rot`` on the grid; ICS (Å²) ``ics_ar``,
        ``ics_iam``, ``ics_scar``, ``ics_scar_i``, ``ics_rot``, ``ics_abs_scar``; the SCAR
        coefficients ``s`` (atom,); ``by_interference`` (3, angle), the IAM-SCAR(+I) DCS with
        each weighting of :data:`molecule.INTERFERENCE`, and their integrals
        ``ics_by_interference`` (3,).

    Raises
    ------
    ValueError
        For an unknown ``interference``.

    References
    ----------
    Phys. Chem. Chem. Phys. 26, 985 (2024), Sec. 3; Blanco & García, Phys. Lett. A 317, 458
    (2003) and 330, 230 (2004); Blanco, Ellis-Gibbings & García, Chem. Phys. Lett. 645, 71 (2016).
    """
    angles = table["angle"].values
    f = np.ascontiguousarray(table["amplitude_real"].values + 1j * table["amplitude_imag"].values)
    sig_el = np.ascontiguousarray(table["ics_elastic"].values)
    sig_abs = np.ascontiguousarray(table["ics_absorption"].values)
    r = geom.distances()
    s = molecule.scar_coefficients(sig_el + sig_abs, r)
    k_au = np.sqrt(2.0 * energy_ev / HARTREE_EV)
    q = molecule.momentum_transfer(k_au / BOHR_ANGSTROM, angles)
    b_const = molecule.rotational_constant(geom)
    rot_dcs, rot_ics = rotation.thermal_dcs_ics(
        angles, k_au, dipole_debye * potentials.DEBYE_AU, b_const, temperature_k
    )
    out: dict[str, NDArray[np.float64] | float] = {
        "iam": molecule.interference_dcs(f, r, q),
        "scar": molecule.scar_dcs(f, s),
        "scar_i": molecule.scar_interference_dcs(f, r, q, s, interference),
        "rot": rot_dcs * A2,
        "ics_ar": sig_el.sum(),
        "ics_scar": float(np.dot(s, sig_el)),
        "ics_rot": rot_ics * A2,
        "ics_abs_scar": float(np.dot(s, sig_abs)),
        "s": s,
    }
    out["ics_iam"] = molecule.integrate_dcs(out["iam"], angles)
    out["ics_scar_i"] = molecule.integrate_dcs(out["scar_i"], angles)
    # every weighting side by side (the configured one again: a few µs), for the model dependence
    by = np.array([molecule.scar_interference_dcs(f, r, q, s, w) for w in molecule.INTERFERENCE])
    out["by_interference"] = by
    out["ics_by_interference"] = np.array([molecule.integrate_dcs(d, angles) for d in by])
    return out


#: theory.nc DCS variables: name -> (key of :func:`molecule_at_energy`, long name)
DCS_VARIABLES = {
    "dcs_iam": ("iam", "elastic DCS, independent-atom model with interference"),
    "dcs_iam_scar": ("scar", "elastic DCS, IAM-SCAR (no interference)"),
    "dcs_iam_scar_i": ("scar_i", "elastic DCS, IAM-SCAR+I"),
    "dcs_rotational": ("rot", "rotational excitation DCS, first Born, dJ = +-1, thermal average"),
}
#: theory.nc ICS variables: name -> (key of :func:`molecule_at_energy`, long name)
ICS_VARIABLES = {
    "ics_iam_ar": ("ics_ar", "elastic ICS, additivity rule sum of atomic sigma_el"),
    "ics_iam": ("ics_iam", "elastic ICS, IAM with interference (angular integral)"),
    "ics_iam_scar": ("ics_scar", "elastic ICS, SCAR sum s_i sigma_el,i"),
    "ics_iam_scar_i": ("ics_scar_i", "elastic ICS, IAM-SCAR+I (angular integral)"),
    "ics_rotational": ("ics_rot", "rotational excitation ICS (closed-form Born, thermal average)"),
    "ics_absorption": ("ics_abs_scar", "inelastic (absorption) ICS, SCAR sum s_i sigma_abs,i"),
}


def _with_interference_choices(ds: xr.Dataset, rows: Sequence[Mapping[str, NDArray[np.float64] | float]]) -> xr.Dataset:
    """``ds`` with ``dcs_by_interference`` and ``ics_by_interference`` (every weighting, energy)."""
    ds = ds.assign_coords(
        interference=xr.DataArray(list(molecule.INTERFERENCE), dims="interference", attrs=dim_attrs("interference"))
    )
    ds["dcs_by_interference"] = variable(
        np.stack([r["by_interference"] for r in rows], axis=1),
        ("interference", "energy", "angle"),
        units=DCS_UNITS,
        long_name="elastic DCS, IAM-SCAR with the interference terms weighted as the coordinate names "
        "(none = IAM-SCAR, sqrt, product)",
    )
    ds["ics_by_interference"] = variable(
        np.stack([r["ics_by_interference"] for r in rows], axis=1),
        ("interference", "energy"),
        units=CS_UNITS,
        long_name="elastic ICS (angular integral) of dcs_by_interference",
    )
    return ds


def theory_dataset(
    rows: Sequence[Mapping[str, NDArray[np.float64] | float]],
    energies_ev: NDArray[np.float64],
    table: xr.Dataset,
    geom: molecule.Geometry,
) -> xr.Dataset:
    """The :func:`molecule_at_energy` results of every energy as theory.nc (energy, angle, atom)."""
    angles = table["angle"].values
    d2 = ("energy", "angle")
    ds = xr.Dataset(coords={"energy": _energy_coord(energies_ev), "angle": _angle_coord(angles)})
    for name, (key, ln) in DCS_VARIABLES.items():
        ds[name] = variable(np.array([r[key] for r in rows]), d2, units=DCS_UNITS, long_name=ln)
    total = ds["dcs_iam_scar_i"].values + ds["dcs_rotational"].values
    ds["dcs"] = variable(
        total, d2, units=DCS_UNITS, long_name="elastic (IAM-SCAR+I) + rotational DCS, the quasi-elastic theory"
    )
    k_a = np.sqrt(2.0 * energies_ev / HARTREE_EV) / BOHR_ANGSTROM
    q = 2.0 * k_a[:, None] * np.sin(np.deg2rad(angles)[None, :] / 2.0)
    ds["q"] = variable(q, d2, units="1/angstrom", long_name="momentum transfer q = 2k sin(theta/2)")
    for name, (key, ln) in ICS_VARIABLES.items():
        ds[name] = variable(np.array([float(r[key]) for r in rows]), "energy", units=CS_UNITS, long_name=ln)
    ds["ics"] = variable(
        ds["ics_iam_scar_i"].values + ds["ics_rotational"].values,
        "energy",
        units=CS_UNITS,
        long_name="elastic (IAM-SCAR+I) + rotational ICS",
    )
    ds = _with_interference_choices(ds, rows)
    s = xr.DataArray(np.array([r["s"] for r in rows]), dims=("energy", "atom"), coords={"atom": table["atom"]})
    ds["scar_coefficient"] = variable(s, units="1", long_name="SCAR screening coefficient s_i")
    ds.attrs.update(
        structure=geom.comment,
        rotational_constant_cm1=molecule.rotational_constant(geom) * HARTREE_CM1,
        angle_grid="0-180 deg; ICS by the trapezoid rule on this grid",
        source=(
            "IAM-SCAR+I elastic + rotational first-Born theory, Phys. Chem. Chem. Phys. 26, 985 (2024) Sec. 3 "
            "(docs/escatter.md Sec. 3)"
        ),
    )
    return ds
