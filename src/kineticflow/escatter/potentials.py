"""Complex optical potential of an electron in the field of one neutral atom (atomic units).

V_opt(r) = V_s(r) + V_ex(r) + V_pol(r) + i V_abs(r)   (paper Eqs 1–2), every term a function of r
in bohr returning an energy in hartree. Sign convention: a potential *energy* of the electron, so
the static and polarisation terms are negative (attractive) and V_abs <= 0 removes flux.

Sources, and what each form was checked against:

* static: Salvat, Martínez, Mayol & Parellada, Phys. Rev. A 36, 467 (1987), Eq. (11) and Table I
  (analytic Dirac–Hartree–Fock–Slater screening function). The five rows below agree with the
  same table as coded in ELSEPA's subroutine DHFS (public ELSEPA source, src/elsepa.f, Salvat,
  Jablonski & Powell 2005) to the printed digits (test_potentials.py);
* exchange: Furness & McCarthy, J. Phys. B 6, 2280 (1973), local semiclassical form as written by
  Salvat, Phys. Rev. A 68, 012708 (2003), Eq. (12); identical to ELSEPA's MEXCH = 1 branch
  (V_ex = ½(E − V_s) − ½[(E − V_s)² + 4πρ]^{1/2}, ELSEPA stores r·V and 4πr²ρ);
* polarisation: Buckingham form with the Mittleman–Watson cut-off of Salvat, Jablonski & Powell,
  Comput. Phys. Commun. 165, 157 (2005) (ELSEPA), Eqs (19)–(20); checked against ELSEPA's MCPOL = 1
  branch (d² = [½ α_d b² Z^{−1/3}]^{1/2}) and its default b_pol = ¼ max(E − 50 eV, 16 eV)^{1/2}
  (elscata.f), i.e. b² = max{(E − 50 eV)/16 eV, 1}. α_d within 1–5 % of ELSEPA's ATPOL (CRC) values,
  ionisation energies equal to its EIONZ (NIST);
* absorption (default ``"lda"``): Salvat's (2003) local-density absorption potential as coded in
  ELSEPA (:mod:`kineticflow.escatter.absorption`; checked against the ELSEPA source and a compiled
  ELSEPA run, tests/escatter/test_absorption.py), Δ = first excitation energy, A_abs = 2;
* absorption (``"quasi_free"``, the earlier default): quasi-free scattering model of Staszewska,
  Schwenke & Truhlar, Phys. Rev. A 29, 3078 (1984), in the closed form of Jain & Baluja, Phys.
  Rev. A 45, 202 (1992) (Blanco & García's refinements, Phys. Lett. A 295, 178 (2002) and Phys.
  Rev. A 67, 022701 (2003), are not included). NOT checked against either original (no copy
  reachable); only its high-energy limit (W → −½ v ρ σ_b, σ_b → 2π/(EΔ)) was checked. With Δ the
  first ionisation energy for every electron it absorbs strongly inside the L shells (mean free
  path below 1 bohr at r ≈ 0.5–1 bohr in Cl at 300 eV, 5–40 × the LDA value there), which cuts the
  atomic DCS at 60–150° to 0.13–0.46 of ELSEPA's for C at 100–300 eV; docs/escatter.md.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from kineticflow.escatter import absorption as lda_model

HARTREE_EV = 27.211386245988  # CODATA 2018
BOHR_ANGSTROM = 0.529177210903  # CODATA 2018
DEBYE_AU = 0.3934303  # 1 D in e a0


class UnknownElementError(KeyError):
    """An element with no tabulated potential parameters."""

    def __str__(self) -> str:  # KeyError quotes its message; keep it one plain line
        return str(self.args[0])


@dataclass(frozen=True)
class Atom:
    """Tabulated constants of one atom.

    Attributes
    ----------
    symbol : str
    z : int
        Atomic number.
    a, alpha : tuple of float
        Salvat et al. (1987) Table I screening parameters A_i and α_i (1/bohr); A_3 = 1 − A_1 − A_2.
    polarisability : float
        Static dipole polarisability α_d in bohr³ (Schwerdtfeger & Nagle, Mol. Phys. 117, 1200
        (2019), 2018 table of recommended values).
    ionisation_ev : float
        First ionisation energy in eV (NIST Atomic Spectra Database); the gap Δ of the quasi-free
        absorption potential.
    excitation_ev : float
        First excitation energy in eV (NIST, as tabulated in ELSEPA's EEX1Z); the gap Δ of the LDA
        absorption potential (ELSEPA's default for electrons).
    """

    symbol: str
    z: int
    a: tuple[float, ...]
    alpha: tuple[float, ...]
    polarisability: float
    ionisation_ev: float
    excitation_ev: float


def _salvat(
    a1: float, a2: float, al1: float, al2: float, al3: float | None
) -> tuple[tuple[float, ...], tuple[float, ...]]:
    if al3 is None:  # Table I rows marked * were fitted with A_3 = 0
        return (a1, a2), (al1, al2)
    return (a1, a2, 1.0 - a1 - a2), (al1, al2, al3)


# Salvat et al. (1987) Table I for the five elements of isoflurane (taken from a public transcription
# of the table, see docs/escatter.md; checked by the H exact form, ∫ρ = Z and ELSEPA comparisons).
ATOMS: dict[str, Atom] = {
    "H": Atom("H", 1, *_salvat(-184.39, 185.39, 2.0027, 1.9973, None), 4.50711, 13.598434, 10.20),
    "C": Atom("C", 6, *_salvat(0.1537, 0.8463, 8.0404, 1.4913, None), 11.3, 11.260288, 1.26),
    "O": Atom("O", 8, *_salvat(0.0625, 0.9375, 14.823, 2.0403, None), 5.3, 13.618055, 1.97),
    "F": Atom("F", 9, *_salvat(0.0368, 0.9632, 21.400, 2.3060, None), 3.74, 17.42282, 12.70),
    "Cl": Atom("Cl", 17, *_salvat(0.7249, -0.7548, 6.2118, 3.3883, 1.8596), 14.6, 12.967632, 8.92),
}


def atom(symbol: str) -> Atom:
    """The tabulated constants of ``symbol``.

    Raises
    ------
    UnknownElementError
        If the element is not tabulated (names the element and the ones that are).
    """
    try:
        return ATOMS[symbol]
    except KeyError:
        raise UnknownElementError(
            f"element {symbol!r} has no optical-potential parameters; known: {', '.join(ATOMS)}"
        ) from None


def screening_function(r: ArrayLike, at: Atom) -> NDArray[np.float64]:
    """Salvat et al. (1987) Eq. (11): φ(r) = Σ_i A_i exp(−α_i r), with φ(0) = 1.

    Parameters
    ----------
    r : array_like
        Radius in bohr.
    at : Atom

    Returns
    -------
    ndarray
        φ(r), dimensionless, same shape as ``r``.
    """
    r = np.asarray(r, dtype=float)
    return np.sum([ai * np.exp(-al * r) for ai, al in zip(at.a, at.alpha)], axis=0)


def static_potential(r: ArrayLike, at: Atom) -> NDArray[np.float64]:
    r"""Electrostatic potential energy of the electron, V_s(r) = −Z φ(r)/r (hartree).

    .. math::

        V_s(r) = -\frac{Z}{r}\sum_i A_i e^{-\alpha_i r}

    Parameters
    ----------
    r : array_like
        Radius in bohr (> 0).
    at : Atom

    Returns
    -------
    ndarray
        Hartree, same shape as ``r``.

    References
    ----------
    Salvat, Martínez, Mayol & Parellada, Phys. Rev. A 36, 467 (1987), Eqs (10)–(11), Table I;
    Phys. Chem. Chem. Phys. 26, 985 (2024), Eq. 1.
    """
    r = np.asarray(r, dtype=float)
    return -at.z * screening_function(r, at) / r


def electron_density(r: ArrayLike, at: Atom) -> NDArray[np.float64]:
    """Atomic electron number density ρ(r) = Z/(4πr) Σ A_i α_i² e^{−α_i r} (bohr⁻³).

    Follows from Poisson's equation for V_s (Salvat et al. 1987, Eq. (12)); ∫ρ d³r = Z.
    """
    r = np.asarray(r, dtype=float)
    s = np.sum([ai * al**2 * np.exp(-al * r) for ai, al in zip(at.a, at.alpha)], axis=0)
    return at.z * s / (4.0 * np.pi * r)


def hydrogen_static_exact(r: ArrayLike) -> NDArray[np.float64]:
    """Exact static potential energy of an electron and a ground-state H atom: −(1/r + 1) e^{−2r}.

    Parameters
    ----------
    r : array_like
        Radius in bohr.

    Returns
    -------
    ndarray
        Hartree.
    """
    r = np.asarray(r, dtype=float)
    return -(1.0 / r + 1.0) * np.exp(-2.0 * r)


def exchange_potential(r: ArrayLike, at: Atom, energy: float) -> NDArray[np.float64]:
    r"""Furness–McCarthy local exchange potential (hartree).

    .. math::

        V_{ex} = \tfrac12 (E - V_s) - \tfrac12\left[(E - V_s)^2 + 4\pi\rho\right]^{1/2}

    E the kinetic energy of the projectile, V_s the static potential energy, ρ the electron
    density; V_ex ≤ 0 and → −πρ/(E − V_s) where the density is small.

    Parameters
    ----------
    r : array_like
        Radius in bohr (> 0).
    at : Atom
    energy : float
        Projectile kinetic energy, hartree.

    Returns
    -------
    ndarray
        Hartree, same shape as ``r``.

    References
    ----------
    Furness & McCarthy, J. Phys. B 6, 2280 (1973); Salvat, Phys. Rev. A 68, 012708 (2003),
    Eq. (12).
    """
    r = np.asarray(r, dtype=float)
    t = energy - static_potential(r, at)
    four_pi_rho = 4.0 * np.pi * electron_density(r, at)
    # written as −2πρ/(t + sqrt(t² + 4πρ)) to avoid the cancellation of the two halves
    return -0.5 * four_pi_rho / (t + np.sqrt(t * t + four_pi_rho))


def polarisation_cutoff(at: Atom, energy: float) -> float:
    """Cut-off radius d (bohr) of the Buckingham polarisation potential.

    d⁴ = ½ α_d Z^{−1/3} b², b² = max{(E − 50 eV)/(16 eV), 1} (Salvat, Jablonski & Powell 2005,
    Eq. (20), after Mittleman & Watson).
    """
    e_ev = energy * HARTREE_EV
    b2 = max((e_ev - 50.0) / 16.0, 1.0)
    return float((0.5 * at.polarisability * at.z ** (-1.0 / 3.0) * b2) ** 0.25)


def polarisation_potential(r: ArrayLike, at: Atom, energy: float) -> NDArray[np.float64]:
    r"""Buckingham polarisation potential (hartree).

    .. math::

        V_{pol}(r) = -\frac{\alpha_d}{2 (r^2 + d^2)^2}

    Tends to −α_d/(2r⁴) far out; finite at the nucleus. d from :func:`polarisation_cutoff`.

    Parameters
    ----------
    r : array_like
        Radius in bohr.
    at : Atom
    energy : float
        Projectile kinetic energy, hartree.

    Returns
    -------
    ndarray
        Hartree, same shape as ``r``.

    References
    ----------
    Salvat, Jablonski & Powell, Comput. Phys. Commun. 165, 157 (2005), Eqs (19)–(20);
    Phys. Chem. Chem. Phys. 26, 985 (2024), Eq. 1.
    """
    r = np.asarray(r, dtype=float)
    d = polarisation_cutoff(at, energy)
    return -at.polarisability / (2.0 * (r * r + d * d) ** 2)


def absorption_potential(r: ArrayLike, at: Atom, energy: float) -> NDArray[np.float64]:
    """Quasi-free scattering absorption potential V_abs(r) ≤ 0 (hartree), the imaginary part.

    Staszewska, Schwenke & Truhlar (1984), in the form of Jain & Baluja, Phys. Rev. A 45, 202
    (1992), Eqs (7)–(8):

    V_abs = −ρ (T_L/2)^{1/2} [8π/(10 k_F³ E)] H(p² − k_F² − 2Δ) (A₁ + A₂ + A₃),

    with the incident energy E = p²/2, the local kinetic energy T_L = E − V_s − V_ex − V_pol, the
    Fermi momentum k_F = (3π²ρ)^{1/3}, the gap Δ (first ionisation energy) and

    A₁ = 5k_F³/(2Δ),  A₂ = −k_F³(5p² − 3k_F²)/(p² − k_F²)²,
    A₃ = 2 H(2k_F² + 2Δ − p²) (2k_F² + 2Δ − p²)^{5/2} / (p² − k_F²)².

    The step function is Pauli blocking: where the local Fermi energy k_F²/2 exceeds E − Δ (the
    inner shells) no binary collision can lift a target electron above the Fermi sea, so the
    potential vanishes there.
    """
    r = np.asarray(r, dtype=float)
    delta = at.ionisation_ev / HARTREE_EV
    t_loc = energy - (
        static_potential(r, at) + exchange_potential(r, at, energy) + polarisation_potential(r, at, energy)
    )
    rho = electron_density(r, at)
    kf2 = (3.0 * np.pi**2 * rho) ** (2.0 / 3.0)
    kf3 = kf2**1.5
    p2 = 2.0 * energy
    open_ = (p2 - kf2 - 2.0 * delta > 0) & (kf3 > 0)
    den = np.where(open_, (p2 - kf2) ** 2, 1.0)
    a1 = 5.0 * kf3 / (2.0 * delta)
    a2 = -kf3 * (5.0 * p2 - 3.0 * kf2) / den
    x3 = np.clip(2.0 * kf2 + 2.0 * delta - p2, 0.0, None)
    a3 = 2.0 * x3**2.5 / den
    pref = rho * np.sqrt(np.clip(t_loc, 0.0, None) / 2.0) * 8.0 * np.pi / (10.0 * np.where(kf3 > 0, kf3, 1.0) * energy)
    return np.where(open_, -pref * (a1 + a2 + a3), 0.0)


#: Absorption models of the imaginary part: Salvat's LDA (ELSEPA, default), the quasi-free model, none
ABSORPTION_MODELS = ("lda", "quasi_free", "none")
#: log-spaced radii per decade on which the LDA absorption is evaluated (interpolated in ln r between)
LDA_NODES_PER_DECADE = 64


def absorption_model(value: str | bool) -> str:
    """Normalise a configured absorption model: ``True`` → ``"quasi_free"``, ``False`` → ``"none"``.

    Raises
    ------
    ValueError
        For a name not in :data:`ABSORPTION_MODELS` (one line naming the allowed values).
    """
    if value is True:
        return "quasi_free"
    if value is False:
        return "none"
    if value not in ABSORPTION_MODELS:
        raise ValueError(f"absorption model {value!r} unknown; choose one of {', '.join(ABSORPTION_MODELS)}")
    return str(value)


def lda_absorption(r: ArrayLike, at: Atom, energy: float, strength: float = lda_model.A_ABS) -> NDArray[np.float64]:
    """Salvat's (2003) LDA absorption potential of ``at`` (hartree, ≤ 0), as in ELSEPA.

    W_abs = −½ A_abs v_L ρ σ_bc(E_L, ρ, Δ) (:func:`kineticflow.escatter.absorption.lda_absorption_potential`), E_L =
    E − V_s − V_ex, Δ = the first excitation energy. Evaluated on
    :data:`LDA_NODES_PER_DECADE` log-spaced radii spanning ``r`` and interpolated linearly in ln r
    (the σ_bc quadrature is the cost; the interpolation changes σ_abs by < 0.2 %, tested).
    """
    r = np.asarray(r, dtype=float)
    lo, hi = float(np.min(r)), float(np.max(r))
    n = max(int(np.ceil(np.log10(hi / lo) * LDA_NODES_PER_DECADE)), 1) + 1
    nodes = np.geomspace(lo, hi, n)
    loc = energy - static_potential(nodes, at) - exchange_potential(nodes, at, energy)
    w = lda_model.lda_absorption_potential(
        nodes, electron_density(nodes, at), loc, at.excitation_ev / HARTREE_EV, strength
    )
    return np.interp(np.log(r), np.log(nodes), w)


def optical_potential(
    r: ArrayLike, at: Atom, energy: float, *, absorption: str | bool = "lda"
) -> NDArray[np.complex128]:
    """The complex optical potential V_opt(r) = V_s + V_ex + V_pol + i V_abs (hartree).

    Parameters
    ----------
    r : array_like
        Radius in bohr (> 0).
    at : Atom
    energy : float
        Projectile kinetic energy in hartree.
    absorption : {"lda", "quasi_free", "none"} or bool
        Imaginary part: Salvat's LDA (:func:`lda_absorption`), the quasi-free model
        (:func:`absorption_potential`) or none; ``True``/``False`` mean quasi-free/none (the
        earlier boolean setting).

    Returns
    -------
    ndarray, complex
        Hartree, same shape as ``r``.

    Raises
    ------
    ValueError
        For an unknown absorption model.

    References
    ----------
    Phys. Chem. Chem. Phys. 26, 985 (2024), Eqs 1–2.
    """
    model = absorption_model(absorption)
    real = static_potential(r, at) + exchange_potential(r, at, energy) + polarisation_potential(r, at, energy)
    if model == "lda":
        imag = lda_absorption(r, at, energy)
    elif model == "quasi_free":
        imag = absorption_potential(r, at, energy)
    else:
        imag = np.zeros_like(real)
    return real + 1j * imag
