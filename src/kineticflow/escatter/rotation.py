"""Rotational excitation of a polar molecule by electron impact, first Born approximation.

Point-dipole rigid rotor, ΔJ = ±1 (atomic units; e.g. Itikawa, Phys. Rep. 46, 117 (1978); Fuss et
al., as used in the paper, Sec. 3):

dσ/dΩ (J → J') = (4/3) (k'/k) D² (J_>/(2J + 1)) / K²,   K² = k² + k'² − 2kk' cos θ,

J_> = max(J, J'), k'²/2 = k²/2 − ΔE, ΔE = B[J'(J'+1) − J(J+1)] (linear-rotor levels). Its angular
integral is closed:

σ(J → J') = (8π/3) (D²/k²) (J_>/(2J + 1)) ln[(k + k')/|k − k'|].

Thermal average over J with linear-rotor Boltzmann populations P_J ∝ (2J + 1) e^{−BJ(J+1)/k_BT}.
The large-angle correction of Dickinson used in the paper is not applied.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

BOLTZMANN_HARTREE_PER_K = 3.166811563e-6


def transition_dcs(
    angle_deg: ArrayLike, k: float, dipole: float, j: int, dj: int, b_const: float
) -> NDArray[np.float64]:
    r"""First-Born DCS of the rotational transition J → J + dj of a point dipole (bohr² sr⁻¹).

    .. math::

        \frac{d\sigma}{d\Omega} = \frac{4}{3}\frac{k'}{k} D^2 \frac{J_>}{2J + 1}\frac{1}{K^2},
        \quad K^2 = (k - k')^2 + 4kk'\sin^2(\theta/2)

    Parameters
    ----------
    angle_deg : array_like, shape (n,)
        Scattering angles, degrees.
    k : float
        Initial wavenumber, 1/bohr.
    dipole : float
        Dipole moment D, e a₀.
    j, dj : int
        Initial level and its change (±1).
    b_const : float
        Rotational constant B, hartree.

    Returns
    -------
    ndarray, shape (n,)
        bohr² sr⁻¹.

    Raises
    ------
    ValueError
        If the transition is not dipole-allowed (dj ≠ ±1 or J + dj < 0).

    References
    ----------
    Itikawa, Phys. Rep. 46, 117 (1978); as used in Phys. Chem. Chem. Phys. 26, 985 (2024), Sec. 3.
    """
    kp = _final_k(k, j, dj, b_const)
    th = np.deg2rad(np.asarray(angle_deg, dtype=float))
    kk = (k - kp) ** 2 + 4.0 * k * kp * np.sin(th / 2.0) ** 2  # K², free of cancellation near 0
    return (4.0 / 3.0) * (kp / k) * dipole**2 * (max(j, j + dj) / (2 * j + 1)) / kk


def transition_ics(k: float, dipole: float, j: int, dj: int, b_const: float) -> float:
    r"""Closed-form first-Born ICS of J → J + dj (bohr²), the angular integral of :func:`transition_dcs`.

    .. math::

        \sigma = \frac{8\pi}{3}\frac{D^2}{k^2}\frac{J_>}{2J + 1}\ln\frac{k + k'}{|k - k'|}

    Parameters
    ----------
    k, dipole, j, dj, b_const
        As :func:`transition_dcs`.

    Returns
    -------
    float
        bohr².

    Raises
    ------
    ValueError
        If the transition is not dipole-allowed.

    References
    ----------
    Itikawa, Phys. Rep. 46, 117 (1978).

    Examples
    --------
    J = 0 → 1 (J_> = 1, ΔE = 2B) at k = 1, D = 1:

    >>> kp = np.sqrt(1.0 - 2 * 2 * 0.0005)
    >>> bool(np.isclose(transition_ics(1.0, 1.0, 0, 1, 0.0005), 8 * np.pi / 3 * np.log((1 + kp) / (1 - kp))))
    True
    """
    kp = _final_k(k, j, dj, b_const)
    return float(
        (8.0 * np.pi / 3.0) * dipole**2 / k**2 * (max(j, j + dj) / (2 * j + 1)) * np.log((k + kp) / abs(k - kp))
    )


def _final_k(k: float, j: int, dj: int, b_const: float) -> float:
    if dj not in (1, -1) or j + dj < 0:
        raise ValueError(f"rotational transition J={j} -> {j + dj} is not dipole-allowed (dJ = +-1, J' >= 0)")
    de = b_const * ((j + dj) * (j + dj + 1) - j * (j + 1))
    return float(np.sqrt(k * k - 2.0 * de))


def populations(b_const: float, temperature: float, tol: float = 1e-8) -> NDArray[np.float64]:
    r"""Linear-rotor Boltzmann populations P_J ∝ (2J + 1) exp[−BJ(J + 1)/k_BT], J = 0 … J_max.

    Parameters
    ----------
    b_const : float
        Rotational constant B, hartree.
    temperature : float
        Gas temperature, K.
    tol : float
        Relative population at which the sum is cut.

    Returns
    -------
    ndarray, shape (J_max + 1,)
        Populations summing to 1.

    Examples
    --------
    >>> p = populations(1e-7, 300.0)
    >>> bool(abs(p.sum() - 1.0) < 1e-12)
    True
    """
    kt = BOLTZMANN_HARTREE_PER_K * temperature
    j_max = int(np.sqrt(kt / b_const * (-np.log(tol) + 5.0))) + 5
    j = np.arange(j_max + 1)
    w = (2 * j + 1) * np.exp(-b_const * j * (j + 1) / kt)
    return w / w.sum()


def thermal_dcs_ics(
    angle_deg: ArrayLike, k: float, dipole: float, b_const: float, temperature: float
) -> tuple[NDArray[np.float64], float]:
    """Thermally averaged rotational DCS and ICS, ΔJ = ±1 summed over the :func:`populations`.

    Parameters
    ----------
    angle_deg : array_like, shape (n,)
        Scattering angles, degrees.
    k, dipole, b_const : float
        Wavenumber (1/bohr), dipole (e a₀), rotational constant (hartree).
    temperature : float
        K.

    Returns
    -------
    dcs : ndarray, shape (n,)
        bohr² sr⁻¹.
    ics : float
        bohr² (closed form, :func:`transition_ics`).

    References
    ----------
    Itikawa, Phys. Rep. 46, 117 (1978); Phys. Chem. Chem. Phys. 26, 985 (2024), Sec. 3 (without
    Dickinson's large-angle correction).
    """
    p = populations(b_const, temperature)
    dcs = np.zeros(np.shape(angle_deg))
    ics = 0.0
    for j, pj in enumerate(p):
        for dj in (1, -1) if j > 0 else (1,):
            dcs += pj * transition_dcs(angle_deg, k, dipole, j, dj, b_const)
            ics += pj * transition_ics(k, dipole, j, dj, b_const)
    return dcs, ics
