"""Exponential kinetics seen through the instrument response: the basis of the global fit.

A kinetic component that appears at t₀ and decays with the time constant T is the step-exponential
g(t) = H(t − t₀) e^{−(t − t₀)/T}; a long-lived state (the offset) is the step H(t − t₀). What is
measured at the delay τ is its average over the x-ray pulse, TRXS paper Eq. 1:
f(τ) = ∫ ds I(s) g(τ + s), with I the jitter-averaged pulse of Eq. 8 (a Gaussian, in closed
form) or a measured profile (numerically).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from kineticflow.trxs.pulses import (
    FWHM_PER_SIGMA,
    effective_fwhm,
    jitter_averaged_profile,
    measure_fwhm,
    measured_pulse,
)

#: Lag-grid points per FWHM of a measured pulse (the step of the numerical convolution).
POINTS_PER_FWHM = 50


@dataclass(frozen=True, eq=False)
class InstrumentResponse:
    """The response the kinetics are averaged over: a Gaussian or a sampled (measured) pulse.

    Attributes
    ----------
    sigma_ps : float, optional
        Standard deviation of the Gaussian (:func:`irf_sigma`), ps.
    pulse : tuple of ndarray, optional
        ``(s, weights)`` of a measured pulse (:func:`pulse_weights`). Exactly one is given.
    """

    sigma_ps: float | None = None
    pulse: tuple[NDArray[np.float64], NDArray[np.float64]] | None = None

    def __post_init__(self) -> None:
        if (self.sigma_ps is None) == (self.pulse is None):
            raise ValueError("give exactly one instrument response: sigma_ps (Gaussian) or pulse (measured)")

    @property
    def width_ps(self) -> float:
        """A time scale of the response: σ of the Gaussian, or a tenth of the pulse grid's span, ps."""
        if self.sigma_ps is not None:
            return float(self.sigma_ps)
        assert self.pulse is not None
        return float(np.ptp(self.pulse[0])) / 10.0


def irf_sigma(fwhm_ps: float, jitter: float = 0.0) -> float:
    r"""Standard deviation of the jitter-averaged Gaussian pulse, ps.

    .. math:: \sigma = \sqrt{\mathrm{FWHM}^2 + (j\,\mathrm{FWHM})^2} / (2\sqrt{2\ln 2})

    Parameters
    ----------
    fwhm_ps : float
        FWHM of the x-ray pulse, ps (> 0).
    jitter : float
        FWHM of the Gaussian pump–probe jitter as a fraction j of the pulse FWHM (≥ 0; the same
        fraction of the rms widths).

    Returns
    -------
    float
        σ, ps.

    Raises
    ------
    ValueError
        If ``fwhm_ps`` ≤ 0 or ``jitter`` < 0.

    References
    ----------
    TRXS paper, Eq. 8 (FWHM_eff² = FWHM_x² + FWHM_j²).

    Examples
    --------
    >>> round(irf_sigma(100.0, 0.5), 3)
    47.479
    """
    if not fwhm_ps > 0:
        raise ValueError(f"fwhm_ps must be > 0, got {fwhm_ps}")
    return float(effective_fwhm(fwhm_ps, jitter * fwhm_ps) / FWHM_PER_SIGMA)


