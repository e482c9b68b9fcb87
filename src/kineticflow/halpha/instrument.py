"""The slit spectrograph: raster clock, slit function, seeing, counting noise — and the observation it records.

The forward model of the measuring device, after the 1980 Sacramento Peak / SMM program of the Hα
paper (R. C. Canfield et al., optical imaging spectroscopy of solar flares, Sect. II): a slit
stepped across the field (``x``, ``steps_per_s`` positions per second, a raster every ``cycle_s``),
each exposure a spectrum along the slit (``y``). The spectrum is convolved with a Gaussian slit
function (the spectral instrument profile, FWHM ``slit_fwhm_a``) and sampled at ``n_pixels`` CCD
pixels over ``±half_range_a``; each raster image is blurred by Gaussian seeing (FWHM
``seeing_fwhm_arcsec`` on ``pixel_arcsec`` pixels); the counts are Poisson with
``continuum_counts`` expected at the quiet continuum.

The observation: the boundary between instrument and analysis
-------------------------------------------------------------
The instrument's product (rule ``observe_slit_scan``, ``results/halpha/observed.nc``) is the one
dataset the analysis (rule ``measure_lines`` onward) reads of the measurement: the *observation
contract* of :mod:`kineticflow.halpha.observation` (``intensity(scan, y, x, wavelength)`` in units of
the quiet continuum ``I_c``, scan 0 the pre-impulsive reference; ``t_s(scan, x)`` [s], the time at
which slit position ``x`` of ``scan`` was exposed; air ``wavelength`` and ``delta_wavelength`` [Å];
attributes ``slit_fwhm_a`` [Å] and ``continuum_counts``, the photons per spectral pixel at ``I_c``
of the counting noise, :func:`difference_stderr`), checked by
:func:`kineticflow.halpha.observation_contract.check_contract`. The simulation adds ``counts``
(the photon counts) and ``expected_intensity`` (the noise-free Poisson mean), which the analysis uses
only for its self-check (``velocity_noise_free``), and writes the contract's provenance attributes
(``reader = "simulated"``, :func:`kineticflow.halpha.observation_contract.to_contract`). A real
raster or imaging cube enters through :func:`kineticflow.halpha.observation.read_observation`
(``docs/halpha.md``, "Your own data").
"""

from __future__ import annotations

import numpy as np
import xarray as xr
from numpy.typing import NDArray
from scipy.ndimage import gaussian_filter

from kineticflow.core.attrs import dim_attrs, variable
from kineticflow.halpha import lines
from kineticflow.halpha.config import Instrument, Scan
from kineticflow.halpha.observation_contract import CONTRACT

#: FWHM of a Gaussian in units of its standard deviation, ``2 sqrt(2 ln 2)``.
FWHM_PER_SIGMA = 2.0 * np.sqrt(2.0 * np.log(2.0))


def observation_times(scan: Scan) -> NDArray[np.float64]:
    r"""Exposure time [s] of slit position ``x`` in raster ``scan``, shape (n_scans, slit_positions).

    .. math:: t = t_\mathrm{start} + \mathrm{scan} \cdot t_\mathrm{cycle} + x / r_\mathrm{step}

    Examples
    --------
    >>> from kineticflow.halpha.config import Scan
    >>> observation_times(Scan(2, 3, 1, 4.0, 15.0, 0.0)).tolist()
    [[0.0, 0.25, 0.5], [15.0, 15.25, 15.5]]
    """
    step = 1.0 / float(scan.steps_per_s)
    return (
        float(scan.t_start_s)
        + np.arange(int(scan.n_scans))[:, None] * float(scan.cycle_s)
        + np.arange(int(scan.slit_positions))[None, :] * step
    )


def pixel_offsets(n_pixels: int, half_range_a: float) -> NDArray[np.float64]:
    """Centres [Å] of the CCD's spectral pixels: ``n_pixels`` across ``±half_range_a``.

    Examples
    --------
    >>> pixel_offsets(4, 2.0).tolist()
    [-1.5, -0.5, 0.5, 1.5]
    """
    n, half = int(n_pixels), float(half_range_a)
    step = 2.0 * half / n
    return np.asarray(-half + step * (np.arange(n) + 0.5), dtype=np.float64)


