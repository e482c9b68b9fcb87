"""Hα line diagnostics: thermal Doppler width, bisectors, central reversal, wing extent, core width.

The diagnostics of R. C. Canfield et al., optical imaging spectroscopy of solar flares (Sects. II,
IV, V). Conventions (as crisPy / sunraster / eispac use them): wavelengths in Å in air, offsets
``Δλ = λ − λ0`` from the Hα rest wavelength ``λ0 = 6562.80 Å``; Doppler velocity ``v = c Δλ / λ0`` with
positive = redshift = motion away from the observer (downward at disk centre).  Widths are FWHM
unless a name says σ; the thermal Doppler width is the 1/e half-width of the Gaussian.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

#: Hα rest wavelength in air [Å].
HALPHA_AIR_A = 6562.80
#: Speed of light [km s⁻¹].
C_KMS = 299792.458
#: Boltzmann constant [erg K⁻¹].
K_B_CGS = 1.380649e-16
#: Hydrogen atom mass [g].
M_H_G = 1.6735575e-24


def doppler_width(temperature: ArrayLike, wavelength: float = HALPHA_AIR_A, mass: float = M_H_G) -> NDArray[np.float64]:
    r"""Thermal Doppler width ``Δλ_D = (λ0 / c) sqrt(2 k T / m)`` [Å].

    .. math:: \Delta\lambda_D = \frac{\lambda_0}{c} \sqrt{\frac{2 k_B T}{m}}

    The 1/e half-width of the Gaussian ``exp(-(Δλ/Δλ_D)²)``; FWHM = 2 sqrt(ln 2) Δλ_D.

    Parameters
    ----------
    temperature : array_like
        Temperature [K], any shape.
    wavelength : float
        Rest wavelength [Å].
    mass : float
        Emitter mass [g] (hydrogen atom by default).

    Returns
    -------
    numpy.ndarray
        Δλ_D [Å], same shape as ``temperature``.

    References
    ----------
    R. C. Canfield et al., optical imaging spectroscopy of solar flares, Sect. II (283 mÅ at 10⁴ K).

    Examples
    --------
    >>> round(float(doppler_width(1e4)) * 1e3, 1)  # mÅ; the paper rounds to 283
    281.2
    """
    t = np.asarray(temperature, dtype=float)
    return wavelength / (C_KMS * 1e5) * np.sqrt(2.0 * K_B_CGS * t / mass)


def velocity_from_shift(delta_lambda: ArrayLike, wavelength: float = HALPHA_AIR_A) -> NDArray[np.float64]:
    """Doppler velocity ``v = c Δλ / λ0`` [km s⁻¹] of offsets ``Δλ`` [Å], positive = redshift.

    Examples
    --------
    >>> round(float(velocity_from_shift(1.0)), 3)
    45.681
    """
    return C_KMS * np.asarray(delta_lambda, dtype=float) / wavelength


def shift_from_velocity(velocity_kms: ArrayLike, wavelength: float = HALPHA_AIR_A) -> NDArray[np.float64]:
    """Wavelength shift ``Δλ = λ0 v / c`` [Å] of a velocity [km s⁻¹] (positive = red).

    Examples
    --------
    >>> round(float(shift_from_velocity(velocity_from_shift(0.5))), 12)
    0.5
    """
    return wavelength * np.asarray(velocity_kms, dtype=float) / C_KMS


def _crossing(x: NDArray[np.float64], y: NDArray[np.float64], start: int, level: float, step: int) -> float:
    """First crossing of ``level`` walking from ``start`` by ``step``; linear interpolation."""
    i = start
    while 0 <= i + step < len(y):
        j = i + step
        if y[j] < level <= y[i]:
            return float(x[i] + (level - y[i]) * (x[j] - x[i]) / (y[j] - y[i]))
        i = j
    return float("nan")


def bisector(
    delta_lambda: ArrayLike, spectrum: ArrayLike, levels: ArrayLike, window: float = 2.5
) -> NDArray[np.float64]:
    """Bisector positions of the most intense emission feature at fractional levels of its peak.

    At each level ``L`` the outermost wavelengths within ``±window`` Å of line centre where the
    spectrum reaches ``L x peak`` are found by linear interpolation; the bisector is their mean,
    ``(λ_blue(L) + λ_red(L)) / 2``. Taking the outermost crossings treats a centrally reversed feature
    as one feature.

    Parameters
    ----------
    delta_lambda : array_like, shape (n,)
        Wavelength offsets [Å], increasing.
    spectrum : array_like, shape (n,)
        Emission spectrum (e.g. a difference spectrum), any unit.
    levels : array_like, shape (n_level,)
        Fractions of the peak in (0, 1).
    window : float
        Half-width [Å] in which the peak is searched.

    Returns
    -------
    numpy.ndarray, shape (n_level,)
        Bisector offsets [Å]; NaN where the feature has no crossing (or no positive peak).

    References
    ----------
    Canfield, Gunkler & Kiplinger (1985); R. C. Canfield et al., optical imaging spectroscopy of solar
    flares, Sect. V, Fig. 5.

    Examples
    --------
    >>> x = np.linspace(-2.0, 2.0, 401)
    >>> bisector(x, np.exp(-(((x - 0.3) / 0.5) ** 2)), [0.5]).round(6).tolist()
    [0.3]
    """
    return bisectors(delta_lambda, np.asarray(spectrum, dtype=float)[None, :], levels, window)[0]


def bisectors(
    delta_lambda: ArrayLike, spectra: ArrayLike, levels: ArrayLike, window: float = 2.5
) -> NDArray[np.float64]:
    """:func:`bisector` of many spectra at once (same arithmetic, element for element).

    Parameters
    ----------
    delta_lambda : array_like, shape (n,)
        Wavelength offsets [Å], increasing.
    spectra : array_like, shape (k, n)
        Emission spectra, one per row.
    levels : array_like, shape (n_level,)
        Fractions of the peak in (0, 1).
    window : float
        Half-width [Å] in which the peak is searched.

    Returns
    -------
    numpy.ndarray, shape (k, n_level)
        Bisector offsets [Å]; NaN where :func:`bisector` gives NaN.
    """
    x = np.asarray(delta_lambda, dtype=float)
    y = np.atleast_2d(np.asarray(spectra, dtype=float))
    lev = np.asarray(levels, dtype=float)
    inside = np.flatnonzero(np.abs(x) <= window)
    out = np.full((y.shape[0], lev.size), np.nan)
    if inside.size == 0:
        return out
    xi, yi = x[inside], y[:, inside]
    m = xi.size
    peak = np.max(yi, axis=1)
    ok = np.all(np.isfinite(yi), axis=1) & (peak > 0)
    rows = np.arange(y.shape[0])
    with np.errstate(divide="ignore", invalid="ignore"):
        for n, frac in enumerate(lev):
            level = frac * peak
            above = yi >= level[:, None]
            lo = np.argmax(above, axis=1)
            hi = m - 1 - np.argmax(above[:, ::-1], axis=1)
            lm, hp = np.maximum(lo - 1, 0), np.minimum(hi + 1, m - 1)
            y_lm, y_lo, y_hi, y_hp = yi[rows, lm], yi[rows, lo], yi[rows, hi], yi[rows, hp]
            blue = xi[lm] + (level - y_lm) * (xi[lo] - xi[lm]) / (y_lo - y_lm)
            red = xi[hi] + (level - y_hi) * (xi[hp] - xi[hi]) / (y_hp - y_hi)
            good = ok & (lo > 0) & (hi < m - 1)
            out[:, n] = np.where(good, 0.5 * (blue + red), np.nan)
    return out


def central_reversal_depth(
    delta_lambda: ArrayLike, spectrum: ArrayLike, core: float = 0.25, window: float = 1.5
) -> float:
    """Depth of the central reversal ``1 − I_core / I_peak`` (0 when the line peaks at its centre).

    ``I_core`` is the minimum within ``±core`` Å of line centre, ``I_peak`` the maximum over
    ``core < |Δλ| ≤ window``.  An absorption line counts as fully reversed (depth > 0).

    Parameters
    ----------
    delta_lambda, spectrum : array_like, shape (n,)
        Offsets from line centre [Å] (shift a moving line back first) and intensity.
    core, window : float
        Half-widths [Å] of the core and of the peak search.

    Returns
    -------
    float
        Depth in [0, 1].

    References
    ----------
    R. C. Canfield et al., optical imaging spectroscopy of solar flares, Sect. III (the reversal fills
    in as P0 rises; Canfield, Gunkler & Ricchiazzi 1984).
    """
    x = np.asarray(delta_lambda, dtype=float)
    y = np.asarray(spectrum, dtype=float)
    i_core = np.min(y[np.abs(x) <= core])
    ring = (np.abs(x) > core) & (np.abs(x) <= window)
    i_peak = np.max(y[ring])
    if i_peak <= 0:
        return 0.0
    return float(np.clip(1.0 - i_core / i_peak, 0.0, 1.0))


def wing_extent(delta_lambda: ArrayLike, excess: ArrayLike, threshold: float) -> float:
    """Half-width [Å] out to which the excess emission stays above ``threshold`` (mean of both wings).

    Walks outward from line centre on each side to the last offset where ``excess >= threshold``
    (connected to the core) and interpolates the crossing linearly.

    Parameters
    ----------
    delta_lambda : array_like, shape (n,)
        Offsets from line centre [Å], increasing.
    excess : array_like, shape (n,)
        Excess intensity over the reference (quiet or pre-impulsive) profile.
    threshold : float
        Level in the unit of ``excess`` (e.g. 0.1 of the continuum).

    Returns
    -------
    float
        Mean of the blue and red extents [Å]; 0 when the core is below the threshold, the full range
        when the excess never drops below it.

    References
    ----------
    R. C. Canfield et al., optical imaging spectroscopy of solar flares, Sect. IV, Fig. 3 (Stark wings
    grow with the beam flux F20).
    """
    x = np.asarray(delta_lambda, dtype=float)
    y = np.asarray(excess, dtype=float)
    k = int(np.argmin(np.abs(x)))
    if y[k] < threshold:
        return 0.0
    ext = []
    for step, edge in ((-1, x[0]), (+1, x[-1])):
        cross = _crossing(x, y, k, threshold, step)
        ext.append(abs(edge) if np.isnan(cross) else abs(cross))
    return float(np.mean(ext))


def core_fwhm(delta_lambda: ArrayLike, excess: ArrayLike, window: float = 2.5) -> float:
    """FWHM [Å] of the most intense emission feature within ``±window`` Å (NaN if no positive peak).

    Parameters
    ----------
    delta_lambda, excess : array_like, shape (n,)
        Offsets [Å], increasing, and the excess emission.
    window : float
        Half-width [Å] in which the peak is searched.

    Returns
    -------
    float
        Distance [Å] between the half-peak crossings either side of the peak.

    Examples
    --------
    >>> x = np.linspace(-3.0, 3.0, 601)
    >>> round(core_fwhm(x, np.exp(-0.5 * (x / 0.4) ** 2)), 3)
    0.942
    """
    x = np.asarray(delta_lambda, dtype=float)
    y = np.asarray(excess, dtype=float)
    inside = np.flatnonzero(np.abs(x) <= window)
    k = int(inside[np.argmax(y[inside])])
    if y[k] <= 0:
        return float("nan")
    blue = _crossing(x, y, k, 0.5 * y[k], -1)
    red = _crossing(x, y, k, 0.5 * y[k], +1)
    return float(red - blue)