def exponential_gaussian(
    tau_ps: ArrayLike, time_constant_ps: float, sigma_ps: float, t0_ps: float = 0.0
) -> NDArray[np.float64]:
    r"""Step-exponential convolved with a unit-area Gaussian (exponentially modified Gaussian).

    With u = τ − t₀ and x = (σ/T − u/σ)/√2,

    .. math::

        f(u) = \tfrac12 e^{\sigma^2/2T^2 - u/T} \operatorname{erfc}(x)
             = \tfrac12 e^{-u^2/2\sigma^2} \operatorname{erfcx}(x),

    the second form for x ≥ 0 (no overflow for T ≪ σ or u ≪ 0), the first for x < 0 (where its
    exponent is below −σ²/2T²). T = ∞ gives the step ½ erfc(−u/σ√2).

    Parameters
    ----------
    tau_ps : array_like, shape (n,)
        Delays τ, ps (any sign, any spacing).
    time_constant_ps : float
        T, ps (> 0; ``inf`` for the long-lived offset).
    sigma_ps : float
        Standard deviation of the Gaussian, ps (> 0).
    t0_ps : float
        Time zero t₀, ps.

    Returns
    -------
    ndarray, shape (n,)
        f(τ), dimensionless (1 at τ = t₀ for σ → 0; total area T).

    References
    ----------
    TRXS paper, Eq. 1 (the pulse average); the closed form is the exponentially modified Gaussian.

    Examples
    --------
    >>> float(exponential_gaussian([0.0], np.inf, 1.0)[0])
    0.5
    """
    from scipy.special import erfc, erfcx  # noqa: PLC0415 - scipy.special only where the fits run

    u = np.asarray(tau_ps, dtype=float) - t0_ps
    if np.isinf(time_constant_ps):
        return np.asarray(0.5 * erfc(-u / (sigma_ps * np.sqrt(2.0))))
    x = (sigma_ps / time_constant_ps - u / sigma_ps) / np.sqrt(2.0)
    pos = x >= 0
    out = np.empty_like(u)
    out[pos] = 0.5 * np.exp(-0.5 * (u[pos] / sigma_ps) ** 2) * erfcx(x[pos])
    neg = ~pos
    exponent = 0.5 * (sigma_ps / time_constant_ps) ** 2 - u[neg] / time_constant_ps
    out[neg] = 0.5 * np.exp(exponent) * erfc(x[neg])
    return out


def cell_average_exponential(x_ps: ArrayLike, time_constant_ps: float, step_ps: float) -> NDArray[np.float64]:
    r"""Average of H(t) e^{−t/T} over the cells [x − h/2, x + h/2], exactly.

    .. math:: E(x) = \frac{T}{h}\left(e^{-a/T} - e^{-b/T}\right), \quad a = \max(x - h/2, 0),\ b = \max(x + h/2, 0)

    (with ``expm1`` for accuracy; (b − a)/h for T = ∞). Exact also for T ≪ h, so a coarse lag
    grid does not limit the shortest time constant.

    Parameters
    ----------
    x_ps : array_like
        Cell centres, ps.
    time_constant_ps : float
        T, ps (> 0 or ``inf``).
    step_ps : float
        Cell width h, ps (> 0).

    Returns
    -------
    ndarray, shape of ``x_ps``
        Dimensionless, in [0, 1].

    Examples
    --------
    >>> cell_average_exponential([-1.0, 0.0, 1.0], np.inf, 1.0).tolist()
    [0.0, 0.5, 1.0]
    """
    x = np.asarray(x_ps, dtype=float)
    a = np.maximum(x - 0.5 * step_ps, 0.0)
    b = np.maximum(x + 0.5 * step_ps, 0.0)
    if np.isinf(time_constant_ps):
        return np.asarray((b - a) / step_ps)
    return np.asarray(
        -np.exp(-a / time_constant_ps) * np.expm1(-(b - a) / time_constant_ps) * time_constant_ps / step_ps
    )


