"""Rule-level functions for the theory: atomic amplitudes and the molecular IAM-SCAR+I DCS.

Each returns one xarray Dataset (DCS in 1e-20 m² sr⁻¹ = Å² sr⁻¹, cross sections in 1e-20 m²,
``q`` in Å⁻¹, energy in eV, angle in degrees).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import partial

import numpy as np
import xarray as xr

from kineticflow.core.attrs import dim_attrs
from kineticflow.core.io import with_attrs
from kineticflow.escatter import molecule, partial_waves, potentials, rotation
from kineticflow.escatter.potentials import BOHR_ANGSTROM, DEBYE_AU, HARTREE_EV

#: Energies (eV) the optical-potential model is taken to support: below, the local exchange,
#: polarisation and absorption forms fail (resonances, bound-state coupling); above,
#: relativistic corrections to this non-relativistic solver exceed ~1 %.
ENERGY_RANGE_EV = (20.0, 2000.0)

A2 = BOHR_ANGSTROM**2
DCS_UNITS = "1e-20 m2 sr-1"
CS_UNITS = "1e-20 m2"


class EnergyRangeError(ValueError):
    """An energy outside :data:`ENERGY_RANGE_EV`."""


def check_energies(energies_ev: Sequence[float], key: str = "escatter.energies_ev") -> None:
    """Raise :class:`EnergyRangeError` (one line naming ``key``) for an unsupported energy."""
    lo, hi = ENERGY_RANGE_EV
    for e in energies_ev:
        if not lo <= float(e) <= hi:
            raise EnergyRangeError(
                f"{key}: energy {e} eV is outside what the optical-potential model supports ({lo:g}-{hi:g} eV)"
            )


def _energy_coord(energies_ev: Sequence[float]) -> xr.DataArray:
    return xr.DataArray(np.asarray(energies_ev, dtype=float), dims="energy", attrs=dim_attrs("energy"))


def _angle_coord(angles_deg: Sequence[float]) -> xr.DataArray:
    return xr.DataArray(np.asarray(angles_deg, dtype=float), dims="angle", attrs=dim_attrs("angle"))


def atomic_amplitudes(
    element: str,
    energies_ev: Sequence[float],
    angles_deg: Sequence[float],
    *,
    absorption: str | bool = "lda",
    r_max: float = 20.0,
    l_total: int = 3000,
    step: float = 0.002,
) -> xr.Dataset:
    """Partial-wave amplitudes f(θ) and σ_el, σ_abs, σ_tot of one atom's optical potential.

    Parameters
    ----------
    element : str
        Symbol (H, C, O, F, Cl).
    energies_ev, angles_deg : sequence of float
        Energies in eV, angles in degrees.
    absorption : {"lda", "quasi_free", "none"} or bool
        Model of the imaginary (absorption) part (:func:`potentials.optical_potential`);
        ``True``/``False`` are the earlier boolean setting (quasi-free/none).
    r_max, l_total, step : float, int, float
        Matching radius (bohr), highest partial wave, Numerov step in ln r.

    Raises
    ------
    UnknownElementError, EnergyRangeError
    """
    at = potentials.atom(element)
    check_energies(energies_ev)
    model = potentials.absorption_model(absorption)
    f = np.empty((len(energies_ev), len(angles_deg)), dtype=complex)
    cs = np.empty((len(energies_ev), 3))
    for i, e in enumerate(energies_ev):
        energy = float(e) / HARTREE_EV
        k = np.sqrt(2.0 * energy)
        pw = partial_waves.solve(
            partial(potentials.optical_potential, at=at, energy=energy, absorption=model),
            k,
            alpha_d=at.polarisability,
            r_max=r_max,
            l_total=l_total,
            h=step,
        )
        f[i] = partial_waves.amplitude(pw, angles_deg) * BOHR_ANGSTROM
        c = partial_waves.cross_sections(pw)
        cs[i] = [c["elastic"] * A2, c["absorption"] * A2, c["total"] * A2]
    dims = ("energy", "angle")
    ds = xr.Dataset(
        {
            "amplitude_real": with_attrs(
                xr.DataArray(f.real, dims=dims), "1e-10 m", "real part of the scattering amplitude f(theta)"
            ),
            "amplitude_imag": with_attrs(
                xr.DataArray(f.imag, dims=dims), "1e-10 m", "imaginary part of the scattering amplitude f(theta)"
            ),
            "dcs": with_attrs(
                xr.DataArray(np.abs(f) ** 2, dims=dims), DCS_UNITS, "atomic elastic differential cross section"
            ),
            "ics_elastic": with_attrs(
                xr.DataArray(cs[:, 0], dims="energy"), CS_UNITS, "atomic elastic integral cross section"
            ),
            "ics_absorption": with_attrs(
                xr.DataArray(cs[:, 1], dims="energy"), CS_UNITS, "atomic absorption (inelastic) cross section"
            ),
            "ics_total": with_attrs(
                xr.DataArray(cs[:, 2], dims="energy"), CS_UNITS, "atomic total cross section, elastic + absorption"
            ),
        },
        coords={"energy": _energy_coord(energies_ev), "angle": _angle_coord(angles_deg)},
    )
    ds.attrs.update(
        element=element,
        z=at.z,
        absorption=model,
        polarisability_bohr3=at.polarisability,
        ionisation_energy_ev=at.ionisation_ev,
        excitation_energy_ev=at.excitation_ev,
    )
    return ds


def molecular_dcs(
    atoms: Mapping[str, xr.Dataset],
    geom: molecule.Geometry,
    *,
    dipole_debye: float,
    temperature_k: float,
    interference: str = "product",
) -> xr.Dataset:
    """IAM, IAM-SCAR, IAM-SCAR+I elastic and rotational Born DCS/ICS of a molecule.

    Parameters
    ----------
    atoms : mapping
        ``{element: atomic_amplitudes(...) Dataset}`` on one energy and angle grid (0–180°).
    geom : Geometry
    dipole_debye, temperature_k : float
        Permanent dipole moment (D) and gas temperature (K) of the rotational Born term.
    interference : {"sqrt", "product"}
        Screening weights of the interference terms (:func:`molecule.scar_interference_dcs`).

    Raises
    ------
    KeyError
        If an atom of the molecule has no amplitudes (names the element).
    """
    missing = sorted(set(geom.symbols) - set(atoms))
    if missing:
        raise KeyError(f"no atomic amplitudes for element(s) {', '.join(missing)} of the molecule")
    ref = atoms[geom.symbols[0]]
    energies, angles = ref["energy"].values, ref["angle"].values
    r = geom.distances()
    b_const = molecule.rotational_constant(geom)
    out = {n: np.empty((energies.size, angles.size)) for n in ("iam", "scar", "scar_i", "rot")}
    ics = {n: np.empty(energies.size) for n in ("ar", "iam", "scar", "scar_i", "rot", "abs_scar")}
    s_all = np.empty((energies.size, len(geom.symbols)))
    for i, e in enumerate(energies):
        f = np.array(
            [atoms[s]["amplitude_real"].values[i] + 1j * atoms[s]["amplitude_imag"].values[i] for s in geom.symbols]
        )
        sig_el = np.array([float(atoms[s]["ics_elastic"].values[i]) for s in geom.symbols])
        sig_abs = np.array([float(atoms[s]["ics_absorption"].values[i]) for s in geom.symbols])
        s = molecule.scar_coefficients(sig_el + sig_abs, r)
        k_au = np.sqrt(2.0 * e / HARTREE_EV)
        q = molecule.momentum_transfer(k_au / BOHR_ANGSTROM, angles)
        out["iam"][i] = molecule.interference_dcs(f, r, q)
        out["scar"][i] = molecule.scar_dcs(f, s)
        out["scar_i"][i] = molecule.scar_interference_dcs(f, r, q, s, interference)
        rot_dcs, rot_ics = rotation.thermal_dcs_ics(angles, k_au, dipole_debye * DEBYE_AU, b_const, temperature_k)
        out["rot"][i] = rot_dcs * A2
        ics["ar"][i] = sig_el.sum()
        ics["iam"][i] = molecule.integrate_dcs(out["iam"][i], angles)
        ics["scar"][i] = float(np.dot(s, sig_el))
        ics["scar_i"][i] = molecule.integrate_dcs(out["scar_i"][i], angles)
        ics["rot"][i] = rot_ics * A2
        ics["abs_scar"][i] = float(np.dot(s, sig_abs))
        s_all[i] = s
    ds = _theory_dataset(energies, angles, out, ics, s_all, geom, b_const, dipole_debye, temperature_k)
    ds.attrs["interference_weights"] = interference
    return ds


def _theory_dataset(energies, angles, out, ics, s_all, geom, b_const, dipole_debye, temperature_k) -> xr.Dataset:  # type: ignore[no-untyped-def]
    d2 = ("energy", "angle")
    k_a = np.sqrt(2.0 * energies / HARTREE_EV) / BOHR_ANGSTROM
    q = 2.0 * k_a[:, None] * np.sin(np.deg2rad(angles)[None, :] / 2.0)
    total = out["scar_i"] + out["rot"]
    data = {
        "dcs_iam": (out["iam"], "elastic DCS, independent-atom model with interference"),
        "dcs_iam_scar": (out["scar"], "elastic DCS, IAM-SCAR (no interference)"),
        "dcs_iam_scar_i": (out["scar_i"], "elastic DCS, IAM-SCAR+I"),
        "dcs_rotational": (out["rot"], "rotational excitation DCS, first Born, dJ = +-1, thermal average"),
        "dcs": (total, "elastic (IAM-SCAR+I) + rotational DCS, the quasi-elastic theory"),
    }
    ds = xr.Dataset(
        {n: with_attrs(xr.DataArray(v, dims=d2), DCS_UNITS, ln) for n, (v, ln) in data.items()},
        coords={
            "energy": _energy_coord(energies),
            "angle": _angle_coord(angles),
            "atom": xr.DataArray(
                [f"{s}{i}" for i, s in enumerate(geom.symbols)],
                dims="atom",
                attrs=dim_attrs("atom"),
            ),
        },
    )
    ds["q"] = with_attrs(xr.DataArray(q, dims=d2), "1/angstrom", "momentum transfer q = 2k sin(theta/2)")
    ics_long = {
        "ics_iam_ar": "elastic ICS, additivity rule sum of atomic sigma_el",
        "ics_iam": "elastic ICS, IAM with interference (angular integral)",
        "ics_iam_scar": "elastic ICS, SCAR sum s_i sigma_el,i",
        "ics_iam_scar_i": "elastic ICS, IAM-SCAR+I (angular integral)",
        "ics_rotational": "rotational excitation ICS (closed-form Born, thermal average)",
        "ics_absorption": "inelastic (absorption) ICS, SCAR sum s_i sigma_abs,i",
    }
    keys = ("ar", "iam", "scar", "scar_i", "rot", "abs_scar")
    for (name, ln), key in zip(ics_long.items(), keys):
        ds[name] = with_attrs(xr.DataArray(ics[key], dims="energy"), CS_UNITS, ln)
    ds["ics"] = with_attrs(
        xr.DataArray(ics["scar_i"] + ics["rot"], dims="energy"), CS_UNITS, "elastic (IAM-SCAR+I) + rotational ICS"
    )
    ds["scar_coefficient"] = with_attrs(
        xr.DataArray(s_all, dims=("energy", "atom")), "1", "SCAR screening coefficient s_i"
    )
    ds.attrs.update(
        structure=geom.comment,
        dipole_debye=dipole_debye,
        temperature_k=temperature_k,
        rotational_constant_cm1=b_const * 219474.6313632,
        angle_grid="0-180 deg; ICS by the trapezoid rule on this grid",
    )
    return ds
