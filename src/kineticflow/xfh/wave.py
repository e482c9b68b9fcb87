"""The crystal and the wave that scatters in it, and the attributes every XFH dataset carries.

Shared by the rules (:mod:`kineticflow.xfh.steps`) and the config check of a user's hologram
(:mod:`kineticflow.xfh.config`), which compares the file with these attributes before any job.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kineticflow.xfh import crystals as cr

if TYPE_CHECKING:
    from kineticflow.xfh.config import WaveParams


def scattered_wave(p: WaveParams) -> tuple[cr.Crystal, float, float, float]:
    """The crystal, the energy of the wave that scatters (keV) and k_r, k_i (Å⁻¹).

    Parameters
    ----------
    p : WaveParams
        One ``xfh.crystals`` entry (built in or from a CIF) and ``k_i_over_k_r``.

    Returns
    -------
    crystal : Crystal
    energy_kev : float
        Incident energy (inside detector) or the emitter's line (inside source), keV.
    k_r, k_i : float
        Real wave number 2π/λ and the effective imaginary one (Eq. 8), Å⁻¹.
    """
    crystal = p.make_crystal()
    energy = cr.scattering_energy_kev(crystal.emitter, p.mode, p.energy_kev)
    k_r = float(cr.wavenumber(energy))
    return crystal, energy, k_r, p.k_i_over_k_r * k_r


def wave_attrs(p: WaveParams, object_term: bool) -> dict[str, Any]:
    """Attributes of the configured wave: crystal, emitter, a (Å), mode, energy (keV), k_r, k_i, absorption k_i (Å⁻¹).

    Parameters
    ----------
    p : WaveParams
        The crystal and the wave.
    object_term : bool
        Whether Eq. 10's object term is in the hologram (stored as 0/1).

    Returns
    -------
    dict
        The attributes of ``simulate_hologram``'s dataset, which ``fit_phases`` reads.
    """
    crystal, energy, k_r, k_i = scattered_wave(p)
    return {
        "crystal": p.crystal,
        "emitter": crystal.emitter,
        "lattice_constant_angstrom": crystal.a,
        "mode": p.mode,
        "energy_kev": energy,
        "k_r_inv_angstrom": k_r,
        "k_i_inv_angstrom": k_i,
        "k_i_absorption_inv_angstrom": cr.absorption_k_i(crystal, energy),
        "object_term": int(object_term),
    }
