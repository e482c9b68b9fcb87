"""Variable projection: weighted least squares for models linear in most of their parameters.

A data map Y (m rows × n columns, e.g. q × delay) is modelled as Y ≈ A Φ(θ)ᵀ: every row i has its
own linear amplitudes aᵢ (k of them) on a common basis Φ(θ) (n × k) that depends on a few nonlinear
parameters θ (p of them). With weights W = 1/σ the amplitudes of each row are the weighted linear
least-squares solution for the current θ (computed exactly, by QR), so only θ is iterated
(``scipy.optimize.least_squares``) on the projected residual, with Kaufman's Jacobian. The
covariance is that of the full problem (θ and every amplitude), computed blockwise.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

Basis = Callable[[NDArray[np.float64]], NDArray[np.float64]]


class VarproError(ValueError):
    """Bad input to a variable-projection fit, or a singular problem at the optimum."""


@dataclass(frozen=True)
class VarproResult:
    """Result of :func:`varpro_fit`.

    Attributes
    ----------
    theta : ndarray, shape (p,)
        Best nonlinear parameters.
    theta_cov : ndarray, shape (p, p)
        Their covariance (of the full problem, amplitudes free).
    amplitudes, amplitudes_stderr : ndarray, shape (m, k)
        Linear amplitudes of every row and their standard errors (full problem).
    model : ndarray, shape (m, n)
        A Φ(θ)ᵀ at the optimum.
    chi2 : float
        Σ ((Y − model)/σ)², scaled by nothing.
    dof : int
        m·n − (p + m·k).
    nfev : int
        Evaluations of the basis by the optimiser (finite-difference derivatives not counted).
    success : bool
        The optimiser's convergence flag.
    message : str
        The optimiser's message.
    """

    theta: NDArray[np.float64]
    theta_cov: NDArray[np.float64]
    amplitudes: NDArray[np.float64]
    amplitudes_stderr: NDArray[np.float64]
    model: NDArray[np.float64]
    chi2: float
    dof: int
    nfev: int
    success: bool
    message: str


def linear_amplitudes(
    data: NDArray[np.float64], weights: NDArray[np.float64], phi: NDArray[np.float64]
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """Weighted linear least squares of every row of ``data`` on the basis ``phi``, by QR.

    Row i solves min over aᵢ of ‖wᵢ ⊙ (yᵢ − Φ aᵢ)‖².

    Parameters
    ----------
    data, weights : ndarray, shape (m, n)
        Data Y and weights W = 1/σ.
    phi : ndarray, shape (n, k)
        Basis Φ (k ≤ n).

    Returns
    -------
    amplitudes : ndarray, shape (m, k)
        aᵢ of every row.
    residual : ndarray, shape (m, n)
        Weighted residual wᵢ ⊙ (yᵢ − Φ aᵢ).
    q, r : ndarray, shapes (m, n, k) and (m, k, k)
        Thin QR factors of every weighted basis wᵢ ⊙ Φ.
    """
    wphi = weights[:, :, None] * phi[None, :, :]
    q, r = np.linalg.qr(wphi)
    b = weights * data
    qtb = np.einsum("mnk,mn->mk", q, b)
    amplitudes = np.linalg.solve(r, qtb[:, :, None])[:, :, 0]
    residual = b - np.einsum("mnk,mk->mn", q, qtb)
    return amplitudes, residual, q, r


def finite_difference_basis(
    basis: Basis, theta: NDArray[np.float64], steps: NDArray[np.float64]
) -> NDArray[np.float64]:
    """∂Φ/∂θ_l by central differences, shape (p, n, k).

    Parameters
    ----------
    basis : callable
        θ (p,) → Φ (n, k).
    theta : ndarray, shape (p,)
        Point of evaluation.
    steps : ndarray, shape (p,)
        Difference step of each parameter.

    Returns
    -------
    ndarray, shape (p, n, k)
    """
    out = []
    for l, h in enumerate(steps):
        up, down = theta.copy(), theta.copy()
        up[l] += h
        down[l] -= h
        out.append((basis(up) - basis(down)) / (2.0 * h))
    return np.asarray(out)


def _derivative_terms(
    weights: NDArray[np.float64], dphi: NDArray[np.float64], amplitudes: NDArray[np.float64], q: NDArray[np.float64]
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """D (p, m, n) = W ⊙ (∂Φ/∂θ_l · aᵢ) and its part orthogonal to the weighted basis, P⊥ D."""
    d = weights[None] * np.einsum("lnk,mk->lmn", dphi, amplitudes)
    qtd = np.einsum("mnk,lmn->lmk", q, d)
    return d, d - np.einsum("mnk,lmk->lmn", q, qtd)


def kaufman_jacobian(
    weights: NDArray[np.float64], dphi: NDArray[np.float64], amplitudes: NDArray[np.float64], q: NDArray[np.float64]
) -> NDArray[np.float64]:
    """Kaufman's Jacobian of the projected weighted residual, shape (m·n, p).

    J_l = −P⊥ W (∂Φ/∂θ_l) a, with P⊥ = I − QQᵀ the projector off the weighted basis of each row.
    Its JᵀJ is the Schur complement of the amplitudes in the Gauss–Newton matrix of the full
    problem, so (JᵀJ)⁻¹ is the full problem's covariance of θ (not an approximation).

    Parameters
    ----------
    weights : ndarray, shape (m, n)
        W = 1/σ.
    dphi : ndarray, shape (p, n, k)
        ∂Φ/∂θ.
    amplitudes : ndarray, shape (m, k)
        Linear amplitudes at θ.
    q : ndarray, shape (m, n, k)
        Q factors of the weighted bases (:func:`linear_amplitudes`).

    Returns
    -------
    ndarray, shape (m·n, p)

    References
    ----------
    L. Kaufman, "A variable projection method for solving separable nonlinear least squares
    problems", BIT 15, 49 (1975).
    """
    _, proj = _derivative_terms(weights, dphi, amplitudes, q)
    return np.asarray(-proj.reshape(proj.shape[0], -1).T)


def full_covariance(
    weights: NDArray[np.float64],
    dphi: NDArray[np.float64],
    amplitudes: NDArray[np.float64],
    q: NDArray[np.float64],
    r: NDArray[np.float64],
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Gauss–Newton covariance of the full problem (θ and all amplitudes), blockwise.

    With Hᵢ = RᵢᵀRᵢ the amplitudes' block of row i and Eᵢ = Rᵢ⁻¹QᵢᵀDᵢ,
    C_θ = (Σ (P⊥Dᵢ)ᵀ(P⊥Dᵢ))⁻¹ and Cov(aᵢ) = Hᵢ⁻¹ + Eᵢ C_θ Eᵢᵀ (the inverse of the
    (p + m·k)² matrix JᵀJ, without forming it).

    Parameters
    ----------
    weights, dphi, amplitudes, q : ndarray
        As for :func:`kaufman_jacobian`.
    r : ndarray, shape (m, k, k)
        R factors of the weighted bases.

    Returns
    -------
    theta_cov : ndarray, shape (p, p)
    amplitudes_var : ndarray, shape (m, k)
        Variances of the amplitudes (unscaled: for σ that are the true standard errors).

    Raises
    ------
    VarproError
        If the problem is singular at this point (e.g. two equal time constants).
    """
    d, proj = _derivative_terms(weights, dphi, amplitudes, q)
    jac = proj.reshape(proj.shape[0], -1)
    try:
        theta_cov = np.linalg.inv(jac @ jac.T)
        r_inv = np.linalg.inv(r)
    except np.linalg.LinAlgError as exc:
        raise VarproError(f"singular least-squares problem at the optimum: {exc}") from exc
    e = np.einsum("mjk,mnk,lmn->mjl", r_inv, q, d, optimize=True)
    h_inv_diag = np.einsum("mjk,mjk->mj", r_inv, r_inv)
    amplitudes_var = h_inv_diag + np.einsum("mjl,lo,mjo->mj", e, theta_cov, e, optimize=True)
    return np.asarray(theta_cov, dtype=np.float64), np.asarray(amplitudes_var, dtype=np.float64)


