"""Noisy measurements and deconvolution of TRXS signals (beyond the TRXS paper; SPEC.md Branch 1).

The measured signal is the pulse-averaged one of TRXS Eq. 1 (with the jitter-averaged,
effective pulse of Eq. 8) plus white Gaussian noise,

    d(τ_i, q) = Σ_k I_eff(t_k − τ_i) ΔS_inst(q, t_k) w_k Δt + ε_i(q),   ε ~ N(0, σ²),

i.e. ``d = A x + ε`` with the pulse matrix A (n_tau × n_t) shared by every q. ΔS_inst is
recovered by Tikhonov regularisation with a second-difference penalty,

    x_λ = argmin ‖A x − d‖² + λ² ‖L x‖²,

on a time grid padded by a few pulse widths on either side of the delays. The problem is put in
standard form (Eldén's transformation, Hansen, *Rank-Deficient and Discrete Ill-Posed
Problems*, SIAM 1998, Sec. 2.3) and the standard-form matrix is factorised once by an SVD; the
solution for every q and every λ then costs one matrix product. λ is chosen by generalised
cross-validation (GCV, Golub, Heath & Wahba 1979) or the corner of the L-curve (Hansen 1992).
Wiener filtering (constant noise-to-signal ratio) and "no deconvolution" are the baselines.

Signal-to-noise ratio (used throughout): σ = S_ref / SNR with S_ref = max_{t,q} |ΔS_inst(q, t)| (the
default, the same absolute noise for every pulse) or max_{τ,q} |ΔS(q, τ)|; SNR = ∞ means no noise.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.fft
import scipy.linalg
import xarray as xr
from numpy.typing import ArrayLike, NDArray
from scipy.interpolate import CubicSpline

from kineticflow.core.convolution import convolve_with_pulse, lag_grid
from kineticflow.core.transforms import trapezoid_weights
from kineticflow.core.noise import format_snr, parse_snr  # noqa: F401 - re-exported

Pulse = Callable[[NDArray[np.float64]], NDArray[np.float64]]

TAU_ATTRS = {"units": "ps", "long_name": "pump-probe delay tau"}
T_ATTRS = {"units": "ps", "long_name": "time after the pump t (padded deconvolution grid)"}
LAG_ATTRS = {"units": "ps", "long_name": "lag t - tau relative to the nominal delay"}
LAMBDA_ATTRS = {"units": "1", "long_name": "Tikhonov regularisation parameter lambda (second-difference penalty)"}


# --------------------------------------------------------------------------------------------
# Noise
# --------------------------------------------------------------------------------------------


def stable_seed(base_seed: int, key: Mapping[str, Any]) -> int:
    """Seed that depends on a base seed and a set of labels, stable across runs and machines.

    Parameters
    ----------
    base_seed : int
        Seed from the config.
    key : mapping
        Labels (e.g. the Snakemake wildcards ``fwhm``, ``jitter``, ``snr``); order-independent.

    Returns
    -------
    int
        ``(base_seed + crc32("k1=v1|k2=v2|…")) mod 2³²`` (Python's ``hash`` is salted, crc32 is not).
    """
    text = "|".join(f"{k}={key[k]}" for k in sorted(key))
    return int((int(base_seed) + zlib.crc32(text.encode())) % 2**32)


def noise_sigma(delta_s: ArrayLike, snr: float) -> float:
    """Noise standard deviation σ = max|ΔS| / SNR (0 for SNR = ∞), in the units of ΔS."""
    snr = parse_snr(snr)
    return 0.0 if np.isinf(snr) else float(np.max(np.abs(delta_s)) / snr)


def add_noise(
    delta_s: ArrayLike, snr: float, seed: int, reference: float | None = None
) -> tuple[NDArray[np.float64], float]:
    """Add seeded white Gaussian noise at a given SNR to a measured signal.

    Parameters
    ----------
    delta_s : array_like, shape (ntau, nq)
        Noise-free ΔS(q, τ).
    snr : float
        Signal-to-noise ratio; σ = max|ΔS| / SNR. ``inf`` returns the signal unchanged.
    seed : int
        Seed of ``numpy.random.default_rng``.
    reference : float, optional
        Signal scale S_ref in σ = S_ref / SNR; default max|ΔS| of ``delta_s`` itself.

    Returns
    -------
    noisy : ndarray, shape (ntau, nq)
    sigma : float
        Standard deviation of the added noise (units of ΔS).
    """
    clean = np.asarray(delta_s, dtype=float)
    sigma = noise_sigma(clean if reference is None else np.array([reference]), snr)
    if sigma == 0.0:
        return clean.copy(), 0.0
    rng = np.random.default_rng(seed)
    return clean + rng.normal(0.0, sigma, size=clean.shape), sigma


# --------------------------------------------------------------------------------------------
# Linear operators
# --------------------------------------------------------------------------------------------


def pulse_function(lags: ArrayLike, intensity: ArrayLike) -> Pulse:
    """Smooth (cubic-spline) interpolant of a sampled pulse I(s), zero outside the samples.

    Parameters
    ----------
    lags : array_like, shape (n,)
        Increasing lags s = t − τ, ps.
    intensity : array_like, shape (n,)
        Pulse samples, ps⁻¹.

    Returns
    -------
    callable
        ``I(s)`` for an array of lags (ps) → ps⁻¹.
    """
    s = np.asarray(lags, dtype=float)
    i = np.asarray(intensity, dtype=float)
    spline = CubicSpline(s, i, bc_type="natural", extrapolate=False)
    lo, hi = s[0], s[-1]

    def pulse(x: NDArray[np.float64]) -> NDArray[np.float64]:
        x = np.asarray(x, dtype=float)
        out = np.zeros_like(x)
        inside = (x >= lo) & (x <= hi)
        out[inside] = spline(x[inside])
        return out

    return pulse


def pulse_matrix(tau: ArrayLike, t: ArrayLike, pulse: Pulse, causal: bool = False) -> NDArray[np.float64]:
    """Discretised TRXS Eq. 1: A[i, k] = I(t_k − τ_i) w_k Δt, so that ΔS(τ) = A ΔS_inst(t).

    Parameters
    ----------
    tau : array_like, shape (ntau,)
        Delays, ps (any spacing).
    t : array_like, shape (nt,)
        Uniform time grid, ps.
    pulse : callable
        Unit-area pulse I(s), s = t − τ in ps, returning ps⁻¹.
    causal : bool
        The grid starts at the pump (t = 0, where the signal jumps) and ends where the
        integrand already vanishes (the pulse tail): half weight at t[0] only, as in
        :func:`kineticflow.core.convolution.convolve_with_pulse`. Otherwise the plain trapezoid rule.

    Returns
    -------
    ndarray, shape (ntau, nt)
        Dimensionless weights (rows sum to ≈ 1 when the pulse lies inside the grid).
    """
    from kineticflow.core.convolution import uniform_step

    t = np.asarray(t, dtype=float)
    tau = np.asarray(tau, dtype=float)
    dt = uniform_step(t)
    w = trapezoid_weights(t)
    if causal:
        w[-1] = dt
    return pulse(t[None, :] - tau[:, None]) * w[None, :]


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


def padded_time_grid(tau: ArrayLike, fwhm_ps: float, t_step_ps: float, pad_fwhm: float) -> NDArray[np.float64]:
    """Uniform deconvolution grid covering the delays plus ``pad_fwhm`` pulse widths each side, ps.

    The grid is aligned on multiples of ``t_step_ps`` (so t = 0 is a grid point).
    """
    tau = np.asarray(tau, dtype=float)
    pad = pad_fwhm * fwhm_ps
    lo = np.floor((tau.min() - pad) / t_step_ps) * t_step_ps
    hi = np.ceil((tau.max() + pad) / t_step_ps) * t_step_ps
    return lo + t_step_ps * np.arange(int(round((hi - lo) / t_step_ps)) + 1)


# --------------------------------------------------------------------------------------------
# Tikhonov regularisation in standard form, one factorisation for all q and all λ
# --------------------------------------------------------------------------------------------


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
    q_full, r_full = scipy.linalg.qr(l.T, mode="full")
    q_lt, r_lt = q_full[:, :p], r_full[:p]
    l_pinv = scipy.linalg.solve_triangular(r_lt, q_lt.T, lower=False).T  # Q R^{-T}, (n, p)
    if p < n:
        w = q_full[:, p:]  # orthonormal basis of null(L), (n, n - p)
        aw = a @ w
        q0, r0 = scipy.linalg.qr(aw, mode="economic")
        if np.min(np.abs(np.diag(r0))) < 1e-12 * max(1.0, np.abs(r0).max()):
            raise ValueError("A annihilates the null space of L: the regularised problem has no unique solution")
        aw_pinv = scipy.linalg.solve_triangular(r0, q0.T)  # (k, m)
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
    u, s, vt = scipy.linalg.svd(a_bar, full_matrices=False, lapack_driver="gesdd")
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


def lambda_grid(fact: TikhonovFactorisation, n_lambda: int = 200, lambda_min_rel: float = 1e-9, lambda_max_rel: float = 10.0) -> NDArray[np.float64]:
    """Log-spaced λ from ``lambda_min_rel``·s_max to ``lambda_max_rel``·s_max (s_max: largest singular value)."""
    if not 0 < lambda_min_rel < lambda_max_rel:
        raise ValueError(f"need 0 < lambda_min_rel < lambda_max_rel, got {lambda_min_rel}, {lambda_max_rel}")
    smax = float(fact.s[0])
    return np.logspace(np.log10(lambda_min_rel * smax), np.log10(lambda_max_rel * smax), int(n_lambda))


def _coefficients(fact: TikhonovFactorisation, d: NDArray[np.float64]) -> tuple[NDArray[np.float64], NDArray[np.float64], float]:
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
    _, beta, outside = _coefficients(fact, d)
    b2 = np.sum(beta**2, axis=1)  # (p,)
    s2 = fact.s**2
    f = s2[None, :] / (s2[None, :] + lam[:, None] ** 2)  # (nl, p)
    res2 = ((1.0 - f) ** 2 * b2[None, :]).sum(axis=1) + outside
    semi2 = (f**2 * b2[None, :] / s2[None, :]).sum(axis=1)
    dof = fact.n_null + f.sum(axis=1)
    denom = np.maximum(fact.m - dof, 1e-12)
    return LambdaScan(lam=lam, residual_norm=np.sqrt(res2), solution_seminorm=np.sqrt(semi2), gcv=res2 / denom**2, dof=dof)


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
    _, beta, _ = _coefficients(fact, d2)
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


def tikhonov_deconvolve(
    delta_s: ArrayLike,
    tau: ArrayLike,
    t: ArrayLike,
    pulse: Pulse,
    method: str = "gcv",
    lam: float | None = None,
    n_lambda: int = 200,
    lambda_min_rel: float = 1e-9,
    lambda_max_rel: float = 10.0,
) -> tuple[NDArray[np.float64], float, LambdaScan]:
    """ΔS_inst(q, t) from ΔS(q, τ) by Tikhonov regularisation with a second-difference penalty.

    Parameters
    ----------
    delta_s : array_like, shape (ntau, nq)
        Measured signal.
    tau : array_like, shape (ntau,)
        Delays, ps (any spacing).
    t : array_like, shape (nt,)
        Uniform, padded time grid of the solution, ps (see :func:`padded_time_grid`).
    pulse : callable
        Effective unit-area pulse I(s), ps⁻¹.
    method : {"gcv", "lcurve"}
        Choice of λ when ``lam`` is None.
    lam : float, optional
        Fixed λ (skips the choice).
    n_lambda, lambda_min_rel, lambda_max_rel
        λ grid (see :func:`lambda_grid`).

    Returns
    -------
    x : ndarray, shape (nt, nq)
        Recovered ΔS_inst(q, t) (units of ``delta_s``).
    lam : float
        The λ used.
    scan : LambdaScan
        GCV function and L-curve over the λ grid.

    Raises
    ------
    ValueError
        For an unknown method or a non-uniform t grid.
    """
    d = np.asarray(delta_s, dtype=float)
    fact = tikhonov_factorise(pulse_matrix(tau, t, pulse), second_difference_matrix(np.asarray(t).size))
    scan = lambda_scan(fact, d, lambda_grid(fact, n_lambda, lambda_min_rel, lambda_max_rel))
    if lam is None:
        if method == "gcv":
            lam = gcv_lambda(scan)
        elif method == "lcurve":
            lam = l_curve_lambda(scan)
        else:
            raise ValueError(f"unknown lambda method {method!r}; choose 'gcv' or 'lcurve'")
    return tikhonov_solve(fact, d, lam), float(lam), scan


def wiener_deconvolve(
    delta_s: ArrayLike,
    tau: ArrayLike,
    t: ArrayLike,
    pulse: Pulse,
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
    from kineticflow.core.convolution import uniform_step

    d = np.asarray(delta_s, dtype=float).reshape(len(tau), -1)
    tau = np.asarray(tau, dtype=float)
    t = np.asarray(t, dtype=float)
    dt = uniform_step(t)
    n = t.size
    cols = [np.interp(t, tau, d[:, j]) for j in range(d.shape[1])]
    y = np.stack(cols, axis=1)
    nfft = scipy.fft.next_fast_len(2 * n)
    # y(τ) = Σ_k I(t_k − τ) x(t_k) dt = Σ_j h_j x(τ − j dt) with h_j = I(−j dt) dt (circular)
    j = np.arange(nfft)
    j = np.where(j < nfft // 2, j, j - nfft)
    h = pulse(-j * dt) * dt
    big = np.concatenate([y, np.repeat(y[-1:], nfft - n, axis=0)])
    # smooth wrap-around: ramp the tail from the last value back to the first
    ramp = np.linspace(0.0, 1.0, nfft - n)[:, None]
    big[n:] = (1 - ramp) * y[-1] + ramp * y[0]
    hf = scipy.fft.rfft(h)
    df = scipy.fft.rfft(big, axis=0)
    k = max(noise_sigma**2 / float(np.mean(d**2)), nsr_floor)
    xf = df * np.conj(hf)[:, None] / (np.abs(hf[:, None]) ** 2 + k)
    return scipy.fft.irfft(xf, n=nfft, axis=0)[:n].reshape((n,) + np.asarray(delta_s).shape[1:])


def relative_rms_error(estimate: ArrayLike, truth: ArrayLike) -> float:
    """‖estimate − truth‖_F / ‖truth‖_F (dimensionless)."""
    e = np.asarray(estimate, dtype=float)
    t = np.asarray(truth, dtype=float)
    return float(np.sqrt(np.sum((e - t) ** 2) / np.sum(t**2)))


def interpolate_time(values: ArrayLike, t: ArrayLike, t_new: ArrayLike) -> NDArray[np.float64]:
    """Linear interpolation along axis 0 of ``values`` (nt, nq) from t to t_new (clamped at the ends)."""
    v = np.asarray(values, dtype=float)
    t = np.asarray(t, dtype=float)
    return np.stack([np.interp(t_new, t, v[:, j]) for j in range(v.shape[1])], axis=1)


def interpolation_matrix(t: ArrayLike, t_new: ArrayLike) -> NDArray[np.float64]:
    """Matrix P (len(t_new) × len(t)) of linear interpolation from t to t_new (clamped at the ends)."""
    t = np.asarray(t, dtype=float)
    t_new = np.clip(np.asarray(t_new, dtype=float), t[0], t[-1])
    idx = np.clip(np.searchsorted(t, t_new, side="right") - 1, 0, t.size - 2)
    w = (t_new - t[idx]) / (t[idx + 1] - t[idx])
    p = np.zeros((t_new.size, t.size))
    rows = np.arange(t_new.size)
    p[rows, idx] = 1.0 - w
    p[rows, idx + 1] += w
    return p


def error_scan(
    fact: TikhonovFactorisation,
    d: ArrayLike,
    lam: ArrayLike,
    projection: ArrayLike,
    truth: ArrayLike,
) -> NDArray[np.float64]:
    """Relative error ‖P x_λ − truth‖_F / ‖truth‖_F for every λ, without forming x_λ.

    With x_λ = B F_λ β + N d (B = ``fact.back``, F_λ = diag(s/(s² + λ²)), N = ``fact.null_fit``),
    G = P B and c = P N d − truth: ‖G F β + c‖² = fᵀ[(GᵀG) ∘ (ββᵀ)] f + 2 fᵀ diag(Gᵀ c βᵀ) + ‖c‖².

    Parameters
    ----------
    fact : TikhonovFactorisation
    d : array_like, shape (m, nq)
        Data.
    lam : array_like, shape (nl,)
    projection : array_like, shape (k, n)
        Maps x (on the solution grid) to the points where the truth is known (e.g.
        :func:`interpolation_matrix`).
    truth : array_like, shape (k, nq)

    Returns
    -------
    ndarray, shape (nl,)
    """
    d2 = np.asarray(d, dtype=float).reshape(fact.m, -1)
    truth = np.asarray(truth, dtype=float).reshape(-1, d2.shape[1])
    proj = np.asarray(projection, dtype=float)
    _, beta, _ = _coefficients(fact, d2)
    g = proj @ fact.back
    c = proj @ (fact.null_fit @ d2) - truth
    quad = (g.T @ g) * (beta @ beta.T)
    lin = np.sum((g.T @ c) * beta, axis=1)
    lam = np.asarray(lam, dtype=float)
    filt = fact.s[None, :] / (fact.s[None, :] ** 2 + lam[:, None] ** 2)
    err2 = np.einsum("li,ik,lk->l", filt, quad, filt) + 2 * filt @ lin + np.sum(c**2)
    return np.sqrt(np.maximum(err2, 0.0) / np.sum(truth**2))


# --------------------------------------------------------------------------------------------
# Dataset-level steps (one per workflow rule)
# --------------------------------------------------------------------------------------------


def measure(
    inst: xr.Dataset,
    jittered: xr.Dataset,
    snr: Any,
    seed: int,
    delays_ps: Sequence[float] | None = None,
    noise_reference: str = "instantaneous",
) -> xr.Dataset:
    """Rule ``add_noise``: jitter-averaged ΔS(q, τ) on the measured delays, plus seeded noise.

    Parameters
    ----------
    inst : xarray.Dataset
        ``delta_s_q(t, q)`` on the uniform simulation grid (rule ``simulate_trxs``).
    jittered : xarray.Dataset
        Rule ``average_jitter`` output: ``pulse_analytic(t)`` (t = lag, ps), ``delta_s_q(tau, q)``,
        attributes ``fwhm_ps``, ``fwhm_eff_ps``, ``jitter_fraction``.
    snr : float or "inf"
        Signal-to-noise ratio; σ = max|ΔS| / SNR.
    seed : int
        Noise seed (see :func:`stable_seed`).
    delays_ps : sequence of float, optional
        Measured delays (any spacing, e.g. close to logarithmic), ps. None: the delays of
        ``jittered``.
    noise_reference : {"instantaneous", "measured"}
        Signal scale of the SNR: σ = max|ΔS_inst(q, t)| / SNR (the same absolute noise for every
        pulse, as for the same detector and photon count; default) or σ = max|ΔS(q, τ)| / SNR
        (relative to this pulse's measured signal).

    Returns
    -------
    xarray.Dataset
        ``delta_s_q(tau, q)`` (noisy), ``delta_s_q_clean(tau, q)``, ``pulse(t)`` (effective);
        attributes ``snr``, ``noise_sigma``, ``seed``, ``fwhm_ps``, ``fwhm_eff_ps``, ``jitter_fraction``.

    Raises
    ------
    ValueError
        If a delay lies closer than 2.5 effective FWHM to the end of the simulation grid.
    """
    snr_value = parse_snr(snr)
    q_units = inst["delta_s_q"].attrs.get("units", "1")
    if delays_ps is None or len(delays_ps) == 0:
        tau = jittered["tau"].values
        clean = jittered["delta_s_q"].values
    else:
        tau = np.sort(np.unique(np.asarray(delays_ps, dtype=float)))
        t = inst["t"].values
        fwhm_eff = float(jittered.attrs["fwhm_eff_ps"])
        if tau.min() - 2.5 * fwhm_eff < t[0] or tau.max() + 2.5 * fwhm_eff > t[-1]:
            raise ValueError(
                f"measured delays [{tau.min()}, {tau.max()}] ps need the simulation grid to extend "
                f"2.5 effective FWHM ({2.5 * fwhm_eff:g} ps) beyond them; grid is [{t[0]}, {t[-1]}] ps"
            )
        lags = lag_grid(t)
        kernel = np.interp(lags, jittered["t"].values, jittered["pulse_analytic"].values, left=0.0, right=0.0)
        clean = convolve_with_pulse(inst["delta_s_q"].values, t, kernel, tau)
    if noise_reference == "instantaneous":
        reference = float(np.max(np.abs(inst["delta_s_q"].values)))
    elif noise_reference == "measured":
        reference = float(np.max(np.abs(clean)))
    else:
        raise ValueError(f"noise_reference must be 'instantaneous' or 'measured', got {noise_reference!r}")
    noisy, sigma = add_noise(clean, snr_value, seed, reference)
    ds = xr.Dataset(
        {
            "delta_s_q": (("tau", "q"), noisy, {"units": q_units, "long_name": "measured signal Delta S(q, tau): jitter-averaged, with Gaussian noise"}),
            "delta_s_q_clean": (("tau", "q"), clean, {"units": q_units, "long_name": "noise-free jitter-averaged signal Delta S(q, tau)"}),
            "pulse": (("t",), jittered["pulse_analytic"].values, {"units": "1/ps", "long_name": "effective (jitter-averaged) pulse <I_x(t - tau)>, Eq. 8"}),
        },
        coords={"tau": ("tau", tau, TAU_ATTRS), "q": jittered["q"], "t": ("t", jittered["t"].values, LAG_ATTRS)},
    )
    ds.attrs.update(
        {
            "source": "TRXS Eqs 1, 7-8 plus white Gaussian noise of standard deviation sigma = S_ref / SNR",
            "snr": "inf" if np.isinf(snr_value) else snr_value,
            "noise_sigma": sigma,
            "noise_reference": noise_reference,
            "noise_reference_value": reference,
            "noise_definition": (
                "sigma = noise_reference_value / SNR, noise_reference_value = max |Delta S_inst(q, t)| (instantaneous) "
                "or max |Delta S(q, tau)| (measured); SNR = inf: no noise"
            ),
            "seed": int(seed),
            "delay_spacing": "grid" if delays_ps is None or len(delays_ps) == 0 else "list",
            **{k: jittered.attrs[k] for k in ("fwhm_ps", "fwhm_eff_ps", "jitter_fraction") if k in jittered.attrs},
        }
    )
    return ds


def deconvolve(inst: xr.Dataset, measured: xr.Dataset, cfg: Mapping[str, Any]) -> xr.Dataset:
    """Rule ``deconvolve``: Tikhonov (GCV or L-curve), Wiener and no deconvolution, against the truth.

    Parameters
    ----------
    inst : xarray.Dataset
        True ``delta_s_q(t, q)`` (rule ``simulate_trxs``).
    measured : xarray.Dataset
        Output of :func:`measure`.
    cfg : mapping
        ``trxs.deconvolution``: ``t_step_ps``, ``pad_fwhm``, ``lambda_method`` (gcv | lcurve),
        ``n_lambda``, ``lambda_min_rel``, ``lambda_max_rel``, ``wiener_nsr_floor``.

    Returns
    -------
    xarray.Dataset
        ``delta_s_q(t, q)`` (recovered on the padded grid), ``delta_s_q_at_tau``,
        ``delta_s_q_wiener``, ``delta_s_q_true`` (all (tau, q)), the λ scan (``gcv``,
        ``residual_norm``, ``solution_seminorm``, ``relative_error_vs_lambda`` over ``lam``),
        and scalar variables ``lambda_chosen``, ``lambda_gcv``, ``lambda_lcurve``, ``lambda_best``,
        ``rel_rms_error``, ``rel_rms_error_best``, ``rel_rms_error_wiener``,
        ``rel_rms_error_no_deconvolution``. Errors are ‖est − truth‖/‖truth‖ over the measured
        delays and all q.
    """
    tau = measured["tau"].values
    d = measured["delta_s_q"].values
    fwhm_eff = float(measured.attrs["fwhm_eff_ps"])
    pulse = pulse_function(measured["t"].values, measured["pulse"].values)
    t = padded_time_grid(tau, fwhm_eff, float(cfg["t_step_ps"]), float(cfg["pad_fwhm"]))
    fact = tikhonov_factorise(pulse_matrix(tau, t, pulse), second_difference_matrix(t.size))
    scan = lambda_scan(fact, d, lambda_grid(fact, int(cfg["n_lambda"]), float(cfg["lambda_min_rel"]), float(cfg["lambda_max_rel"])))
    lam_gcv = gcv_lambda(scan)
    lam_lc = l_curve_lambda(scan)
    lam = lam_gcv if cfg["lambda_method"] == "gcv" else lam_lc
    truth = interpolate_time(inst["delta_s_q"].values, inst["t"].values, tau)
    err_scan = error_scan(fact, d, scan.lam, interpolation_matrix(t, tau), truth)
    x = tikhonov_solve(fact, d, lam)
    x_tau = interpolate_time(x, t, tau)
    t_w = t[(t >= tau.min()) & (t <= tau.max())]
    wiener = wiener_deconvolve(d, tau, t_w, pulse, float(measured.attrs["noise_sigma"]), float(cfg["wiener_nsr_floor"]))
    wiener_tau = interpolate_time(wiener, t_w, tau)
    units = measured["delta_s_q"].attrs.get("units", "1")
    best = int(np.argmin(err_scan))
    scalars = {
        "lambda_chosen": (lam, LAMBDA_ATTRS["units"], f"lambda used ({cfg['lambda_method']})"),
        "lambda_gcv": (lam_gcv, "1", "lambda minimising generalised cross-validation"),
        "lambda_lcurve": (lam_lc, "1", "lambda at the L-curve corner (maximum curvature)"),
        "lambda_best": (float(scan.lam[best]), "1", "oracle lambda minimising the error against the truth"),
        "rel_rms_error": (relative_rms_error(x_tau, truth), "1", "relative RMS error of Tikhonov deconvolution vs true Delta S_inst"),
        "rel_rms_error_best": (float(err_scan[best]), "1", "relative RMS error at the oracle-best lambda"),
        "rel_rms_error_wiener": (relative_rms_error(wiener_tau, truth), "1", "relative RMS error of Wiener deconvolution"),
        "rel_rms_error_no_deconvolution": (relative_rms_error(d, truth), "1", "relative RMS error of the measured signal taken as Delta S_inst"),
    }
    ds = xr.Dataset(
        {
            "delta_s_q": (("t", "q"), x, {"units": units, "long_name": "deconvolved Delta S_inst(q, t) (Tikhonov, second-difference penalty)"}),
            "delta_s_q_at_tau": (("tau", "q"), x_tau, {"units": units, "long_name": "deconvolved Delta S_inst(q, t = tau)"}),
            "delta_s_q_wiener": (("tau", "q"), wiener_tau, {"units": units, "long_name": "Wiener-deconvolved Delta S_inst(q, t = tau)"}),
            "delta_s_q_measured": (("tau", "q"), d, {"units": units, "long_name": "measured Delta S(q, tau) (input; the no-deconvolution estimate)"}),
            "delta_s_q_true": (("tau", "q"), truth, {"units": units, "long_name": "true Delta S_inst(q, t = tau)"}),
            "gcv": (("lam",), scan.gcv, {"units": f"({units})^2", "long_name": "GCV function summed over q"}),
            "residual_norm": (("lam",), scan.residual_norm, {"units": units, "long_name": "residual norm ||A x - d|| over tau and q"}),
            "solution_seminorm": (("lam",), scan.solution_seminorm, {"units": units, "long_name": "seminorm ||L x|| over t and q"}),
            "relative_error_vs_lambda": (("lam",), err_scan, {"units": "1", "long_name": "relative RMS error against the truth"}),
            **{k: ((), v, {"units": u, "long_name": n}) for k, (v, u, n) in scalars.items()},
        },
        coords={"t": ("t", t, T_ATTRS), "tau": measured["tau"], "q": measured["q"], "lam": ("lam", scan.lam, LAMBDA_ATTRS)},
    )
    ds.attrs.update(
        {
            "source": "Tikhonov regularisation, min ||A x - d||^2 + lambda^2 ||L x||^2, L = second difference; "
            "Elden standard form + one SVD for all q; lambda by GCV or L-curve",
            "lambda_method": cfg["lambda_method"],
            "n_t": int(t.size),
            **{k: v for k, v in measured.attrs.items() if k in ("fwhm_ps", "fwhm_eff_ps", "jitter_fraction", "snr", "noise_sigma", "noise_reference", "seed")},
            **{k: float(v[0]) for k, v in scalars.items()},
        }
    )
    return ds
