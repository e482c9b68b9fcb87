"""Rule ``observe_slit_scan``: the 1980 Sacramento Peak slit spectrograph applied to the true flare.

The spectrum is convolved with a Gaussian slit function (the spectral instrument profile, FWHM
``slit_fwhm_a``) and sampled at ``n_pixels`` CCD pixels over ``±half_range_a``; each raster image is
blurred with Gaussian seeing (FWHM ``seeing_fwhm_arcsec`` on ``pixel_arcsec`` pixels); counts are
Poisson with ``continuum_counts`` expected at the quiet continuum.  Seeded by
:func:`kineticflow.core.noise.stable_seed`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import xarray as xr
from numpy.typing import NDArray
from scipy.ndimage import gaussian_filter

from kineticflow.core.attrs import dim_attrs
from kineticflow.core.noise import stable_seed
from kineticflow.halpha import lines
from kineticflow.halpha.dataset import var

FWHM_PER_SIGMA = 2.0 * np.sqrt(2.0 * np.log(2.0))


def pixel_offsets(instrument: Mapping[str, Any]) -> NDArray[np.float64]:
    """Centres [Å] of the CCD's spectral pixels: ``n_pixels`` across ``±half_range_a``."""
    n, half = int(instrument["n_pixels"]), float(instrument["half_range_a"])
    step = 2.0 * half / n
    return np.asarray(-half + step * (np.arange(n) + 0.5), dtype=np.float64)


def slit_matrix(x_out: NDArray[np.float64], x_in: NDArray[np.float64], fwhm: float) -> NDArray[np.float64]:
    """Matrix ``A`` with ``(A s)_i = ∫ G(x_out_i − x) s(x) dx``: a unit-area Gaussian slit function (FWHM [Å]).

    Trapezoidal weights on ``x_in``; rows sum to 1 when the kernel lies inside ``x_in``.
    """
    sigma = fwhm / FWHM_PER_SIGMA
    w = np.gradient(x_in)
    g = np.exp(-0.5 * ((x_out[:, None] - x_in[None, :]) / sigma) ** 2) / (np.sqrt(2 * np.pi) * sigma)
    return g * w[None, :]


def observe_slit_scan(truth: xr.Dataset, section: Mapping[str, Any]) -> xr.Dataset:
    """Counts in (scan, y, x, wavelength) as the slit spectrograph records them, with exposure times.

    Parameters
    ----------
    truth : xarray.Dataset
        ``truth.nc`` (:func:`kineticflow.halpha.flare.simulate_flare`).
    section : mapping
        The ``halpha`` section (``instrument`` and ``seed`` keys).

    Returns
    -------
    xarray.Dataset
        ``counts`` (photon counts), ``intensity`` (counts / continuum_counts), ``t_s`` per slit position.
    """
    inst = section["instrument"]
    dl_in = truth["delta_wavelength"].values
    dl_out = pixel_offsets(inst)
    a = slit_matrix(dl_out, dl_in, float(inst["slit_fwhm_a"]))
    spec = np.einsum("ij,syxj->syxi", a, truth["spectrum"].values.astype(np.float64), optimize=True)
    sigma_pix = float(inst["seeing_fwhm_arcsec"]) / float(inst["pixel_arcsec"]) / FWHM_PER_SIGMA
    if sigma_pix > 0:
        spec = gaussian_filter(spec, sigma=(0, sigma_pix, sigma_pix, 0), mode="nearest")
    rng = np.random.default_rng(stable_seed(int(section["seed"]), {"rule": "observe_slit_scan"}))
    n_c = float(inst["continuum_counts"])
    counts = rng.poisson(np.clip(spec, 0, None) * n_c).astype(np.float32)
    wl = lines.HALPHA_AIR_A + dl_out
    ds = xr.Dataset(
        {
            "counts": var(counts, ("scan", "y", "x", "wavelength"), "count", "detected photons per pixel"),
            "intensity": var(
                counts / n_c, ("scan", "y", "x", "wavelength"), "1", "observed intensity / quiet continuum"
            ),
            "expected_intensity": var(
                spec.astype(np.float32),
                ("scan", "y", "x", "wavelength"),
                "1",
                "noise-free (Poisson mean) intensity / quiet continuum",
            ),
        },
        coords={
            "scan": truth["scan"],
            "y": truth["y"],
            "x": truth["x"],
            "t_s": truth["t_s"],
            "wavelength": xr.DataArray(wl, dims="wavelength", attrs=dim_attrs("wavelength")),
            "delta_wavelength": var(dl_out, "wavelength", "angstrom", "offset from the Halpha rest wavelength"),
        },
    )
    ds.attrs.update(
        slit_function="Gaussian",
        slit_fwhm_a=float(inst["slit_fwhm_a"]),
        width_convention="FWHM",
        seeing_fwhm_arcsec=float(inst["seeing_fwhm_arcsec"]),
        pixel_arcsec=float(inst["pixel_arcsec"]),
        continuum_counts=n_c,
        time_per_raster_step_s=1.0 / float(section["scan"]["steps_per_s"]),
        raster_cycle_s=float(section["scan"]["cycle_s"]),
    )
    return ds
