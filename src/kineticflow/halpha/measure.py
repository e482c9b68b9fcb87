"""Rule ``measure_lines``: difference spectra, bisectors, reversal depth, wing extent, core width.

The slit function is removed by the same Tikhonov/GCV inversion the TRXS branch uses for its pulse.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import xarray as xr
from numpy.typing import ArrayLike, NDArray

from kineticflow.core import regularisation as reg
from kineticflow.core.attrs import dim_attrs
from kineticflow.halpha import lines
from kineticflow.halpha.dataset import var
from kineticflow.halpha.observe import slit_matrix


def pixel_diagnostics(
    dl: NDArray[np.float64],
    spec: NDArray[np.float64],
    pre: NDArray[np.float64],
    sigma: NDArray[np.float64],
    cfg: Mapping[str, Any],
) -> dict[str, Any]:
    """Diagnostics of one observed spectrum against its pre-impulsive spectrum.

    Parameters
    ----------
    dl : numpy.ndarray, shape (n,)
        Offsets [Å].
    spec, pre, sigma : numpy.ndarray, shape (n,)
        Spectrum, pre-impulsive spectrum and the standard error of their difference (continuum units).
    cfg : mapping
        ``measure`` config: ``bisector_levels``, ``min_excess_sigma``, ``wing_threshold``.

    Returns
    -------
    dict
        ``bisector_kms`` (per level), ``velocity_kms`` (median over levels), ``reversal_depth``,
        ``wing_extent_a``, ``core_fwhm_a``, ``line_centre``, ``peak_excess``; NaN where the excess is
        not significant.
    """
    diff = spec - pre
    levels = np.asarray(cfg["bisector_levels"], float)
    centre = float(np.interp(0.0, dl, spec))
    k = int(np.argmax(np.where(np.abs(dl) <= 2.5, diff, -np.inf)))
    out: dict[str, Any] = {
        "bisector_kms": np.full(levels.size, np.nan),
        "velocity_kms": np.nan,
        "reversal_depth": np.nan,
        "wing_extent_a": np.nan,
        "core_fwhm_a": np.nan,
        "line_centre": centre,
        "peak_excess": float(diff[k]),
        "rest_centre": np.nan,
    }
    if diff[k] < float(cfg["min_excess_sigma"]) * sigma[k]:
        return out
    bis = lines.velocity_from_shift(lines.bisector(dl, diff, levels))
    out["bisector_kms"] = bis
    v = float(np.nanmedian(bis)) if np.any(np.isfinite(bis)) else 0.0
    out["velocity_kms"] = v if np.any(np.isfinite(bis)) else np.nan
    rest = np.interp(dl + lines.shift_from_velocity(v), dl, spec)
    out["reversal_depth"] = lines.central_reversal_depth(dl, rest)
    out["rest_centre"] = float(np.interp(0.0, dl, rest))
    out["wing_extent_a"] = lines.wing_extent(
        dl, np.interp(dl + lines.shift_from_velocity(v), dl, diff), float(cfg["wing_threshold"])
    )
    out["core_fwhm_a"] = lines.core_fwhm(dl, diff)
    return out


def deconvolve_slit(
    spectra: NDArray[np.float64], dl: NDArray[np.float64], fwhm: float
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Remove the slit function from spectra by Tikhonov regularisation with λ from GCV.

    Same code as the TRXS pulse deconvolution (:mod:`kineticflow.core.regularisation`): ``A`` is the
    slit function on the pixel grid, ``L`` the second difference.

    Parameters
    ----------
    spectra : numpy.ndarray, shape (n_spectra, n)
        Observed spectra on the pixel grid ``dl``.
    dl : numpy.ndarray, shape (n,)
        Pixel centres [Å].
    fwhm : float
        Slit-function FWHM [Å].

    Returns
    -------
    tuple of numpy.ndarray
        Deconvolved spectra (n_spectra, n) and the GCV λ of each.
    """
    fact = reg.tikhonov_factorise(slit_matrix(dl, dl, fwhm), reg.second_difference_matrix(dl.size))
    lam_grid = reg.lambda_grid(fact, 80)
    out = np.empty_like(spectra)
    lams = np.empty(spectra.shape[0])
    for n, d in enumerate(spectra):
        lams[n] = reg.gcv_lambda(reg.lambda_scan(fact, d, lam_grid))
        out[n] = reg.tikhonov_solve(fact, d, lams[n])
    return out, lams