def pulse_weights(
    profile_t_ps: ArrayLike, profile_i: ArrayLike, fwhm_ps: float | None = None, jitter: float = 0.0
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """A measured pulse profile, jitter-averaged, as quadrature weights on a uniform lag grid.

    The profile is centred on its centroid and, if ``fwhm_ps`` is given, stretched to that FWHM
    (:func:`kineticflow.trxs.pulses.measured_pulse`), then convolved with the Gaussian jitter of
    FWHM ``jitter`` × FWHM (Eq. 7, :func:`kineticflow.trxs.pulses.jitter_averaged_profile`).
    The grid step is FWHM / :data:`POINTS_PER_FWHM`.

    Parameters
    ----------
    profile_t_ps, profile_i : array_like, shape (m,)
        Measured profile: time (ps, increasing) and intensity (any units, ≥ 0).
    fwhm_ps : float, optional
        Stretch the profile to this FWHM, ps; default: as measured.
    jitter : float
        Jitter FWHM as a fraction of the pulse FWHM (≥ 0).

    Returns
    -------
    s : ndarray, shape (n_s,)
        Uniform lag grid s = t − τ, ps.
    weights : ndarray, shape (n_s,)
        I(s)·h normalised to sum 1 (dimensionless).

    Raises
    ------
    ValueError
        If the profile has no half-maximum crossing on both sides or ``jitter`` < 0.
    """
    pt = np.asarray(profile_t_ps, dtype=float)
    pi = np.asarray(profile_i, dtype=float)
    if jitter < 0:
        raise ValueError(f"jitter must be >= 0, got {jitter}")
    measured = measure_fwhm(pt, pi)
    fwhm = measured if fwhm_ps is None else float(fwhm_ps)
    half_span = (pt[-1] - pt[0]) * fwhm / measured + 6.0 * jitter * fwhm  # room for the jitter kernel (±6 FWHM_j)
    step = fwhm / POINTS_PER_FWHM
    n_half = int(np.ceil(half_span / step))
    s = np.arange(-n_half, n_half + 1) * step
    pulse = measured_pulse(s, pt, pi, fwhm_ps)
    pulse = jitter_averaged_profile(s, pulse, jitter * fwhm)
    return np.asarray(s, dtype=np.float64), np.asarray(pulse / pulse.sum(), dtype=np.float64)


def exponential_pulse(
    tau_ps: ArrayLike, time_constant_ps: float, s_ps: ArrayLike, weights: ArrayLike, t0_ps: float = 0.0
) -> NDArray[np.float64]:
    """Step-exponential averaged over a sampled pulse: f(τ) = Σ_m w_m E(τ + s_m − t₀).

    The pulse is taken as constant over each cell of the uniform lag grid and the kinetics are
    integrated exactly over the cell (:func:`cell_average_exponential`): TRXS Eq. 1 for any pulse.

    Parameters
    ----------
    tau_ps : array_like, shape (n,)
        Delays, ps.
    time_constant_ps : float
        T, ps (> 0 or ``inf``).
    s_ps, weights : array_like, shape (n_s,)
        Uniform lag grid and weights summing to 1 (:func:`pulse_weights`).
    t0_ps : float
        Time zero, ps.

    Returns
    -------
    ndarray, shape (n,)
        Dimensionless.
    """
    s = np.asarray(s_ps, dtype=float)
    w = np.asarray(weights, dtype=float)
    x = np.asarray(tau_ps, dtype=float)[:, None] + s[None, :] - t0_ps
    return np.asarray(cell_average_exponential(x, time_constant_ps, s[1] - s[0]) @ w)


def kinetic_basis(
    tau_ps: ArrayLike,
    time_constants_ps: ArrayLike,
    t0_ps: float,
    *,
    sigma_ps: float | None = None,
    pulse: tuple[ArrayLike, ArrayLike] | None = None,
    offset: bool = True,
) -> NDArray[np.float64]:
    """The pulse-averaged kinetic components on the delays: the columns of the global model.

    Parameters
    ----------
    tau_ps : array_like, shape (n,)
        Delays, ps.
    time_constants_ps : array_like, shape (n_exp,)
        Time constants T_k, ps (> 0).
    t0_ps : float
        Time zero, ps.
    sigma_ps : float, optional
        Gaussian instrument response of this standard deviation (:func:`irf_sigma`), closed form.
    pulse : tuple of array_like, optional
        ``(s, weights)`` of a measured pulse (:func:`pulse_weights`), numerical convolution.
        Exactly one of ``sigma_ps`` and ``pulse`` is given.
    offset : bool
        Append the step (a state that outlives the delays).

    Returns
    -------
    ndarray, shape (n, n_exp + offset)
        Dimensionless columns, in the order of ``time_constants_ps`` then the offset.

    Raises
    ------
    ValueError
        If not exactly one instrument response is given.
    """
    if (sigma_ps is None) == (pulse is None):
        raise ValueError("give exactly one instrument response: sigma_ps (Gaussian) or pulse (measured)")
    constants = [*np.atleast_1d(np.asarray(time_constants_ps, dtype=float)), *([np.inf] if offset else [])]
    if sigma_ps is not None:
        cols = [exponential_gaussian(tau_ps, float(c), sigma_ps, t0_ps) for c in constants]
    else:
        assert pulse is not None
        cols = [exponential_pulse(tau_ps, float(c), pulse[0], pulse[1], t0_ps) for c in constants]
    return np.stack(cols, axis=1)
