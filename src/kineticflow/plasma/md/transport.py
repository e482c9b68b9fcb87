"""Transport coefficients from the correlation functions of a trajectory: Green–Kubo and Einstein.

D = (1/3) ∫₀^∞ ⟨v(t)·v(0)⟩ dt (Green–Kubo) and MSD(t) → 6 D t (Einstein), for any system whose
velocity autocorrelation (VACF) and mean-square displacement (MSD) the MD engine or a user's
trajectory delivers (:mod:`kineticflow.plasma.instrument`). In plasma units (time in 1/ω_p,
velocity in a ω_p) the Green–Kubo integral is D* = D/(a² ω_p) directly (plasma paper, Daligault,
PRL 108, 225004 (2012)); the OCP and the mixtures (per species) share these estimators.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from scipy.integrate import cumulative_trapezoid, trapezoid
from scipy.optimize import curve_fit


class DiffusionError(ValueError):
    """A VACF or MSD that cannot give a diffusion coefficient (too short, non-positive D)."""


def running_green_kubo(vacf: npt.ArrayLike, lag: npt.ArrayLike) -> np.ndarray:
    """Running Green–Kubo integral D(t) = (1/3) ∫₀^t ⟨v(s)·v(0)⟩ ds (trapezoidal rule).

    Parameters
    ----------
    vacf : array_like, shape (n_lags,)
        ⟨v(t)·v(0)⟩ summed over the three components.
    lag : array_like, shape (n_lags,)
        Lags t, increasing, starting at 0.

    Returns
    -------
    ndarray, shape (n_lags,)
        D(t) in units of [vacf]·[lag].
    """
    return cumulative_trapezoid(np.asarray(vacf, float), np.asarray(lag, float), initial=0.0) / 3.0


def green_kubo_diffusion(
    vacf: npt.ArrayLike,
    lag: npt.ArrayLike,
    tail_correction: bool = True,
    tail_window: float = 0.1,
) -> float:
    """Self-diffusion coefficient from the Green–Kubo integral of the VACF.

    D = (1/3) ∫₀^{t_c} C(t) dt over the whole lag window, plus, optionally, the exponential
    tail beyond t_c: for C(t) = C(0) e^{−t/τ} with τ = 3D/C(0), the remainder is
    C(t_c) τ/3, which gives D = I(t_c) / (1 − C(t_c)/C(0)) (exact for an exponential VACF,
    negligible where the VACF has decayed, e.g. in the strongly coupled liquid).

    Parameters
    ----------
    vacf : array_like, shape (n_lags,)
        ⟨v(t)·v(0)⟩ summed over components; C(0) = 3 k_B T/m.
    lag : array_like, shape (n_lags,)
        Lags, increasing from 0.
    tail_correction : bool
        Add the exponential remainder.
    tail_window : float
        Fraction of the window at its end over which C(t_c) is averaged (noise).

    Returns
    -------
    float
        D in units of [vacf]·[lag] (D* for plasma units).

    Raises
    ------
    DiffusionError
        Fewer than 3 lags, lags not starting at 0, C(0) ≤ 0, or a tail ratio C(t_c)/C(0) ≥ 0.5
        (window far too short for a trustworthy correction).
    """
    c = np.asarray(vacf, float)
    t = np.asarray(lag, float)
    if c.shape != t.shape or c.size < 3:
        raise DiffusionError(f"vacf and lag need the same shape with >= 3 lags, got {c.shape} and {t.shape}")
    if t[0] != 0 or c[0] <= 0:
        raise DiffusionError(f"need lag[0] = 0 and vacf(0) > 0, got lag[0] = {t[0]}, vacf(0) = {c[0]}")
    integral = trapezoid(c, t) / 3.0
    if not tail_correction:
        return float(integral)
    k = max(2, int(round(tail_window * c.size)))
    ratio = float(np.mean(c[-k:]) / c[0])
    if ratio <= 0:
        return float(integral)
    if ratio >= 0.5:
        raise DiffusionError(
            f"VACF still at {ratio:.2f} of its initial value at the end of the lag window; "
            "lengthen plasma.md.lag_tau / production"
        )
    # C(t_c) estimated at the centre of the averaging window; extrapolate to t_c
    t_mid = np.mean(t[-k:])
    tau_guess = 3.0 * integral / c[0] / (1.0 - ratio)
    ratio_tc = ratio * np.exp(-(t[-1] - t_mid) / tau_guess)
    return float(integral / (1.0 - ratio_tc))


def einstein_diffusion(msd: npt.ArrayLike, lag: npt.ArrayLike, fit_from: float = 0.5) -> float:
    """Self-diffusion coefficient from the MSD (Einstein relation), with ballistic onset.

    Fits MSD(t) = 6 D [t − τ (1 − e^{−t/τ})] + c over ``lag ≥ fit_from · lag[-1]`` with
    ``scipy.optimize.curve_fit``: exact (c = 0) for an exponential VACF (weak coupling), and
    6 D t + const at long times for any VACF (the cage offset of the liquid goes into c).

    Parameters
    ----------
    msd : array_like, shape (n_lags,)
        ⟨|r(t) − r(0)|²⟩.
    lag : array_like, shape (n_lags,)
        Lags from 0.
    fit_from : float
        Start of the fitted range as a fraction of the window.

    Returns
    -------
    float
        D in units of [msd]/[lag].

    Raises
    ------
    DiffusionError
        If fewer than 5 points are fitted or the fit fails.
    """
    m = np.asarray(msd, float)
    t = np.asarray(lag, float)
    sel = t >= fit_from * t[-1]
    if sel.sum() < 5:
        raise DiffusionError(f"only {int(sel.sum())} MSD points to fit; need >= 5")
    ts, ms = t[sel], m[sel]

    def model(tt: np.ndarray, d: float, tau: float, c: float) -> np.ndarray:
        return 6.0 * d * (tt - tau * (1.0 - np.exp(-tt / tau))) + c

    slope = max((ms[-1] - ms[0]) / (ts[-1] - ts[0]) / 6.0, 1e-12)
    scale = max(abs(ms).max(), 1e-300)
    try:
        popt, _ = curve_fit(
            model,
            ts,
            ms,
            p0=[slope, ts[0] / 10 + 1e-9, 0.0],
            bounds=([0.0, 1e-9, -scale], [np.inf, 10 * t[-1], scale]),
            maxfev=20000,
        )
    except (RuntimeError, ValueError) as exc:
        raise DiffusionError(f"Einstein fit of the MSD failed: {exc}") from exc
    return float(popt[0])