def deconvolution_errors(
    truth: NDArray[np.float64], dl: NDArray[np.float64], fwhm: float, noise: ArrayLike, seed: int
) -> NDArray[np.float64]:
    """Relative RMS error of the deconvolved spectrum vs the true one, for white noise σ / peak in ``noise``."""
    a = slit_matrix(dl, dl, fwhm)
    rng = np.random.default_rng(seed)
    data = np.array(
        [
            a @ truth + s * np.max(np.abs(truth)) * rng.standard_normal(truth.size)
            for s in np.asarray(noise, dtype=float)
        ]
    )
    est, _ = deconvolve_slit(data, dl, fwhm)
    return np.array([reg.relative_rms_error(e, truth) for e in est])


NAMES = ("velocity_kms", "reversal_depth", "wing_extent_a", "core_fwhm_a", "line_centre", "peak_excess", "rest_centre")


def _diagnostics_cube(
    dl: NDArray[np.float64],
    obs: NDArray[np.float64],
    n_c: float,
    cfg: Mapping[str, Any],
    significant: NDArray[np.bool_] | None = None,
) -> tuple[dict[str, NDArray[np.float64]], NDArray[np.float64]]:
    """:func:`pixel_diagnostics` of every (scan, y, x) against scan 0; ``significant`` forces which pixels are measured."""
    n_s, n_y, n_x, _ = obs.shape
    levels = np.asarray(cfg["bisector_levels"], float)
    res = {k: np.full((n_s, n_y, n_x), np.nan) for k in NAMES}
    bis = np.full((n_s, n_y, n_x, levels.size), np.nan)
    pre = obs[0]
    for s, iy, ix in np.ndindex(n_s, n_y, n_x):
        sigma = np.sqrt(np.maximum(obs[s, iy, ix] + pre[iy, ix], 1.0 / n_c) / n_c)
        if significant is not None:
            sigma = np.zeros_like(sigma) if significant[s, iy, ix] else np.full_like(sigma, np.inf)
        d = pixel_diagnostics(dl, obs[s, iy, ix], pre[iy, ix], sigma, cfg)
        for k in NAMES:
            res[k][s, iy, ix] = d[k]
        bis[s, iy, ix] = d["bisector_kms"]
    return res, bis


def measure_lines(observed: xr.Dataset, truth: xr.Dataset, section: Mapping[str, Any]) -> xr.Dataset:
    """Per pixel and scan: difference spectrum vs scan 0, bisectors, reversal, wings, core width; deconvolution.

    Parameters
    ----------
    observed : xarray.Dataset
        ``observed.nc``.
    truth : xarray.Dataset
        ``truth.nc``; only its kernel centres (the tracked pixels) and the true spectra of those pixels
        (for the deconvolution error) are used.
    section : mapping
        The ``halpha`` config section.

    Returns
    -------
    xarray.Dataset
        Diagnostics on (scan, y, x) and (scan, y, x, level); deconvolved spectra of the tracked pixels;
        the deconvolution error against noise.
    """
    cfg = section["measure"]
    n_c = float(section["instrument"]["continuum_counts"])
    dl = observed["delta_wavelength"].values
    obs = observed["intensity"].values.astype(np.float64)
    res, bis = _diagnostics_cube(dl, obs, n_c, cfg)
    expected = observed["expected_intensity"].values.astype(np.float64)
    clean, _ = _diagnostics_cube(dl, expected, n_c, cfg, significant=np.isfinite(res["velocity_kms"]))
    dims3 = ("scan", "y", "x")
    data = {name: var(res[key], dims3, units, long_name) for name, (key, units, long_name) in DIAGNOSTICS.items()}
    data["core_fwhm"].attrs["width_convention"] = "FWHM"
    data["velocity_noise_free"] = var(
        clean["velocity_kms"], dims3, "km s-1", "bisector velocity of the noise-free observation"
    )
    data["bisector_velocity"] = var(bis, (*dims3, "level"), "km s-1", "bisector velocity of the excess, + = redshift")
    diff = (obs - obs[0][None]).astype(np.float32)
    data["difference"] = var(diff, (*dims3, "wavelength"), "1", "difference spectrum vs the pre-impulsive scan / I_c")
    data["pre_impulsive"] = var(
        obs[0].astype(np.float32), ("y", "x", "wavelength"), "1", "observed pre-impulsive spectrum (scan 0) / I_c"
    )
    ds = xr.Dataset(data, coords={k: observed[k] for k in ("scan", "y", "x", "t_s", "wavelength", "delta_wavelength")})
    ds = ds.assign_coords(
        level=xr.DataArray(np.asarray(cfg["bisector_levels"], float), dims="level", attrs=dim_attrs("level"))
    )
    ds = xr.merge([ds, _slit_deconvolution(obs, dl, truth, section)], combine_attrs="drop_conflicts")
    ds.attrs.update(
        wing_threshold=float(cfg["wing_threshold"]),
        velocity_sign="positive = redshift = downflow",
        width_convention="FWHM",
    )
    return ds


