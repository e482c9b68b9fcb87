"""LDA absorption potential of Salvat (2003), as coded in ELSEPA (atomic units).

The imaginary part of the optical potential is the local-density approximation of the loss rate of
the projectile in a degenerate free-electron gas of the local density ρ(r):

W_abs(r) = −½ A_abs v_L ρ σ_bc(E_L, ρ, Δ)

(Salvat, Phys. Rev. A 68, 012708 (2003); Salvat, Jablonski & Powell, Comput. Phys. Commun. 165,
157 (2005), the absorption section; equation numbers not given because neither text was at hand),
with the local kinetic energy E_L = E − V_s − V_ex (static
plus exchange, no polarisation, as in ELSEPA), v_L = (2E_L)^{1/2}, and σ_bc the cross section per
gas electron for *electron–hole* (binary) excitations with energy loss W > Δ, from Lindhard's
dielectric function in the first Born approximation, with the Ochkur exchange factor for electrons
and W ≤ (E_L − E_F)/2 (the faster outgoing electron is the primary). Plasmon excitations are left
out (ELSEPA's absorption mode "electron-hole excitations only"). A_abs = 2 and Δ = the atom's first
excitation energy (NIST) are ELSEPA's defaults for electrons (program ELSCATA: VABSA = 2,
VABSD = EEX1Z(Z)).

In the reduced variables of Lindhard, x = W/E_F and z = q/(2k_F) (E_F = k_F²/2, k_F = (3π²ρ)^{1/3}),
u = x/(4z), χ² = 1/(π k_F) = (3/16)(ω_p/E_F)², the dielectric function is
ε = 1 + (χ²/z²)(f₁ + i f₂) (Lindhard, K. Dan. Vidensk. Selsk. Mat.-Fys. Medd. 28, no. 8 (1954)) and

dσ_bc/dx = [3/(4 E_L E_F)] ∫ dz z f₂ F_ex / [(z² + χ² f₁)² + (χ² f₂)²],

z between max{½(√X − √(X − x)), ½(√(x+1) − 1)} and min{½(√X + √(X − x)), ½(√(x+1) + 1)}
(momentum conservation and the electron–hole continuum), X = E_L/E_F, F_ex = 1 − f(1 − f),
f = 4z²/(X − x) (Ochkur). For x ≫ 1 this tends to the Mott (Møller) cross section per electron
π/(E_L W²)[1 − f(1 − f)], f = W/(E_L − W) (tested, :func:`mott_restricted_cross_section`).

What was checked against an original: every formula above against the public ELSEPA source
(src/elsepa.f: subroutine ELSEPA, absorption block; XSFEG, SEH0, SEH1, SEH2, F1; ELSCATA defaults),
and against a compiled ELSEPA run with the same analytic DHFS density (docs/escatter.md). Neither
paper could be read, so no equation numbers are quoted. Written here in numpy (Gauss–Legendre
quadrature in ln z and ln x), not translated from the Fortran.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

#: Gauss–Legendre nodes in ln x and in z (σ_bc converged to < 1 %: the kinks of f₂ and the plasmon-pole
#: peak at the continuum edge limit the rule; tests/escatter/test_absorption.py)
N_X, N_Z = 64, 24
#: ELSEPA's default strength of the absorption potential (ELSCATA, VABSA)
A_ABS = 2.0


def _gl(n: int) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    t, w = np.polynomial.legendre.leggauss(n)
    return 0.5 * (t + 1.0), 0.5 * w  # on [0, 1]


def _g(y: NDArray[np.float64]) -> NDArray[np.float64]:
    """(1 − y²) ln|(1 + y)/(1 − y)|, → 0 at y = ±1."""
    a, b = np.abs(1.0 - y), np.abs(1.0 + y)
    safe = (a > 1e-300) & (b > 1e-300)
    val = np.log(np.where(safe, b, 1.0) / np.where(safe, a, 1.0))
    return np.where(safe, (1.0 - y * y) * val, 0.0)


def lindhard_f1(z: ArrayLike, u: ArrayLike) -> NDArray[np.float64]:
    """Real part of Lindhard's function, f₁(z, u) = ½ + [g(z − u) + g(z + u)]/(8z), g(y) = (1 − y²) ln|(1+y)/(1−y)|.

    Parameters
    ----------
    z, u : array_like
        q/(2k_F) and ω/(q v_F) (broadcast).

    Returns
    -------
    ndarray
        f₁ → 1 as z, u → 0 (Thomas–Fermi screening).
    """
    z, u = np.asarray(z, dtype=float), np.asarray(u, dtype=float)
    return 0.5 + (_g(z - u) + _g(z + u)) / (8.0 * z)


def lindhard_f2(z: ArrayLike, u: ArrayLike) -> NDArray[np.float64]:
    """Imaginary part of Lindhard's function inside the electron–hole continuum |z − u| < 1.

    f₂ = πu/2 for z + u < 1, π[1 − (z − u)²]/(8z) for |z − u| < 1 < z + u, 0 outside.
    """
    z, u = np.asarray(z, dtype=float), np.asarray(u, dtype=float)
    inner = np.pi * u / 2.0
    outer = np.pi * (1.0 - (z - u) ** 2) / (8.0 * z)
    return np.where(np.abs(z - u) >= 1.0, 0.0, np.where(z + u < 1.0, inner, outer))


def binary_cross_section(energy: ArrayLike, density: ArrayLike, gap: float) -> NDArray[np.float64]:
    """σ_bc(E_L, ρ, Δ): electron–hole excitation cross section per gas electron, losses W > Δ (bohr²).

    Parameters
    ----------
    energy : array_like
        Local kinetic energy E_L of the projectile electron (hartree).
    density : array_like
        Electron density ρ of the gas (bohr⁻³), broadcast with ``energy``.
    gap : float
        Minimum energy loss Δ (hartree), > 0.

    Returns
    -------
    ndarray
        σ_bc in bohr², 0 where (E_L − E_F)/2 ≤ Δ (no allowed loss).
    """
    e, rho = np.broadcast_arrays(np.asarray(energy, dtype=float), np.asarray(density, dtype=float))
    rho = np.maximum(rho, 1e-30)
    kf = (3.0 * np.pi**2 * rho) ** (1.0 / 3.0)
    ef = 0.5 * kf * kf
    xe = e / ef
    chi2 = 1.0 / (np.pi * kf)
    x_lo = gap / ef
    x_hi = 0.5 * (xe - 1.0)
    ok = x_hi > x_lo * (1.0 + 1e-9)
    x_lo, x_hi = np.where(ok, x_lo, 1.0), np.where(ok, x_hi, 2.0)
    tx, wx = _gl(N_X)
    tz, wz = _gl(N_Z)
    span = np.log(x_hi / x_lo)
    x = x_lo[..., None] * np.exp(span[..., None] * tx)  # (..., N_X)
    xe_, chi2_ = xe[..., None], chi2[..., None]
    sx, sxe = np.sqrt(x + 1.0), np.sqrt(np.maximum(xe_ - x, 0.0))
    z_lo = np.maximum(0.5 * (np.sqrt(xe_) - sxe), 0.5 * (sx - 1.0))
    z_hi = np.minimum(0.5 * (np.sqrt(xe_) + sxe), 0.5 * (sx + 1.0))
    # Gauss–Legendre in ln z: at small losses in a dense gas the integrand peaks at z ≲ χ ≪ 1
    z_lo = np.maximum(z_lo, 1e-12)
    lz = np.log(np.maximum(z_hi, z_lo) / z_lo)
    z = z_lo[..., None] * np.exp(lz[..., None] * tz)  # (..., N_X, N_Z)
    xx = x[..., None]
    u = xx / (4.0 * z)
    f1, f2 = lindhard_f1(z, u), lindhard_f2(z, u)
    c2 = chi2_[..., None]
    fexp = 4.0 * z * z / (xe_[..., None] - xx)
    integrand = z * f2 * (1.0 - fexp * (1.0 - fexp)) / ((z * z + c2 * f1) ** 2 + (c2 * f2) ** 2)
    dsdx = np.sum(integrand * z * wz, axis=-1) * lz  # ∫ dz = ∫ z d(ln z), (..., N_X)
    sigma = 3.0 / (4.0 * e * ef) * np.sum(dsdx * x * wx, axis=-1) * span  # ∫ dx = ∫ x d(ln x)
    return np.where(ok, sigma, 0.0)


def mott_restricted_cross_section(energy: float, w_min: float, w_max: float) -> float:
    """∫ π/E [1/W² + 1/(E − W)² − 1/(W(E − W))] dW from w_min to w_max (bohr², hartree in).

    The Møller/Mott cross section for free electrons at rest, the large-loss limit of
    :func:`binary_cross_section` (Ochkur exchange = the Mott interference term).
    """

    def prim(w: float) -> float:
        return -1.0 / w + 1.0 / (energy - w) - np.log(w / (energy - w)) / energy

    return float(np.pi / energy * (prim(w_max) - prim(w_min)))


def lda_absorption_potential(
    r: ArrayLike,
    density: ArrayLike,
    local_energy: ArrayLike,
    gap: float,
    strength: float = A_ABS,
) -> NDArray[np.float64]:
    """W_abs = −½ A_abs v_L ρ σ_bc(E_L, ρ, Δ) (hartree, ≤ 0), Salvat (2003) / ELSEPA.

    Parameters
    ----------
    r : array_like, shape (n,)
        Radii in bohr (only used for the shape of the result).
    density : array_like, shape (n,)
        Electron density ρ(r) in bohr⁻³.
    local_energy : array_like, shape (n,)
        E_L(r) = E − V_s(r) − V_ex(r) in hartree.
    gap : float
        Δ in hartree.
    strength : float
        A_abs (ELSEPA default 2).

    Returns
    -------
    ndarray, shape (n,)
        W_abs in hartree; 0 where E_L ≤ Δ or ρ ≤ 1e-16 (ELSEPA's cut).
    """
    r = np.asarray(r, dtype=float)
    rho = np.broadcast_to(np.asarray(density, dtype=float), r.shape)
    el = np.broadcast_to(np.asarray(local_energy, dtype=float), r.shape)
    on = (rho > 1e-16) & (el > gap)
    sig = np.zeros_like(r)
    if np.any(on):
        sig[on] = binary_cross_section(el[on], rho[on], gap)
    return np.where(on, -0.5 * strength * np.sqrt(2.0 * np.clip(el, 0.0, None)) * rho * sig, 0.0)
