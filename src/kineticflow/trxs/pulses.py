"""X-ray pulse shapes and pump–probe jitter (TRXS paper Sec. 5A and Eqs 7-8).

Pulses are intensities I(s) as functions of the lag s = t − τ between the time after the
pump and the nominal pump–probe delay, normalised to unit area (∫ I ds = 1) so that a
convolution preserves the signal's time integral.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
from numpy.typing import ArrayLike, NDArray

#: FWHM = FWHM_PER_SIGMA · σ for a Gaussian.
FWHM_PER_SIGMA = 2.0 * np.sqrt(2.0 * np.log(2.0))


class PulseProfileError(ValueError):
    """A measured pulse profile file that cannot be used."""


def fwhm_to_alpha(fwhm_ps: float) -> float:
    """α of I = I₀ exp(−α t²) for a given FWHM: α = 4 ln2 / FWHM², ps⁻²."""
    if not fwhm_ps > 0:
        raise ValueError(f"fwhm_ps must be > 0, got {fwhm_ps}")
    return 4.0 * np.log(2.0) / fwhm_ps**2


def gaussian_pulse(s: ArrayLike, fwhm_ps: float, centre_ps: ArrayLike = 0.0) -> NDArray[np.float64]:
    """Unit-area Gaussian pulse I(s) = √(α/π) exp[−α (s − s₀)²] (TRXS paper Sec. 5A).

    Parameters
    ----------
    s : array_like, shape (n,)
        Lag t − τ, ps.
    fwhm_ps : float
        Full width at half maximum, ps (> 0).
    centre_ps : array_like, broadcastable against ``s``
        Centre s₀, ps (e.g. shape (n_shots, 1) for a batch of jittered shots).

    Returns
    -------
    ndarray, broadcast shape of ``s`` and ``centre_ps``
        Intensity, ps⁻¹.

    Raises
    ------
    ValueError
        If ``fwhm_ps`` ≤ 0.

    References
    ----------
    *Convolution problems in time-resolved x-ray scattering*, Ukr. J. Phys. 57 (2012), Sec. 5A.
    """
    alpha = fwhm_to_alpha(fwhm_ps)
    s = np.asarray(s, dtype=float)
    return np.sqrt(alpha / np.pi) * np.exp(-alpha * (s - np.asarray(centre_ps, dtype=float)) ** 2)


def effective_fwhm(fwhm_ps: float, jitter_fwhm_ps: float) -> float:
    r"""FWHM of the jitter-averaged Gaussian pulse, √(FWHM_x² + FWHM_j²) (TRXS Eq. 8), ps.

    .. math:: \mathrm{FWHM}_\mathrm{eff}^2 = \mathrm{FWHM}_x^2 + \mathrm{FWHM}_j^2

    Raises
    ------
    ValueError
        If ``jitter_fwhm_ps`` < 0.

    References
    ----------
    *Convolution problems in time-resolved x-ray scattering*, Ukr. J. Phys. 57 (2012), Eq. 8 and Sec. 6.

    Examples
    --------
    >>> round(effective_fwhm(100.0, 20.0), 2), round(effective_fwhm(100.0, 50.0), 2)
    (101.98, 111.8)
    """
    if jitter_fwhm_ps < 0:
        raise ValueError(f"jitter FWHM must be >= 0, got {jitter_fwhm_ps}")
    return float(np.hypot(fwhm_ps, jitter_fwhm_ps))


def jitter_averaged_pulse(s: ArrayLike, fwhm_ps: float, jitter_fwhm_ps: float) -> NDArray[np.float64]:
    """Jitter-averaged Gaussian pulse ⟨I_x(s)⟩ of TRXS paper Eq. 8, unit area.

    With P(Δτ) = √(β/π) exp(−βΔτ²) and I = I₀ exp(−α s²),
    ⟨I(s)⟩ = √(β/(α+β)) I₀ exp[−αβ/(α+β) s²]; for I₀ = √(α/π) the area stays 1.

    Parameters
    ----------
    s : array_like, shape (n,)
        Lag t − τ, ps.
    fwhm_ps : float
        FWHM of the x-ray pulse, ps (> 0).
    jitter_fwhm_ps : float
        FWHM of the delay distribution P(Δτ), ps (≥ 0; 0 returns the bare pulse).

    Returns
    -------
    ndarray, shape (n,)
        Intensity, ps⁻¹.

    References
    ----------
    *Convolution problems in time-resolved x-ray scattering*, Ukr. J. Phys. 57 (2012), Eq. 8.
    """
    if jitter_fwhm_ps == 0:
        return gaussian_pulse(s, fwhm_ps)
    alpha = fwhm_to_alpha(fwhm_ps)
    beta = fwhm_to_alpha(jitter_fwhm_ps)
    i0 = np.sqrt(alpha / np.pi)
    s = np.asarray(s, dtype=float)
    return np.sqrt(beta / (alpha + beta)) * i0 * np.exp(-alpha * beta / (alpha + beta) * s**2)


def jitter_offsets(n_shots: int, jitter_fwhm_ps: float, seed: int) -> NDArray[np.float64]:
    """Seeded Gaussian pump–probe delay errors Δτ with FWHM ``jitter_fwhm_ps`` (TRXS Sec. 6).

    Returns
    -------
    ndarray, shape (n_shots,)
        Δτ, ps, drawn from ``numpy.random.default_rng(seed)``.
    """
    if n_shots < 1:
        raise ValueError(f"n_shots must be >= 1, got {n_shots}")
    rng = np.random.default_rng(seed)
    return rng.normal(0.0, jitter_fwhm_ps / FWHM_PER_SIGMA, size=n_shots)


def monte_carlo_jitter_pulse(
    s: ArrayLike,
    pulse_s: ArrayLike,
    pulse_i: ArrayLike,
    jitter_fwhm_ps: float,
    n_shots: int,
    seed: int,
    chunk: int = 256,
) -> NDArray[np.float64]:
    """Average of ``n_shots`` copies of a pulse, each shifted by a seeded random Δτ (TRXS Eq. 7).

    A shot whose x-ray pulse arrives Δτ late contributes I(s − Δτ); the average converges to
    the analytic Eq. 8 (for a Gaussian) as N^{-1/2}.

    Parameters
    ----------
    s : array_like, shape (n,)
        Lags at which to evaluate the average, ps.
    pulse_s, pulse_i : array_like, shape (m,)
        The nominal pulse sampled on an increasing lag grid (ps, ps⁻¹); zero outside it.
    jitter_fwhm_ps : float
        FWHM of the delay distribution, ps (≥ 0).
    n_shots : int
        Number of shots N (≥ 1).
    seed : int
        Seed of the random generator (results are reproducible).
    chunk : int
        Shots evaluated per vectorised batch (memory bound only).

    Returns
    -------
    ndarray, shape (n,)
        Averaged intensity, ps⁻¹.

    References
    ----------
    *Convolution problems in time-resolved x-ray scattering*, Ukr. J. Phys. 57 (2012), Eq. 7 and Sec. 6.
    """
    s = np.asarray(s, dtype=float)
    pulse_s = np.asarray(pulse_s, dtype=float)
    pulse_i = np.asarray(pulse_i, dtype=float)
    offsets = jitter_offsets(n_shots, jitter_fwhm_ps, seed)
    total = np.zeros_like(s)
    for start in range(0, n_shots, chunk):
        d = offsets[start : start + chunk, None]
        total += np.interp(s[None, :] - d, pulse_s, pulse_i, left=0.0, right=0.0).sum(axis=0)
    return total / n_shots


def jitter_averaged_profile(s: ArrayLike, pulse_i: ArrayLike, jitter_fwhm_ps: float) -> NDArray[np.float64]:
    """Eq. 7 for an arbitrary (measured) pulse: I convolved with the Gaussian P(Δτ).

    Parameters
    ----------
    s : array_like, shape (n,)
        Uniform lag grid, ps, wide enough to hold the broadened pulse.
    pulse_i : array_like, shape (n,)
        Pulse on that grid, ps⁻¹.
    jitter_fwhm_ps : float
        FWHM of P(Δτ), ps (≥ 0).

    Returns
    -------
    ndarray, shape (n,)
        ⟨I(s)⟩, ps⁻¹, same area as ``pulse_i`` up to truncation at the grid ends.

    References
    ----------
    *Convolution problems in time-resolved x-ray scattering*, Ukr. J. Phys. 57 (2012), Eq. 7.
    """
    s = np.asarray(s, dtype=float)
    pulse_i = np.asarray(pulse_i, dtype=float)
    if jitter_fwhm_ps == 0:
        return pulse_i.copy()
    ds = s[1] - s[0]
    half = int(np.ceil(6 * jitter_fwhm_ps / ds))
    kernel = gaussian_pulse(np.arange(-half, half + 1) * ds, jitter_fwhm_ps) * ds
    return np.convolve(pulse_i, kernel, mode="same")


def measure_fwhm(s: ArrayLike, intensity: ArrayLike) -> float:
    """Full width at half maximum of a sampled single-peaked curve, by linear interpolation.

    Parameters
    ----------
    s : array_like, shape (n,)
        Increasing abscissae, ps.
    intensity : array_like, shape (n,)
        Curve, any units; must fall below half its maximum on both sides.

    Returns
    -------
    float
        FWHM, ps.

    Raises
    ------
    ValueError
        If the curve does not drop below half maximum on both sides inside the grid.
    """
    s = np.asarray(s, dtype=float)
    y = np.asarray(intensity, dtype=float)
    k = int(np.argmax(y))
    half = y[k] / 2.0
    above = y >= half
    lo = k
    while lo > 0 and above[lo - 1]:
        lo -= 1
    hi = k
    while hi < y.size - 1 and above[hi + 1]:
        hi += 1
    if lo == 0 or hi == y.size - 1:
        raise ValueError("curve does not fall to half maximum inside the grid")
    left = np.interp(half, [y[lo - 1], y[lo]], [s[lo - 1], s[lo]])
    right = np.interp(half, [y[hi + 1], y[hi]], [s[hi + 1], s[hi]])
    return float(right - left)


def read_pulse_profile(path: str | os.PathLike[str]) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Read a measured pulse profile: two columns, time (ps) and intensity (any units).

    Lines starting with ``#`` are comments; commas or white space separate the columns.

    Returns
    -------
    time_ps, intensity : ndarray, shape (m,)
        Sorted by time.

    Raises
    ------
    PulseProfileError
        If the file is missing or unreadable, has not two columns, fewer than 5 rows,
        non-finite or negative intensities, or no positive intensity.
    """
    path = Path(path)
    try:
        text = path.read_text()
        rows = [
            [float(x) for x in line.replace(",", " ").split()]
            for line in text.splitlines()
            if line.strip() and not line.lstrip().startswith("#")
        ]
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise PulseProfileError(f"pulse profile '{path}' is not readable as two numeric columns: {exc}") from exc
    if len(rows) < 5 or any(len(row) != 2 for row in rows):
        raise PulseProfileError(
            f"pulse profile '{path}' must have >= 5 rows of exactly two columns (time_ps, intensity)"
        )
    data = np.asarray(rows)
    order = np.argsort(data[:, 0])
    t, i = data[order, 0], data[order, 1]
    if not (np.all(np.isfinite(data)) and np.all(i >= 0) and i.max() > 0):
        raise PulseProfileError(f"pulse profile '{path}': intensities must be finite, >= 0 and not all zero")
    if np.any(np.diff(t) <= 0):
        raise PulseProfileError(f"pulse profile '{path}': times must be distinct")
    return t, i


