"""Partial-wave scattering by a complex central potential (non-relativistic, atomic units).

The radial equation u_l'' = [l(l+1)/r² + 2V(r) − k²] u_l is integrated outwards on a logarithmic
grid x = ln r with w = u/√r, so that w'' = [(l+½)² + r²(2V − k²)] w is free of the Coulomb
singularity, by the Numerov method in ratio form (no overflow under the centrifugal barrier), for
all l at once. At r_max the solution is matched to the Riccati–Bessel functions
ĵ_l(z) = z j_l(z), n̂_l(z) = z y_l(z) (scipy.special): u ∝ ĵ_l(kr) − tan δ_l n̂_l(kr), and
S_l = e^{2iδ_l} = (1 + i tan δ_l)/(1 − i tan δ_l) (complex δ_l for a complex potential).

The discretisation phase error of the free propagation is removed by subtracting the phase shift
the same grid gives for V = 0. The polarisation tail −α_d/(2r⁴) beyond r_max and the partial waves whose classical turning point
lies outside r_max/2 are added in the first Born approximation, δ_l = π α_d k² /
[(2l−1)(2l+1)(2l+3)] (O'Malley, Spruch & Rosenberg, J. Math. Phys. 2, 491 (1961)), so that the
forward amplitude converges.

Amplitude and cross sections (e.g. Joachain, Quantum Collision Theory, ch. 4):
f(θ) = (1/2ik) Σ (2l+1)(S_l − 1) P_l(cos θ), σ_el = (π/k²) Σ (2l+1)|1 − S_l|²,
σ_abs = (π/k²) Σ (2l+1)(1 − |S_l|²), σ_tot = σ_el + σ_abs = (4π/k) Im f(0).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import special

Potential = Callable[[NDArray[np.float64]], NDArray[np.complex128]]


@dataclass(frozen=True)
class PartialWaves:
    """S-matrix elements of one potential at one wavenumber.

    Attributes
    ----------
    k : float
        Wavenumber in 1/bohr.
    s : ndarray, shape (l_total + 1,)
        S_l = e^{2iδ_l}, l = 0 … l_total.
    l_numeric : int
        Largest l obtained by integrating the radial equation (Born phase shifts above).
    """

    k: float
    s: NDArray[np.complex128]
    l_numeric: int

    @property
    def l(self) -> NDArray[np.int_]:  # noqa: E743 - the angular momentum
        """The angular momenta 0 … l_total."""
        return np.arange(self.s.size)


def riccati_bessel(l: ArrayLike, z: float) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """ĵ_l(z) = z j_l(z) and n̂_l(z) = z y_l(z) (→ sin(z − lπ/2), −cos(z − lπ/2))."""
    la = np.asarray(l)
    return z * special.spherical_jn(la, z), z * special.spherical_yn(la, z)


def numerov_tan_delta(
    potential: Potential, k: float, l_max: int, r_max: float, h: float = 0.002, r_min: float = 1e-6
) -> NDArray[np.complex128]:
    """Return tan δ_l, l = 0 … l_max, of a potential energy V(r) (hartree) vanishing beyond r_max.

    Parameters
    ----------
    potential : callable
        V(r), r in bohr (array), complex or real hartree.
    k : float
        Wavenumber (1/bohr), E = k²/2.
    l_max : int
    r_max : float
        Matching radius (bohr); V is taken as 0 beyond.
    h : float
        Step in ln r.
    r_min : float
        First grid point (bohr); w ∝ r^{l+½} there.

    Returns
    -------
    ndarray, shape (l_max + 1,)
        Complex tan δ_l.
    """
    n = int(np.ceil(np.log(r_max / r_min) / h))
    x = np.log(r_max) - h * np.arange(n, -1, -1)  # ends exactly at r_max
    r = np.exp(x)
    lh = np.arange(l_max + 1) + 0.5
    base = r * r * (2.0 * np.asarray(potential(r), dtype=complex) - k * k)
    f = 1.0 - h * h * (base[:, None] + lh[None, :] ** 2) / 12.0  # Numerov F_n, shape (n+1, L)
    u = 12.0 / f - 10.0
    t = f[1] / f[0] * np.exp(lh * h)  # y_1/y_0 for w ∝ r^{l+1/2}, y = F w
    for i in range(1, n):
        t = u[i] - 1.0 / t
    # u(r_n)/u(r_{n-1}) = (y_n/F_n)/(y_{n-1}/F_{n-1}) √(r_n/r_{n-1})
    rho = t * f[n - 1] / f[n] * np.exp(0.5 * h)
    j1, n1 = riccati_bessel(lh - 0.5, k * r[n - 1])
    j2, n2 = riccati_bessel(lh - 0.5, k * r[n])
    return (j2 - rho * j1) / (n2 - rho * n1)


def born_polarisation_phase(l: ArrayLike, k: float, alpha_d: float) -> NDArray[np.float64]:
    """First-Born phase shift of V = −α_d/(2r⁴): δ_l = π α_d k² / [(2l−1)(2l+1)(2l+3)], l ≥ 1."""
    la = np.asarray(l, dtype=float)
    return np.pi * alpha_d * k * k / ((2 * la - 1) * (2 * la + 1) * (2 * la + 3))


def solve(
    potential: Potential,
    k: float,
    *,
    alpha_d: float = 0.0,
    r_max: float = 20.0,
    l_total: int = 3000,
    h: float = 0.002,
) -> PartialWaves:
    """S_l of a potential: numerical for l ≤ k r_max/2, Born polarisation tail above.

    Parameters
    ----------
    potential : callable
        V(r) in hartree; beyond r_max it must reduce to −α_d/(2r⁴) (or 0 with ``alpha_d = 0``).
    k : float
        Wavenumber (1/bohr).
    alpha_d : float
        Dipole polarisability (bohr³) of the long-range tail.
    r_max : float
        Matching radius (bohr).
    l_total : int
        Highest partial wave summed (Born phase shifts between the numerical ones and this).
    h : float
        Step in ln r of the Numerov grid.

    Returns
    -------
    PartialWaves
    """
    l_num = max(int(0.5 * k * r_max), 8)
    tan_d = numerov_tan_delta(potential, k, l_num, r_max, h)
    # the Numerov phase error of the free propagation (≈ N (k r h)^5/480, ~1e-5 rad on the default
    # grid) is the phase shift the same grid gives a zero potential: remove it
    tan_free = numerov_tan_delta(lambda r: np.zeros_like(r, dtype=complex), k, l_num, r_max, h).real
    s = np.empty(max(l_total, l_num) + 1, dtype=complex)
    s[: l_num + 1] = (1.0 + 1j * tan_d) / (1.0 - 1j * tan_d) * (1.0 - 1j * tan_free) / (1.0 + 1j * tan_free)
    if alpha_d > 0:
        # tail beyond r_max for the numerical waves (ĵ_l² → ½ there): δ = α_d/(6 k r_max³)
        s[: l_num + 1] *= np.exp(2j * alpha_d / (6.0 * k * r_max**3))
    lb = np.arange(l_num + 1, s.size)
    s[l_num + 1 :] = np.exp(2j * born_polarisation_phase(lb, k, alpha_d)) if alpha_d > 0 else 1.0
    return PartialWaves(k, s, l_num)


def amplitude(pw: PartialWaves, angle_deg: ArrayLike) -> NDArray[np.complex128]:
    """f(θ) = (1/2ik) Σ_l (2l+1)(S_l − 1) P_l(cos θ), in bohr.

    Parameters
    ----------
    pw : PartialWaves
    angle_deg : array_like, shape (n,)
        Scattering angles in degrees.
    """
    mu = np.cos(np.deg2rad(np.asarray(angle_deg, dtype=float)))
    coef = (2 * pw.l + 1) * (pw.s - 1.0) / (2j * pw.k)
    # Legendre recurrence, summed on the fly (l up to thousands, no (L, n) table)
    p_prev, p = np.ones_like(mu), mu.copy()
    f = coef[0] * p_prev + (coef[1] * p if coef.size > 1 else 0.0)
    for l in range(1, coef.size - 1):
        p_prev, p = p, ((2 * l + 1) * mu * p - l * p_prev) / (l + 1)
        f = f + coef[l + 1] * p
    return np.asarray(f, dtype=complex)


def cross_sections(pw: PartialWaves) -> dict[str, float]:
    """σ_el, σ_abs, σ_tot in bohr² from the partial-wave sums."""
    w = (2 * pw.l + 1) * np.pi / pw.k**2
    el = float(np.sum(w * np.abs(1.0 - pw.s) ** 2))
    ab = float(np.sum(w * (1.0 - np.abs(pw.s) ** 2)))
    return {"elastic": el, "absorption": ab, "total": el + ab}
