"""Crystal structures, reciprocal lattice vectors and structure factors for the XFH branch.

Conventions (S. Marchesini et al., *Holographic analysis of diffraction structure factors*, text
above Eq. 7; docs/xfh.md "Structure factors"):

* lengths in Å, reciprocal vectors **with** the 2π: h = 2π (h, k, l)/a for a cubic cell, Å⁻¹;
* the origin of the unit cell is on the emitting atom;
* S_h = Σ_j f_j(|h|, E) exp(+i h·r_j) (crystallographic sign), f = f₀(q) + f′(E) + i f″(E);
* F_h = −(r_e / V_c) S_h, in Å⁻² (the paper's structure factor: a Fourier coefficient of −r_e ρ).

Supported structures: the built-in ones of :data:`SUPPORTED_STRUCTURES` only (cubic, point group
m-3m, emitter at a centre of symmetry). Both are centrosymmetric about the emitter, so
S_h = S_{−h} and the sign of the exponent does not matter for them (tests check S_h = S_{−h}).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
import periodictable
from numpy.typing import ArrayLike, NDArray
from scipy import constants

from kineticflow.core.form_factors import atomic_form_factor

#: Classical electron radius r_e, Å (CODATA via scipy.constants).
R_E_ANGSTROM = constants.physical_constants["classical electron radius"][0] * 1e10
#: hc in keV·Å (λ[Å] = HC_KEV_ANGSTROM / E[keV]).
HC_KEV_ANGSTROM = constants.h * constants.c / constants.e * 1e7

_FCC = ((0.0, 0.0, 0.0), (0.0, 0.5, 0.5), (0.5, 0.0, 0.5), (0.5, 0.5, 0.0))
_BCC = ((0.0, 0.0, 0.0), (0.5, 0.5, 0.5))


@dataclass(frozen=True)
class Crystal:
    """A cubic crystal with the emitter at the origin.

    Attributes
    ----------
    name : str
        Label, e.g. ``"V"``.
    a : float
        Cubic lattice constant, Å.
    emitter : str
        Element symbol of the emitting/detecting atom (at the origin).
    sites : tuple of (str, (float, float, float))
        Every atom of the conventional cubic cell: element and fractional coordinates.
    centring : tuple of (float, float, float)
        Lattice translations of the centred cell (fractional); (0, 0, 0) first.
    """

    name: str
    a: float
    emitter: str
    sites: tuple[tuple[str, tuple[float, float, float]], ...]
    centring: tuple[tuple[float, float, float], ...]

    @property
    def volume(self) -> float:
        """Volume V_c of the conventional cell, Å³."""
        return float(self.a**3)


#: The built-in structures, the only ones the branch supports (no CIF reading): name ->
#: (space group, description). Every one is cubic with point group m-3m (the symmetrisation of
#: :mod:`kineticflow.xfh.processing` and the families of :mod:`kineticflow.xfh.phases` assume it)
#: and centrosymmetric about the emitter at the origin.
SUPPORTED_STRUCTURES: dict[str, tuple[str, str]] = {
    "V": ("Im-3m (No. 229)", "bcc vanadium, emitter V at (000)"),
    "PbSe": ("Fm-3m (No. 225)", "rock salt, emitter Se at (000) and Pb at (1/2 1/2 1/2)"),
}
#: Crystals the branch knows (the ``xfh.crystals`` config keys and ``xfh.run`` entries).
KNOWN_CRYSTALS = tuple(SUPPORTED_STRUCTURES)


def make_crystal(name: str, a: float) -> Crystal:
    """The branch's crystals: V (bcc) and PbSe (rock salt, Se at the origin).

    Parameters
    ----------
    name : {"V", "PbSe"}
        Crystal label.
    a : float
        Cubic lattice constant, Å (V 3.03 Å, PbSe 6.12 Å in the default config).

    Returns
    -------
    Crystal

    Raises
    ------
    ValueError
        For an unknown name.
    """
    if name == "V":
        return Crystal("V", a, "V", tuple(("V", t) for t in _BCC), _BCC)
    if name == "PbSe":
        se = tuple(("Se", t) for t in _FCC)
        pb = tuple(("Pb", (x + 0.5, y + 0.5, z + 0.5)) for x, y, z in _FCC)
        return Crystal("PbSe", a, "Se", se + pb, _FCC)
    raise ValueError(f"unknown crystal '{name}'; known: {', '.join(KNOWN_CRYSTALS)}")


def wavenumber(energy_kev: ArrayLike) -> NDArray[np.float64]:
    """Vacuum wave number k = 2π/λ = 2π E / (hc), Å⁻¹, for a photon energy in keV.

    Examples
    --------
    >>> round(float(wavenumber(12.398419843320026)), 6)  # λ = 1 Å
    6.283185
    """
    return 2 * np.pi * np.asarray(energy_kev, dtype=float) / HC_KEV_ANGSTROM


def reciprocal_lattice(crystal: Crystal, h_max: float) -> NDArray[np.int64]:
    """Miller indices of every reciprocal lattice vector with 0 < |h| ≤ h_max.

    Lattice vectors of the centred lattice only: (h, k, l) with exp(2πi (h,k,l)·t) = 1 for every
    centring translation t (bcc: h+k+l even; fcc: all even or all odd).

    Parameters
    ----------
    crystal : Crystal
    h_max : float
        Largest |h| = 2π √(h²+k²+l²)/a, Å⁻¹.

    Returns
    -------
    ndarray of int, shape (n, 3)
        Sorted by |h|, then lexicographically.
    """
    n = int(np.ceil(h_max * crystal.a / (2 * np.pi)))
    r = np.arange(-n, n + 1)
    hkl = np.stack(np.meshgrid(r, r, r, indexing="ij"), axis=-1).reshape(-1, 3)
    norm = 2 * np.pi * np.linalg.norm(hkl, axis=1) / crystal.a
    keep = (norm > 0) & (norm <= h_max * (1 + 1e-12))
    for t in crystal.centring[1:]:
        keep &= np.isclose(np.mod(hkl @ np.asarray(t), 1.0), 0.0) | np.isclose(np.mod(hkl @ np.asarray(t), 1.0), 1.0)
    hkl = hkl[keep]
    order = np.lexsort((hkl[:, 2], hkl[:, 1], hkl[:, 0], np.round(np.sum(hkl**2, axis=1))))
    return hkl[order]


def h_vectors(crystal: Crystal, hkl: ArrayLike) -> NDArray[np.float64]:
    """Cartesian reciprocal vectors h = 2π (h, k, l)/a, Å⁻¹, shape (n, 3)."""
    return 2 * np.pi * np.asarray(hkl, dtype=float) / crystal.a


@cache
def _henke(element: str, energy_kev: float) -> tuple[float, float]:
    el = getattr(periodictable.elements, element)
    f1, f2 = el.xray.scattering_factors(energy=energy_kev)
    if not (np.isfinite(f1) and np.isfinite(f2)):
        raise ValueError(f"no Henke f1, f2 for '{element}' at {energy_kev} keV (periodictable covers 0.01-30 keV)")
    return float(f1), float(f2)


def anomalous_factors(element: str, energy_kev: float) -> tuple[float, float]:
    """Dispersion corrections f′(E) = f₁(E) − Z and f″(E) = f₂(E), electrons.

    From periodictable's Henke tables (f₁ is the forward scattering factor Z* + f′, with the
    small relativistic correction Z − Z* folded into f′; f₂ = f″ ≥ 0).

    Raises
    ------
    ValueError
        Outside the tabulated energy range.
    """
    f1, f2 = _henke(element, float(energy_kev))
    return f1 - getattr(periodictable.elements, element).number, f2


def scattering_factor(element: str, q: ArrayLike, energy_kev: float) -> NDArray[np.complex128]:
    """Atomic scattering factor f = f₀(q) + f′(E) + i f″(E), electrons, shape of ``q``.

    ``q`` = |h| in Å⁻¹ (4π sinθ/λ); f₀ from :func:`kineticflow.core.form_factors.atomic_form_factor`.
    """
    q = np.asarray(q, dtype=float)
    fp, fpp = anomalous_factors(element, energy_kev)
    return np.asarray(atomic_form_factor(element, q.ravel()).reshape(q.shape) + fp + 1j * fpp, dtype=np.complex128)


def structure_factor_s(crystal: Crystal, hkl: ArrayLike, energy_kev: float) -> NDArray[np.complex128]:
    """Structure factor S_h = Σ_j f_j(|h|, E) exp(i h·r_j) of the conventional cell, electrons.

    Parameters
    ----------
    crystal : Crystal
    hkl : array_like of int, shape (n, 3)
        Miller indices.
    energy_kev : float
        Photon energy of the scattered wave (for f′, f″), keV.

    Returns
    -------
    ndarray of complex, shape (n,)

    References
    ----------
    S. Marchesini et al., text above Eq. 7 (origin on the emitter).
    """
    hkl = np.atleast_2d(np.asarray(hkl, dtype=float))
    q = 2 * np.pi * np.linalg.norm(hkl, axis=1) / crystal.a
    out = np.zeros(len(hkl), dtype=complex)
    for element, frac in crystal.sites:
        out += scattering_factor(element, q, energy_kev) * np.exp(2j * np.pi * (hkl @ np.asarray(frac)))
    return out


def structure_factor_f(s_h: ArrayLike, volume: float) -> NDArray[np.complex128]:
    """F_h = −(r_e / V_c) S_h, Å⁻², the Fourier coefficient of −r_e ρ(r).

    Parameters
    ----------
    s_h : array_like of complex
        Structure factors S_h of the conventional cell, electrons.
    volume : float
        Cell volume V_c, Å³.

    Returns
    -------
    ndarray of complex
        F_h, shape of ``s_h``.

    References
    ----------
    S. Marchesini et al., text above Eq. 7.
    """
    return -R_E_ANGSTROM / volume * np.asarray(s_h, dtype=complex)


def bragg_angle(h_norm: ArrayLike, k: float) -> NDArray[np.float64]:
    """Bragg angle θ_B = arcsin(|h| / 2k), rad; NaN where |h| ≥ 2k (no Bragg condition).

    The Kossel cone about h has half-opening π/2 − θ_B; the deviation 2θ_B between the incident
    and reflected directions is the Kossel cone angle reported in the tables.

    Examples
    --------
    >>> float(np.degrees(bragg_angle(1.0, 1.0)))
    30.000000000000004
    """
    x = np.asarray(h_norm, dtype=float) / (2 * k)
    with np.errstate(invalid="ignore"):
        return np.where(x < 1, np.arcsin(np.clip(x, -1, 1)), np.nan)


def bragg_accessible(h_norm: ArrayLike, k: float) -> NDArray[np.bool_]:
    """True where |h| < 2k: the reflection meets a Bragg condition for some direction of k."""
    return np.asarray(h_norm, dtype=float) < 2 * k


def k_edge_kev(element: str) -> float:
    """K absorption-edge energy of ``element``, keV (xraylib ``EdgeEnergy``)."""
    import xraylib  # noqa: PLC0415 - optional heavy import on use

    return float(xraylib.EdgeEnergy(getattr(periodictable.elements, element).number, xraylib.K_SHELL))


def k_alpha_kev(element: str) -> float:
    """Kα fluorescence energy (intensity-weighted Kα₁,₂), keV (xraylib ``LineEnergy``, KA_LINE)."""
    import xraylib  # noqa: PLC0415

    return float(xraylib.LineEnergy(getattr(periodictable.elements, element).number, xraylib.KA_LINE))


def absorption_k_i(crystal: Crystal, energy_kev: float) -> float:
    """Imaginary wave number k_i = μ/2 from photo-absorption alone, Å⁻¹.

    μ = 2 r_e λ Σ_j f″_j / V_c (the optical theorem with the atoms of one cell).
    """
    lam = HC_KEV_ANGSTROM / energy_kev
    f2 = sum(anomalous_factors(el, energy_kev)[1] for el, _ in crystal.sites)
    return float(R_E_ANGSTROM * lam * f2 / crystal.volume)


def scattering_energy_kev(emitter: str, mode: str, energy_kev: float | None) -> float:
    """Energy of the wave that scatters, keV.

    Parameters
    ----------
    emitter : str
        Element symbol of the emitting atom.
    mode : {"inside_detector", "inside_source"}
        Holography mode.
    energy_kev : float or None
        The incident energy (inside detector) or the emitted one (inside source), keV; None in
        inside-source mode means the emitter's Kα line.

    Returns
    -------
    float
        keV.

    Raises
    ------
    TypeError
        ``energy_kev`` None in inside-detector mode (the config check refuses it first).

    Notes
    -----
    Inside source the fluorescence of the emitter is the wave that scatters; inside detector the
    incident beam is (docs/xfh.md "The measurement").
    """
    if mode == "inside_source" and energy_kev is None:
        return k_alpha_kev(emitter)
    return float(energy_kev)  # type: ignore[arg-type]
