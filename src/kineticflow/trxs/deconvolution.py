"""Deconvolution operators of TRXS signals (beyond the TRXS paper; docs/trxs.md, "Beyond the paper").

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

The dataset-level comparison of the methods against the truth is
:func:`kineticflow.trxs.analysis.deconvolve`.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike, NDArray

from kineticflow.core.regularisation import (
    LambdaScan,
    TikhonovFactorisation,
    coefficients,
    gcv_lambda,
    l_curve_lambda,
    lambda_grid,
    lambda_scan,
    second_difference_matrix,
    tikhonov_factorise,
    tikhonov_solve,
)
from kineticflow.core.transforms import trapezoid_weights

Pulse = Callable[[NDArray[np.float64]], NDArray[np.float64]]


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
    from scipy.interpolate import CubicSpline  # noqa: PLC0415 - imported where it is used

    spline = CubicSpline(s, i, bc_type="natural", extrapolate=False)
    lo, hi = s[0], s[-1]

    def pulse(x: NDArray[np.float64]) -> NDArray[np.float64]:
        x = np.asarray(x, dtype=float)
        out = np.zeros_like(x)
        inside = (x >= lo) & (x <= hi)
        out[inside] = spline(x[inside])
        return out

    return pulse


def pulse_matrix(
    tau: ArrayLike, t: ArrayLike, pulse: Pulse, causal: bool = False, weights: ArrayLike | None = None
) -> NDArray[np.float64]:
    """Discretised TRXS Eq. 1: A[i, k] = I(t_k − τ_i) w_k, so that ΔS(τ) = A ΔS_inst(t).

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
    weights : array_like, shape (nt,), optional
        Quadrature weights w_k (ps) to use instead of the trapezoid rule (``causal`` is then
        ignored), e.g. :func:`kineticflow.core.transforms.simpson_weights`.

    Returns
    -------
    ndarray, shape (ntau, nt)
        Dimensionless weights (rows sum to ≈ 1 when the pulse lies inside the grid).
    """
    from kineticflow.core.convolution import uniform_step

    t = np.asarray(t, dtype=float)
    tau = np.asarray(tau, dtype=float)
    if weights is not None:
        w = np.asarray(weights, dtype=float)
    else:
        dt = uniform_step(t)
        w = trapezoid_weights(t)
        if causal:
            w[-1] = dt
    return pulse(t[None, :] - tau[:, None]) * w[None, :]


def padded_time_grid(tau: ArrayLike, fwhm_ps: float, t_step_ps: float, pad_fwhm: float) -> NDArray[np.float64]:
    """Uniform deconvolution grid covering the delays plus ``pad_fwhm`` pulse widths each side, ps.

    The grid is aligned on multiples of ``t_step_ps`` (so t = 0 is a grid point).
    """
    tau = np.asarray(tau, dtype=float)
    pad = pad_fwhm * fwhm_ps
    lo = np.floor((tau.min() - pad) / t_step_ps) * t_step_ps
    hi = np.ceil((tau.max() + pad) / t_step_ps) * t_step_ps
    return lo + t_step_ps * np.arange(int(round((hi - lo) / t_step_ps)) + 1)


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


def interpolate_time(values: ArrayLike, t: ArrayLike, t_new: ArrayLike) -> NDArray[np.float64]:
    """Linear interpolation along axis 0 of ``values`` (nt, nq) from t to t_new (clamped at the ends)."""
    v = np.asarray(values, dtype=float)
    ta = np.asarray(t, dtype=float)
    tn = np.asarray(t_new, dtype=float)
    return np.stack([np.interp(tn, ta, v[:, j]) for j in range(v.shape[1])], axis=1)


def interpolation_matrix(t: ArrayLike, t_new: ArrayLike) -> NDArray[np.float64]:
    """Matrix P (len(t_new) × len(t)) of linear interpolation from t to t_new (clamped at the ends)."""
    ta = np.asarray(t, dtype=float)
    tn = np.clip(np.asarray(t_new, dtype=float), ta[0], ta[-1])
    idx = np.clip(np.searchsorted(ta, tn, side="right") - 1, 0, ta.size - 2)
    w = (tn - ta[idx]) / (ta[idx + 1] - ta[idx])
    p = np.zeros((tn.size, ta.size))
    rows = np.arange(tn.size)
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
    _, beta, _ = coefficients(fact, d2)
    g = proj @ fact.back
    c = proj @ (fact.null_fit @ d2) - truth
    quad = (g.T @ g) * (beta @ beta.T)
    lin = np.sum((g.T @ c) * beta, axis=1)
    lam = np.asarray(lam, dtype=float)
    filt = fact.s[None, :] / (fact.s[None, :] ** 2 + lam[:, None] ** 2)
    err2 = np.einsum("li,ik,lk->l", filt, quad, filt) + 2 * filt @ lin + np.sum(c**2)
    return np.sqrt(np.maximum(err2, 0.0) / np.sum(truth**2))