#: diagnostics.nc variable -> (key of :func:`pixel_diagnostics`, units, long name)
DIAGNOSTICS = {
    "velocity": ("velocity_kms", "km s-1", "median bisector velocity over levels, positive = redshift"),
    "reversal_depth": ("reversal_depth", "1", "central reversal depth 1 - I_core/I_peak, Doppler-corrected"),
    "wing_extent": ("wing_extent_a", "angstrom", "half-width where the excess drops below the wing threshold"),
    "core_fwhm": ("core_fwhm_a", "angstrom", "FWHM of the excess emission"),
    "line_centre_intensity": ("line_centre", "1", "observed intensity at the rest wavelength / I_c"),
    "rest_centre_intensity": ("rest_centre", "1", "line-centre intensity after removing the bisector shift / I_c"),
    "peak_excess": ("peak_excess", "1", "peak of the difference spectrum within 2.5 A / I_c"),
}


def _slit_deconvolution(
    obs: NDArray[np.float64], dl: NDArray[np.float64], truth: xr.Dataset, section: Mapping[str, Any]
) -> xr.Dataset:
    """Deconvolved spectra of the tracked (kernel-centre) pixels and the error-vs-noise table."""
    kernels = section["flare"]["kernels"]
    tracked = list(kernels)
    pix = [(int(kernels[k]["y"]), int(kernels[k]["x"])) for k in tracked]
    n_s = obs.shape[0]
    fwhm = float(section["instrument"]["slit_fwhm_a"])
    deconv, lams = deconvolve_slit(np.array([obs[s, y, x] for y, x in pix for s in range(n_s)]), dl, fwhm)
    y0, x0 = pix[0]
    at_peak = truth["spectrum"].values[int(np.argmax(truth["hxr_at_pixel"].values[:, x0])), y0, x0]
    true_peak = np.interp(dl, truth["delta_wavelength"].values, at_peak)
    noise = np.asarray(section["measure"]["deconvolution_noise"], float)
    err = deconvolution_errors(true_peak, dl, fwhm, noise, int(section["seed"]))
    dims = ("tracked", "scan", "wavelength")
    return xr.Dataset(
        {
            "deconvolved": var(deconv.reshape(len(pix), n_s, -1), dims, "1", "slit function removed (Tikhonov, GCV)"),
            "deconvolution_lambda": var(lams.reshape(len(pix), n_s), dims[:2], "1", "GCV regularisation parameter"),
            "deconvolution_error": var(err, "noise", "1", "relative RMS error of the deconvolved vs true spectrum"),
        },
        coords={
            "tracked": var(np.array(tracked), "tracked", "1", "tracked kernel pixel"),
            "tracked_y": var(np.array([p[0] for p in pix]), "tracked", "pixel", "tracked pixel y"),
            "tracked_x": var(np.array([p[1] for p in pix]), "tracked", "pixel", "tracked pixel x"),
            "noise": var(noise, "noise", "1", "white-noise sigma / peak of the true spectrum"),
        },
    )
