"""The measuring device's forward model: the analyser's angular resolution applied to a DCS.

A theory DCS is compared with the measurement only after it has been seen through the
spectrometer: a Gaussian in the scattering angle (the e-scattering paper, Phys. Chem. Chem. Phys.
26, 985 (2024), Sec. 2, gives "better than ±2°", read here as FWHM = 4°; config
``escatter.resolution_fwhm_deg``). This is the half of the comparison that another instrument
replaces.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

#: FWHM / σ of a Gaussian, 2 √(2 ln 2)
FWHM_PER_SIGMA = 2.0 * np.sqrt(2.0 * np.log(2.0))


def convolve_angular(dcs: ArrayLike, angle_deg: ArrayLike, fwhm_deg: float) -> NDArray[np.float64]:
    r"""Gaussian angular resolution (FWHM in degrees) applied to a DCS on a uniform-ish θ grid.

    .. math::

        T_c(\theta_i) = \frac{\sum_j w_{ij} T(\theta_j)\,\Delta\theta_j}{\sum_j w_{ij}\,\Delta\theta_j},
        \quad w_{ij} = \sum_{\theta' \in \{\theta_j, -\theta_j, 360° - \theta_j\}}
        e^{-(\theta_i - \theta')^2 / 2\sigma^2},\quad \sigma = \mathrm{FWHM}/(2\sqrt{2\ln 2})

    The kernel is mirrored at 0° and 180° and renormalised per output angle.

    Parameters
    ----------
    dcs : array_like, shape (n,)
        DCS on the grid (any unit; the result has the same).
    angle_deg : array_like, shape (n,)
        Increasing scattering angles in degrees, within 0–180.
    fwhm_deg : float
        Resolution, FWHM in degrees; ≤ 0 returns a copy of ``dcs``.

    Returns
    -------
    ndarray, shape (n,)
        The convolved DCS.

    References
    ----------
    Phys. Chem. Chem. Phys. 26, 985 (2024), Sec. 2 (angular resolution of the analyser).

    Examples
    --------
    >>> th = np.arange(0.0, 180.5, 0.5)
    >>> bool(np.allclose(convolve_angular(np.full(th.size, 2.0), th, 4.0), 2.0))
    True
    """
    y = np.asarray(dcs, dtype=float)
    th = np.asarray(angle_deg, dtype=float)
    if fwhm_deg <= 0:
        return y.copy()
    sig = fwhm_deg / FWHM_PER_SIGMA
    w = np.zeros((th.size, th.size))
    for img in (th, -th, 360.0 - th):
        w += np.exp(-0.5 * ((th[:, None] - img[None, :]) / sig) ** 2)
    w *= np.gradient(th)[None, :]
    return (w @ y) / w.sum(axis=1)


def synthetic_measurement(
    dcs: ArrayLike,
    angle_deg: ArrayLike,
    measured_deg: ArrayLike,
    *,
    fwhm_deg: float,
    rel_noise: float,
    rel_uncertainty: float,
    rng: np.random.Generator,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    r"""A DCS as the analyser would record it: convolved, sampled, with Gaussian relative noise.

    .. math::

        y_k = T_c(\theta_k)\,(1 + \epsilon\, n_k),\quad n_k \sim N(0, 1),\quad u_k = \eta\, T_c(\theta_k)

    with T_c the theory seen through the resolution (:func:`convolve_angular`), ε = ``rel_noise``
    and η = ``rel_uncertainty``. Used for the synthetic table of a molecule without a measurement
    (docs/escatter.md, "Another molecule").

    Parameters
    ----------
    dcs : array_like, shape (n,)
        Theory DCS on ``angle_deg`` (Å² sr⁻¹).
    angle_deg : array_like, shape (n,)
        Its grid, degrees, 0–180.
    measured_deg : array_like, shape (m,)
        Angles of the synthetic measurement, degrees.
    fwhm_deg, rel_noise, rel_uncertainty : float
        Resolution (FWHM, deg), relative noise ε and stated relative uncertainty η.
    rng : numpy.random.Generator
        Source of the noise (seeded by the caller).

    Returns
    -------
    y, u : ndarray, shape (m,)
        DCS and its stated uncertainty, Å² sr⁻¹.

    Examples
    --------
    Without noise the sample is the convolved theory:

    >>> th = np.arange(0.0, 180.5, 0.5)
    >>> y, u = synthetic_measurement(np.ones(th.size), th, [30.0, 60.0], fwhm_deg=4.0, rel_noise=0.0,
    ...                              rel_uncertainty=0.1, rng=np.random.default_rng(0))
    >>> y.round(6).tolist(), u.round(6).tolist()
    ([1.0, 1.0], [0.1, 0.1])
    """
    grid = np.asarray(angle_deg, dtype=float)
    tc = np.interp(np.asarray(measured_deg, dtype=float), grid, convolve_angular(dcs, grid, fwhm_deg))
    return tc * (1.0 + rel_noise * rng.standard_normal(tc.size)), rel_uncertainty * tc