def slit_matrix(x_out: NDArray[np.float64], x_in: NDArray[np.float64], fwhm: float) -> NDArray[np.float64]:
    r"""Slit function and sampling as a matrix ``A``: ``(A s)_i = ∫ G(x_out_i − x) s(x) dx``.

    .. math:: A_{ij} = \frac{w_j}{\sqrt{2\pi}\sigma} \exp\left(-\frac{(x^\mathrm{out}_i - x^\mathrm{in}_j)^2}{2\sigma^2}\right),
              \quad \sigma = \mathrm{FWHM} / (2\sqrt{2\ln 2})

    with trapezoidal weights ``w`` on ``x_in``; rows sum to 1 when the kernel lies inside ``x_in``.

    Parameters
    ----------
    x_out : numpy.ndarray, shape (n,)
        Output (CCD pixel) offsets [Å].
    x_in : numpy.ndarray, shape (m,)
        Offsets [Å] of the input spectrum.
    fwhm : float
        FWHM of the unit-area Gaussian slit function [Å].

    Returns
    -------
    numpy.ndarray, shape (n, m)
        ``A``.
    """
    sigma = fwhm / FWHM_PER_SIGMA
    w = np.gradient(x_in)
    g = np.exp(-0.5 * ((x_out[:, None] - x_in[None, :]) / sigma) ** 2) / (np.sqrt(2 * np.pi) * sigma)
    return g * w[None, :]


def record_spectra(
    spectrum: NDArray[np.float64], delta_wavelength: NDArray[np.float64], instrument: Instrument
) -> NDArray[np.float64]:
    """Noise-free recorded intensity: slit function, CCD sampling and seeing applied to the true spectra.

    Parameters
    ----------
    spectrum : numpy.ndarray, shape (n_scan, n_y, n_x, m)
        True spectra on ``delta_wavelength``.
    delta_wavelength : numpy.ndarray, shape (m,)
        Offsets [Å] of the true spectra.
    instrument : Instrument
        The spectrograph.

    Returns
    -------
    numpy.ndarray, shape (n_scan, n_y, n_x, n_pixels)
        Poisson mean of the recorded intensity (units of the input).
    """
    dl_out = pixel_offsets(instrument.n_pixels, instrument.half_range_a)
    a = slit_matrix(dl_out, delta_wavelength, float(instrument.slit_fwhm_a))
    spec = np.einsum("ij,syxj->syxi", a, spectrum.astype(np.float64), optimize=True)
    sigma_pix = float(instrument.seeing_fwhm_arcsec) / float(instrument.pixel_arcsec) / FWHM_PER_SIGMA
    if sigma_pix > 0:
        spec = gaussian_filter(spec, sigma=(0, sigma_pix, sigma_pix, 0), mode="nearest")
    return spec


def photon_counts(expected: NDArray[np.float64], continuum_counts: float, seed: int) -> NDArray[np.float32]:
    """Poisson photon counts with mean ``expected × continuum_counts`` (negative means clipped to 0)."""
    rng = np.random.default_rng(seed)
    return rng.poisson(np.clip(expected, 0, None) * continuum_counts).astype(np.float32)


def difference_stderr(
    spectrum: NDArray[np.float64], pre: NDArray[np.float64], continuum_counts: float
) -> NDArray[np.float64]:
    r"""Standard error of ``spectrum − pre`` from counting noise (units of ``I_c``).

    .. math:: \sigma = \sqrt{\max(I + I_\mathrm{pre}, 1/N_c) / N_c}

    Examples
    --------
    >>> float(difference_stderr(np.array([1.0]), np.array([1.0]), 1.0e4)[0])
    0.01414213562373095
    """
    return np.sqrt(np.maximum(spectrum + pre, 1.0 / continuum_counts) / continuum_counts)


def observation_dataset(
    intensity: NDArray[np.floating],
    t_s: xr.DataArray,
    delta_wavelength: NDArray[np.float64],
    coords: dict[str, xr.DataArray],
    extra: dict[str, xr.DataArray] | None = None,
) -> xr.Dataset:
    """The observation (the contract of this module's docstring) from its arrays.

    Parameters
    ----------
    intensity : numpy.ndarray, shape (n_scan, n_y, n_x, n_wavelength)
        Observed intensity / quiet continuum.
    t_s : xarray.DataArray, dims (scan, x)
        Exposure times [s].
    delta_wavelength : numpy.ndarray, shape (n_wavelength,)
        Offsets from the Hα rest wavelength in air [Å], increasing.
    coords : dict
        ``scan``, ``y``, ``x`` coordinates.
    extra : dict, optional
        Further data variables (the simulation's ``counts`` and ``expected_intensity``).

    Returns
    -------
    xarray.Dataset
        ``intensity`` and the coordinates of the contract
        (:data:`kineticflow.halpha.observation_contract.CONTRACT`).
    """
    dims = CONTRACT["intensity"]
    wl = xr.DataArray(lines.HALPHA_AIR_A + delta_wavelength, dims="wavelength", attrs=dim_attrs("wavelength"))
    return xr.Dataset(
        {
            "intensity": variable(intensity, dims, units="1", long_name="observed intensity / quiet continuum"),
            **(extra or {}),
        },
        coords={
            **coords,
            "t_s": t_s,
            "wavelength": wl,
            "delta_wavelength": variable(
                delta_wavelength, "wavelength", units="angstrom", long_name="offset from the Halpha rest wavelength"
            ),
        },
    )
