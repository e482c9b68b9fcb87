"""Weak-coupling kinetic theory of self-diffusion: Boltzmann–Chapman–Enskog and Landau (beyond the plasma paper).

Parameter-free references for Eq. 2 of the plasma paper (Daligault, PRL 108, 225004 (2012)) at
Γ ≪ 1: the Chapman–Enskog solution of the Boltzmann equation for a screened Coulomb (Yukawa) pair
potential (Chapman & Cowling, *The Mathematical Theory of Non-Uniform Gases*, Ch. 9–10) and the
exact test-particle solution of the Landau equation (Helander & Sigmar, *Collisional Transport in
Magnetized Plasmas*). Reduced units: a = m = q = 1, k_B T = 1/Γ, ω_p = √3.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

from kineticflow.plasma.ocp.formulas import check_gamma

ArrayLike = npt.ArrayLike


def landau_self_diffusion_factor(n_grid: int = 8000, x_max: float = 8.0, energy_scattering: bool = True) -> float:
    """Exact weak-coupling self-diffusion in units of the first Chapman–Enskog approximation.

    Solves the test-particle Landau (Fokker–Planck) equation of a labelled ion in a Maxwellian
    plasma of identical ions for the l = 1 perturbation f₁ = f_M ψ(v) cos θ,

        (1/(x² f_M)) d/dx[x⁴ (ν_∥/2) f_M dψ/dx] − ν_D ψ = x,   x = v/v_T, v_T = √(2 k_B T/m),

    with the like-particle deflection and energy-diffusion frequencies ν_D = [erf x − G(x)]/x³,
    ν_∥ = 2 G(x)/x³ (Chandrasekhar function G; Helander & Sigmar, *Collisional Transport in
    Magnetized Plasmas*, Eqs 3.47–3.50), by second-order finite differences; D = −⟨v ψ⟩/3.
    The first Chapman–Enskog (one Sonine polynomial) value is k_B T/(m ν₀ ln Λ) with the
    plasma paper's ν₀, so the exact weak-coupling limit of Eq. (2) has α = 1/factor for a
    constant ln Λ (all Sonine orders; the second order alone gives 1 + 9/56).

    Parameters
    ----------
    n_grid : int
        Grid intervals on [0, x_max].
    x_max : float
        Largest speed in units of v_T (the weight e^{−x²} makes 8 ample).
    energy_scattering : bool
        False keeps only pitch-angle scattering (the Lorentz-like bound, 2.86).

    Returns
    -------
    float
        D_Landau / D_CE1 (≈ 1.190, i.e. α ≈ 0.840).
    """
    from scipy.sparse import diags
    from scipy.sparse.linalg import spsolve
    from scipy.special import erf

    def g_chandra(x: np.ndarray) -> np.ndarray:
        return (erf(x) - 2.0 * x / math.sqrt(math.pi) * np.exp(-x * x)) / (2.0 * x * x)

    x = np.linspace(0.0, x_max, n_grid + 1)
    h = x[1] - x[0]
    xm = 0.5 * (x[1:] + x[:-1])  # cell faces: flux coefficient x^4 (nu_par/2) f_M = x G f_M
    p = xm * g_chandra(xm) * np.exp(-xm * xm) if energy_scattering else np.zeros_like(xm)
    xi = x[1:-1]
    q = np.exp(-xi * xi) * (erf(xi) - g_chandra(xi)) / xi
    main = -(p[:-1] + p[1:]) / h**2 - q
    main[-1] += p[-1] / h**2  # zero flux at x_max; psi(0) = 0 (l = 1 is odd)
    a = diags([p[1:-1] / h**2, main, p[1:-1] / h**2], [-1, 0, 1], format="csc")
    psi = spsolve(a, xi**3 * np.exp(-xi * xi))
    d = -np.sum(4.0 / math.sqrt(math.pi) * xi**3 * np.exp(-xi * xi) * psi) * h / 3.0  # units v_T^2/nu_hat
    # nu_0 ln L = (4/(3 sqrt(2 pi))) nu_hat, nu_hat = 4 pi n q^4 lnL/(m^2 v_T^3); k_B T/m = v_T^2/2
    d_ce1 = 0.5 / (4.0 / (3.0 * math.sqrt(2.0 * math.pi)))
    return float(d / d_ce1)


def screened_coulomb_deflection(b: ArrayLike, beta: ArrayLike, n_nodes: int = 160) -> np.ndarray:
    """Classical deflection angle in the repulsive screened Coulomb (Yukawa) potential.

    For the pair potential U(r) = (q²/r) e^{−r/λ} and relative kinetic energy E = μ g²/2,

        χ = π − 2 b ∫_{r₀}^∞ dr / (r² √(1 − b²/r² − U(r)/E))

    (Chapman & Cowling, *The Mathematical Theory of Non-Uniform Gases*, §3.41), evaluated with
    u = r₀/r = 1 − s² (which removes the turning-point singularity) and Gauss–Legendre
    quadrature in s; the distance of closest approach r₀ by bisection.

    Parameters
    ----------
    b : array_like
        Impact parameter in units of λ (broadcast against ``beta``).
    beta : array_like
        q²/(λ E) > 0 (twice the Rutherford 90° impact parameter over λ).
    n_nodes : int
        Quadrature nodes.

    Returns
    -------
    ndarray
        χ in radians, shape of the broadcast inputs; → 2 arctan(β/(2b)) (Rutherford) for b, β ≪ 1.
    """
    b, beta = np.broadcast_arrays(np.asarray(b, dtype=float), np.asarray(beta, dtype=float))
    # turning point r0/λ = x: 1 − b²/x² − β e^{−x}/x = 0, bracketed in ln x
    lo = np.minimum(np.log(np.maximum(b, 1e-300)), np.log(beta) - 1.0) - 5.0
    hi = np.log(b + beta) + 1.0
    for _ in range(100):
        mid = 0.5 * (lo + hi)
        neg = 1.0 - b**2 * np.exp(-2.0 * mid) - beta * np.exp(-np.exp(mid) - mid) < 0
        lo, hi = np.where(neg, mid, lo), np.where(neg, hi, mid)
    x0 = np.exp(0.5 * (lo + hi))[..., None]
    p = b / x0[..., 0]
    s, w = np.polynomial.legendre.leggauss(n_nodes)
    s, w = 0.5 * (s + 1.0), 0.5 * w
    u = 1.0 - s**2  # > 0 at every node
    # radicand over s², free of cancellation near the turning point (1 − p² = β e^{−x₀}/x₀ there):
    # [1 − p²u² − β u e^{−x₀/u}/x₀]/s² = (β e^{−x₀}/x₀)[1 − u expm1(−x₀ s²/u)/s²] + p²(2 − s²)
    pp = p[..., None]
    h = (beta[..., None] * np.exp(-x0) / x0) * (1.0 - u * np.expm1(-x0 * s**2 / u) / s**2) + pp**2 * (2.0 - s**2)
    return math.pi - 2.0 * p * np.sum(w * 2.0 / np.sqrt(h), axis=-1)


def chapman_enskog_d_star(
    gamma: ArrayLike, kappa: float = 0.0, order: int = 2, n_speeds: int = 64, n_impact: int = 500
) -> np.ndarray:
    """Self-diffusion from binary collisions: Chapman–Enskog solution of the Boltzmann equation.

    A parameter-free weak-coupling reference for Eq. (2) of the plasma paper. Ions interact by
    U(r) = (q²/r) e^{−r/λ}: for the Yukawa OCP (κ > 0) the bare pair potential, λ = a/κ; for the
    OCP (κ = 0) the Coulomb potential statically screened at the Debye length,
    λ = λ_D = a/√(3Γ) (Debye–Hückel; an approximation at the level of the constant C, since the
    screening is really collective and dynamic). Transport cross sections
    Q^(l)(E) = 2π ∫ (1 − cos^l χ) b db (:func:`screened_coulomb_deflection`), collision integrals
    Ω^(l,s) = √(k_BT/2πμ) ∫ e^{−y²} y^{2s+3} Q^(l) dy (μ = m/2, y² = E/k_BT), and

        [D]₁ = 3 k_BT / (8 n m Ω^(1,1)),   [D]₂ = [D]₁ [1 + (6C* − 5)²/(16A* + 40)],

    with A* = Ω^(2,2)/(2Ω^(1,1)), C* = Ω^(1,2)/(3Ω^(1,1)) (Chapman & Cowling §10.2;
    Hirschfelder, Curtiss & Bird Eq. 8.2-44). Coulomb limit (κ = 0, Γ → 0): [D]₁ is the plasma
    paper's ν₀ form with α = 1 and C = 4 e^{−2γ_E − 1/2} = 0.7652, and the second-order factor
    is 1 + 9/56 (all orders: 1.190, :func:`landau_self_diffusion_factor`).

    Parameters
    ----------
    gamma : array_like, shape (n,)
        Coupling Γ > 0.
    kappa : float
        Screening κ a ≥ 0.
    order : {1, 2}
        Sonine order of the Chapman–Enskog solution.
    n_speeds, n_impact : int
        Quadrature points over the relative speed and (log-spaced) impact parameter.

    Returns
    -------
    ndarray, shape (n,)
        D* = D/(a² ω_p); quadrature converged to ~1e−12 at Γ ≥ 0.1, 2e−7 at 1e−4, 3e−6 at 1e−8.

    Raises
    ------
    ValueError
        If any Γ ≤ 0, κ < 0 or ``order`` is not 1 or 2.
    """
    g_all = check_gamma(gamma)
    if order not in (1, 2):
        raise ValueError(f"order = {order} must be 1 or 2")
    both = chapman_enskog_orders(g_all, kappa, n_speeds, n_impact)
    return both[order - 1, ...]


def chapman_enskog_orders(gamma: ArrayLike, kappa: float = 0.0, n_speeds: int = 64, n_impact: int = 500) -> np.ndarray:
    """First and second Sonine-order Chapman–Enskog D* from one evaluation of the collision integrals.

    Parameters
    ----------
    gamma : array_like, shape (n,)
        Coupling Γ > 0.
    kappa : float
        Screening κ a ≥ 0 (see :func:`chapman_enskog_d_star` for the potential).
    n_speeds, n_impact : int
        Quadrature points over the relative speed and (log-spaced) impact parameter.

    Returns
    -------
    ndarray, shape (2, n)
        [D]₁ and [D]₂ in units of a² ω_p (what :func:`chapman_enskog_d_star` returns for
        ``order`` = 1 and 2, at the cost of one call).
    """
    g_all = check_gamma(gamma)
    if kappa < 0:
        raise ValueError(f"kappa = {kappa} must be >= 0")
    xg, wg = np.polynomial.legendre.leggauss(n_speeds)
    y_max = 6.5  # e^{−y²} y⁷ is below 1e−15 of its peak beyond
    y, wy = 0.5 * (xg + 1.0) * y_max, 0.5 * wg * y_max
    n = 3.0 / (4.0 * math.pi)  # ions per a³; m = q = 1, k_BT = 1/Γ, ω_p = √3
    out = np.empty((2, *g_all.shape))
    for i, gam in np.ndenumerate(g_all):
        kt = 1.0 / gam
        lam = 1.0 / kappa if kappa > 0 else 1.0 / math.sqrt(3.0 * gam)
        beta = 1.0 / (lam * y**2 * kt)
        # ln(b/λ) from far inside the hardest collision's Rutherford radius to where U ≪ E
        t = np.linspace(math.log(1e-4 * beta.min()), math.log(80.0), n_impact)
        bh = np.exp(t)
        chi = screened_coulomb_deflection(bh[None, :], beta[:, None])
        # 1 − cos χ = 2 sin²(χ/2), 1 − cos² χ = sin² χ: no cancellation at the small angles of distant passes
        one_minus_cos = {1: 2.0 * np.sin(0.5 * chi) ** 2, 2: np.sin(chi) ** 2}
        q = {l: 2.0 * math.pi * lam**2 * np.trapezoid(one_minus_cos[l] * bh**2, t, axis=1) for l in (1, 2)}
        weight = wy * np.exp(-(y**2)) * math.sqrt(kt / math.pi)  # √(k_BT/2πμ), μ = 1/2
        om11, om12, om22 = (np.sum(weight * y ** (2 * s + 3) * q[l]) for l, s in ((1, 1), (1, 2), (2, 2)))
        d = 3.0 * kt / (8.0 * n * om11)
        a_star, c_star = om22 / (2.0 * om11), om12 / (3.0 * om11)
        out[(0, *i)] = d / math.sqrt(3.0)
        out[(1, *i)] = d * (1.0 + (6.0 * c_star - 5.0) ** 2 / (16.0 * a_star + 40.0)) / math.sqrt(3.0)
    return out
