"""Air and vacuum wavelengths: the IAU standard conversion (Morton 2000).

FITS spectral axes say which they are: ``AWAV`` is a wavelength in air, ``WAVE`` in vacuum (FITS WCS
Paper III). The Hα analysis works in air (λ0 = 6562.80 Å); vacuum wavelengths are converted on
reading and the conversion is recorded (:data:`VACUUM_CONVERTED`).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

#: Medium recorded for vacuum wavelengths converted on reading.
VACUUM_CONVERTED = "vacuum, converted to air (Morton 2000)"


def _refractive_index(vacuum_a: NDArray[np.float64]) -> NDArray[np.float64]:
    """Refractive index of standard air at vacuum wavelengths [Å] (Morton 2000, after Birch & Downs 1994)."""
    s2 = (1.0e4 / vacuum_a) ** 2
    return 1.0 + 8.34254e-5 + 2.406147e-2 / (130.0 - s2) + 1.5998e-4 / (38.9 - s2)


def air_from_vacuum(vacuum_a: ArrayLike) -> NDArray[np.float64]:
    r"""Air wavelength [Å] of a vacuum wavelength [Å]: the IAU standard conversion.

    .. math:: \lambda_\mathrm{air} = \lambda_\mathrm{vac} / n, \quad
              n = 1 + 8.34254\times10^{-5} + \frac{2.406147\times10^{-2}}{130 - s^2}
              + \frac{1.5998\times10^{-4}}{38.9 - s^2}, \quad s = 10^4 / \lambda_\mathrm{vac}

    Parameters
    ----------
    vacuum_a : array_like
        Vacuum wavelengths [Å], any shape, above 2000 Å (the formula's range).

    Returns
    -------
    numpy.ndarray
        Air wavelengths [Å], same shape.

    References
    ----------
    D. C. Morton, ApJS 130, 403 (2000) (the IAU standard, from Birch & Downs 1994); the ``AWAV``
    and ``WAVE`` axis types: E. W. Greisen et al., A&A 446, 747 (2006), FITS WCS Paper III.

    Examples
    --------
    >>> round(float(air_from_vacuum(6564.61)), 2)  # Halpha
    6562.8
    """
    vac = np.asarray(vacuum_a, dtype=float)
    return vac / _refractive_index(vac)


def vacuum_from_air(air_a: ArrayLike) -> NDArray[np.float64]:
    """Vacuum wavelength [Å] of an air wavelength [Å]: :func:`air_from_vacuum` inverted by iteration.

    Fixed-point iteration ``λ_vac = λ_air n(λ_vac)`` to a relative change below 1e-15 (a few steps).

    Parameters
    ----------
    air_a : array_like
        Air wavelengths [Å], any shape, above 2000 Å.

    Returns
    -------
    numpy.ndarray
        Vacuum wavelengths [Å], same shape.

    References
    ----------
    D. C. Morton, ApJS 130, 403 (2000).

    Examples
    --------
    >>> round(float(vacuum_from_air(6562.80)), 2)
    6564.61
    """
    air = np.asarray(air_a, dtype=float)
    vac = air.copy()
    for _ in range(20):
        new = air * _refractive_index(vac)
        done = np.all(np.abs(new - vac) <= 1e-15 * np.abs(new))
        vac = new
        if done:
            break
    return vac
