"""Fourier sine transforms between r and q space (TRXS paper Eqs 2 and 6).

Both directions are a single matrix product with trapezoid weights, so a whole (t, r) or
(τ, q) array is transformed at once. The kernel sin(qr)/(qr) is evaluated as ``np.sinc`` so
r = 0 and q = 0 are regular.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

ModificationKind = Literal["none", "damping", "sharpening"]


def trapezoid_weights(x: ArrayLike) -> NDArray[np.float64]:
    """Trapezoid-rule weights for a (possibly non-uniform) increasing grid.

    Parameters
    ----------
    x : array_like, shape (n,)
        Strictly increasing abscissae.

    Returns
    -------
    ndarray, shape (n,)
        Weights w with Σ w f(x) ≈ ∫ f dx over [x₀, x_{n−1}].

    Raises
    ------
    ValueError
        If ``x`` has fewer than two points or is not strictly increasing.
    """
    x = np.asarray(x, dtype=float)
    if x.ndim != 1 or x.size < 2:
        raise ValueError("grid needs at least two points")
    dx = np.diff(x)
    if np.any(dx <= 0):
        raise ValueError("grid must be strictly increasing")
    w = np.zeros_like(x)
    w[:-1] += dx / 2
    w[1:] += dx / 2
    return w


def simpson_weights(n: int, step: float) -> NDArray[np.float64]:
    """Composite Simpson-rule weights on a uniform grid of ``n`` (odd) points.

    Σ wₖ f(xₖ) = ∫ f dx over [x₀, x_{n−1}] with error −(b − a) h⁴ f⁽⁴⁾(ξ)/180 (Abramowitz & Stegun
    25.4.6): exact for cubics, where the trapezoid rule errs by O(h²).

    Parameters
    ----------
    n : int
        Number of grid points, odd and ≥ 3.
    step : float
        Grid step h (> 0), in the unit of x.

    Returns
    -------
    ndarray, shape (n,)
        (h/3) [1, 4, 2, 4, …, 2, 4, 1].

    Raises
    ------
    ValueError
        If ``n`` is even or below 3, or ``step`` is not positive.

    Examples
    --------
    >>> x = np.linspace(0.0, 2.0, 5)
    >>> float(simpson_weights(5, 0.5) @ x**3)
    4.0
    """
    if n < 3 or n % 2 == 0:
        raise ValueError(f"Simpson's rule needs an odd number of points >= 3, got {n}")
    if not step > 0:
        raise ValueError(f"grid step must be > 0, got {step}")
    w = np.full(n, 2.0)
    w[1::2] = 4.0
    w[0] = w[-1] = 1.0
    return w * (step / 3.0)


def sine_transform_r_to_q(delta_s_r: ArrayLike, r: ArrayLike, q: ArrayLike) -> NDArray[np.float64]:
    """ΔS(q) = (4π/q) ∫ dr r ΔS[r] sin(qr) (TRXS paper Eq. 6), over the last axis.

    Parameters
    ----------
    delta_s_r : array_like, shape (..., nr)
        Signal on the r grid.
    r : array_like, shape (nr,)
        Pair distance, Å (trapezoid rule over [r₀, r_{n−1}]).
    q : array_like, shape (nq,)
        Scattering vector, Å⁻¹; q = 0 gives 4π ∫ r² ΔS dr.

    Returns
    -------
    ndarray, shape (..., nq)
        Signal in q space, in the units of ``delta_s_r`` times Å³.
    """
    r = np.asarray(r, dtype=float)
    q = np.asarray(q, dtype=float)
    kernel = 4 * np.pi * (trapezoid_weights(r) * r**2)[:, None] * np.sinc(np.outer(r, q) / np.pi)
    return np.asarray(delta_s_r, dtype=float) @ kernel


def sine_transform_q_to_r(
    delta_s_q: ArrayLike,
    q: ArrayLike,
    r: ArrayLike,
    m_q: ArrayLike | None = None,
) -> NDArray[np.float64]:
    """ΔS[r] = 1/(2π² r) ∫ dq q M(q) ΔS(q) sin(qr) (TRXS paper Eq. 2), over the last axis.

    Parameters
    ----------
    delta_s_q : array_like, shape (..., nq)
        Signal on the q grid.
    q : array_like, shape (nq,)
        Scattering vector, Å⁻¹; the integral runs over [q₀, q_{n−1}] (truncation included).
    r : array_like, shape (nr,)
        Pair distance, Å; r = 0 is regular.
    m_q : array_like, shape (nq,), optional
        Modification function M(q); 1 if omitted.

    Returns
    -------
    ndarray, shape (..., nr)
    """
    q = np.asarray(q, dtype=float)
    r = np.asarray(r, dtype=float)
    m = np.ones_like(q) if m_q is None else np.asarray(m_q, dtype=float)
    weights = trapezoid_weights(q) * q**2 * m / (2 * np.pi**2)
    kernel = weights[:, None] * np.sinc(np.outer(q, r) / np.pi)
    return np.asarray(delta_s_q, dtype=float) @ kernel


def modification_function(
    q: ArrayLike,
    kind: ModificationKind = "none",
    damping_a2: float = 0.0,
    form_factor: ArrayLike | None = None,
) -> NDArray[np.float64]:
    """Modification function M(q) of the inversion (TRXS paper Eq. 2; docs/trxs.md).

    Parameters
    ----------
    q : array_like, shape (nq,)
        Scattering vector, Å⁻¹.
    kind : {"none", "damping", "sharpening"}
        ``none``: M = 1. ``damping``: M = exp(−α_d q²). ``sharpening``:
        M = f(0)²/f(q)² · exp(−α_d q²).
    damping_a2 : float
        α_d, Å² (≥ 0). A Gaussian of variance σ² is broadened to σ² + 2α_d.
    form_factor : array_like, shape (nq + 1,), optional
        For ``sharpening``: f(0) followed by f(q) on the grid (see
        :func:`kineticflow.core.form_factors.atomic_form_factor`).

    Returns
    -------
    ndarray, shape (nq,)

    Raises
    ------
    ValueError
        For an unknown kind, a negative α_d, or sharpening without a form factor.
    """
    q = np.asarray(q, dtype=float)
    if damping_a2 < 0:
        raise ValueError(f"damping_a2 must be >= 0 Å², got {damping_a2}")
    if kind == "none":
        return np.ones_like(q)
    damping = np.exp(-damping_a2 * q**2)
    if kind == "damping":
        return damping
    if kind == "sharpening":
        if form_factor is None:
            raise ValueError("sharpening needs the form factor f(0), f(q)")
        f = np.asarray(form_factor, dtype=float)
        if f.shape != (q.size + 1,):
            raise ValueError("form_factor must hold f(0) followed by f(q) on the q grid")
        return (f[0] / f[1:]) ** 2 * damping
    raise ValueError(f"unknown modification '{kind}'; allowed: none, damping, sharpening")
