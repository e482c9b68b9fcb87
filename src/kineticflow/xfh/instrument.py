"""The simulated XFH instrument: spiral detector scan, goniometer geometry and counting noise.

This is the measuring device that a user's real hologram replaces (the analysis of the counts,
:mod:`kineticflow.xfh.processing`, is applied to both). The sample turns on a two-axis goniometer
in a spiral (S. Marchesini et al., *Holographic analysis of diffraction structure factors*,
experiment paragraph): the polar angle θ between k̂ and the surface normal runs from 0 to θ_max at a
constant rate while the azimuth turns fast; one pixel per equal time step, so a pixel covers the
solid angle sinθ Δθ Δφ (weight ∝ sinθ). Directions are returned in the crystal's cubic axes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from kineticflow.xfh.processing import unit_vectors


@dataclass(frozen=True)
class Spiral:
    """Pixels of one spiral pattern.

    Attributes
    ----------
    polar, azimuth : ndarray, shape (n,)
        Polar angle from the surface normal and azimuth about it, rad.
    dwell : float
        Time per pixel, s.
    duration : float
        Time of one pattern, s.
    """

    polar: NDArray[np.float64]
    azimuth: NDArray[np.float64]
    dwell: float
    duration: float


def spiral_scan(polar_max_deg: float, polar_rate_deg_s: float, azimuth_rate_deg_s: float, n_pixels: int) -> Spiral:
    """Spiral scan θ(t) = θ̇ t, φ(t) = φ̇ t for 0 ≤ θ ≤ θ_max, sampled at n equal time steps.

    Parameters
    ----------
    polar_max_deg : float
        Largest polar angle θ_max, degree.
    polar_rate_deg_s, azimuth_rate_deg_s : float
        θ̇ and φ̇, degree/s.
    n_pixels : int
        Pixels (equal time steps) per pattern.

    Returns
    -------
    Spiral
        Pixel centres at t = (i + ½) T/n, T = θ_max/θ̇.

    References
    ----------
    S. Marchesini et al., experiment paragraph: θ̇ = 2°/s to 80° (40 s per pattern),
    φ̇ = 3600°/s, 3.2·10⁵ pixels.

    Examples
    --------
    >>> s = spiral_scan(80, 2, 3600, 320_000)
    >>> float(s.duration), float(s.dwell)
    (40.0, 0.000125)
    """
    duration = polar_max_deg / polar_rate_deg_s
    t = (np.arange(n_pixels) + 0.5) * duration / n_pixels
    return Spiral(
        np.radians(polar_rate_deg_s * t),
        np.radians(azimuth_rate_deg_s * t) % (2 * np.pi),
        duration / n_pixels,
        duration,
    )


def sample_rotation(normal: ArrayLike) -> NDArray[np.float64]:
    """Rotation R (columns e₁, e₂, n̂) taking sample-frame vectors (z = surface normal) to crystal axes.

    Parameters
    ----------
    normal : array_like, shape (3,)
        Surface normal [h, k, l] in the crystal's cubic axes (any nonzero length).

    Returns
    -------
    ndarray, shape (3, 3)
        Orthogonal matrix with R ẑ = n̂.
    """
    n = np.asarray(normal, dtype=float)
    n = n / np.linalg.norm(n)
    ref = np.array([0.0, 0.0, 1.0]) if abs(n[2]) < 0.9 else np.array([1.0, 0.0, 0.0])
    e1 = np.cross(ref, n)
    e1 /= np.linalg.norm(e1)
    return np.column_stack([e1, np.cross(n, e1), n])


def scan_directions(spiral: Spiral, normal: ArrayLike) -> NDArray[np.float64]:
    """Unit vectors k̂ of the spiral's pixels in the crystal's cubic axes, shape (n, 3).

    The spiral turns about the surface normal: k̂ = R (sinθ cosφ, sinθ sinφ, cosθ) with R of
    :func:`sample_rotation`.
    """
    return unit_vectors(spiral.polar, spiral.azimuth) @ sample_rotation(normal).T


def reference_intensity(polar: ArrayLike, modulation: float) -> NDArray[np.float64]:
    """Smooth reference I_ref(θ) = 1 − m sin²θ (stand-in for the geometry and absorption factors).

    Parameters
    ----------
    polar : array_like
        Polar angle θ from the surface normal, rad.
    modulation : float
        m, dimensionless (0 ≤ m < 1).

    Returns
    -------
    ndarray
        I_ref, dimensionless, shape of ``polar``.

    Examples
    --------
    >>> float(reference_intensity(np.pi / 2, 0.3))
    0.7
    """
    return 1.0 - modulation * np.sin(np.asarray(polar, dtype=float)) ** 2


def mean_counts_per_pixel(count_rate_hz: float, dwell_s: float, n_patterns: int) -> float:
    """Mean counts N̄ = rate × dwell × patterns of one pixel summed over the patterns.

    Examples
    --------
    >>> mean_counts_per_pixel(2.0e6, 1.25e-4, 300)
    75000.0
    """
    return count_rate_hz * dwell_s * n_patterns


def expected_counts(
    chi: ArrayLike, polar: ArrayLike, counts_per_pixel: float, modulation: float
) -> NDArray[np.float64]:
    """Mean counts λ = N̄ I_ref(θ)(1 + χ) per pixel.

    Parameters
    ----------
    chi : array_like, shape (n,)
        Hologram χ on the pixels, dimensionless.
    polar : array_like, shape (n,)
        Polar angle of each pixel, rad.
    counts_per_pixel : float
        N̄, counts.
    modulation : float
        m of :func:`reference_intensity`.

    Returns
    -------
    ndarray, shape (n,)
        λ, counts.

    References
    ----------
    S. Marchesini et al., Eq. 1 (I = I_ref (1 + χ)).
    """
    return counts_per_pixel * reference_intensity(polar, modulation) * (1 + np.asarray(chi, dtype=float))


def poisson_counts(mean: ArrayLike, seed: int) -> NDArray[np.float64]:
    """Poisson counts with the given means (``numpy.random.default_rng(seed)``), as floats."""
    return np.random.default_rng(seed).poisson(np.asarray(mean, dtype=float)).astype(float)
