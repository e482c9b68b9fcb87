"""Regularised inversion of a linear forward model d = A x + ε, shared by every branch.

Tikhonov regularisation in standard form (Eldén's transformation; Hansen, *Rank-Deficient and
Discrete Ill-Posed Problems*, SIAM 1998, Sec. 2.3) with one SVD for every right-hand side and
every λ; λ from generalised cross-validation (Golub, Heath & Wahba, Technometrics 21, 215 (1979))
or the corner of the L-curve (Hansen, SIAM Review 34, 561 (1992)); Wiener filtering with a
constant noise-to-signal ratio as the baseline. The forward operator is the caller's: an x-ray
pulse in time (TRXS), a slit function in wavelength (Hα).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from kineticflow.core.convolution import uniform_step


def _linalg():  # scipy is imported by the jobs that factorise, not by every importer
    import scipy.linalg  # noqa: PLC0415

    return scipy.linalg


def _fft():
    import scipy.fft  # noqa: PLC0415

    return scipy.fft


Kernel = Callable[[NDArray[np.float64]], NDArray[np.float64]]


def second_difference_matrix(n: int) -> NDArray[np.float64]:
    """Second-difference operator L, shape (n − 2, n): (L x)_j = x_j − 2 x_{j+1} + x_{j+2}.

    Its null space is spanned by the constant and the linear vectors.

    Raises
    ------
    ValueError
        If n < 3.
    """
    if n < 3:
        raise ValueError(f"need at least 3 points for a second difference, got {n}")
    L = np.zeros((n - 2, n))
    j = np.arange(n - 2)
    L[j, j] = 1.0
    L[j, j + 1] = -2.0
    L[j, j + 2] = 1.0
    return L


@dataclass(frozen=True)
class TikhonovFactorisation:
    """SVD of the standard-form problem of min ‖A x − d‖² + λ²‖L x‖² (Eldén's transformation).

    With W an orthonormal basis of null(L), L_A^† = (I − W (AW)^† A) L^† and x₀ = W (AW)^† d,
    the substitution x = L_A^† y + x₀ turns the problem into min ‖Ā y − d̄‖² + λ²‖y‖² with
    Ā = A L_A^† = U diag(s) Vᵀ and d̄ = d − A x₀; moreover ‖L x‖ = ‖y‖.

    Attributes
    ----------
    u : ndarray, shape (m, p)
        Left singular vectors of Ā.
    s : ndarray, shape (p,)
        Singular values of Ā (descending).
    back : ndarray, shape (n, p)
        L_A^† V: maps the filtered coefficients to x.
    null_fit : ndarray, shape (n, m)
        W (AW)^†: maps d to the null-space part x₀.
    a_null : ndarray, shape (m, m)
        A W (AW)^†: projector of d onto range(AW).
    n_null : int
        Dimension of null(L) (2 for the second difference).
    """

    u: NDArray[np.float64]
    s: NDArray[np.float64]
    back: NDArray[np.float64]
    null_fit: NDArray[np.float64]
    a_null: NDArray[np.float64]
    n_null: int

    @property
    def m(self) -> int:
        """Number of data points per q (delays)."""
        return int(self.u.shape[0])


def tikhonov_factorise(a: ArrayLike, l: ArrayLike) -> TikhonovFactorisation:
    """Factorise min ‖A x − d‖² + λ²‖L x‖² once, for every right-hand side and every λ.

    Parameters
    ----------
    a : array_like, shape (m, n)
        Forward operator (e.g. :func:`pulse_matrix`).
    l : array_like, shape (p, n), p ≤ n
        Penalty operator with full row rank (e.g. :func:`second_difference_matrix`).

    Returns
    -------
    TikhonovFactorisation

    Raises
    ------
    ValueError
        If the shapes do not match, L has more rows than columns, or A is rank-deficient on
        the null space of L (the problem then has no unique solution for any λ).

    Notes
    -----
    Hansen, *Rank-Deficient and Discrete Ill-Posed Problems* (SIAM 1998), Sec. 2.3.1. Cost: one
    QR of Lᵀ, one of AW and one SVD of the m × p matrix Ā (scipy.linalg).
    """
    a = np.asarray(a, dtype=float)
    l = np.asarray(l, dtype=float)
    m, n = a.shape
    p = l.shape[0]
    if l.shape[1] != n or p > n:
        raise ValueError(f"L must have shape (p <= {n}, {n}), got {l.shape}")
    # L^† from a QR of Lᵀ: Lᵀ = Q R  →  L^† = Q R^{-T}
    q_full, r_full = _linalg().qr(l.T, mode="full")
    q_lt, r_lt = q_full[:, :p], r_full[:p]
    l_pinv = _linalg().solve_triangular(r_lt, q_lt.T, lower=False).T  # Q R^{-T}, (n, p)
    if p < n:
        w = q_full[:, p:]  # orthonormal basis of null(L), (n, n - p)
        aw = a @ w
        q0, r0 = _linalg().qr(aw, mode="economic")
        if np.min(np.abs(np.diag(r0))) < 1e-12 * max(1.0, np.abs(r0).max()):
            raise ValueError("A annihilates the null space of L: the regularised problem has no unique solution")
        aw_pinv = _linalg().solve_triangular(r0, q0.T)  # (k, m)
        t_mat = aw_pinv @ a  # (k, n)
        l_a_pinv = l_pinv - w @ (t_mat @ l_pinv)
        null_fit = w @ aw_pinv
        a_null = q0 @ q0.T
        n_null = w.shape[1]
    else:
        l_a_pinv = l_pinv
        null_fit = np.zeros((n, m))
        a_null = np.zeros((m, m))
        n_null = 0
    a_bar = a @ l_a_pinv
    u, s, vt = _linalg().svd(a_bar, full_matrices=False, lapack_driver="gesdd")
    return TikhonovFactorisation(u=u, s=s, back=l_a_pinv @ vt.T, null_fit=null_fit, a_null=a_null, n_null=n_null)


@dataclass(frozen=True)
class LambdaScan:
    """Residual norm, seminorm and GCV function over a grid of λ, summed over all q.

    Attributes
    ----------
    lam : ndarray, shape (nl,)
        λ values (ascending).
    residual_norm : ndarray, shape (nl,)
        ‖A x_λ − d‖_F (Frobenius norm over delays and q).
    solution_seminorm : ndarray, shape (nl,)
        ‖L x_λ‖_F.
    gcv : ndarray, shape (nl,)
        G(λ) = ‖A x_λ − d‖_F² / (m − n_null − Σ f_i)², f_i = s_i²/(s_i² + λ²).
    dof : ndarray, shape (nl,)
        Trace of the influence matrix, n_null + Σ f_i.
    """

    lam: NDArray[np.float64]
    residual_norm: NDArray[np.float64]
    solution_seminorm: NDArray[np.float64]
    gcv: NDArray[np.float64]
    dof: NDArray[np.float64]


def lambda_grid(
    fact: TikhonovFactorisation, n_lambda: int = 200, lambda_min_rel: float = 1e-9, lambda_max_rel: float = 10.0
) -> NDArray[np.float64]:
    """Log-spaced λ from ``lambda_min_rel``·s_max to ``lambda_max_rel``·s_max (s_max: largest singular value)."""
    if not 0 < lambda_min_rel < lambda_max_rel:
        raise ValueError(f"need 0 < lambda_min_rel < lambda_max_rel, got {lambda_min_rel}, {lambda_max_rel}")
    smax = float(fact.s[0])
    return np.logspace(np.log10(lambda_min_rel * smax), np.log10(lambda_max_rel * smax), int(n_lambda))


def coefficients(
    fact: TikhonovFactorisation, d: NDArray[np.float64]
) -> tuple[NDArray[np.float64], NDArray[np.float64], float]:
    """Standard-form data d̄ = d − A x₀, its coefficients β = Uᵀ d̄ and the part of ‖d̄‖² outside range(U).

    Parameters
    ----------
    fact : TikhonovFactorisation
        The factorised problem.
    d : ndarray, shape (m, nq)
        Data, one column per right-hand side.

    Returns
    -------
    d_bar : ndarray, shape (m, nq)
        Data less its null-space fit.
    beta : ndarray, shape (p, nq)
        Coefficients on the left singular vectors.
    outside : float
        ‖d̄‖² − ‖β‖² (≥ 0), the residual no λ can reduce.
    """
    d_bar = d - fact.a_null @ d
    beta = fact.u.T @ d_bar  # (p, nq)
    outside = float(np.sum(d_bar**2) - np.sum(beta**2))
    return d_bar, beta, max(outside, 0.0)


def lambda_scan(fact: TikhonovFactorisation, d: ArrayLike, lam: ArrayLike) -> LambdaScan:
    """Residual norm, seminorm and GCV of the Tikhonov solutions for every λ at once.

    Parameters
    ----------
    fact : TikhonovFactorisation
    d : array_like, shape (m,) or (m, nq)
        Data, one column per q.
    lam : array_like, shape (nl,)
        Regularisation parameters (> 0).

    Returns
    -------
    LambdaScan
    """
    d = np.asarray(d, dtype=float).reshape(fact.m, -1)
    lam = np.asarray(lam, dtype=float)
    _, beta, outside = coefficients(fact, d)
    b2 = np.sum(beta**2, axis=1)  # (p,)
    s2 = fact.s**2
    f = s2[None, :] / (s2[None, :] + lam[:, None] ** 2)  # (nl, p)
    res2 = ((1.0 - f) ** 2 * b2[None, :]).sum(axis=1) + outside
    semi2 = (f**2 * b2[None, :] / s2[None, :]).sum(axis=1)
    dof = fact.n_null + f.sum(axis=1)
    denom = np.maximum(fact.m - dof, 1e-12)
    return LambdaScan(
        lam=lam, residual_norm=np.sqrt(res2), solution_seminorm=np.sqrt(semi2), gcv=res2 / denom**2, dof=dof
    )


def tikhonov_solve(fact: TikhonovFactorisation, d: ArrayLike, lam: float) -> NDArray[np.float64]:
    """Tikhonov solution x_λ = argmin ‖A x − d‖² + λ²‖L x‖² for every column of d.

    Parameters
    ----------
    fact : TikhonovFactorisation
    d : array_like, shape (m,) or (m, nq)
    lam : float
        λ ≥ 0.

    Returns
    -------
    ndarray, shape (n,) or (n, nq)
    """
    d_arr = np.asarray(d, dtype=float)
    d2 = d_arr.reshape(fact.m, -1)
    _, beta, _ = coefficients(fact, d2)
    filt = fact.s / (fact.s**2 + float(lam) ** 2)
    x = fact.back @ (filt[:, None] * beta) + fact.null_fit @ d2
    return x.reshape((-1,) + d_arr.shape[1:])


def gcv_lambda(scan: LambdaScan) -> float:
    """λ minimising the GCV function G(λ) (Golub, Heath & Wahba, Technometrics 21, 215 (1979))."""
    return float(scan.lam[int(np.argmin(scan.gcv))])


def l_curve_lambda(scan: LambdaScan) -> float:
    """λ at the corner of the L-curve: maximum curvature of (log‖Ax − d‖, log‖Lx‖) (Hansen 1992).

    The curvature is computed by finite differences in log λ; points where either norm
    vanishes are ignored.
    """
    ok = (scan.residual_norm > 0) & (scan.solution_seminorm > 0)
    lam = scan.lam[ok]
    if lam.size < 5:
        raise ValueError("L-curve needs at least 5 points with non-zero norms")
    x = np.log(scan.residual_norm[ok])
    y = np.log(scan.solution_seminorm[ok])
    s = np.log(lam)
    dx, dy = np.gradient(x, s), np.gradient(y, s)
    ddx, ddy = np.gradient(dx, s), np.gradient(dy, s)
    kappa = (dx * ddy - ddx * dy) / np.maximum((dx**2 + dy**2) ** 1.5, 1e-300)
    inner = slice(2, lam.size - 2)
    return float(lam[inner][int(np.argmax(kappa[inner]))])


def wiener_deconvolve(
    delta_s: ArrayLike,
    tau: ArrayLike,
    t: ArrayLike,
    pulse: Kernel,
    noise_sigma: float,
    nsr_floor: float = 1e-6,
) -> NDArray[np.float64]:
    """Wiener deconvolution with a constant noise-to-signal power ratio (baseline).

    The data are interpolated linearly onto the uniform grid ``t`` (constant continuation
    outside the delays), and X(ω) = D(ω) H*(ω) / (|H(ω)|² + K) with H the transfer function of
    ΔS(τ) = ∫ I(t − τ) x(t) dt and K = max(σ² / ⟨d²⟩, ``nsr_floor``).

    Parameters
    ----------
    delta_s : array_like, shape (ntau, nq)
    tau : array_like, shape (ntau,)
        Increasing delays, ps.
    t : array_like, shape (nt,)
        Uniform grid covering the delays, ps.
    pulse : callable
        Unit-area pulse, ps⁻¹.
    noise_sigma : float
        Noise standard deviation (units of ΔS).
    nsr_floor : float
        Smallest K (regularises the noise-free case).

    Returns
    -------
    ndarray, shape (nt, nq)
    """
    tau = np.asarray(tau, dtype=float)
    d = np.asarray(delta_s, dtype=float).reshape(tau.size, -1)
    t = np.asarray(t, dtype=float)
    dt = uniform_step(t)
    n = t.size
    cols = [np.interp(t, tau, d[:, j]) for j in range(d.shape[1])]
    y = np.stack(cols, axis=1)
    nfft = _fft().next_fast_len(2 * n)
    # y(τ) = Σ_k I(t_k − τ) x(t_k) dt = Σ_j h_j x(τ − j dt) with h_j = I(−j dt) dt (circular)
    j = np.arange(nfft)
    j = np.where(j < nfft // 2, j, j - nfft)
    h = pulse(-j * dt) * dt
    big = np.concatenate([y, np.repeat(y[-1:], nfft - n, axis=0)])
    # smooth wrap-around: ramp the tail from the last value back to the first
    ramp = np.linspace(0.0, 1.0, nfft - n)[:, None]
    big[n:] = (1 - ramp) * y[-1] + ramp * y[0]
    hf = _fft().rfft(h)
    df = _fft().rfft(big, axis=0)
    k = max(noise_sigma**2 / float(np.mean(d**2)), nsr_floor)
    xf = df * np.conj(hf)[:, None] / (np.abs(hf[:, None]) ** 2 + k)
    return _fft().irfft(xf, n=nfft, axis=0)[:n].reshape((n,) + np.asarray(delta_s).shape[1:])


def relative_rms_error(estimate: ArrayLike, truth: ArrayLike) -> float:
    """‖estimate − truth‖_F / ‖truth‖_F (dimensionless)."""
    e = np.asarray(estimate, dtype=float)
    t = np.asarray(truth, dtype=float)
    return float(np.sqrt(np.sum((e - t) ** 2) / np.sum(t**2)))