def varpro_fit(
    data: ArrayLike,
    sigma: ArrayLike,
    basis: Basis,
    theta0: ArrayLike,
    *,
    steps: ArrayLike | None = None,
    bounds: tuple[ArrayLike, ArrayLike] = (-np.inf, np.inf),
    absolute_sigma: bool = True,
    tol: float = 1e-12,
) -> VarproResult:
    """Fit Y ≈ A Φ(θ)ᵀ with weights 1/σ by variable projection.

    Parameters
    ----------
    data, sigma : array_like, shape (m, n)
        Data Y and standard errors σ (> 0), same units.
    basis : callable
        θ (p,) → Φ (n, k), the columns shared by every row (k ≤ n).
    theta0 : array_like, shape (p,)
        Starting nonlinear parameters.
    steps : array_like, shape (p,), optional
        Central-difference steps for ∂Φ/∂θ (default 10⁻⁶ max(|θ₀|, 1)).
    bounds : tuple of array_like
        Lower and upper bounds of θ (``scipy.optimize.least_squares``).
    absolute_sigma : bool
        True: σ are the true standard errors (covariance unscaled). False: scale the covariance by
        χ²_red (σ known up to a common factor).
    tol : float
        ``ftol``, ``xtol`` and ``gtol`` of the optimiser.

    Returns
    -------
    VarproResult

    Raises
    ------
    VarproError
        If the shapes disagree, σ is not positive and finite, there are no degrees of freedom,
        or the problem is singular at the optimum.

    References
    ----------
    G. H. Golub and V. Pereyra, "The differentiation of pseudo-inverses and nonlinear least squares
    problems whose variables separate", SIAM J. Numer. Anal. 10, 413 (1973).
    L. Kaufman, BIT 15, 49 (1975) (the Jacobian used here).
    """
    from scipy.optimize import least_squares  # noqa: PLC0415 - scipy.optimize only for the fits

    y, w, theta0 = _check_inputs(data, sigma, theta0)
    h = 1e-6 * np.maximum(np.abs(theta0), 1.0) if steps is None else np.asarray(steps, dtype=float)
    phi0 = basis(theta0)
    if phi0.ndim != 2 or phi0.shape[0] != y.shape[1] or y.size <= theta0.size + y.shape[0] * phi0.shape[1]:
        raise VarproError(
            f"basis of shape {phi0.shape} for data {y.shape} and {theta0.size} nonlinear parameter(s): "
            "expected (n_columns, k) with more data than parameters"
        )
    cache: dict[str, NDArray[np.float64]] = {}

    def residual(theta: NDArray[np.float64]) -> NDArray[np.float64]:
        amplitudes, res, q, _ = linear_amplitudes(y, w, basis(theta))
        cache.update(theta=theta.copy(), amplitudes=amplitudes, q=q)
        return res.ravel()

    def jacobian(theta: NDArray[np.float64]) -> NDArray[np.float64]:
        if "theta" not in cache or not np.array_equal(cache["theta"], theta):
            residual(theta)
        return kaufman_jacobian(w, finite_difference_basis(basis, theta, h), cache["amplitudes"], cache["q"])

    opt = least_squares(residual, theta0, jac=jacobian, bounds=bounds, ftol=tol, xtol=tol, gtol=tol)
    theta = np.asarray(opt.x, dtype=float)
    phi = basis(theta)
    amplitudes, res, q, r = linear_amplitudes(y, w, phi)
    theta_cov, amp_var = full_covariance(w, finite_difference_basis(basis, theta, h), amplitudes, q, r)
    chi2 = float(np.sum(res**2))
    dof = y.size - theta.size - amplitudes.size
    scale = 1.0 if absolute_sigma else chi2 / dof
    return VarproResult(
        theta=theta,
        theta_cov=theta_cov * scale,
        amplitudes=amplitudes,
        amplitudes_stderr=np.sqrt(amp_var * scale),
        model=amplitudes @ phi.T,
        chi2=chi2,
        dof=dof,
        nfev=int(opt.nfev),
        success=bool(opt.success),
        message=str(opt.message),
    )


def _check_inputs(
    data: ArrayLike, sigma: ArrayLike, theta0: ArrayLike
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """Data, weights 1/σ and θ₀ as float arrays, checked."""
    y = np.asarray(data, dtype=float)
    s = np.asarray(sigma, dtype=float)
    theta = np.atleast_1d(np.asarray(theta0, dtype=float)).copy()
    if y.ndim != 2 or s.shape != y.shape:
        raise VarproError(f"data must be 2-D and sigma of the same shape; got {y.shape} and {s.shape}")
    if not (np.all(np.isfinite(s)) and np.all(s > 0)):
        raise VarproError("sigma must be finite and > 0 everywhere")
    if not np.all(np.isfinite(y)):
        raise VarproError("data must be finite")
    return y, 1.0 / s, theta