def measured_pulse(
    s: ArrayLike,
    profile_t: ArrayLike,
    profile_i: ArrayLike,
    fwhm_ps: float | None = None,
) -> NDArray[np.float64]:
    """A measured pulse profile on the lag grid, centred on its centroid, unit area.

    Parameters
    ----------
    s : array_like, shape (n,)
        Uniform lag grid, ps.
    profile_t, profile_i : array_like, shape (m,)
        Measured profile: time (ps) and intensity (any units).
    fwhm_ps : float, optional
        If given, the profile is stretched in time so that its FWHM equals this value
        (the shape is kept); otherwise it is used as measured.

    Returns
    -------
    ndarray, shape (n,)
        Intensity, ps⁻¹ (zero outside the measured range); the intensity-weighted mean lag
        (centroid) is 0, so τ is the mean arrival time of the x-ray photons.
    """
    s = np.asarray(s, dtype=float)
    pt = np.asarray(profile_t, dtype=float)
    pi = np.asarray(profile_i, dtype=float)
    centroid = np.trapezoid(pt * pi, pt) / np.trapezoid(pi, pt)
    pt = pt - centroid
    if fwhm_ps is not None:
        pt = pt * (fwhm_ps / measure_fwhm(pt, pi))
    out = np.interp(s, pt, pi, left=0.0, right=0.0)
    area = np.trapezoid(out, s)
    if not area > 0:
        raise PulseProfileError("pulse profile has no area on the lag grid")
    return out / area
