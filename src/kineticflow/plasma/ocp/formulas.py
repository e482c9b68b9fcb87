"""Models of the self-diffusion coefficient of the OCP and Yukawa OCP (plasma paper Eqs 1–4).

Daligault, PRL 108, 225004 (2012). Reduced diffusion coefficient D* = D/(a² ω_p), coupling
Γ = q²/(a k_B T). With Eq. (1), D = k_B T/(m ν), and ν = α ν₀ ln Λ (Eq. 2),
ν₀ = (4/3)√(π/m) n q⁴/(k_B T)^{3/2}, ln Λ = ln(1 + C λ_D/r_L) with λ_D/r_L = 1/(√3 Γ^{3/2}):

    D* = √(π/3) / [α Γ^{5/2} ln(1 + C/(√3 Γ^{3/2}))]        (generalised Chapman–Spitzer)

The Eyring (cage) model, Eq. (4): D* = (A/Γ) exp(−B Γ).
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

ArrayLike = npt.ArrayLike


def check_gamma(gamma: ArrayLike) -> np.ndarray:
    """Γ as a float array.

    Raises
    ------
    ValueError
        If any Γ ≤ 0 (or NaN).
    """
    g = np.asarray(gamma, dtype=float)
    if np.any(~(g > 0)):
        raise ValueError(f"gamma must be > 0, got {g[~(g > 0)].ravel()[:3]}")
    return g


def chapman_spitzer_d_star(gamma: ArrayLike, alpha: float, c: float) -> np.ndarray:
    r"""Generalised Chapman–Spitzer self-diffusion coefficient (plasma paper Eq. 2, reduced).

    Parameters
    ----------
    gamma : array_like, shape (n,)
        Coupling Γ > 0.
    alpha : float
        Correction factor α of the collision frequency ν = α ν₀ ln Λ.
    c : float
        Constant C of the generalised Coulomb logarithm ln Λ = ln(1 + C λ_D / r_L).

    Returns
    -------
    ndarray, shape (n,)
        D* = D/(a² ω_p).

    Raises
    ------
    ValueError
        If any Γ ≤ 0.

    Notes
    -----
    .. math::

        D^* = \frac{\sqrt{\pi/3}}{\alpha\,\Gamma^{5/2}\,\ln\big(1 + C/(\sqrt{3}\,\Gamma^{3/2})\big)}

    References
    ----------
    J. Daligault, PRL 108, 225004 (2012), Eq. (2).

    Examples
    --------
    >>> round(float(chapman_spitzer_d_star(1.0, 0.647, 2.159)), 3)  # Table I, κ = 0: D*(Γ = 1) ≈ 1.95
    1.954
    """
    g = check_gamma(gamma)
    return math.sqrt(math.pi / 3.0) / (alpha * g**2.5 * np.log1p(c / (math.sqrt(3.0) * g**1.5)))


def chapman_spitzer_limit_d_star(gamma: ArrayLike, alpha: float, c: float) -> np.ndarray:
    r"""Plain Chapman–Spitzer limit (Γ ≪ 1) of Eq. (2): ln Λ_CS = ln(C/(√3 Γ^{3/2})).

    Parameters
    ----------
    gamma : array_like, shape (n,)
        Coupling Γ > 0.
    alpha, c : float
        As in :func:`chapman_spitzer_d_star`.

    Returns
    -------
    ndarray, shape (n,)
        D*; NaN where ln Λ_CS ≤ 0 (the plain Coulomb logarithm is meaningless there).

    Raises
    ------
    ValueError
        If any Γ ≤ 0.

    Notes
    -----
    .. math::

        D^* = \frac{\sqrt{\pi/3}}{\alpha\,\Gamma^{5/2}\,\ln\big(C/(\sqrt{3}\,\Gamma^{3/2})\big)}

    References
    ----------
    J. Daligault, PRL 108, 225004 (2012), Eq. (2).
    """
    g = check_gamma(gamma)
    lnl = np.log(c / (math.sqrt(3.0) * g**1.5))
    with np.errstate(divide="ignore", invalid="ignore"):
        d = math.sqrt(math.pi / 3.0) / (alpha * g**2.5 * lnl)
    return np.where(lnl > 0, d, np.nan)


def eyring_d_star(gamma: ArrayLike, a: float, b: float) -> np.ndarray:
    r"""Eyring (cage-jump) self-diffusion coefficient, plasma paper Eq. (4).

    Parameters
    ----------
    gamma : array_like, shape (n,)
        Coupling Γ > 0.
    a : float
        Prefactor A.
    b : float
        Activation energy B = ΔU*/(q²/a).

    Returns
    -------
    ndarray, shape (n,)
        D* = D/(a² ω_p).

    Raises
    ------
    ValueError
        If any Γ ≤ 0.

    Notes
    -----
    .. math::

        D^* = \frac{A}{\Gamma}\,e^{-B\Gamma}

    References
    ----------
    J. Daligault, PRL 108, 225004 (2012), Eq. (4).

    Examples
    --------
    >>> round(float(eyring_d_star(100.0, 1.52, 0.0082)), 6)  # Table I, κ = 0: (1.52/100) e^{-0.82}
    0.006695
    """
    g = check_gamma(gamma)
    return a / g * np.exp(-b * g)


def crossover_gamma(alpha: float, c: float, a: float, b: float, lo: float = 2.0, hi: float = 50.0) -> float:
    """Coupling where Eq. (2) and Eq. (4) meet (paper: they "merge" near Γ ≈ 25 for κ = 0).

    Parameters
    ----------
    alpha, c, a, b : float
        Parameters of Eqs (2) and (4).
    lo, hi : float
        Range searched (400 log-spaced Γ).

    Returns
    -------
    float
        The Γ in [lo, hi] minimising |ln D*_CS − ln D*_Eyring|.

    References
    ----------
    J. Daligault, PRL 108, 225004 (2012), Eq. (2) and (4).
    """
    g = np.logspace(np.log10(lo), np.log10(hi), 400)
    diff = np.abs(np.log(chapman_spitzer_d_star(g, alpha, c)) - np.log(eyring_d_star(g, a, b)))
    return float(g[int(np.argmin(diff))])


def piecewise_d_star(
    gamma: ArrayLike, alpha: float, c: float, a: float, b: float, eyring_gamma_min: float = 0.0
) -> np.ndarray:
    """The paper's model across coupling: Eq. (2) below the crossover, Eq. (4) above.

    Parameters
    ----------
    gamma : array_like, shape (n,)
        Coupling Γ > 0.
    alpha, c, a, b : float
        Parameters of Eqs (2) and (4); if α or C is NaN only Eq. (4) is used, and vice versa.
    eyring_gamma_min : float
        Where only Eq. (4) has parameters (Table I, κ a = 4), it is used only for
        Γ ≥ this (the lower end of its fitted range, 50 in the paper); NaN below, where Eq. (4)
        would be extrapolated into the weakly coupled gas.

    Returns
    -------
    ndarray, shape (n,)
        D*; NaN where the needed parameters are NaN.

    Raises
    ------
    ValueError
        If any Γ ≤ 0.

    References
    ----------
    J. Daligault, PRL 108, 225004 (2012), Eq. (2) and (4).
    """
    g = check_gamma(gamma)
    has_cs = np.isfinite(alpha) and np.isfinite(c)
    has_ey = np.isfinite(a) and np.isfinite(b)
    if has_cs and has_ey:
        gx = crossover_gamma(alpha, c, a, b)
        return np.where(g <= gx, chapman_spitzer_d_star(g, alpha, c), eyring_d_star(g, a, b))
    if has_cs:
        return chapman_spitzer_d_star(g, alpha, c)
    if has_ey:
        return np.where(g >= eyring_gamma_min, eyring_d_star(g, a, b), np.nan)
    return np.full(g.shape, np.nan)
